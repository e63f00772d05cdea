package lettatest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// storedMsg is one stored Message row, as the server keeps an agent's
// history: the system prompt, the user's messages, each LLM answer (its
// reasoning and its content or tool call in one row) and each tool result.
// The LettaMessages of the API are views of these rows.
type storedMsg struct {
	id      string
	role    string // system, user, assistant or tool
	created time.Time
	otid    *string // user messages: the client's (or a generated) otid
	stepID  *string
	runID   *string

	content any // system: string; user: string or a list of text parts

	reasoning string // assistant
	text      string // assistant content
	call      *modelCall

	toolName, toolCallID, toolReturn, status string // tool
	stderr                                   []string

	approval bool // assistant: the call waits for approval

	approvals         []approvalJSON // approval (the client's response)
	approve           *bool
	approvalRequestID *string
	reason            *string
}

// chatLog is an agent's stored history in creation order.
type chatLog struct {
	msgs []*storedMsg
}

// chat returns the agent's history, made on first use; the caller holds
// s.mu.
func (s *store) chat(agentID string) *chatLog {
	if s.chats == nil {
		s.chats = map[string]*chatLog{}
	}
	c := s.chats[agentID]
	if c == nil {
		c = &chatLog{}
		s.chats[agentID] = c
	}
	return c
}

// startHistory writes an agent's initial message, the compiled system
// prompt, as the server does on create; the caller holds s.mu.
func (s *store) startHistory(a *agent, now time.Time) {
	m := &storedMsg{id: s.ids.newID("message"), role: "system", created: now}
	m.content = s.compileSystem(a, now, 0)
	s.chat(a.id).msgs = append(s.chat(a.id).msgs, m)
	a.messageIDs = []string{m.id}
}

// systemMessage returns the agent's system message row, or nil.
func (s *store) systemMessage(a *agent) *storedMsg {
	for _, m := range s.chat(a.id).msgs {
		if m.role == "system" {
			return m
		}
	}
	return nil
}

// recompileSystem rebuilds the system message's text from the agent's
// current memory, as the server does at reset and when a turn starts after
// memory changed. Messages stored but out of context are "previous
// messages" in recall memory.
func (s *store) recompileSystem(a *agent, now time.Time, force bool) {
	m := s.systemMessage(a)
	if m == nil {
		return
	}
	old, _ := m.content.(string)
	if !force && memorySection(old) == memorySection(s.compileSystem(a, now, 0)) {
		return
	}
	previous := len(s.chat(a.id).msgs) - len(a.messageIDs)
	if previous < 0 {
		previous = 0
	}
	m.content = s.compileSystem(a, now, previous)
}

// memorySection is the <memory_blocks> part of a compiled prompt.
func memorySection(prompt string) string {
	_, after, _ := strings.Cut(prompt, "<memory_blocks>")
	section, _, _ := strings.Cut(after, "</memory_blocks>")
	return section
}

// compileSystem renders the system prompt the way the server compiles it:
// the agent's system text, its memory blocks with their metadata, and the
// memory metadata (agent id, compile time, recall count).
func (s *store) compileSystem(a *agent, now time.Time, previous int) string {
	var b strings.Builder
	b.WriteString(a.system)
	b.WriteString("\n\n")
	var blocks []*block
	for _, id := range a.blockIDs {
		if blk := s.blocks[id]; blk != nil {
			blocks = append(blocks, blk)
		}
	}
	if len(blocks) > 0 {
		b.WriteString("<memory_blocks>\nThe following memory blocks are currently engaged in your core memory unit:\n\n")
		for _, blk := range blocks {
			label := "block"
			if blk.json.Label != nil {
				label = *blk.json.Label
			}
			desc := ""
			if blk.json.Description != nil {
				desc = *blk.json.Description
			}
			fmt.Fprintf(&b, "<%s>\n<description>\n%s\n</description>\n<metadata>", label, desc)
			if blk.json.ReadOnly {
				b.WriteString("\n- read_only=true")
			}
			fmt.Fprintf(&b, "\n- chars_current=%d\n- chars_limit=%d\n</metadata>\n", utf8.RuneCountInString(blk.json.Value), blk.json.Limit)
			fmt.Fprintf(&b, "<value>\n%s\n</value>\n</%s>\n\n", blk.json.Value, label)
		}
		b.WriteString("</memory_blocks>\n\n")
	}
	b.WriteString("<memory_metadata>\n")
	fmt.Fprintf(&b, "- AGENT_ID: %s\n- CONVERSATION_ID: default\n", a.id)
	fmt.Fprintf(&b, "- System prompt last recompiled: %s\n", now.UTC().Format("2006-01-02 03:04:05 PM MST-0700"))
	fmt.Fprintf(&b, "- %d previous messages between you and the user are stored in recall memory\n</memory_metadata>", previous)
	return b.String()
}

