package letta

import (
	"strconv"

	"github.com/letta-go/letta/internal/codec"
)

// ApprovalCreate answers a turn that stopped with stop reason
// requires_approval (ApprovalCreate of the spec): the decision on each tool
// call of the approval_request_message. Send it in
// MessageSendParams.Approvals; the server then runs (or refuses) the calls
// and the agent continues.
type ApprovalCreate struct {
	// Approvals are the decisions, one per tool call: Approve(id) and
	// Deny(id, reason) build them.
	Approvals []ApprovalDecision `json:"approvals,omitzero"`
	// Otid is an offline threading id.
	Otid *string `json:"otid,omitzero"`
	// GroupID is the multi-agent group the message belongs to.
	GroupID *string `json:"group_id,omitzero"`
	// Approve, ApprovalRequestID and Reason are the server's deprecated
	// single decision on a whole approval_request_message (by its id).
	Approve           *bool   `json:"approve,omitzero"`
	ApprovalRequestID *string `json:"approval_request_id,omitzero"`
	Reason            *string `json:"reason,omitzero"`
}

// MarshalJSON implements json.Marshaler: it adds "type": "approval".
func (a ApprovalCreate) MarshalJSON() ([]byte, error) {
	type fields ApprovalCreate
	return codec.Marshal(struct {
		Type string `json:"type"`
		fields
	}{"approval", fields(a)})
}

// ApprovalDecision is one decision of an ApprovalCreate: an approval or a
// denial of a tool call (type "approval", ApprovalReturn of the spec), or
// the result of a tool the client ran itself (type "tool", ToolReturn).
type ApprovalDecision struct {
	// Type is "approval" or "tool"; empty sends "approval".
	Type string `json:"type"`
	// ToolCallID is the call decided on (ToolCall.ToolCallID of the
	// approval_request_message), required.
	ToolCallID string `json:"tool_call_id"`
	// Approve and Reason: the decision and why (type approval). A denial's
	// reason reaches the model in the tool's error.
	Approve *bool   `json:"approve,omitzero"`
	Reason  *string `json:"reason,omitzero"`
	// ToolReturn, Status ("success" or "error"), Stdout and Stderr: the
	// result of a tool the client ran (type tool; ToolReturn and Status
	// required then).
	ToolReturn *MessageContent `json:"tool_return,omitzero"`
	Status     *string         `json:"status,omitzero"`
	Stdout     []string        `json:"stdout,omitzero"`
	Stderr     []string        `json:"stderr,omitzero"`
}

// MarshalJSON implements json.Marshaler: an empty Type is sent as
// "approval".
func (d ApprovalDecision) MarshalJSON() ([]byte, error) {
	type fields ApprovalDecision
	if d.Type == "" {
		d.Type = "approval"
	}
	return codec.Marshal(fields(d))
}

// Approve returns the decision that approves the tool call toolCallID.
func Approve(toolCallID string) ApprovalDecision {
	return ApprovalDecision{Type: "approval", ToolCallID: toolCallID, Approve: Ptr(true)}
}

// Deny returns the decision that refuses the tool call toolCallID; reason
// ("" for none) is passed on to the model.
func Deny(toolCallID, reason string) ApprovalDecision {
	d := ApprovalDecision{Type: "approval", ToolCallID: toolCallID, Approve: Ptr(false)}
	if reason != "" {
		d.Reason = &reason
	}
	return d
}

func (a *ApprovalCreate) validate(param string) error {
	if len(a.Approvals) == 0 && a.Approve == nil {
		return &InvalidParamError{Param: param, Reason: "an approval needs Approvals (or the deprecated Approve)"}
	}
	for i, d := range a.Approvals {
		p := param + ".approvals[" + strconv.Itoa(i) + "]"
		if d.ToolCallID == "" {
			return &InvalidParamError{Param: p + ".tool_call_id", Reason: "required"}
		}
		switch d.Type {
		case "", "approval":
			if d.Approve == nil {
				return &InvalidParamError{Param: p + ".approve", Reason: "required"}
			}
		case "tool":
			if d.ToolReturn == nil || d.Status == nil {
				return &InvalidParamError{Param: p, Reason: "a tool return needs ToolReturn and Status"}
			}
		}
	}
	return nil
}
