package letta

import (
	"bytes"
	"encoding/json"
	"reflect"

	"github.com/letta-go/letta/internal/codec"
)

// MessageType is the discriminator (message_type) of a Message: one of the
// LettaMessageUnion variants, or one of the stream's control events (ping,
// stop_reason, usage_statistics). A newer server may send others; they
// are kept (see Message).
type MessageType string

// Message types.
const (
	MessageTypeSystem           MessageType = "system_message"
	MessageTypeUser             MessageType = "user_message"
	MessageTypeAssistant        MessageType = "assistant_message"
	MessageTypeReasoning        MessageType = "reasoning_message"
	MessageTypeHiddenReasoning  MessageType = "hidden_reasoning_message"
	MessageTypeToolCall         MessageType = "tool_call_message"
	MessageTypeToolReturn       MessageType = "tool_return_message"
	MessageTypeApprovalRequest  MessageType = "approval_request_message"
	MessageTypeApprovalResponse MessageType = "approval_response_message"
	MessageTypeSummary          MessageType = "summary_message"
	MessageTypeEvent            MessageType = "event_message"
	// MessageTypePing is the stream's keep-alive (LettaPing): the first
	// event of a stream with pings, then one after every 20 s without data.
	MessageTypePing MessageType = "ping"
	// MessageTypeStopReason is the stream's stop reason (LettaStopReason).
	MessageTypeStopReason MessageType = "stop_reason"
	// MessageTypeUsageStatistics is the stream's token usage
	// (LettaUsageStatistics).
	MessageTypeUsageStatistics MessageType = "usage_statistics"
)

