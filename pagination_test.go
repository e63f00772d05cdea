package letta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeList serves a list in a fixed order with after/before/limit cursors,
// like the Letta list routes. An unknown cursor answers 404 (identities) or,
// with ignoreUnknown, is ignored (agents).
type fakeList struct {
	mu            sync.Mutex
	ids           []string
	ignoreUnknown bool
	// afterPage runs after page n (0-based) was served, e.g. to delete.
	afterPage func(l *fakeList, n int)
	// failPage answers page n with this status.
	failPage   map[int]int
	pages      int
	defaultLim int
}

func (l *fakeList) remove(ids ...string) {
	l.ids = slices.DeleteFunc(l.ids, func(s string) bool { return slices.Contains(ids, s) })
}

func (l *fakeList) handle(w http.ResponseWriter, r *http.Request, _ int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.pages
	l.pages++
	if st, ok := l.failPage[n]; ok {
		reply(w, st, `{"detail":"injected"}`)
		return
	}
	q := r.URL.Query()
	limit := l.defaultLim
	if limit == 0 {
		limit = 50
	}
	if v := q.Get("limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	// l.ids is the default order (desc); asc reverses it.
	ids := l.ids
	if q.Get("order") == "asc" {
		ids = slices.Clone(ids)
		slices.Reverse(ids)
	}
	lo, hi := 0, len(ids)
	if after := q.Get("after"); after != "" {
		if i := slices.Index(ids, after); i >= 0 {
			lo = i + 1
		} else if !l.ignoreUnknown {
			reply(w, 404, `{"detail":"No Identity found with id `+after+`"}`)
			return
		}
	}
	if before := q.Get("before"); before != "" {
		if i := slices.Index(ids, before); i >= 0 {
			hi = i
		} else if !l.ignoreUnknown {
			reply(w, 404, `{"detail":"No Identity found with id `+before+`"}`)
			return
		}
	}
	// As the server: before alone gives the first items ahead of its
	// cursor, from the top of the list, not the nearest.
	page := ids[lo:min(hi, lo+limit)]
	out := make([]map[string]string, 0, len(page))
	for _, id := range page {
		out = append(out, map[string]string{"id": id, "name": "n-" + id})
	}
	b, _ := json.Marshal(out)
	reply(w, 200, string(b))
	if l.afterPage != nil {
		l.afterPage(l, n)
	}
}

func collect[T any](t *testing.T, seq func(func(T, error) bool), id func(T) string) ([]string, []error) {
	t.Helper()
	var ids []string
	var errs []error
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, id(v))
	}
	return ids, errs
}

func identityID(v Identity) string { return v.ID }

func TestListAllFollowsAfterCursor(t *testing.T) {
	l := &fakeList{ids: []string{"a", "b", "c", "d", "e"}}
	srv := newTestServer(t, l.handle)
	c := newTestClient(t, srv)
	params := &IdentityListParams{Limit: 2, Name: "n", IdentityType: IdentityTypeUser}
	ids, errs := collect(t, c.Identities.ListAll(t.Context(), params), identityID)
	require.Empty(t, errs)
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, ids)

	reqs := srv.requests()
	require.Len(t, reqs, 4, "pages + 1: the walk stops on an empty page")
	wantAfter := []string{"", "b", "d", "e"}
	for i, r := range reqs {
		assert.Equal(t, "/prefix/v1/identities/", r.Path)
		assert.Equal(t, wantAfter[i], r.Query.Get("after"), "page %d", i)
		assert.Equal(t, "2", r.Query.Get("limit"))
		assert.Equal(t, "n", r.Query.Get("name"), "filters are kept on every page")
		assert.Equal(t, "user", r.Query.Get("identity_type"))
		assert.False(t, r.Query.Has("before"))
	}
	assert.Empty(t, params.After, "the caller's params are not modified")
}

func TestListAllDoesNotStopOnShortPage(t *testing.T) {
	// A server that caps the page size below the requested limit must not
	// end the walk early.
	l := &fakeList{ids: []string{"a", "b", "c", "d", "e"}}
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		q := r.URL.Query()
		q.Set("limit", "2")
		r.URL.RawQuery = q.Encode()
		l.handle(w, r, n)
	})
	c := newTestClient(t, srv)
	ids, errs := collect(t, c.Identities.ListAll(t.Context(), &IdentityListParams{Limit: 10}), identityID)
	require.Empty(t, errs)
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, ids)
}

func TestListAllStartsFromCallerCursor(t *testing.T) {
	l := &fakeList{ids: []string{"a", "b", "c", "d", "e"}}
	srv := newTestServer(t, l.handle)
	c := newTestClient(t, srv)
	ids, errs := collect(t, c.Identities.ListAll(t.Context(), &IdentityListParams{After: "b", Limit: 2}), identityID)
	require.Empty(t, errs)
	assert.Equal(t, []string{"c", "d", "e"}, ids)
}

