package letta_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta"
)

// The stream's mechanics and faults against httptest servers that write
// what the real server writes (real-messages-wire.md): "data: <json>\n\n"
// events, a ping first, [DONE] at the end; and what it might write when
// things go wrong.

const streamAgent = "agent-00000000-0000-4000-8000-000000000001"

// sseServer serves the messages route with handler, counting requests and
// tracking the server side of every connection.
type sseServer struct {
	*httptest.Server
	requests atomic.Int32
	bodies   chan []byte
	mu       sync.Mutex
	conns    map[net.Conn]http.ConnState
}

func newSSEServer(t *testing.T, handler func(w http.ResponseWriter, r *http.Request)) *sseServer {
	t.Helper()
	s := &sseServer{bodies: make(chan []byte, 16), conns: map[net.Conn]http.ConnState{}}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		body, _ := io.ReadAll(r.Body)
		select {
		case s.bodies <- body:
		default:
		}
		handler(w, r)
	}))
	s.Config.ConnState = func(c net.Conn, st http.ConnState) {
		s.mu.Lock()
		s.conns[c] = st
		s.mu.Unlock()
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// openConns is the number of connections not closed on the server side.
func (s *sseServer) openConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, st := range s.conns {
		if st != http.StateClosed && st != http.StateHijacked {
			n++
		}
	}
	return n
}

func streamClient(t *testing.T, url string, opts ...letta.Option) *letta.Client {
	t.Helper()
	c, err := letta.NewClient(append([]letta.Option{
		letta.WithBaseURL(url), letta.WithRetryWait(time.Millisecond, 5*time.Millisecond), letta.WithLogger(nil),
	}, opts...)...)
	require.NoError(t, err)
	return c
}

func hello() *letta.MessageStreamParams {
	return &letta.MessageStreamParams{MessageSendParams: *userSays("hello")}
}

// sse writes raw stream bytes and flushes them.
func sse(w http.ResponseWriter, chunks ...string) {
	for _, c := range chunks {
		_, _ = io.WriteString(w, c)
		w.(http.Flusher).Flush()
	}
}

func startSSE(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.(http.Flusher).Flush()
}

const (
	pingEvent      = `data: {"id":"ping-1","date":"2026-12-02T01:45:24+00:00","name":null,"message_type":"ping","otid":null,"sender_id":null,"step_id":null,"is_err":null,"seq_id":null,"run_id":"run-1"}` + "\n\n"
	assistantEvent = `data: {"id":"message-1","date":"2026-12-02T01:45:24+00:00","message_type":"assistant_message","content":"You said: hello"}` + "\n\n"
	stopEvent      = `data: {"message_type":"stop_reason","stop_reason":"end_turn"}` + "\n\n"
	usageEvent     = `data: {"message_type":"usage_statistics","completion_tokens":3,"prompt_tokens":10,"total_tokens":13,"step_count":1,"run_ids":null,"cached_input_tokens":null,"cache_write_tokens":null,"reasoning_tokens":null,"context_tokens":10}` + "\n\n"
	doneEvent      = "data: [DONE]\n\n"
)

// drain ranges over seq and returns what it yielded and its error.
func drain(seq func(func(letta.Message, error) bool)) ([]letta.Message, error) {
	var got []letta.Message
	for m, err := range seq {
		if err != nil {
			return got, err
		}
		got = append(got, m)
	}
	return got, nil
}

