//go:build letta_live

package letta

// The live tier for Messages: every method against the real server, whose
// agent loop must run on the deterministic fake model (lettatest/openaifake):
//
//	LETTA_SERVER_OPENAI_FAKE=1 scripts/letta-server start
//	LETTA_BASE_URL=... go test -tags letta_live -run '^TestLiveMessages' -count=1 .

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// liveFakeModel is the handle scripts/letta-server registers for the fake
// model (LETTA_SERVER_OPENAI_FAKE=1).
const liveFakeModel = "openai-proxy/letta-go-fake"

// chatAgent creates an agent on the fake model with a human block and
// memory_insert, the tool the fake calls for "remember that ...".
func chatAgent(t *testing.T, c *Client) string {
	t.Helper()
	a := createAgent(t, c, AgentCreateParams{
		Name:         Ptr(liveName(t)),
		Model:        Ptr(liveFakeModel),
		MemoryBlocks: []CreateBlock{{Label: "human", Value: "The human is a tester."}},
		Tools:        []string{"memory_insert"},
	})
	return a.ID
}

func says(words string) MessageSendParams {
	return MessageSendParams{Messages: []MessageCreate{{Role: MessageRoleUser, Content: TextContent(words)}}}
}

func typesOf(msgs []Message) []MessageType {
	out := make([]MessageType, len(msgs))
	for i, m := range msgs {
		out[i] = m.MessageType
	}
	return out
}

func TestLiveMessagesSend(t *testing.T) {
	c := liveClient(t)
	id := chatAgent(t, c)
	p := says("hello there")
	resp, err := c.Messages.Send(t.Context(), id, &p)
	require.NoError(t, err)
	require.Equal(t, []MessageType{MessageTypeReasoning, MessageTypeAssistant}, typesOf(resp.Messages))
	assert.Equal(t, `The user wrote "hello there"; I answer by repeating it.`, resp.Messages[0].Text())
	assert.Equal(t, "You said: hello there", resp.Messages[1].Text())
	assert.Equal(t, resp.Messages[0].ID, resp.Messages[1].ID, "reasoning and answer are one stored message")
	require.NotNil(t, resp.StopReason.StopReason)
	assert.Equal(t, StopReasonType("end_turn"), *resp.StopReason.StopReason)
	require.NotNil(t, resp.Usage.StepCount)
	assert.Equal(t, int64(1), *resp.Usage.StepCount)
	assert.Equal(t, int64(20), *resp.Usage.CompletionTokens, "the fake counts a token per four bytes")
}

func TestLiveMessagesStream(t *testing.T) {
	c := liveClient(t)
	id := chatAgent(t, c)
	for _, tc := range []struct {
		name      string
		tokens    *bool
		pings     *bool
		wantPing  bool
		minPieces int
	}{
		{"by steps, pings by default", nil, nil, true, 1},
		{"tokens", Ptr(true), nil, true, 2},
		{"tokens without pings", Ptr(true), Ptr(false), false, 2},
		{"by steps without pings", Ptr(false), Ptr(false), false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			words := "stream " + strings.ReplaceAll(tc.name, ",", "")
			stream := c.Messages.Stream(t.Context(), id, &MessageStreamParams{MessageSendParams: says(words), StreamTokens: tc.tokens, IncludePings: tc.pings})
			var got []MessageType
			var answer strings.Builder
			pieces := 0
			for m, err := range stream {
				require.NoError(t, err)
				got = append(got, m.MessageType)
				if m.MessageType == MessageTypeAssistant {
					answer.WriteString(m.Text())
					pieces++
				}
			}
			require.NotEmpty(t, got)
			assert.Equal(t, tc.wantPing, got[0] == MessageTypePing, "the stream starts with a ping when include_pings: %v", got)
			assert.Equal(t, "You said: "+words, answer.String())
			assert.GreaterOrEqual(t, pieces, tc.minPieces)
			if tc.tokens == nil || !*tc.tokens {
				assert.Equal(t, 1, pieces, "by steps: one event per whole message")
			}
			assert.Equal(t, []MessageType{MessageTypeStopReason, MessageTypeUsageStatistics}, got[len(got)-2:])
		})
	}
}

