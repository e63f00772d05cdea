package lettatest

import (
	"encoding/json"
	"net/http"
)

// Tool approval (tool_rules {"type": "requires_approval", "tool_name": ...}):
// the turn stops when the model calls such a tool, with the call as an
// approval_request_message and stop reason requires_approval; the client's
// next send is an approval (approve or deny), which runs the tool (or
// returns the denial to the model) and lets the model answer.

// approvalInput is one {"type": "approval", ...} message: the deprecated
// form (approve, approval_request_id, reason) or the list form (approvals).
type approvalInput struct {
	approvals []approvalJSON
	approve   *bool
	requestID *string
	reason    *string
}

// approvalJSON is one ApprovalReturn as stored and rendered.
type approvalJSON struct {
	Type       string  `json:"type"`
	ToolCallID string  `json:"tool_call_id"`
	Approve    bool    `json:"approve"`
	Reason     *string `json:"reason"`
}

type approvalResponseMsgJSON struct {
	msgHead
	Approvals         []approvalJSON `json:"approvals"`
	Approve           *bool          `json:"approve"`
	ApprovalRequestID *string        `json:"approval_request_id"`
	Reason            *string        `json:"reason"`
}

// parseApproval reads an approval message; ok is false when it is not one.
func parseApproval(o obj, m map[string]any, i int) (approvalInput, bool) {
	if m["type"] != "approval" {
		return approvalInput{}, false
	}
	var in approvalInput
	c := o.child(m, "messages", i)
	in.approve = c.optBool("approve")
	in.requestID = c.optStr("approval_request_id")
	in.reason = c.optStr("reason")
	list, _ := c.optList("approvals")
	for j, raw := range list {
		am, isObj := raw.(map[string]any)
		if !isObj {
			c.fail("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", raw, nil, "approvals", j)
			continue
		}
		a := approvalJSON{Type: "approval"}
		a.ToolCallID, _ = am["tool_call_id"].(string)
		a.Approve, _ = am["approve"].(bool)
		if r, isStr := am["reason"].(string); isStr {
			a.Reason = &r
		}
		in.approvals = append(in.approvals, a)
	}
	if in.approvals == nil && in.approve != nil && in.requestID != nil {
		// The deprecated form is stored as a one-item list whose
		// tool_call_id is the request message's id.
		in.approvals = []approvalJSON{{Type: "approval", ToolCallID: *in.requestID, Approve: *in.approve, Reason: in.reason}}
	}
	if len(in.approvals) > 0 {
		first := in.approvals[0]
		if in.approve == nil {
			in.approve = &first.Approve
		}
		if in.requestID == nil {
			in.requestID = &first.ToolCallID
		}
		if in.reason == nil {
			in.reason = first.Reason
		}
	}
	return in, true
}

// requiresApproval reports whether the agent's tool rules make name need
// approval.
func requiresApproval(a *agent, name string) bool {
	var rules []struct {
		Type     string `json:"type"`
		ToolName string `json:"tool_name"`
	}
	if json.Unmarshal(a.toolRules, &rules) != nil {
		return false
	}
	for _, r := range rules {
		if r.Type == "requires_approval" && r.ToolName == name {
			return true
		}
	}
	return false
}

// pendingApproval is the agent's answer row waiting for approval, or nil.
func (s *store) pendingApproval(a *agent) *storedMsg {
	msgs := s.chat(a.id).msgs
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if m.role == "approval" || m.role == "tool" || m.role == "user" {
			return nil
		}
		if m.role == "assistant" && m.approval {
			return m
		}
		if m.role == "assistant" {
			return nil
		}
	}
	return nil
}

// runApproval answers an approval: the response row, the tool's result (or
// the denial) in the requesting step, then the model's answer; the caller
// holds s.mu.
func (s *store) runApproval(a *agent, in sendInput, ap approvalInput) (*turn, *response) {
	req := s.pendingApproval(a)
	if req == nil {
		r := detailError(http.StatusBadRequest, "Cannot process approval response: No tool call is currently awaiting approval. "+
			"Please send a regular message to interact with the agent.")
		return nil, &r
	}
	t := &turn{agentID: a.id, runID: s.ids.newID("run"), stop: "end_turn",
		types: in.types, tokens: in.streamTokens, pings: in.includePings}
	resp := &storedMsg{id: s.ids.newID("message"), role: "approval", created: s.clock.tick(), runID: &t.runID,
		approvals: ap.approvals, approve: ap.approve, approvalRequestID: ap.requestID, reason: ap.reason}
	t.users = []*storedMsg{resp}

	text := s.lastUserText(a)
	tool := &storedMsg{id: s.ids.newID("message"), role: "tool", created: s.clock.tick(), stepID: req.stepID,
		runID: &t.runID, toolName: req.call.name, toolCallID: req.call.id}
	if ap.approve != nil && *ap.approve {
		tool.toolReturn, tool.status, tool.stderr = s.memoryInsert(a, text)
		s.recompileSystem(a, s.clock.now(), false)
	} else {
		reason := "None"
		if ap.reason != nil {
			reason = *ap.reason
		}
		tool.toolReturn, tool.status = "Error: request to call tool denied. User reason: "+reason, "error"
		tool.toolName = ""
	}
	t.users = append(t.users, tool)
	t.lead = []*storedMsg{tool}

	step := afterMemory(text, tool.status != "success")
	stepID := new(string)
	*stepID = s.ids.newID("step")
	row := &storedMsg{id: s.ids.newID("message"), role: "assistant", created: s.clock.tick(),
		stepID: stepID, runID: &t.runID, reasoning: step.reasoning, text: step.content}
	prompt := s.promptTokens(a, t, 1)
	t.steps = []turnStep{{model: step, assistant: row}}
	t.usage = usageJSON{MessageType: "usage_statistics", CompletionTokens: step.completionTokens(), PromptTokens: prompt,
		TotalTokens: prompt + step.completionTokens(), StepCount: 1, ContextTokens: prompt + step.completionTokens()}
	if !in.streamTokens {
		zero := int64(0)
		t.usage.CachedInputTokens, t.usage.CacheWriteTokens, t.usage.ReasoningTokens = &zero, &zero, &zero
	}
	s.store(a, t.users...)
	return t, nil
}