func TestStreamParsesEvents(t *testing.T) {
	unknown := `{"id":"message-9","date":"2026-12-02T01:45:25+00:00","message_type":"future_message","future_field":{"a":[1,2]}}`
	srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "/v1/agents/"+streamAgent+"/messages", r.URL.Path)
		assert.Equal(t, "text/event-stream", r.Header.Get("Accept"))
		assert.NotEmpty(t, r.Header.Get("X-Stainless-Package-Version"), "without it the server refuses to stream")
		startSSE(w)
		sse(w,
			pingEvent,
			// A comment, an event name and an id line are skipped; an
			// event split across writes and lines ending in \r\n.
			": keep-alive comment\n", "event: message\r\nid: 7\r\n",
			`data: {"id":"message-1","date":"2026-12-02T01:45:24+00:00","message_type":"reas`,
			`oning_message","reasoning":"thinking"}`+"\r\n\r\n",
			// Two data lines make one event, joined with "\n".
			`data: {"id":"message-1","message_type":"assistant_message",`+"\n"+`data: "content":[{"type":"text","text":"You said: "},{"type":"text","text":"hello"}]}`+"\n\n",
			"data: "+unknown+"\n\n",
			stopEvent, usageEvent, doneEvent)
	})
	c := streamClient(t, srv.URL)
	got, err := drain(c.Messages.Stream(t.Context(), streamAgent, &letta.MessageStreamParams{
		MessageSendParams: *userSays("hello"),
		StreamTokens:      letta.Ptr(true),
		IncludePings:      letta.Ptr(true),
	}))
	require.NoError(t, err)
	require.Equal(t, []letta.MessageType{
		letta.MessageTypePing, letta.MessageTypeReasoning, letta.MessageTypeAssistant, "future_message",
		letta.MessageTypeStopReason, letta.MessageTypeUsageStatistics,
	}, messageTypes(got))
	assert.Equal(t, "thinking", got[1].Text())
	assert.Equal(t, "You said: hello", got[2].Text(), "content parts joined")
	// The unknown type is kept whole and encodes back as it came.
	assert.JSONEq(t, unknown, string(got[3].Raw()))
	out, err := json.Marshal(got[3])
	require.NoError(t, err)
	assert.JSONEq(t, unknown, string(out))
	assert.Equal(t, "message-9", got[3].ID)
	assert.Equal(t, int64(13), *got[5].TotalTokens)
	assert.Nil(t, got[5].CachedInputTokens)

	var body map[string]any
	require.NoError(t, json.Unmarshal(<-srv.bodies, &body))
	assert.Equal(t, true, body["streaming"])
	assert.Equal(t, true, body["stream_tokens"])
	assert.Equal(t, true, body["include_pings"])
	assert.Len(t, body["messages"], 1)
}

func TestStreamEnds(t *testing.T) {
	tests := []struct {
		name  string
		body  []string
		types []letta.MessageType
	}{
		{"done marker", []string{pingEvent, assistantEvent, stopEvent, usageEvent, doneEvent},
			[]letta.MessageType{letta.MessageTypePing, letta.MessageTypeAssistant, letta.MessageTypeStopReason, letta.MessageTypeUsageStatistics}},
		// A cancelled turn: the stop reason (another serialiser's spacing)
		// and no [DONE].
		{"stop reason without done", []string{pingEvent, `data: {"message_type": "stop_reason", "stop_reason": "cancelled"}` + "\n\n"},
			[]letta.MessageType{letta.MessageTypePing, letta.MessageTypeStopReason}},
		{"done without trailing blank line is a cut", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
				startSSE(w)
				sse(w, tt.body...)
			})
			got, err := drain(streamClient(t, srv.URL).Messages.Stream(t.Context(), streamAgent, hello()))
			if tt.types == nil {
				// An empty body after the headers: nothing says the turn ended.
				var se *letta.StreamError
				require.ErrorAs(t, err, &se)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.types, messageTypes(got))
		})
	}
}

