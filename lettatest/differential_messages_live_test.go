//go:build letta_live

package lettatest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestDifferentialMessages is TestDifferential for the messages routes:
// send (plain, streamed by steps and by tokens, with and without pings),
// "remember that" turns, history with its filters, reset and cancel. The
// real server must run its agent loop on lettatest/openaifake, whose
// answers lettatest's built-in model reproduces:
//
//	LETTA_SERVER_OPENAI_FAKE=1 scripts/letta-server start
//	LETTA_BASE_URL=http://127.0.0.1:PORT go test -tags letta_live -run TestDifferentialMessages -count=1 ./lettatest/
//
// Streams are compared event by event (see step.stream).
func TestDifferentialMessages(t *testing.T) {
	base := strings.TrimRight(os.Getenv("LETTA_BASE_URL"), "/")
	if base == "" {
		t.Fatal("TestDifferentialMessages needs the real Letta server on the fake model: set LETTA_BASE_URL (LETTA_SERVER_OPENAI_FAKE=1 scripts/letta-server start)")
	}
	runDifferential(t, base, messagesScenario())
}

// messageAllow are the differences between lettatest and the real server
// that every messages step accepts.
var messageAllow = []allowRule{
	rule(`\.(prompt_tokens|total_tokens|context_tokens)$`, "the fake model counts the prompt the real server sends (its long system prompt and tool schemas); lettatest counts its own shorter prompt (completion_tokens and step_count are compared)"),
}

// fakeProvider allows, on AgentStates, the configuration the real server
// reads from its openai-proxy provider (the fake model that
// scripts/letta-server registers: context window, max tokens, endpoint),
// which lettatest, knowing no providers, builds generically.
var fakeProvider = append([]allowRule{
	rule(`^\.llm_config\.(context_window|display_name|enable_reasoner|max_tokens|model_endpoint|provider_name)$`, "the real server's openai-proxy provider is the fake model scripts/letta-server registers; lettatest builds a generic config for unknown providers"),
	rule(`^\.(max_files_open|per_file_view_window_char_limit)$`, "follows from the provider's context window (see llm_config)"),
	rule(`^\.model_settings\.max_output_tokens$`, "follows from the provider's max tokens (see llm_config)"),
	rule(`^\.compaction_settings\.model$`, "the summariser follows the provider's type (see llm_config)"),
}, messageAllow...)

// defaultToolRules allows, on an agent created with tool_rules, the
// continue_loop rules the server adds for its base tools (and
// prompt_template: null), which lettatest's create does not model.
var defaultToolRules = rule(`^\.tool_rules(\.length|\[\]\.prompt_template)$`, "the server adds continue_loop rules for the base tools when tool_rules are sent (and prompt_template: null); lettatest's agent create does not")

const fakeModel = `"model": "openai-proxy/letta-go-fake", "embedding": "letta/letta-free"`

