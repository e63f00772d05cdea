package letta

import (
	"context"
	"fmt"
	"hash/maphash"
	"slices"
	"time"
)

// walk is what a pager remembers between pages: a window of the ids it
// yielded last, the first page's ids, O(log n) checkpoints, and the sort
// time of the last item it yielded, in memory that does not grow with the
// list; and, for walks that recover from a missing cursor, a hash of every
// id it yielded (seen, about 8 bytes per item).
//
// Items are numbered in walk order as they are yielded (their seq). The
// reasoning below assumes a list whose order does not change during the
// walk except by deletions and by new items at either end, which holds for
// lists sorted by created_at.
type walk[T any] struct {
	p     *pager[T]
	start string

	n int // items yielded; the next one gets seq n

	// The window: the ids yielded last, id -> seq, in two generations of
	// at most winSize each, so it always holds the last winSize at least.
	// A full generation becomes the older one and the older one is cleared
	// for reuse, which keeps the maps' storage instead of churning it.
	winSize             int
	cur, prev           map[string]int
	curStart, prevStart int

	// first holds the first page's ids (seqs 0..firstLen-1): a later page
	// holding one of them means the server started over.
	first     map[string]int
	firstLen  int
	firstOpen bool

	// Checkpoints: the last item yielded on each page, thinned so that
	// about four remain per doubling of the distance back.
	cps     []checkpoint
	cpCount int

	// The sort time of the last item yielded that had one (hasFrontier;
	// frontierExact when that item is the last yielded), and the list's
	// direction (+1 ascending, -1 descending, 0 not known yet): pager.dir,
	// or else as the pages show it; timesOff once a page contradicted it.
	frontier      time.Time
	hasFrontier   bool
	frontierExact bool
	dir           int
	timesOff      bool

	// Seeking: the walk is somewhere behind its frontier and skips items
	// until it meets the window again. skipped counts the unrecognised
	// items skipped since the last item known to lie behind the frontier;
	// budget is how many forgotten items (yielded, but no longer in the
	// window) can still lie ahead. More unrecognised items than that means
	// the frontier was passed, and some skipped items may be new.
	seeking         bool
	skipped, budget int

	// seen, on recoverMissingCursor walks, holds every id yielded: such a
	// walk resumes from its own earlier items (never from an unknown
	// place), so all it has to tell apart is what it yielded, which seen
	// does wherever the walk resumes. Lists that start over instead (agents)
	// keep the bounded state only.
	seen *seenSet

	keep []bool
}

type checkpoint struct {
	k, seq int // k numbers checkpoints as they are added
	id     string
}

func newWalk[T any](p *pager[T]) *walk[T] {
	w := &walk[T]{
		p:         p,
		start:     p.after,
		winSize:   minWindow,
		cur:       make(map[string]int),
		first:     make(map[string]int),
		firstOpen: true,
		dir:       p.dir,
	}
	if p.recoverMissingCursor {
		w.seen = newSeenSet()
	}
	return w
}

// get fetches the page after cursor.
func (w *walk[T]) get(ctx context.Context, cursor string) ([]T, error) {
	return w.p.fetch(ctx, cursor)
}

// windowStart is the seq of the oldest id in the window: the items yielded
// before it are forgotten, except the first page's.
func (w *walk[T]) windowStart() int {
	if len(w.prev) > 0 {
		return w.prevStart
	}
	return w.curStart
}

// forgotten is the number of yielded items after seq s (-1: from the
// start) that the walk can no longer recognise.
func (w *walk[T]) forgotten(s int) int {
	return max(0, w.windowStart()-max(s+1, w.firstLen))
}

func (w *walk[T]) recent(id string) bool {
	if _, ok := w.cur[id]; ok {
		return true
	}
	_, ok := w.prev[id]
	return ok
}

// seqOf returns the seq of a remembered id.
func (w *walk[T]) seqOf(id string) (int, bool) {
	if s, ok := w.cur[id]; ok {
		return s, true
	}
	if s, ok := w.prev[id]; ok {
		return s, true
	}
	if s, ok := w.first[id]; ok {
		return s, true
	}
	for _, c := range w.cps {
		if c.id == id {
			return c.seq, true
		}
	}
	return 0, false
}

// remember records a yielded id.
func (w *walk[T]) remember(id string) {
	if len(w.cur) >= w.winSize {
		w.prev, w.cur = w.cur, w.prev
		if w.cur == nil {
			w.cur = make(map[string]int, w.winSize)
		} else {
			clear(w.cur)
		}
		w.prevStart, w.curStart = w.curStart, w.n
	}
	w.cur[id] = w.n
	if w.firstOpen {
		w.first[id] = w.n
	}
	w.n++
}

// addCheckpoint records the last item yielded on a page and thins the
// older ones: checkpoint k stays while k is a multiple of the largest power
// of two at most a quarter of its age (in pages), so about four remain for
// each doubling of the distance back, and one that went never comes back.
func (w *walk[T]) addCheckpoint(id string, seq int) {
	w.cps = append(w.cps, checkpoint{k: w.cpCount, seq: seq, id: id})
	w.cpCount++
	kept := w.cps[:0]
	for _, c := range w.cps {
		step := 1
		for age := w.cpCount - 1 - c.k; step*2 <= age/4; {
			step *= 2
		}
		if c.k%step == 0 {
			kept = append(kept, c)
		}
	}
	clear(w.cps[len(kept):])
	w.cps = kept
}

