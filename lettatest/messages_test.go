package lettatest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chatAgent creates an agent with the human block and the base tools
// (memory_insert among them) and returns its id.
func chatAgent(t *testing.T, srv *Server) string {
	t.Helper()
	a := createAgent(t, srv, map[string]any{
		"model": "openai-proxy/letta-go-fake", "embedding": "letta/letta-free",
		"memory_blocks": []map[string]any{{"label": "human", "value": "The human is a tester."}},
	})
	return a["id"].(string)
}

func userSays(words string, extra ...map[string]any) map[string]any {
	body := map[string]any{"messages": []map[string]any{{"role": "user", "content": words}}}
	for _, e := range extra {
		for k, v := range e {
			body[k] = v
		}
	}
	return body
}

// types lists the message_type of each item.
func types(l []any) []string {
	out := make([]string, len(l))
	for i, m := range l {
		out[i], _ = m.(map[string]any)["message_type"].(string)
	}
	return out
}

// sse splits a server-sent events body into its events' data, failing on
// any framing but "data: <line>\n\n".
func sse(t *testing.T, body []byte) []string {
	t.Helper()
	var out []string
	rest := string(body)
	for rest != "" {
		frame, after, found := strings.Cut(rest, "\n\n")
		require.True(t, found, "unterminated frame %q", rest)
		data, isData := strings.CutPrefix(frame, "data: ")
		require.True(t, isData, "frame without data: %q", frame)
		require.NotContains(t, data, "\n")
		out = append(out, data)
		rest = after
	}
	return out
}

func decode(t *testing.T, data string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(data), &m), data)
	return m
}

