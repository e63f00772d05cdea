package openaifake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/letta-go/letta/lettatest/internal/fakemodel"
)

// Handler is the fake OpenAI API as an http.Handler. It keeps no state
// between requests, so it is safe for concurrent use and the same request
// always gets the same answer.
type Handler struct {
	cfg config
}

// NewHandler returns a Handler configured by opts.
func NewHandler(opts ...Option) *Handler {
	return &Handler{cfg: newConfig(opts)}
}

// ServeHTTP answers GET /v1/models, GET /v1/models/{id},
// POST /v1/chat/completions and POST /v1/embeddings; anything else gets
// OpenAI's error body with status 404 (or 405 for a known path).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body []byte
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("Request body larger than %d bytes.", maxBodyBytes), "", "")
				return
			}
			writeError(w, http.StatusBadRequest, "Could not read the request body.", "", "")
			return
		}
		body = b
	}
	if h.cfg.hook != nil {
		h.cfg.hook(Request{Method: r.Method, Path: r.URL.Path, Body: body})
	}
	if h.cfg.apiKey != "" && r.Header.Get("Authorization") != "Bearer "+h.cfg.apiKey {
		writeError(w, http.StatusUnauthorized, "Incorrect API key provided.", "", "invalid_api_key")
		return
	}

	path := strings.TrimSuffix(r.URL.Path, "/")
	route, method := "", ""
	switch {
	case path == "/v1/models":
		route, method = "models", http.MethodGet
	case strings.HasPrefix(path, "/v1/models/"):
		route, method = "model", http.MethodGet
	case path == "/v1/chat/completions":
		route, method = "chat", http.MethodPost
	case path == "/v1/embeddings":
		route, method = "embeddings", http.MethodPost
	default:
		writeError(w, http.StatusNotFound, fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path), "", "unknown_url")
		return
	}
	if r.Method != method {
		w.Header().Set("Allow", method)
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("Method %s is not allowed on %s; use %s.", r.Method, r.URL.Path, method), "", "")
		return
	}
	switch route {
	case "models":
		h.listModels(w)
	case "model":
		h.getModel(w, strings.TrimPrefix(path, "/v1/models/"))
	case "chat":
		h.chat(w, r, body)
	case "embeddings":
		embeddings(w, body)
	}
}

func (h *Handler) listModels(w http.ResponseWriter) {
	data := make([]Model, 0, len(h.cfg.models))
	for _, id := range h.cfg.models {
		data = append(data, model(id))
	}
	writeJSON(w, http.StatusOK, struct {
		Object string  `json:"object"`
		Data   []Model `json:"data"`
	}{"list", data})
}

func (h *Handler) getModel(w http.ResponseWriter, id string) {
	for _, m := range h.cfg.models {
		if m == id {
			writeJSON(w, http.StatusOK, model(id))
			return
		}
	}
	writeError(w, http.StatusNotFound, fmt.Sprintf("The model '%s' does not exist", id), "model", "model_not_found")
}

func model(id string) Model {
	return Model{ID: id, Object: "model", Created: Created, OwnedBy: "letta-go"}
}

// chat answers POST /v1/chat/completions, plain or streaming.
func (h *Handler) chat(w http.ResponseWriter, r *http.Request, body []byte) {
	var req ChatRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "We could not parse the JSON body of your request: "+err.Error(), "", "")
		return
	}
	switch {
	case req.Model == "":
		writeError(w, http.StatusBadRequest, "you must provide a model parameter", "model", "")
		return
	case len(req.Messages) == 0:
		writeError(w, http.StatusBadRequest, "[] is too short - 'messages'", "messages", "")
		return
	}
	if text, _ := lastUserTurn(req.Messages); strings.Contains(text, FailMarker) {
		// 400: the OpenAI client Letta uses does not retry it.
		writeError(w, http.StatusBadRequest, fakemodel.FailMessage, "messages", "")
		return
	}
	rep := respond(&req, body, h.cfg.reasoning)
	id := "chatcmpl-" + digest(body, "completion")[:29]
	usage := estimateUsage(body, rep)
	text, _ := lastUserTurn(req.Messages)
	slow := strings.Contains(text, SlowMarker) && h.cfg.slowDelay > 0
	includeUsage := req.StreamOptions != nil && req.StreamOptions.IncludeUsage
	cs := chunks(rep, id, req.Model, usage, includeUsage)
	if req.Stream {
		streamChunks(w, r, cs, slow, h.cfg.slowDelay)
		return
	}
	// A slow plain answer takes as long as its stream would.
	if slow && !pause(r.Context(), h.cfg.slowDelay*time.Duration(len(cs)+1)) {
		return
	}
	msg := AssistantMessage{Role: "assistant", ReasoningContent: rep.reasoning}
	if rep.toolCall != nil {
		msg.ToolCalls = []ToolCall{*rep.toolCall}
	} else {
		content := rep.content
		msg.Content = &content
	}
	writeJSON(w, http.StatusOK, ChatCompletion{
		ID:      id,
		Object:  "chat.completion",
		Created: Created,
		Model:   req.Model,
		Choices: []Choice{{Index: 0, Message: msg, FinishReason: rep.finishReason()}},
		Usage:   usage,
	})
}

// EstimateTokens is the fake's token count of s: one token per four bytes,
// rounded up. Usage counts the request body as the prompt, and the
// reasoning, content and tool call as the completion.
func EstimateTokens(s string) int {
	return fakemodel.Tokens(len(s))
}

func estimateUsage(body []byte, rep reply) Usage {
	var name, args string
	if rep.toolCall != nil {
		name, args = rep.toolCall.Function.Name, rep.toolCall.Function.Arguments
	}
	completion := fakemodel.CompletionTokens(rep.reasoning, rep.content, name, args)
	prompt := EstimateTokens(string(body))
	return Usage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "openaifake: "+err.Error(), "", "")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeError writes OpenAI's error body:
// {"error": {"message", "type", "param", "code"}}.
func writeError(w http.ResponseWriter, status int, message, param, code string) {
	type apiError struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    *string `json:"code"`
	}
	e := apiError{Message: message, Type: "invalid_request_error"}
	if status >= 500 {
		e.Type = "server_error"
	}
	if param != "" {
		e.Param = &param
	}
	if code != "" {
		e.Code = &code
	}
	b, _ := json.Marshal(struct {
		Error apiError `json:"error"`
	}{e})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
