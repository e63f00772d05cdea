package letta

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// The streamed call: one POST whose 2xx answer is a text/event-stream that
// the caller reads event by event. The rules that differ from do's:
//
//   - shouldRetryStream: only a failure before any byte of the request was
//     written is retried. Once the request may have reached the server, a
//     second attempt could be a second (paid) model turn, so even an
//     answer saying the server did nothing (429, 503) is returned as is.
//   - The per-attempt timeout bounds the wait for the response headers
//     and then every wait for more bytes of the stream (an idle timeout),
//     not the stream's length: a turn may stream for minutes, and the
//     server's pings (every 20 s without data) keep a healthy stream busy.
//   - Each event is bounded by the Client's WithMaxResponseBytes; the
//     stream as a whole is not, and its memory does not grow with it.

// ErrEventTooLarge is matched (with errors.Is) by the *StreamError of a
// stream that sent one event larger than the Client's limit
// (WithMaxResponseBytes).
var ErrEventTooLarge = errors.New("letta: stream event larger than the limit")

// ErrMalformedEvent is matched by the *StreamError of a stream that sent
// an event that is not a JSON object, or one that does not decode as a
// Message (a known field of the wrong type).
var ErrMalformedEvent = errors.New("letta: malformed stream event")

// ErrStreamReused is yielded by a Messages.Stream iterator ranged over a
// second time: each iterator sends its message once.
var ErrStreamReused = errors.New("letta: a message stream can be ranged over only once (it would send the message again)")

// StreamError is the error of a stream that broke off after its 2xx answer
// began: the connection was cut, the per-attempt timeout passed with no
// data (also ErrAttemptTimeout), the caller's context ended (also its
// context error), the server reported an error (an *EventError, matched
// by ErrServerEvent), or an event was malformed (ErrMalformedEvent) or
// too large (ErrEventTooLarge). It says what had arrived. It always matches
// ErrMaybeApplied: the server received the message and may have finished
// the turn; look at the history (Messages.List) before sending it again.
type StreamError struct {
	// Method and URL identify the request (no credentials).
	Method string
	URL    string
	// Events is the number of events received, pings included.
	Events int
	// LastMessageType is the type of the last event received ("" when
	// none arrived).
	LastMessageType MessageType
	// Err is the cause.
	Err error

	path string
}

// Error returns e.g. "letta: POST /v1/agents/agent-1/messages: stream broke
// off after 3 events (last: assistant_message): unexpected EOF".
func (e *StreamError) Error() string {
	p := e.path
	if p == "" {
		p = e.URL
	}
	last := ""
	if e.LastMessageType != "" {
		last = " (last: " + string(e.LastMessageType) + ")"
	}
	return fmt.Sprintf("letta: %s %s: stream broke off after %d events%s: %v", e.Method, p, e.Events, last, e.Err)
}

// Unwrap returns the cause.
func (e *StreamError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrMaybeApplied) true.
func (e *StreamError) Is(target error) bool { return target == ErrMaybeApplied }

// streamConn is the open connection of a streamed call's 2xx attempt.
type streamConn struct {
	// cancel ends the attempt's context, which closes the connection.
	cancel context.CancelFunc
	// timer runs the per-attempt timeout (nil: none); timedOut is set
	// when it fired.
	timer    *time.Timer
	timeout  time.Duration
	timedOut *atomic.Bool
}

// shouldRetryStream is the retry rule of a stream: only a retryable
// failure before any byte of the request was written.
func shouldRetryStream(o *outcome) bool {
	return o.err != nil && !o.wrote.Load() && retryableError(o.err)
}

