package letta

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// step is one scripted answer: status plus "Name: value" headers.
type step struct {
	status  int
	headers []string
}

func scripted(steps ...step) func(w http.ResponseWriter, r *http.Request, n int) {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		if n >= len(steps) {
			n = len(steps) - 1
		}
		s := steps[n]
		body := `{"detail":"scripted ` + strconv.Itoa(s.status) + `"}`
		if s.status == 200 {
			switch r.Method {
			case http.MethodDelete:
				body = "null"
			default:
				body = identityJSON
			}
		}
		reply(w, s.status, body, s.headers...)
	}
}

// callByMethod runs an identities method that uses the given HTTP method.
func callByMethod(ctx context.Context, c *Client, method string, opts ...RequestOption) error {
	var err error
	switch method {
	case http.MethodGet:
		_, err = c.Identities.Get(ctx, "identity-1", opts...)
	case http.MethodPost:
		_, err = c.Identities.Create(ctx, validCreate(), opts...)
	case http.MethodPut:
		_, err = c.Identities.Upsert(ctx, &IdentityUpsertParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser}, opts...)
	case http.MethodPatch:
		_, err = c.Identities.Update(ctx, "identity-1", &IdentityUpdateParams{Name: Ptr("x")}, opts...)
	case http.MethodDelete:
		err = c.Identities.Delete(ctx, "identity-1", opts...)
	}
	return err
}

func TestRetryPolicy(t *testing.T) {
	ok := step{status: 200}
	tests := []struct {
		name     string
		method   string
		steps    []step
		opts     []Option
		reqOpts  []RequestOption
		attempts int
		wantErr  error // nil = success
	}{
		{"GET 500 then ok", "GET", []step{{status: 500}, ok}, nil, nil, 2, nil},
		{"GET 502 then ok", "GET", []step{{status: 502}, ok}, nil, nil, 2, nil},
		{"GET 503 then ok", "GET", []step{{status: 503}, ok}, nil, nil, 2, nil},
		{"GET 504 then ok", "GET", []step{{status: 504}, ok}, nil, nil, 2, nil},
		{"GET 408 then ok", "GET", []step{{status: 408}, ok}, nil, nil, 2, nil},
		{"GET 429 then ok", "GET", []step{{status: 429}, ok}, nil, nil, 2, nil},
		{"GET 500 forever: 1 + 2 retries", "GET", []step{{status: 500}}, nil, nil, 3, ErrServer},
		{"GET 501 not retried", "GET", []step{{status: 501}}, nil, nil, 1, ErrServer},
		{"GET 400 not retried", "GET", []step{{status: 400}}, nil, nil, 1, ErrBadRequest},
		{"GET 401 not retried", "GET", []step{{status: 401}}, nil, nil, 1, ErrUnauthorized},
		{"GET 403 not retried", "GET", []step{{status: 403}}, nil, nil, 1, ErrPermissionDenied},
		{"GET 404 not retried", "GET", []step{{status: 404}}, nil, nil, 1, ErrNotFound},
		{"GET 422 not retried", "GET", []step{{status: 422}}, nil, nil, 1, ErrUnprocessable},
		{"GET 409 without Retry-After not retried", "GET", []step{{status: 409}}, nil, nil, 1, ErrConflict},
		{"GET 409 with Retry-After retried", "GET", []step{{409, []string{"Retry-After: 0"}}, ok}, nil, nil, 2, nil},
		{"GET 409 with retry-after-ms retried", "GET", []step{{409, []string{"retry-after-ms: 1"}}, ok}, nil, nil, 2, nil},
		{"x-should-retry false stops a 500", "GET", []step{{500, []string{"x-should-retry: false"}}, ok}, nil, nil, 1, ErrServer},
		{"x-should-retry false stops a 429", "GET", []step{{429, []string{"X-Should-Retry: false"}}, ok}, nil, nil, 1, ErrRateLimited},
		{"x-should-retry true retries a 400", "GET", []step{{400, []string{"x-should-retry: true"}}, ok}, nil, nil, 2, nil},
		{"x-should-retry true retries a 409", "GET", []step{{409, []string{"x-should-retry: true"}}, ok}, nil, nil, 2, nil},
		{"PUT 500 retried", "PUT", []step{{status: 500}, ok}, nil, nil, 2, nil},
		{"PATCH 502 retried", "PATCH", []step{{status: 502}, ok}, nil, nil, 2, nil},
		{"DELETE 504 retried", "DELETE", []step{{status: 504}, ok}, nil, nil, 2, nil},
		{"POST 500 not retried", "POST", []step{{status: 500}, ok}, nil, nil, 1, ErrServer},
		{"POST 502 not retried", "POST", []step{{status: 502}, ok}, nil, nil, 1, ErrServer},
		{"POST 504 not retried", "POST", []step{{status: 504}, ok}, nil, nil, 1, ErrServer},
		{"POST 503 retried", "POST", []step{{status: 503}, ok}, nil, nil, 2, nil},
		{"POST 429 retried", "POST", []step{{status: 429}, ok}, nil, nil, 2, nil},
		{"POST 408 retried", "POST", []step{{status: 408}, ok}, nil, nil, 2, nil},
		{"POST duplicate-key 409 not retried", "POST", []step{{status: 409}, ok}, nil, nil, 1, ErrConflict},
		{"POST lock 409 with Retry-After retried", "POST", []step{{409, []string{"Retry-After: 0"}}, ok}, nil, nil, 2, nil},
		{"POST 500 with x-should-retry true retried", "POST", []step{{500, []string{"x-should-retry: true"}}, ok}, nil, nil, 2, nil},
		{"POST 503 with x-should-retry false not retried", "POST", []step{{503, []string{"x-should-retry: false"}}, ok}, nil, nil, 1, ErrServer},
		{"WithMaxRetries(0) disables", "GET", []step{{status: 500}, ok}, []Option{WithMaxRetries(0)}, nil, 1, ErrServer},
		{"WithMaxRetries(4)", "GET", []step{{status: 503}}, []Option{WithMaxRetries(4)}, nil, 5, ErrServer},
		{"per-call retries override", "GET", []step{{status: 503}}, nil, []RequestOption{WithRequestMaxRetries(3)}, 4, ErrServer},
		{"per-call 0 disables", "GET", []step{{status: 503}, ok}, nil, []RequestOption{WithRequestMaxRetries(0)}, 1, ErrServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, scripted(tt.steps...))
			c := newTestClient(t, srv, tt.opts...)
			var info ResponseInfo
			err := callByMethod(t.Context(), c, tt.method, append(tt.reqOpts, WithResponseInfo(&info))...)
			if tt.wantErr == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tt.wantErr)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
			}
			assert.Equal(t, tt.attempts, srv.count(), "requests the server saw")
			assert.Equal(t, tt.attempts, info.Attempts, "ResponseInfo.Attempts")
		})
	}
}