// Message is one message of an agent's conversation (LettaMessageUnion), or
// one event of a stream (a message, a ping, the stop reason or the usage).
// MessageType selects the variant; the fields a variant does not have stay
// nil. Every variant but stop_reason and usage_statistics has the common
// fields ID, Date, Name, Otid, SenderID, StepID, IsErr, SeqID and RunID.
//
// A message type or field this SDK does not know is not an error: the
// message is kept with its MessageType and the fields it shares with the
// known ones, Raw returns the JSON it came as, and encoding an unmodified
// Message gives that JSON back (see the unions' rules in unions.go).
type Message struct {
	// ID is the message id (message-<uuid>; ping-<uuid> for pings). The
	// reasoning and the answer of one model response share one ID.
	ID string `json:"id,omitzero"`
	// Date is when the message was created (whole seconds on Letta 0.16).
	Date Timestamp `json:"date,omitzero"`
	// Name is the participant's name; on a tool_return_message, the tool's.
	Name *string `json:"name,omitzero"`
	// MessageType is the variant.
	MessageType MessageType `json:"message_type"`
	// Otid is the offline threading id: a user message's is the client's;
	// the parts of one model response get the id's uuid with the part's
	// index in its last 7 bits.
	Otid *string `json:"otid,omitzero"`
	// SenderID is the sender (an identity or agent).
	SenderID *string `json:"sender_id,omitzero"`
	// StepID is the agent step that produced the message.
	StepID *string `json:"step_id,omitzero"`
	// IsErr marks an error message (sent with ListParams.IncludeErr).
	IsErr *bool `json:"is_err,omitzero"`
	// SeqID is the message's sequence number.
	SeqID *int64 `json:"seq_id,omitzero"`
	// RunID is the run that produced the message.
	RunID *string `json:"run_id,omitzero"`

	// Content is the text of a system, user or assistant message: a
	// string, or content parts (a user's text and images, an assistant's
	// text). Streamed with stream_tokens, each event holds one piece.
	Content *MessageContent `json:"content,omitzero"`

	// Source is "reasoner_model" or "non_reasoner_model" (reasoning_message).
	Source *string `json:"source,omitzero"`
	// Reasoning is the model's reasoning (reasoning_message; a piece of
	// it per event when streamed with stream_tokens).
	Reasoning *string `json:"reasoning,omitzero"`
	// Signature is the provider's signature of the reasoning.
	Signature *string `json:"signature,omitzero"`
	// State is "redacted" or "omitted" (hidden_reasoning_message).
	State *string `json:"state,omitzero"`
	// HiddenReasoning is the redacted reasoning (hidden_reasoning_message).
	HiddenReasoning *string `json:"hidden_reasoning,omitzero"`

	// ToolCall is the call (tool_call_message, approval_request_message).
	// Streamed with stream_tokens it is a delta: the first event has
	// Name and ToolCallID, the next ones pieces of Arguments.
	ToolCall *ToolCall `json:"tool_call,omitzero"`
	// ToolCalls are all calls of the message: an array of ToolCall, or
	// (streamed with stream_tokens) one delta object. DecodeToolCalls
	// reads both.
	ToolCalls json.RawMessage `json:"tool_calls,omitzero"`

	// ToolReturn is the tool's result (tool_return_message).
	ToolReturn *string `json:"tool_return,omitzero"`
	// Status is "success" or "error" (tool_return_message).
	Status *string `json:"status,omitzero"`
	// ToolCallID is the call this return answers (tool_return_message).
	ToolCallID *string `json:"tool_call_id,omitzero"`
	// Stdout and Stderr are the tool's output lines (tool_return_message).
	Stdout []string `json:"stdout,omitzero"`
	Stderr []string `json:"stderr,omitzero"`
	// ToolReturns are all returns of the message (tool_return_message), an
	// array of {type, tool_return, status, tool_call_id, stdout, stderr}.
	ToolReturns json.RawMessage `json:"tool_returns,omitzero"`

	// Approvals are the decisions (approval_response_message): an array
	// of ApprovalReturn or ToolReturn objects.
	Approvals json.RawMessage `json:"approvals,omitzero"`
	// Approve, ApprovalRequestID and Reason are the deprecated single
	// decision (approval_response_message).
	Approve           *bool   `json:"approve,omitzero"`
	ApprovalRequestID *string `json:"approval_request_id,omitzero"`
	Reason            *string `json:"reason,omitzero"`

	// Summary is the conversation summary (summary_message) and
	// CompactionStats the compaction's figures, a JSON object.
	Summary         *string         `json:"summary,omitzero"`
	CompactionStats json.RawMessage `json:"compaction_stats,omitzero"`

	// EventType and EventData describe an event_message (EventData is a
	// JSON object).
	EventType *string         `json:"event_type,omitzero"`
	EventData json.RawMessage `json:"event_data,omitzero"`

	// StopReason is why the run stopped (stop_reason).
	StopReason *StopReasonType `json:"stop_reason,omitzero"`

	// The usage_statistics fields: token counts of the turn, StepCount the
	// model calls. Sent plainly the counts are 0 where the provider
	// reported nothing; streamed with stream_tokens the cached, cache-write
	// and reasoning counts are null (nil).
	CompletionTokens  *int64   `json:"completion_tokens,omitzero"`
	PromptTokens      *int64   `json:"prompt_tokens,omitzero"`
	TotalTokens       *int64   `json:"total_tokens,omitzero"`
	StepCount         *int64   `json:"step_count,omitzero"`
	RunIDs            []string `json:"run_ids,omitzero"`
	CachedInputTokens *int64   `json:"cached_input_tokens,omitzero"`
	CacheWriteTokens  *int64   `json:"cache_write_tokens,omitzero"`
	ReasoningTokens   *int64   `json:"reasoning_tokens,omitzero"`
	ContextTokens     *int64   `json:"context_tokens,omitzero"`

	// raw is the JSON the message was decoded from, kept as a string:
	// the stream's fast path (decodeEventFast) takes every string field
	// of an event from it, so an event costs one copy, and Raw makes its
	// slice only when asked.
	raw string
}