func TestStreamFaults(t *testing.T) {
	tests := []struct {
		name    string
		opts    []letta.Option
		handler func(w http.ResponseWriter, r *http.Request)
		events  int
		last    letta.MessageType
		is      error
	}{
		{"cut before the first event", nil, func(w http.ResponseWriter, r *http.Request) {
			startSSE(w)
			panic(http.ErrAbortHandler)
		}, 0, "", io.ErrUnexpectedEOF},
		{"cut after the first event", nil, func(w http.ResponseWriter, r *http.Request) {
			startSSE(w)
			sse(w, pingEvent, `data: {"id":"message-1","message_type":"reasoning_message","reasoning":"th`)
			panic(http.ErrAbortHandler)
		}, 1, letta.MessageTypePing, io.ErrUnexpectedEOF},
		{"clean close without an end", nil, func(w http.ResponseWriter, r *http.Request) {
			startSSE(w)
			sse(w, pingEvent, assistantEvent)
		}, 2, letta.MessageTypeAssistant, io.ErrUnexpectedEOF},
		{"stall hits the per-attempt timeout", []letta.Option{letta.WithTimeout(300 * time.Millisecond)}, func(w http.ResponseWriter, r *http.Request) {
			startSSE(w)
			sse(w, pingEvent)
			<-r.Context().Done()
		}, 1, letta.MessageTypePing, letta.ErrAttemptTimeout},
		{"malformed JSON", nil, func(w http.ResponseWriter, r *http.Request) {
			startSSE(w)
			sse(w, pingEvent, "data: {not json}\n\n", doneEvent)
		}, 1, letta.MessageTypePing, letta.ErrMalformedEvent},
		{"not an object", nil, func(w http.ResponseWriter, r *http.Request) {
			startSSE(w)
			sse(w, "data: 42\n\n", doneEvent)
		}, 0, "", letta.ErrMalformedEvent},
		{"error event", nil, func(w http.ResponseWriter, r *http.Request) {
			startSSE(w)
			sse(w, pingEvent, "event: error\ndata: {\"error\":{\"type\":\"internal_error\",\"message\":\"boom\"}}\n\n")
		}, 1, letta.MessageTypePing, letta.ErrServerEvent},
		{"event over the limit in one line", []letta.Option{letta.WithMaxResponseBytes(1024)}, func(w http.ResponseWriter, r *http.Request) {
			startSSE(w)
			sse(w, pingEvent, `data: {"message_type":"assistant_message","content":"`+strings.Repeat("x", 64<<10)+`"}`+"\n\n", doneEvent)
		}, 1, letta.MessageTypePing, letta.ErrEventTooLarge},
		{"event over the limit in many lines", []letta.Option{letta.WithMaxResponseBytes(1024)}, func(w http.ResponseWriter, r *http.Request) {
			startSSE(w)
			sse(w, `data: {"message_type":"assistant_message","content":"`+"\n")
			for range 100 {
				sse(w, "data: "+strings.Repeat("x", 100)+"\n")
			}
			sse(w, "data: \"}\n\n", doneEvent)
		}, 0, "", letta.ErrEventTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSSEServer(t, tt.handler)
			c := streamClient(t, srv.URL, tt.opts...)
			got, err := drain(c.Messages.Stream(t.Context(), streamAgent, hello()))
			assert.Len(t, got, tt.events)
			var se *letta.StreamError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tt.events, se.Events)
			assert.Equal(t, tt.last, se.LastMessageType)
			assert.ErrorIs(t, err, tt.is)
			assert.ErrorIs(t, err, letta.ErrMaybeApplied, "the server got the message")
			assert.Contains(t, err.Error(), "stream broke off after")
			assert.Equal(t, int32(1), srv.requests.Load(), "never sent twice")
		})
	}
}

// A stream that keeps sending outlives the per-attempt timeout: it bounds
// each wait for data, not the stream.
func TestStreamTimeoutIsIdle(t *testing.T) {
	srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
		startSSE(w)
		for range 8 {
			sse(w, pingEvent)
			time.Sleep(100 * time.Millisecond)
		}
		sse(w, stopEvent, doneEvent)
	})
	c := streamClient(t, srv.URL, letta.WithTimeout(500*time.Millisecond))
	got, err := drain(c.Messages.Stream(t.Context(), streamAgent, hello()))
	require.NoError(t, err, "an 800 ms stream with data every 100 ms under a 500 ms timeout")
	assert.Len(t, got, 9)
}