func TestLiveMessagesRemember(t *testing.T) {
	c := liveClient(t)
	id := chatAgent(t, c)
	p := says("remember that I like green tea")
	resp, err := c.Messages.Send(t.Context(), id, &p)
	require.NoError(t, err)
	require.Equal(t, []MessageType{MessageTypeReasoning, MessageTypeToolCall, MessageTypeToolReturn, MessageTypeReasoning, MessageTypeAssistant},
		typesOf(resp.Messages))
	assert.Equal(t, "memory_insert", resp.Messages[1].ToolCall.Name)
	assert.Equal(t, "success", *resp.Messages[2].Status)
	assert.Equal(t, "I will remember that I like green tea.", resp.Messages[4].Text())
	assert.Equal(t, int64(2), *resp.Usage.StepCount)

	human, err := c.Agents.GetBlock(t.Context(), id, "human")
	require.NoError(t, err)
	assert.Equal(t, "The human is a tester.\nI like green tea", human.Value)

	// Streamed with tokens: the tool call arrives in pieces, the memory
	// grows again.
	stream := c.Messages.Stream(t.Context(), id, &MessageStreamParams{MessageSendParams: says("remember that I live in Lisbon"), StreamTokens: Ptr(true)})
	var answer strings.Builder
	calls := 0
	for m, err := range stream {
		require.NoError(t, err)
		switch m.MessageType {
		case MessageTypeToolCall:
			calls++
		case MessageTypeAssistant:
			answer.WriteString(m.Text())
		}
	}
	assert.Greater(t, calls, 1, "a streamed tool call comes in pieces")
	assert.Equal(t, "I will remember that I live in Lisbon.", answer.String())
	human, err = c.Agents.GetBlock(t.Context(), id, "human")
	require.NoError(t, err)
	assert.Equal(t, "The human is a tester.\nI like green tea\nI live in Lisbon", human.Value)
}

func TestLiveMessagesList(t *testing.T) {
	c := liveClient(t)
	id := chatAgent(t, c)
	for _, w := range []string{"one", "two"} {
		p := says(w)
		_, err := c.Messages.Send(t.Context(), id, &p)
		require.NoError(t, err)
	}
	all, err := c.Messages.List(t.Context(), id, nil)
	require.NoError(t, err)
	require.Equal(t, []MessageType{MessageTypeSystem, MessageTypeUser, MessageTypeReasoning, MessageTypeAssistant,
		MessageTypeUser, MessageTypeReasoning, MessageTypeAssistant}, typesOf(all))

	for _, tc := range []struct {
		name   string
		params MessageListParams
		want   []MessageType
	}{
		{"limit counts stored messages, newest, oldest first", MessageListParams{Limit: Ptr(2)},
			[]MessageType{MessageTypeUser, MessageTypeReasoning, MessageTypeAssistant}},
		{"asc", MessageListParams{Limit: Ptr(2), Order: OrderAsc}, []MessageType{MessageTypeSystem, MessageTypeUser}},
		{"asc after the first user message", MessageListParams{Limit: Ptr(2), Order: OrderAsc, After: all[1].ID},
			[]MessageType{MessageTypeReasoning, MessageTypeAssistant, MessageTypeUser}},
		{"by type", MessageListParams{IncludeReturnMessageTypes: []MessageType{MessageTypeUser}}, []MessageType{MessageTypeUser, MessageTypeUser}},
		{"limit 0", MessageListParams{Limit: Ptr(0)}, []MessageType{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Messages.List(t.Context(), id, &tc.params)
			require.NoError(t, err)
			assert.Equal(t, tc.want, typesOf(got))
		})
	}

	var walked []MessageType
	for m, err := range c.Messages.ListAll(t.Context(), id, &MessageListParams{Limit: Ptr(2)}) {
		require.NoError(t, err)
		walked = append(walked, m.MessageType)
	}
	assert.Equal(t, typesOf(all), walked, "every page, oldest first")

	_, err = c.Messages.List(t.Context(), "agent-00000000-0000-4000-8000-000000000000", nil)
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestLiveMessagesReset(t *testing.T) {
	c := liveClient(t)
	id := chatAgent(t, c)
	p := says("hi")
	_, err := c.Messages.Send(t.Context(), id, &p)
	require.NoError(t, err)
	agent, err := c.Messages.Reset(t.Context(), id, nil)
	require.NoError(t, err)
	assert.Len(t, agent.MessageIDs, 1, "only the system message stays in context")
	hist, err := c.Messages.List(t.Context(), id, nil)
	require.NoError(t, err)
	assert.Len(t, hist, 4, "the history is kept")
}

func TestLiveMessagesCancel(t *testing.T) {
	c := liveClient(t)
	id := chatAgent(t, c)
	_, err := c.Messages.Cancel(t.Context(), id, nil)
	require.ErrorIs(t, err, ErrConflict, "no run to cancel")

	// A slow streamed turn (openaifake's [slow] marker: each chunk waits)
	// is cancelled from another goroutine.
	words := make([]string, 40)
	for i := range words {
		words[i] = "w" + string(rune('a'+i%26))
	}
	text := "[slow] " + strings.Join(words, " ")
	var wg sync.WaitGroup
	var answer strings.Builder
	var stop StopReasonType
	wg.Add(1)
	go func() {
		defer wg.Done()
		for m, err := range c.Messages.Stream(t.Context(), id, &MessageStreamParams{MessageSendParams: says(text), StreamTokens: Ptr(true)}) {
			if err != nil {
				return
			}
			switch m.MessageType {
			case MessageTypeAssistant:
				answer.WriteString(m.Text())
			case MessageTypeStopReason:
				stop = *m.StopReason
			}
		}
	}()
	var runs map[string]string
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		runs, err = c.Messages.Cancel(t.Context(), id, nil)
		if err == nil {
			break
		}
		require.True(t, errors.Is(err, ErrConflict), "%v", err)
		time.Sleep(100 * time.Millisecond)
	}
	require.NoError(t, err)
	require.NotEmpty(t, runs)
	for run, state := range runs {
		assert.True(t, strings.HasPrefix(run, "run-"), run)
		assert.Equal(t, "cancelled", state)
	}
	wg.Wait()
	assert.NotEqual(t, "You said: "+text, answer.String(), "the answer was cut short")
	if stop != "" {
		assert.Equal(t, StopReasonType("cancelled"), stop)
	}
}