// streamAttempt sends the streamed request once. A 2xx answer is left open
// (its body unread, its context and timer in c.stream); any other answer
// is read like do's.
func (c *callState) streamAttempt(n int) *outcome {
	o := &c.first
	if n > 1 {
		o = new(outcome)
	}
	o.n, o.start = n, time.Now()
	ctx, cancel := context.WithCancel(c.ctx)
	timedOut := new(atomic.Bool)
	var timer *time.Timer
	if c.timeout > 0 {
		timer = time.AfterFunc(c.timeout, func() { timedOut.Store(true); cancel() })
	}
	ctx = o.traceWrites(ctx)
	req, err := c.attemptRequest(ctx, n)
	if err != nil {
		cancel()
		o.err = &permanentError{err}
		return o
	}
	resp, err := c.client.hc.Do(req)
	if err == nil && resp.StatusCode >= 200 && resp.StatusCode <= 299 && !timedOut.Load() {
		if timer != nil {
			timer.Stop()
		}
		o.resp = resp
		*c.stream = streamConn{cancel: cancel, timer: timer, timeout: c.timeout, timedOut: timedOut}
		return o
	}
	if err == nil {
		o.resp = resp
		if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			// The timeout fired as the headers arrived.
			_ = resp.Body.Close()
			o.resp, err = nil, context.DeadlineExceeded
		} else {
			err = c.readBody(o)
		}
	}
	if timer != nil {
		timer.Stop()
	}
	cancel()
	if err != nil {
		switch {
		case c.ctx.Err() != nil:
			err = joinCtxErr(c.ctx.Err(), err)
		case timedOut.Load():
			err = wrapCause(err, func(cause error) error { return &attemptTimeoutError{timeout: c.timeout, err: cause} })
		}
		o.err = err
	}
	return o
}

// openStream sends a streamed call and returns its open event reader, or
// the error of a call that got no 2xx answer (as do's).
func (c *Client) openStream(ctx context.Context, call apiCall, opts []RequestOption) (*sseReader, error) {
	cl, rc, err := c.newCall(ctx, call, false, opts)
	if err != nil {
		return nil, err
	}
	h := http.Header{"Accept": {"text/event-stream"}}
	for k, v := range rc.headers {
		h[k] = v
	}
	cl.perCallHeaders = h
	cl.stream = new(streamConn)
	r := cl.run()
	if _, err := c.callResult(call, cl, &rc, r); err != nil {
		return nil, err
	}
	s := &sseReader{
		ctx:    ctx,
		body:   r.resp.Body,
		conn:   *cl.stream,
		limit:  cl.okLimit,
		method: call.method,
		url:    sanitizeURL(cl.url.String()),
		path:   cl.path,
		client: c,
	}
	s.br = newStreamBuffer(idleReader{s.body, &s.conn})
	return s, nil
}

// newStreamBuffer is the stream's read buffer: a line longer than it is
// gathered in sseReader.line.
func newStreamBuffer(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, 16<<10) }

// idleReader rearms the per-attempt timeout around every read of the
// stream's body.
type idleReader struct {
	r    io.Reader
	conn *streamConn
}

func (r idleReader) Read(p []byte) (int, error) {
	if t := r.conn.timer; t != nil {
		t.Reset(r.conn.timeout)
		n, err := r.r.Read(p)
		t.Stop()
		return n, err
	}
	return r.r.Read(p)
}

// sseReader reads a Letta event stream: "data: <json>" lines, an empty
// line ending each event, "data: [DONE]" at the end. It follows the
// Server-Sent Events rules beyond what Letta sends (several data lines
// join with "\n", comments and other fields are skipped, "\r\n" ends a
// line too), and keeps at most one event and one line in memory.
type sseReader struct {
	ctx    context.Context
	body   io.ReadCloser
	conn   streamConn
	br     *bufio.Reader
	limit  int64
	client *Client

	line    []byte // a line longer than br's buffer
	data    []byte // the current event's data
	hasData bool
	event   []byte // the current event's "event:" field

	events  int
	last    MessageType
	stopped bool // a stop_reason event arrived

	method, url, path string
}

// close ends the stream: the connection is closed, not drained (the rest
// of a turn can be long).
func (s *sseReader) close() {
	s.conn.cancel()
	_ = s.body.Close()
	if s.conn.timer != nil {
		s.conn.timer.Stop()
	}
}

// The end of a stream that ended on [DONE] is read before the body is
// closed, within drainLimit bytes and drainWait: the chunked body's
// terminator (and a gzip stream's trailer) come right after [DONE], and
// net/http does not reuse a connection whose body was closed before its
// end. Without this, about 5% of streams on loopback lost their
// connection (the server's terminator lost the race with the close), and a
// new connection to Letta Cloud costs a TLS handshake.
const (
	drainLimit = 4 << 10
	drainWait  = 50 * time.Millisecond
)

// finish reads what follows [DONE], bounded; a server that keeps writing
// or stalls has its connection closed by close, as before.
func (s *sseReader) finish() {
	t := time.AfterFunc(drainWait, s.conn.cancel)
	_, _ = io.CopyN(io.Discard, s.br, drainLimit)
	t.Stop()
}

