package letta_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta"
)

// The messages cassettes are recorded against the real server running its
// agent loop on the deterministic OpenAI-compatible fake
// (LETTA_SERVER_OPENAI_FAKE=1 scripts/letta-server start): it answers
// "You said: <words>" with reasoning, and for "remember that X" first
// calls memory_insert on the human block.

// fakeModel is the handle of lettatest/openaifake's model on the server.
const fakeModel = "openai-proxy/letta-go-fake"

// createChatAgent creates an agent on the fake model with a human block,
// and the memory_insert tool when memory is true.
func createChatAgent(t *testing.T, c *letta.Client, memory bool) *letta.AgentState {
	t.Helper()
	p := &letta.AgentCreateParams{
		Name:  letta.Ptr(testKey(t, "agent")),
		Model: letta.Ptr(fakeModel),
		MemoryBlocks: []letta.CreateBlock{
			{Label: "human", Value: "The user's name is Ada."},
			{Label: "persona", Value: "I am a helpful assistant."},
		},
	}
	if memory {
		p.IncludeBaseTools = letta.Ptr(false)
		p.Tools = []string{"memory_insert"}
	}
	return createAgent(t, c, p)
}

func userSays(text string) *letta.MessageSendParams {
	return &letta.MessageSendParams{Messages: []letta.MessageCreate{{Role: letta.MessageRoleUser, Content: letta.TextContent(text)}}}
}

func messageTypes(ms []letta.Message) []letta.MessageType {
	out := make([]letta.MessageType, len(ms))
	for i, m := range ms {
		out[i] = m.MessageType
	}
	return out
}

// assertReencodes checks that a decoded message encodes back to the JSON
// it came as (nothing the server sent is lost on the way through).
func assertReencodes(t *testing.T, m letta.Message) {
	t.Helper()
	out, err := json.Marshal(m)
	require.NoError(t, err)
	assert.JSONEq(t, string(m.Raw()), string(out), "%s re-encodes as it came", m.MessageType)
}

func TestCassetteMessagesSend(t *testing.T) {
	c := newRecordedClient(t)
	agent := createChatAgent(t, c, false)

	resp, err := c.Messages.Send(t.Context(), agent.ID, userSays("hello there"))
	require.NoError(t, err)
	// Only the turn's new messages: the reasoning and the answer of one
	// model response, which share an id.
	require.Equal(t, []letta.MessageType{letta.MessageTypeReasoning, letta.MessageTypeAssistant}, messageTypes(resp.Messages))
	reasoning, answer := resp.Messages[0], resp.Messages[1]
	assert.Equal(t, `The user wrote "hello there"; I answer by repeating it.`, reasoning.Text())
	require.NotNil(t, reasoning.Source)
	assert.Equal(t, "reasoner_model", *reasoning.Source)
	assert.Equal(t, "You said: hello there", answer.Text())
	assert.Equal(t, "You said: hello there", resp.AssistantText())
	assert.Equal(t, reasoning.ID, answer.ID)
	assert.True(t, strings.HasPrefix(answer.ID, "message-"), answer.ID)
	require.NotNil(t, answer.RunID)
	assert.True(t, strings.HasPrefix(*answer.RunID, "run-"), *answer.RunID)
	assert.False(t, answer.Date.IsZero())

	assert.Equal(t, letta.MessageTypeStopReason, resp.StopReason.MessageType)
	require.NotNil(t, resp.StopReason.StopReason)
	assert.Equal(t, letta.StopReasonEndTurn, *resp.StopReason.StopReason)
	assert.Equal(t, letta.MessageTypeUsageStatistics, resp.Usage.MessageType)
	require.NotNil(t, resp.Usage.StepCount)
	assert.Equal(t, int64(1), *resp.Usage.StepCount)
	require.NotNil(t, resp.Usage.TotalTokens)
	assert.Positive(t, *resp.Usage.TotalTokens)
	for _, m := range resp.Messages {
		assertReencodes(t, m)
	}

	// The errors of the route: an unknown agent, and an empty message list
	// refused before sending.
	_, err = c.Messages.Send(t.Context(), "agent-00000000-0000-4000-8000-000000000999", userSays("hi"))
	require.ErrorIs(t, err, letta.ErrNotFound)
	_, err = c.Messages.Send(t.Context(), agent.ID, &letta.MessageSendParams{})
	require.ErrorIs(t, err, letta.ErrInvalidParam)
}

