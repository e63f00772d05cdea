//go:build letta_live

package openaifake_test

// The live test of the fake: a real Letta server whose OPENAI_BASE_URL
// points at cmd/openaifake runs its real agent loop on the fake model.
//
//	LETTA_SERVER_OPENAI_FAKE=1 scripts/letta-server start   # prints LETTA_BASE_URL=...
//	LETTA_BASE_URL=... go test -tags letta_live -run '^TestLive' -count=1 -v ./lettatest/openaifake/
//
// It speaks plain net/http (the SDK's messages methods are tested on their
// own), with the headers the SDK sends: the server refuses streaming=true
// to a User-Agent with a "/" unless X-Stainless-Package-Version is set.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta/lettatest/openaifake"
)

// liveModel is the handle a Letta server gives the fake's DefaultModel when
// OPENAI_BASE_URL is not api.openai.com (LETTA_FAKE_MODEL overrides it).
func liveModel() string {
	if m := os.Getenv("LETTA_FAKE_MODEL"); m != "" {
		return m
	}
	return "openai-proxy/" + openaifake.DefaultModel
}

type live struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func newLive(t *testing.T) *live {
	t.Helper()
	base := strings.TrimRight(os.Getenv("LETTA_BASE_URL"), "/")
	if base == "" {
		t.Fatal("this live test needs a real Letta server using the fake: run " +
			"LETTA_SERVER_OPENAI_FAKE=1 scripts/letta-server start and set LETTA_BASE_URL to the URL it prints")
	}
	// A turn can take a minute on a loaded machine (the server's provider
	// trace write sometimes waits that long).
	return &live{t: t, base: base, hc: &http.Client{Timeout: 5 * time.Minute}}
}

// do sends a request with the SDK's headers and returns status and body.
func (l *live) do(ctx context.Context, method, path string, body any) (int, []byte) {
	l.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(l.t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, l.base+path, rd)
	require.NoError(l.t, err)
	req.Header.Set("User-Agent", "letta-go/0.1.0")
	req.Header.Set("X-Stainless-Package-Version", "0.1.0")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := l.hc.Do(req)
	require.NoError(l.t, err, "%s %s", method, path)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(l.t, err)
	return resp.StatusCode, b
}

func (l *live) json(method, path string, body any, want int, into any) {
	l.t.Helper()
	status, b := l.do(context.Background(), method, path, body)
	require.Equal(l.t, want, status, "%s %s: %s", method, path, b)
	if into != nil {
		require.NoError(l.t, json.Unmarshal(b, into), "%s", b)
	}
}

// message is the part of a Letta message the test reads.
type message struct {
	ID          string `json:"id"`
	MessageType string `json:"message_type"`
	Otid        string `json:"otid"`
	RunID       string `json:"run_id"`
	Content     any    `json:"content"`
	Reasoning   string `json:"reasoning"`
	ToolCall    *struct {
		Name       string `json:"name"`
		Arguments  string `json:"arguments"`
		ToolCallID string `json:"tool_call_id"`
	} `json:"tool_call"`
	ToolReturn string `json:"tool_return"`
	Status     string `json:"status"`
	StopReason string `json:"stop_reason"`
	StepCount  int    `json:"step_count"`
}

type response struct {
	Messages   []message `json:"messages"`
	StopReason message   `json:"stop_reason"`
	Usage      message   `json:"usage"`
}

func ofType(ms []message, typ string) []message {
	var out []message
	for _, m := range ms {
		if m.MessageType == typ {
			out = append(out, m)
		}
	}
	return out
}

func text(m message) string {
	if s, ok := m.Content.(string); ok {
		return s
	}
	return fmt.Sprint(m.Content)
}