// TestListAllBackwardsWithBefore: Before walks back from its item, nearest
// first, by walking after it in the reversed order; the server's answer to
// before alone (the first items of the list) is never relied on.
func TestListAllBackwardsWithBefore(t *testing.T) {
	for _, tt := range []struct {
		order     Order
		wantOrder string
		want      []string
	}{
		{"", "asc", []string{"d", "c", "b", "a"}},
		{OrderDesc, "asc", []string{"d", "c", "b", "a"}},
		// In ascending order (f..a), the items before "b" are f..c.
		{OrderAsc, "desc", []string{"c", "d", "e", "f"}},
	} {
		t.Run(string(tt.order), func(t *testing.T) {
			l := &fakeList{ids: []string{"a", "b", "c", "d", "e", "f"}}
			srv := newTestServer(t, l.handle)
			c := newTestClient(t, srv)
			before := "e"
			if tt.order == OrderAsc {
				before = "b"
			}
			params := &IdentityListParams{Before: before, Limit: 2, Order: tt.order}
			ids, errs := collect(t, c.Identities.ListAll(t.Context(), params), identityID)
			require.Empty(t, errs)
			assert.Equal(t, tt.want, ids)
			assert.Equal(t, before, params.Before, "params is not modified")
			reqs := srv.requests()
			require.Len(t, reqs, 3)
			for i, r := range reqs {
				assert.False(t, r.Query.Has("before"), "page %d", i)
				assert.Equal(t, tt.wantOrder, r.Query.Get("order"), "page %d", i)
			}
			assert.Equal(t, before, reqs[0].Query.Get("after"))
			assert.Equal(t, tt.want[1], reqs[1].Query.Get("after"))
			assert.Equal(t, tt.want[3], reqs[2].Query.Get("after"))
		})
	}
}

func TestListAllEarlyBreak(t *testing.T) {
	l := &fakeList{ids: []string{"a", "b", "c", "d", "e"}}
	srv := newTestServer(t, l.handle)
	c := newTestClient(t, srv)
	var got []string
	for v, err := range c.Identities.ListAll(t.Context(), &IdentityListParams{Limit: 2}) {
		require.NoError(t, err)
		got = append(got, v.ID)
		if len(got) == 3 {
			break
		}
	}
	assert.Equal(t, []string{"a", "b", "c"}, got)
	assert.Equal(t, 2, srv.count(), "no page is fetched after the consumer stops")
}

func TestListAllYieldsErrorOnceThenStops(t *testing.T) {
	l := &fakeList{ids: []string{"a", "b", "c", "d", "e"}, failPage: map[int]int{1: 500}}
	srv := newTestServer(t, l.handle)
	c := newTestClient(t, srv, WithMaxRetries(0))
	ids, errs := collect(t, c.Identities.ListAll(t.Context(), &IdentityListParams{Limit: 2}), identityID)
	assert.Equal(t, []string{"a", "b"}, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrServer)
	assert.Equal(t, 2, srv.count())
}

func TestListAllInvalidParamsYieldOnce(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, "[]") })
	c := newTestClient(t, srv)
	ids, errs := collect(t, c.Identities.ListAll(t.Context(), &IdentityListParams{Limit: -1}), identityID)
	assert.Empty(t, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrInvalidParam)
	_, errs = collect(t, c.Identities.ListAgentsAll(t.Context(), "..", nil), func(a AgentState) string { return a.ID })
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrInvalidParam)
	assert.Equal(t, 0, srv.count())
}

func TestListAllStopsOnCancelledContext(t *testing.T) {
	l := &fakeList{ids: []string{"a", "b", "c", "d", "e"}}
	srv := newTestServer(t, l.handle)
	c := newTestClient(t, srv)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var got []string
	var errs []error
	for v, err := range c.Identities.ListAll(ctx, &IdentityListParams{Limit: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, v.ID)
		cancel()
	}
	assert.Equal(t, []string{"a", "b"}, got, "the page in hand is finished")
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Equal(t, 1, srv.count())
}

func TestListAllRecoversFromDeletedCursor(t *testing.T) {
	tests := []struct {
		name      string
		ids       []string
		limit     int
		deleteAt  int // after this page
		deleteIDs []string
		want      []string
	}{
		{"cursor deleted", []string{"a", "b", "c", "d", "e", "f"}, 3, 0, []string{"c"},
			[]string{"a", "b", "c", "d", "e", "f"}},
		{"cursor and its neighbour deleted", []string{"a", "b", "c", "d", "e", "f"}, 3, 0, []string{"b", "c"},
			[]string{"a", "b", "c", "d", "e", "f"}},
		{"whole first page deleted", []string{"a", "b", "c", "d", "e", "f"}, 3, 0, []string{"a", "b", "c"},
			[]string{"a", "b", "c", "d", "e", "f"}},
		{"whole second page deleted, falls back to its cursor", []string{"a", "b", "c", "d", "e", "f", "g"}, 2, 1,
			[]string{"c", "d"}, []string{"a", "b", "c", "d", "e", "f", "g"}},
		{"cursor and a later item deleted", []string{"a", "b", "c", "d", "e", "f"}, 3, 0, []string{"c", "e"},
			[]string{"a", "b", "c", "d", "f"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &fakeList{ids: tt.ids, afterPage: func(l *fakeList, n int) {
				if n == tt.deleteAt {
					l.remove(tt.deleteIDs...)
				}
			}}
			srv := newTestServer(t, l.handle)
			c := newTestClient(t, srv)
			ids, errs := collect(t, c.Identities.ListAll(t.Context(), &IdentityListParams{Limit: tt.limit}), identityID)
			require.Empty(t, errs)
			assert.Equal(t, tt.want, ids, "every item that still exists, each once")
		})
	}
}

func TestListAllCallerCursorNotFoundIsAnError(t *testing.T) {
	l := &fakeList{ids: []string{"a", "b"}}
	srv := newTestServer(t, l.handle)
	c := newTestClient(t, srv)
	ids, errs := collect(t, c.Identities.ListAll(t.Context(), &IdentityListParams{After: "zzz"}), identityID)
	assert.Empty(t, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrNotFound)
	assert.Equal(t, 1, srv.count())
}