// Raw returns the JSON the message was decoded from (nil when it was built
// in code), for variants and fields this SDK does not know. Each call
// returns a new copy.
func (m Message) Raw() json.RawMessage {
	if m.raw == "" {
		return nil
	}
	return json.RawMessage(m.raw)
}

// Text returns the text a person would read from the message: the content
// of a system, user or assistant message (its text parts joined), the
// reasoning of a reasoning message, the result of a tool return; "" for
// the other variants.
func (m *Message) Text() string {
	switch {
	case m == nil:
		return ""
	case m.Content != nil:
		if m.Content.Parts == nil {
			return m.Content.Text
		}
		var b bytes.Buffer
		for _, p := range m.Content.Parts {
			var part struct {
				Type string `json:"type"`
				Text string `json:"text"`
			}
			if codec.Unmarshal(p, &part) == nil && part.Type == "text" {
				b.WriteString(part.Text)
			}
		}
		return b.String()
	case m.Reasoning != nil:
		return *m.Reasoning
	case m.ToolReturn != nil:
		return *m.ToolReturn
	}
	return ""
}

// DecodeToolCalls returns the message's tool calls: ToolCalls read as an
// array or as one streamed delta, else ToolCall alone; nil when it has
// none.
func (m *Message) DecodeToolCalls() ([]ToolCall, error) {
	t := bytes.TrimSpace(m.ToolCalls)
	switch {
	case len(t) > 0 && t[0] == '[':
		var calls []ToolCall
		err := codec.Unmarshal(t, &calls)
		return calls, err
	case len(t) > 0 && t[0] == '{':
		var call ToolCall
		err := codec.Unmarshal(t, &call)
		return []ToolCall{call}, err
	case m.ToolCall != nil:
		return []ToolCall{*m.ToolCall}, nil
	}
	return nil, nil
}

type messageFields Message

var messageKeys = jsonKeys(reflect.TypeFor[messageFields]())

// UnmarshalJSON implements json.Unmarshaler. Any JSON object decodes,
// whatever its message_type; the original JSON is kept (Raw).
func (m *Message) UnmarshalJSON(data []byte) error {
	old := *m
	*m = Message{}
	if err := codec.Unmarshal(data, (*messageFields)(m)); err != nil {
		*m = old
		return err
	}
	m.raw = string(data)
	return nil
}

// MarshalJSON implements json.Marshaler: an unmodified decoded message
// encodes as the JSON it came as.
func (m Message) MarshalJSON() ([]byte, error) {
	f := messageFields(m)
	f.raw = ""
	return marshalUnion(f, m.Raw(), messageKeys, "message_type", string(m.MessageType))
}

// LettaResponse is the answer to Messages.Send: the turn's new messages
// (not the user's own), why the run stopped, and the token usage.
type LettaResponse struct {
	// Messages are the messages the agent produced this turn, in order:
	// reasoning, tool calls and returns, assistant messages.
	Messages []Message `json:"messages"`
	// StopReason is a stop_reason Message (StopReason set).
	StopReason Message `json:"stop_reason"`
	// Usage is a usage_statistics Message (the token fields set).
	Usage Message `json:"usage"`
	// Logprobs are the token log probabilities when the request asked for
	// them (ReturnLogprobs), a JSON object; null otherwise.
	Logprobs json.RawMessage `json:"logprobs,omitzero"`
	// Turns are the turns' token ids when asked for (ReturnTokenIDs), a
	// JSON array; null otherwise.
	Turns json.RawMessage `json:"turns,omitzero"`
}

// AssistantText returns the content of the response's assistant messages,
// joined with newlines: what the agent said.
func (r *LettaResponse) AssistantText() string {
	if r == nil {
		return ""
	}
	var b bytes.Buffer
	for i := range r.Messages {
		if r.Messages[i].MessageType != MessageTypeAssistant {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(r.Messages[i].Text())
	}
	return b.String()
}