func TestLiveMessagesApproval(t *testing.T) {
	c := liveClient(t)
	a := createAgent(t, c, AgentCreateParams{
		Name:         Ptr(liveName(t)),
		Model:        Ptr(liveFakeModel),
		MemoryBlocks: []CreateBlock{{Label: "human", Value: "The human is a tester."}},
		Tools:        []string{"memory_insert"},
		ToolRules:    []ToolRule{{Type: ToolRuleRequiresApproval, ToolName: "memory_insert"}},
	})
	p := says("remember that approvals work")
	resp, err := c.Messages.Send(t.Context(), a.ID, &p)
	require.NoError(t, err)
	require.Equal(t, []MessageType{MessageTypeReasoning, MessageTypeApprovalRequest}, typesOf(resp.Messages))
	assert.Equal(t, StopReasonType("requires_approval"), *resp.StopReason.StopReason)
	call := resp.Messages[1].ToolCall

	// Denied, with a reason: the model is told, the memory is unchanged.
	resp, err = c.Messages.Send(t.Context(), a.ID, &MessageSendParams{Approvals: []ApprovalCreate{{
		Approvals: []ApprovalDecision{{Type: "approval", ToolCallID: call.ToolCallID, Approve: Ptr(false), Reason: Ptr("not now")}},
	}}})
	require.NoError(t, err)
	require.Equal(t, []MessageType{MessageTypeToolReturn, MessageTypeReasoning, MessageTypeAssistant}, typesOf(resp.Messages))
	assert.Equal(t, "error", *resp.Messages[0].Status)
	assert.Equal(t, "I could not save that to memory.", resp.Messages[2].Text())
	human, err := c.Agents.GetBlock(t.Context(), a.ID, "human")
	require.NoError(t, err)
	assert.Equal(t, "The human is a tester.", human.Value)

	// Asked again and approved: the tool runs.
	p = says("remember that approvals work")
	resp, err = c.Messages.Send(t.Context(), a.ID, &p)
	require.NoError(t, err)
	call = resp.Messages[1].ToolCall
	resp, err = c.Messages.Send(t.Context(), a.ID, &MessageSendParams{Approvals: []ApprovalCreate{{
		Approvals: []ApprovalDecision{{Type: "approval", ToolCallID: call.ToolCallID, Approve: Ptr(true)}},
	}}})
	require.NoError(t, err)
	assert.Equal(t, "I will remember that approvals work.", resp.Messages[len(resp.Messages)-1].Text())
	human, err = c.Agents.GetBlock(t.Context(), a.ID, "human")
	require.NoError(t, err)
	assert.Equal(t, "The human is a tester.\napprovals work", human.Value)
}

// A failing model provider (the fake model answers "[fail]" with a 400): a
// plain send is an *APIError 400 whose Detail says what the provider said;
// a stream yields the stop reason llm_api_error and then ends on the
// server's error event, an *EventError.
func TestLiveMessagesModelFailure(t *testing.T) {
	c := liveClient(t)
	id := chatAgent(t, c)
	p := says("fail please [fail]")
	_, err := c.Messages.Send(t.Context(), id, &p)
	apiErr := requireAPIError(t, err, 400)
	assert.Contains(t, apiErr.Detail, "The request to the LLM model provider was invalid.")

	var got []MessageType
	var streamErr error
	for m, err := range c.Messages.Stream(t.Context(), id, &MessageStreamParams{MessageSendParams: p}) {
		if err != nil {
			streamErr = err
			break
		}
		got = append(got, m.MessageType)
	}
	assert.Equal(t, []MessageType{MessageTypePing, MessageTypeStopReason}, got)
	var ee *EventError
	require.ErrorAs(t, streamErr, &ee)
	assert.Equal(t, "llm_error", ee.ErrorType)
	assert.Equal(t, "An error occurred with the LLM request.", ee.Message)
	assert.Contains(t, ee.Detail, "[fail]")
	assert.NotEmpty(t, ee.RunID)
	assert.ErrorIs(t, streamErr, ErrServerEvent)
}
