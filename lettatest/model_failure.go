package lettatest

import (
	"net/http"
	"strings"

	"github.com/letta-go/letta/lettatest/internal/fakemodel"
)

// The fail marker (fakemodel.FailMarker) in the user's words makes the
// built-in model fail, as it makes openaifake answer 400: the server then
// reports a failing model provider, so that tests can see how their code
// handles one. Nothing of the turn is stored (the real server keeps not
// even the user's message).

// failedModelDetail is what letta 0.16.8 says of the fake model's 400 (the
// provider's error, as Python prints it).
var failedModelDetail = `INVALID_ARGUMENT: Bad request to OpenAI-compatible endpoint: Error code: 400 - {'error': {'message': ` +
	pyStr(fakemodel.FailMessage) + `, 'type': 'invalid_request_error', 'param': 'messages', 'code': None}}`

// userWords is the text the model answers: the last user message of the
// request, or, with none (only a system message), the last user words in
// the agent's context.
func (s *store) userWords(a *agent, in sendInput) string {
	text := ""
	for _, u := range in.msgs {
		if u.role == "user" {
			text = u.text
		}
	}
	if text == "" {
		text = s.lastUserText(a)
	}
	return text
}

// failedTurn answers a send whose model call fails: a plain send is a 400
// with the server's {"error": {type, message, detail}} body; a stream is
// a 200 whose events are the ping, the stop reason llm_api_error, an
// "event: error" LettaErrorMessage and [DONE]. A stream's failure sets
// the agent's last_stop_reason to llm_api_error; a plain send's leaves it
// (as letta 0.16.8 does). The caller holds s.mu.
func (h *Handler) failedTurn(a *agent, in sendInput) response {
	s := h.store
	if !in.streaming {
		type llmError struct {
			Type    string `json:"type"`
			Message string `json:"message"`
			Detail  string `json:"detail"`
		}
		return jsonResponse(http.StatusBadRequest, struct {
			Error llmError `json:"error"`
		}{llmError{"llm_bad_request", "The request to the LLM model provider was invalid.", failedModelDetail}})
	}
	stop := "llm_api_error"
	a.lastStopReason = &stop
	a.updatedAt = s.clock.tick()
	runID := s.ids.newID("run")
	var ping []byte
	if in.includePings {
		run := runID
		ping = mustJSON(msgHead{ID: s.ids.newID("ping"), Date: messageDate(s.clock.now()), MessageType: "ping", RunID: &run})
	}
	type errorMessage struct {
		MessageType string `json:"message_type"`
		RunID       string `json:"run_id"`
		ErrorType   string `json:"error_type"`
		Message     string `json:"message"`
		Detail      string `json:"detail"`
		SeqID       *int64 `json:"seq_id"`
	}
	errEvent := mustJSON(errorMessage{"error_message", runID, "llm_error", "An error occurred with the LLM request.", failedModelDetail, nil})
	return response{stream: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		var b strings.Builder
		if ping != nil {
			b.WriteString("data: " + string(ping) + "\n\n")
		}
		b.WriteString("data: " + string(mustJSON(stopReasonJSON{"stop_reason", "llm_api_error"})) + "\n\n")
		b.WriteString("event: error\ndata: " + string(errEvent) + "\n\n")
		b.WriteString("data: [DONE]\n\n")
		_, _ = w.Write([]byte(b.String()))
	}}
}
