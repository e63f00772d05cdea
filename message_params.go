package letta

import (
	"encoding/json"
	"strconv"
)

// MessageSendParams is the body of Messages.Send (LettaRequest,
// POST /v1/agents/{agent_id}/messages). Messages, Approvals or Input is
// required.
// Nil fields are not sent, so the server's defaults apply.
type MessageSendParams struct {
	// Messages are the new messages for the agent, usually one user
	// message: []letta.MessageCreate{{Role: letta.MessageRoleUser,
	// Content: letta.TextContent("hi")}}.
	Messages []MessageCreate `json:"messages,omitzero"`
	// Approvals answer a turn that stopped with requires_approval; they go
	// into the same "messages" array, after Messages (usually alone).
	Approvals []ApprovalCreate `json:"-"`
	// Input is the shorthand for one user message: a string or content
	// parts; nil = not sent.
	Input *MessageContent `json:"input,omitzero"`
	// MaxSteps caps the agent's steps (model calls) this turn (server: 50).
	MaxSteps *int `json:"max_steps,omitzero"`
	// UseAssistantMessage turns send_message tool calls into
	// assistant_messages (server: true).
	UseAssistantMessage *bool `json:"use_assistant_message,omitzero"`
	// AssistantMessageToolName and AssistantMessageToolKwarg name the tool
	// and argument that carry the answer (server: send_message, message).
	AssistantMessageToolName  *string `json:"assistant_message_tool_name,omitzero"`
	AssistantMessageToolKwarg *string `json:"assistant_message_tool_kwarg,omitzero"`
	// IncludeReturnMessageTypes filters the returned messages by type;
	// nil returns every type.
	IncludeReturnMessageTypes []MessageType `json:"include_return_message_types,omitzero"`
	// EnableThinking turns the model's reasoning on (server: "true").
	EnableThinking *string `json:"enable_thinking,omitzero"`
	// ClientTools are tools the client executes (JSON objects); the run
	// stops with requires_approval when the model calls one.
	ClientTools []json.RawMessage `json:"client_tools,omitzero"`
	// ClientSkills are skills the client provides (JSON objects).
	ClientSkills []json.RawMessage `json:"client_skills,omitzero"`
	// OverrideModel is a model handle to use for this turn only.
	OverrideModel *string `json:"override_model,omitzero"`
	// OverrideSystem is a system prompt to use for this turn only.
	OverrideSystem *string `json:"override_system,omitzero"`
	// IncludeCompactionMessages returns summary messages when the context
	// is compacted (server: false).
	IncludeCompactionMessages *bool `json:"include_compaction_messages,omitzero"`
	// ReturnLogprobs asks for log probabilities (LettaResponse.Logprobs),
	// TopLogprobs how many alternatives per token.
	ReturnLogprobs *bool `json:"return_logprobs,omitzero"`
	TopLogprobs    *int  `json:"top_logprobs,omitzero"`
	// ReturnTokenIDs asks for the turns' token ids (LettaResponse.Turns).
	ReturnTokenIDs *bool `json:"return_token_ids,omitzero"`
}

// MessageStreamParams is the body of Messages.Stream
// (LettaStreamingRequest): MessageSendParams and the streaming options.
// The SDK sends "streaming": true itself.
type MessageStreamParams struct {
	MessageSendParams
	// StreamTokens streams each model chunk as its own event (pieces of
	// reasoning, content and tool-call arguments that share the message's
	// id); false or nil streams whole messages (server: false).
	StreamTokens *bool `json:"stream_tokens,omitzero"`
	// IncludePings sends a ping first and then after every 20 s without
	// data, which keeps proxies from closing an idle stream (server: true).
	// Pings are yielded as Messages of MessageTypePing. They also keep the
	// stream within the per-attempt timeout, which bounds each wait for
	// data: with false, a model silent for longer than it (60 s by
	// default) ends the stream with ErrAttemptTimeout.
	IncludePings *bool `json:"include_pings,omitzero"`
	// Background runs the turn in the background on the server, so that
	// it continues if the stream is cut (server: false).
	Background *bool `json:"background,omitzero"`
}

// wireMessages is the "messages" array: Messages, then Approvals (nil when
// there are no approvals: the field's own encoding is then used).
func (p *MessageSendParams) wireMessages() []any {
	if p == nil || len(p.Approvals) == 0 {
		return nil
	}
	out := make([]any, 0, len(p.Messages)+len(p.Approvals))
	for _, m := range p.Messages {
		out = append(out, m)
	}
	for _, a := range p.Approvals {
		out = append(out, a)
	}
	return out
}

