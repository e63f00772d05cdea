package lettatest

import (
	"cmp"
	"net/http"
	"slices"
	"time"
)

// sortKey places an item in a list ordering: by the ordering time (created_at
// by default), ties broken by id, as the server's ORDER BY does.
type sortKey struct {
	t    time.Time
	null bool // only last_run_completion can be null; nulls sort last
	id   string
}

// comparePos says whether a comes before (<0) or after (>0) b in the list's
// order; desc reverses time and id but keeps nulls last.
func comparePos(a, b sortKey, desc bool) int {
	if a.null != b.null {
		if a.null {
			return 1
		}
		return -1
	}
	c := 0
	if !a.null {
		c = a.t.Compare(b.t)
	}
	if c == 0 {
		c = cmp.Compare(a.id, b.id)
	}
	if desc {
		c = -c
	}
	return c
}

// pageStyle says which of the server's two pagination implementations a
// list uses; they differ in what the cursors and the limit mean.
type pageStyle int

const (
	// pageAgents is GET /v1/agents/ (agent_manager): cursors are positions
	// in the requested order, an unknown cursor is ignored, limit 0 means no
	// limit and a negative limit reaches PostgreSQL (a 500).
	pageAgents pageStyle = iota
	// pageIdentities is GET /v1/identities/ (list_async asked for limit+1
	// rows): cursors are bounds in time order whatever the order, both
	// together are a window (400 when before is older than after; a window
	// wider than the limit answers its middle slice), limit 0 means no
	// limit and -1 an empty page.
	pageIdentities
	// pageSubList is GET /v1/identities/{id}/agents and /blocks (list_async
	// with the limit as given): as pageIdentities, but limit 0 is an empty
	// page and a negative limit a 500.
	pageSubList
)

// pageParams are the parsed before/after/limit/order parameters.
type pageParams struct {
	before, after *string
	limit         int64
	desc          bool
	orderBy       string
	style         pageStyle
	// model names the listed rows in the unknown-cursor 404.
	model string
}

// readPageParams parses before/after/limit/order/order_by.
func readPageParams(q query, orderBys []string, style pageStyle, model string) pageParams {
	p := pageParams{
		before: q.str("before"),
		after:  q.str("after"),
		limit:  q.integer("limit", 50),
		desc:   q.literal("order", []string{"asc", "desc"}, "desc") == "desc",
		style:  style,
		model:  model,
	}
	p.orderBy = q.literal("order_by", orderBys, orderBys[0])
	return p
}

// dbError is the server's answer when PostgreSQL refuses a query (a
// negative LIMIT).
func dbError() response {
	return detailError(http.StatusInternalServerError, "A database error occurred.")
}

// paginate sorts items in the requested order and applies the cursors and
// limit as the list's pageStyle does. keyOf gives an item's key; cursorKey
// resolves a cursor id (ok=false: unknown id). A non-nil response is the
// error to answer.
func paginate[T any](items []T, p pageParams, keyOf func(T) sortKey, cursorKey func(string) (sortKey, bool)) ([]T, *response) {
	out := slices.Clone(items)
	slices.SortFunc(out, func(a, b T) int { return comparePos(keyOf(a), keyOf(b), p.desc) })
	if p.style == pageAgents {
		return paginatePositions(out, p, keyOf, cursorKey)
	}
	return paginateBounds(out, p, keyOf, cursorKey)
}

func paginatePositions[T any](out []T, p pageParams, keyOf func(T) sortKey, cursorKey func(string) (sortKey, bool)) ([]T, *response) {
	for _, c := range []struct {
		id    *string
		after bool
	}{{p.after, true}, {p.before, false}} {
		if c.id == nil || *c.id == "" {
			continue
		}
		ck, found := cursorKey(*c.id)
		if !found {
			continue
		}
		out = slices.DeleteFunc(out, func(it T) bool {
			pos := comparePos(keyOf(it), ck, p.desc)
			if c.after {
				return pos <= 0
			}
			return pos >= 0
		})
	}
	switch {
	case p.limit < 0:
		r := dbError()
		return nil, &r
	case p.limit > 0 && int64(len(out)) > p.limit:
		out = out[:p.limit]
	}
	return out, nil
}

// paginateBounds is the ORM's list_async: the cursors are time bounds.
func paginateBounds[T any](out []T, p pageParams, keyOf func(T) sortKey, cursorKey func(string) (sortKey, bool)) ([]T, *response) {
	var bounds [2]*sortKey // before, after
	for i, id := range []*string{p.before, p.after} {
		if id == nil || *id == "" {
			continue
		}
		k, found := cursorKey(*id)
		if !found {
			r := detailError(http.StatusNotFound, "No "+p.model+" found with id "+*id)
			return nil, &r
		}
		bounds[i] = &k
	}
	before, after := bounds[0], bounds[1]
	window := before != nil && after != nil
	if window && before.t.Before(after.t) {
		r := detailError(http.StatusBadRequest, "'before' reference must be later than 'after' reference")
		return nil, &r
	}
	// The server's conditions, tie-breaks included (they ignore the order).
	older := func(k, ref sortKey) bool { return k.t.Before(ref.t) || (k.t.Equal(ref.t) && k.id < ref.id) }
	newer := func(k, ref sortKey) bool { return k.t.After(ref.t) || (k.t.Equal(ref.t) && k.id > ref.id) }
	out = slices.DeleteFunc(out, func(it T) bool {
		k := keyOf(it)
		switch {
		case window:
			return !older(k, *before) || !newer(k, *after)
		case before != nil:
			if p.desc {
				return !(k.t.After(before.t) || (k.t.Equal(before.t) && k.id < before.id))
			}
			return !older(k, *before)
		case after != nil:
			if p.desc {
				return !(k.t.Before(after.t) || (k.t.Equal(after.t) && k.id > after.id))
			}
			return !newer(k, *after)
		}
		return false
	})

	// The LIMIT sent to the database: identities ask for one row more than
	// the page (limit 0: no LIMIT), sub-lists for the limit as given.
	var sqlLimit *int64
	switch {
	case p.style == pageSubList:
		sqlLimit = &p.limit
	case p.limit != 0:
		n := p.limit + 1
		sqlLimit = &n
	}
	if window {
		if sqlLimit == nil {
			// limit * 2 with limit None: a TypeError, unhandled.
			r := unknownError()
			return nil, &r
		}
		n := *sqlLimit * 2
		sqlLimit = &n
	}
	if sqlLimit != nil {
		if *sqlLimit < 0 {
			r := dbError()
			return nil, &r
		}
		if int64(len(out)) > *sqlLimit {
			out = out[:*sqlLimit]
		}
	}
	if window {
		// _list_postprocess: the middle slice of a window wider than the
		// limit it was given.
		l := p.limit
		if p.style == pageIdentities {
			l++
		}
		if n := int64(len(out)); n > l {
			start := max(0, n/2-l/2)
			out = out[start:min(n, start+l)]
		}
	}
	if p.style == pageIdentities && p.limit != 0 && int64(len(out)) > p.limit {
		// has_more: trimmed back to the page (Python's [:limit], so -1 drops
		// the last row).
		if p.limit > 0 {
			out = out[:p.limit]
		} else {
			out = out[:max(0, int64(len(out))+p.limit)]
		}
	}
	return out, nil
}
