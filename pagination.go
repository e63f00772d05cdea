package letta

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// pager walks a cursor-paginated list. Letta lists are bare JSON arrays
// with no "has more" flag, so the walk continues with after = the last
// item's id (or before = the first item's id when the caller paged
// backwards with Before) until a page comes back empty. Stopping on a page
// shorter than the limit would save one request but silently drop items
// behind any server or proxy that caps the page size below the limit.
type pager[T any] struct {
	// fetch gets one page with the given cursors ("" = not sent).
	fetch func(ctx context.Context, after, before string) ([]T, error)
	// id returns an item's id, the cursor value.
	id func(T) string
	// after and before are the caller's starting cursors.
	after, before string
	// recoverMissingCursor: the list answers 404 for a cursor id that no
	// longer exists (identities do), and the walk should recover from it.
	recoverMissingCursor bool
}

// errNoProgress stops a walk whose server ignores the cursor and keeps
// returning the same page.
var errNoProgress = errors.New("letta: pagination made no progress (the server returned a page ending at the cursor it was given)")

// all returns the iterator. It yields each item once: ids already yielded
// are skipped (they reappear when the walk resumes from an earlier cursor,
// or when a server ignores an unknown cursor and starts over), which costs a
// small set of ids in memory. An error is yielded once and ends the walk;
// so does a cancelled context (checked before each page) and a consumer
// that stops ranging.
func (p pager[T]) all(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if ctx == nil {
			yield(zero, errNilContext())
			return
		}
		backward := p.before != "" && p.after == ""
		cursor := p.after
		if backward {
			cursor = p.before
		}
		get := func(cur string) ([]T, error) {
			if backward {
				return p.fetch(ctx, p.after, cur)
			}
			return p.fetch(ctx, cur, p.before)
		}

		seen := map[string]struct{}{}
		var history []string // ids yielded, in list order
		var lastPage []T
		var lastCursor string
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			page, err := get(cursor)
			if err != nil && lastPage != nil && p.recoverMissingCursor && errors.Is(err, ErrNotFound) {
				var rerr error
				start := p.after
				if backward {
					start = p.before
				}
				page, cursor, rerr = p.recoverCursor(ctx, get, backward, lastPage, lastCursor, history, start)
				if rerr == nil {
					err = nil
				} else if !errors.Is(rerr, ErrNotFound) {
					err = rerr
				}
			}
			if err != nil {
				yield(zero, err)
				return
			}
			if len(page) == 0 {
				return
			}
			for _, item := range page {
				id := p.id(item)
				if _, dup := seen[id]; dup && id != "" {
					continue
				}
				seen[id] = struct{}{}
				history = append(history, id)
				if !yield(item, nil) {
					return
				}
			}
			next := p.id(page[len(page)-1])
			if backward {
				next = p.id(page[0])
			}
			if next == "" {
				yield(zero, fmt.Errorf("letta: cannot continue the list: an item has no id"))
				return
			}
			if next == cursor {
				yield(zero, errNoProgress)
				return
			}
			lastPage, lastCursor = page, cursor
			cursor = next
		}
	}
}

// recoverCursor resumes after the cursor item was deleted between two
// pages: it tries the neighbouring items of the last page, moving back
// towards its start (for after; towards its end for before), then the cursor
// that fetched the last page, then items yielded earlier at doubling
// distances, and last the walk's start cursor (history holds the yielded
// ids in list order). So a long run of deletions behind the walk costs a
// few 404s, never a skipped item. The caller skips the ids it already
// yielded, so nothing is repeated, and since every candidate lies at or
// before the deleted item nothing that still exists is skipped. The error
// is the last 404 when no candidate exists any more.
func (p pager[T]) recoverCursor(ctx context.Context, get func(string) ([]T, error), backward bool,
	lastPage []T, lastCursor string, history []string, start string) ([]T, string, error) {
	var candidates []string
	if backward {
		for i := 1; i < len(lastPage); i++ {
			candidates = append(candidates, p.id(lastPage[i]))
		}
	} else {
		for i := len(lastPage) - 2; i >= 0; i-- {
			candidates = append(candidates, p.id(lastPage[i]))
		}
	}
	// The cursor that fetched the last page ("" = the caller's start, or
	// the top of the list) re-reads the whole last page.
	candidates = append(candidates, lastCursor)
	for step := max(len(lastPage), 1); step < len(history); step *= 2 {
		candidates = append(candidates, history[len(history)-1-step])
	}
	candidates = append(candidates, start)

	tried := map[string]bool{}
	var err error
	for _, c := range candidates {
		if tried[c] {
			continue
		}
		tried[c] = true
		if cerr := ctx.Err(); cerr != nil {
			return nil, "", cerr
		}
		var page []T
		page, err = get(c)
		if err == nil {
			return page, c, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, "", err
		}
	}
	return nil, "", err
}