func TestCassetteMessagesSendToolCall(t *testing.T) {
	c := newRecordedClient(t)
	agent := createChatAgent(t, c, true)

	resp, err := c.Messages.Send(t.Context(), agent.ID, userSays("remember that I like tea"))
	require.NoError(t, err)
	require.Equal(t, []letta.MessageType{
		letta.MessageTypeReasoning, letta.MessageTypeToolCall, letta.MessageTypeToolReturn,
		letta.MessageTypeReasoning, letta.MessageTypeAssistant,
	}, messageTypes(resp.Messages))
	call := resp.Messages[1]
	require.NotNil(t, call.ToolCall)
	assert.Equal(t, "memory_insert", call.ToolCall.Name)
	var args map[string]any
	require.NoError(t, json.Unmarshal([]byte(call.ToolCall.Arguments), &args))
	assert.Equal(t, "human", args["label"])
	calls, err := call.DecodeToolCalls()
	require.NoError(t, err)
	require.Len(t, calls, 1, "tool_calls is a list of the one call")
	assert.Equal(t, *call.ToolCall, calls[0])

	ret := resp.Messages[2]
	require.NotNil(t, ret.Status)
	assert.Equal(t, "success", *ret.Status)
	require.NotNil(t, ret.ToolCallID)
	assert.Equal(t, call.ToolCall.ToolCallID, *ret.ToolCallID)
	require.NotNil(t, ret.Name)
	assert.Equal(t, "memory_insert", *ret.Name)
	assert.Equal(t, "I will remember that I like tea.", resp.AssistantText())
	require.NotNil(t, resp.Usage.StepCount)
	assert.Equal(t, int64(2), *resp.Usage.StepCount, "a tool call, then the answer")
	for _, m := range resp.Messages {
		assertReencodes(t, m)
	}
}

// streamAll drains a stream, failing the test on an error.
func streamAll(t *testing.T, c *letta.Client, agentID string, p *letta.MessageStreamParams) []letta.Message {
	t.Helper()
	return collect(t, c.Messages.Stream(t.Context(), agentID, p))
}

