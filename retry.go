package letta

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
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

// Retry policy (see also the README):
//
//   - Retried for every method: 408, 429 and 503 (the server did not act on
//     the request), a 409 that carries Retry-After / retry-after-ms (a lock
//     or deadlock conflict; a duplicate-key 409 has none and is final), any
//     response with "x-should-retry: true", and a connection failure before
//     any byte of the request was written (refused, DNS, TLS handshake).
//   - Retried except for POST: 500, 502, 504, and a failure after the
//     request was written (connection dropped, attempt timed out, truncated
//     response body). A POST creates something; after any of these the
//     server may have created it, and a blind retry would duplicate it.
//   - Never retried: "x-should-retry: false", other 4xx, a cancelled or
//     expired context, a refused redirect, a TLS certificate error, a
//     response body over the size limit.
//   - A call that ends without an answer after its request went out
//     returns a *RequestError matching ErrMaybeApplied, so the caller can
//     tell "check before sending again" from "never reached the server".
//   - Wait: retry-after-ms, else Retry-After (seconds or an HTTP date),
//     capped at 60 s; else min(min*2^n, max) minus up to 25% jitter. When
//     the wait would end after the context deadline, the call returns the
//     last error at once instead of sleeping in vain. A context cancelled
//     during the wait ends the call at once.

// ErrMaybeApplied is matched (with errors.Is) by a *RequestError when a
// request of the call went out on a connection and got no complete answer
// (the connection dropped, an attempt timed out, the context ended while
// the request was in flight, or the response body broke off), or when an
// attempt was answered with a success or a 5xx other than 503 and the call
// then ended without returning that answer (the context ended, or a retry
// could not connect). The server may have acted on it. A POST is never
// retried in that case, so before sending it again check whether it took
// effect (e.g. look the identity up by its identifier key). A *RequestError
// that does not match ErrMaybeApplied never reached the server, or only
// got answers saying it did nothing (408, 429, 503): connection refused,
// DNS or TLS failure, context ended before sending or during a backoff
// wait after such an answer.
var ErrMaybeApplied = errors.New("letta: the request was sent and may have been applied")

// maybeAppliedError marks the cause of a *RequestError for ErrMaybeApplied.
type maybeAppliedError struct{ err error }

func (e *maybeAppliedError) Error() string {
	return e.err.Error() + " (the request was sent; the server may have applied it)"
}
func (e *maybeAppliedError) Unwrap() error        { return e.err }
func (e *maybeAppliedError) Is(target error) bool { return target == ErrMaybeApplied }

// markMaybeApplied wraps err for ErrMaybeApplied. Inside a *url.Error the
// wrapper goes around its cause, because RequestError prints the cause.
func markMaybeApplied(err error) error {
	if ue, ok := err.(*url.Error); ok && ue.Err != nil {
		return &url.Error{Op: ue.Op, URL: ue.URL, Err: &maybeAppliedError{err: ue.Err}}
	}
	return &maybeAppliedError{err: err}
}

// exchange is the state of one call across its attempts. Attempts run one
// after another, but httptrace callbacks of an attempt may fire on transport
// goroutines, hence the atomics.
type exchange struct {
	client   *Client
	method   string
	path     string
	ctx      context.Context
	okLimit  int64
	errLimit int64
	// discardOK is set for calls whose success body is not used (Delete,
	// attach/detach): it is drained and dropped, whatever its size.
	discardOK bool
	// rc holds the call's RequestOptions, req the retry library's request
	// and headerVals the backing array of the request's header values (part
	// of the exchange to save an allocation each per call).
	rc         requestConfig
	req        retryablehttp.Request
	headerVals [8]string

	// reqBody is the marshalled request body (nil: none); bodyReader hands
	// it out. probe answers the length query of SetBody while settingBody.
	reqBody     []byte
	probe       bytes.Reader
	settingBody bool

	attempts int
	cur      *attempt
	// first is the first attempt (part of the exchange to save an
	// allocation per call; a retry allocates its own).
	first attempt
	// between is the request's context while it waits for its next
	// attempt (see checkRetry).
	between betweenAttempts
	// maxRetries is the call's limit; checkRetry enforces it, because the
	// retry library's RetryMax belongs to the Client shared by every call.
	maxRetries int
	// wait is the pause before the next attempt, decided by checkRetry and
	// slept by prepareRetry.
	wait time.Duration
	// waitCancelled is set when the context ended during that pause.
	waitCancelled bool
	// timeout bounds each attempt (0: no bound).
	timeout time.Duration
	// maybeApplied is set once an attempt was written and got no complete
	// answer (see ErrMaybeApplied).
	maybeApplied bool

	// The body of the final response, read inside the retry loop (so that
	// a GET whose body breaks off mid-way is retried).
	bodyResp *http.Response
	body     []byte
	// bodyHolder is the bodyPool holder of body's buffer (see bodyPool.get).
	bodyHolder *[]byte
}

