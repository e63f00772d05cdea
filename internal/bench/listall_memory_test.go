package bench

import (
	"context"
	"io"
	"math"
	"net/http"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/internal/benchdata"
	"github.com/letta-go/letta/internal/codec"
)

const heapMetric = "/memory/classes/heap/objects:bytes"

// heapBytes is the heap in use by objects, live or not yet swept (HeapAlloc),
// read without stopping the world.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// liveHeap is the live heap after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	return heapBytes()
}

// retainedHeap is the live heap after two collections: the first moves
// what sync.Pools hold (the codec's page-sized buffers among them) to their
// victim caches, the second frees it, so that only what is referenced
// remains.
func retainedHeap() uint64 {
	runtime.GC()
	return liveHeap()
}

// TestListAllMemoryIsBoundedByPages walks 10,000 agents with ListAll (pages
// of 50, as a list without include returns them) and checks that
//   - it makes exactly pages+1 requests (the last one gets the empty page
//     that ends the walk) and yields every agent once, in order;
//   - the heap never holds more than a few pages at a time: the peak over
//     the walk stays under 5 x (one decoded page + its body) plus a fixed
//     64 KiB for the iterator's own state (a window of at most 512 recent
//     ids, the first page's ids and O(log n) checkpoints, about 80 B per
//     id). Nothing in the bound grows with the total;
//   - the live heap at agent 9,950 is no larger than at agent 2,500: the
//     peak bound has slack (an iterator that kept every id yielded stays
//     under it at 10,000 agents), this does not (the same iterator grows by
//     about 690 KB between the two points and fails it).
//
// The GC runs at GOGC=10 during the walk, so that the heap in use follows
// the live heap closely; samples are taken at every item.
func TestListAllMemoryIsBoundedByPages(t *testing.T) {
	const total, pageSize = 10_000, 50
	h := benchdata.NewHandler(benchdata.Config{Total: total, PageSize: pageSize, Agent: benchdata.ListAgent})
	srv := newTestServer(t, h)
	c, err := letta.NewClient(letta.WithBaseURL(srv))
	require.NoError(t, err)
	ctx := context.Background()

	// The size of one page: its body, and its decoded agents kept alive,
	// averaged over four copies after a first decode has filled the
	// codec's caches (a single measure varies by a few hundred KB).
	resp, err := http.Get(srv + "/v1/agents/?limit=50")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	var warm []letta.AgentState
	require.NoError(t, codec.Unmarshal(body, &warm))
	require.Len(t, warm, pageSize)
	warm = nil
	const copies = 4
	// retainedHeap, not liveHeap, on both sides: after one collection the
	// sync.Pools' victim caches still hold what the warm-up left there, and
	// the second measure's collection freeing it made a page look nearly
	// empty (once, under load: a 1.37 MB bound for a 2 MB walk).
	before := retainedHeap()
	pages := make([][]letta.AgentState, copies)
	for i := range pages {
		require.NoError(t, codec.Unmarshal(body, &pages[i]))
	}
	after := retainedHeap()
	pageLive := (after - min(after, before)) / copies
	runtime.KeepAlive(pages)
	pages = nil

	defer debug.SetGCPercent(debug.SetGCPercent(10))
	// Two walks: the smaller peak is asserted, since a GC cycle that starts
	// late can push one walk's samples up by most of a page, while state
	// that the walk keeps shows in both.
	grew := uint64(math.MaxUint64)
	growth := uint64(math.MaxUint64)
	for walk := range 2 {
		_, _, _, listsBefore := h.Counts()
		base := liveHeap()
		var peak, early uint64
		n := 0
		for a, err := range c.Agents.ListAll(ctx, &letta.AgentListParams{Limit: pageSize}) {
			require.NoError(t, err)
			// The handler serves agents in id order: each once, in order.
			if a.ID != benchdata.AgentID(n) {
				require.Equal(t, benchdata.AgentID(n), a.ID, "walk %d, agent %d", walk, n)
			}
			// The live heap at the first agent of a page, a quarter of the
			// way and at the last page: the iterator holds one page in
			// both, and its window of ids is full by then, so any
			// difference is state that grows with the walk.
			switch n {
			case total / 4:
				early = retainedHeap()
			case total - pageSize:
				late := retainedHeap()
				growth = min(growth, late-min(late, early))
			}
			n++
			peak = max(peak, heapBytes())
		}
		_, _, _, lists := h.Counts()
		assert.Equal(t, total, n, "agents yielded")
		assert.Equal(t, int64(total/pageSize+1), lists-listsBefore, "list requests")
		grew = min(grew, peak-min(peak, base))
	}

	const iteratorState = 64 << 10
	perPage := pageLive + uint64(len(body))
	bound := 5*perPage + iteratorState
	assert.LessOrEqual(t, grew, bound, "peak heap growth during the walk (one page is %d B decoded + %d B body)", pageLive, len(body))
	// 7,500 agents walked in between: an iterator that kept as little as
	// 16 bytes per agent yielded would grow by 120 KB.
	assert.Less(t, growth, uint64(64<<10), "live heap growth between agent %d and agent %d", total/4, total-pageSize)
	t.Logf("live heap growth from agent %d to agent %d: %d B", total/4, total-pageSize, growth)
	t.Logf("page: %d B body, %d B decoded; peak heap growth over the walk %d B (%.1f pages), bound %d B", len(body), pageLive, grew, float64(grew)/float64(perPage), bound)
}
