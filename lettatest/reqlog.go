package lettatest

import (
	"net/http"
	"net/url"
	"sync"
)

// redacted replaces credentials in the request log.
const redacted = "[REDACTED]"

// Request is one entry of the request log.
type Request struct {
	Method string
	// Path is the URL path as the server routes on it: decoded, so that
	// an id escaped into one segment ("a%2Fb") reads "a/b" here.
	Path string
	// EscapedPath is the path as it was on the wire, escapes kept: what
	// tells a client that escaped an id from one that did not.
	EscapedPath string
	RawQuery    string
	Query       url.Values
	// Header is a copy of the request headers with credentials redacted:
	// Authorization reads "Bearer [REDACTED]", X-BARE-PASSWORD "[REDACTED]".
	Header http.Header
	Body   []byte // as read, up to the body limit
	// Status is the status answered; 0 when the connection was dropped, 499
	// when the client went away during an injected delay.
	Status int
}

// requestLog is the list of requests in arrival order; safe for concurrent
// use. With a limit it is a ring of the last limit entries, so that a
// long-running server does not keep every request's headers and body.
type requestLog struct {
	mu    sync.Mutex
	limit int       // < 0: unbounded (the default)
	buf   []Request // the kept entries; a ring starting at head once full
	head  int       // index in buf of the oldest entry
	seq   int       // handle of the next request; handles are never reused
}

// add records a request on arrival and returns its handle.
func (l *requestLog) add(r *http.Request) int {
	hdr := r.Header.Clone()
	if hdr == nil {
		hdr = http.Header{}
	}
	if _, has := hdr["Authorization"]; has {
		hdr.Set("Authorization", "Bearer "+redacted)
	}
	if _, has := hdr["X-Bare-Password"]; has {
		hdr.Set("X-Bare-Password", redacted)
	}
	e := Request{
		Method:      r.Method,
		Path:        r.URL.Path,
		EscapedPath: r.URL.EscapedPath(),
		RawQuery:    r.URL.RawQuery,
		Query:       r.URL.Query(),
		Header:      hdr,
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	handle := l.seq
	l.seq++
	switch {
	case l.limit == 0:
	case l.limit < 0 || len(l.buf) < l.limit:
		l.buf = append(l.buf, e)
	default:
		// Full: the newest entry takes the oldest one's slot.
		l.buf[l.head] = e
		l.head = (l.head + 1) % len(l.buf)
	}
	return handle
}

// at returns the entry of a handle, nil when it was dropped or reset away.
// The caller holds mu.
func (l *requestLog) at(handle int) *Request {
	first := l.seq - len(l.buf)
	if handle < first || handle >= l.seq {
		return nil
	}
	return &l.buf[(l.head+handle-first)%len(l.buf)]
}

func (l *requestLog) update(handle int, f func(*Request)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e := l.at(handle); e != nil {
		f(e)
	}
}

func (l *requestLog) setBody(handle int, b []byte) {
	l.update(handle, func(e *Request) { e.Body = b })
}

func (l *requestLog) setStatus(handle, status int) {
	l.update(handle, func(e *Request) { e.Status = status })
}

// Requests returns a copy of the request log in arrival order (only the last
// entries when WithRequestLogLimit is used). A request still being served
// has Status 0 until it is answered.
func (h *Handler) Requests() []Request {
	l := &h.log
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Request, len(l.buf))
	for i := range out {
		e := l.buf[(l.head+i)%len(l.buf)]
		e.Header = e.Header.Clone()
		e.Query = cloneValues(e.Query)
		e.Body = append([]byte(nil), e.Body...)
		out[i] = e
	}
	return out
}

// ResetRequests empties the request log.
func (h *Handler) ResetRequests() {
	l := &h.log
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = nil
	l.head = 0
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
