package openaifake_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta/lettatest/openaifake"
)

// tools as Letta sends them (trimmed descriptions).
var (
	memoryInsertTool = json.RawMessage(`{"type":"function","function":{"name":"memory_insert","parameters":{"type":"object","properties":{"label":{"type":"string"},"new_string":{"type":"string"},"insert_line":{"type":"integer"}},"required":["label","new_string"]}}}`)
	coreAppendTool   = json.RawMessage(`{"type":"function","function":{"name":"core_memory_append","parameters":{"type":"object","properties":{"label":{"type":"string"},"content":{"type":"string"},"request_heartbeat":{"type":"boolean"},"thinking":{"type":"string"}},"required":["label","content","request_heartbeat","thinking"]}}}`)
	omniMemoryTool   = json.RawMessage(`{"type":"function","function":{"name":"memory","parameters":{"type":"object","properties":{"command":{"type":"string"},"path":{"type":["string","null"]},"file_text":{"type":["string","null"]},"insert_line":{"type":["integer","null"]},"insert_text":{"type":["string","null"]}},"required":["command","path","file_text","insert_line","insert_text"]}}}`)
	sendMessageTool  = json.RawMessage(`{"type":"function","function":{"name":"send_message","parameters":{"type":"object","properties":{"message":{"type":"string"},"thinking":{"type":"string"}},"required":["message","thinking"]}}}`)
	searchTool       = json.RawMessage(`{"type":"function","function":{"name":"conversation_search","parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}}}`)
)

type msg = map[string]any

func chatBody(t *testing.T, messages []msg, tools []json.RawMessage, extra map[string]any) []byte {
	t.Helper()
	body := map[string]any{"model": "letta-go-fake", "messages": messages}
	if len(tools) > 0 {
		body["tools"] = tools
	}
	for k, v := range extra {
		body[k] = v
	}
	b, err := json.Marshal(body)
	require.NoError(t, err)
	return b
}

func post(t *testing.T, h http.Handler, path string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body)))
	return rec
}

// completion is the plain answer, decoded.
type completion struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	Model   string `json:"model"`
	Choices []struct {
		Index   int `json:"index"`
		Message struct {
			Role             string                `json:"role"`
			Content          *string               `json:"content"`
			ReasoningContent string                `json:"reasoning_content"`
			ToolCalls        []openaifake.ToolCall `json:"tool_calls"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage openaifake.Usage `json:"usage"`
}

func complete(t *testing.T, h http.Handler, body []byte) completion {
	t.Helper()
	rec := post(t, h, "/v1/chat/completions", body)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	var c completion
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &c))
	require.Len(t, c.Choices, 1)
	return c
}

func toolArgs(t *testing.T, tc openaifake.ToolCall) map[string]any {
	t.Helper()
	var args map[string]any
	require.NoError(t, json.Unmarshal([]byte(tc.Function.Arguments), &args), tc.Function.Arguments)
	return args
}

func TestModels(t *testing.T) {
	h := openaifake.NewHandler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/models", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	assert.JSONEq(t, `{"object":"list","data":[{"id":"letta-go-fake","object":"model","created":1735689600,"owned_by":"letta-go"}]}`, rec.Body.String())

	h = openaifake.NewHandler(openaifake.WithModels("a", "", "b"))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/models", nil))
	var list struct {
		Data []openaifake.Model `json:"data"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &list))
	require.Len(t, list.Data, 2)
	assert.Equal(t, "a", list.Data[0].ID)
	assert.Equal(t, "b", list.Data[1].ID)

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/models/b", nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.JSONEq(t, `{"id":"b","object":"model","created":1735689600,"owned_by":"letta-go"}`, rec.Body.String())

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/models/letta-go-fake", nil))
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Contains(t, rec.Body.String(), `"code":"model_not_found"`)
}