// Agents: the server ignores an unknown cursor and starts over; nothing is
// yielded twice and nothing is lost.
func TestAgentsListAllSurvivesIgnoredCursor(t *testing.T) {
	l := &fakeList{ids: []string{"a", "b", "c", "d", "e"}, ignoreUnknown: true, afterPage: func(l *fakeList, n int) {
		if n == 0 {
			l.remove("b")
		}
	}}
	srv := newTestServer(t, l.handle)
	c := newTestClient(t, srv)
	ids, errs := collect(t, c.Agents.ListAll(t.Context(), &AgentListParams{Limit: 2, Tags: []string{"x"}}),
		func(a AgentState) string { return a.ID })
	require.Empty(t, errs)
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, ids)
	for _, r := range srv.requests() {
		assert.Equal(t, []string{"x"}, r.Query["tags"])
	}
}

func TestListAllStopsWhenServerIgnoresCursor(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, 200, `[{"id":"a"},{"id":"b"}]`)
	})
	c := newTestClient(t, srv)
	ids, errs := collect(t, c.Identities.ListAll(t.Context(), nil), identityID)
	assert.Equal(t, []string{"a", "b"}, ids)
	require.Len(t, errs, 1)
	assert.True(t, errors.Is(errs[0], errNoProgress))
	assert.Equal(t, 2, srv.count())
}

func TestSubListIterators(t *testing.T) {
	l := &fakeList{ids: []string{"x1", "x2", "x3"}}
	srv := newTestServer(t, l.handle)
	c := newTestClient(t, srv)

	agents, errs := collect(t, c.Identities.ListAgentsAll(t.Context(), "identity-1",
		&IdentityAgentListParams{Limit: 2, Include: []AgentInclude{IncludeAgentTags}}),
		func(a AgentState) string { return a.ID })
	require.Empty(t, errs)
	assert.Equal(t, []string{"x1", "x2", "x3"}, agents)

	blocks, errs := collect(t, c.Identities.ListBlocksAll(t.Context(), "identity-1", &IdentityBlockListParams{Limit: 2}),
		func(b Block) string { return b.ID })
	require.Empty(t, errs)
	assert.Equal(t, []string{"x1", "x2", "x3"}, blocks)

	reqs := srv.requests()
	require.Len(t, reqs, 6)
	for _, r := range reqs[:3] {
		assert.Equal(t, "/prefix/v1/identities/identity-1/agents", r.Path)
		assert.Equal(t, []string{"agent.tags"}, r.Query["include"])
	}
	for _, r := range reqs[3:] {
		assert.Equal(t, "/prefix/v1/identities/identity-1/blocks", r.Path)
	}
}

// memItem is an item of memList: an id and the time the list is sorted by
// (zero: none).
type memItem struct {
	id string
	at time.Time
}

// memList is an in-memory list for walking the pager directly: items in
// list order, after/limit cursors like the Letta routes. An unknown cursor answers
// ErrNotFound, or with restart it is ignored and the page comes from the
// top, as the agents route does.
type memList struct {
	items   []memItem
	pos     map[string]int // id -> index in items; nil after a deletion
	limit   int
	restart bool
	// times gives the pager the items' sort times.
	times bool
	// requests logs the cursor of each request.
	requests []string
	gone     int // requests whose cursor no longer existed
	ends     int // empty pages served
}

// newMemList makes n items named it-000000..., sorted newest first (the
// server default) unless asc, one millisecond apart.
func newMemList(n, limit int, asc bool) *memList {
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l := &memList{limit: limit}
	for i := range n {
		at := base.Add(-time.Duration(i) * time.Millisecond)
		if asc {
			at = base.Add(time.Duration(i) * time.Millisecond)
		}
		l.items = append(l.items, memItem{id: fmt.Sprintf("it-%06d", i), at: at})
	}
	return l
}

func (l *memList) ids() []string {
	out := make([]string, len(l.items))
	for i, it := range l.items {
		out[i] = it.id
	}
	return out
}

func (l *memList) remove(ids ...string) {
	l.items = slices.DeleteFunc(l.items, func(it memItem) bool { return slices.Contains(ids, it.id) })
	l.pos = nil
}

func (l *memList) index(id string) (int, bool) {
	if l.pos == nil {
		l.pos = make(map[string]int, len(l.items))
		for i, it := range l.items {
			l.pos[it.id] = i
		}
	}
	i, ok := l.pos[id]
	return i, ok
}

func (l *memList) fetch(_ context.Context, after string) ([]memItem, error) {
	l.requests = append(l.requests, after)
	lo := 0
	if after != "" {
		i, ok := l.index(after)
		switch {
		case !ok && l.restart:
			l.gone++
		case !ok:
			l.gone++
			return nil, fmt.Errorf("%w: no item %s", ErrNotFound, after)
		default:
			lo = i + 1
		}
	}
	hi := len(l.items)
	var page []memItem
	if lo < hi {
		page = slices.Clone(l.items[lo:min(hi, lo+l.limit)])
	}
	if len(page) == 0 {
		l.ends++
	}
	return page, nil
}

// pager walks the list from the top.
func (l *memList) pager() pager[memItem] {
	p := pager[memItem]{
		fetch:                l.fetch,
		id:                   func(it memItem) string { return it.id },
		recoverMissingCursor: !l.restart,
	}
	if l.times {
		p.created = func(it memItem) (time.Time, bool) { return it.at, !it.at.IsZero() }
	}
	return p
}

// memWalk runs a walk; onItem runs after each item (e.g. to delete).
type memWalk struct {
	got  []string
	errs []error
	peak walkStats
}

func runMemWalk(p pager[memItem], onItem func(id string)) memWalk {
	var w memWalk
	p.observe = func(s walkStats) {
		if s.IDs() > w.peak.IDs() {
			w.peak = s
		}
	}
	for it, err := range p.all(context.Background()) {
		if err != nil {
			w.errs = append(w.errs, err)
			continue
		}
		w.got = append(w.got, it.id)
		if onItem != nil {
			onItem(it.id)
		}
	}
	return w
}