// stream sends a streaming request and returns its events in order and
// whether it ended with "data: [DONE]".
func (l *live) stream(ctx context.Context, path string, body map[string]any) (events []message, done bool) {
	l.t.Helper()
	status, b := l.do(ctx, http.MethodPost, path, body)
	require.Equal(l.t, http.StatusOK, status, "%s", b)
	raw := string(b)
	for _, block := range strings.Split(strings.TrimSuffix(raw, "\n\n"), "\n\n") {
		require.True(l.t, strings.HasPrefix(block, "data: "), "event %q", block)
		data := strings.TrimPrefix(block, "data: ")
		if data == "[DONE]" {
			done = true
			continue
		}
		require.False(l.t, done, "nothing after [DONE]")
		var m message
		require.NoError(l.t, json.Unmarshal([]byte(data), &m), data)
		events = append(events, m)
	}
	return events, done
}

func withoutPings(ms []message) []message {
	var out []message
	for _, m := range ms {
		if m.MessageType != "ping" {
			out = append(out, m)
		}
	}
	return out
}

func types(ms []message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.MessageType
	}
	return out
}

func TestLiveConversationThroughTheFake(t *testing.T) {
	l := newLive(t)

	var models []struct {
		Handle        string `json:"handle"`
		ModelEndpoint string `json:"model_endpoint"`
	}
	l.json(http.MethodGet, "/v1/models/", nil, http.StatusOK, &models)
	var found bool
	for _, m := range models {
		found = found || m.Handle == liveModel()
	}
	require.True(t, found, "the server lists %s: was it started with LETTA_SERVER_OPENAI_FAKE=1? models: %+v", liveModel(), models)

	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	var agent struct {
		ID        string `json:"id"`
		AgentType string `json:"agent_type"`
		Tools     []struct {
			Name string `json:"name"`
		} `json:"tools"`
	}
	l.json(http.MethodPost, "/v1/agents/", map[string]any{
		"name":      "openaifake-live-" + hex.EncodeToString(suffix[:]),
		"model":     liveModel(),
		"embedding": "letta/letta-free",
		"memory_blocks": []map[string]any{
			{"label": "human", "value": "The human is a tester."},
			{"label": "persona", "value": "I am a helpful fake."},
		},
	}, http.StatusOK, &agent)
	t.Cleanup(func() { l.do(context.Background(), http.MethodDelete, "/v1/agents/"+agent.ID, nil) })
	assert.Equal(t, "letta_v1_agent", agent.AgentType, "the default agent type of letta 0.16")
	p := "/v1/agents/" + url.PathEscape(agent.ID)
	send := func(words string) map[string]any {
		return map[string]any{"messages": []map[string]any{{"role": "user", "content": words}}}
	}

	t.Run("send", func(t *testing.T) {
		var r response
		l.json(http.MethodPost, p+"/messages", send("hello there"), http.StatusOK, &r)
		require.Equal(t, []string{"reasoning_message", "assistant_message"}, types(r.Messages))
		assert.Equal(t, "You said: hello there", text(r.Messages[1]))
		assert.Contains(t, r.Messages[0].Reasoning, `"hello there"`)
		assert.Equal(t, "stop_reason", r.StopReason.MessageType)
		assert.Equal(t, "end_turn", r.StopReason.StopReason)
		assert.Equal(t, "usage_statistics", r.Usage.MessageType)
		assert.Equal(t, 1, r.Usage.StepCount)
	})

	t.Run("stream steps", func(t *testing.T) {
		body := send("second message")
		body["streaming"] = true
		events, done := l.stream(context.Background(), p+"/messages", body)
		assert.True(t, done, "the stream ends with data: [DONE]")
		ms := withoutPings(events)
		require.Equal(t, []string{"reasoning_message", "assistant_message", "stop_reason", "usage_statistics"}, types(ms))
		assert.Equal(t, "You said: second message", text(ms[1]))
		assert.Equal(t, "end_turn", ms[2].StopReason)
		for _, e := range events {
			if e.MessageType == "ping" {
				assert.True(t, strings.HasPrefix(e.ID, "ping-"), e.ID)
				assert.Equal(t, ms[0].RunID, e.RunID, "pings carry the run id")
			}
		}
	})

	t.Run("stream tokens with pings", func(t *testing.T) {
		body := send("tokens please")
		body["streaming"] = true
		body["stream_tokens"] = true
		body["include_pings"] = true
		events, done := l.stream(context.Background(), p+"/messages", body)
		assert.True(t, done)
		assistant := ofType(events, "assistant_message")
		require.Greater(t, len(assistant), 1, "tokens come in several events")
		var got string
		for _, a := range assistant {
			got += text(a)
			assert.Equal(t, assistant[0].Otid, a.Otid, "the chunks of one message share its otid")
			assert.Equal(t, assistant[0].ID, a.ID)
		}
		assert.Equal(t, "You said: tokens please", got)
		ms := withoutPings(events)
		require.GreaterOrEqual(t, len(ms), 2)
		assert.Equal(t, "stop_reason", ms[len(ms)-2].MessageType)
		assert.Equal(t, "end_turn", ms[len(ms)-2].StopReason)
		assert.Equal(t, "usage_statistics", ms[len(ms)-1].MessageType)
	})

	block := func() string {
		var b struct {
			Label string `json:"label"`
			Value string `json:"value"`
		}
		l.json(http.MethodGet, p+"/core-memory/blocks/human", nil, http.StatusOK, &b)
		assert.Equal(t, "human", b.Label)
		return b.Value
	}

	t.Run("remember", func(t *testing.T) {
		var r response
		l.json(http.MethodPost, p+"/messages", send("Please remember that my favourite colour is green."), http.StatusOK, &r)
		require.Equal(t, []string{"reasoning_message", "tool_call_message", "tool_return_message", "reasoning_message", "assistant_message"},
			types(r.Messages))
		call := r.Messages[1].ToolCall
		require.NotNil(t, call)
		assert.Equal(t, "memory_insert", call.Name)
		var args map[string]any
		require.NoError(t, json.Unmarshal([]byte(call.Arguments), &args))
		assert.Equal(t, "human", args["label"])
		assert.Equal(t, "my favourite colour is green", args["new_string"])
		assert.Equal(t, "success", r.Messages[2].Status)
		assert.Equal(t, "I will remember that my favourite colour is green.", text(r.Messages[4]))
		assert.Equal(t, 2, r.Usage.StepCount)
		assert.Equal(t, "The human is a tester.\nmy favourite colour is green", block())
	})

	t.Run("remember streamed", func(t *testing.T) {
		body := send("remember that I live in Lisbon")
		body["streaming"] = true
		body["stream_tokens"] = true
		events, done := l.stream(context.Background(), p+"/messages", body)
		assert.True(t, done)
		calls := ofType(events, "tool_call_message")
		require.NotEmpty(t, calls)
		var args string
		for _, c := range calls {
			args += c.ToolCall.Arguments
		}
		// Streamed, the arguments are the model's own text, cut in pieces
		// (sent plainly, the server re-serialises them: {"label": ...}).
		var parsed map[string]any
		require.NoError(t, json.Unmarshal([]byte(args), &parsed), args)
		assert.Equal(t, "I live in Lisbon", parsed["new_string"])
		assert.Equal(t, "human", parsed["label"])
		require.Len(t, ofType(events, "tool_return_message"), 1)
		assert.Contains(t, block(), "\nI live in Lisbon")
	})

	t.Run("history", func(t *testing.T) {
		var ms []message
		l.json(http.MethodGet, p+"/messages?order=asc&limit=100", nil, http.StatusOK, &ms)
		var users, answers []string
		for _, m := range ms {
			switch m.MessageType {
			case "user_message":
				users = append(users, text(m))
			case "assistant_message":
				answers = append(answers, text(m))
			}
		}
		assert.Equal(t, []string{"hello there", "second message", "tokens please",
			"Please remember that my favourite colour is green.", "remember that I live in Lisbon"}, users)
		assert.Equal(t, []string{"You said: hello there", "You said: second message", "You said: tokens please",
			"I will remember that my favourite colour is green.", "I will remember that I live in Lisbon."}, answers)
		require.NotEmpty(t, ms)
		assert.Equal(t, "system_message", ms[0].MessageType, "the history starts with the system message")
	})

	t.Run("cancel with no run", func(t *testing.T) {
		status, b := l.do(context.Background(), http.MethodPost, p+"/messages/cancel", map[string]any{})
		assert.Equal(t, http.StatusConflict, status)
		assert.JSONEq(t, fmt.Sprintf(`{"detail":"CONFLICT: No active runs to cancel for agent %s"}`, agent.ID), string(b))
	})

	t.Run("cancel a slow stream", func(t *testing.T) {
		words := []string{openaifake.SlowMarker}
		for i := 0; i < 40; i++ {
			words = append(words, fmt.Sprintf("w%d", i))
		}
		body := send(strings.Join(words, " "))
		body["streaming"] = true
		body["stream_tokens"] = true
		type result struct {
			events []message
			done   bool
		}
		got := make(chan result, 1)
		go func() {
			e, d := l.stream(context.Background(), p+"/messages", body)
			got <- result{e, d}
		}()
		// The run exists once the server has taken the request; until then
		// cancel answers 409.
		var cancelled map[string]string
		deadline := time.Now().Add(2 * time.Minute)
		for {
			status, b := l.do(context.Background(), http.MethodPost, p+"/messages/cancel", map[string]any{})
			if status == http.StatusOK {
				require.NoError(t, json.Unmarshal(b, &cancelled))
				break
			}
			require.Equal(t, http.StatusConflict, status, "%s", b)
			require.True(t, time.Now().Before(deadline), "no run to cancel appeared")
			time.Sleep(500 * time.Millisecond)
		}
		require.Len(t, cancelled, 1)
		var runID string
		for id, state := range cancelled {
			runID = id
			assert.Equal(t, "cancelled", state)
		}
		r := <-got
		require.NotEmpty(t, r.events)
		// Where the server notices the cancel decides how the stream ends:
		// mostly on a stop reason "cancelled" without [DONE] (and maybe the
		// run's usage after it), once in CI on the usage and [DONE]. Either
		// way the answer was cut short: the last word never came.
		var kinds []string
		var said strings.Builder
		for _, e := range r.events {
			kinds = append(kinds, e.MessageType+"/"+e.StopReason)
			if e.MessageType == "stop_reason" {
				assert.Equal(t, "cancelled", e.StopReason, "%v", kinds)
			}
			if c, ok := e.Content.(string); ok && e.MessageType == "assistant_message" {
				said.WriteString(c)
			}
		}
		assert.NotContains(t, said.String(), words[len(words)-1], "the whole answer came: %v", kinds)
		if last := r.events[len(r.events)-1]; last.MessageType == "stop_reason" {
			assert.False(t, r.done, "a stream that ends on its stop reason has no [DONE]: %v", kinds)
		}
		for _, e := range r.events {
			if e.RunID != "" {
				assert.Equal(t, runID, e.RunID)
			}
		}
	})

	t.Run("reset", func(t *testing.T) {
		var before struct {
			MessageIDs []string `json:"message_ids"`
		}
		l.json(http.MethodGet, p, nil, http.StatusOK, &before)
		require.Greater(t, len(before.MessageIDs), 1)
		var after struct {
			ID         string   `json:"id"`
			MessageIDs []string `json:"message_ids"`
		}
		l.json(http.MethodPatch, p+"/reset-messages", map[string]any{"add_default_initial_messages": false}, http.StatusOK, &after)
		assert.Equal(t, agent.ID, after.ID, "reset answers the AgentState")
		assert.Equal(t, before.MessageIDs[:1], after.MessageIDs, "only the system message stays in context")

		var r response
		l.json(http.MethodPost, p+"/messages", send("after reset"), http.StatusOK, &r)
		assert.Equal(t, "You said: after reset", text(ofType(r.Messages, "assistant_message")[0]))
		var ms []message
		l.json(http.MethodGet, p+"/messages?order=asc&limit=1000", nil, http.StatusOK, &ms)
		users := ofType(ms, "user_message")
		require.NotEmpty(t, users)
		assert.Equal(t, "hello there", text(users[0]), "reset keeps the history listed")
		assert.Equal(t, "after reset", text(users[len(users)-1]))
	})
}
