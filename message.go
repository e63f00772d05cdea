package letta

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/letta-go/letta/internal/codec"
)

// MessageCreate is a message to put into an agent's context, e.g. in
// AgentCreateParams.InitialMessageSequence.
type MessageCreate struct {
	// Role is user, system or assistant (required).
	Role MessageRole `json:"role"`
	// Content is the message text or its content parts (required).
	Content MessageContent `json:"content"`
	// Type is the constant "message"; nil lets the server fill it in.
	Type *string `json:"type,omitzero"`
	// Name is the participant's name.
	Name *string `json:"name,omitzero"`
	// Otid is an offline threading id.
	Otid *string `json:"otid,omitzero"`
	// SenderID is the id of the sender (an identity or agent).
	SenderID *string `json:"sender_id,omitzero"`
	// GroupID is the multi-agent group the message belongs to.
	GroupID *string `json:"group_id,omitzero"`
	// BatchItemID is the batch item that produced the message.
	BatchItemID *string `json:"batch_item_id,omitzero"`
}

// MessageContent is a message's content: either a plain string (Parts nil)
// or an array of content parts (text, image, ...), kept as raw JSON objects.
type MessageContent struct {
	// Text is the content when it is a plain string.
	Text string
	// Parts are the content parts when the content is an array; non-nil
	// Parts win over Text.
	Parts []json.RawMessage
}

// TextContent returns string content.
func TextContent(text string) MessageContent { return MessageContent{Text: text} }

// TextPart returns a {"type":"text","text":...} content part.
func TextPart(text string) json.RawMessage {
	b, _ := codec.Marshal(struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}{"text", text}) // strings always encode
	return b
}

// MarshalJSON implements json.Marshaler.
func (c MessageContent) MarshalJSON() ([]byte, error) {
	if c.Parts != nil {
		return codec.Marshal(c.Parts)
	}
	return codec.Marshal(c.Text)
}

// UnmarshalJSON implements json.Unmarshaler.
func (c *MessageContent) UnmarshalJSON(data []byte) error {
	d := bytes.TrimSpace(data)
	if len(d) > 0 && d[0] == '[' {
		var parts []json.RawMessage
		if err := codec.Unmarshal(d, &parts); err != nil {
			return err
		}
		if parts == nil {
			parts = []json.RawMessage{}
		}
		*c = MessageContent{Parts: parts}
		return nil
	}
	var s string
	if err := codec.Unmarshal(d, &s); err != nil {
		return err
	}
	*c = MessageContent{Text: s}
	return nil
}

func (m *MessageCreate) validate(param string) error {
	if m.Role == "" {
		return &InvalidParamError{Param: param + ".role", Reason: "required"}
	}
	for i, p := range m.Content.Parts {
		if err := validJSONObject(param+".content["+strconv.Itoa(i)+"]", p); err != nil {
			return err
		}
		if len(p) == 0 {
			return &InvalidParamError{Param: param + ".content[" + strconv.Itoa(i) + "]", Reason: "empty content part"}
		}
	}
	return nil
}

// ApprovalRequestMessage is a tool call waiting for a human's approval.
type ApprovalRequestMessage struct {
	// ID is the message id.
	ID string `json:"id"`
	// Date is when the message was created.
	Date Timestamp `json:"date"`
	// MessageType is "approval_request_message".
	MessageType string `json:"message_type"`
	// Name is the participant's name.
	Name *string `json:"name"`
	// Otid is the offline threading id.
	Otid *string `json:"otid"`
	// SenderID is the sender's id.
	SenderID *string `json:"sender_id"`
	// StepID is the step that produced the message.
	StepID *string `json:"step_id"`
	// IsErr marks an error message.
	IsErr *bool `json:"is_err"`
	// SeqID is the message's sequence number.
	SeqID *int64 `json:"seq_id"`
	// RunID is the run that produced the message.
	RunID *string `json:"run_id"`
	// ToolCall is the call to approve (a ToolCall object; DecodeToolCall reads it).
	ToolCall json.RawMessage `json:"tool_call"`
	// ToolCalls are all calls to approve: an array of ToolCall, a single
	// delta object, or null.
	ToolCalls json.RawMessage `json:"tool_calls"`
}

// ToolCall is a call of a tool by a model.
type ToolCall struct {
	// Name is the tool's name.
	Name string `json:"name"`
	// Arguments are the call's arguments, a JSON-encoded string.
	Arguments string `json:"arguments"`
	// ToolCallID is the call's id.
	ToolCallID string `json:"tool_call_id"`
}

// DecodeToolCall decodes ToolCall. Fields the server sent as null are "";
// a tool_call that is null or absent gives the zero ToolCall.
func (m *ApprovalRequestMessage) DecodeToolCall() (ToolCall, error) {
	var tc ToolCall
	if len(m.ToolCall) == 0 {
		return tc, nil
	}
	err := codec.Unmarshal(m.ToolCall, &tc)
	return tc, err
}