// checkpointAtOrBefore returns the newest checkpoint with seq <= s.
func (w *walk[T]) checkpointAtOrBefore(s int) (checkpoint, bool) {
	for i := len(w.cps) - 1; i >= 0; i-- {
		if w.cps[i].seq <= s {
			return w.cps[i], true
		}
	}
	return checkpoint{}, false
}

// learnOrder reads the list's direction from a page (items in list order)
// and turns the sort times off if the page contradicts what earlier pages
// showed, or is not sorted by them.
func (w *walk[T]) learnOrder(page []T) {
	if w.p.created == nil || w.timesOff {
		return
	}
	var prev time.Time
	havePrev := false
	for _, item := range page {
		t, ok := w.p.created(item)
		if !ok {
			continue
		}
		if havePrev {
			if c := t.Compare(prev); c != 0 {
				if w.dir == 0 {
					w.dir = c
				} else if c != w.dir {
					w.timesOff = true
					return
				}
			}
		}
		prev, havePrev = t, true
	}
}

// side places an item against the frontier by sort time, in walk order:
// -1 strictly behind, +1 strictly beyond, 0 not known (no times, equal
// times, or no direction learned yet). An item behind an earlier yielded
// item is behind the frontier too; beyond one is not known to be beyond
// the frontier unless that item is the last yielded.
func (w *walk[T]) side(item T) int {
	if w.p.created == nil || w.timesOff || w.dir == 0 || !w.hasFrontier {
		return 0
	}
	t, ok := w.p.created(item)
	if !ok {
		return 0
	}
	c := t.Compare(w.frontier) * w.dir
	if c > 0 && !w.frontierExact {
		return 0
	}
	return c
}

// behind reports whether an item lies behind the frontier, as far as the
// walk can tell: yielded and remembered (recent: it is in the window), one
// of the first page's (seq s), or placed there by its sort time.
func (w *walk[T]) behind(item T) (recent bool, s int, ok bool) {
	id := w.p.id(item)
	if w.recent(id) {
		return true, 0, true
	}
	if s, ok := w.first[id]; ok {
		return false, s, true
	}
	return false, -1, w.side(item) < 0
}

// decide chooses which items of a page to yield and records them. resumed
// means the page was fetched from a recovery candidate (or is the first
// page) whose item has seq anchor (-1: the start, or unknown); otherwise
// the page continues from the previous one.
//
// Every item up to the last one that lies behind the frontier lies behind
// it too, so it is skipped. That last item also says where the walk is: at
// its frontier (a window id), or further back, seeking, with as many
// forgotten items ahead as were yielded after it (a first-page id), or as
// the walk ever forgot (an item behind by its sort time on a continuing
// page: the server started over, as agents do for an unknown cursor).
// After it, a seeking walk skips unrecognised items until the frontier,
// and more of them than it forgot means it passed the frontier unseen.
func (w *walk[T]) decide(page []T, resumed bool, anchor int) ([]bool, error) {
	w.winSize = max(w.winSize, 4*len(page))
	w.learnOrder(page)
	if w.seen != nil {
		return w.decideSeen(page), nil
	}
	if resumed {
		w.budget, w.skipped = w.forgotten(anchor), 0
		w.seeking = w.budget > 0
	}
	lastBehind := -1
	for j := len(page) - 1; j >= 0; j-- {
		if recent, s, ok := w.behind(page[j]); ok {
			lastBehind = j
			switch {
			case recent:
				w.seeking = false
			case s >= 0:
				w.budget, w.skipped = w.forgotten(s), 0
				w.seeking = w.budget > 0
			case !resumed:
				// Behind by its sort time on a page that should have
				// continued from the frontier: the server started over.
				w.budget, w.skipped = w.forgotten(-1), 0
				w.seeking = w.seeking || w.budget > 0
			}
			break
		}
	}
	if cap(w.keep) < len(page) {
		w.keep = make([]bool, len(page))
	}
	keep := w.pageKeep(len(page))
	last := -1
	for i := lastBehind + 1; i < len(page); i++ {
		switch {
		case w.recent(w.p.id(page[i])):
			continue // twice in one page
		case w.seeking && w.side(page[i]) > 0:
			// Beyond the frontier by its sort time: the walk is past it.
			if w.skipped > 0 {
				return nil, w.lost()
			}
			w.seeking = false
		case w.seeking:
			w.skipped++
			if w.skipped > w.budget {
				return nil, w.lost()
			}
			continue
		}
		keep[i] = true
		last = i
		w.yielded(page[i])
	}
	w.pageDone(page, last)
	return keep, nil
}

