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

// requestLog is the list of requests in arrival order; safe for concurrent use.
type requestLog struct {
	mu      sync.Mutex
	entries []Request
	base    int // index of entries[0] since the last reset
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
	l.entries = append(l.entries, e)
	return l.base + len(l.entries) - 1
}

func (l *requestLog) update(handle int, f func(*Request)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if i := handle - l.base; i >= 0 && i < len(l.entries) {
		f(&l.entries[i])
	}
}

func (l *requestLog) setBody(handle int, b []byte) {
	l.update(handle, func(e *Request) { e.Body = b })
}

func (l *requestLog) setStatus(handle, status int) {
	l.update(handle, func(e *Request) { e.Status = status })
}

// Requests returns a copy of the request log in arrival order. A request
// still being served has Status 0 until it is answered.
func (h *Handler) Requests() []Request {
	h.log.mu.Lock()
	defer h.log.mu.Unlock()
	out := make([]Request, len(h.log.entries))
	for i, e := range h.log.entries {
		e.Header = e.Header.Clone()
		e.Query = cloneValues(e.Query)
		e.Body = append([]byte(nil), e.Body...)
		out[i] = e
	}
	return out
}

// ResetRequests empties the request log.
func (h *Handler) ResetRequests() {
	h.log.mu.Lock()
	defer h.log.mu.Unlock()
	h.log.base += len(h.log.entries)
	h.log.entries = nil
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