func TestRetryResendsSameBodyAndCountsRetries(t *testing.T) {
	srv := newTestServer(t, scripted(step{status: 503}, step{status: 429}, step{status: 200}))
	c := newTestClient(t, srv)
	_, err := c.Identities.Create(t.Context(), validCreate())
	require.NoError(t, err)
	reqs := srv.requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		assert.JSONEq(t, `{"identifier_key":"user_1","name":"Caren","identity_type":"user"}`, string(r.Body))
		assert.Equal(t, strconv.Itoa(i), r.Header.Get("X-Stainless-Retry-Count"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	}
}

func TestRetryAfterParsing(t *testing.T) {
	future := time.Now().Add(20 * time.Second).UTC().Format(http.TimeFormat)
	farFuture := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		name     string
		headers  map[string]string
		ok       bool
		min, max time.Duration
	}{
		{"none", nil, false, 0, 0},
		{"seconds", map[string]string{"Retry-After": "2"}, true, 2 * time.Second, 2 * time.Second},
		{"fractional seconds", map[string]string{"Retry-After": "1.5"}, true, 1500 * time.Millisecond, 1500 * time.Millisecond},
		{"zero", map[string]string{"Retry-After": "0"}, true, 0, 0},
		{"capped at 60s", map[string]string{"Retry-After": "120"}, true, time.Minute, time.Minute},
		{"huge capped", map[string]string{"Retry-After": "99999999999999999999"}, true, time.Minute, time.Minute},
		{"negative ignored", map[string]string{"Retry-After": "-1"}, false, 0, 0},
		{"garbage ignored", map[string]string{"Retry-After": "soon"}, false, 0, 0},
		{"http date", map[string]string{"Retry-After": future}, true, 18 * time.Second, 20 * time.Second},
		{"http date capped", map[string]string{"Retry-After": farFuture}, true, time.Minute, time.Minute},
		{"http date in the past", map[string]string{"Retry-After": past}, true, 0, 0},
		{"ms", map[string]string{"Retry-After-Ms": "50"}, true, 50 * time.Millisecond, 50 * time.Millisecond},
		{"ms wins over seconds", map[string]string{"Retry-After-Ms": "50", "Retry-After": "30"}, true, 50 * time.Millisecond, 50 * time.Millisecond},
		{"ms capped", map[string]string{"Retry-After-Ms": "600000"}, true, time.Minute, time.Minute},
		{"bad ms falls back to seconds", map[string]string{"Retry-After-Ms": "x", "Retry-After": "3"}, true, 3 * time.Second, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			d, ok := retryAfter(h)
			assert.Equal(t, tt.ok, ok)
			assert.GreaterOrEqual(t, d, tt.min)
			assert.LessOrEqual(t, d, tt.max)
		})
	}
}