func TestPlainAnswerEchoesTheUser(t *testing.T) {
	h := openaifake.NewHandler()
	cases := []struct {
		name    string
		content any
		want    string
	}{
		{"string", "hello there", "You said: hello there"},
		{"parts", []msg{{"type": "text", "text": "one"}, {"type": "image_url", "image_url": msg{"url": "x"}}, {"type": "text", "text": "two"}}, "You said: one\ntwo"},
		{"memgpt packed", `{"type": "user_message", "message": "packed words", "time": "now"}`, "You said: packed words"},
		{"json that is not Letta's", `{"a": 1}`, `You said: {"a": 1}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := chatBody(t, []msg{{"role": "system", "content": "sys"}, {"role": "user", "content": tc.content}},
				[]json.RawMessage{searchTool, memoryInsertTool}, map[string]any{"tool_choice": "auto"})
			c := complete(t, h, body)
			ch := c.Choices[0]
			assert.Equal(t, "chat.completion", c.Object)
			assert.Equal(t, "letta-go-fake", c.Model)
			assert.Equal(t, openaifake.Created, c.Created)
			assert.True(t, strings.HasPrefix(c.ID, "chatcmpl-"), c.ID)
			assert.Equal(t, "assistant", ch.Message.Role)
			require.NotNil(t, ch.Message.Content)
			assert.Equal(t, tc.want, *ch.Message.Content)
			assert.Empty(t, ch.Message.ToolCalls)
			assert.Equal(t, "stop", ch.FinishReason)
			assert.NotEmpty(t, ch.Message.ReasoningContent)
			assert.Equal(t, c.Usage.PromptTokens+c.Usage.CompletionTokens, c.Usage.TotalTokens)
			assert.Equal(t, openaifake.EstimateTokens(string(body)), c.Usage.PromptTokens)
		})
	}
}

func TestHeartbeatsAreNotTheUsersWords(t *testing.T) {
	h := openaifake.NewHandler()
	body := chatBody(t, []msg{
		{"role": "user", "content": `{"type": "user_message", "message": "the real words"}`},
		{"role": "user", "content": `{"type": "heartbeat", "reason": "continue"}`},
	}, nil, nil)
	c := complete(t, h, body)
	assert.Equal(t, "You said: the real words", *c.Choices[0].Message.Content)
}

func TestWithReasoningOff(t *testing.T) {
	h := openaifake.NewHandler(openaifake.WithReasoning(false))
	c := complete(t, h, chatBody(t, []msg{{"role": "user", "content": "hi"}}, nil, nil))
	assert.Empty(t, c.Choices[0].Message.ReasoningContent)
	assert.Equal(t, "You said: hi", *c.Choices[0].Message.Content)
}

func TestRememberCallsTheMemoryTool(t *testing.T) {
	h := openaifake.NewHandler()
	cases := []struct {
		name  string
		tools []json.RawMessage
		call  string
		want  map[string]any
	}{
		{"letta_v1: memory_insert", []json.RawMessage{searchTool, memoryInsertTool}, "memory_insert",
			map[string]any{"label": "human", "new_string": "I like tea", "insert_line": float64(-1)}},
		{"memgpt: core_memory_append, with thinking", []json.RawMessage{sendMessageTool, coreAppendTool, memoryInsertTool}, "core_memory_append",
			map[string]any{"label": "human", "content": "I like tea", "request_heartbeat": true,
				"thinking": "The user asked me to remember something, so I am saving it to the human block."}},
		{"omni memory tool, strict nullable schema", []json.RawMessage{omniMemoryTool}, "memory",
			map[string]any{"command": "insert", "path": "/memories/human", "insert_text": "I like tea", "insert_line": float64(-1), "file_text": nil}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := complete(t, h, chatBody(t, []msg{{"role": "user", "content": "Please remember that I like tea."}}, tc.tools, nil))
			ch := c.Choices[0]
			assert.Equal(t, "tool_calls", ch.FinishReason)
			assert.Nil(t, ch.Message.Content)
			require.Len(t, ch.Message.ToolCalls, 1)
			tcall := ch.Message.ToolCalls[0]
			assert.Equal(t, "function", tcall.Type)
			assert.Regexp(t, `^call_[0-9a-f]{24}$`, tcall.ID)
			assert.Equal(t, tc.call, tcall.Function.Name)
			assert.Equal(t, tc.want, toolArgs(t, tcall))
		})
	}

	t.Run("no memory tool offered: a plain answer", func(t *testing.T) {
		c := complete(t, h, chatBody(t, []msg{{"role": "user", "content": "remember that I like tea"}}, []json.RawMessage{searchTool}, nil))
		assert.Equal(t, "You said: remember that I like tea", *c.Choices[0].Message.Content)
	})
	t.Run("tool_choice none: a plain answer", func(t *testing.T) {
		c := complete(t, h, chatBody(t, []msg{{"role": "user", "content": "remember that I like tea"}},
			[]json.RawMessage{memoryInsertTool}, map[string]any{"tool_choice": "none"}))
		assert.Empty(t, c.Choices[0].Message.ToolCalls)
		assert.Equal(t, "stop", c.Choices[0].FinishReason)
	})
	t.Run("words without remember: no tool", func(t *testing.T) {
		c := complete(t, h, chatBody(t, []msg{{"role": "user", "content": "I remembered nothing"}}, []json.RawMessage{memoryInsertTool}, nil))
		assert.Empty(t, c.Choices[0].Message.ToolCalls)
	})
}

func TestAfterTheMemoryToolTheAnswerConfirms(t *testing.T) {
	h := openaifake.NewHandler()
	history := func(result string) []msg {
		return []msg{
			{"role": "user", "content": "remember that I like tea"},
			{"role": "assistant", "content": nil, "tool_calls": []msg{{"id": "call_1", "type": "function",
				"function": msg{"name": "memory_insert", "arguments": `{"label":"human","new_string":"I like tea"}`}}}},
			{"role": "tool", "tool_call_id": "call_1", "content": result},
		}
	}
	c := complete(t, h, chatBody(t, history(`{"status": "OK", "message": "done"}`), []json.RawMessage{memoryInsertTool}, nil))
	assert.Equal(t, "I will remember that I like tea.", *c.Choices[0].Message.Content)
	assert.Equal(t, "stop", c.Choices[0].FinishReason)

	c = complete(t, h, chatBody(t, history(`{"status": "Failed", "message": "no such block"}`), []json.RawMessage{memoryInsertTool}, nil))
	assert.Equal(t, "I could not save that to memory.", *c.Choices[0].Message.Content)
	assert.Contains(t, c.Choices[0].Message.ReasoningContent, "failed")

	// A new "remember" turn after an earlier one calls the tool again.
	next := append(history(`{"status": "OK"}`), msg{"role": "assistant", "content": "I will remember that I like tea."},
		msg{"role": "user", "content": "remember that I have a cat"})
	c = complete(t, h, chatBody(t, next, []json.RawMessage{memoryInsertTool}, nil))
	require.Len(t, c.Choices[0].Message.ToolCalls, 1)
	assert.Equal(t, "I have a cat", toolArgs(t, c.Choices[0].Message.ToolCalls[0])["new_string"])
}

func TestSendMessageAgentsAnswerThroughTheTool(t *testing.T) {
	h := openaifake.NewHandler()
	c := complete(t, h, chatBody(t, []msg{{"role": "user", "content": "hi"}},
		[]json.RawMessage{sendMessageTool, coreAppendTool}, map[string]any{"tool_choice": "required"}))
	ch := c.Choices[0]
	require.Len(t, ch.Message.ToolCalls, 1)
	assert.Equal(t, "send_message", ch.Message.ToolCalls[0].Function.Name)
	args := toolArgs(t, ch.Message.ToolCalls[0])
	assert.Equal(t, "You said: hi", args["message"])
	assert.Contains(t, args["thinking"], `"hi"`)
	assert.NotContains(t, args, "request_heartbeat", "send_message's schema has no request_heartbeat")
	assert.Empty(t, ch.Message.ReasoningContent, "the thoughts travel in the thinking argument")
}

func TestNamedToolChoiceIsObeyed(t *testing.T) {
	h := openaifake.NewHandler()
	c := complete(t, h, chatBody(t, []msg{{"role": "user", "content": "hi"}},
		[]json.RawMessage{sendMessageTool, searchTool},
		map[string]any{"tool_choice": msg{"type": "function", "function": msg{"name": "conversation_search"}}}))
	require.Len(t, c.Choices[0].Message.ToolCalls, 1)
	tcall := c.Choices[0].Message.ToolCalls[0]
	assert.Equal(t, "conversation_search", tcall.Function.Name)
	assert.Equal(t, map[string]any{"query": ""}, toolArgs(t, tcall), "a required parameter the fake knows nothing about gets its type's zero")
}

// event is one decoded chunk of a stream.
type event struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Model   string `json:"model"`
	Choices []struct {
		Delta struct {
			Role             string  `json:"role"`
			Content          *string `json:"content"`
			ReasoningContent string  `json:"reasoning_content"`
			ToolCalls        []struct {
				Index    int    `json:"index"`
				ID       string `json:"id"`
				Type     string `json:"type"`
				Function struct {
					Name      string `json:"name"`
					Arguments string `json:"arguments"`
				} `json:"function"`
			} `json:"tool_calls"`
		} `json:"delta"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Usage *openaifake.Usage `json:"usage"`
}

// readStream checks the SSE framing and decodes the events before [DONE].
func readStream(t *testing.T, body string) []event {
	t.Helper()
	require.True(t, strings.HasSuffix(body, "data: [DONE]\n\n"), "the stream ends with data: [DONE]")
	var events []event
	for _, block := range strings.Split(strings.TrimSuffix(body, "\n\n"), "\n\n") {
		require.True(t, strings.HasPrefix(block, "data: "), "every event is one data line: %q", block)
		require.NotContains(t, block, "\n", "one line per event")
		data := strings.TrimPrefix(block, "data: ")
		if data == "[DONE]" {
			break
		}
		var e event
		require.NoError(t, json.Unmarshal([]byte(data), &e), data)
		events = append(events, e)
	}
	return events
}

func TestStreamCarriesThePlainAnswer(t *testing.T) {
	h := openaifake.NewHandler()
	cases := []struct {
		name     string
		messages []msg
		tools    []json.RawMessage
	}{
		{"content", []msg{{"role": "user", "content": "a few words, then some more ünïcode"}}, nil},
		{"tool call", []msg{{"role": "user", "content": "remember that the café opens at 8 and closes late in the evening"}}, []json.RawMessage{memoryInsertTool}},
		{"send_message", []msg{{"role": "user", "content": "hi"}}, []json.RawMessage{sendMessageTool}},
	}
	for _, tc := range cases {
		for _, includeUsage := range []bool{false, true} {
			t.Run(tc.name, func(t *testing.T) {
				plain := complete(t, h, chatBody(t, tc.messages, tc.tools, nil))
				extra := map[string]any{"stream": true}
				if includeUsage {
					extra["stream_options"] = msg{"include_usage": true}
				}
				rec := post(t, h, "/v1/chat/completions", chatBody(t, tc.messages, tc.tools, extra))
				require.Equal(t, http.StatusOK, rec.Code)
				assert.Equal(t, "text/event-stream; charset=utf-8", rec.Header().Get("Content-Type"))
				events := readStream(t, rec.Body.String())
				require.GreaterOrEqual(t, len(events), 3)

				first := events[0].Choices[0].Delta
				assert.Equal(t, "assistant", first.Role)
				var content, reasoning, name, args, callID, finish string
				var contentChunks int
				for i, e := range events {
					assert.Equal(t, "chat.completion.chunk", e.Object)
					assert.Equal(t, events[0].ID, e.ID, "one id per stream")
					if includeUsage && i == len(events)-1 {
						assert.Empty(t, e.Choices)
						require.NotNil(t, e.Usage)
						assert.Equal(t, plain.Usage.CompletionTokens, e.Usage.CompletionTokens)
						continue
					}
					assert.Nil(t, e.Usage)
					require.Len(t, e.Choices, 1)
					d := e.Choices[0].Delta
					if d.Content != nil && *d.Content != "" {
						content += *d.Content
						contentChunks++
					}
					reasoning += d.ReasoningContent
					for _, tcd := range d.ToolCalls {
						assert.Equal(t, 0, tcd.Index)
						name += tcd.Function.Name
						args += tcd.Function.Arguments
						if tcd.ID != "" {
							assert.Empty(t, callID, "the id comes once")
							callID = tcd.ID
						}
					}
					if e.Choices[0].FinishReason != nil {
						finish = *e.Choices[0].FinishReason
					}
				}
				p := plain.Choices[0]
				assert.Equal(t, p.FinishReason, finish)
				assert.Equal(t, p.Message.ReasoningContent, reasoning)
				if p.Message.Content != nil {
					assert.Equal(t, *p.Message.Content, content)
					assert.Greater(t, contentChunks, 1, "content comes in several chunks")
				} else {
					assert.Empty(t, content)
				}
				if len(p.Message.ToolCalls) == 1 {
					assert.Equal(t, p.Message.ToolCalls[0].Function.Name, name)
					assert.Equal(t, p.Message.ToolCalls[0].Function.Arguments, args)
				} else {
					assert.Empty(t, name)
				}
				if includeUsage {
					assert.NotNil(t, events[len(events)-1].Usage)
				}
			})
		}
	}
}

func TestDeterministic(t *testing.T) {
	h := openaifake.NewHandler()
	for _, stream := range []bool{false, true} {
		body := chatBody(t, []msg{{"role": "user", "content": "remember that determinism matters"}},
			[]json.RawMessage{memoryInsertTool}, map[string]any{"stream": stream})
		a := post(t, h, "/v1/chat/completions", body).Body.String()
		b := post(t, openaifake.NewHandler(), "/v1/chat/completions", body).Body.String()
		assert.Equal(t, a, b, "the same request gets the same bytes (stream=%v)", stream)
		other := post(t, h, "/v1/chat/completions", chatBody(t, []msg{{"role": "user", "content": "remember that determinism matters!"}},
			[]json.RawMessage{memoryInsertTool}, map[string]any{"stream": stream})).Body.String()
		assert.NotEqual(t, a, other)
	}
	var c1, c2 completion
	require.NoError(t, json.Unmarshal(post(t, h, "/v1/chat/completions", chatBody(t, []msg{{"role": "user", "content": "x"}}, nil, nil)).Body.Bytes(), &c1))
	require.NoError(t, json.Unmarshal(post(t, h, "/v1/chat/completions", chatBody(t, []msg{{"role": "user", "content": "y"}}, nil, nil)).Body.Bytes(), &c2))
	assert.NotEqual(t, c1.ID, c2.ID, "ids come from the request")
}

func TestErrors(t *testing.T) {
	h := openaifake.NewHandler()
	cases := []struct {
		name   string
		method string
		path   string
		body   string
		status int
		msg    string
	}{
		{"malformed JSON", http.MethodPost, "/v1/chat/completions", `{"model":`, 400, "could not parse the JSON body"},
		{"no model", http.MethodPost, "/v1/chat/completions", `{"messages":[{"role":"user","content":"x"}]}`, 400, "you must provide a model parameter"},
		{"no messages", http.MethodPost, "/v1/chat/completions", `{"model":"m","messages":[]}`, 400, "too short"},
		{"unknown path", http.MethodGet, "/v1/completions", ``, 404, "Invalid URL (GET /v1/completions)"},
		{"no /v1 prefix", http.MethodPost, "/chat/completions", `{}`, 404, "Invalid URL"},
		{"wrong method", http.MethodGet, "/v1/chat/completions", ``, 405, "use POST"},
		{"embeddings without input", http.MethodPost, "/v1/embeddings", `{"model":"e"}`, 400, "'input'"},
		{"embeddings, huge dimensions", http.MethodPost, "/v1/embeddings", `{"model":"e","input":"x","dimensions":100000}`, 400, "dimensions"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body)))
			assert.Equal(t, tc.status, rec.Code)
			var e struct {
				Error struct {
					Message string  `json:"message"`
					Type    string  `json:"type"`
					Param   *string `json:"param"`
					Code    *string `json:"code"`
				} `json:"error"`
			}
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e), rec.Body.String())
			assert.Contains(t, e.Error.Message, tc.msg)
			assert.Equal(t, "invalid_request_error", e.Error.Type)
		})
	}
}

