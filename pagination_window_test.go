package letta

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// genericList answers as the Letta server's generic list helper
// (SqlalchemyBase.list_async, 0.16.8) serves the identities list and an
// identity's agents and blocks, including what it does with after and
// before together: created_at bounds whatever the order, 400 when before
// is the older one, and a middle slice of a window larger than the limit.
// plusOne adds the identities route's quirk of asking the helper for
// limit+1 rows and trimming the answer to limit.
type genericList struct {
	mu      sync.Mutex
	created []string // ids, oldest first
	plusOne bool
	// onPage runs after request n was answered.
	onPage func(l *genericList, n int, q map[string][]string, page []string)
	n      int
}

func (l *genericList) remove(ids ...string) {
	l.created = slices.DeleteFunc(l.created, func(s string) bool { return slices.Contains(ids, s) })
}

func (l *genericList) handle(w http.ResponseWriter, r *http.Request, _ int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := r.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	asc := q.Get("order") == "asc"
	pos := func(id string) (int, bool) {
		i := slices.Index(l.created, id)
		return i, i >= 0
	}
	lo, hi := -1, len(l.created) // exclusive bounds by creation
	var a, b int
	after, before := q.Get("after"), q.Get("before")
	if before != "" {
		var ok bool
		if b, ok = pos(before); !ok {
			reply(w, 404, `{"detail":"No Identity found with id `+before+`"}`)
			return
		}
	}
	if after != "" {
		var ok bool
		if a, ok = pos(after); !ok {
			reply(w, 404, `{"detail":"No Identity found with id `+after+`"}`)
			return
		}
	}
	switch {
	case after != "" && before != "":
		if b < a {
			reply(w, 400, `{"detail":"'before' reference must be later than 'after' reference"}`)
			return
		}
		lo, hi = a, b
	case after != "" && asc:
		lo = a
	case after != "":
		hi = a
	case before != "" && asc:
		hi = b
	case before != "":
		lo = b
	}
	var rows []string
	for i := lo + 1; i < hi; i++ {
		rows = append(rows, l.created[i])
	}
	if !asc {
		slices.Reverse(rows)
	}
	qlim := limit
	if l.plusOne {
		qlim++
	}
	window := after != "" && before != ""
	fetch := qlim
	if window {
		fetch *= 2
	}
	rows = rows[:min(len(rows), fetch)]
	if window && len(rows) > qlim {
		start := max(0, len(rows)/2-qlim/2)
		rows = rows[start:min(len(rows), start+qlim)]
	}
	rows = rows[:min(len(rows), limit)]
	out := make([]map[string]string, 0, len(rows))
	for _, id := range rows {
		out = append(out, map[string]string{"id": id})
	}
	body, _ := json.Marshal(out)
	reply(w, 200, string(body))
	n := l.n
	l.n++
	if l.onPage != nil {
		l.onPage(l, n, q, rows)
	}
}

func newGenericList(n int, plusOne bool) *genericList {
	l := &genericList{plusOne: plusOne}
	for i := range n {
		l.created = append(l.created, fmt.Sprintf("it-%02d", i))
	}
	return l
}

// inOrder returns the list's ids in the order the caller lists them.
func (l *genericList) inOrder(order Order) []string {
	ids := slices.Clone(l.created)
	if order != OrderAsc {
		slices.Reverse(ids)
	}
	return ids
}