func TestStreamRetries(t *testing.T) {
	t.Run("not after an answer that says nothing was done", func(t *testing.T) {
		srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"detail":"busy"}`)
		})
		_, err := drain(streamClient(t, srv.URL).Messages.Stream(t.Context(), streamAgent, hello()))
		var apiErr *letta.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
		assert.Equal(t, int32(1), srv.requests.Load(), "a 503 is retried for other calls, never for a stream")
	})
	t.Run("not after the request was written", func(t *testing.T) {
		srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
			panic(http.ErrAbortHandler) // read the request, then drop the connection
		})
		_, err := drain(streamClient(t, srv.URL).Messages.Stream(t.Context(), streamAgent, hello()))
		var re *letta.RequestError
		require.ErrorAs(t, err, &re)
		assert.ErrorIs(t, err, letta.ErrMaybeApplied)
		assert.Equal(t, int32(1), srv.requests.Load())
	})
	t.Run("a connection failure before anything was written is retried", func(t *testing.T) {
		srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
			startSSE(w)
			sse(w, stopEvent, doneEvent)
		})
		var dials atomic.Int32
		tr := http.DefaultTransport.(*http.Transport).Clone()
		t.Cleanup(tr.CloseIdleConnections)
		dial := tr.DialContext
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if dials.Add(1) == 1 {
				return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
			}
			return dial(ctx, network, addr)
		}
		c := streamClient(t, srv.URL, letta.WithHTTPClient(&http.Client{Transport: tr}))
		got, err := drain(c.Messages.Stream(t.Context(), streamAgent, hello()))
		require.NoError(t, err)
		assert.Len(t, got, 1)
		assert.Equal(t, int32(2), dials.Load())
		assert.Equal(t, int32(1), srv.requests.Load(), "the message reached the server once")
	})
	t.Run("an iterator ranged twice sends once", func(t *testing.T) {
		srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
			startSSE(w)
			sse(w, stopEvent, doneEvent)
		})
		seq := streamClient(t, srv.URL).Messages.Stream(t.Context(), streamAgent, hello())
		_, err := drain(seq)
		require.NoError(t, err)
		_, err = drain(seq)
		require.ErrorIs(t, err, letta.ErrStreamReused)
		assert.Equal(t, int32(1), srv.requests.Load())
	})
	t.Run("refused before the stream", func(t *testing.T) {
		srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"detail":"Agent with ID agent-x not found"}`)
		})
		_, err := drain(streamClient(t, srv.URL).Messages.Stream(t.Context(), streamAgent, hello()))
		require.ErrorIs(t, err, letta.ErrNotFound)
		assert.NotErrorIs(t, err, letta.ErrMaybeApplied)
	})
	t.Run("bad params send nothing", func(t *testing.T) {
		srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {})
		c := streamClient(t, srv.URL)
		_, err := drain(c.Messages.Stream(t.Context(), streamAgent, nil))
		require.ErrorIs(t, err, letta.ErrInvalidParam)
		_, err = drain(c.Messages.Stream(t.Context(), "a/b", hello()))
		require.ErrorIs(t, err, letta.ErrInvalidParam)
		assert.Zero(t, srv.requests.Load())
	})
}

