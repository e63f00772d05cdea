"""Creates the Letta server's tables in an empty PostgreSQL database.

The letta wheel ships its ORM models but not the alembic migrations that its Docker image runs, so the
schema is made from the models. The one thing the models leave to a migration is the sequence behind
messages.sequence_id (a server-side default the ORM only declares as FetchedValue); it is added here.

Usage: LETTA_PG_URI=postgresql://user@host:port/db python letta-server-schema.py
"""

import os

from sqlalchemy import create_engine, text

import letta.orm  # noqa: F401  (importing it registers every model on Base.metadata)
from letta.orm.base import Base


def main() -> None:
    uri = os.environ["LETTA_PG_URI"].split("?", 1)[0]
    engine = create_engine(uri.replace("postgresql://", "postgresql+pg8000://", 1))
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE SEQUENCE IF NOT EXISTS message_seq AS BIGINT OWNED BY messages.sequence_id"))
        conn.execute(text("ALTER TABLE messages ALTER COLUMN sequence_id SET DEFAULT nextval('message_seq')"))
    print(f"schema: {len(Base.metadata.tables)} tables")


if __name__ == "__main__":
    main()