// msgHead is the fields every LettaMessage starts with, in the server's
// order.
type msgHead struct {
	ID          string  `json:"id"`
	Date        string  `json:"date"`
	Name        *string `json:"name"`
	MessageType string  `json:"message_type"`
	Otid        *string `json:"otid"`
	SenderID    *string `json:"sender_id"`
	StepID      *string `json:"step_id"`
	IsErr       *bool   `json:"is_err"`
	SeqID       *int64  `json:"seq_id"`
	RunID       *string `json:"run_id"`
}

type contentMsgJSON struct {
	msgHead
	Content any `json:"content"`
}

type reasoningMsgJSON struct {
	msgHead
	Source    string  `json:"source"`
	Reasoning string  `json:"reasoning"`
	Signature *string `json:"signature"`
}

type toolCallJSON struct {
	Name       string `json:"name"`
	Arguments  string `json:"arguments"`
	ToolCallID string `json:"tool_call_id"`
}

// toolCallDeltaJSON is a streamed piece of a tool call: keys without a
// value are absent, not null.
type toolCallDeltaJSON struct {
	Name       string `json:"name,omitempty"`
	Arguments  string `json:"arguments,omitempty"`
	ToolCallID string `json:"tool_call_id"`
}

type toolCallMsgJSON struct {
	msgHead
	ToolCall  any `json:"tool_call"`
	ToolCalls any `json:"tool_calls"`
}

type toolReturnJSON struct {
	Type       string    `json:"type"`
	ToolReturn string    `json:"tool_return"`
	Status     string    `json:"status"`
	ToolCallID string    `json:"tool_call_id"`
	Stdout     *[]string `json:"stdout"`
	Stderr     *[]string `json:"stderr"`
}

type toolReturnMsgJSON struct {
	msgHead
	ToolReturn  string           `json:"tool_return"`
	Status      string           `json:"status"`
	ToolCallID  string           `json:"tool_call_id"`
	Stdout      *[]string        `json:"stdout"`
	Stderr      *[]string        `json:"stderr"`
	ToolReturns []toolReturnJSON `json:"tool_returns"`
}

type stopReasonJSON struct {
	MessageType string `json:"message_type"`
	StopReason  string `json:"stop_reason"`
}

type usageJSON struct {
	MessageType       string   `json:"message_type"`
	CompletionTokens  int64    `json:"completion_tokens"`
	PromptTokens      int64    `json:"prompt_tokens"`
	TotalTokens       int64    `json:"total_tokens"`
	StepCount         int64    `json:"step_count"`
	RunIDs            []string `json:"run_ids"`
	CachedInputTokens *int64   `json:"cached_input_tokens"`
	CacheWriteTokens  *int64   `json:"cache_write_tokens"`
	ReasoningTokens   *int64   `json:"reasoning_tokens"`
	ContextTokens     int64    `json:"context_tokens"`
}

// messageDate is a LettaMessage's date: whole seconds and "+00:00".
func messageDate(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05") + "+00:00"
}

