package lettatest

import (
	"cmp"
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

// pageParams are the parsed before/after/limit/order parameters.
type pageParams struct {
	before, after *string
	limit         int64
	desc          bool
	orderBy       string
	// ignoreUnknownCursor skips an unknown cursor (agents list) instead of
	// failing (identities and sub-lists answer 404).
	ignoreUnknownCursor bool
}

// readPageParams parses before/after/limit/order/order_by.
func readPageParams(q query, orderBys []string) pageParams {
	p := pageParams{
		before: q.str("before"),
		after:  q.str("after"),
		limit:  q.integer("limit", 50),
		desc:   q.enum("order", []string{"asc", "desc"}, "desc") == "desc",
	}
	if p.limit < 0 {
		// Postgres rejects a negative LIMIT; refusing it here catches client
		// bugs instead of guessing.
		q.o.fail("greater_than_equal", "Input should be greater than or equal to 0",
			*q.str("limit"), map[string]any{"ge": 0}, "limit")
		p.limit = 0
	}
	p.orderBy = q.enum("order_by", orderBys, orderBys[0])
	return p
}

// paginate sorts items in the requested order and applies the cursors and
// limit. Cursors are positions in that order: after=X keeps what comes after
// X, before=X what comes before it. keyOf gives an item's key; cursorKey
// resolves a cursor id (ok=false: unknown id).
func paginate[T any](items []T, p pageParams, keyOf func(T) sortKey, cursorKey func(string) (sortKey, bool)) ([]T, string, bool) {
	out := slices.Clone(items)
	slices.SortFunc(out, func(a, b T) int { return comparePos(keyOf(a), keyOf(b), p.desc) })
	for _, c := range []struct {
		id    *string
		after bool
	}{{p.after, true}, {p.before, false}} {
		if c.id == nil || *c.id == "" {
			continue
		}
		ck, found := cursorKey(*c.id)
		if !found {
			if p.ignoreUnknownCursor {
				continue
			}
			return nil, *c.id, false
		}
		out = slices.DeleteFunc(out, func(it T) bool {
			pos := comparePos(keyOf(it), ck, p.desc)
			if c.after {
				return pos <= 0
			}
			return pos >= 0
		})
	}
	if int64(len(out)) > p.limit {
		out = out[:p.limit]
	}
	return out, "", true
}
