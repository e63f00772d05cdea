package letta

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"
)

// ErrListPositionLost is yielded, once and last, by a ListAll iterator
// that can no longer tell where it stopped in the list. It happens only on
// lists that start over from the top when the cursor item no longer exists
// (AgentsService.ListAll, BlocksService.ListAll and ListAgentsAll), whose
// iterators keep bounded memory: after such
// a restart, when every one of the items the iterator yielded most
// recently (at least the last 256, or the last four pages when pages are
// larger) was deleted too, and created_at cannot place the items instead
// (the list is not sorted by it, or the items around the position share
// one). Going on would mean guessing, and either yielding
// items a second time or silently skipping items that still exist, so the
// iteration stops instead. Everything yielded before the error is correct:
// each item once, in list order, none skipped. A new iteration starts again
// from the top.
//
// Iterators over lists that answer 404 for a missing cursor
// (IdentitiesService.ListAll, ListAgentsAll and ListBlocksAll) never yield it: they keep a
// hash of every id they yielded, so they always know what they yielded.
var ErrListPositionLost = errors.New("letta: list position lost: the items around the iterator's position were deleted between two pages")

// errNoProgress stops a walk whose server ignores the cursor and keeps
// returning the same page.
var errNoProgress = errors.New("letta: pagination made no progress (the server returned a page ending at the cursor it was given)")

// minWindow is the least number of recently yielded ids a walk remembers;
// the window is also at least four of the largest pages seen.
const minWindow = 256

// pager walks a cursor-paginated list forwards. Letta lists are bare JSON
// arrays with no "has more" flag, so the walk continues with after = the
// last item's id until a page comes back empty. Stopping on a page shorter
// than the limit would save one request but silently drop items behind
// any server or proxy that caps the page size below the limit. A walk back
// from an item is a forward walk over the reversed order (see
// walkBackwards).
type pager[T any] struct {
	// fetch gets the page after the cursor ("" = not sent). A before
	// bound, which a walk keeps on every page (only together with after:
	// see walkBackwards), is the fetch's own.
	fetch func(ctx context.Context, after string) ([]T, error)
	// id returns an item's id, the cursor value.
	id func(T) string
	// after is the caller's starting cursor.
	after string
	// recoverMissingCursor: the list answers 404 for a cursor id that no
	// longer exists (identities do), and the walk should recover from it.
	// The walk then also keeps a hash of every id it yields (walk.seen).
	// Lists without it are expected to ignore an unknown cursor and start
	// over from the top (agents do); the walk detects that and skips back to
	// where it was.
	recoverMissingCursor bool
	// created, when set, returns the time the list is sorted by (ok=false
	// when an item has none). Set it only for an order that never changes
	// during a walk (created_at). The direction starts from dir and is
	// otherwise learned from the pages; the walk stops using the times for
	// good if a page contradicts it, so a wrong guess about the server's
	// default order cannot mislead it.
	created func(T) (time.Time, bool)
	// dir is the direction the list runs by those times when the caller's
	// order says it (+1 oldest first, -1 newest first, 0 not known). With
	// it, a walk of one-item pages, which cannot learn the direction from a
	// page, still places items by time; a page that contradicts it turns
	// the times off as a wrong learned direction would.
	dir int
	// observe, when set (tests), receives the walk's retained state after
	// each page.
	observe func(walkStats)
}

// walkStats is what a walk holds between pages: ids, not items, and the
// hashes of the ids yielded (Seen, recoverMissingCursor walks only).
type walkStats struct {
	Window, FirstPage, Checkpoints, LastPage int
	Seen                                     int
}

// IDs is the number of ids the walk retains, hashes aside.
func (s walkStats) IDs() int { return s.Window + s.FirstPage + s.Checkpoints + s.LastPage }