func TestBackoffFormula(t *testing.T) {
	c, err := NewClient()
	require.NoError(t, err)
	cs := &callState{client: c}
	for n, want := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second} {
		for range 20 {
			d := cs.backoff(n, nil)
			assert.LessOrEqual(t, d, want, "retry %d", n)
			assert.GreaterOrEqual(t, d, want*3/4, "retry %d: at most 25%% jitter", n)
		}
	}
	// A huge retry number must not overflow into a negative or zero wait.
	d := cs.backoff(5000, nil)
	assert.LessOrEqual(t, d, 8*time.Second)
	assert.GreaterOrEqual(t, d, 6*time.Second)
}

// TestRetryAfterHonoured checks the server's wait is used (the configured
// backoff would be 1 hour) and the call succeeds.
func TestRetryAfterHonoured(t *testing.T) {
	for _, h := range []string{"retry-after-ms: 1", "Retry-After: 0"} {
		srv := newTestServer(t, scripted(step{429, []string{h}}, step{status: 200}))
		c := newTestClient(t, srv, WithRetryWait(time.Hour, time.Hour))
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		_, err := c.Identities.Get(ctx, "identity-1")
		cancel()
		require.NoError(t, err, h)
		assert.Equal(t, 2, srv.count())
	}
}

// TestRetryWaitPastDeadlineReturnsLastError: when the wait would end after
// the context deadline, the call returns the last response's error at once
// (an APIError, not a context error from sleeping until the deadline).
func TestRetryWaitPastDeadlineReturnsLastError(t *testing.T) {
	tests := []struct {
		name   string
		header string
		opts   []Option
	}{
		{"Retry-After beyond deadline", "Retry-After: 30", nil},
		{"capped Retry-After still beyond deadline", "Retry-After: 3600", nil},
		{"backoff beyond deadline", "X-None: 1", []Option{WithRetryWait(time.Minute, time.Minute)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, scripted(step{503, []string{tt.header}}, step{status: 200}))
			c := newTestClient(t, srv, tt.opts...)
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			_, err := c.Identities.Get(ctx, "identity-1")
			require.ErrorIs(t, err, ErrServer)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 503, apiErr.StatusCode)
			assert.NoError(t, ctx.Err(), "returned before the deadline")
			assert.Equal(t, 1, srv.count())
		})
	}
}

// TestCancelDuringBackoff cancels the context at the moment the client
// starts a 30 s wait; the call must end with context.Canceled rather than
// wait and then succeed on the scripted second attempt.
func TestCancelDuringBackoff(t *testing.T) {
	srv := newTestServer(t, scripted(step{503, []string{"Retry-After: 30"}}, step{status: 200}))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	logger := slog.New(signalHandler{onRecord: func(r slog.Record) {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "retry" && a.Value.Bool() {
				cancel()
			}
			return true
		})
	}})
	c := newTestClient(t, srv, WithLogger(logger))
	var info ResponseInfo
	_, err := c.Identities.Get(ctx, "identity-1", WithResponseInfo(&info))
	require.ErrorIs(t, err, context.Canceled)
	var reqErr *RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Equal(t, http.MethodGet, reqErr.Method)
	assert.Equal(t, 1, srv.count())
	assert.Equal(t, 1, info.Attempts)
}

func TestCancelledContextBeforeSending(t *testing.T) {
	srv := newTestServer(t, scripted(step{status: 200}))
	c := newTestClient(t, srv)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Identities.Get(ctx, "identity-1")
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 0, srv.count())
}

// closedPortURL returns a loopback URL on which nothing listens.
func closedPortURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "http://" + addr
}

func TestRefusedConnectionIsRetriedEvenForPOST(t *testing.T) {
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		t.Run(method, func(t *testing.T) {
			c, err := NewClient(WithBaseURL(closedPortURL(t)), WithRetryWait(time.Millisecond, time.Millisecond),
				WithLogger(nil), WithAPIKey(testAPIKey))
			require.NoError(t, err)
			var info ResponseInfo
			err = callByMethod(t.Context(), c, method, WithResponseInfo(&info))
			var reqErr *RequestError
			require.ErrorAs(t, err, &reqErr)
			var opErr *net.OpError
			assert.ErrorAs(t, err, &opErr)
			assert.Equal(t, 3, info.Attempts, "a request that never reached the server is retried")
			assert.Equal(t, method, reqErr.Method)
			assert.Contains(t, err.Error(), "letta: "+method+" /v1/identities/")
			assert.NotContains(t, err.Error(), testAPIKey)
		})
	}
}

