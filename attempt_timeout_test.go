package letta

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The per-attempt timeout is a context.WithTimeout on each attempt's
// context (callState.attempt, retry.go), made only when the caller's
// deadline is later; the attempt's body is read inside it. Attempts go
// through an http.Client whose Timeout is 0, and between attempts the
// request carries the caller's context. These tests pin what Client.Timeout did: it bounds the body read too, it applies
// to each attempt afresh, and it does not shorten the wait between attempts.

func TestAttemptTimeoutBoundsBodyRead(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"identity-1",`))
		w.(http.Flusher).Flush()
		select { // the rest of the body never comes in time
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, err := NewClient(WithBaseURL(srv.URL), WithTimeout(100*time.Millisecond), WithMaxRetries(0))
	require.NoError(t, err)

	// A safety net, so that a body read the timeout does not bound ends the
	// test instead of hanging it; it must not be what ended the call.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = c.Identities.Get(ctx, "identity-1")
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NoError(t, ctx.Err(), "the attempt's timeout ended the body read, not the caller's context")
}

func TestAttemptTimeoutIsPerAttemptAndSparesTheBackoffWait(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			// Retry after 300 ms: longer than the 150 ms attempt timeout.
			w.Header().Set("Retry-After-Ms", "300")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		// Reached 300 ms after the first attempt started: a deadline set
		// once per call (150 ms) would have ended the call by now.
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"identity-1"}`))
	}))
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithTimeout(150*time.Millisecond), WithMaxRetries(1))
	require.NoError(t, err)

	id, err := c.Identities.Get(context.Background(), "identity-1")
	require.NoError(t, err)
	assert.Equal(t, "identity-1", id.ID)
	assert.EqualValues(t, 2, n.Load())
}

func TestRequestTimeoutOverridesAttemptTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(200 * time.Millisecond)
		_, _ = w.Write([]byte(`{"id":"identity-1"}`))
	}))
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithTimeout(50*time.Millisecond), WithMaxRetries(0))
	require.NoError(t, err)

	_, err = c.Identities.Get(context.Background(), "identity-1")
	require.ErrorIs(t, err, context.DeadlineExceeded, "the client's timeout applies")

	id, err := c.Identities.Get(context.Background(), "identity-1", WithRequestTimeout(5*time.Second))
	require.NoError(t, err, "a longer per-call timeout wins")
	assert.Equal(t, "identity-1", id.ID)

	id, err = c.Identities.Get(context.Background(), "identity-1", WithRequestTimeout(0))
	require.NoError(t, err, "0 means no per-attempt limit")
	assert.Equal(t, "identity-1", id.ID)
}