// checkMemWalk: got is in list order (all) with no item twice, and holds
// every item never deleted; when the walk ended with ErrListPositionLost,
// every item never deleted up to the last one it yielded.
func checkMemWalk(t *testing.T, all []string, w memWalk, deleted map[string]bool) {
	t.Helper()
	at := make(map[string]int, len(all))
	for i, id := range all {
		at[id] = i
	}
	prev := -1
	for _, id := range w.got {
		i, ok := at[id]
		require.True(t, ok, "unknown item %s", id)
		require.Greater(t, i, prev, "%s yielded twice or out of order", id)
		prev = i
	}
	end := len(all)
	if len(w.errs) > 0 {
		require.Len(t, w.errs, 1, "an error ends the walk")
		require.ErrorIs(t, w.errs[0], ErrListPositionLost)
		end = prev + 1
	}
	yielded := make(map[string]bool, len(w.got))
	for _, id := range w.got {
		yielded[id] = true
	}
	for _, id := range all[:end] {
		if !deleted[id] {
			require.True(t, yielded[id], "%s still exists and was skipped", id)
		}
	}
}

// TestPagerMemoryIsBounded walks 10,000 and 100,000 items: the ids the
// walk retains (window, first page, checkpoints, last page) stay under a
// bound set by the page size and the window, not by the total; only the
// checkpoints grow, with the log of the number of pages.
func TestPagerMemoryIsBounded(t *testing.T) {
	const limit = 50
	peaks := map[int]walkStats{}
	for _, total := range []int{10_000, 100_000} {
		l := newMemList(total, limit, false)
		p := l.pager()
		var peak walkStats
		p.observe = func(s walkStats) {
			peak.Window = max(peak.Window, s.Window)
			peak.FirstPage = max(peak.FirstPage, s.FirstPage)
			peak.Checkpoints = max(peak.Checkpoints, s.Checkpoints)
			peak.LastPage = max(peak.LastPage, s.LastPage)
			peak.Seen = max(peak.Seen, s.Seen)
		}
		n := 0
		for it, err := range p.all(t.Context()) {
			require.NoError(t, err)
			require.Equal(t, l.items[n].id, it.id, "item %d", n)
			n++
		}
		require.Equal(t, total, n)
		assert.Len(t, l.requests, total/limit+1, "pages + 1 requests")
		pages := total / limit
		assert.LessOrEqual(t, peak.Window, 2*minWindow, "window ids")
		assert.LessOrEqual(t, peak.FirstPage, limit)
		assert.LessOrEqual(t, peak.LastPage, limit)
		assert.LessOrEqual(t, peak.Checkpoints, 8+4*bits.Len(uint(pages)), "checkpoints: O(log pages)")
		assert.Less(t, peak.IDs(), 1000, "ids retained for %d items", total)
		assert.Equal(t, total, peak.Seen, "a 404-style walk hashes every id it yielded")
		peaks[total] = peak
		t.Logf("%d items: %d ids retained at most (%+v)", total, peak.IDs(), peak)
	}
	// Ten times the items: the same window, a few more checkpoints.
	assert.Equal(t, peaks[10_000].Window, peaks[100_000].Window)
	assert.LessOrEqual(t, peaks[100_000].IDs()-peaks[10_000].IDs(), 4*4)
}

// TestPagerAgentsStyleMemoryIsBounded: a walk over a list that starts over
// on an unknown cursor keeps no hashes: 100,000 items, a few hundred ids.
func TestPagerAgentsStyleMemoryIsBounded(t *testing.T) {
	l := newMemList(100_000, 50, false)
	l.restart, l.times = true, true
	w := runMemWalk(l.pager(), nil)
	require.Empty(t, w.errs)
	require.Len(t, w.got, 100_000)
	assert.Zero(t, w.peak.Seen)
	assert.Less(t, w.peak.IDs(), 1000)
}

// TestSeenSet: every hash added is found, others are not, across many
// merges of the tail into the sorted slice, which stays sorted; the slice
// and the tail hold about one word per hash.
func TestSeenSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	s := newSeenSet()
	const n = 200_000
	added := make(map[uint64]bool, n)
	for i := range n {
		h := rng.Uint64()
		s.add(h)
		s.add(h) // twice: stored once
		added[h] = true
		if i%997 == 0 {
			require.True(t, s.has(h))
		}
	}
	require.Equal(t, n, s.len())
	for h := range added {
		require.True(t, s.has(h), "hash %x added, not found", h)
	}
	for range n {
		if h := rng.Uint64(); !added[h] {
			require.False(t, s.has(h), "hash %x never added, found", h)
		}
	}
	require.True(t, slices.IsSorted(s.sorted))
	assert.Greater(t, len(s.sorted), n/2, "most hashes were merged")
	assert.LessOrEqual(t, len(s.tail), max(minSeenTail, len(s.sorted)/8))
	assert.Equal(t, len(s.sorted), cap(s.sorted), "no spare capacity kept")
	// The hash of an id: the same id the same hash, another seed another.
	assert.Equal(t, s.hash("identity-1"), s.hash("identity-1"))
	assert.NotEqual(t, s.hash("identity-1"), s.hash("identity-2"))
	assert.NotEqual(t, s.hash("identity-1"), newSeenSet().hash("identity-1"), "a seed per walk")
}