// next returns the stream's next event, or done at its end.
func (s *sseReader) next() (m Message, done bool, err error) {
	for {
		line, err := s.readLine()
		if err != nil {
			if err == io.EOF {
				// The normal end is [DONE]; a cancelled turn ends after
				// its stop_reason without one.
				if s.stopped && !s.hasData && len(line) == 0 {
					return Message{}, true, nil
				}
				err = io.ErrUnexpectedEOF
			}
			return Message{}, false, s.fail(err)
		}
		if len(line) == 0 {
			if !s.hasData {
				s.event = s.event[:0]
				continue
			}
			return s.dispatch()
		}
		if line[0] == ':' {
			continue
		}
		field, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimPrefix(value, []byte(" "))
		switch string(field) {
		case "data":
			if s.hasData {
				s.data = append(s.data, '\n')
			}
			if int64(len(s.data)+len(value)) > s.limit {
				return Message{}, false, s.fail(ErrEventTooLarge)
			}
			s.data = append(s.data, value...)
			s.hasData = true
		case "event":
			s.event = append(s.event[:0], value...)
		}
	}
}

// dispatch decodes the event read so far.
func (s *sseReader) dispatch() (Message, bool, error) {
	data, event := s.data, string(s.event)
	s.data, s.hasData, s.event = s.data[:0], false, s.event[:0]
	if string(data) == "[DONE]" {
		return Message{}, true, nil
	}
	if event == "error" {
		// Whatever its data: the server said it failed (an error page's
		// text from a proxy is not JSON).
		return Message{}, false, s.fail(newEventError(s.client.redactKey(data)))
	}
	if d := bytes.TrimSpace(data); len(d) == 0 || d[0] != '{' {
		return Message{}, false, s.fail(fmt.Errorf("%w: not a JSON object: %s", ErrMalformedEvent, s.snippet(data)))
	}
	var m Message
	if !decodeEventFast(data, &m) {
		// UnmarshalJSON directly: through the codec, the decoder would
		// scan and copy the event once more before calling it. On its
		// own variable: m passed to the codec would be on the heap for
		// every event.
		slow := new(Message)
		if err := slow.UnmarshalJSON(data); err != nil {
			return Message{}, false, s.fail(fmt.Errorf("%w: %w: %s", ErrMalformedEvent, err, s.snippet(data)))
		}
		m = *slow
	}
	if m.MessageType == messageTypeError || (m.MessageType == "" && hasErrorKey(data)) {
		return Message{}, false, s.fail(newEventError(s.client.redactKey(data)))
	}
	s.events++
	s.last = m.MessageType
	if m.MessageType == MessageTypeStopReason {
		s.stopped = true
	}
	return m, false, nil
}

func (s *sseReader) snippet(data []byte) string {
	return snippet(s.client.redactKey(s.client.snippetWindow(data, 200)), 200)
}

// readLine returns the next line without its end ("\n" or "\r\n"), valid
// until the next call. At the end of the body it returns io.EOF (with a
// last line that had no end, if any).
func (s *sseReader) readLine() ([]byte, error) {
	s.line = s.line[:0]
	for {
		chunk, err := s.br.ReadSlice('\n')
		switch {
		case err == nil && len(s.line) == 0:
			return trimEOL(chunk), nil
		case err == nil:
			s.line = append(s.line, chunk...)
			return trimEOL(s.line), nil
		case err == bufio.ErrBufferFull:
			s.line = append(s.line, chunk...)
			// A data line holds the event's data after "data: ".
			if int64(len(s.line)) > s.limit+16 {
				return nil, ErrEventTooLarge
			}
		default:
			s.line = append(s.line, chunk...)
			return s.line, err
		}
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// fail wraps err into the stream's *StreamError.
func (s *sseReader) fail(err error) error {
	switch {
	case s.ctx.Err() != nil:
		err = joinCtxErr(s.ctx.Err(), err)
	case s.conn.timedOut != nil && s.conn.timedOut.Load():
		err = &attemptTimeoutError{timeout: s.conn.timeout, err: err}
	}
	return &StreamError{Method: s.method, URL: s.url, Events: s.events, LastMessageType: s.last, Err: err, path: s.path}
}
