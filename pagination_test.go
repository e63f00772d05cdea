package letta

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"

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
	lo, hi := 0, len(l.ids)
	if after := q.Get("after"); after != "" {
		if i := slices.Index(l.ids, after); i >= 0 {
			lo = i + 1
		} else if !l.ignoreUnknown {
			reply(w, 404, `{"detail":"No Identity found with id `+after+`"}`)
			return
		}
	}
	if before := q.Get("before"); before != "" {
		if i := slices.Index(l.ids, before); i >= 0 {
			hi = i
		} else if !l.ignoreUnknown {
			reply(w, 404, `{"detail":"No Identity found with id `+before+`"}`)
			return
		}
	}
	var page []string
	if q.Get("before") != "" && q.Get("after") == "" {
		// Backwards: the items right before the cursor.
		page = l.ids[max(lo, hi-limit):hi]
	} else {
		page = l.ids[lo:min(hi, lo+limit)]
	}
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

func TestListAllBackwardsWithBefore(t *testing.T) {
	l := &fakeList{ids: []string{"a", "b", "c", "d", "e"}}
	srv := newTestServer(t, l.handle)
	c := newTestClient(t, srv)
	ids, errs := collect(t, c.Identities.ListAll(t.Context(), &IdentityListParams{Before: "e", Limit: 2}), identityID)
	require.Empty(t, errs)
	assert.ElementsMatch(t, []string{"a", "b", "c", "d"}, ids)
	reqs := srv.requests()
	require.Len(t, reqs, 3)
	for i, want := range []string{"e", "c", "a"} {
		assert.Equal(t, want, reqs[i].Query.Get("before"), "page %d uses the first id of the previous page", i)
		assert.False(t, reqs[i].Query.Has("after"))
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
	ids, errs := collect(t, c.Identities.ListAll(t.Context(), &IdentityListParams{Order: "sideways"}), identityID)
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