// attempt is one sending of the request. It is also the context the
// attempt's request carries: the caller's context with the attempt's
// httptrace hooks and its deadline (the per-attempt timeout), which answers
// Value(attemptKey{}) with the attempt itself. The retry library's hooks
// find the call's state through it, so the Client's single retry client
// needs no per-call closures.
type attempt struct {
	context.Context
	ex    *exchange
	n     int
	start time.Time
	// wrote is set as soon as any part of the request went out on a
	// connection: from then on the server may have acted on it.
	wrote atomic.Bool
	// cancelCause ends the attempt's context (nil: the attempt has no
	// deadline of its own). The Client's deadlineWatch calls it with
	// context.DeadlineExceeded when deadline passes; the exchange calls it
	// (through release) once the attempt's response body is read or
	// discarded, so that the timeout bounds the body read too.
	cancelCause context.CancelCauseFunc
	deadline    time.Time
	// heapIndex is the attempt's place in the deadlineWatch heap.
	heapIndex int
	// trace holds the attempt's httptrace hooks (part of the attempt to
	// save an allocation per attempt).
	trace httptrace.ClientTrace
	// body is the attempt's reader of the request body, and bodyTaken is
	// set once it was handed out (see bodyReader).
	body      bytes.Reader
	bodyTaken bool
}

// bodyReader gives the retry library (at the start of each attempt) and
// net/http (GetBody, for a redirect or a resend on a fresh connection) a
// reader of the request body. Each reader it hands out is new: a transport
// goroutine of an earlier send may still be reading the one before. The
// first of an attempt is the attempt's own, which saves an allocation per
// attempt; it stays a *bytes.Reader, which net/http writes with the headers
// in one packet (it flushes the headers first for readers it does not
// know). All calls come from the call's goroutine.
func (ex *exchange) bodyReader() (io.Reader, error) {
	if ex.settingBody {
		ex.probe.Reset(ex.reqBody)
		return &ex.probe, nil
	}
	a := ex.cur
	if a == nil || a.bodyTaken {
		return bytes.NewReader(ex.reqBody), nil
	}
	a.bodyTaken = true
	a.body.Reset(ex.reqBody)
	return &a.body, nil
}

// attemptKey is the context key of the *attempt a request belongs to.
type attemptKey struct{}

// betweenAttempts is the request's context from the decision to retry to
// the next attempt: the caller's context, without the last attempt's
// deadline, which may have passed (the retry library waits on the
// request's context, and would end the call instead of retrying).
type betweenAttempts struct {
	context.Context
	ex *exchange
}

// exchangeOf returns the call state a request context belongs to (nil for
// a request the SDK did not make).
func exchangeOf(ctx context.Context) *exchange {
	if b, ok := ctx.(*betweenAttempts); ok {
		return b.ex
	}
	if a := attemptOf(ctx); a != nil {
		return a.ex
	}
	return nil
}

func (a *attempt) Value(key any) any {
	if key == (attemptKey{}) {
		return a
	}
	return a.Context.Value(key)
}

// attemptOf returns the attempt a request context belongs to (nil for a
// request the SDK did not make).
func attemptOf(ctx context.Context) *attempt {
	if a, ok := ctx.(*attempt); ok {
		return a
	}
	a, _ := ctx.Value(attemptKey{}).(*attempt)
	return a
}

func (a *attempt) markWrote() { a.wrote.Store(true) }

// release takes the attempt out of the deadline watch and ends its
// context.
func (a *attempt) release() {
	if a != nil && a.cancelCause != nil {
		a.ex.client.deadlines.unwatch(a)
		a.cancelCause(context.Canceled)
	}
}