func TestAPIKey(t *testing.T) {
	h := openaifake.NewHandler(openaifake.WithAPIKey("sk-secret"))
	for _, auth := range []string{"", "Bearer nope", "sk-secret"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/v1/models", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		h.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusUnauthorized, rec.Code, auth)
		assert.NotContains(t, rec.Body.String(), "sk-secret", "the key is never echoed")
		assert.Contains(t, rec.Body.String(), `"code":"invalid_api_key"`)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/v1/models", nil)
	req.Header.Set("Authorization", "Bearer sk-secret")
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code)

	rec = httptest.NewRecorder()
	req = httptest.NewRequest(http.MethodGet, "/v1/models", nil)
	req.Header.Set("Authorization", "Bearer anything")
	openaifake.NewHandler().ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code, "without WithAPIKey any key is accepted")
}

func TestEmbeddings(t *testing.T) {
	h := openaifake.NewHandler()
	type resp struct {
		Object string `json:"object"`
		Data   []struct {
			Object    string          `json:"object"`
			Index     int             `json:"index"`
			Embedding json.RawMessage `json:"embedding"`
		} `json:"data"`
		Model string `json:"model"`
		Usage struct {
			PromptTokens int `json:"prompt_tokens"`
			TotalTokens  int `json:"total_tokens"`
		} `json:"usage"`
	}
	get := func(body string) resp {
		rec := post(t, h, "/v1/embeddings", []byte(body))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var r resp
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
		return r
	}
	floats := func(raw json.RawMessage) []float64 {
		var v []float64
		if err := json.Unmarshal(raw, &v); err == nil {
			return v
		}
		var s string
		require.NoError(t, json.Unmarshal(raw, &s))
		b, err := base64.StdEncoding.DecodeString(s)
		require.NoError(t, err)
		require.Zero(t, len(b)%4)
		for i := 0; i < len(b); i += 4 {
			v = append(v, float64(math.Float32frombits(binary.LittleEndian.Uint32(b[i:]))))
		}
		return v
	}
	norm := func(v []float64) float64 {
		s := 0.0
		for _, f := range v {
			s += f * f
		}
		return math.Sqrt(s)
	}

	r := get(`{"model":"text-embedding-3-small","input":["alpha","beta","alpha"]}`)
	assert.Equal(t, "list", r.Object)
	assert.Equal(t, "text-embedding-3-small", r.Model)
	require.Len(t, r.Data, 3)
	a, b, a2 := floats(r.Data[0].Embedding), floats(r.Data[1].Embedding), floats(r.Data[2].Embedding)
	assert.Len(t, a, 1536)
	assert.InDelta(t, 1, norm(a), 1e-4)
	assert.Equal(t, a, a2, "equal texts, equal vectors")
	assert.NotEqual(t, a, b)
	assert.Equal(t, 2, r.Data[2].Index)
	assert.Equal(t, r.Usage.PromptTokens, r.Usage.TotalTokens)

	b64 := get(`{"model":"text-embedding-3-small","input":"alpha","encoding_format":"base64"}`)
	v := floats(b64.Data[0].Embedding)
	require.Len(t, v, 1536)
	for i := range v {
		assert.InDelta(t, a[i], v[i], 1e-6)
	}

	assert.Len(t, floats(get(`{"model":"text-embedding-3-large","input":"x"}`).Data[0].Embedding), 3072)
	assert.Len(t, floats(get(`{"model":"text-embedding-3-large","input":"x","dimensions":8}`).Data[0].Embedding), 8)
	assert.Len(t, get(`{"model":"m","input":[[1,2],[3]]}`).Data, 2, "token arrays")
}