// decideSeen is decide for a walk that keeps seen: an item is yielded
// unless its hash says it was. Items before the last yielded one on the
// page (or one behind the frontier by its sort time) are skipped too: they
// lie behind the walk, so they can only be items created behind it during
// the walk, which a cursor walk may miss, and yielding them would break
// the list order. Nothing else is ever skipped, so the walk never loses
// its position, however far back it resumed.
func (w *walk[T]) decideSeen(page []T) []bool {
	lastBehind := -1
	for j := len(page) - 1; j >= 0; j-- {
		item := page[j]
		if id := w.p.id(item); (id != "" && w.seen.has(w.seen.hash(id))) || w.side(item) < 0 {
			lastBehind = j
			break
		}
	}
	keep := w.pageKeep(len(page))
	last := -1
	for i := lastBehind + 1; i < len(page); i++ {
		if id := w.p.id(page[i]); id != "" && w.seen.has(w.seen.hash(id)) {
			continue // twice in one page, or yielded before
		}
		keep[i] = true
		last = i
		w.yielded(page[i])
	}
	w.pageDone(page, last)
	return keep
}

// pageKeep returns the reused, cleared keep slice for a page of n items.
func (w *walk[T]) pageKeep(n int) []bool {
	if cap(w.keep) < n {
		w.keep = make([]bool, n)
	}
	keep := w.keep[:n]
	clear(keep)
	return keep
}

// yielded records an item chosen to be yielded.
func (w *walk[T]) yielded(item T) {
	if id := w.p.id(item); id != "" {
		w.remember(id)
		if w.seen != nil {
			w.seen.add(w.seen.hash(id))
		}
	}
	if w.p.created != nil {
		t, ok := w.p.created(item)
		if ok {
			w.frontier, w.hasFrontier = t, true
		}
		w.frontierExact = ok
	}
}

// pageDone closes the first page and checkpoints the last item yielded
// from page (index last, -1 for none).
func (w *walk[T]) pageDone(page []T, last int) {
	if last < 0 {
		return
	}
	w.firstOpen = false
	w.firstLen = len(w.first)
	if id := w.p.id(page[last]); id != "" {
		w.addCheckpoint(id, w.n-1)
	}
}

func (w *walk[T]) lost() error {
	return fmt.Errorf("%w (%d items yielded; start a new iteration to continue from the top)", ErrListPositionLost, w.n)
}

func (w *walk[T]) stats() walkStats {
	s := walkStats{Window: len(w.cur) + len(w.prev), FirstPage: len(w.first), Checkpoints: len(w.cps)}
	if w.seen != nil {
		s.Seen = w.seen.len()
	}
	return s
}

// seenSet holds a 64-bit hash of every id a walk yielded (recoverMissingCursor
// walks only), so that after a resumption from far back it can tell the
// items it yielded from the others without the window. Ids are hashed with
// a seed of their own per walk, so no list can be built to collide on
// purpose. Two different ids share a hash with probability 2^-64; over a
// walk of n items the chance that any item is wrongly taken for one
// already yielded (and skipped) is at most about n²/2^65: 3e-12 for 10,000
// items, 3e-6 for ten million.
//
// Memory is about 8 to 10 bytes per id: most hashes sit in one sorted
// slice, searched by bisection; the newest ones in a small map, merged into
// the slice when it reaches an eighth of its size, so merges cost O(1) per
// id amortised and the map adds about 2 bytes per id at most (more below
// the first merge, at a thousand ids). A merge briefly holds the old and
// the new slice.
type seenSet struct {
	seed   maphash.Seed
	sorted []uint64
	tail   map[uint64]struct{}
}

// minSeenTail is the size the tail map may reach before any merge.
const minSeenTail = 1024

func newSeenSet() *seenSet {
	return &seenSet{seed: maphash.MakeSeed(), tail: make(map[uint64]struct{})}
}

func (s *seenSet) hash(id string) uint64 { return maphash.String(s.seed, id) }

func (s *seenSet) has(h uint64) bool {
	if _, ok := s.tail[h]; ok {
		return true
	}
	_, ok := slices.BinarySearch(s.sorted, h)
	return ok
}

func (s *seenSet) add(h uint64) {
	if s.has(h) {
		return
	}
	s.tail[h] = struct{}{}
	if len(s.tail) >= max(minSeenTail, len(s.sorted)/8) {
		s.merge()
	}
}

// merge moves the tail into the sorted slice. The merged slice is
// allocated at its exact size and the tail map anew, so what the set keeps
// is 8 bytes per hash plus the live tail, not spare capacity.
func (s *seenSet) merge() {
	add := make([]uint64, 0, len(s.tail))
	for h := range s.tail {
		add = append(add, h)
	}
	slices.Sort(add)
	merged := make([]uint64, 0, len(s.sorted)+len(add))
	i, j := 0, 0
	for i < len(s.sorted) && j < len(add) {
		if s.sorted[i] < add[j] {
			merged = append(merged, s.sorted[i])
			i++
		} else {
			merged = append(merged, add[j])
			j++
		}
	}
	merged = append(merged, s.sorted[i:]...)
	s.sorted = append(merged, add[j:]...)
	s.tail = make(map[uint64]struct{})
}

func (s *seenSet) len() int { return len(s.sorted) + len(s.tail) }