// Deadline reports the attempt's deadline: the earlier of the per-attempt
// timeout's and the caller's (a dialer, for one, bounds itself by it).
func (a *attempt) Deadline() (time.Time, bool) {
	if a.cancelCause != nil {
		// Set only when earlier than the caller's (see newAttempt).
		return a.deadline, true
	}
	return a.Context.Deadline()
}

// Err is context.DeadlineExceeded once the per-attempt timeout has passed,
// as for a context.WithDeadline.
func (a *attempt) Err() error {
	err := a.Context.Err()
	if err != nil && a.cancelCause != nil && context.Cause(a.Context) == context.DeadlineExceeded {
		return context.DeadlineExceeded
	}
	return err
}

// bodyReadError marks a failure while reading a response body, which happens
// after the request was written.
type bodyReadError struct{ err error }

func (e *bodyReadError) Error() string { return "reading response body: " + e.err.Error() }
func (e *bodyReadError) Unwrap() error { return e.err }

// newAttempt starts the next attempt with its own httptrace hooks, so a
// late callback from an earlier attempt cannot mark a later one as written.
//
// WroteHeaders marks the attempt before any byte of a request body can
// reach the wire (HTTP/1 buffers the headers and flushes them with the
// body; HTTP/2 sends the body's DATA frames after it), and every POST the
// SDK sends has a body, so a server can never have acted on a request
// before it fires. WroteRequest also fires when writing failed part-way.
// There is deliberately no WroteHeaderField hook: with it set, net/http
// builds a []string for every header it writes, which was 10 of the 41
// allocations a small call made over hand-written code.
//
// The deadline ends the attempt's own cancellable context, which the
// request carries from the start (so it needs no copy to get one), through
// the Client's deadlineWatch rather than a timer per attempt (see
// deadlines.go); where the caller's context ends first anyway, none is
// made.
func (ex *exchange) newAttempt() *attempt {
	ex.attempts++
	now := time.Now()
	a := &ex.first
	if ex.attempts > 1 {
		a = new(attempt)
	}
	a.ex, a.n, a.start = ex, ex.attempts, now
	a.trace = httptrace.ClientTrace{
		WroteHeaders: a.markWrote,
		WroteRequest: func(httptrace.WroteRequestInfo) { a.markWrote() },
	}
	ctx := httptrace.WithClientTrace(ex.ctx, &a.trace)
	if ex.timeout > 0 {
		deadline := now.Add(ex.timeout)
		if d, ok := ex.ctx.Deadline(); !ok || d.After(deadline) {
			var cancel context.CancelCauseFunc
			ctx, cancel = context.WithCancelCause(ctx)
			ex.client.deadlines.watch(a, deadline, cancel)
		}
	}
	a.Context = ctx
	ex.cur = a
	return a
}

// newRetryClient builds the Client's one go-retryablehttp client, shared by
// every call: the per-call state lives in the request's context (see
// attempt), so its hooks are plain functions. A struct literal, not
// retryablehttp.NewClient: the latter logs every request to stderr.
// Logging is done by the exchange, without headers.
func newRetryClient(hc *http.Client) *retryablehttp.Client {
	// The per-attempt timeout travels in each attempt's context (see
	// newAttempt); hc keeps it for reference.
	attemptHC := *hc
	attemptHC.Timeout = 0
	return &retryablehttp.Client{
		HTTPClient: &attemptHC,
		// A ceiling only: checkRetry applies each call's limit.
		RetryMax:     math.MaxInt,
		CheckRetry:   checkRetryHook,
		Backoff:      noBackoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
		PrepareRetry: prepareRetryHook,
	}
}

// noBackoff leaves the wait to prepareRetry: the retry library passes its
// Backoff no context, so it could not find the call's decision.
func noBackoff(time.Duration, time.Duration, int, *http.Response) time.Duration { return 0 }

func checkRetryHook(ctx context.Context, resp *http.Response, err error) (bool, error) {
	a := attemptOf(ctx)
	if a == nil {
		return false, nil
	}
	return a.ex.checkRetry(a, resp, err)
}

func prepareRetryHook(r *http.Request) error {
	ex := exchangeOf(r.Context())
	if ex == nil {
		return nil
	}
	return ex.prepareRetry(r)
}