// TestSeenSetMemory measures the heap a set of 200,000 hashes keeps: 8 to
// 12 bytes per id (the tail map adds a few to the sorted slice's 8), which
// is what the ListAll docs promise.
func TestSeenSetMemory(t *testing.T) {
	const n = 200_000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := newSeenSet()
	for i := range n {
		s.add(s.hash(fmt.Sprintf("identity-%d", i)))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(s)
	perID := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
	t.Logf("seen set: %.1f bytes per id", perID)
	assert.Less(t, perID, 12.0, "bytes per id")
}

// TestPagerWindowCoversFourPages: with pages larger than a quarter of
// minWindow, the window grows to hold four of them (two generations of
// that size at most), so resuming from the last page's own cursor never
// needs to seek.
func TestPagerWindowCoversFourPages(t *testing.T) {
	const limit = 300
	l := newMemList(6000, limit, false)
	w := runMemWalk(l.pager(), nil)
	require.Empty(t, w.errs)
	require.Len(t, w.got, 6000)
	assert.GreaterOrEqual(t, w.peak.Window, 4*limit)
	assert.LessOrEqual(t, w.peak.Window, 2*4*limit)
}

// TestWalkSide places items against the frontier by sort time, for both
// list orders.
func TestWalkSide(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	older, newer := memItem{id: "o", at: t0.Add(-time.Second)}, memItem{id: "n", at: t0.Add(time.Second)}
	tests := []struct {
		name                 string
		dir                  int // list order: +1 oldest first, -1 newest first
		exact                bool
		wantOlder, wantNewer int
	}{
		{"newest first", -1, true, +1, -1},
		{"oldest first", +1, true, -1, +1},
		// The frontier's own item had no time: an earlier one's says only
		// what lies behind.
		{"newest first, inexact", -1, false, 0, -1},
		{"oldest first, inexact", +1, false, -1, 0},
		{"no direction yet", 0, true, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &pager[memItem]{created: func(it memItem) (time.Time, bool) { return it.at, !it.at.IsZero() }}
			w := newWalk(p)
			w.dir = tt.dir
			w.frontier, w.hasFrontier, w.frontierExact = t0, true, tt.exact
			assert.Equal(t, tt.wantOlder, w.side(older), "older item")
			assert.Equal(t, tt.wantNewer, w.side(newer), "newer item")
			assert.Equal(t, 0, w.side(memItem{id: "t", at: t0}), "same time")
			assert.Equal(t, 0, w.side(memItem{id: "u"}), "no time")
			w.timesOff = true
			assert.Equal(t, 0, w.side(older), "times turned off")
		})
	}
}

// TestPagerCheckpointsSpanTheWalk: the checkpoints reach back to the
// walk's first page at roughly doubling distances, so a recovery finds an
// existing one in O(log n) tries.
func TestPagerCheckpointsSpanTheWalk(t *testing.T) {
	w := newWalk(&pager[memItem]{})
	for k := range 5000 {
		w.addCheckpoint(fmt.Sprint(k), k)
	}
	require.NotEmpty(t, w.cps)
	assert.Equal(t, 0, w.cps[0].seq, "the first page's checkpoint stays")
	assert.Equal(t, 4999, w.cps[len(w.cps)-1].seq, "the newest is kept")
	for d := 1; d < 5000; d *= 2 {
		c, ok := w.checkpointAtOrBefore(4999 - d)
		require.True(t, ok)
		assert.GreaterOrEqual(t, c.seq, 4999-2*d, "a checkpoint between distance %d and %d", d, 2*d)
	}
	assert.LessOrEqual(t, len(w.cps), 8+4*bits.Len(5000))
}

// TestPagerDeletionsBehindTheWindow deletes, once the walk has yielded
// 1,000 items (pages of 10, so the window of 256 to 512 ids no longer holds
// the oldest), every item it yielded from #500 on: the cursor, its page,
// and the checkpoints inside the window. The walk must resume from a
// checkpoint older than the window and skip the items it yielded long ago
// until it finds the frontier (the surviving #700), or, with #700 deleted
// too, tell them apart by the hashes of every id it yielded: no error, each
// item once. Agents-style lists (a deleted cursor restarts the list) find
// the frontier by the window, or with #700 deleted stop with
// ErrListPositionLost instead of guessing, as soon as they have skipped
// more items than they had forgotten (not at the end of the list). With
// sort times they see where the frontier was, unless the items after it
// share its time (tied).
func TestPagerDeletionsBehindTheWindow(t *testing.T) {
	tests := []struct {
		name     string
		restart  bool
		times    bool
		tied     bool // #900-#1099 share one time
		keep700  bool
		wantLost bool
	}{
		{"404, a window id survives", false, false, false, true, false},
		{"404, window gone", false, false, false, false, false},
		{"404 with times, window gone", false, true, false, false, false},
		{"404 with tied times, window gone", false, true, true, false, false},
		{"restart, a window id survives", true, false, false, true, false},
		{"restart, window gone", true, false, false, false, true},
		{"restart with times, window gone", true, true, false, false, false},
		{"restart with tied times, window gone", true, true, true, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newMemList(1500, 10, false)
			l.restart, l.times = tt.restart, tt.times
			if tt.tied {
				for i := 900; i < 1100; i++ {
					l.items[i].at = l.items[900].at
				}
			}
			all := l.ids()
			deleted := map[string]bool{}
			n := 0
			w := runMemWalk(l.pager(), func(id string) {
				n++
				if n != 1000 {
					return
				}
				for i := 500; i < 1000; i++ {
					if i != 700 || !tt.keep700 {
						deleted[all[i]] = true
						l.remove(all[i])
					}
				}
			})
			checkMemWalk(t, all, w, deleted)
			if tt.wantLost {
				require.Len(t, w.errs, 1)
				assert.ErrorIs(t, w.errs[0], ErrListPositionLost)
				assert.Equal(t, 1000, len(w.got), "nothing after the lost position")
				assert.Zero(t, l.ends, "stopped before the end of the list")
			} else {
				assert.Empty(t, w.errs)
				assert.Len(t, w.got, 1500-len(deleted)+500-boolInt(tt.keep700), "every surviving item, and the deleted ones it yielded")
			}
			assert.Positive(t, l.gone, "the walk did meet a missing cursor")
			assert.Less(t, w.peak.IDs(), 2*minWindow+3*10+8+4*8)
		})
	}
}