func TestCassetteMessagesStream(t *testing.T) {
	c := newRecordedClient(t)
	agent := createChatAgent(t, c, false)

	t.Run("steps", func(t *testing.T) {
		events := streamAll(t, c, agent.ID, &letta.MessageStreamParams{MessageSendParams: *userSays("hello by steps")})
		// Pings are on by default: the stream starts with one.
		require.Equal(t, []letta.MessageType{
			letta.MessageTypePing, letta.MessageTypeReasoning, letta.MessageTypeAssistant,
			letta.MessageTypeStopReason, letta.MessageTypeUsageStatistics,
		}, messageTypes(events))
		assert.True(t, strings.HasPrefix(events[0].ID, "ping-"), events[0].ID)
		assert.Equal(t, "You said: hello by steps", events[2].Text())
		assert.Equal(t, letta.StopReasonEndTurn, *events[3].StopReason)
		for _, m := range events {
			assertReencodes(t, m)
		}
	})

	t.Run("tokens without pings", func(t *testing.T) {
		events := streamAll(t, c, agent.ID, &letta.MessageStreamParams{
			MessageSendParams: *userSays("hello by tokens"),
			StreamTokens:      letta.Ptr(true),
			IncludePings:      letta.Ptr(false),
		})
		var reasoning, answer strings.Builder
		var ids []string
		for _, m := range events {
			switch m.MessageType {
			case letta.MessageTypePing:
				t.Error("a ping although include_pings is false")
			case letta.MessageTypeReasoning:
				reasoning.WriteString(m.Text())
				ids = append(ids, m.ID)
			case letta.MessageTypeAssistant:
				answer.WriteString(m.Text())
				ids = append(ids, m.ID)
			}
		}
		assert.Greater(t, len(ids), 2, "the answer came in pieces")
		for _, id := range ids {
			assert.Equal(t, ids[0], id, "all pieces share the message's id")
		}
		assert.Equal(t, `The user wrote "hello by tokens"; I answer by repeating it.`, reasoning.String())
		assert.Equal(t, "You said: hello by tokens", answer.String())
		last := events[len(events)-2:]
		assert.Equal(t, []letta.MessageType{letta.MessageTypeStopReason, letta.MessageTypeUsageStatistics}, messageTypes(last))
		// Streamed by tokens, the cache and reasoning counts are null.
		assert.Nil(t, last[1].CachedInputTokens)
		assertReencodes(t, last[1])
	})

	t.Run("tool call by tokens", func(t *testing.T) {
		memAgent := createChatAgent(t, c, true)
		events := streamAll(t, c, memAgent.ID, &letta.MessageStreamParams{
			MessageSendParams: *userSays("remember that I like tea"),
			StreamTokens:      letta.Ptr(true),
		})
		var name, args strings.Builder
		for _, m := range events {
			if m.MessageType != letta.MessageTypeToolCall {
				continue
			}
			// tool_calls is one delta object here, not a list.
			calls, err := m.DecodeToolCalls()
			require.NoError(t, err)
			require.Len(t, calls, 1)
			name.WriteString(calls[0].Name)
			args.WriteString(calls[0].Arguments)
		}
		assert.Equal(t, "memory_insert", name.String())
		var parsed map[string]any
		require.NoError(t, json.Unmarshal([]byte(args.String()), &parsed), "the pieces join into the arguments: %s", args.String())
		assert.Equal(t, "human", parsed["label"])
	})

	t.Run("unknown agent", func(t *testing.T) {
		var got []letta.Message
		var err error
		for m, e := range c.Messages.Stream(t.Context(), "agent-00000000-0000-4000-8000-000000000999",
			&letta.MessageStreamParams{MessageSendParams: *userSays("hi")}) {
			if e != nil {
				err = e
				break
			}
			got = append(got, m)
		}
		assert.Empty(t, got)
		require.ErrorIs(t, err, letta.ErrNotFound, "the server refuses before the stream starts, in JSON")
	})
}

func TestCassetteMessagesList(t *testing.T) {
	c := newRecordedClient(t)
	agent := createChatAgent(t, c, false)
	for _, words := range []string{"first", "second", "third"} {
		_, err := c.Messages.Send(t.Context(), agent.ID, userSays(words))
		require.NoError(t, err)
	}

	// The whole history, oldest first: the system message, then per turn
	// the user's message, the reasoning and the answer.
	all, err := c.Messages.List(t.Context(), agent.ID, nil)
	require.NoError(t, err)
	require.NotEmpty(t, all)
	assert.Equal(t, letta.MessageTypeSystem, all[0].MessageType)
	var said []string
	for _, m := range all {
		if m.MessageType == letta.MessageTypeUser {
			said = append(said, m.Text())
		}
		assertReencodes(t, m)
	}
	assert.Equal(t, []string{"first", "second", "third"}, said)

	// Filtered by type (repeated keys), newest 2 stored messages: the last
	// user message and the last answer, oldest first.
	last, err := c.Messages.List(t.Context(), agent.ID, &letta.MessageListParams{
		Limit:                     letta.Ptr(2),
		IncludeReturnMessageTypes: []letta.MessageType{letta.MessageTypeUser, letta.MessageTypeAssistant},
	})
	require.NoError(t, err)
	require.Len(t, last, 2)
	assert.Equal(t, "third", last[0].Text())
	assert.Equal(t, "You said: third", last[1].Text())

	// limit counts stored messages: one stored answer is a reasoning and an
	// assistant message, so 3 stored messages give 4 items here.
	page, err := c.Messages.List(t.Context(), agent.ID, &letta.MessageListParams{Limit: letta.Ptr(3), Order: letta.OrderAsc})
	require.NoError(t, err)
	assert.Equal(t, []letta.MessageType{letta.MessageTypeSystem, letta.MessageTypeUser, letta.MessageTypeReasoning, letta.MessageTypeAssistant},
		messageTypes(page))

	none, err := c.Messages.List(t.Context(), agent.ID, &letta.MessageListParams{Limit: letta.Ptr(0)})
	require.NoError(t, err)
	assert.Empty(t, none)

	_, err = c.Messages.List(t.Context(), "agent-00000000-0000-4000-8000-000000000999", nil)
	require.ErrorIs(t, err, letta.ErrNotFound)
}

