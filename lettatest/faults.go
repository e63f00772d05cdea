package lettatest

import (
	"net/http"
	"path"
	"sync"
	"time"
)

// DropMode says whether and when an injected fault closes the connection
// without answering.
type DropMode int

const (
	// DropNone answers normally (or with the fault's Status).
	DropNone DropMode = iota
	// DropBeforeApply closes the connection without answering and without
	// applying the request to the server state.
	DropBeforeApply
	// DropAfterApply applies the request to the server state, then closes the
	// connection without answering: the client cannot tell whether a write
	// happened, which is what tests of non-idempotent retries need.
	DropAfterApply
)

// Fault describes how the next matching requests misbehave. Faults are
// consumed in insertion order: a request uses the first queued fault that
// matches it and still has uses left.
type Fault struct {
	// Method matches the request method exactly; "" matches any method.
	Method string
	// Path is a path.Match pattern on the URL path, e.g. "/v1/agents/*" or
	// "/v1/identities/"; "" matches any path.
	Path string
	// Times is how many matching requests the fault applies to; 0 means 1.
	Times int
	// Status, if non-zero, is answered with Body and Header without applying
	// the request.
	Status int
	// Header is added to a Status answer, e.g. Retry-After, retry-after-ms
	// or x-should-retry.
	Header http.Header
	// Body is the Status answer's body; default {"detail":"injected fault"}.
	Body string
	// Delay is added once the request body is read, before the request is
	// answered or applied; it ends early (without an answer) when the client
	// gives up.
	Delay time.Duration
	// Drop closes the connection without answering; see DropMode. It
	// hijacks the HTTP/1.x connection; where that is impossible (HTTP/2, a
	// ResponseRecorder) the handler aborts with http.ErrAbortHandler instead.
	//
	// Note for client tests: on a reused keep-alive connection, net/http's
	// Transport may itself resend a replayable request (GET/HEAD/OPTIONS/
	// TRACE, or any method with an Idempotency-Key or X-Idempotency-Key
	// header) when the close looks like a stale connection (a read error
	// other than a clean EOF). A fresh connection (Transport.DisableKeepAlives)
	// rules that out.
	Drop DropMode
}

func (f Fault) matches(method, p string) bool {
	if f.Method != "" && f.Method != method {
		return false
	}
	if f.Path == "" {
		return true
	}
	ok, err := path.Match(f.Path, p)
	return err == nil && ok
}

func (f Fault) response() response {
	body := f.Body
	if body == "" {
		body = `{"detail":"injected fault"}`
	}
	return response{status: f.Status, body: []byte(body), header: f.Header.Clone()}
}

type queuedFault struct {
	f    Fault
	left int
}

// faultQueue holds injected faults; safe for concurrent use.
type faultQueue struct {
	mu sync.Mutex
	q  []*queuedFault
}

func (fq *faultQueue) add(f Fault) {
	n := f.Times
	if n <= 0 {
		n = 1
	}
	f.Header = f.Header.Clone()
	fq.mu.Lock()
	fq.q = append(fq.q, &queuedFault{f: f, left: n})
	fq.mu.Unlock()
}

func (fq *faultQueue) clear() {
	fq.mu.Lock()
	fq.q = nil
	fq.mu.Unlock()
}

// take consumes one use of the first fault matching the request.
func (fq *faultQueue) take(method, p string) (Fault, bool) {
	fq.mu.Lock()
	defer fq.mu.Unlock()
	for i, qf := range fq.q {
		if !qf.f.matches(method, p) {
			continue
		}
		qf.left--
		if qf.left == 0 {
			fq.q = append(fq.q[:i:i], fq.q[i+1:]...)
		}
		return qf.f, true
	}
	return Fault{}, false
}

// InjectFault queues f; it applies to the next f.Times matching requests.
func (h *Handler) InjectFault(f Fault) { h.faults.add(f) }

// ClearFaults removes every queued fault, used or not.
func (h *Handler) ClearFaults() { h.faults.clear() }