// requireIDs compares id lists, reporting the first difference only.
func requireIDs(t *testing.T, want, got []string) {
	t.Helper()
	for i := range min(len(want), len(got)) {
		if want[i] != got[i] {
			require.Failf(t, "walk differs", "at %d: want %s, got %s (lengths %d, %d)", i, want[i], got[i], len(want), len(got))
		}
	}
	require.Equal(t, len(want), len(got), "lengths")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestPagerResumesFromOldCheckpoint: after a 404, with the recent
// candidates gone, the walk resumes from a checkpoint older than the
// window rather than from the start.
func TestPagerResumesFromOldCheckpoint(t *testing.T) {
	l := newMemList(1500, 10, false)
	all := l.ids()
	deleted := map[string]bool{}
	n := 0
	w := runMemWalk(l.pager(), func(id string) {
		n++
		if n == 1000 {
			for i := 500; i < 1000; i++ {
				if i != 700 {
					deleted[all[i]] = true
					l.remove(all[i])
				}
			}
			l.requests = nil
		}
	})
	checkMemWalk(t, all, w, deleted)
	require.Empty(t, w.errs)
	// The 404s, then a resumption from an item older than the window
	// (index < 500 since the window holds at least the last 256 items).
	var resumedAt = -1
	for _, after := range l.requests {
		if i := slices.Index(all, after); i >= 0 && !deleted[after] {
			resumedAt = i
			break
		}
	}
	assert.Greater(t, resumedAt, 0, "not from the start")
	assert.Less(t, resumedAt, 500)
	assert.Less(t, len(l.requests), 20+(1500-1000)/10+(1000-resumedAt)/10, "a few 404s, the skipped pages, the rest")
}

// TestPagerDeleteEachItem: a loop that deletes each item it receives.
// Agents-style lists then hand the walk the next items from the top, which
// are all new: exact. On 404 lists the walk falls back to the start each
// page, behind everything its window holds once it has yielded more than
// the window; the hashes of the ids it yielded show the items there are
// new: exact too, never ErrListPositionLost.
func TestPagerDeleteEachItem(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		restart bool
		times   bool
	}{
		{"404, within the window", 200, false, false},
		{"404, beyond the window", 2000, false, false},
		{"404 with times, beyond the window", 2000, false, true},
		{"restart", 2000, true, false},
		{"restart with times", 2000, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newMemList(tt.n, 20, false)
			l.restart, l.times = tt.restart, tt.times
			all := l.ids()
			deleted := map[string]bool{}
			w := runMemWalk(l.pager(), func(id string) {
				deleted[id] = true
				l.remove(id)
			})
			checkMemWalk(t, all, w, deleted)
			assert.Empty(t, w.errs)
			requireIDs(t, all, w.got)
			assert.Empty(t, l.items, "everything was deleted")
			if tt.restart {
				assert.Zero(t, w.peak.Seen, "agents-style walks keep no hashes")
			}
		})
	}
}

// TestPagerDetectsRestart: on an agents-style list, deleting the cursor
// makes the server start over from the top. The walk recognises the first
// page (or, with sort times, items behind it) and skips to its frontier,
// even when the items in between are no longer in its window.
func TestPagerDetectsRestart(t *testing.T) {
	tests := []struct {
		name      string
		times     bool
		asc       bool
		dropFirst bool // delete the whole first page too
		untimed   bool // every other item has no sort time
	}{
		{"first page", false, false, false, false},
		{"times, newest first", true, false, false, false},
		{"times, oldest first", true, true, false, false},
		{"times, first page deleted", true, false, true, false},
		{"some times, first page deleted", true, false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newMemList(1200, 10, tt.asc)
			l.restart, l.times = true, tt.times
			if tt.untimed {
				for i := 1; i < len(l.items); i += 2 {
					l.items[i].at = time.Time{}
				}
			}
			all := l.ids()
			deleted := map[string]bool{}
			n := 0
			w := runMemWalk(l.pager(), func(id string) {
				n++
				if n%10 == 0 && n >= 900 && n < 1000 {
					// The cursor of each page: the server starts over.
					deleted[id] = true
					l.remove(id)
					if tt.dropFirst {
						for _, f := range all[:10] {
							deleted[f] = true
						}
						l.remove(all[:10]...)
					}
				}
			})
			checkMemWalk(t, all, w, deleted)
			require.Empty(t, w.errs)
			requireIDs(t, all, w.got)
			assert.Positive(t, l.gone)
		})
	}
}

