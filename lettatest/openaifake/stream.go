package openaifake

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/letta-go/letta/lettatest/internal/fakemodel"
)

// SlowMarker ("[slow]") in the user's last words makes the answer slow:
// each chunk of a streamed answer (and "data: [DONE]") waits the slow delay
// first (see WithSlowDelay), and a plain answer waits as long as its stream
// would. The words of the answer do not change. It lets a test cancel a
// run, or see Letta's keep-alive pings, while the model is still answering.
const SlowMarker = fakemodel.SlowMarker

// FailMarker ("[fail]") in the user's last words makes the model fail: the
// chat completion is answered 400 with OpenAI's error body, so that a test
// can see how Letta reports a failing model provider (in a stream: a stop
// reason llm_api_error and an error event).
const FailMarker = fakemodel.FailMarker

// chunks is the streamed form of rep: a first chunk with the role, the
// reasoning and the content a word at a time, the tool call (id and name
// first, then its arguments in pieces), a chunk with the finish reason, and
// a last chunk with the usage when includeUsage. Concatenating the deltas
// gives the plain answer.
func chunks(rep reply, id, model string, usage Usage, includeUsage bool) []ChatCompletionChunk {
	var out []ChatCompletionChunk
	add := func(d Delta, finish *string) {
		out = append(out, ChatCompletionChunk{
			ID: id, Object: "chat.completion.chunk", Created: Created, Model: model,
			Choices: []ChunkChoice{{Index: 0, Delta: d, FinishReason: finish}},
		})
	}
	empty := ""
	add(Delta{Role: "assistant", Content: &empty}, nil)
	for _, w := range fakemodel.SplitWords(rep.reasoning) {
		add(Delta{ReasoningContent: w}, nil)
	}
	for _, w := range fakemodel.SplitWords(rep.content) {
		add(Delta{Content: &w}, nil)
	}
	if tc := rep.toolCall; tc != nil {
		add(Delta{ToolCalls: []ToolCallDelta{{Index: 0, ID: tc.ID, Type: "function",
			Function: FunctionCallDelta{Name: tc.Function.Name}}}}, nil)
		for _, p := range fakemodel.SplitBytes(tc.Function.Arguments, fakemodel.ArgumentPiece) {
			add(Delta{ToolCalls: []ToolCallDelta{{Index: 0, Function: FunctionCallDelta{Arguments: p}}}}, nil)
		}
	}
	finish := rep.finishReason()
	add(Delta{}, &finish)
	if includeUsage {
		u := usage
		out = append(out, ChatCompletionChunk{
			ID: id, Object: "chat.completion.chunk", Created: Created, Model: model,
			Choices: []ChunkChoice{}, Usage: &u,
		})
	}
	return out
}

// streamChunks writes the chunks as server-sent events ("data: <json>" and
// a blank line each), then "data: [DONE]". It stops early when the client
// goes away.
func streamChunks(w http.ResponseWriter, r *http.Request, cs []ChatCompletionChunk, slow bool, delay time.Duration) {
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	send := func(data []byte) bool {
		if slow && !pause(r.Context(), delay) {
			return false
		}
		if _, err := w.Write(append(append([]byte("data: "), data...), '\n', '\n')); err != nil {
			return false
		}
		if flusher != nil {
			flusher.Flush()
		}
		return true
	}
	for _, c := range cs {
		b, err := json.Marshal(c)
		if err != nil || !send(b) {
			return
		}
	}
	send([]byte("[DONE]"))
}

// pause waits d, or less when ctx ends first; it reports whether d passed.
func pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