// TestListAllWindowOnGenericLists: a walk with After and Before set yields
// exactly the items between them in the caller's order, on the lists whose
// server reads the two cursors as created_at bounds and answers a window
// larger than the limit with a middle slice (and 400 for the bounds as the
// caller's descending order puts them).
func TestListAllWindowOnGenericLists(t *testing.T) {
	walks := map[string]func(c *Client, p *IdentityListParams) ([]string, []error){
		"Identities.ListAll": func(c *Client, p *IdentityListParams) ([]string, []error) {
			return collect(t, c.Identities.ListAll(t.Context(), p), identityID)
		},
		"ListAgentsAll": func(c *Client, p *IdentityListParams) ([]string, []error) {
			return collect(t, c.Identities.ListAgentsAll(t.Context(), "identity-1",
				&IdentityAgentListParams{After: p.After, Before: p.Before, Limit: p.Limit, Order: p.Order}),
				func(a AgentState) string { return a.ID })
		},
		"ListBlocksAll": func(c *Client, p *IdentityListParams) ([]string, []error) {
			return collect(t, c.Identities.ListBlocksAll(t.Context(), "identity-1",
				&IdentityBlockListParams{After: p.After, Before: p.Before, Limit: p.Limit, Order: p.Order}),
				func(b Block) string { return b.ID })
		},
	}
	for name, walk := range walks {
		for _, plusOne := range []bool{false, true} {
			for _, order := range []Order{"", OrderDesc, OrderAsc} {
				for _, limit := range []int{0, 1, 2, 3, 5} {
					t.Run(fmt.Sprintf("%s/plusOne=%v/order=%s/limit=%d", name, plusOne, order, limit), func(t *testing.T) {
						l := newGenericList(80, plusOne)
						ids := l.inOrder(order)
						srv := newTestServer(t, l.handle)
						c := newTestClient(t, srv)
						got, errs := walk(c, &IdentityListParams{After: ids[3], Before: ids[70], Limit: limit, Order: order})
						require.Empty(t, errs)
						assert.Equal(t, ids[4:70], got)
					})
				}
			}
		}
	}
}

// TestListAllWindowBoundComesIntoPage: items deleted between the two
// requests of a page bring the Before item into the page read without the
// bound; the walk stops there.
func TestListAllWindowBoundComesIntoPage(t *testing.T) {
	l := newGenericList(20, true)
	ids := l.inOrder(OrderDesc)
	l.onPage = func(l *genericList, n int, q map[string][]string, page []string) {
		if n == 0 {
			l.remove(ids[4:15]...) // all but ids[15] of the window
		}
	}
	srv := newTestServer(t, l.handle)
	c := newTestClient(t, srv)
	got, errs := collect(t, c.Identities.ListAll(t.Context(), &IdentityListParams{After: ids[3], Before: ids[16], Limit: 3}), identityID)
	require.Empty(t, errs)
	assert.Equal(t, []string{ids[15]}, got)
	reqs := srv.requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, ids[16], reqs[0].Query.Get("after"), "descending: the bound is the lower end")
	assert.Equal(t, ids[3], reqs[0].Query.Get("before"))
	assert.False(t, reqs[1].Query.Has("before"), "a full window page is re-read without the bound")
	assert.Equal(t, ids[15], reqs[2].Query.Get("before"))
}

// TestListAllWindowBoundDeleted: deleting the Before item ends the walk
// with ErrNotFound instead of walking past the window.
func TestListAllWindowBoundDeleted(t *testing.T) {
	l := newGenericList(20, true)
	ids := l.inOrder(OrderDesc)
	l.onPage = func(l *genericList, n int, _ map[string][]string, _ []string) {
		if n == 1 {
			l.remove(ids[12])
		}
	}
	srv := newTestServer(t, l.handle)
	c := newTestClient(t, srv)
	got, errs := collect(t, c.Identities.ListAll(t.Context(), &IdentityListParams{After: ids[0], Before: ids[12], Limit: 3}), identityID)
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[0], ErrNotFound)
	assert.Equal(t, ids[1:4], got, "the items yielded before the bound went are those of the window")
}

// TestListAllWindowInverted: an After that lies beyond Before in the
// caller's order is the server's 400, yielded once.
func TestListAllWindowInverted(t *testing.T) {
	l := newGenericList(10, true)
	ids := l.inOrder(OrderAsc)
	srv := newTestServer(t, l.handle)
	c := newTestClient(t, srv)
	got, errs := collect(t, c.Identities.ListAll(t.Context(), &IdentityListParams{After: ids[7], Before: ids[2], Order: OrderAsc}), identityID)
	assert.Empty(t, got)
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[0], ErrBadRequest)
}