func (ex *exchange) run() (*http.Response, []byte, error) {
	req := &ex.req
	defer func() { ex.cur.release() }()
	req.SetResponseHandler(readFinalBodyHook)
	resp, err := ex.client.rhc.Do(req)
	if ex.waitCancelled {
		// The context ended between two attempts: no response is current.
		return nil, nil, err
	}
	if resp == nil {
		return nil, nil, err
	}
	if ex.bodyResp == resp {
		return resp, ex.body, err
	}
	// The response ended the loop without the handler running (the context
	// ended): discard its body.
	if err != nil {
		drainAndClose(resp.Body)
		return resp, nil, err
	}
	// The retry library returns a response without an error only once the
	// handler has read its body, so this is not reached today; should that
	// change, the body is read the handler's way.
	if err := ex.readFinalBody(resp); err != nil {
		return resp, nil, err
	}
	return resp, ex.body, nil
}

// readFinalBodyHook finds the call through the response's request, which
// keepIdleConns guarantees is the attempt's.
func readFinalBodyHook(resp *http.Response) error {
	var a *attempt
	if resp.Request != nil {
		a = attemptOf(resp.Request.Context())
	}
	if a == nil {
		// Not a response to an SDK request: nothing to read it into.
		return errors.New("letta: response without its request")
	}
	return a.ex.readFinalBody(resp)
}

// readFinalBody runs inside the retry loop for a response the policy does
// not retry; a failure here goes back through checkRetry.
func (ex *exchange) readFinalBody(resp *http.Response) error {
	// Which limit applies is decided by the status, not by comparing the
	// limits: WithMaxResponseBytes may set the success limit equal to the
	// error one.
	success := resp.StatusCode >= 200 && resp.StatusCode <= 299
	if success && ex.discardOK {
		drainAndClose(resp.Body)
		ex.bodyResp, ex.body = resp, nil
		return nil
	}
	limit := ex.errLimit
	if success {
		limit = ex.okLimit
	}
	// A success body is read into a recycled buffer, which do hands back
	// once the body is decoded.
	var buf []byte
	var holder *[]byte
	if success {
		buf, holder = ex.client.bodies.get(int(bodyCapacity(resp.ContentLength, limit)))
	}
	data, tooLarge, err := readBody(resp.Body, resp.ContentLength, limit, buf)
	if tooLarge && success {
		// Closing without draining: the rest may be huge.
		_ = resp.Body.Close()
		return ErrResponseTooLarge
	}
	if err != nil {
		_ = resp.Body.Close()
		return &bodyReadError{err: err}
	}
	if tooLarge {
		// An oversized error body was cut at errLimit; the rest is discarded.
		drainAndClose(resp.Body)
	} else {
		// readBody read to the end: nothing is left to drain.
		_ = resp.Body.Close()
	}
	ex.bodyResp, ex.body, ex.bodyHolder = resp, data, holder
	return nil
}

// prepareRetry waits before the next attempt (the retry library has
// drained the previous response by now) and sets the attempt up.
func (ex *exchange) prepareRetry(r *http.Request) error {
	ex.cur.release()
	if ex.wait > 0 {
		t := time.NewTimer(ex.wait)
		select {
		case <-ex.ctx.Done():
			t.Stop()
			ex.waitCancelled = true
			return ex.ctx.Err()
		case <-t.C:
		}
	}
	a := ex.newAttempt()
	*r = *r.WithContext(a)
	// A fresh header map: the previous attempt's transport goroutine may
	// still be reading the old one.
	r.Header = r.Header.Clone()
	r.Header.Set("X-Stainless-Retry-Count", strconv.Itoa(a.n-1))
	return nil
}