func TestRequestHook(t *testing.T) {
	var mu sync.Mutex
	var got []openaifake.Request
	h := openaifake.NewHandler(openaifake.WithRequestHook(func(r openaifake.Request) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, r)
	}))
	body := chatBody(t, []msg{{"role": "user", "content": "x"}}, nil, nil)
	req := httptest.NewRequest(http.MethodPost, "/v1/chat/completions?x=1", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer sk-hidden")
	h.ServeHTTP(httptest.NewRecorder(), req)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/v1/models", nil))
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 2)
	assert.Equal(t, openaifake.Request{Method: "POST", Path: "/v1/chat/completions", Body: body}, got[0])
	assert.Equal(t, openaifake.Request{Method: "GET", Path: "/v1/models"}, got[1])
}

func TestServerOverLoopback(t *testing.T) {
	srv := openaifake.NewServer()
	defer srv.Close()
	assert.Equal(t, srv.URL+"/v1", srv.BaseURL())
	resp, err := http.Post(srv.BaseURL()+"/chat/completions", "application/json",
		bytes.NewReader(chatBody(t, []msg{{"role": "user", "content": "over the wire"}}, nil, map[string]any{"stream": true})))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var content string
	for _, e := range readStream(t, string(b)) {
		for _, c := range e.Choices {
			if c.Delta.Content != nil {
				content += *c.Delta.Content
			}
		}
	}
	assert.Equal(t, "You said: over the wire", content)
}

