package letta_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta"
)

// What the messages methods put on the wire, against httptest servers; the
// answers of the real server are in the TestCassetteMessages* cassettes.

func TestMessagesListWire(t *testing.T) {
	var got []string
	srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.RawQuery)
		_, _ = io.WriteString(w, "[]")
	})
	c := streamClient(t, srv.URL)
	_, err := c.Messages.List(t.Context(), streamAgent, nil)
	require.NoError(t, err)
	_, err = c.Messages.List(t.Context(), streamAgent, &letta.MessageListParams{
		Limit: letta.Ptr(0), Order: letta.OrderAsc, After: "message-1", IncludeErr: letta.Ptr(false),
		IncludeReturnMessageTypes: []letta.MessageType{letta.MessageTypeUser, letta.MessageTypeAssistant},
	})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"",
		"after=message-1&include_err=false&include_return_message_types=user_message&include_return_message_types=assistant_message&limit=0&order=asc",
	}, got)

	_, err = c.Messages.List(t.Context(), streamAgent, &letta.MessageListParams{Limit: letta.Ptr(-1)})
	require.ErrorIs(t, err, letta.ErrInvalidParam)
	_, err = c.Messages.List(t.Context(), "", nil)
	require.ErrorIs(t, err, letta.ErrInvalidParam)
	assert.Len(t, got, 2, "refused before sending")
}

// ListAll pages with after = the last id; a page holds more items than the
// limit and items sharing one id (a reasoning and its answer), which are
// all yielded.
func TestMessagesListAllPages(t *testing.T) {
	// 5 stored messages: system, user, answer (2 items), user, answer.
	stored := [][]string{{"system_message"}, {"user_message"}, {"reasoning_message", "assistant_message"}, {"user_message"}, {"reasoning_message", "assistant_message"}}
	var queries []string
	srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		queries = append(queries, r.URL.RawQuery)
		assert.Equal(t, "asc", q.Get("order"))
		start := 0
		if a := q.Get("after"); a != "" {
			n, err := strconv.Atoi(strings.TrimPrefix(a, "message-"))
			require.NoError(t, err)
			start = n + 1
		}
		limit, _ := strconv.Atoi(q.Get("limit"))
		var items []string
		for i := start; i < len(stored) && i < start+limit; i++ {
			for _, typ := range stored[i] {
				items = append(items, fmt.Sprintf(`{"id":"message-%d","date":"2026-12-02T01:45:24+00:00","message_type":%q}`, i, typ))
			}
		}
		_, _ = io.WriteString(w, "["+strings.Join(items, ",")+"]")
	})
	c := streamClient(t, srv.URL)
	var ids []string
	for m, err := range c.Messages.ListAll(t.Context(), streamAgent, &letta.MessageListParams{Limit: letta.Ptr(2)}) {
		require.NoError(t, err)
		ids = append(ids, m.ID+"/"+string(m.MessageType))
	}
	assert.Equal(t, []string{
		"message-0/system_message", "message-1/user_message", "message-2/reasoning_message", "message-2/assistant_message",
		"message-3/user_message", "message-4/reasoning_message", "message-4/assistant_message",
	}, ids)
	assert.Equal(t, []string{"limit=2&order=asc", "after=message-1&limit=2&order=asc", "after=message-3&limit=2&order=asc",
		"after=message-4&limit=2&order=asc"}, queries)

	for name, p := range map[string]*letta.MessageListParams{
		"desc":    {Order: letta.OrderDesc},
		"before":  {Before: "message-1"},
		"limit 0": {Limit: letta.Ptr(0)},
	} {
		_, err := drain(c.Messages.ListAll(t.Context(), streamAgent, p))
		assert.ErrorIs(t, err, letta.ErrInvalidParam, name)
	}
	assert.Len(t, queries, 4, "refused before sending")
}