// all returns the iterator. It yields each item once, in list order. What
// it keeps between pages is a page and O(window + log n) ids, whatever the
// list's length, plus, on recoverMissingCursor walks, an 8-byte hash of
// each id yielded:
//
//   - A window of the ids yielded most recently (at least minWindow, and
//     four of the largest pages) skips the items a page repeats, which they
//     do when the walk resumes from an earlier cursor, or when a server
//     ignores an unknown cursor and starts over.
//   - When the cursor item was deleted and the server answers 404
//     (recoverMissingCursor), the walk resumes from the neighbours in the
//     last page, then the cursor that fetched it, then checkpoints (ids it
//     yielded at roughly doubling distances back, O(log n) of them), then
//     the walk's start. Every candidate is an item it yielded (or its
//     start), so the hashes of the ids it yielded tell it exactly which
//     items to skip, however far back it resumed: it never loses its
//     position. Memory grows by ~8 bytes per item yielded (~80 KB per
//     10,000), which is what a delete-each-item loop needs: it resumes
//     from the start every page, behind every id of the window.
//   - Otherwise (the list starts over on an unknown cursor, as agents do:
//     memory stays bounded), when the server started over (a later page
//     holds an id of the walk's first page, or an item the sort time places
//     behind the walk), it skips items until it meets an id of the window
//     again, the frontier. Should every id of the window be gone, so that
//     it cannot tell the items it yielded long ago from new ones, it yields
//     ErrListPositionLost rather than guess.
//
// An error is yielded once and ends the walk; so does a cancelled context
// (checked before each page) and a consumer that stops ranging.
func (p pager[T]) all(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if ctx == nil {
			yield(zero, errNilContext())
			return
		}
		w := newWalk(&p)
		cursor := w.start
		// The first page is a resumption from the start: nothing is known,
		// nothing is skipped.
		resumed, anchor := true, -1
		var lastIDs []string // the last page's ids, in list order
		var lastCursor string
		haveLast := false
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			page, err := w.get(ctx, cursor)
			if err != nil && haveLast && p.recoverMissingCursor && errors.Is(err, ErrNotFound) {
				rpage, c, rerr := w.recoverCursor(ctx, lastIDs, lastCursor)
				if rerr == nil {
					page, cursor, err = rpage, c.cursor, nil
					resumed, anchor = true, c.anchor
				} else if !errors.Is(rerr, ErrNotFound) {
					err = rerr
				}
			}
			if err != nil {
				yield(zero, err)
				return
			}
			if len(page) == 0 {
				if w.seeking && w.skipped > 0 {
					// Some skipped items may have come after the frontier.
					yield(zero, w.lost())
				}
				return
			}
			keep, err := w.decide(page, resumed, anchor)
			if err != nil {
				yield(zero, err)
				return
			}
			for i, item := range page {
				if keep[i] && !yield(item, nil) {
					return
				}
			}
			next := p.id(page[len(page)-1])
			if next == "" {
				yield(zero, fmt.Errorf("letta: cannot continue the list: an item has no id"))
				return
			}
			if next == cursor {
				yield(zero, errNoProgress)
				return
			}
			lastIDs = lastIDs[:0]
			for _, item := range page {
				lastIDs = append(lastIDs, p.id(item))
			}
			page = nil // not kept alive while the next page is fetched
			lastCursor, cursor, haveLast = cursor, next, true
			resumed = false
			if p.observe != nil {
				s := w.stats()
				s.LastPage = len(lastIDs)
				p.observe(s)
			}
		}
	}
}

// walkBackwards turns a walk back from an item (before set, after not)
// into a forward walk over the reversed order from that item: after =
// before, order flipped (the server default is desc). The server answers
// before=X with the first items of the list ahead of X, not the ones next
// to it (letta-api.md section 5; lettatest does the same), so paging back
// with before, as Stainless's clients do, would get one page and then the
// empty page in front of the list, skipping everything in between. After X
// in the reversed order is before X in the caller's, nearest first, and
// the walk continues with after as any other.
func walkBackwards(after, before *string, order *Order) error {
	if *before == "" || *after != "" {
		return nil
	}
	switch *order {
	case OrderAsc:
		*order = OrderDesc
	case OrderDesc, "":
		*order = OrderAsc
	default:
		// An order this SDK does not know cannot be reversed.
		return &InvalidParamError{Param: "order", Value: string(*order),
			Reason: "ListAll walks back from Before only with order asc or desc"}
	}
	*after, *before = *before, ""
	return nil
}

// candidate is a cursor to resume from, with the sequence number of its
// item in the walk (-1: unknown, or the start).
type candidate struct {
	cursor string
	anchor int
}

// recoverCursor resumes after the cursor item was deleted between two
// pages: it tries the neighbouring items of the last page, moving back
// towards its start, then the cursor that fetched the last page, then
// checkpoints at doubling distances back, and last the walk's start cursor. So a long run of deletions behind the
// walk costs a few 404s, never a skipped item: every candidate lies at or
// before the deleted item, and decide skips what was already yielded. The
// error is the last 404 when no candidate exists any more.
func (w *walk[T]) recoverCursor(ctx context.Context, lastIDs []string, lastCursor string) ([]T, candidate, error) {
	var cands []candidate
	add := func(id string) {
		s, ok := w.seqOf(id)
		if !ok {
			s = -1
		}
		cands = append(cands, candidate{id, s})
	}
	for i := len(lastIDs) - 2; i >= 0; i-- {
		add(lastIDs[i])
	}
	// The cursor that fetched the last page ("" = the caller's start, or
	// the top of the list) re-reads the whole last page.
	add(lastCursor)
	for step := max(len(lastIDs), 1); step < w.n; step *= 2 {
		if c, ok := w.checkpointAtOrBefore(w.n - 1 - step); ok {
			cands = append(cands, candidate{c.id, c.seq})
		}
	}
	cands = append(cands, candidate{w.start, -1})

	tried := make(map[string]bool, len(cands))
	var err error
	for _, c := range cands {
		if tried[c.cursor] {
			continue
		}
		tried[c.cursor] = true
		if cerr := ctx.Err(); cerr != nil {
			return nil, candidate{}, cerr
		}
		var page []T
		page, err = w.get(ctx, c.cursor)
		if err == nil {
			return page, c, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, candidate{}, err
		}
	}
	return nil, candidate{}, err
}