// A slow answer stops as soon as its client goes away: Close waits for
// every handler, so this test would hang if the stream went on.
func TestSlowStreamEndsWhenTheClientLeaves(t *testing.T) {
	srv := httptest.NewServer(openaifake.NewHandler(openaifake.WithSlowDelay(time.Hour)))
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/v1/chat/completions",
		bytes.NewReader(chatBody(t, []msg{{"role": "user", "content": openaifake.SlowMarker + " go"}}, nil, map[string]any{"stream": true})))
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		done <- err
	}()
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
	srv.Close()
}

func TestSlowMarkerKeepsTheWords(t *testing.T) {
	h := openaifake.NewHandler(openaifake.WithSlowDelay(time.Millisecond))
	words := openaifake.SlowMarker + " take your time"
	rec := post(t, h, "/v1/chat/completions", chatBody(t, []msg{{"role": "user", "content": words}}, nil, map[string]any{"stream": true}))
	var content string
	sc := bufio.NewScanner(strings.NewReader(rec.Body.String()))
	for sc.Scan() {
		line := strings.TrimPrefix(sc.Text(), "data: ")
		var e event
		if json.Unmarshal([]byte(line), &e) == nil {
			for _, c := range e.Choices {
				if c.Delta.Content != nil {
					content += *c.Delta.Content
				}
			}
		}
	}
	assert.Equal(t, "You said: "+words, content)
	c := complete(t, h, chatBody(t, []msg{{"role": "user", "content": words}}, nil, nil))
	assert.Equal(t, "You said: "+words, *c.Choices[0].Message.Content)
}

func TestBodyTooLarge(t *testing.T) {
	h := openaifake.NewHandler()
	rec := post(t, h, "/v1/chat/completions", bytes.Repeat([]byte("x"), 32<<20+1))
	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
}

func TestFailMarkerFails(t *testing.T) {
	srv := openaifake.NewServer()
	defer srv.Close()
	for _, stream := range []bool{false, true} {
		resp, err := http.Post(srv.URL+"/v1/chat/completions", "application/json",
			bytes.NewReader(chatBody(t, []msg{{"role": "user", "content": "please " + openaifake.FailMarker}}, nil, map[string]any{"stream": stream})))
		require.NoError(t, err)
		var e struct {
			Error struct{ Message, Type string }
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&e))
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Equal(t, "invalid_request_error", e.Error.Type)
		assert.Contains(t, e.Error.Message, openaifake.FailMarker)
	}
}