// Ending the loop early, or cancelling ctx mid-stream, closes the
// connection (the server sees it go) and leaves no goroutine behind.
func TestStreamStopsAndLeaksNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	endless := func(gone chan<- struct{}) func(w http.ResponseWriter, r *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			startSSE(w)
			for {
				select {
				case <-r.Context().Done():
					close(gone)
					return
				case <-time.After(5 * time.Millisecond):
					sse(w, pingEvent)
				}
			}
		}
	}
	waitGone := func(t *testing.T, gone <-chan struct{}) {
		t.Helper()
		select {
		case <-gone:
		case <-time.After(10 * time.Second):
			t.Fatal("the server never saw the client go")
		}
	}

	t.Run("break", func(t *testing.T) {
		gone := make(chan struct{})
		srv := newSSEServer(t, endless(gone))
		n := 0
		for _, err := range streamClient(t, srv.URL).Messages.Stream(t.Context(), streamAgent, hello()) {
			require.NoError(t, err)
			if n++; n == 3 {
				break
			}
		}
		waitGone(t, gone)
		assert.Eventually(t, func() bool { return srv.openConns() == 0 }, 10*time.Second, 10*time.Millisecond,
			"the connection is closed, not left idle")
	})
	t.Run("cancel mid-stream", func(t *testing.T) {
		gone := make(chan struct{})
		srv := newSSEServer(t, endless(gone))
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		n := 0
		var err error
		for _, e := range streamClient(t, srv.URL).Messages.Stream(ctx, streamAgent, hello()) {
			if e != nil {
				err = e
				break
			}
			if n++; n == 3 {
				cancel()
			}
		}
		require.ErrorIs(t, err, context.Canceled)
		var se *letta.StreamError
		require.ErrorAs(t, err, &se)
		assert.GreaterOrEqual(t, se.Events, 3)
		waitGone(t, gone)
		assert.Eventually(t, func() bool { return srv.openConns() == 0 }, 10*time.Second, 10*time.Millisecond)
	})
	t.Run("faults", func(t *testing.T) {
		// The fault cases above, once more, under the goroutine count.
		TestStreamFaults(t)
	})

	// No goroutine of the SDK, of a client connection or of a server
	// connection is left (a goroutine count alone would also see the
	// runtime's and earlier tests' stragglers come and go).
	var left []string
	if !assert.Eventually(t, func() bool {
		left = leakedGoroutines()
		return len(left) == 0
	}, 10*time.Second, 20*time.Millisecond, "goroutines: %d before", before) {
		t.Logf("left:\n%s", strings.Join(left, "\n\n"))
	}
}

// leakedGoroutines returns the stacks of the goroutines, other than the
// caller's, that run SDK code or hold an HTTP connection.
func leakedGoroutines() []string {
	buf := make([]byte, 1<<20)
	stacks := strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n")
	var out []string
	for _, st := range stacks[1:] { // the first is the caller's
		if strings.Contains(st, "github.com/letta-go/letta.") || strings.Contains(st, "net/http.(*persistConn)") ||
			strings.Contains(st, "net/http.(*conn).serve") {
			out = append(out, st)
		}
	}
	return out
}

// The limit bounds each event, not the stream: a stream a thousand times
// longer than the limit is read to its end.
func TestStreamLongerThanTheLimit(t *testing.T) {
	const events = 5000
	srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
		startSSE(w)
		for range events {
			_, _ = io.WriteString(w, assistantEvent)
		}
		sse(w, stopEvent, doneEvent)
	})
	c := streamClient(t, srv.URL, letta.WithMaxResponseBytes(512))
	n := 0
	for m, err := range c.Messages.Stream(t.Context(), streamAgent, hello()) {
		require.NoError(t, err)
		n++
		if n <= events {
			require.Equal(t, "You said: hello", m.Text())
		}
	}
	assert.Equal(t, events+1, n)
	assert.Greater(t, events*len(assistantEvent), 1000*512)
}