// TestPagerRestartWithStartCursor: an agents-style walk that began after
// the caller's cursor. When the server starts over, the top of the list
// holds items from before that cursor, which the walk never yielded and
// must not: they are behind its frontier, like everything before an item
// it recognises (or, with sort times, they are behind by their time). Nor
// may they count as items it forgot, or it would think it passed its
// frontier. (Without sort times, a page made only of such items cannot be
// told from new ones; then the walk yields them, as any cursor walk over a
// server that ignores its cursor would.)
func TestPagerRestartWithStartCursor(t *testing.T) {
	tests := []struct {
		name  string
		start int // the caller's cursor: items 0..start come before the walk
		times bool
		// untimedTop: the items before the start cursor have no sort time.
		untimedTop bool
		// dropFirst deletes the walk's first page.
		dropFirst bool
		// restartAt is when the cursor is deleted (items yielded).
		restartAt int
	}{
		{"within the window", 4, false, false, false, 100},
		{"beyond the window", 4, false, false, false, 1000},
		{"times, whole pages before the start", 99, true, false, false, 1000},
		{"times, untimed top, first page deleted", 4, true, true, true, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newMemList(1500, 10, false)
			l.restart, l.times = true, tt.times
			all := l.ids()
			if tt.untimedTop {
				for i := range tt.start + 1 {
					l.items[i].at = time.Time{}
				}
			}
			p := l.pager()
			p.after = all[tt.start]
			deleted := map[string]bool{}
			n := 0
			w := runMemWalk(p, func(id string) {
				n++
				if n == tt.restartAt {
					deleted[id] = true
					l.remove(id)
					if tt.dropFirst {
						first := all[tt.start+1 : tt.start+11]
						for _, f := range first {
							deleted[f] = true
						}
						l.remove(first...)
					}
				}
			})
			require.Empty(t, w.errs)
			requireIDs(t, all[tt.start+1:], w.got)
			assert.Positive(t, l.gone)
		})
	}
}

// TestPagerRandomDeletions: random walks over both kinds of lists, with
// and without sort times (also shuffled times, which the walk must notice
// and stop using), deleting items around the walk's position: the walk is
// always exact or ends with ErrListPositionLost after a correct prefix,
// and with these light deletions it is always exact.
func TestPagerRandomDeletions(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for walk := range 48 {
		restart, times, asc, shuffled := walk%2 == 1, walk/2%3 > 0, walk/6%2 == 1, walk/2%3 == 2
		n := 600 + rng.IntN(900)
		limit := 3 + rng.IntN(40)
		l := newMemList(n, limit, asc)
		l.restart, l.times = restart, times
		if shuffled {
			for i := range l.items {
				j := rng.IntN(i + 1)
				l.items[i].at, l.items[j].at = l.items[j].at, l.items[i].at
			}
		}
		all := l.ids()
		deleted := map[string]bool{}
		pos := 0
		w := runMemWalk(l.pager(), func(id string) {
			pos = slices.Index(all, id)
			if rng.IntN(4) == 0 {
				// Often the cursor: the last item of a page.
				deleted[id] = true
				l.remove(id)
			}
			if rng.IntN(8) != 0 {
				return
			}
			for range 1 + rng.IntN(3) {
				i := pos - rng.IntN(2*limit) + rng.IntN(4)
				if i >= 0 && i < len(all) && !deleted[all[i]] {
					deleted[all[i]] = true
					l.remove(all[i])
				}
			}
		})
		name := fmt.Sprintf("walk %d (restart=%v times=%v asc=%v shuffled=%v n=%d limit=%d)", walk, restart, times, asc, shuffled, n, limit)
		t.Run(name, func(t *testing.T) {
			checkMemWalk(t, all, w, deleted)
			assert.Empty(t, w.errs)
			assert.Positive(t, l.gone, "the walk did meet a missing cursor")
		})
	}
}

// TestPagerSkipsRepeatsWithinPage: a server that repeats an item inside
// one page does not get it yielded twice.
func TestPagerSkipsRepeatsWithinPage(t *testing.T) {
	pages := [][]memItem{{{id: "a"}, {id: "b"}, {id: "b"}, {id: "c"}}, {{id: "c"}, {id: "d"}}, nil}
	n := 0
	p := pager[memItem]{
		fetch: func(context.Context, string) ([]memItem, error) {
			n++
			return pages[n-1], nil
		},
		id: func(it memItem) string { return it.id },
	}
	w := runMemWalk(p, nil)
	require.Empty(t, w.errs)
	assert.Equal(t, []string{"a", "b", "c", "d"}, w.got)
}

// TestAgentsListAllRestartBeyondWindow walks 700 lettatest agents in pages
// of 10 (past 512, the window of recent ids no longer reaches the first
// pages) and, at #600, deletes the cursor agent and the whole first page: the server
// starts over from the top, where only created_at shows the walk that the
// agents are ones it yielded long ago. Each agent is yielded once, in
// order, with no error.
func TestAgentsListAllRestartBeyondWindow(t *testing.T) {
	srv := relServer(t)
	c := relClient(t, srv.URL)
	const total = 700
	for i := range total {
		_, err := c.Agents.Create(t.Context(), &AgentCreateParams{Name: Ptr(fmt.Sprintf("walk-%03d", i))})
		require.NoError(t, err)
	}
	var all []string
	for a, err := range c.Agents.ListAll(t.Context(), &AgentListParams{Limit: 200}) {
		require.NoError(t, err)
		all = append(all, a.ID)
	}
	require.Len(t, all, total)

	srv.ResetRequests()
	var got []string
	for a, err := range c.Agents.ListAll(t.Context(), &AgentListParams{Limit: 10}) {
		require.NoError(t, err)
		got = append(got, a.ID)
		if len(got) == 600 {
			for _, id := range append([]string{a.ID}, all[:10]...) {
				require.NoError(t, c.Agents.Delete(t.Context(), id))
			}
		}
	}
	requireIDs(t, all, got)
	lists := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet {
			lists++
		}
	}
	assert.Greater(t, lists, total/10+1, "the walk re-read the list after the restart")
}

