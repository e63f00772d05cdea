package letta

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// The attempt loop of a call and its retry policy. The rules, each in one
// function (see also the README's "Retries"):
//
//   - shouldRetry: which outcome of an attempt is retried.
//   - mayHaveActed: which outcome leaves open that the server applied the
//     request (ErrMaybeApplied).
//   - backoff and retryAfter: how long to wait before the next attempt.
//   - callState.run: how many attempts, that a wait that would pass the
//     caller's deadline is not started, and that the caller's context ends
//     the call (also mid-wait).
//   - callState.attempt: the per-attempt timeout (ErrAttemptTimeout).
//
// The loop is our own rather than go-retryablehttp's Client.Do: what the
// rules need (a deadline per attempt that also bounds the body read, the
// body read inside the attempt so that a broken body is retried, knowing
// whether a request was written, a wait skipped when it would pass the
// caller's deadline) is not part of Do's documented behaviour. The
// exponential step of the wait comes from its documented DefaultBackoff.

// ErrMaybeApplied is matched (with errors.Is) by the error of a call whose
// request may have changed something on the server although the call
// failed: a POST, PUT, PATCH or DELETE that was sent and then got no
// complete answer (the connection dropped, an attempt timed out, the
// context ended while it was in flight, the response body broke off), or
// whose attempts include an answer saying the server may have acted (a
// 500, 502, 504 or other 5xx but 503).
// The error is a *RequestError, or an *APIError for a final 5xx answer
// (a POST answered 500, 502 or 504 is not retried and matches it).
//
// A POST is never retried in that case, so before sending it again check
// whether it took effect (e.g. look the identity up by its identifier key).
// An error that does not match ErrMaybeApplied never reached the server, or
// only got answers saying it did nothing (408, 429, 503, a 4xx, a 5xx the
// SDK recognises as a validation failure). A GET or HEAD never matches it:
// reading changes nothing.
var ErrMaybeApplied = errors.New("letta: the request was sent and may have been applied")

// ErrAttemptTimeout is matched (with errors.Is) by the *RequestError of a
// call whose last attempt ran out of its per-attempt timeout (WithTimeout,
// WithRequestTimeout), as opposed to the caller's context. Like net/http's
// Client.Timeout error, that error also matches context.DeadlineExceeded
// and is a net.Error whose Timeout() is true; errors.Is(err,
// ErrAttemptTimeout) tells the two deadlines apart (the caller's own makes
// ctx.Err() non-nil). An attempt that timed out is retried like a dropped
// connection (a GET always, a POST only when nothing was written).
var ErrAttemptTimeout = errors.New("letta: attempt timed out")

// attemptTimeoutError is the error of an attempt whose per-attempt timeout
// passed. It wraps what the transport returned.
type attemptTimeoutError struct {
	timeout time.Duration
	err     error
}

func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("attempt timed out after %s (per-attempt timeout): %v", e.timeout, e.err)
}
func (e *attemptTimeoutError) Unwrap() error { return e.err }
func (e *attemptTimeoutError) Is(target error) bool {
	return target == ErrAttemptTimeout || target == context.DeadlineExceeded
}

// Timeout and Temporary make it a net.Error, as net/http's timeout is.
func (e *attemptTimeoutError) Timeout() bool   { return true }
func (e *attemptTimeoutError) Temporary() bool { return true }

// maybeAppliedError marks the cause of a *RequestError for ErrMaybeApplied.
type maybeAppliedError struct{ err error }

func (e *maybeAppliedError) Error() string {
	return e.err.Error() + " (the request was sent; the server may have applied it)"
}
func (e *maybeAppliedError) Unwrap() error        { return e.err }
func (e *maybeAppliedError) Is(target error) bool { return target == ErrMaybeApplied }

// markMaybeApplied wraps err for ErrMaybeApplied.
func markMaybeApplied(err error) error {
	return wrapCause(err, func(cause error) error { return &maybeAppliedError{err: cause} })
}

// wrapCause returns wrap(err), or inside a *url.Error its cause wrapped:
// RequestError prints a url.Error's cause only.
func wrapCause(err error, wrap func(error) error) error {
	if ue, ok := err.(*url.Error); ok && ue.Err != nil {
		return &url.Error{Op: ue.Op, URL: ue.URL, Err: wrap(ue.Err)}
	}
	return wrap(err)
}