// The server reports an error it meets after its 2xx answer began as an
// "event: error" event; the stream ends on a *StreamError whose cause is an
// *EventError saying what the server said, in each of its forms.
func TestStreamServerErrorEvent(t *testing.T) {
	tests := []struct {
		name, event string
		want        letta.EventError
	}{
		{"a LettaErrorMessage after the stop reason (a model provider's failure, as letta 0.16.8 sends it)",
			`data: {"message_type":"stop_reason","stop_reason":"llm_api_error"}` + "\n\n" +
				"event: error\ndata: " + `{"message_type":"error_message","run_id":"run-1","error_type":"llm_error","message":"An error occurred with the LLM request.","detail":"Connection refused","seq_id":null}` + "\n\n",
			letta.EventError{ErrorType: "llm_error", Message: "An error occurred with the LLM request.", Detail: "Connection refused", RunID: "run-1"}},
		{"an unhandled server error",
			"event: error\ndata: " + `{"error": "boom", "code": "INTERNAL_SERVER_ERROR"}` + "\n\n",
			letta.EventError{ErrorType: "INTERNAL_SERVER_ERROR", Message: "boom"}},
		{"an error object",
			"event: error\ndata: " + `{"error":{"type":"internal_error","message":"boom"}}` + "\n\n",
			letta.EventError{ErrorType: "internal_error", Message: "boom"}},
		{"an error event whose data is not JSON",
			"event: error\ndata: upstream timeout\n\n",
			letta.EventError{Message: "upstream timeout"}},
		{"an error object without the event line",
			`data: {"error": "boom", "code": "INTERNAL_SERVER_ERROR"}` + "\n\n",
			letta.EventError{ErrorType: "INTERNAL_SERVER_ERROR", Message: "boom"}},
		{"an error message without the event line",
			`data: {"message_type":"error_message","run_id":"run-2","error_type":"internal_error","message":"boom"}` + "\n\n",
			letta.EventError{ErrorType: "internal_error", Message: "boom", RunID: "run-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
				startSSE(w)
				sse(w, pingEvent, tt.event)
			})
			_, err := drain(streamClient(t, srv.URL).Messages.Stream(t.Context(), streamAgent, hello()))
			var ee *letta.EventError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, tt.want.ErrorType, ee.ErrorType)
			assert.Equal(t, tt.want.Message, ee.Message)
			assert.Equal(t, tt.want.Detail, ee.Detail)
			assert.Equal(t, tt.want.RunID, ee.RunID)
			assert.NotEmpty(t, ee.Raw)
			assert.ErrorIs(t, err, letta.ErrServerEvent)
			assert.NotErrorIs(t, err, letta.ErrMalformedEvent, "the event was well formed")
			assert.ErrorIs(t, err, letta.ErrMaybeApplied)
			assert.Contains(t, err.Error(), tt.want.Message)
		})
	}
}

// A stream that ended on [DONE] leaves its connection to be reused: the
// server here writes the chunked body's terminator 20 ms after [DONE], so a
// reader that closes the body at [DONE] loses the connection every time.
func TestStreamKeepsConnectionAfterDone(t *testing.T) {
	srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
		startSSE(w)
		sse(w, pingEvent, assistantEvent, stopEvent, usageEvent, doneEvent)
		time.Sleep(20 * time.Millisecond)
	})
	c := streamClient(t, srv.URL)
	for range 10 {
		got, err := drain(c.Messages.Stream(t.Context(), streamAgent, hello()))
		require.NoError(t, err)
		require.Len(t, got, 4)
	}
	srv.mu.Lock()
	conns := len(srv.conns)
	srv.mu.Unlock()
	// One connection; a second is allowed for net/http's own rare drops
	// under load. Closing at [DONE] makes ten.
	assert.LessOrEqual(t, conns, 2, "connections opened for 10 sequential streams")
}

// A server that keeps the stream open after [DONE] does not hold the
// iterator: finishing waits a bounded time, then closes the connection.
func TestStreamDoneThenStall(t *testing.T) {
	release := make(chan struct{})
	srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
		startSSE(w)
		sse(w, pingEvent, doneEvent)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	got, err := drain(streamClient(t, srv.URL).Messages.Stream(t.Context(), streamAgent, hello()))
	require.NoError(t, err)
	assert.Len(t, got, 1)
	assert.Eventually(t, func() bool { return srv.openConns() == 0 }, 5*time.Second, 10*time.Millisecond,
		"the stalled connection is closed")
}

// Only an error event, an error_message or a top-level "error" key is the
// server's error: the word "error" elsewhere in an event is data.
func TestStreamErrorWordIsNotAnError(t *testing.T) {
	srv := newSSEServer(t, func(w http.ResponseWriter, r *http.Request) {
		startSSE(w)
		sse(w, pingEvent, `data: {"status":"error","detail":"\"error\""}`+"\n\n", stopEvent, doneEvent)
	})
	got, err := drain(streamClient(t, srv.URL).Messages.Stream(t.Context(), streamAgent, hello()))
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.Equal(t, letta.MessageType(""), got[1].MessageType)
	assert.JSONEq(t, `{"status":"error","detail":"\"error\""}`, string(got[1].Raw()))
}