func (p *MessageSendParams) validate(param string) error {
	if p == nil || (len(p.Messages) == 0 && len(p.Approvals) == 0 && p.Input == nil) {
		return &InvalidParamError{Param: param + "messages", Reason: "at least one message, approval or input is required"}
	}
	for i := range p.Approvals {
		if err := p.Approvals[i].validate(param + "approvals[" + strconv.Itoa(i) + "]"); err != nil {
			return err
		}
	}
	for i := range p.Messages {
		if err := p.Messages[i].validate(param + "messages[" + strconv.Itoa(i) + "]"); err != nil {
			return err
		}
	}
	for i, t := range p.ClientTools {
		if err := validJSONObject(param+"client_tools["+strconv.Itoa(i)+"]", t); err != nil {
			return err
		}
	}
	for i, t := range p.ClientSkills {
		if err := validJSONObject(param+"client_skills["+strconv.Itoa(i)+"]", t); err != nil {
			return err
		}
	}
	return nil
}

// MessageListParams are the query parameters of Messages.List
// (GET /v1/agents/{agent_id}/messages). A nil *MessageListParams uses the
// server's defaults: the newest 100 stored messages.
//
// The server pages by stored messages, not by the Messages it returns:
// one stored model response expands into a reasoning message and an
// assistant message (or tool call) that share one id, so a page can hold
// more than Limit items. Whatever Order says, a page lists its messages
// oldest first: Order chooses which stored messages (the oldest or the
// newest Limit after the cursor).
type MessageListParams struct {
	// Before returns the messages before this message id in Order.
	Before string `url:"before,omitempty"`
	// After returns the messages after this message id in Order.
	After string `url:"after,omitempty"`
	// Limit is the number of stored messages to return; nil = the server
	// default (100); 0 returns none.
	Limit *int `url:"limit,omitempty"`
	// Order is asc (oldest first) or desc (newest first, the default).
	Order Order `url:"order,omitempty"`
	// OrderBy is the sort field; the server knows only "created_at".
	OrderBy string `url:"order_by,omitempty"`
	// GroupID filters by multi-agent group.
	GroupID string `url:"group_id,omitempty"`
	// ConversationID filters by conversation.
	ConversationID string `url:"conversation_id,omitempty"`
	// UseAssistantMessage, AssistantMessageToolName and
	// AssistantMessageToolKwarg are deprecated by the server: they shape
	// send_message calls of older agents into assistant messages.
	UseAssistantMessage       *bool  `url:"use_assistant_message,omitempty"`
	AssistantMessageToolName  string `url:"assistant_message_tool_name,omitempty"`
	AssistantMessageToolKwarg string `url:"assistant_message_tool_kwarg,omitempty"`
	// IncludeErr includes error messages and statuses (for debugging).
	IncludeErr *bool `url:"include_err,omitempty"`
	// IncludeReturnMessageTypes keeps only these types (repeated keys);
	// nil or empty returns every type. The server filters after Limit:
	// the page holds the messages of these types among the Limit stored
	// ones, so it can hold fewer than Limit, or none.
	IncludeReturnMessageTypes []MessageType `url:"include_return_message_types,omitempty"`
}

func (p *MessageListParams) validate() error {
	if p == nil || p.Limit == nil {
		return nil
	}
	if *p.Limit < 0 {
		return &InvalidParamError{Param: "limit", Value: strconv.Itoa(*p.Limit), Reason: "must not be negative"}
	}
	return nil
}

// MessageResetParams is the body of Messages.Reset
// (PATCH /v1/agents/{agent_id}/reset-messages). A nil params sends {}.
type MessageResetParams struct {
	// AddDefaultInitialMessages adds the agent type's default initial
	// messages after the reset (server: false).
	AddDefaultInitialMessages *bool `json:"add_default_initial_messages,omitzero"`
}

// MessageCancelParams is the body of Messages.Cancel
// (POST /v1/agents/{agent_id}/messages/cancel). A nil params sends no body
// and cancels every active run of the agent.
type MessageCancelParams struct {
	// RunIDs are the runs to cancel; nil or empty cancels every active run.
	RunIDs []string `json:"run_ids,omitzero"`
}
