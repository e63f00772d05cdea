// Package lettatest is a faithful local Letta server for the identities,
// agents, memory blocks and messages REST API, for tests, examples and
// offline development. It needs no account, no network and no LLM: a
// built-in deterministic model holds the conversations.
//
// Start one in a test with NewServer (it listens on a loopback port, like
// httptest) and point a client at srv.URL; or mount NewHandler in your own
// server; or run the standalone command, built once (not with go run,
// whose compiled child keeps listening when go run is stopped by its pid):
//
//	go install github.com/letta-go/letta/cmd/lettatest
//	lettatest -addr 127.0.0.1:8283
//
// # What it models
//
// The wire contract and behaviour of the self-hosted Letta server (OSS code
// as of its last commit), as documented in letta-api.md and the official
// OpenAPI spec, written independently of the SDK's types so that an SDK
// mistake shows up as a test failure instead of being mirrored:
//
//   - All ten /v1/identities routes; /v1/agents/ list, create and count;
//     GET, PATCH and DELETE /v1/agents/{agent_id}; attach and detach of
//     identities; the nine /v1/blocks routes; an agent's core memory (list,
//     get and PATCH by label, attach and detach of a block); GET
//     /v1/health/. Exact paths: collection roots end in "/",
//     others do not, and a mismatch is a 307 redirect as in Starlette. The
//     same routes also answer under /latest/.
//   - Lists are bare JSON arrays with before/after/limit/order cursor
//     pagination (default limit 50, newest first, ties broken by id, but
//     for the blocks, core memory and history lists below), and
//     the server's two implementations of it. GET /v1/agents/: cursors are
//     positions in the requested order, an unknown cursor is ignored, limit
//     0 means no limit and a negative limit is a 500 (PostgreSQL refuses
//     it). Identities and the identity sub-lists: cursors are time bounds
//     whatever the order (after = newer than, before = older than), an
//     unknown cursor is a 404, both together are a window (400 when before
//     is older than after; a window wider than the limit answers its middle
//     slice), and the limit is sent to the database as the server sends it
//     (identities: limit 0 is no limit, -1 an empty page, less a 500;
//     sub-lists: 0 an empty page, negative a 500). Rows written by one
//     request share created_at, and the server's descending cursors break
//     such ties the wrong way; lettatest does the same. An agent matching
//     identifier_keys through two identities is listed and counted twice.
//     Counts are bare integers. Query arrays are repeated keys, and a comma
//     is part of the value.
//   - Identity semantics: PATCH overwrites non-null scalars, merges
//     properties by key and appends agent_ids/block_ids. PUT updates by
//     (identifier_key, project_id): a found identity gets its properties and
//     agent set replaced (block_ids are ignored); an unknown key is a 404,
//     as on the real server, whose lookup raises before its create branch
//     is reached. PUT .../properties
//     replaces the list and answers the Identity. A duplicate key in a
//     project is a 409. Responses carry organization_id, and agent_ids and
//     block_ids are always [], as on the current server.
//   - Agent semantics: create needs model (a "provider/name" handle) or
//     llm_config, otherwise it answers 400 (see WithDefaultModel). A name given
//     at create must match ^[\w '\-]+$, and a bad one is a 500 ("Export
//     failed: Agent name ..."), as upstream; PATCH stores any name. A missing
//     name gets a random adjective+noun. PATCH applies non-null fields, and
//     list fields (tags, identity_ids, tool_ids, block_ids) replace the set,
//     with [] clearing it. AgentState relationships are loaded by the
//     server's client heuristic: a client sending X-Stainless-Package-Version
//     or a letta-client/1.x User-Agent, or no User-Agent at all, gets only
//     what include=agent.* asks for, and any other User-Agent containing "/"
//     gets everything. Create and PATCH responses carry every relationship.
//   - Every key of the spec's schemas is present in responses (null for
//     unset optionals). Every success is 200. Errors have the server's
//     shapes: {"detail": "..."} in general, and for validation errors the
//     server's real 422 body {"trace_id", "detail" (a Python-repr string of
//     the pydantic errors), "examples" (for malformed path ids)}, not the
//     spec's array. Unknown fields in identity bodies are a 422
//     (extra="forbid"); in agent bodies they are ignored. Malformed JSON is
//     a 422 and never a 500, and so is a body sent with a Content-Type other
//     than JSON (FastAPI then reads it as text). Ids in body lists
//     (agent_ids, block_ids, tool_ids, identity_ids, ...) must be
//     <prefix>-<uuid4> (422 otherwise) before they are looked up. Unknown
//     ids in agent bodies get the server's answers: on create, tool_ids a
//     400, identity_ids PostgreSQL's foreign key 409, and block_ids are
//     dropped; on PATCH, tool_ids and identity_ids the foreign key 409 and
//     block_ids a 500. And
//     the unions (tool_rules items, response_format) are checked by their
//     discriminator, then their variant's required fields. Scalars are
//     read as pydantic's lax mode reads them: "0.5" is a number, 8000.0
//     and "8000" are integers, "false" and 0 are booleans; anything else is
//     a 422 with pydantic's error type. llm_config, embedding_config and
//     model_settings (by provider_type) are checked field by field that way
//     and answered with the converted values.
//   - Blocks: GET /v1/blocks/ is oldest first by default, pages like
//     /v1/agents/ (positions, unknown cursor ignored, limit 0 no limit,
//     negative a 500), leaves out hidden blocks unless show_hidden_blocks,
//     and lists template blocks only with templates_only (and then only
//     them). Filtered by identity_id, identifier_keys or a
//     connected_to_agents_count_* (joins, DISTINCT ON id), it sorts by block
//     id while its cursors still compare (created_at, id), and lists a block
//     of two matching identities once; label/name/identity_id and the
//     searches are checked as the server's query validators check them.
//     GET /v1/blocks/count counts every block when no filter is given
//     (templates and hidden ones too); with a filter, templates count only
//     with templates_only, hidden blocks always. POST answers the tags as
//     sent (a repeated tag twice; stored once) and, for a human or persona
//     block without description, the schema's default description, which
//     is not stored (reads show null). PATCH sets the non-null fields; tags
//     replace the set (kept tags first, new ones after, as the rows are
//     stored) and are answered as sent; an update that changes nothing
//     answers the stored block, with the tags sorted when tags were sent.
//     created_by_id and last_updated_by_id are always null and blocks have
//     no timestamps. DELETE answers null and detaches the block from agents
//     and identities. GET .../agents of an unknown block is [], and loads
//     relationships only as include asks, for every client. Attach/detach of
//     an identity are idempotent and answer the block; a malformed identity
//     id is a 400.
//   - Core memory: the list is sorted by block id whatever order and
//     order_by say (default desc, limit 100), and its cursors are compared
//     with the ids as strings (they need not exist). A missing label is a
//     404 "No block with label ...". PATCH by label writes the fields and,
//     with non-empty tags, then fails as the server does: the tag rows lack
//     organization_id, a 409 with PostgreSQL's not-null text, the other
//     fields saved. Attach answers the agent with every relationship and
//     moves its updated_at even when the block was attached; detach of a
//     block the agent does not have is a 404. Blocks loaded with an agent
//     or an identity carry no tags.
//   - order, order_by and include are Literals: a bad value is a
//     literal_error.
//   - Trailing-slash redirects stay under the mount the request used
//     (/v1 or /latest) and, like Starlette's, have an empty body; a 405
//     carries Allow with the method of the first route whose path matched
//     (FastAPI routes have one method each, so that is one method).
//   - Auth as in secure mode (WithAPIKey): every route except health needs
//     Authorization: Bearer <key>, otherwise 401 {"detail":"Unauthorized"}.
//   - The user_id header selects the acting user (created_by_id), as on the
//     server. It must be user-<uuid4>, otherwise the answer is 400.
//   - Messages: POST /v1/agents/{agent_id}/messages, GET (history), PATCH
//     .../reset-messages and POST .../messages/cancel, answered as the real
//     server answers when its agent loop runs on lettatest/openaifake, whose
//     texts the built-in model reproduces: reasoning ("The user wrote
//     \"<words>\"; I answer by repeating it.") and "You said: <words>";
//     for "remember (that) X", when the agent has memory_insert, a tool call
//     that appends X to the human block as a new line, its tool return (the
//     block's new value), then "I will remember that X." in a second step
//     (without a human block, or with a read-only one, the server's tool
//     error and "I could not save that to memory.").
//     A send answers the new messages (not the user's), the stop reason and
//     usage (openaifake's completion counts, step_count), compact JSON in
//     the server's key order; ids, otids (the row's uuid with the part
//     index in its last 7 bits), step and run ids and whole-second dates
//     have the server's shapes, tool call arguments its json.dumps form.
//     streaming: true answers text/event-stream, each event "data:
//     <json>\n\n": a first ping (include_pings defaults to true), the
//     messages whole or, with stream_tokens, in the model's chunks (a word
//     at a time; a tool call's name, then its arguments in 16-byte pieces,
//     with tool_calls the delta object), then stop_reason, usage_statistics
//     (token stream: null cached/reasoning counts) and "data: [DONE]".
//     Streaming from a pre-1.0 client (no X-Stainless-Package-Version, a
//     User-Agent with "/") is the server's 422. include_return_message_types
//     filters the answer, max_steps stops a memory turn with max_steps.
//     Agents start with their compiled system message (the system text,
//     <memory_blocks> and <memory_metadata> as the server compiles them,
//     rebuilt when a block changes); the history lists stored rows
//     expanded into LettaMessages, limit counting rows, order choosing which
//     (desc: the newest) and the page always oldest first, after/before by
//     row id, filters by type. Reset puts the context back to the system
//     message and answers the whole AgentState; the history stays. Cancel
//     is a 409 unless a run is streaming: a user text containing "[slow]"
//     (openaifake's SlowMarker) makes each streamed event wait 200 ms, so
//     that a test can cancel it; the stream then ends with the server's
//     {"message_type": "stop_reason", "stop_reason": "cancelled"} and no
//     [DONE], and the turn's answer is not stored. A user text containing
//     "[fail]" (openaifake's FailMarker) fails the model as a failing
//     provider does: a plain send is a 400 {"error": {"type":
//     "llm_bad_request", ...}}, a stream ends on the stop reason
//     llm_api_error, an "event: error" LettaErrorMessage (error_type
//     llm_error) and [DONE], and nothing of the turn is stored. Tool rules
//     {"type": "requires_approval", "tool_name": "memory_insert"} stop a
//     memory turn with an approval_request_message (otid = its id, the
//     model's own arguments; streamed with explicit nulls, its reasoning
//     under the id the server streams it with) and stop reason
//     requires_approval; an approval message (the list form, or the
//     deprecated approve/approval_request_id) is stored as an
//     approval_response_message as the server stores it, runs the tool or
//     returns the server's denial text, and lets the model answer; with
//     nothing pending it is the server's 400.
//
// For tests there is also fault injection (InjectFault: statuses with
// Retry-After style headers, latency, dropped connections before or after
// the write is applied), a request log with credentials redacted
// (Requests; unbounded unless WithRequestLogLimit is used), and
// deterministic ids and timestamps (WithDeterministicIDs) for stable
// recordings.
//
// # Verified against the real server
//
// A differential test (differential_*_live_test.go, build tag letta_live)
// sends scripted scenarios of more than 400 requests, covering every route
// above (TestDifferential: identities and agents; TestDifferentialBlocks:
// blocks and core memory; TestDifferentialMessages: messages, streams,
// history, reset and cancel), to lettatest and to a real Letta server
// (0.16.8 on PostgreSQL 16), and compares status, field set, values, item order and
// error bodies after normalising ids and timestamps (both numbered by first
// appearance, so equal and moved timestamps compare too). Timestamps have
// six fraction digits; a created agent's stored updated_at moves past the
// one its create answered (the server then writes its initial messages),
// and attaching or detaching an identity leaves it. Not-found and database error texts are the server's
// (PostgreSQL's foreign key and unique violation texts up to their "[SQL:"
// part), created agents get the server's compaction_settings, tool_rules,
// block descriptions and, for letta/letta-free, its llm_config and
// embedding_config. Unknown agent_ids/block_ids in identity bodies give a
// 500 {"detail": "An unknown error occurred"}, the server's unmapped
// exception. TestDifferentialMessages (differential_messages_live_test.go)
// does the same for the messages routes against the server running its
// agent loop on lettatest/openaifake (LETTA_SERVER_OPENAI_FAKE=1
// scripts/letta-server start): 72 requests (send plain and streamed by
// steps and by tokens, with and without pings, content parts, otids, type
// filters, three "remember" turns, the agent and its compiled system
// message after them, history with limits, orders, cursors and filters,
// reset, cancel, max_steps, agents without the memory tool, without a
// human block and with a read-only one, approvals approved and denied,
// plain and streamed, a failing model, plain and streamed, and the
// errors), streams compared event by event with their framing. Message dates are compared by shape
// and otids by their relation to the message id (which messages share a
// whole second depends on timing); call ids and token counts of the prompt
// are allowed to differ (below).
//
// # Where it knowingly differs from Letta
//
// These differences remain, and are named in the differential test's
// allow list:
//
//   - There is no LLM: the built-in model knows only the two answers above,
//     and the system prompt and compaction_settings.prompt are short
//     stand-ins (a compiled system message has the server's layout around
//     the stand-in). prompt_tokens, total_tokens and context_tokens are
//     lettatest's estimate of its own prompt (the fake model counts the
//     server's long prompt and tool schemas); tool call ids are random
//     (the fake model hashes the server's request).
//   - Messages: every agent type answers as letta_v1_agent does (memgpt
//     agents' boot messages, send_message and heartbeats are not modelled);
//     background runs and the keep-alive pings of a stream idle for 20 s
//     are not either, nor the default continue_loop tool rules the server
//     adds when an agent is created with tool_rules (and their
//     <tool_usage_rules> in the system prompt). A non-streaming send is never slow, so only a
//     streamed run can be cancelled. A fast stream's turn is stored when the
//     request is applied (a client that goes away does not undo it).
//   - Built-in tools are a simplified fixed set, created at startup, with
//     short descriptions and empty schemas. include_base_tools attaches a
//     per-agent-type subset, tools (names) attaches known built-in tools and
//     skips unknown names. There are no folders/sources: any folder_ids or
//     source_ids entry is unknown, which gives a 404.
//   - GET /v1/health/ reports 0.16.8-lettatest.
//   - A malformed JSON body is the same json_invalid 422, but its position
//     and ctx.error are Go's decoder's, not Python's json module's.
//   - Errors that carry the failed SQL statement ("[SQL: ...]" and its
//     parameters) stop before it.
//
// Lists the server sorts by random ids (an agent's core memory, the blocks
// list with a join filter) and blocks made by one request (equal
// created_at) cannot be compared item by item between two servers; there
// the differential test compares what is kept by count, and lettatest's
// order is checked by its unit tests.
//
// And these are outside what the differential test can check, because they
// depend on the server's configuration:
//
//   - Models: a real server knows the models of its configured providers
//     (offline, only letta/letta-free). lettatest knows letta/letta-free
//     exactly, refuses other letta/ handles as the server does (404), and
//     accepts any other provider/name handle, building LLMConfig and
//     EmbeddingConfig from the handle alone: the endpoint type comes from
//     the provider prefix (unknown providers are OpenAI compatible), and
//     context_window comes from context_window_limit or a per-provider
//     default. model_settings is the server's derivation for OpenAI
//     endpoints and a common shape for the others.
//   - The model handle openai-proxy/letta-go-fake is, on the real server,
//     the fake model scripts/letta-server registers (context window 30000,
//     max_tokens 16384); lettatest builds its generic config for it.
//   - Every response has an X-Request-Id header. This is a lettatest
//     addition, so that clients' request-id handling can be tested.
//   - There is one organization (org-00000000-0000-4000-8000-000000000000)
//     and one user, whose repr in not-found texts carries lettatest's start
//     time; no Letta Cloud features (X-Project, templates, search).
package lettatest