// callState is the state of one API call across its attempts.
type callState struct {
	client *Client
	ctx    context.Context
	method string
	// path is the escaped path, for logs.
	path string
	// url and perCallHeaders make the request (see newRequest); req is
	// the first attempt's, and a retry sends a copy.
	url            url.URL
	perCallHeaders http.Header
	req            *http.Request
	// body is the marshalled request body (nil: none).
	body []byte
	// maxRetries and timeout are the call's (a RequestOption may override
	// the Client's); timeout 0 means none per attempt.
	maxRetries int
	timeout    time.Duration
	// okLimit bounds a success body; discardOK drops it unread (calls
	// that return no value).
	okLimit   int64
	discardOK bool
	// tracksWrites is set for methods that can change something: their
	// attempts record whether the request was written (see attempt).
	tracksWrites bool
	// headerVals backs the first request's header values (see setHeaders).
	headerVals [8]string
	// first is the first attempt (part of the call to save an allocation).
	first outcome
	// stream is set for a streamed call: its attempts leave a 2xx body
	// open for the caller and follow the stream rules (stream.go).
	stream *streamConn
}

// outcome is what one attempt got: a response with its body read (resp's
// body is closed), or an error.
type outcome struct {
	n     int
	start time.Time
	resp  *http.Response
	body  []byte
	// holder is the bodyPool holder of body's buffer (see bodyPool.get).
	holder *[]byte
	err    error
	// wrote is set once any part of the request went out on a connection
	// (only when the call tracks writes), from transport goroutines.
	wrote atomic.Bool
	// trace holds the attempt's own hooks (part of the outcome to save an
	// allocation), so a late callback of an earlier attempt cannot mark a
	// later one.
	trace httptrace.ClientTrace
}

// traceWrites returns ctx with hooks that set o.wrote before any byte of
// a request body can reach the wire: WroteHeaders fires before the body
// is written (HTTP/1 buffers the headers and flushes them with the body;
// HTTP/2 sends the body's DATA frames after them), and every request the
// SDK sends with a body changes something; WroteRequest also fires when
// writing failed part-way. There is deliberately no WroteHeaderField hook:
// with it set, net/http builds a []string for every header it writes.
func (o *outcome) traceWrites(ctx context.Context) context.Context {
	o.trace = httptrace.ClientTrace{
		WroteHeaders: func() { o.wrote.Store(true) },
		WroteRequest: func(httptrace.WroteRequestInfo) { o.wrote.Store(true) },
	}
	return httptrace.WithClientTrace(ctx, &o.trace)
}

// result is how a call ended.
type result struct {
	*outcome
	attempts int
	// maybeApplied: see ErrMaybeApplied.
	maybeApplied bool
}

// run sends the request until an attempt's outcome is final: not retried
// by shouldRetry, the call's retries used up, a wait that would pass the
// caller's deadline, or the caller's context ended. A complete answer is
// returned even when the context ends as it arrives: the server's answer
// (a created object's id, say) is never thrown away.
func (c *callState) run() result {
	var r result
	for n := 1; ; n++ {
		var o *outcome
		if c.stream != nil {
			o = c.streamAttempt(n)
		} else {
			o = c.attempt(n)
		}
		r.outcome, r.attempts = o, n
		if c.tracksWrites && mayHaveActed(o) {
			r.maybeApplied = true
		}
		retry := false
		if n <= c.maxRetries {
			if c.stream != nil {
				retry = shouldRetryStream(o)
			} else {
				retry = shouldRetry(c.method, o)
			}
		}
		var wait time.Duration
		if retry {
			wait = c.backoff(n-1, o.resp)
			if d, ok := c.ctx.Deadline(); ok && time.Now().Add(wait).After(d) {
				retry = false
			}
		}
		c.logAttempt(o, retry, wait)
		if !retry {
			return r
		}
		if err := sleep(c.ctx, wait); err != nil {
			// The caller's context ended before the next attempt: that is
			// the call's error, with the last attempt's own in the chain.
			o.err = joinCtxErr(err, o.err)
			o.resp, o.body = nil, nil
			return r
		}
	}
}

// sleep waits d or until ctx ends, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil || d <= 0 {
		return err
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// attemptRequest is the request of attempt n under ctx: built (and kept
// in c.req) for the first, a copy of it with a fresh body and header map
// and X-Stainless-Retry-Count for the next ones.
func (c *callState) attemptRequest(ctx context.Context, n int) (*http.Request, error) {
	if n == 1 {
		req, err := c.newRequest(ctx)
		if err != nil {
			return nil, err
		}
		c.req = req
		return req, nil
	}
	req := c.req.WithContext(ctx)
	if c.body != nil {
		req.Body, _ = req.GetBody()
	}
	// A fresh header map: a transport goroutine of the previous attempt may
	// still be reading the old one.
	req.Header = req.Header.Clone()
	req.Header.Set("X-Stainless-Retry-Count", strconv.Itoa(n-1))
	return req, nil
}

