package letta

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"sync/atomic"

	"github.com/letta-go/letta/internal/codec"
)

// MessagesService talks to an agent: it sends messages (waiting for the
// answer or streaming it), reads the conversation's history, resets the
// agent's context and cancels a running turn
// (/v1/agents/{agent_id}/messages...). Get it from Client.Messages.
type MessagesService service

func messagesPath(agentID string) (string, error) {
	id, err := pathID("agent_id", agentID)
	if err != nil {
		return "", err
	}
	return agentsPath + id + "/messages", nil
}

// Send sends messages to an agent and waits for its whole turn.
//
// POST /v1/agents/{agent_id}/messages (streaming not set, so false).
// params is required and must hold at least one message (or Input); a nil
// params is an *InvalidParamError. The response holds the turn's new
// messages (not the ones sent), its stop reason and its token usage.
//
// A turn can take as long as the model does: the per-attempt timeout
// (WithTimeout, default 60 s; WithRequestTimeout for one call) bounds it.
// Like every POST, Send is never retried once the request may have reached
// the server (a second attempt would be a second model turn): such a
// failure matches ErrMaybeApplied; check the history before sending again.
func (s *MessagesService) Send(ctx context.Context, agentID string, params *MessageSendParams, opts ...RequestOption) (*LettaResponse, error) {
	path, err := messagesPath(agentID)
	if err != nil {
		return nil, withOp("Messages.Send", err)
	}
	if err := params.validate(""); err != nil {
		return nil, withOp("Messages.Send", err)
	}
	var body any = params
	if m := params.wireMessages(); m != nil {
		// The outer field shadows the embedded one of the same name.
		body = struct {
			*MessageSendParams
			Messages []any `json:"messages"`
		}{params, m}
	}
	out := new(LettaResponse)
	if err := s.client.do(ctx, apiCall{method: http.MethodPost, path: path, body: body}, out, opts); err != nil {
		return nil, withOp("Messages.Send", err)
	}
	return out, nil
}

// streamBody is the body of a stream: the caller's params with streaming on.
type streamBody struct {
	*MessageStreamParams
	Streaming bool `json:"streaming"`
}

// Stream sends messages to an agent and yields its turn as it happens:
// each event of the server's text/event-stream as a Message, in order
// (pings, reasoning, tool calls and returns, assistant messages, then the
// stop_reason and usage_statistics events).
//
// POST /v1/agents/{agent_id}/messages with "streaming": true. params is
// required and must hold at least one message (or Input); nil
// StreamTokens streams whole messages, nil IncludePings gets the server's
// pings (its default); yielded pings can simply be skipped.
//
// The request is sent when the loop starts, once: ranging over the
// iterator a second time yields ErrStreamReused. It is retried only when
// it failed before any byte of it was written; once it may have reached
// the server, any failure is returned (a second attempt would be a second
// model turn).
//
// The iteration ends without an error at the server's end marker
// ([DONE]), or when the stream ends after a stop_reason event (a cancelled
// turn ends so). Breaking out of the loop closes the connection. An error
// is yielded once and ends the iteration: an *APIError when the server
// refused the request (404 for an unknown agent, 422), a *RequestError when
// no answer came, and a *StreamError when the stream broke off (cut
// connection, no data for the per-attempt timeout, ctx ended, an error
// the server reported mid-stream as an *EventError, e.g. a failing model,
// a malformed or too large event); the connection is then closed. At
// [DONE] the rest of the body (at most 4 KiB, 50 ms) is read before it is
// closed, so that the connection can be reused. The per-attempt
// timeout (WithTimeout, WithRequestTimeout) bounds the wait for the
// answer's headers and then each wait for more data, not the whole
// stream; each event is bounded by WithMaxResponseBytes.
func (s *MessagesService) Stream(ctx context.Context, agentID string, params *MessageStreamParams, opts ...RequestOption) iter.Seq2[Message, error] {
	path, err := messagesPath(agentID)
	if err != nil {
		return errSeq[Message](withOp("Messages.Stream", err))
	}
	var send *MessageSendParams
	if params != nil {
		send = &params.MessageSendParams
	}
	if err := send.validate(""); err != nil {
		return errSeq[Message](withOp("Messages.Stream", err))
	}
	// Marshalled now: a params changed after Stream returns is not sent.
	var wire any = streamBody{params, true}
	if m := send.wireMessages(); m != nil {
		// The outer field shadows the embedded one of the same name (even
		// when empty, so only when there are approvals).
		wire = struct {
			streamBody
			Messages []any `json:"messages"`
		}{streamBody{params, true}, m}
	}
	body, err := codec.Marshal(wire)
	if err != nil {
		return errSeq[Message](withOp("Messages.Stream", &InvalidParamError{Param: "request body", Reason: err.Error()}))
	}
	call := apiCall{method: http.MethodPost, path: path, body: json.RawMessage(body)}
	var used atomic.Bool
	return func(yield func(Message, error) bool) {
		if used.Swap(true) {
			yield(Message{}, ErrStreamReused)
			return
		}
		st, err := s.client.openStream(ctx, call, opts)
		if err != nil {
			yield(Message{}, withOp("Messages.Stream", err))
			return
		}
		defer st.close()
		for {
			m, done, err := st.next()
			if err != nil {
				yield(Message{}, err)
				return
			}
			if done {
				st.finish()
				return
			}
			if !yield(m, nil) {
				return
			}
		}
	}
}