func TestCassetteMessagesListAll(t *testing.T) {
	rec := newRecording(t)
	c := rec.client
	agent := createChatAgent(t, c, false)
	for _, words := range []string{"one", "two", "three"} {
		_, err := c.Messages.Send(t.Context(), agent.ID, userSays(words))
		require.NoError(t, err)
	}
	whole, err := c.Messages.List(t.Context(), agent.ID, &letta.MessageListParams{Order: letta.OrderAsc})
	require.NoError(t, err)

	n := rec.log.Len()
	walked := collect(t, c.Messages.ListAll(t.Context(), agent.ID, &letta.MessageListParams{Limit: letta.Ptr(2)}))
	// Every message once, in the same order as one big page, a reasoning
	// and its answer (one id) never split in two.
	require.Equal(t, len(whole), len(walked))
	for i := range whole {
		assert.Equal(t, whole[i].ID, walked[i].ID, "item %d", i)
		assert.Equal(t, whole[i].MessageType, walked[i].MessageType, "item %d", i)
	}
	// 7 stored messages (system + 3 x (user, answer)) in pages of 2: 4
	// pages and the empty one that ends the walk.
	pages := listPages(t, rec.log.Since(n), "/v1/agents/"+agent.ID+"/messages", "2")
	assert.Equal(t, 5, pages)
}

func TestCassetteMessagesReset(t *testing.T) {
	c := newRecordedClient(t)
	agent := createChatAgent(t, c, false)
	_, err := c.Messages.Send(t.Context(), agent.ID, userSays("before the reset"))
	require.NoError(t, err)

	reset, err := c.Messages.Reset(t.Context(), agent.ID, nil)
	require.NoError(t, err)
	require.NotNil(t, reset)
	assert.Equal(t, agent.ID, reset.ID)
	assert.Len(t, reset.MessageIDs, 1, "only the system message stays in context")

	// The stored history is kept.
	history, err := c.Messages.List(t.Context(), agent.ID, &letta.MessageListParams{
		IncludeReturnMessageTypes: []letta.MessageType{letta.MessageTypeUser},
	})
	require.NoError(t, err)
	require.Len(t, history, 1)
	assert.Equal(t, "before the reset", history[0].Text())

	_, err = c.Messages.Reset(t.Context(), "agent-00000000-0000-4000-8000-000000000999", nil)
	require.ErrorIs(t, err, letta.ErrNotFound)
}