// attempt sends the request once and reads the answer's body, both under
// the per-attempt timeout: a context of its own with that deadline, made
// only when it ends before the caller's. The timeout's error is told from
// the caller's by which context ended.
func (c *callState) attempt(n int) *outcome {
	o := &c.first
	if n > 1 {
		o = new(outcome)
	}
	o.n, o.start = n, time.Now()
	ctx := c.ctx
	var cancel context.CancelFunc
	if c.timeout > 0 {
		if d, ok := ctx.Deadline(); !ok || d.After(o.start.Add(c.timeout)) {
			ctx, cancel = context.WithTimeout(ctx, c.timeout)
			defer cancel()
		}
	}
	if c.tracksWrites {
		ctx = o.traceWrites(ctx)
	}
	req, err := c.attemptRequest(ctx, n)
	if err != nil {
		o.err = &permanentError{err}
		return o
	}
	resp, err := c.client.hc.Do(req)
	if err == nil {
		o.resp = resp
		err = c.readBody(o)
	}
	if err != nil {
		switch {
		case c.ctx.Err() != nil:
			err = joinCtxErr(c.ctx.Err(), err)
		case ctx.Err() != nil && cancel != nil:
			err = wrapCause(err, func(cause error) error { return &attemptTimeoutError{timeout: c.timeout, err: cause} })
		}
		o.err = err
	}
	return o
}

// permanentError marks a failure no retry can fix (a request that cannot
// be built).
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// joinCtxErr makes sure the caller's context error is in err's chain (and
// its message) without losing what the transport said
// (io.ErrUnexpectedEOF, say).
func joinCtxErr(ctxErr, err error) error {
	switch {
	case err == nil:
		return ctxErr
	case errors.Is(err, ctxErr):
		return err
	}
	return wrapCause(err, func(cause error) error { return fmt.Errorf("%w: %w", ctxErr, cause) })
}

// shouldRetry is the retry rule: whether an attempt's outcome is worth
// another attempt (the limit and the caller's deadline aside).
//
//   - Retried for every method: 408, 429 and 503 (the server did not act
//     on the request), a 409 with Retry-After / retry-after-ms (a lock or
//     deadlock conflict; a duplicate-key 409 has none and is final), any
//     error answer with "x-should-retry: true", and a failure before any
//     byte of the request was written (refused, DNS, TLS handshake).
//   - Retried except for POST: 500, 502, 504, and a failure
//     after the request was written (connection dropped, attempt timed
//     out, truncated response body). A POST creates something; after any
//     of these the server may have created it, and a blind retry would
//     duplicate it.
//   - Never retried: a 2xx, "x-should-retry: false", other 4xx, a 5xx
//     whose detail the SDK recognises as a validation failure (an answer
//     that can never change), the caller's context ended, a refused
//     redirect, a TLS certificate error, a response body over the limit.
func shouldRetry(method string, o *outcome) bool {
	isPost := method == http.MethodPost
	if o.err != nil {
		if !retryableError(o.err) {
			return false
		}
		return !isPost || !o.wrote.Load()
	}
	resp := o.resp
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		// A success is final whatever its headers say (as in the official
		// clients): retrying a 201 with "x-should-retry: true" would create
		// the object again.
		return false
	}
	switch strings.ToLower(strings.TrimSpace(resp.Header.Get("X-Should-Retry"))) {
	case "false":
		return false
	case "true":
		return true
	}
	switch code := resp.StatusCode; {
	case code == http.StatusRequestTimeout, code == http.StatusTooManyRequests, code == http.StatusServiceUnavailable:
		return true
	case code == http.StatusConflict:
		_, ok := retryAfter(resp.Header)
		return ok
	case code == http.StatusInternalServerError, code == http.StatusBadGateway, code == http.StatusGatewayTimeout:
		return !isPost && !isValidationFailure(code, o.body)
	}
	return false
}

// mayHaveActed is the rule behind ErrMaybeApplied: whether after this
// outcome the server may have applied the request. It did, or may have,
// when it answered 2xx or a 5xx other than 503 (which, like 408 and 429,
// says it did not act) and other than a recognised validation failure; and
// when the request was written and no complete answer came back (a
// redirect the client refused is an answer).
func mayHaveActed(o *outcome) bool {
	if o.err != nil {
		// A refused redirect was an answer: "not here".
		var re *RedirectError
		return o.wrote.Load() && !errors.As(o.err, &re)
	}
	code := o.resp.StatusCode
	return code >= 200 && code <= 299 ||
		code >= 500 && code != http.StatusServiceUnavailable && !isValidationFailure(code, o.body)
}