// List returns one page of an agent's conversation history.
//
// GET /v1/agents/{agent_id}/messages. A nil params uses the server's
// defaults (the newest 100 stored messages). The page lists its messages
// oldest first whatever Order says, and may hold more items than Limit
// (see MessageListParams). IncludeReturnMessageTypes is sent as repeated
// keys. Use ListAll to walk the whole history.
func (s *MessagesService) List(ctx context.Context, agentID string, params *MessageListParams, opts ...RequestOption) ([]Message, error) {
	path, err := messagesPath(agentID)
	if err != nil {
		return nil, withOp("Messages.List", err)
	}
	if err := params.validate(); err != nil {
		return nil, withOp("Messages.List", err)
	}
	var out []Message
	if err := s.client.do(ctx, apiCall{method: http.MethodGet, path: path, query: params}, &out, opts); err != nil {
		return nil, withOp("Messages.List", err)
	}
	return out, nil
}

// ListAll iterates over an agent's whole history, oldest first, page by
// page (GET /v1/agents/{agent_id}/messages with order=asc and after = the
// last id seen; params itself is not modified). A nil params starts at
// the beginning with the server's page size; params.After starts after
// that message; the other filters apply to every page. Order must be
// empty or asc (the pages of a desc walk would come newest first but each
// list oldest first), and Before is refused: use List for the newest
// messages.
//
// The walk ends at the first empty page (a walk makes pages + 1
// requests). An error is yielded once and ends the iteration; so does a
// cancelled context.
func (s *MessagesService) ListAll(ctx context.Context, agentID string, params *MessageListParams, opts ...RequestOption) iter.Seq2[Message, error] {
	var p MessageListParams
	if params != nil {
		p = *params
	}
	if err := p.validate(); err != nil {
		return errSeq[Message](withOp("Messages.ListAll", err))
	}
	if p.Order != "" && p.Order != OrderAsc {
		return errSeq[Message](&InvalidParamError{Op: "Messages.ListAll", Param: "order", Value: string(p.Order),
			Reason: "ListAll walks the history oldest first (order asc); use List for the newest messages"})
	}
	if p.Before != "" {
		return errSeq[Message](&InvalidParamError{Op: "Messages.ListAll", Param: "before", Value: p.Before,
			Reason: "ListAll walks forward from After; use List for the messages before one"})
	}
	if p.Limit != nil && *p.Limit == 0 {
		return errSeq[Message](&InvalidParamError{Op: "Messages.ListAll", Param: "limit", Value: "0",
			Reason: "a page of 0 messages would never advance"})
	}
	p.Order = OrderAsc
	return func(yield func(Message, error) bool) {
		if ctx == nil {
			yield(Message{}, errNilContext())
			return
		}
		for {
			if err := ctx.Err(); err != nil {
				yield(Message{}, err)
				return
			}
			q := p
			page, err := s.List(ctx, agentID, &q, opts...)
			if err != nil {
				yield(Message{}, withOp("Messages.ListAll", err))
				return
			}
			if len(page) == 0 {
				return
			}
			for _, m := range page {
				if !yield(m, nil) {
					return
				}
			}
			next := page[len(page)-1].ID
			if next == "" || next == p.After {
				yield(Message{}, errNoProgress)
				return
			}
			p.After = next
		}
	}
}

// Reset resets an agent's context to its system message.
//
// PATCH /v1/agents/{agent_id}/reset-messages. A nil params sends {} (the
// server requires a body). The stored history is kept (List still returns
// it); only the messages in the agent's context (AgentState.MessageIDs)
// are reset. Returns the agent as the server answers it; nil when the
// server answers null.
func (s *MessagesService) Reset(ctx context.Context, agentID string, params *MessageResetParams, opts ...RequestOption) (*AgentState, error) {
	id, err := pathID("agent_id", agentID)
	if err != nil {
		return nil, withOp("Messages.Reset", err)
	}
	var body any = params
	if params == nil {
		body = struct{}{}
	}
	// Into a **AgentState: the spec allows null, which leaves out nil.
	var out *AgentState
	if err := s.client.do(ctx, apiCall{method: http.MethodPatch, path: agentsPath + id + "/reset-messages", body: body}, &out, opts); err != nil {
		return nil, withOp("Messages.Reset", err)
	}
	return out, nil
}

// Cancel cancels an agent's running turns and returns the state of each
// run it cancelled, by run id ("cancelled"). A stream of a cancelled turn
// ends after a stop_reason "cancelled" event.
//
// POST /v1/agents/{agent_id}/messages/cancel. A nil params sends no body
// and cancels every active run. When no run is active the server answers
// 409 (ErrConflict), also for an unknown agent.
func (s *MessagesService) Cancel(ctx context.Context, agentID string, params *MessageCancelParams, opts ...RequestOption) (map[string]string, error) {
	path, err := messagesPath(agentID)
	if err != nil {
		return nil, withOp("Messages.Cancel", err)
	}
	call := apiCall{method: http.MethodPost, path: path + "/cancel"}
	if params != nil {
		call.body = params
	}
	out := map[string]string{}
	if err := s.client.do(ctx, call, &out, opts); err != nil {
		return nil, withOp("Messages.Cancel", err)
	}
	return out, nil
}
