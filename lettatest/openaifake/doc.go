// Package openaifake is a small deterministic OpenAI-compatible model
// server, so that a real Letta server can run its real agent loop offline:
// point the server's OPENAI_BASE_URL at it (with any OPENAI_API_KEY), and
// agents created with the model handle "openai-proxy/letta-go-fake" talk to
// it. The same request always gets the same answer: no randomness, no clock.
//
// Run it beside a real server with the repository's script, which builds and
// starts cmd/openaifake on a free loopback port before the server:
//
//	LETTA_SERVER_OPENAI_FAKE=1 scripts/letta-server start
//
// or by hand (it prints OPENAI_BASE_URL=http://127.0.0.1:PORT/v1):
//
//	go run ./cmd/openaifake -addr 127.0.0.1:0 -log
//
// or in a Go test, with NewServer (a loopback listener, like httptest) or
// NewHandler (mount it yourself).
//
// # Routes
//
//   - GET /v1/models lists DefaultModel (or WithModels); GET /v1/models/{id}.
//     A Letta server (0.16) calls GET /v1/models once at start-up, to list
//     the provider's models: the handle is "openai-proxy/<id>" because the
//     base URL is not api.openai.com, with context window 30000 (Letta's
//     default for unknown names) and max_tokens 16384.
//   - POST /v1/chat/completions, plain or streaming ("stream": true): SSE
//     chunks "data: {...}\n\n" as OpenAI sends them (a first chunk with the
//     role, reasoning_content and content a word at a time, a tool call as
//     id and name then its arguments in 16-byte pieces, a chunk with the
//     finish reason, a usage chunk when stream_options.include_usage) and
//     "data: [DONE]". Letta calls it once per agent step: plainly for
//     streaming=false and for streaming by steps, streaming when
//     stream_tokens is true. Any model name is answered.
//   - POST /v1/embeddings: unit vectors from a hash of each input (1536
//     floats, 3072 for text-embedding-3-large, or "dimensions"), as floats or
//     base64. Letta only calls it for agents whose embedding is an openai/*
//     handle; agents on "letta/letta-free" embeddings never do.
//
// Errors have OpenAI's shape, {"error": {"message", "type", "param",
// "code"}}: 400 for a malformed body, 404 for other paths, 405 for a wrong
// method, 401 when WithAPIKey is set and the key differs, 413 above 32 MiB.
//
// # The model
//
// The answer is derived from the request alone:
//
//   - The user's words are the text of the last user message (parts joined
//     with newlines; memgpt-style {"type": "user_message", "message": ...}
//     unwrapped; heartbeats, logins and system alerts skipped).
//   - "remember (that) X" in those words, with a memory tool offered and
//     not yet called since, gets a call of the memory tool that appends X to
//     the human block: core_memory_append {label, content}, memory_insert
//     {label, new_string, insert_line: -1} (the tool of letta_v1_agent, the
//     default agent type) or memory {command: "insert", path:
//     "/memories/human", insert_text, insert_line: -1}, in that order of
//     preference. Letta runs the tool and calls the model again.
//   - Otherwise the answer is "You said: <words>"; after the memory tool it
//     is "I will remember that X." ("I could not save that to memory." when
//     the tool's result has status "Failed"). It is plain content, or a
//     send_message call when that tool is offered (memgpt-style agents).
//   - Each answer carries reasoning_content (off with WithReasoning(false)),
//     which Letta shows as a reasoning_message; when the called tool has a
//     "thinking" parameter (put_inner_thoughts_in_kwargs) the reasoning goes
//     there instead. Tools of memgpt-style agents get request_heartbeat:
//     true for the memory call and false for send_message.
//   - A tool_choice naming a function gets that function called, "none" gets
//     content. Required parameters the fake knows nothing about get the
//     zero value of their type (null when the type allows null).
//   - Ids are "chatcmpl-" and "call_" followed by hex digits of a SHA-256 of
//     the request body; "created" is the constant Created. Token counts
//     are estimates (EstimateTokens of the body and of the answer).
//   - SlowMarker ("[slow]") in the user's words paces the answer (one slow
//     delay per chunk, see WithSlowDelay) without changing it, so that a
//     test can cancel a run, or see Letta's keep-alive pings, mid-answer.
//   - FailMarker ("[fail]") in the user's words makes the completion fail
//     (a 400 with OpenAI's error body), as a failing provider would.
package openaifake
