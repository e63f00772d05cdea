package letta

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSuccessIsFinalDespiteShouldRetry: "x-should-retry: true" on a 2xx
// must not send the request again (a POST would create twice).
func TestSuccessIsFinalDespiteShouldRetry(t *testing.T) {
	for _, method := range []string{http.MethodPost, http.MethodGet, http.MethodPatch} {
		t.Run(method, func(t *testing.T) {
			srv := newTestServer(t, scripted(step{200, []string{"X-Should-Retry: true"}}))
			c := newTestClient(t, srv)
			require.NoError(t, callByMethod(t.Context(), c, method))
			assert.Equal(t, 1, srv.count())
		})
	}
}

// cancelOnRetry returns a logger that cancels when the client decides to
// retry, i.e. during the wait before the next attempt.
func cancelOnRetry(cancel context.CancelFunc) *slog.Logger {
	return slog.New(signalHandler{onRecord: func(r slog.Record) {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "retry" && a.Value.Bool() {
				cancel()
			}
			return true
		})
	}})
}

// TestMaybeAppliedWhenAnsweredAttemptIsLost: a call that ends during the
// wait for a retry matches ErrMaybeApplied when the answered attempt may
// have been acted on (500, 502, 504), and not when the answer said it was
// not (408, 429, 503), nor for a GET, which changes nothing.
func TestMaybeAppliedWhenAnsweredAttemptIsLost(t *testing.T) {
	tests := []struct {
		method string
		status int
		want   bool
	}{
		{http.MethodPatch, 500, true},
		{http.MethodPut, 502, true},
		{http.MethodDelete, 504, true},
		{http.MethodGet, 500, false},
		{http.MethodPatch, 503, false},
		{http.MethodPost, 503, false},
		{http.MethodPost, 429, false},
		{http.MethodGet, 408, false},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+http.StatusText(tt.status), func(t *testing.T) {
			srv := newTestServer(t, scripted(step{tt.status, []string{"Retry-After: 30"}}, step{status: 200}))
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			c := newTestClient(t, srv, WithLogger(cancelOnRetry(cancel)))
			err := callByMethod(ctx, c, tt.method)
			require.ErrorIs(t, err, context.Canceled)
			var reqErr *RequestError
			require.ErrorAs(t, err, &reqErr)
			assert.Equal(t, tt.want, errors.Is(err, ErrMaybeApplied))
			assert.Equal(t, 1, srv.count())
		})
	}
}

// TestSuccessKeptWhenContextEnds (issue 14): the server answered 201 (it
// created the identity) and the context ended as the answer arrived. The
// answer is the call's result, not an error: the caller keeps the id; and
// the attempt is logged once.
func TestSuccessKeptWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		_, _ = io.Copy(io.Discard, r.Body)
		cancel()
		return &http.Response{StatusCode: 201, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(identityJSON)), Request: r}, nil
	})}
	var records atomic.Int32
	logger := slog.New(signalHandler{onRecord: func(r slog.Record) {
		if r.Message == "letta: attempt" {
			records.Add(1)
		}
	}})
	c, err := NewClient(WithBaseURL("http://127.0.0.1:1"), WithHTTPClient(hc), WithLogger(logger))
	require.NoError(t, err)
	var info ResponseInfo
	id, err := c.Identities.Create(ctx, validCreate(), WithResponseInfo(&info))
	require.NoError(t, err)
	assert.Equal(t, "identity-1", id.ID)
	assert.Equal(t, 201, info.StatusCode)
	assert.EqualValues(t, 1, records.Load(), "one attempt, one log record")
}

// TestHugeLimitsDoNotOverflow: the largest values the options accept mean
// "no limit" and "wait long", never a crash or no wait at all.
func TestHugeLimitsDoNotOverflow(t *testing.T) {
	t.Run("max response bytes", func(t *testing.T) {
		srv := newTestServer(t, scripted(step{status: 200}))
		c := newTestClient(t, srv, WithMaxResponseBytes(math.MaxInt64))
		id, err := c.Identities.Get(t.Context(), "identity-1")
		require.NoError(t, err)
		assert.Equal(t, "identity-1", id.ID)
	})
	t.Run("retry-after-ms", func(t *testing.T) {
		for _, v := range []string{"1e20", "9223372036854775807", "1e300"} {
			d, ok := retryAfter(http.Header{"Retry-After-Ms": {v}})
			assert.True(t, ok, v)
			assert.Equal(t, maxRetryAfter, d, v)
		}
	})
	t.Run("backoff", func(t *testing.T) {
		// The longest wait WithRetryWait accepts, with no jitter drawn.
		assert.Equal(t, time.Duration(math.MaxInt64), jittered(float64(math.MaxInt64), 0))
		assert.Equal(t, 750*time.Millisecond, jittered(float64(time.Second), 1))
		c, err := NewClient(WithRetryWait(time.Second, math.MaxInt64))
		require.NoError(t, err)
		cs := &callState{client: c}
		// The path through backoff; with a random jitter it would rarely
		// have shown the overflow, which the jittered(..., 0) case pins.
		assert.Greater(t, cs.backoff(200, nil), time.Duration(0))
	})
}

// TestOversizedErrorBodyWithSuccessLimitEqualToErrorCap: a success limit
// equal to the 1 MiB error cap must not turn a large 404 into a
// ErrResponseTooLarge DecodeError.
func TestOversizedErrorBodyWithSuccessLimitEqualToErrorCap(t *testing.T) {
	big := `{"detail":"` + strings.Repeat("x", 2<<20) + `"}`
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { reply(w, 404, big) })
	c := newTestClient(t, srv, WithMaxResponseBytes(maxErrorBodyBytes))
	_, err := c.Identities.Get(t.Context(), "identity-1")
	require.ErrorIs(t, err, ErrNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Len(t, apiErr.Body, int(maxErrorBodyBytes))
	assert.NotErrorIs(t, err, ErrResponseTooLarge)
}

// TestDiscardedSuccessBodyIgnoresTheLimit: Delete does not use the body of
// its 2xx, so the success size limit does not apply to it: the agent was
// deleted, and the call says so.
func TestDiscardedSuccessBodyIgnoresTheLimit(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		reply(w, 200, `{"message":"Agent id=agent-1 successfully deleted, and a long explanation follows"}`)
	})
	c := newTestClient(t, srv, WithMaxResponseBytes(16))
	require.NoError(t, c.Agents.Delete(t.Context(), "agent-1"))
	assert.Equal(t, 1, srv.count())
	_, err := c.Identities.Get(t.Context(), "identity-1")
	assert.ErrorIs(t, err, ErrResponseTooLarge, "a body the call decodes still has the limit")
}