// validationFailures are the starts of the "detail" of 5xx answers that
// the Letta server gives for input it refuses: the request was not
// applied, and sending it again gets the same answer. The server's agent
// name check at create raises an error that maps to 500 with this text
// (letta 0.16.8, checked by lettatest's differential test).
var validationFailures = []string{"Export failed: Agent name "}

// isValidationFailure reports whether a 5xx answer is one the server gives
// for input it refuses (see validationFailures).
func isValidationFailure(code int, body []byte) bool {
	if code < 500 || !bytes.Contains(body, []byte(`"detail"`)) {
		return false
	}
	var e APIError
	e.parseErrorBody(body)
	for _, prefix := range validationFailures {
		if strings.HasPrefix(e.Detail, prefix) {
			return true
		}
	}
	return false
}

// retryableError is false for failures a retry cannot fix.
func retryableError(err error) bool {
	var re *RedirectError
	var pe *permanentError
	var uae x509.UnknownAuthorityError
	var hne x509.HostnameError
	var cie x509.CertificateInvalidError
	var tve *tls.CertificateVerificationError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, ErrResponseTooLarge),
		errors.As(err, &re), errors.As(err, &pe), errors.As(err, &uae), errors.As(err, &hne), errors.As(err, &cie),
		errors.As(err, &tve):
		return false
	case errors.Is(err, context.DeadlineExceeded):
		// The attempt's own timeout is retried; the caller's deadline
		// is not (run's deadline check ends the call first).
		return errors.Is(err, ErrAttemptTimeout)
	}
	msg := err.Error()
	return !strings.Contains(msg, "unsupported protocol scheme") &&
		!strings.Contains(msg, "invalid header") &&
		!strings.Contains(msg, "certificate is not trusted")
}

// backoff is the wait rule: before retry n (0-based), what the answer's
// retry-after-ms or Retry-After asks (capped at maxRetryAfter), else
// min(min*2^n, max) less up to 25% jitter.
func (c *callState) backoff(n int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := retryAfter(resp.Header); ok {
			return d
		}
	}
	cfg := c.client.cfg
	// The library's documented exponential step, given no response so
	// that its own reading of Retry-After stays out of it.
	d := retryablehttp.DefaultBackoff(cfg.retryWaitMin, cfg.retryWaitMax, n, nil)
	// Jitter spreads out clients that failed together.
	return jittered(float64(d), rand.Float64())
}

// jittered returns d nanoseconds less r*25% (r in [0, 1)) as a Duration.
func jittered(d, r float64) time.Duration {
	d *= 1 - 0.25*r
	if d >= math.MaxInt64 {
		// float64(math.MaxInt64) rounds up to 2^63, which a Duration cannot
		// hold (WithRetryWait(x, math.MaxInt64) with no jitter drawn).
		return math.MaxInt64
	}
	return time.Duration(d)
}

// retryAfter reads retry-after-ms, then Retry-After (delay seconds or an
// HTTP date), capped at maxRetryAfter. ok is false when neither is usable.
func retryAfter(h http.Header) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 && !math.IsInf(ms, 0) {
			// Compared before converting: a huge value overflows a Duration
			// into a negative one, which would mean no wait at all.
			if ms > float64(maxRetryAfter/time.Millisecond) {
				return maxRetryAfter, true
			}
			return capRetryAfter(time.Duration(ms * float64(time.Millisecond))), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 || math.IsNaN(secs) {
			return 0, false
		}
		if secs > maxRetryAfter.Seconds() {
			return maxRetryAfter, true
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return capRetryAfter(time.Until(t)), true
	}
	return 0, false
}

func capRetryAfter(d time.Duration) time.Duration {
	switch {
	case d < 0:
		return 0
	case d > maxRetryAfter:
		return maxRetryAfter
	}
	return d
}

// logAttempt writes one Debug record per attempt.
func (c *callState) logAttempt(o *outcome, retry bool, wait time.Duration) {
	l := c.client.logger
	if !l.Enabled(c.ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", c.method),
		slog.String("path", c.path),
		slog.Int("attempt", o.n),
		slog.Duration("duration", time.Since(o.start)),
	}
	if o.resp != nil {
		attrs = append(attrs, slog.Int("status", o.resp.StatusCode))
		if id := requestID(o.resp.Header); id != "" {
			attrs = append(attrs, slog.String("request_id", id))
		}
	}
	if o.err != nil {
		attrs = append(attrs, slog.String("error", o.err.Error()))
	}
	if retry {
		attrs = append(attrs, slog.Bool("retry", true), slog.Duration("wait", wait))
	}
	l.LogAttrs(c.ctx, slog.LevelDebug, "letta: attempt", attrs...)
}
