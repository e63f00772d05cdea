package bench

import (
	"context"
	"io"
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

// TestListAllMemoryIsBoundedByPages walks 10,000 agents with ListAll (pages
// of 50, as a list without include returns them) and checks that
//   - it makes exactly pages+1 requests (the last one gets the empty page
//     that ends the walk) and yields every agent once;
//   - the heap never holds more than a few pages at a time: the peak over
//     the walk stays under 5 x (one decoded page + its body), plus the
//     iterator's set of the ids already yielded (the only state that grows
//     with the total; it is what lets a walk skip the agents a server
//     repeats, and is allowed 128 bytes per agent).
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

	// The size of one page: its body, and its decoded agents kept alive.
	resp, err := http.Get(srv + "/v1/agents/?limit=50")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	before := liveHeap()
	var page []letta.AgentState
	require.NoError(t, codec.Unmarshal(body, &page))
	pageLive := liveHeap() - before
	require.Len(t, page, pageSize)
	runtime.KeepAlive(page)
	page = nil
	_, _, _, listsBefore := h.Counts()

	defer debug.SetGCPercent(debug.SetGCPercent(10))
	base := liveHeap()
	var peak uint64
	seen := make(map[string]bool, total)
	n := 0
	for a, err := range c.Agents.ListAll(ctx, &letta.AgentListParams{Limit: pageSize}) {
		require.NoError(t, err)
		require.False(t, seen[a.ID], "agent %s yielded twice", a.ID)
		seen[a.ID] = true
		n++
		peak = max(peak, heapBytes())
	}
	_, _, _, lists := h.Counts()

	// The test's own set of ids is on the heap too; it is counted in the
	// same allowance as the iterator's.
	perPage := pageLive + uint64(len(body))
	bound := 5*perPage + 2*128*total
	grew := peak - min(peak, base)
	assert.Equal(t, total, n, "agents yielded")
	assert.Equal(t, int64(total/pageSize+1), lists-listsBefore, "list requests")
	assert.LessOrEqual(t, grew, bound, "peak heap growth during the walk (one page is %d B decoded + %d B body)", pageLive, len(body))
	t.Logf("page: %d B body, %d B decoded; peak heap growth over the walk %d B (%.1f pages), bound %d B", len(body), pageLive, grew, float64(grew)/float64(perPage), bound)
}
