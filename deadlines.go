package letta

import (
	"context"
	"sync"
	"time"
)

// deadlineWatch enforces the per-attempt timeouts of one Client's calls
// with a single runtime timer, armed for the earliest deadline pending.
//
// Why not context.WithDeadline per attempt: starting and stopping a runtime
// timer on every attempt cost about 4 µs of a 60 µs loopback call, far
// more than the timer costs alone (0.2 µs): measured by ablation, a
// context.WithCancel per attempt against the same plus a stopped
// time.AfterFunc (BENCHMARKS.md). Where the runtime spends it was not
// pinned down; it is not system calls (strace counts are the same). Here
// an attempt whose deadline is not earlier than the one the timer is
// armed for (the common case: every attempt has the same timeout, so
// deadlines arrive in order) does not touch the timer at all. A finished
// attempt is only taken out of the heap; the timer, if it was armed for
// it, fires early, finds nothing due and re-arms for the next deadline.
type deadlineWatch struct {
	mu    sync.Mutex
	timer *time.Timer
	// armedFor is the deadline the timer fires at (zero: not armed).
	armedFor time.Time
	// pending is a min-heap of the attempts in flight, by deadline; each
	// attempt knows its index (heapIndex), so that removal is O(log n).
	pending []*attempt
}

// watch calls cancel(context.DeadlineExceeded) once deadline passes, unless
// a is unwatched first. cancel ends a's own context.
func (w *deadlineWatch) watch(a *attempt, deadline time.Time, cancel context.CancelCauseFunc) {
	w.mu.Lock()
	defer w.mu.Unlock()
	a.deadline, a.cancelCause = deadline, cancel
	a.heapIndex = len(w.pending)
	w.pending = append(w.pending, a)
	w.up(a.heapIndex)
	if !w.armedFor.IsZero() && !deadline.Before(w.armedFor) {
		return
	}
	w.armedFor = deadline
	d := time.Until(deadline)
	if w.timer == nil {
		w.timer = time.AfterFunc(d, w.fire)
	} else {
		w.timer.Reset(d)
	}
}

// unwatch takes a out of the watch; it is a no-op for an attempt that is
// not watched (never was, already unwatched, or already expired).
func (w *deadlineWatch) unwatch(a *attempt) {
	w.mu.Lock()
	defer w.mu.Unlock()
	i := a.heapIndex
	if i < 0 || i >= len(w.pending) || w.pending[i] != a {
		return
	}
	w.removeAt(i)
}

// fire cancels every attempt whose deadline has passed and re-arms the
// timer for the next one. The cancellations run after the lock is released:
// a context's cancellation runs its children's, net/http's among them.
func (w *deadlineWatch) fire() {
	now := time.Now()
	var due []*attempt
	w.mu.Lock()
	w.armedFor = time.Time{}
	for len(w.pending) > 0 && !w.pending[0].deadline.After(now) {
		due = append(due, w.pending[0])
		w.removeAt(0)
	}
	if len(w.pending) > 0 {
		w.armedFor = w.pending[0].deadline
		w.timer.Reset(w.armedFor.Sub(now))
	}
	w.mu.Unlock()
	for _, a := range due {
		a.cancelCause(context.DeadlineExceeded)
	}
}

func (w *deadlineWatch) removeAt(i int) {
	last := len(w.pending) - 1
	removed := w.pending[i]
	if i != last {
		w.pending[i] = w.pending[last]
		w.pending[i].heapIndex = i
	}
	w.pending[last] = nil
	w.pending = w.pending[:last]
	removed.heapIndex = -1
	if i != last {
		w.down(i)
		w.up(i)
	}
}

func (w *deadlineWatch) less(i, j int) bool {
	return w.pending[i].deadline.Before(w.pending[j].deadline)
}

func (w *deadlineWatch) swap(i, j int) {
	w.pending[i], w.pending[j] = w.pending[j], w.pending[i]
	w.pending[i].heapIndex = i
	w.pending[j].heapIndex = j
}

func (w *deadlineWatch) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !w.less(i, parent) {
			return
		}
		w.swap(i, parent)
		i = parent
	}
}

func (w *deadlineWatch) down(i int) {
	n := len(w.pending)
	for {
		smallest := i
		if l := 2*i + 1; l < n && w.less(l, smallest) {
			smallest = l
		}
		if r := 2*i + 2; r < n && w.less(r, smallest) {
			smallest = r
		}
		if smallest == i {
			return
		}
		w.swap(i, smallest)
		i = smallest
	}
}