// TestIdentitiesListAllDeleteEach: the loop that deletes every identity it
// receives, over 1,000 lettatest identities in pages of 10. Each deleted
// cursor answers 404, and so does every candidate of the last page, so the
// walk resumes from the top every page, far behind what its window holds:
// every identity is yielded once, in order, and the walk ends without
// error with the list empty.
func TestIdentitiesListAllDeleteEach(t *testing.T) {
	srv := relServer(t)
	c := relClient(t, srv.URL)
	all := relIdentities(t, c, 1000)
	srv.ResetRequests()
	var got []string
	for id, err := range c.Identities.ListAll(t.Context(), &IdentityListParams{Limit: 10}) {
		require.NoError(t, err, "after %d identities", len(got))
		got = append(got, id.ID)
		require.NoError(t, c.Identities.Delete(t.Context(), id.ID))
	}
	requireIDs(t, all, got)
	n, err := c.Identities.Count(t.Context())
	require.NoError(t, err)
	assert.Zero(t, n, "every identity was deleted")
	notFound := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && r.Status == http.StatusNotFound {
			notFound++
		}
	}
	assert.GreaterOrEqual(t, notFound, 1000/10-1, "a missing cursor on every page but the first")
}

// TestIdentitiesListAllRandomDeletionsBeyondWindow walks 1,500 lettatest
// identities in pages of 7 and, at random points, deletes everything it
// yielded in the last 520 to 920 items (the cursor, its page, every id of
// the window, at most 512 here, and the checkpoints in it), random older
// ones, and random ones not reached yet. The walk resumes from old checkpoints or the top
// and must yield every identity that survives, once, in order, and no
// error.
func TestIdentitiesListAllRandomDeletionsBeyondWindow(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	srv := relServer(t)
	c := relClient(t, srv.URL)
	all := relIdentities(t, c, 1500)
	deleted := map[string]bool{}
	del := func(i int) {
		if i >= 0 && i < len(all) && !deleted[all[i]] {
			require.NoError(t, c.Identities.Delete(t.Context(), all[i]))
			deleted[all[i]] = true
		}
	}
	var got []string
	bursts := 0
	for id, err := range c.Identities.ListAll(t.Context(), &IdentityListParams{Limit: 7}) {
		require.NoError(t, err, "after %d identities", len(got))
		got = append(got, id.ID)
		pos := slices.Index(all, id.ID)
		if pos < 2*minWindow || rng.IntN(40) != 0 {
			continue
		}
		bursts++
		for i := pos - 2*minWindow - 8 - rng.IntN(400); i <= pos; i++ {
			del(i)
		}
		for range 5 {
			del(rng.IntN(pos + 1))
			del(pos + 1 + rng.IntN(len(all)-pos))
		}
	}
	assertWalk(t, all, got, deleted)
	assert.GreaterOrEqual(t, bursts, 3, "several deletions beyond the window")
}

// TestPagerHeavyRandomDeletions: 404-style walks (with and without sort
// times) where long runs of the items already
// yielded, reaching beyond the window, are deleted at random points, with
// the cursor: always exact, never ErrListPositionLost.
func TestPagerHeavyRandomDeletions(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for walk := range 24 {
		times := walk%2 == 1
		n := 1500 + rng.IntN(1500)
		limit := 3 + rng.IntN(30)
		l := newMemList(n, limit, false)
		l.times = times
		order := l.ids()
		at := make(map[string]int, n)
		for i, id := range order {
			at[id] = i
		}
		deleted := map[string]bool{}
		del := func(i int) {
			if i >= 0 && i < len(order) && !deleted[order[i]] {
				deleted[order[i]] = true
				l.remove(order[i])
			}
		}
		w := runMemWalk(l.pager(), func(id string) {
			pos := at[id]
			if rng.IntN(3) == 0 {
				del(pos)
			}
			if rng.IntN(40) == 0 {
				for i := pos - rng.IntN(3*minWindow); i <= pos; i++ {
					del(i)
				}
				del(rng.IntN(pos + 1))
			}
		})
		t.Run(fmt.Sprintf("walk %d (times=%v n=%d limit=%d)", walk, times, n, limit), func(t *testing.T) {
			require.Empty(t, w.errs)
			seen := map[string]bool{}
			prev := -1
			for _, id := range w.got {
				require.False(t, seen[id], "%s twice", id)
				seen[id] = true
				require.Greater(t, at[id], prev, "%s out of order", id)
				prev = at[id]
			}
			for _, id := range order {
				if !deleted[id] {
					require.True(t, seen[id], "%s survives and was skipped", id)
				}
			}
			assert.Positive(t, l.gone)
		})
	}
}

// TestPagerRestartWithOneItemPages: with pages of one item the walk cannot
// learn the list's direction from a page, so it takes it from the order
// the caller asked for; then, when the server starts over beyond the
// window, created_at still tells the agents it yielded long ago.
func TestPagerRestartWithOneItemPages(t *testing.T) {
	l := newMemList(1000, 1, false) // newest first
	l.restart, l.times = true, true
	all := l.ids()
	p := l.pager()
	p.dir = -1
	deleted := map[string]bool{}
	n := 0
	w := runMemWalk(p, func(id string) {
		n++
		if n == 600 {
			// The cursor and the first page go: the next page starts over
			// from the top, 599 items back, far beyond the window.
			deleted[id], deleted[all[0]] = true, true
			l.remove(id, all[0])
		}
	})
	require.Empty(t, w.errs)
	assertWalk(t, all, w.got, deleted)
	assert.Positive(t, l.gone)
}

func TestOrderDir(t *testing.T) {
	assert.Equal(t, +1, orderDir(OrderAsc))
	assert.Equal(t, -1, orderDir(OrderDesc))
	assert.Equal(t, -1, orderDir(""), "the server's default order is desc")
}
