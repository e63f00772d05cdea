package letta

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// watched is an attempt under a deadlineWatch with a context whose end
// the test can observe.
type watched struct {
	a   *attempt
	ctx context.Context
}

func watchIn(w *deadlineWatch, deadline time.Time) watched {
	ctx, cancel := context.WithCancelCause(context.Background())
	a := &attempt{}
	w.watch(a, deadline, cancel)
	return watched{a: a, ctx: ctx}
}

// armed and pendingLen read the watch's state under its lock.
func armed(w *deadlineWatch) time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.armedFor
}

func pendingLen(w *deadlineWatch) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.pending)
}

// waitEnded waits (at most a safety 10 s, never asserted on) for ctx to
// end and returns its cause.
func waitEnded(t *testing.T, ctx context.Context) error {
	t.Helper()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-time.After(10 * time.Second):
		t.Fatal("the attempt's deadline never fired")
		return nil
	}
}

func TestDeadlineWatchCancelsOnlyDueAttempts(t *testing.T) {
	tests := []struct {
		name string
		// offsets of the deadlines from now, in watch order; the ones
		// marked unwatch are taken out before any can be due.
		offsets []time.Duration
		unwatch []bool
	}{
		{"one", []time.Duration{10 * time.Millisecond}, []bool{false}},
		{"in order", []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, time.Hour}, []bool{false, false, false}},
		{"earlier one later", []time.Duration{time.Hour, 30 * time.Millisecond, 10 * time.Millisecond}, []bool{false, false, false}},
		{"earliest taken out", []time.Duration{10 * time.Millisecond, 40 * time.Millisecond, time.Hour}, []bool{true, false, false}},
		{"all taken out but a late one", []time.Duration{time.Hour, 5 * time.Millisecond, 6 * time.Millisecond}, []bool{false, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &deadlineWatch{}
			now := time.Now()
			var all []watched
			for _, off := range tt.offsets {
				all = append(all, watchIn(w, now.Add(off)))
			}
			for i, out := range tt.unwatch {
				if out {
					w.unwatch(all[i].a)
					w.unwatch(all[i].a) // a second time is a no-op
				}
			}
			for i, wa := range all {
				switch {
				case tt.unwatch[i]:
					continue
				case tt.offsets[i] < time.Hour:
					assert.ErrorIs(t, waitEnded(t, wa.ctx), context.DeadlineExceeded, "attempt %d", i)
				}
			}
			// Every due attempt has ended by now; the others have not.
			for i, wa := range all {
				due := !tt.unwatch[i] && tt.offsets[i] < time.Hour
				assert.Equal(t, due, wa.ctx.Err() != nil, "attempt %d ended", i)
			}
			pending := pendingLen(w)
			late := 0
			for i := range all {
				if !tt.unwatch[i] && tt.offsets[i] >= time.Hour {
					late++
				}
			}
			assert.Equal(t, late, pending, "only the late attempts are still watched")
		})
	}
}

func TestDeadlineWatchArmsTheTimerOnlyForAnEarlierDeadline(t *testing.T) {
	w := &deadlineWatch{}
	now := time.Now()
	first := watchIn(w, now.Add(time.Hour))
	assert.Equal(t, now.Add(time.Hour), armed(w))
	watchIn(w, now.Add(2*time.Hour))
	assert.Equal(t, now.Add(time.Hour), armed(w), "a later deadline leaves the timer alone")
	early := watchIn(w, now.Add(10*time.Millisecond))
	assert.Equal(t, now.Add(10*time.Millisecond), armed(w), "an earlier one re-arms it")
	require.ErrorIs(t, waitEnded(t, early.ctx), context.DeadlineExceeded)
	// The cancellation runs after fire has re-armed and unlocked.
	assert.Equal(t, now.Add(time.Hour), armed(w), "after firing, armed for the next deadline")
	assert.NoError(t, first.ctx.Err())
}

func TestDeadlineWatchHeapUnderConcurrency(t *testing.T) {
	w := &deadlineWatch{}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				// Deadlines far enough away never to fire, in every order.
				wa := watchIn(w, time.Now().Add(time.Hour+time.Duration((g*7919+i*104729)%1000)*time.Millisecond))
				if i%3 == 0 {
					w.unwatch(wa.a)
				} else {
					defer w.unwatch(wa.a)
				}
			}
		}()
	}
	w.mu.Lock()
	for i, a := range w.pending {
		assert.Equal(t, i, a.heapIndex)
		if i > 0 {
			assert.False(t, a.deadline.Before(w.pending[(i-1)/2].deadline), "heap order at %d", i)
		}
	}
	w.mu.Unlock()
	wg.Wait()
	assert.Zero(t, pendingLen(w))
}

// contextProbe is a transport that hands each request's context to seen
// and answers 200 at once, or (hang) only when the context ends.
func contextProbe(seen chan<- context.Context, hang bool) roundTripFunc {
	return func(r *http.Request) (*http.Response, error) {
		seen <- r.Context()
		if hang {
			<-r.Context().Done()
			return nil, context.Cause(r.Context())
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	}
}

func TestAttemptContextReportsTheAttemptDeadline(t *testing.T) {
	tests := []struct {
		name        string
		timeout     time.Duration
		callerAfter time.Duration // 0: no caller deadline
		wantOwn     bool
	}{
		{"no caller deadline", time.Hour, 0, true},
		{"caller's is later", time.Hour, 2 * time.Hour, true},
		{"caller's is earlier: none of its own", time.Hour, 30 * time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := make(chan context.Context, 1)
			c, err := NewClient(WithBaseURL("http://letta.invalid"), WithTimeout(tt.timeout), WithMaxRetries(0),
				WithHTTPClient(&http.Client{Transport: contextProbe(seen, false)}))
			require.NoError(t, err)
			ctx := context.Background()
			var callerDeadline time.Time
			if tt.callerAfter > 0 {
				var cancel context.CancelFunc
				callerDeadline = time.Now().Add(tt.callerAfter)
				ctx, cancel = context.WithDeadline(ctx, callerDeadline)
				defer cancel()
			}
			before := time.Now()
			require.NoError(t, c.Identities.Delete(ctx, "identity-1"))
			after := time.Now()
			got, ok := (<-seen).Deadline()
			require.True(t, ok)
			if tt.wantOwn {
				assert.False(t, got.Before(before.Add(tt.timeout)), "deadline %v is the attempt's own", got)
				assert.False(t, got.After(after.Add(tt.timeout)), "deadline %v is the attempt's own", got)
			} else {
				assert.Equal(t, callerDeadline, got)
			}
			assert.Zero(t, pendingLen(c.deadlines), "the finished attempt is no longer watched")
		})
	}
}

func TestAttemptContextErrIsDeadlineExceededAfterTheTimeout(t *testing.T) {
	seen := make(chan context.Context, 1)
	c, err := NewClient(WithBaseURL("http://letta.invalid"), WithTimeout(20*time.Millisecond), WithMaxRetries(0),
		WithHTTPClient(&http.Client{Transport: contextProbe(seen, true)}))
	require.NoError(t, err)
	_, err = c.Identities.Get(context.Background(), "identity-1")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	actx := <-seen
	assert.Equal(t, context.DeadlineExceeded, actx.Err(), "as a context.WithDeadline's")
	assert.Zero(t, pendingLen(c.deadlines))
}