// partOtid is Message.generate_otid_from_id: the row id's uuid with its
// last 7 bits replaced by the part's index.
func partOtid(id string, index int) *string {
	u := strings.TrimPrefix(id, "message-")
	if len(u) < 2 {
		return &u
	}
	var last byte
	if _, err := fmt.Sscanf(u[len(u)-2:], "%02x", &last); err != nil {
		return &u
	}
	o := fmt.Sprintf("%s%02x", u[:len(u)-2], last&0x80|byte(index)&0x7f)
	return &o
}

func (m *storedMsg) head(messageType string) msgHead {
	return msgHead{ID: m.id, Date: messageDate(m.created), MessageType: messageType, StepID: m.stepID, RunID: m.runID}
}

// letta renders the row as the LettaMessages the API lists, in order.
func (m *storedMsg) letta() []any {
	switch m.role {
	case "system":
		h := m.head("system_message")
		h.Otid = m.otid // set on a system message the client sent
		return []any{contentMsgJSON{msgHead: h, Content: m.content}}
	case "user":
		h := m.head("user_message")
		h.Otid = m.otid
		return []any{contentMsgJSON{msgHead: h, Content: m.content}}
	case "assistant":
		var out []any
		if m.reasoning != "" {
			out = append(out, m.reasoningJSON(m.reasoning))
		}
		if m.call != nil && m.approval {
			// The request's otid is its id; the arguments are the model's.
			h := m.head("approval_request_message")
			h.Otid = &m.id
			tc := toolCallJSON{Name: m.call.name, Arguments: m.call.rawArgs, ToolCallID: m.call.id}
			return append(out, toolCallMsgJSON{msgHead: h, ToolCall: tc, ToolCalls: []toolCallJSON{tc}})
		}
		if m.call != nil {
			h := m.head("tool_call_message")
			h.Otid = partOtid(m.id, len(out))
			tc := toolCallJSON{Name: m.call.name, Arguments: m.call.args, ToolCallID: m.call.id}
			return append(out, toolCallMsgJSON{msgHead: h, ToolCall: tc, ToolCalls: []toolCallJSON{tc}})
		}
		h := m.head("assistant_message")
		h.Otid = partOtid(m.id, len(out))
		return append(out, contentMsgJSON{msgHead: h, Content: m.text})
	case "approval":
		return []any{approvalResponseMsgJSON{msgHead: m.head("approval_response_message"), Approvals: m.approvals,
			Approve: m.approve, ApprovalRequestID: m.approvalRequestID, Reason: m.reason}}
	case "tool":
		h := m.head("tool_return_message")
		if m.toolName != "" { // a denied call's result has no name
			h.Name = &m.toolName
		}
		h.Otid = partOtid(m.id, 0)
		var stderr *[]string
		if m.stderr != nil {
			stderr = &m.stderr
		}
		return []any{toolReturnMsgJSON{
			msgHead: h, ToolReturn: m.toolReturn, Status: m.status, ToolCallID: m.toolCallID, Stderr: stderr,
			ToolReturns: []toolReturnJSON{{Type: "tool", ToolReturn: m.toolReturn, Status: m.status, ToolCallID: m.toolCallID, Stderr: stderr}},
		}}
	}
	return nil
}

func (m *storedMsg) reasoningJSON(piece string) reasoningMsgJSON {
	h := m.head("reasoning_message")
	h.Otid = partOtid(m.id, 0)
	return reasoningMsgJSON{msgHead: h, Source: "reasoner_model", Reasoning: piece}
}

// messageType is the message_type of a rendered LettaMessage.
func messageType(v any) string {
	switch x := v.(type) {
	case contentMsgJSON:
		return x.MessageType
	case reasoningMsgJSON:
		return x.MessageType
	case toolCallMsgJSON:
		return x.MessageType
	case toolReturnMsgJSON:
		return x.MessageType
	case approvalResponseMsgJSON:
		return x.MessageType
	case msgHead:
		return x.MessageType
	}
	return ""
}

// mustJSON marshals our own wire types, which cannot fail.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte("null")
	}
	return b
}