func TestCassetteMessagesCancel(t *testing.T) {
	c := newRecordedClient(t)
	agent := createChatAgent(t, c, false)

	// No active run: 409.
	_, err := c.Messages.Cancel(t.Context(), agent.ID, nil)
	require.ErrorIs(t, err, letta.ErrConflict)

	// A slow streamed turn, cancelled from the side: the stream ends with a
	// stop_reason "cancelled" (and no [DONE]) without an error. While
	// recording, the stream's events only reach the test when the turn has
	// ended (the recorder reads the whole body), so the test polls Cancel
	// until a run is active; a replay repeats the recorded polls.
	var events []letta.Message
	var streamErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for m, err := range c.Messages.Stream(t.Context(), agent.ID, &letta.MessageStreamParams{
			MessageSendParams: *userSays("[slow] tell me a long story"),
			StreamTokens:      letta.Ptr(true),
		}) {
			if err != nil {
				streamErr = err
				return
			}
			events = append(events, m)
		}
	}()
	var cancelled map[string]string
	for range 100 {
		cancelled, err = c.Messages.Cancel(t.Context(), agent.ID, nil)
		if !errors.Is(err, letta.ErrConflict) {
			break
		}
		if os.Getenv(recordEnv) == "1" {
			time.Sleep(300 * time.Millisecond)
		}
	}
	require.NoError(t, err)
	wg.Wait()
	require.NoError(t, streamErr)
	require.Len(t, cancelled, 1)
	for run, state := range cancelled {
		assert.True(t, strings.HasPrefix(run, "run-"), run)
		assert.Equal(t, "cancelled", state)
	}
	require.NotEmpty(t, events)
	last := events[len(events)-1]
	assert.Equal(t, letta.MessageTypeStopReason, last.MessageType)
	require.NotNil(t, last.StopReason)
	assert.Equal(t, letta.StopReasonCancelled, *last.StopReason)
}

// A tool that requires approval stops the turn; approving runs it,
// denying sends the reason to the model as the tool's error.
func TestCassetteMessagesApproval(t *testing.T) {
	c := newRecordedClient(t)
	agent := createAgent(t, c, &letta.AgentCreateParams{
		Name:             letta.Ptr(testKey(t, "agent")),
		Model:            letta.Ptr(fakeModel),
		MemoryBlocks:     []letta.CreateBlock{{Label: "human", Value: "The user's name is Ada."}},
		IncludeBaseTools: letta.Ptr(false),
		Tools:            []string{"memory_insert"},
		ToolRules:        []letta.ToolRule{letta.RequiresApprovalToolRule("memory_insert")},
	})

	ask := func(words string) letta.ToolCall {
		t.Helper()
		resp, err := c.Messages.Send(t.Context(), agent.ID, userSays(words))
		require.NoError(t, err)
		require.Equal(t, letta.StopReasonRequiresApproval, *resp.StopReason.StopReason)
		req := resp.Messages[len(resp.Messages)-1]
		require.Equal(t, letta.MessageTypeApprovalRequest, req.MessageType)
		calls, err := req.DecodeToolCalls()
		require.NoError(t, err)
		require.Len(t, calls, 1)
		assert.Equal(t, "memory_insert", calls[0].Name)
		return calls[0]
	}

	call := ask("remember that I like tea")
	resp, err := c.Messages.Send(t.Context(), agent.ID, &letta.MessageSendParams{
		Approvals: []letta.ApprovalCreate{{Approvals: []letta.ApprovalDecision{letta.Approve(call.ToolCallID)}}},
	})
	require.NoError(t, err)
	require.Equal(t, letta.MessageTypeToolReturn, resp.Messages[0].MessageType)
	assert.Equal(t, "success", *resp.Messages[0].Status)
	assert.Equal(t, "I will remember that I like tea.", resp.AssistantText())

	call = ask("remember that I like coffee")
	resp, err = c.Messages.Send(t.Context(), agent.ID, &letta.MessageSendParams{
		Approvals: []letta.ApprovalCreate{{Approvals: []letta.ApprovalDecision{letta.Deny(call.ToolCallID, "not now")}}},
	})
	require.NoError(t, err)
	require.Equal(t, letta.MessageTypeToolReturn, resp.Messages[0].MessageType)
	assert.Equal(t, "error", *resp.Messages[0].Status)
	assert.Contains(t, resp.Messages[0].Text(), "not now")

	// The decisions are in the history as approval_response_messages.
	decisions, err := c.Messages.List(t.Context(), agent.ID, &letta.MessageListParams{
		IncludeReturnMessageTypes: []letta.MessageType{letta.MessageTypeApprovalResponse},
	})
	require.NoError(t, err)
	require.Len(t, decisions, 2)
	for _, d := range decisions {
		assertReencodes(t, d)
		assert.Contains(t, string(d.Approvals), `"tool_call_id"`)
	}
}