func (ex *exchange) checkRetry(a *attempt, resp *http.Response, err error) (bool, error) {
	if err != nil {
		var bre *bodyReadError
		if (resp == nil && a.wrote.Load()) || errors.As(err, &bre) {
			ex.maybeApplied = true
		}
	}
	if resp != nil && mayHaveActed(resp.StatusCode) {
		// The server answered that it did (2xx) or may have (a 5xx but
		// 503) act on this attempt. Should the call still end without an
		// answer (the context ends now or during the wait for a retry, a
		// retry is refused a connection), its error must say so.
		ex.maybeApplied = true
	}
	if ctxErr := ex.ctx.Err(); ctxErr != nil {
		ex.logAttempt(a, resp, err, false, 0)
		return false, ctxErr
	}
	// Asked again about a response whose body readFinalBody has just read,
	// the answer is the first one's (no retry), without reading the headers
	// and drawing a jittered wait a second time.
	retry := !(err == nil && resp != nil && ex.bodyResp == resp) &&
		a.n <= ex.maxRetries && ex.shouldRetry(a, resp, err)
	var wait time.Duration
	if retry {
		wait = ex.backoff(a.n-1, resp)
		if deadline, ok := ex.ctx.Deadline(); ok && time.Now().Add(wait).After(deadline) {
			retry = false
		}
	}
	ex.wait = wait
	if retry && a.cancelCause != nil {
		ex.between = betweenAttempts{Context: ex.ctx, ex: ex}
		ex.req.Request = ex.req.Request.WithContext(&ex.between)
	}
	if err == nil && resp != nil && !retry && ex.bodyResp != resp {
		// retryablehttp asks again once readFinalBody has read the body;
		// the attempt is logged then, once, with its full duration.
		return false, nil
	}
	ex.logAttempt(a, resp, err, retry, wait)
	return retry, nil
}

func (ex *exchange) shouldRetry(a *attempt, resp *http.Response, err error) bool {
	isPost := ex.method == http.MethodPost
	if err != nil {
		if !retryableError(err) {
			return false
		}
		var bre *bodyReadError
		written := a.wrote.Load() || errors.As(err, &bre)
		return !isPost || !written
	}
	if resp == nil || resp.StatusCode >= 200 && resp.StatusCode <= 299 {
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
	switch resp.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return !isPost
	case http.StatusConflict:
		_, ok := retryAfter(resp.Header)
		return ok
	}
	return false
}

// mayHaveActed reports whether a response with this status leaves open
// that the server applied the request: a success, or a server error other
// than 503 (which, like 408 and 429, says the request was not acted on).
func mayHaveActed(status int) bool {
	return status >= 200 && status <= 299 || status >= 500 && status != http.StatusServiceUnavailable
}

// retryableError is false for failures a retry cannot fix.
func retryableError(err error) bool {
	var re *RedirectError
	var uae x509.UnknownAuthorityError
	var hne x509.HostnameError
	var cie x509.CertificateInvalidError
	var tve *tls.CertificateVerificationError
	switch {
	case errors.Is(err, ErrResponseTooLarge),
		errors.As(err, &re), errors.As(err, &uae), errors.As(err, &hne), errors.As(err, &cie),
		errors.As(err, &tve):
		return false
	}
	msg := err.Error()
	return !strings.Contains(msg, "unsupported protocol scheme") &&
		!strings.Contains(msg, "invalid header") &&
		!strings.Contains(msg, "certificate is not trusted")
}

// backoff returns the wait before retry n (0-based).
func (ex *exchange) backoff(n int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := retryAfter(resp.Header); ok {
			return d
		}
	}
	cfg := ex.client.cfg
	d := float64(cfg.retryWaitMin) * math.Pow(2, float64(n))
	if d > float64(cfg.retryWaitMax) || math.IsInf(d, 0) || math.IsNaN(d) {
		d = float64(cfg.retryWaitMax)
	}
	// Jitter spreads out clients that failed together.
	return jittered(d, rand.Float64())
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
		d := time.Until(t)
		if d < 0 {
			d = 0
		}
		return capRetryAfter(d), true
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

func (ex *exchange) logAttempt(a *attempt, resp *http.Response, err error, retry bool, wait time.Duration) {
	l := ex.client.logger
	if !l.Enabled(ex.ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", ex.method),
		slog.String("path", ex.path),
		slog.Int("attempt", a.n),
		slog.Duration("duration", time.Since(a.start)),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if id := requestID(resp.Header); id != "" {
			attrs = append(attrs, slog.String("request_id", id))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	if retry {
		attrs = append(attrs, slog.Bool("retry", true), slog.Duration("wait", wait))
	}
	l.LogAttrs(ex.ctx, slog.LevelDebug, "letta: attempt", attrs...)
}
