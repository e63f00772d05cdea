package letta

import "context"

// serverDefaultLimit is the page size the Letta list routes use when no
// limit is sent.
const serverDefaultLimit = 50

// boundedFetch returns the page fetch of a walk over a list served by the
// server's generic list helper (the identities list, and an identity's agents
// and blocks) that stops before the item before (the caller set both After
// and Before; "" = no bound). get sends one request with the given after and
// before cursors in the caller's order.
//
// Those lists read after and before together not as cursors in the sort
// order but as created_at bounds: they answer the items created after
// "after" and before "before", in either order, 400 when "before" is the
// older one, and, when more than limit items lie between, a slice from the
// middle of them (verified against Letta 0.16.8). So a walk cannot just send
// both cursors on every page. Each page asks for the items between the walk's
// cursor and the bound (bounds swapped in descending order, where the walk
// moves towards older items); fewer than a page of them is the rest of the
// window. A full page may be a middle slice, so the walk then reads the page
// after its cursor without the bound, which lies beyond that page, and drops
// the bound and anything after it should deletions in between have brought it
// into the page. An unknown or deleted bound answers 404 (ErrNotFound).
func boundedFetch[T any](before string, order Order, limit int, id func(T) string,
	get func(ctx context.Context, after, before string) ([]T, error)) func(context.Context, string) ([]T, error) {
	if before == "" {
		return func(ctx context.Context, after string) ([]T, error) { return get(ctx, after, "") }
	}
	size := limit
	if size == 0 {
		size = serverDefaultLimit
	}
	return func(ctx context.Context, after string) ([]T, error) {
		if after == "" {
			// From the top of the list, before alone gives the first
			// items ahead of the bound: the start of the window.
			return get(ctx, "", before)
		}
		lo, hi := after, before
		if order != OrderAsc {
			lo, hi = before, after
		}
		page, err := get(ctx, lo, hi)
		if err != nil || len(page) < size {
			return page, err
		}
		page, err = get(ctx, after, "")
		if err != nil {
			return nil, err
		}
		for i, item := range page {
			if id(item) == before {
				return page[:i], nil
			}
		}
		return page, nil
	}
}