func TestSendMessage(t *testing.T) {
	srv := newServer(t)
	id := chatAgent(t, srv)

	r := call(t, srv, "POST", "/v1/agents/"+id+"/messages", userSays("hello there"), currentUA)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.True(t, bytes.HasPrefix(r.body, []byte(`{"messages":[{"id":"message-`)), "compact JSON, keys in the server's order: %s", r.body)
	assert.True(t, bytes.HasSuffix(r.body, []byte(`,"logprobs":null,"turns":null}`)), "%s", r.body)
	resp := r.obj(t)
	msgs := resp["messages"].([]any)
	require.Equal(t, []string{"reasoning_message", "assistant_message"}, types(msgs))
	reasoning, answer := msgs[0].(map[string]any), msgs[1].(map[string]any)
	assert.Equal(t, `The user wrote "hello there"; I answer by repeating it.`, reasoning["reasoning"])
	assert.Equal(t, "reasoner_model", reasoning["source"])
	assert.Equal(t, "You said: hello there", answer["content"])
	assert.Equal(t, reasoning["id"], answer["id"], "one LLM answer is one stored row")
	id0 := strings.TrimPrefix(reasoning["id"].(string), "message-")
	assert.Equal(t, id0[:34]+"00", reasoning["otid"].(string)[:34]+"00")
	assert.Regexp(t, `^[0-9a-f-]{34}[0-7][0-9a-f]$|^[0-9a-f-]{34}[89a-f][0-9a-f]$`, reasoning["otid"])
	assert.NotEqual(t, reasoning["otid"], answer["otid"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$`, answer["date"])
	assert.Regexp(t, `^step-`, answer["step_id"])
	assert.Regexp(t, `^run-`, answer["run_id"])
	assert.Equal(t, map[string]any{"message_type": "stop_reason", "stop_reason": "end_turn"}, resp["stop_reason"])
	usage := resp["usage"].(map[string]any)
	assert.Equal(t, "usage_statistics", usage["message_type"])
	assert.Equal(t, json.Number("20"), usage["completion_tokens"], "openaifake's count: a token per four bytes of reasoning and content")
	assert.Equal(t, json.Number("1"), usage["step_count"])
	assert.Equal(t, json.Number("0"), usage["reasoning_tokens"])
	assert.Nil(t, usage["run_ids"])
}

// TestOtidFromID pins Message.generate_otid_from_id on ids of the capture
// in /work/notes/real-messages-wire.md.
func TestOtidFromID(t *testing.T) {
	for _, tc := range []struct {
		id    string
		index int
		want  string
	}{
		{"message-70dc7013-2636-4fc1-bb25-80ce1366aa53", 0, "70dc7013-2636-4fc1-bb25-80ce1366aa00"},
		{"message-70dc7013-2636-4fc1-bb25-80ce1366aa53", 1, "70dc7013-2636-4fc1-bb25-80ce1366aa01"},
		{"message-91625918-3bc0-4ec1-b090-154558a55ded", 1, "91625918-3bc0-4ec1-b090-154558a55d81"},
		{"message-a101293d-01e9-4a52-ac36-984d2ebe2fdf", 0, "a101293d-01e9-4a52-ac36-984d2ebe2f80"},
	} {
		assert.Equal(t, tc.want, *partOtid(tc.id, tc.index), tc.id)
	}
}

func TestSendRemember(t *testing.T) {
	srv := newServer(t)
	id := chatAgent(t, srv)

	r := call(t, srv, "POST", "/v1/agents/"+id+"/messages", userSays("Please remember that my favourite colour is green."), currentUA)
	resp := mustOK(t, r)
	msgs := resp["messages"].([]any)
	require.Equal(t, []string{"reasoning_message", "tool_call_message", "tool_return_message", "reasoning_message", "assistant_message"}, types(msgs))
	call0 := msgs[1].(map[string]any)
	tc := call0["tool_call"].(map[string]any)
	assert.Equal(t, "memory_insert", tc["name"])
	assert.Equal(t, `{"insert_line": -1, "label": "human", "new_string": "my favourite colour is green"}`, tc["arguments"], "re-serialised as Python's json.dumps")
	assert.Regexp(t, `^call_[0-9a-f]{24}$`, tc["tool_call_id"])
	assert.Equal(t, []any{tc}, call0["tool_calls"])
	ret := msgs[2].(map[string]any)
	assert.Equal(t, "memory_insert", ret["name"])
	assert.Equal(t, "success", ret["status"])
	assert.Equal(t, "The human is a tester.\nmy favourite colour is green", ret["tool_return"])
	assert.Equal(t, tc["tool_call_id"], ret["tool_call_id"])
	assert.Equal(t, call0["step_id"], ret["step_id"], "the tool runs in the step that called it")
	assert.NotEqual(t, call0["step_id"], msgs[4].(map[string]any)["step_id"], "the answer is a second step")
	assert.Equal(t, "I will remember that my favourite colour is green.", msgs[4].(map[string]any)["content"])
	assert.Equal(t, json.Number("2"), resp["usage"].(map[string]any)["step_count"])

	agent := mustOK(t, call(t, srv, "GET", "/v1/agents/"+id+"?include=agent.blocks", nil, currentUA))
	blocks := agent["blocks"].([]any)
	require.Len(t, blocks, 1)
	assert.Equal(t, "The human is a tester.\nmy favourite colour is green", blocks[0].(map[string]any)["value"])
	assert.Equal(t, "end_turn", agent["last_stop_reason"])

	// The system message is rebuilt from the edited memory.
	hist := call(t, srv, "GET", "/v1/agents/"+id+"/messages?limit=1&order=asc", nil, currentUA).list(t)
	assert.Contains(t, hist[0].(map[string]any)["content"], "<value>\nThe human is a tester.\nmy favourite colour is green\n</value>")
}

func TestSendRememberWithoutMemoryTool(t *testing.T) {
	srv := newServer(t)
	a := createAgent(t, srv, map[string]any{"model": "openai-proxy/letta-go-fake", "include_base_tools": false,
		"memory_blocks": []map[string]any{{"label": "human", "value": "x"}}})
	resp := mustOK(t, call(t, srv, "POST", "/v1/agents/"+a["id"].(string)+"/messages", userSays("remember that I like tea"), currentUA))
	msgs := resp["messages"].([]any)
	require.Equal(t, []string{"reasoning_message", "assistant_message"}, types(msgs), "no tool to call: the model echoes")
	assert.Equal(t, "You said: remember that I like tea", msgs[1].(map[string]any)["content"])
}

func TestSendErrors(t *testing.T) {
	srv := newServer(t)
	id := chatAgent(t, srv)
	unknown := "agent-00000000-0000-4000-8000-00000000abcd"
	for _, tc := range []struct {
		name   string
		path   string
		body   any
		hdr    http.Header
		status int
		detail string
	}{
		{"unknown agent", "/v1/agents/" + unknown + "/messages", userSays("hi"), currentUA, 404, "Agent with ID " + unknown + " not found"},
		{"unknown agent, streaming", "/v1/agents/" + unknown + "/messages", userSays("hi", map[string]any{"streaming": true}), currentUA, 404, "Agent with ID " + unknown + " not found"},
		{"empty messages", "/v1/agents/" + id + "/messages", map[string]any{"messages": []any{}}, currentUA, 422, "Messages must not be empty"},
		{"stream_tokens without streaming", "/v1/agents/" + id + "/messages", userSays("hi", map[string]any{"stream_tokens": true}), currentUA, 422,
			"Streaming options set without streaming enabled. stream_tokens can only be true when streaming=true. Either set streaming=true or use default values for streaming options."},
		{"streaming from a pre-1.0 client", "/v1/agents/" + id + "/messages", userSays("hi", map[string]any{"streaming": true}),
			http.Header{"User-Agent": {"letta-go/0.1.0"}}, 422, "streaming=true is only supported for SDK v1.0+ clients."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, srv, "POST", tc.path, tc.body, tc.hdr)
			assert.Equal(t, tc.status, r.status, "%s", r.body)
			assert.Equal(t, "application/json", r.header.Get("Content-Type"))
			assert.Equal(t, tc.detail, r.detail(t))
		})
	}

	r := call(t, srv, "POST", "/v1/agents/"+id+"/messages", `{"messages":[{"role":"robot","content":"hi"}]}`, currentUA)
	require.Equal(t, 422, r.status)
	d := r.detail(t)
	assert.Contains(t, d, `'loc': ('body', 'messages', 0, 'function-after[generate_otid_if_missing(), MessageCreate]', 'role')`)
	assert.Contains(t, d, `'input': {'role': 'robot', 'content': 'hi', 'type': 'message'}`, "pydantic echoes the input in its keys' order")
	assert.Empty(t, call(t, srv, "GET", "/v1/agents/"+id+"/messages?order=asc", nil, currentUA).list(t)[1:], "a failed send stores nothing")
}

func TestStreamFraming(t *testing.T) {
	srv := newServer(t)
	id := chatAgent(t, srv)
	path := "/v1/agents/" + id + "/messages"
	for _, tc := range []struct {
		name  string
		extra map[string]any
		words string
		want  []string // message_type of each event before [DONE]
		piece []string // the assistant_message contents
	}{
		{"by steps", map[string]any{"streaming": true}, "second message",
			[]string{"ping", "reasoning_message", "assistant_message", "stop_reason", "usage_statistics"}, []string{"You said: second message"}},
		{"by steps without pings", map[string]any{"streaming": true, "include_pings": false}, "quiet",
			[]string{"reasoning_message", "assistant_message", "stop_reason", "usage_statistics"}, []string{"You said: quiet"}},
		{"tokens", map[string]any{"streaming": true, "stream_tokens": true}, "tokens please",
			append(append([]string{"ping"}, repeat("reasoning_message", 10)...), "assistant_message", "assistant_message", "assistant_message", "assistant_message", "stop_reason", "usage_statistics"),
			[]string{"You ", "said: ", "tokens ", "please"}},
		{"only assistant messages", map[string]any{"streaming": true, "include_return_message_types": []string{"assistant_message"}}, "filter",
			[]string{"ping", "assistant_message", "stop_reason", "usage_statistics"}, []string{"You said: filter"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, srv, "POST", path, userSays(tc.words, tc.extra), currentUA)
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			assert.Equal(t, "text/event-stream; charset=utf-8", r.header.Get("Content-Type"))
			events := sse(t, r.body)
			require.Equal(t, "[DONE]", events[len(events)-1])
			var got, pieces []string
			var ids []any
			for _, e := range events[:len(events)-1] {
				m := decode(t, e)
				got = append(got, m["message_type"].(string))
				if m["message_type"] == "assistant_message" {
					pieces = append(pieces, m["content"].(string))
					ids = append(ids, m["id"], m["otid"])
				}
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.piece, pieces)
			for i := 2; i < len(ids); i++ {
				assert.Equal(t, ids[i%2], ids[i], "every piece of a message shares its id and otid")
			}
			assert.Equal(t, `{"message_type":"stop_reason","stop_reason":"end_turn"}`, events[len(events)-3])
			usage := decode(t, events[len(events)-2])
			if tc.extra["stream_tokens"] == true {
				assert.Nil(t, usage["reasoning_tokens"], "the token stream's usage has nulls")
			} else {
				assert.EqualValues(t, 0, usage["reasoning_tokens"])
			}
		})
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestStreamRememberTokens(t *testing.T) {
	srv := newServer(t)
	id := chatAgent(t, srv)
	r := call(t, srv, "POST", "/v1/agents/"+id+"/messages", userSays("remember that I live in Lisbon", map[string]any{"streaming": true, "stream_tokens": true}), currentUA)
	events := sse(t, r.body)
	var args strings.Builder
	var calls []string
	var ret map[string]any
	for _, e := range events {
		switch {
		case strings.Contains(e, `"message_type":"tool_call_message"`):
			calls = append(calls, e)
			m := decode(t, e)
			tc := m["tool_call"].(map[string]any)
			assert.Equal(t, tc, m["tool_calls"], "tool_calls is the same delta object, not a list")
			if a, has := tc["arguments"].(string); has {
				args.WriteString(a)
			}
		case strings.Contains(e, `"message_type":"tool_return_message"`):
			ret = decode(t, e)
		}
	}
	require.NotEmpty(t, calls)
	assert.Contains(t, calls[0], `"tool_call":{"name":"memory_insert","tool_call_id":"call_`, "first piece: name and id, no arguments key")
	assert.NotContains(t, decode(t, calls[1])["tool_call"], "name", "later pieces: arguments and id, no name key")
	assert.Equal(t, `{"insert_line":-1,"label":"human","new_string":"I live in Lisbon"}`, args.String(), "the model's own text, in pieces")
	require.NotNil(t, ret)
	assert.Equal(t, "The human is a tester.\nI live in Lisbon", ret["tool_return"])
}

func TestListMessages(t *testing.T) {
	srv := newServer(t)
	id := chatAgent(t, srv)
	path := "/v1/agents/" + id + "/messages"
	for _, w := range []string{"one", "two", "three"} {
		mustOK(t, call(t, srv, "POST", path, userSays(w), currentUA))
	}
	// Stored rows: system, then user + answer per turn (7); LettaMessages:
	// the answers expand to reasoning + assistant (10).
	all := call(t, srv, "GET", path, nil, currentUA).list(t)
	require.Equal(t, []string{"system_message", "user_message", "reasoning_message", "assistant_message",
		"user_message", "reasoning_message", "assistant_message", "user_message", "reasoning_message", "assistant_message"}, types(all))
	userID := all[1].(map[string]any)["id"].(string)

	for _, tc := range []struct {
		name  string
		query string
		want  []string
	}{
		{"limit counts stored rows, desc picks the newest, listed oldest first", "?limit=3",
			[]string{"reasoning_message", "assistant_message", "user_message", "reasoning_message", "assistant_message"}},
		{"asc picks the oldest", "?order=asc&limit=3", []string{"system_message", "user_message", "reasoning_message", "assistant_message"}},
		{"after a cursor", "?order=asc&limit=2&after=" + userID, []string{"reasoning_message", "assistant_message", "user_message"}},
		{"before a cursor", "?order=asc&before=" + userID, []string{"system_message"}},
		{"by type", "?include_return_message_types=assistant_message&include_return_message_types=user_message&limit=4",
			[]string{"user_message", "assistant_message", "user_message", "assistant_message"}},
		{"limit 0", "?limit=0", []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, srv, "GET", path+tc.query, nil, currentUA)
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			assert.Equal(t, tc.want, types(r.list(t)))
		})
	}

	r := call(t, srv, "GET", "/v1/agents/agent-00000000-0000-4000-8000-00000000abcd/messages", nil, currentUA)
	assert.Equal(t, 404, r.status)
	assert.Equal(t, "Agent not found", r.detail(t))
	for _, cursor := range []string{"after", "before"} {
		unknown := "message-00000000-0000-4000-8000-00000000abcd"
		r = call(t, srv, "GET", path+"?"+cursor+"="+unknown, nil, currentUA)
		assert.Equal(t, 404, r.status, cursor)
		assert.Equal(t, "No message found with id '"+unknown+"' for agent '"+id+"'.", r.detail(t), cursor)
	}
	r = call(t, srv, "GET", path+"?include_return_message_types=robot_message", nil, currentUA)
	assert.Equal(t, 422, r.status)
}

func TestListMessagesContentParts(t *testing.T) {
	srv := newServer(t)
	id := chatAgent(t, srv)
	path := "/v1/agents/" + id + "/messages"
	resp := mustOK(t, call(t, srv, "POST", path, `{"messages":[{"role":"user","content":[{"type":"text","text":"parts one"},{"type":"text","text":"parts two"}],"otid":"my-otid"}]}`, currentUA))
	assert.Equal(t, "You said: parts one\nparts two", resp["messages"].([]any)[1].(map[string]any)["content"])
	user := call(t, srv, "GET", path+"?include_return_message_types=user_message", nil, currentUA).list(t)[0].(map[string]any)
	assert.Equal(t, []any{
		map[string]any{"type": "text", "text": "parts one", "signature": nil},
		map[string]any{"type": "text", "text": "parts two", "signature": nil},
	}, user["content"])
	assert.Equal(t, "my-otid", user["otid"], "a user message keeps the client's otid")
}

func TestResetMessages(t *testing.T) {
	srv := newServer(t)
	id := chatAgent(t, srv)
	path := "/v1/agents/" + id
	created := mustOK(t, call(t, srv, "GET", path, nil, currentUA))
	require.Len(t, created["message_ids"], 1, "a new agent has its system message")
	mustOK(t, call(t, srv, "POST", path+"/messages", userSays("hi"), currentUA))
	require.Len(t, mustOK(t, call(t, srv, "GET", path, nil, currentUA))["message_ids"], 3)

	agent := mustOK(t, call(t, srv, "PATCH", path+"/reset-messages", `{"add_default_initial_messages":false}`, currentUA))
	assert.Equal(t, created["message_ids"], agent["message_ids"], "the context is the system message again")
	assert.NotEmpty(t, agent["blocks"], "the whole AgentState, whatever the headers")
	hist := call(t, srv, "GET", path+"/messages", nil, currentUA).list(t)
	assert.Len(t, hist, 4, "the history is kept")
	assert.Contains(t, hist[0].(map[string]any)["content"], "- 2 previous messages between you and the user are stored in recall memory")

	r := call(t, srv, "PATCH", path+"/reset-messages", nil, currentUA)
	assert.Equal(t, 422, r.status)
	assert.Contains(t, r.detail(t), "'type': 'missing', 'loc': ('body',)")
	r = call(t, srv, "PATCH", "/v1/agents/agent-00000000-0000-4000-8000-00000000abcd/reset-messages", `{}`, currentUA)
	assert.Equal(t, 404, r.status)
	assert.Contains(t, r.detail(t), "Agent not found with id=")
}

func TestCancelMessages(t *testing.T) {
	srv := newServer(t)
	id := chatAgent(t, srv)
	path := "/v1/agents/" + id + "/messages"
	for _, tc := range []struct {
		name, agent string
		body        any
	}{
		{"no body", id, nil},
		{"empty body", id, `{}`},
		{"unknown agent", "agent-00000000-0000-4000-8000-00000000abcd", `{}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, srv, "POST", "/v1/agents/"+tc.agent+"/messages/cancel", tc.body, currentUA)
			assert.Equal(t, http.StatusConflict, r.status)
			assert.Equal(t, "CONFLICT: No active runs to cancel for agent "+tc.agent, r.detail(t))
		})
	}

	// A slow streamed turn is running: cancel ends it.
	var wg sync.WaitGroup
	var streamed result
	wg.Add(1)
	go func() {
		defer wg.Done()
		streamed = call(t, srv, "POST", path, userSays("[slow] w0 w1 w2 w3 w4 w5 w6 w7 w8 w9", map[string]any{"streaming": true, "stream_tokens": true}), currentUA)
	}()
	var cancelled map[string]any
	require.Eventually(t, func() bool {
		r := call(t, srv, "POST", path+"/cancel", nil, currentUA)
		if r.status != http.StatusOK {
			return false
		}
		cancelled = r.obj(t)
		return true
	}, 10*time.Second, 20*time.Millisecond)
	wg.Wait()
	require.Len(t, cancelled, 1)
	for run, state := range cancelled {
		assert.Regexp(t, `^run-`, run)
		assert.Equal(t, "cancelled", state)
	}
	events := sse(t, streamed.body)
	assert.Equal(t, `{"message_type": "stop_reason", "stop_reason": "cancelled"}`, events[len(events)-1], "no [DONE] after a cancel")
	hist := call(t, srv, "GET", path, nil, currentUA).list(t)
	assert.Equal(t, []string{"system_message", "user_message"}, types(hist), "the answer of a cancelled turn is not stored")
	assert.Equal(t, http.StatusConflict, call(t, srv, "POST", path+"/cancel", nil, currentUA).status, "the run is over")
}

func TestSlowStreamCompletes(t *testing.T) {
	srv := newServer(t)
	id := chatAgent(t, srv)
	path := "/v1/agents/" + id + "/messages"
	r := call(t, srv, "POST", path, userSays("[slow] hi", map[string]any{"streaming": true}), currentUA)
	events := sse(t, r.body)
	assert.Equal(t, "[DONE]", events[len(events)-1])
	hist := call(t, srv, "GET", path, nil, currentUA).list(t)
	assert.Equal(t, []string{"system_message", "user_message", "reasoning_message", "assistant_message"}, types(hist))
}

func TestSendSystemMessage(t *testing.T) {
	srv := newServer(t)
	id := chatAgent(t, srv)
	path := "/v1/agents/" + id + "/messages"
	mustOK(t, call(t, srv, "POST", path, userSays("earlier words"), currentUA))
	resp := mustOK(t, call(t, srv, "POST", path, `{"messages":[{"role":"system","content":"be brief"}]}`, currentUA))
	assert.Equal(t, "You said: earlier words", resp["messages"].([]any)[1].(map[string]any)["content"],
		"without user words the model answers the last ones in its context")
	hist := call(t, srv, "GET", path+"?limit=2", nil, currentUA).list(t)
	sys := hist[0].(map[string]any)
	assert.Equal(t, "system_message", sys["message_type"])
	assert.Equal(t, "be brief", sys["content"])
	assert.Regexp(t, `^[0-9a-f]{8}-`, sys["otid"], "a sent system message has an otid")
}

func TestSendRememberToolErrors(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct {
		name   string
		blocks []map[string]any
		ret    string
		stderr string
	}{
		{"no human block", []map[string]any{{"label": "persona", "value": "A fake."}},
			"'Block field human does not exist (available sections = persona)'",
			"Error executing function memory_insert: KeyError: 'Block field human does not exist (available sections = persona)'"},
		{"read-only human block", []map[string]any{{"label": "human", "value": "Fixed.", "read_only": true}},
			"Error This block is read-only and cannot be edited.",
			"Error executing function memory_insert: ValueError: Error This block is read-only and cannot be edited."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := createAgent(t, srv, map[string]any{"model": "openai-proxy/letta-go-fake", "memory_blocks": tc.blocks})
			resp := mustOK(t, call(t, srv, "POST", "/v1/agents/"+a["id"].(string)+"/messages", userSays("remember that X"), currentUA))
			msgs := resp["messages"].([]any)
			require.Equal(t, []string{"reasoning_message", "tool_call_message", "tool_return_message", "reasoning_message", "assistant_message"}, types(msgs))
			ret := msgs[2].(map[string]any)
			assert.Equal(t, "error", ret["status"])
			assert.Equal(t, tc.ret, ret["tool_return"])
			assert.Equal(t, []any{tc.stderr}, ret["stderr"])
			assert.Equal(t, "I could not save that to memory.", msgs[4].(map[string]any)["content"])
		})
	}
}

func TestApprovals(t *testing.T) {
	srv := newServer(t)
	a := createAgent(t, srv, map[string]any{"model": "openai-proxy/letta-go-fake",
		"tool_rules":    []map[string]any{{"type": "requires_approval", "tool_name": "memory_insert"}},
		"memory_blocks": []map[string]any{{"label": "human", "value": "The human is a tester."}}})
	path := "/v1/agents/" + a["id"].(string) + "/messages"

	r := call(t, srv, "POST", path, `{"messages":[{"type":"approval","approvals":[{"type":"approval","tool_call_id":"call_x","approve":true}]}]}`, currentUA)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, "Cannot process approval response: No tool call is currently awaiting approval. Please send a regular message to interact with the agent.", r.detail(t))

	// The call waits for approval: the request's otid is its id, its
	// arguments the model's text.
	resp := mustOK(t, call(t, srv, "POST", path, userSays("remember that approvals work"), currentUA))
	msgs := resp["messages"].([]any)
	require.Equal(t, []string{"reasoning_message", "approval_request_message"}, types(msgs))
	req := msgs[1].(map[string]any)
	assert.Equal(t, req["id"], req["otid"])
	assert.Equal(t, `{"insert_line":-1,"label":"human","new_string":"approvals work"}`, req["tool_call"].(map[string]any)["arguments"])
	assert.Equal(t, "requires_approval", resp["stop_reason"].(map[string]any)["stop_reason"])

	// Approved (deprecated form): the tool runs in the requesting step.
	resp = mustOK(t, call(t, srv, "POST", path, `{"messages":[{"type":"approval","approve":true,"approval_request_id":"`+req["id"].(string)+`"}]}`, currentUA))
	msgs = resp["messages"].([]any)
	require.Equal(t, []string{"tool_return_message", "reasoning_message", "assistant_message"}, types(msgs))
	assert.Equal(t, "The human is a tester.\napprovals work", msgs[0].(map[string]any)["tool_return"])
	assert.Equal(t, req["step_id"], msgs[0].(map[string]any)["step_id"])
	assert.Equal(t, "I will remember that approvals work.", msgs[2].(map[string]any)["content"])

	// Streamed with tokens: approval pieces carry explicit nulls.
	r = call(t, srv, "POST", path, userSays("remember that denials work", map[string]any{"streaming": true, "stream_tokens": true}), currentUA)
	events := sse(t, r.body)
	var pieces []map[string]any
	for _, e := range events {
		if strings.Contains(e, `"message_type":"approval_request_message"`) {
			pieces = append(pieces, decode(t, e)["tool_call"].(map[string]any))
		}
	}
	require.Greater(t, len(pieces), 1)
	assert.Equal(t, map[string]any{"name": "memory_insert", "arguments": nil, "tool_call_id": pieces[0]["tool_call_id"]}, pieces[0])
	assert.Nil(t, pieces[1]["name"])
	assert.Contains(t, events[len(events)-3], `"stop_reason":"requires_approval"`)

	// Denied (list form) with a reason.
	body := `{"messages":[{"type":"approval","approvals":[{"type":"approval","tool_call_id":"` + pieces[0]["tool_call_id"].(string) + `","approve":false,"reason":"not now"}]}]}`
	resp = mustOK(t, call(t, srv, "POST", path, body, currentUA))
	msgs = resp["messages"].([]any)
	require.Equal(t, []string{"tool_return_message", "reasoning_message", "assistant_message"}, types(msgs))
	denied := msgs[0].(map[string]any)
	assert.Equal(t, "Error: request to call tool denied. User reason: not now", denied["tool_return"])
	assert.Equal(t, "error", denied["status"])
	assert.Nil(t, denied["name"])
	assert.Equal(t, "I could not save that to memory.", msgs[2].(map[string]any)["content"])

	hist := call(t, srv, "GET", path+"?include_return_message_types=approval_response_message", nil, currentUA).list(t)
	require.Len(t, hist, 2)
	first := hist[0].(map[string]any)
	assert.Equal(t, req["id"], first["approval_request_id"])
	assert.Equal(t, []any{map[string]any{"type": "approval", "tool_call_id": req["id"], "approve": true, "reason": nil}}, first["approvals"],
		"the deprecated form is stored with the request's message id as tool_call_id")
	assert.Equal(t, "not now", hist[1].(map[string]any)["reason"])
}

// "[fail]" in the user's words fails the built-in model as the real server
// reports a failing provider: a plain send is a 400 with {"error": ...}; a
// stream is a 200 ending on llm_api_error and an error event; nothing of
// the turn is stored.
func TestSendModelFailure(t *testing.T) {
	srv := newServer(t)
	id := chatAgent(t, srv)
	before := call(t, srv, "GET", "/v1/agents/"+id+"/messages", nil, currentUA)
	require.Equal(t, http.StatusOK, before.status)

	r := call(t, srv, "POST", "/v1/agents/"+id+"/messages", userSays("fail please [fail]"), currentUA)
	require.Equal(t, http.StatusBadRequest, r.status, "%s", r.body)
	e := r.obj(t)["error"].(map[string]any)
	assert.Equal(t, "llm_bad_request", e["type"])
	assert.Equal(t, "The request to the LLM model provider was invalid.", e["message"])
	assert.Contains(t, e["detail"], "Error code: 400")
	agent := call(t, srv, "GET", "/v1/agents/"+id, nil, currentUA).obj(t)
	assert.Nil(t, agent["last_stop_reason"], "a plain send's failure leaves last_stop_reason")

	r = call(t, srv, "POST", "/v1/agents/"+id+"/messages", userSays("fail please [fail]", map[string]any{"streaming": true}), currentUA)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	frames := strings.Split(strings.TrimSuffix(string(r.body), "\n\n"), "\n\n")
	require.Len(t, frames, 4, "%s", r.body)
	assert.Equal(t, "ping", decode(t, strings.TrimPrefix(frames[0], "data: "))["message_type"])
	assert.Equal(t, `data: {"message_type":"stop_reason","stop_reason":"llm_api_error"}`, frames[1])
	data, isErr := strings.CutPrefix(frames[2], "event: error\ndata: ")
	require.True(t, isErr, frames[2])
	ev := decode(t, data)
	assert.Equal(t, "error_message", ev["message_type"])
	assert.Equal(t, "llm_error", ev["error_type"])
	assert.Regexp(t, `^run-`, ev["run_id"])
	assert.Equal(t, "data: [DONE]", frames[3])
	agent = call(t, srv, "GET", "/v1/agents/"+id, nil, currentUA).obj(t)
	assert.Equal(t, "llm_api_error", agent["last_stop_reason"])

	after := call(t, srv, "GET", "/v1/agents/"+id+"/messages", nil, currentUA)
	assert.JSONEq(t, string(before.body), string(after.body), "nothing of a failed turn is stored")
}
