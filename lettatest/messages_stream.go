package lettatest

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/letta-go/letta/lettatest/internal/fakemodel"
)

// activeRun is a streamed turn in progress, which cancel can end.
type activeRun struct {
	agentID    string
	cancel     chan struct{}
	cancelOnce sync.Once
}

// cancelledEvent ends a cancelled stream, with the spaces of the server's
// other serialiser, and without [DONE].
const cancelledEvent = `{"message_type": "stop_reason", "stop_reason": "cancelled"}`

// streamResponse answers a streaming send: server-sent events as the server
// sends them (each "data: <compact JSON>\n\n"): a first ping when
// include_pings, the turn's messages (whole, or in the model's chunks with
// stream_tokens), the stop reason, the usage, and "data: [DONE]". The
// caller holds s.mu and has run the turn; a fast turn is committed now, a
// slow one (slowMarker) as its last message is sent, unless it is cancelled
// first.
func (h *Handler) streamResponse(a *agent, t *turn) response {
	s := h.store
	var run *activeRun
	if t.slow {
		run = &activeRun{agentID: a.id, cancel: make(chan struct{})}
		if s.runs == nil {
			s.runs = map[string]*activeRun{}
		}
		s.runs[t.runID] = run
	} else {
		s.commit(a, t)
	}
	events := t.events(s.ids.newID("ping"), s.clock.now())
	return response{stream: func(w http.ResponseWriter, r *http.Request) {
		if run != nil {
			defer func() {
				s.mu.Lock()
				delete(s.runs, t.runID)
				s.mu.Unlock()
			}()
		}
		w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		rc := http.NewResponseController(w)
		send := func(data []byte) bool {
			if _, err := w.Write(append(append([]byte("data: "), data...), '\n', '\n')); err != nil {
				return false
			}
			return rc.Flush() == nil
		}
		var cancel <-chan struct{}
		if run != nil {
			cancel = run.cancel
		}
		for i, ev := range events {
			if run != nil {
				if i == len(events)-2 {
					// The last message is out: the turn is stored before
					// its stop reason, so a client reading [DONE] then
					// listing sees it.
					s.mu.Lock()
					select {
					case <-cancel:
						s.mu.Unlock()
						send([]byte(cancelledEvent))
						return
					default:
					}
					if live := s.agents[a.id]; live != nil {
						s.commit(live, t)
					}
					delete(s.runs, t.runID)
					s.mu.Unlock()
				} else if i > 0 && i < len(events)-2 && !pause(r, cancel) {
					select {
					case <-cancel:
						send([]byte(cancelledEvent))
					default:
					}
					return
				}
			}
			if !send(ev) {
				return
			}
		}
		send([]byte("[DONE]"))
	}}
}

// pause waits slowDelay; false when the run is cancelled or the client
// goes away first.
func pause(r *http.Request, cancel <-chan struct{}) bool {
	tm := time.NewTimer(slowDelay)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-cancel:
		return false
	case <-r.Context().Done():
		return false
	}
}

// events renders the turn's stream, without the final [DONE]: the ping,
// the messages, the stop reason and the usage (always the last two).
func (t *turn) events(pingID string, now time.Time) [][]byte {
	var out [][]byte
	if t.pings {
		run := t.runID
		out = append(out, mustJSON(msgHead{ID: pingID, Date: messageDate(now), MessageType: "ping", RunID: &run}))
	}
	keep := func(typ string) bool { return t.types == nil || containsStr(t.types, typ) }
	for _, r := range t.lead {
		for _, ev := range r.letta() {
			if keep(messageType(ev)) {
				out = append(out, mustJSON(ev))
			}
		}
	}
	for _, st := range t.steps {
		if t.tokens {
			for _, ev := range st.assistant.chunks() {
				if keep(messageType(ev)) {
					out = append(out, mustJSON(ev))
				}
			}
		} else {
			for _, ev := range st.assistant.letta() {
				if keep(messageType(ev)) {
					out = append(out, mustJSON(ev))
				}
			}
		}
		if st.tool != nil {
			for _, ev := range st.tool.letta() {
				if keep(messageType(ev)) {
					out = append(out, mustJSON(ev))
				}
			}
		}
	}
	out = append(out, mustJSON(stopReasonJSON{"stop_reason", t.stop}), mustJSON(t.usage))
	return out
}

// chunks is an answer row as stream_tokens sends it, one event per model
// chunk: the reasoning and the content a word at a time; a tool call's name
// and id, then its arguments (the model's own text) in pieces, with
// tool_calls the same delta object, not a list.
func (m *storedMsg) chunks() []any {
	var out []any
	for _, w := range fakemodel.SplitWords(m.reasoning) {
		r := m.reasoningJSON(w)
		if m.approval {
			// The server streams an approval turn's reasoning under an id
			// that is not the stored one: the stored id's last byte plus
			// one (seen in every capture).
			r.ID = nextID(m.id)
		}
		out = append(out, r)
	}
	index := 0
	if m.reasoning != "" {
		index = 1
	}
	if c := m.call; c != nil && m.approval {
		// Approval request pieces carry explicit nulls.
		h := m.head("approval_request_message")
		h.Otid = &m.id
		name := c.name
		first := approvalDeltaJSON{Name: &name, ToolCallID: c.id}
		out = append(out, toolCallMsgJSON{msgHead: h, ToolCall: first, ToolCalls: first})
		for _, p := range fakemodel.SplitBytes(c.rawArgs, fakemodel.ArgumentPiece) {
			d := approvalDeltaJSON{Arguments: &p, ToolCallID: c.id}
			out = append(out, toolCallMsgJSON{msgHead: h, ToolCall: d, ToolCalls: d})
		}
		return out
	}
	if c := m.call; c != nil {
		h := m.head("tool_call_message")
		h.Otid = partOtid(m.id, index)
		first := toolCallDeltaJSON{Name: c.name, ToolCallID: c.id}
		out = append(out, toolCallMsgJSON{msgHead: h, ToolCall: first, ToolCalls: first})
		for _, p := range fakemodel.SplitBytes(c.rawArgs, fakemodel.ArgumentPiece) {
			d := toolCallDeltaJSON{Arguments: p, ToolCallID: c.id}
			out = append(out, toolCallMsgJSON{msgHead: h, ToolCall: d, ToolCalls: d})
		}
		return out
	}
	h := m.head("assistant_message")
	h.Otid = partOtid(m.id, index)
	for _, w := range fakemodel.SplitWords(m.text) {
		out = append(out, contentMsgJSON{msgHead: h, Content: w})
	}
	return out
}

// approvalDeltaJSON is a streamed piece of an approval request's call.
type approvalDeltaJSON struct {
	Name       *string `json:"name"`
	Arguments  *string `json:"arguments"`
	ToolCallID string  `json:"tool_call_id"`
}

// nextID is id with its last byte incremented (wrapping).
func nextID(id string) string {
	if len(id) < 2 {
		return id
	}
	var b byte
	if _, err := fmt.Sscanf(id[len(id)-2:], "%02x", &b); err != nil {
		return id
	}
	return fmt.Sprintf("%s%02x", id[:len(id)-2], b+1)
}