func messagesScenario() []step {
	agent := "/v1/agents/{{m1}}"
	msgs := agent + "/messages"
	send := func(name, body string, stream bool) step {
		return step{name: name, method: "POST", path: msgs, body: body, stream: stream, allow: messageAllow}
	}
	list := func(name, query string) step {
		return step{name: name, method: "GET", path: msgs + query, allow: messageAllow}
	}
	return []step{
		{name: "create agent on the fake model", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-m1", ` + fakeModel + `, "tags": ["{{run}}"],
				"memory_blocks": [{"label": "human", "value": "The human is a tester."}, {"label": "persona", "value": "I am a helpful fake."}]}`,
			save: map[string]string{"m1": "id"}, allow: fakeProvider},
		list("history of a new agent", ""),

		send("send", `{"messages": [{"role": "user", "content": "hello there"}]}`, false),
		send("stream by steps", `{"messages": [{"role": "user", "content": "second message"}], "streaming": true}`, true),
		send("stream tokens", `{"messages": [{"role": "user", "content": "tokens please"}], "streaming": true, "stream_tokens": true}`, true),
		send("stream tokens without pings", `{"messages": [{"role": "user", "content": "no pings"}], "streaming": true, "stream_tokens": true, "include_pings": false}`, true),
		send("send content parts", `{"messages": [{"role": "user", "content": [{"type": "text", "text": "parts one"}, {"type": "text", "text": "parts two"}]}]}`, false),
		send("send with an otid", `{"messages": [{"role": "user", "content": "with otid", "otid": "{{uuid}}"}]}`, false),
		send("send, only assistant messages returned", `{"messages": [{"role": "user", "content": "filtered"}], "include_return_message_types": ["assistant_message"]}`, false),
		send("remember, plain", `{"messages": [{"role": "user", "content": "Please remember that my favourite colour is green."}]}`, false),
		send("remember, stream tokens", `{"messages": [{"role": "user", "content": "remember that I live in Lisbon"}], "streaming": true, "stream_tokens": true}`, true),
		send("remember, stream by steps", `{"messages": [{"role": "user", "content": "remember that I have a cat"}], "streaming": true}`, true),
		send("stream, only assistant messages", `{"messages": [{"role": "user", "content": "stream filtered"}], "streaming": true, "include_return_message_types": ["assistant_message"]}`, true),
		send("two user messages in one send", `{"messages": [{"role": "user", "content": "first"}, {"role": "user", "content": "second"}]}`, false),
		send("send with input", `{"input": "by input"}`, false),
		send("send a system message", `{"messages": [{"role": "system", "content": "be brief"}]}`, false),
		send("remember with max_steps 1", `{"messages": [{"role": "user", "content": "remember that I stop early"}], "max_steps": 1}`, false),
		send("the model fails, plain", `{"messages": [{"role": "user", "content": "fail please [fail]"}]}`, false),
		{name: "agent after a failed send", method: "GET", path: agent, allow: fakeProvider},
		send("the model fails, streamed", `{"messages": [{"role": "user", "content": "fail please [fail]"}], "streaming": true, "stream_tokens": true}`, true),
		send("the model fails, streamed without pings", `{"messages": [{"role": "user", "content": "fail again [fail]"}], "streaming": true, "include_pings": false}`, true),
		list("history after the failures", "?limit=4"),
		{name: "agent after the turns", method: "GET", path: agent, allow: fakeProvider},
		{name: "create agent without tools", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-m2", ` + fakeModel + `, "tags": ["{{run}}"], "include_base_tools": false,
				"memory_blocks": [{"label": "human", "value": "Nothing yet."}]}`,
			save: map[string]string{"m2": "id"}, allow: fakeProvider},
		{name: "remember without a memory tool", method: "POST", path: "/v1/agents/{{m2}}/messages", allow: messageAllow,
			body: `{"messages": [{"role": "user", "content": "remember that I have no tools"}]}`},
		{name: "delete the agent without tools", method: "DELETE", path: "/v1/agents/{{m2}}"},
		{name: "create agent without a human block", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-m3", ` + fakeModel + `, "tags": ["{{run}}"], "memory_blocks": [{"label": "persona", "value": "A fake."}]}`,
			save: map[string]string{"m3": "id"}, allow: fakeProvider},
		{name: "remember without a human block", method: "POST", path: "/v1/agents/{{m3}}/messages", allow: messageAllow,
			body: `{"messages": [{"role": "user", "content": "remember that there is no block"}]}`},
		{name: "delete the agent without a human block", method: "DELETE", path: "/v1/agents/{{m3}}"},
		{name: "create agent with a read-only human block", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-m4", ` + fakeModel + `, "tags": ["{{run}}"], "memory_blocks": [{"label": "human", "value": "Fixed.", "read_only": true}]}`,
			save: map[string]string{"m4": "id"}, allow: fakeProvider},
		{name: "remember into a read-only block", method: "POST", path: "/v1/agents/{{m4}}/messages", allow: messageAllow,
			body: `{"messages": [{"role": "user", "content": "remember that it is read-only"}]}`},
		{name: "history with a read-only block", method: "GET", path: "/v1/agents/{{m4}}/messages?order=asc&limit=1", allow: messageAllow},
		{name: "delete the agent with a read-only block", method: "DELETE", path: "/v1/agents/{{m4}}"},

		// Approvals: memory_insert requires approval.
		{name: "create agent whose memory tool needs approval", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-m5", ` + fakeModel + `, "tags": ["{{run}}"], "tool_rules": [{"type": "requires_approval", "tool_name": "memory_insert"}],
				"memory_blocks": [{"label": "human", "value": "The human is a tester."}]}`,
			save: map[string]string{"m5": "id"}, allow: append([]allowRule{defaultToolRules}, fakeProvider...)},
		{name: "approval with nothing pending", method: "POST", path: "/v1/agents/{{m5}}/messages", allow: messageAllow,
			body: `{"messages": [{"type": "approval", "approvals": [{"type": "approval", "tool_call_id": "call_000000000000000000000000", "approve": true}]}]}`},
		{name: "remember stops for approval", method: "POST", path: "/v1/agents/{{m5}}/messages", allow: messageAllow,
			body: `{"messages": [{"role": "user", "content": "remember that approvals work"}]}`, save: map[string]string{"req1": "messages.1.id"}},
		{name: "approve, deprecated form", method: "POST", path: "/v1/agents/{{m5}}/messages", allow: messageAllow,
			body: `{"messages": [{"type": "approval", "approve": true, "approval_request_id": "{{req1}}"}]}`},
		{name: "remember stops for approval, streamed tokens", method: "POST", path: "/v1/agents/{{m5}}/messages", allow: messageAllow, stream: true,
			body: `{"messages": [{"role": "user", "content": "remember that denials work"}], "streaming": true, "stream_tokens": true}`},
		{name: "the pending request in the history", method: "GET", path: "/v1/agents/{{m5}}/messages?limit=1", allow: messageAllow,
			save: map[string]string{"call2": "1.tool_call.tool_call_id"}},
		{name: "deny, list form, streamed", method: "POST", path: "/v1/agents/{{m5}}/messages", allow: messageAllow, stream: true,
			body: `{"messages": [{"type": "approval", "approvals": [{"type": "approval", "tool_call_id": "{{call2}}", "approve": false, "reason": "not now"}]}], "streaming": true}`},
		// Without the system message: its <tool_usage_rules> lists the
		// default rules lettatest's create does not add (see above).
		{name: "history of the approval agent", method: "GET", allow: messageAllow,
			path: "/v1/agents/{{m5}}/messages?order=asc" + typeFilter("user_message", "reasoning_message", "assistant_message",
				"tool_call_message", "tool_return_message", "approval_request_message", "approval_response_message")},
		{name: "delete the approval agent", method: "DELETE", path: "/v1/agents/{{m5}}"},

		list("history", ""),
		list("history asc limit 3", "?order=asc&limit=3"),
		{name: "history asc limit 2 (save a cursor)", method: "GET", path: msgs + "?order=asc&limit=2",
			save: map[string]string{"c1": "1.id"}, allow: messageAllow},
		list("history asc after a cursor", "?order=asc&limit=3&after={{c1}}"),
		list("history desc after a cursor", "?limit=3&after={{c1}}"),
		list("history asc before a cursor", "?order=asc&before={{c1}}"),
		list("history filtered by type", "?include_return_message_types=assistant_message&include_return_message_types=user_message&limit=4"),
		list("history use_assistant_message=false", "?use_assistant_message=false&limit=4"),
		list("history limit 0", "?limit=0"),
		list("history after an unknown id", "?after=message-{{uuid}}"),
		list("history desc before a cursor", "?limit=2&before={{c1}}"),
		list("history limit 1", "?limit=1"),
		list("history, bad type filter", "?include_return_message_types=robot_message"),

		{name: "cancel with no run", method: "POST", path: msgs + "/cancel"},
		{name: "cancel with no run, body {}", method: "POST", path: msgs + "/cancel", body: `{}`},
		{name: "cancel on an unknown agent", method: "POST", path: "/v1/agents/agent-{{uuid}}/messages/cancel", body: `{}`},

		{name: "reset", method: "PATCH", path: agent + "/reset-messages", body: `{"add_default_initial_messages": false}`, allow: fakeProvider},
		list("history after reset", "?limit=3"),
		list("system message after reset", "?order=asc&limit=1"),
		send("send after reset", `{"messages": [{"role": "user", "content": "after reset"}]}`, false),
		{name: "reset without a body", method: "PATCH", path: agent + "/reset-messages"},
		{name: "reset an unknown agent", method: "PATCH", path: "/v1/agents/agent-{{uuid}}/reset-messages", body: `{"add_default_initial_messages": false}`},

		{name: "send to an unknown agent", method: "POST", path: "/v1/agents/agent-{{uuid}}/messages", body: `{"messages": [{"role": "user", "content": "hi"}]}`},
		{name: "stream to an unknown agent", method: "POST", path: "/v1/agents/agent-{{uuid}}/messages", body: `{"messages": [{"role": "user", "content": "hi"}], "streaming": true}`, stream: true},
		{name: "history of an unknown agent", method: "GET", path: "/v1/agents/agent-{{uuid}}/messages"},
		send("send empty messages", `{"messages": []}`, false),
		send("stream_tokens without streaming", `{"messages": [{"role": "user", "content": "hi"}], "stream_tokens": true}`, false),
		send("send with a bad role", `{"messages": [{"role": "robot", "content": "hi"}]}`, false),
		{name: "stream as a pre-1.0 client", method: "POST", path: msgs, legacy: true, stream: true,
			body: `{"messages": [{"role": "user", "content": "hi"}], "streaming": true}`},

		{name: "delete the agent", method: "DELETE", path: agent},
	}
}

// typeFilter is include_return_message_types as repeated query keys.
func typeFilter(names ...string) string {
	var b strings.Builder
	for _, n := range names {
		b.WriteString("&include_return_message_types=" + n)
	}
	return b.String()
}

// sseEvents reads a server-sent events body as the list of its events'
// data: decoded JSON, or the text for data that is not JSON ("[DONE]").
// Framing other than "data: <one line>\n\n" is kept as a "<bad frame>"
// entry, so that it shows as a difference.
func sseEvents(raw []byte) []any {
	out := []any{}
	text := string(raw)
	for text != "" {
		frame, rest, found := strings.Cut(text, "\n\n")
		if !found {
			out = append(out, fmt.Sprintf("<unterminated frame %q>", frame))
			break
		}
		text = rest
		data, isData := strings.CutPrefix(frame, "data: ")
		if !isData || strings.ContainsAny(data, "\r\n") {
			out = append(out, fmt.Sprintf("<bad frame %q>", frame))
			continue
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader([]byte(data)))
		dec.UseNumber()
		if dec.Decode(&v) != nil {
			out = append(out, data)
			continue
		}
		out = append(out, v)
	}
	return out
}

// normaliseMessages rewrites what two servers cannot share in every
// LettaMessage of v: dates to their shape (which messages share a whole
// second depends on timing), otids to how they relate to the message id
// (derived by part index, equal, or a uuid of their own), and a system
// message's text to its compiled part (the base prompt is the server's, the
// compile time is the clock's).
func normaliseMessages(v any) any {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			normaliseMessages(e)
		}
	case map[string]any:
		for _, e := range x {
			normaliseMessages(e)
		}
		if _, isMsg := x["message_type"]; !isMsg {
			return v
		}
		if d, isStr := x["date"].(string); isStr {
			m := tsRe.FindStringSubmatch(d)
			if m != nil {
				x["date"] = fmt.Sprintf("<date frac=%q tz=%s>", m[1], m[2])
			}
		}
		id, _ := x["id"].(string)
		if o, isStr := x["otid"].(string); isStr {
			x["otid"] = otidRelation(id, o)
		}
		if x["message_type"] == "system_message" {
			if c, isStr := x["content"].(string); isStr {
				x["content"] = compiledPart(c)
			}
		}
	}
	return v
}

// otidRelation says how an otid relates to its message's id.
func otidRelation(id, otid string) string {
	if otid == id {
		return "<otid = id>"
	}
	u := strings.TrimPrefix(id, "message-")
	if len(u) == 36 && len(otid) == 36 && otid[:34] == u[:34] {
		var a, b int
		if _, err := fmt.Sscanf(u[34:]+" "+otid[34:], "%x %x", &a, &b); err == nil && b&0x80 == a&0x80 {
			return fmt.Sprintf("<otid of id, part %d>", b&0x7f)
		}
	}
	if uuid4Re.MatchString(otid) {
		return "<otid uuid4>"
	}
	return otid
}

var uuid4Re = regexp.MustCompile(`^` + uuid4Pattern + `$`)

// compiledPart keeps the part of a compiled system prompt after the base
// instructions, with the compile time replaced and the memory blocks in
// label order (the server loads an agent's blocks without an ORDER BY).
func compiledPart(prompt string) string {
	i := strings.Index(prompt, "\n\n<memory_blocks>")
	if i < 0 {
		return prompt
	}
	out := "<base prompt>" + prompt[i:]
	const head = "core memory unit:\n\n"
	if h := strings.Index(out, head); h >= 0 {
		if e := strings.Index(out, "\n</memory_blocks>"); e > h {
			sections := strings.Split(strings.TrimSuffix(out[h+len(head):e], "\n"), "\n\n<")
			for k := 1; k < len(sections); k++ {
				sections[k] = "<" + sections[k]
			}
			sort.Strings(sections)
			out = out[:h+len(head)] + strings.Join(sections, "\n\n") + "\n" + out[e:]
		}
	}
	if j := strings.Index(out, "- System prompt last recompiled: "); j >= 0 {
		k := strings.Index(out[j:], "\n")
		if k > 0 {
			out = out[:j] + "- System prompt last recompiled: <time>" + out[j+k:]
		}
	}
	return out
}