// hijackAndClose reads the whole request, then drops the connection without
// answering: the server may have acted on it.
func hijackAndClose(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("no hijacker")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

func TestDroppedConnectionAfterWrite(t *testing.T) {
	tests := []struct {
		method   string
		attempts int
	}{
		{http.MethodPost, 1}, // may have been created: never sent again
		{http.MethodGet, 3},
		{http.MethodPut, 3},
		{http.MethodPatch, 3},
		{http.MethodDelete, 3},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { hijackAndClose(w, r) })
			c := newTestClient(t, srv)
			var info ResponseInfo
			err := callByMethod(t.Context(), c, tt.method, WithResponseInfo(&info))
			var reqErr *RequestError
			require.ErrorAs(t, err, &reqErr)
			assert.Equal(t, tt.attempts, srv.count())
			assert.Equal(t, tt.attempts, info.Attempts)
		})
	}
}

func TestDroppedThenSucceedsForGET(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			hijackAndClose(w, r)
			return
		}
		reply(w, 200, identityJSON)
	})
	c := newTestClient(t, srv)
	id, err := c.Identities.Get(t.Context(), "identity-1")
	require.NoError(t, err)
	assert.Equal(t, "identity-1", id.ID)
	assert.Equal(t, 2, srv.count())
}

// A body that breaks off after the headers is retried for GET (the read
// happens inside the retry loop) and not for POST.
func TestTruncatedBodyMidStream(t *testing.T) {
	handler := func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(200)
			_, _ = io.WriteString(w, `{"id":"identity-1",`)
			w.(http.Flusher).Flush()
			hj := w.(http.Hijacker)
			conn, _, err := hj.Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		reply(w, 200, identityJSON)
	}
	srv := newTestServer(t, handler)
	c := newTestClient(t, srv)
	id, err := c.Identities.Get(t.Context(), "identity-1")
	require.NoError(t, err)
	assert.Equal(t, "Caren", id.Name)
	assert.Equal(t, 2, srv.count())

	srv = newTestServer(t, handler)
	c = newTestClient(t, srv)
	_, err = c.Identities.Create(t.Context(), validCreate())
	var reqErr *RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Equal(t, 1, srv.count())
}

// A slow body is cut by the per-attempt timeout; GET retries, POST does not.
func TestPerAttemptTimeoutOnSlowBody(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"id":`)
		w.(http.Flusher).Flush()
		<-r.Context().Done() // until the client gives up
	}
	tests := []struct {
		method   string
		attempts int
		opts     []RequestOption
	}{
		{http.MethodGet, 2, nil},
		{http.MethodPost, 1, nil},
		{http.MethodGet, 1, []RequestOption{WithRequestMaxRetries(0)}},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			srv := newTestServer(t, slow)
			c := newTestClient(t, srv, WithTimeout(50*time.Millisecond), WithMaxRetries(1))
			var info ResponseInfo
			err := callByMethod(t.Context(), c, tt.method, append(tt.opts, WithResponseInfo(&info))...)
			var reqErr *RequestError
			require.ErrorAs(t, err, &reqErr)
			assert.Equal(t, tt.attempts, info.Attempts)
			assert.NoError(t, t.Context().Err())
		})
	}

	// The per-call timeout overrides the client's (none here).
	srv := newTestServer(t, slow)
	c := newTestClient(t, srv, WithTimeout(0), WithMaxRetries(0))
	_, err := c.Identities.Get(t.Context(), "identity-1", WithRequestTimeout(50*time.Millisecond))
	var reqErr *RequestError
	require.ErrorAs(t, err, &reqErr)
}

func TestRetryableErrorClassification(t *testing.T) {
	assert.False(t, retryableError(&RedirectError{From: "a", To: "b"}))
	assert.False(t, retryableError(ErrResponseTooLarge))
	assert.False(t, retryableError(errors.New(`Get "x": unsupported protocol scheme "gopher"`)))
	assert.True(t, retryableError(io.ErrUnexpectedEOF))
	assert.True(t, retryableError(&net.OpError{Op: "dial", Err: errors.New("connection refused")}))
	assert.True(t, retryableError(&attemptTimeoutError{timeout: time.Second, err: context.DeadlineExceeded}), "the attempt's own timeout")
	assert.False(t, retryableError(context.DeadlineExceeded), "the caller's deadline")
	assert.False(t, retryableError(fmt.Errorf("%w: %w", context.Canceled, io.ErrUnexpectedEOF)), "the caller's cancellation")
}