func TestMessagesSendResetCancelWire(t *testing.T) {
	type req struct{ method, path, body string }
	var got []req
	answers := map[string]string{
		"/v1/agents/" + streamAgent + "/messages":        `{"messages":[],"stop_reason":{"message_type":"stop_reason","stop_reason":"end_turn"},"usage":{"message_type":"usage_statistics","step_count":1}}`,
		"/v1/agents/" + streamAgent + "/reset-messages":  `null`,
		"/v1/agents/" + streamAgent + "/messages/cancel": `{"run-1":"cancelled"}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got = append(got, req{r.Method, r.URL.Path, string(body)})
		_, _ = io.WriteString(w, answers[r.URL.Path])
	}))
	t.Cleanup(srv.Close)
	c := streamClient(t, srv.URL)

	resp, err := c.Messages.Send(t.Context(), streamAgent, &letta.MessageSendParams{
		Input:    letta.Ptr(letta.TextContent("hi")),
		MaxSteps: letta.Ptr(3),
	})
	require.NoError(t, err)
	assert.Equal(t, letta.StopReasonEndTurn, *resp.StopReason.StopReason)
	agent, err := c.Messages.Reset(t.Context(), streamAgent, nil)
	require.NoError(t, err)
	assert.Nil(t, agent, "the spec allows null")
	runs, err := c.Messages.Cancel(t.Context(), streamAgent, nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"run-1": "cancelled"}, runs)
	_, err = c.Messages.Cancel(t.Context(), streamAgent, &letta.MessageCancelParams{RunIDs: []string{"run-1"}})
	require.NoError(t, err)

	require.Len(t, got, 4)
	assert.Equal(t, req{"POST", "/v1/agents/" + streamAgent + "/messages", `{"input":"hi","max_steps":3}`}, got[0],
		"streaming is left to the server's default (false)")
	assert.Equal(t, req{"PATCH", "/v1/agents/" + streamAgent + "/reset-messages", `{}`}, got[1], "the server requires a body")
	assert.Equal(t, req{"POST", "/v1/agents/" + streamAgent + "/messages/cancel", ``}, got[2], "nil params: no body")
	assert.Equal(t, req{"POST", "/v1/agents/" + streamAgent + "/messages/cancel", `{"run_ids":["run-1"]}`}, got[3])

	for name, p := range map[string]*letta.MessageSendParams{
		"nil":                 nil,
		"empty":               {},
		"no role":             {Messages: []letta.MessageCreate{{Content: letta.TextContent("x")}}},
		"bad tool":            {Input: letta.Ptr(letta.TextContent("x")), ClientTools: []json.RawMessage{json.RawMessage(`[1]`)}},
		"approval without id": {Approvals: []letta.ApprovalCreate{{Approvals: []letta.ApprovalDecision{letta.Approve("")}}}},
		"empty approval":      {Approvals: []letta.ApprovalCreate{{}}},
		"tool return w/o status": {Approvals: []letta.ApprovalCreate{{Approvals: []letta.ApprovalDecision{
			{Type: "tool", ToolCallID: "call_1", ToolReturn: letta.Ptr(letta.TextContent("42"))}}}}},
		"part not {}": {Messages: []letta.MessageCreate{{Role: letta.MessageRoleUser, Content: letta.MessageContent{Parts: []json.RawMessage{json.RawMessage(`"x"`)}}}}},
	} {
		_, err := c.Messages.Send(t.Context(), streamAgent, p)
		assert.ErrorIs(t, err, letta.ErrInvalidParam, name)
	}
	assert.Len(t, got, 4, "refused before sending")
}

// Approvals go into the one "messages" array, after the messages, in Send
// and Stream alike.
func TestMessagesApprovalWire(t *testing.T) {
	srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Accept"), "event-stream") {
			startSSE(w)
			sse(w, stopEvent, doneEvent)
			return
		}
		_, _ = io.WriteString(w, `{"messages":[],"stop_reason":{"message_type":"stop_reason","stop_reason":"end_turn"},"usage":{"message_type":"usage_statistics"}}`)
	})
	c := streamClient(t, srv.URL)
	send := letta.MessageSendParams{
		Messages:  []letta.MessageCreate{{Role: letta.MessageRoleUser, Content: letta.TextContent("ok")}},
		Approvals: []letta.ApprovalCreate{{Approvals: []letta.ApprovalDecision{letta.Approve("call_1"), letta.Deny("call_2", "")}}},
		MaxSteps:  letta.Ptr(2),
	}
	_, err := c.Messages.Send(t.Context(), streamAgent, &send)
	require.NoError(t, err)
	assert.JSONEq(t, `{"max_steps":2,"messages":[{"role":"user","content":"ok"},`+
		`{"type":"approval","approvals":[{"type":"approval","tool_call_id":"call_1","approve":true},{"type":"approval","tool_call_id":"call_2","approve":false}]}]}`,
		string(<-srv.bodies))

	_, err = drain(c.Messages.Stream(t.Context(), streamAgent, &letta.MessageStreamParams{MessageSendParams: send, IncludePings: letta.Ptr(false)}))
	require.NoError(t, err)
	assert.JSONEq(t, `{"max_steps":2,"include_pings":false,"streaming":true,"messages":[{"role":"user","content":"ok"},`+
		`{"type":"approval","approvals":[{"type":"approval","tool_call_id":"call_1","approve":true},{"type":"approval","tool_call_id":"call_2","approve":false}]}]}`,
		string(<-srv.bodies))
}

// A reset answered with JSON that is not an AgentState fails as any call's
// decode does: a *DecodeError with the request id.
func TestMessagesResetDecodeError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-123")
		_, _ = io.WriteString(w, `{"id": 5}`)
	}))
	t.Cleanup(srv.Close)
	_, err := streamClient(t, srv.URL).Messages.Reset(t.Context(), streamAgent, nil)
	var de *letta.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "req-123", de.RequestID)
}
