//go:build letta_live

package letta

import (
	"context"
	"iter"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// inParallel runs f(0..n-1) on a few goroutines and fails on the first
// error.
func inParallel(t *testing.T, n int, f func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 6)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := f(i); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// makeIdentities creates n identities named prefix-NN and returns their ids
// newest first, as the server lists them (checked against the reversed
// ascending list).
func makeIdentities(t *testing.T, c *Client, prefix string, n int) []string {
	t.Helper()
	inParallel(t, n, func(i int) error {
		key := prefix + "-" + strconv.Itoa(100+i)
		id, err := c.Identities.Create(t.Context(), &IdentityCreateParams{IdentifierKey: key, Name: key, IdentityType: IdentityTypeUser})
		if err == nil {
			t.Cleanup(func() { deleteQuietly(t, "identity", id.ID, c.Identities.Delete) })
		}
		return err
	})
	desc, err := c.Identities.List(t.Context(), &IdentityListParams{Name: prefix, Limit: 1000})
	require.NoError(t, err)
	require.Len(t, desc, n)
	asc, err := c.Identities.List(t.Context(), &IdentityListParams{Name: prefix, Limit: 1000, Order: OrderAsc})
	require.NoError(t, err)
	require.Equal(t, reversed(identityIDs(desc)), identityIDs(asc))
	return identityIDs(desc)
}

func walkIDs[T any](t *testing.T, seq iter.Seq2[T, error], id func(T) string) []string {
	t.Helper()
	var out []string
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, id(v))
	}
	return out
}

func TestLivePaginationIdentities(t *testing.T) {
	c := liveClient(t)
	prefix := liveName(t)
	all := makeIdentities(t, c, prefix, 52) // newest first
	asc := reversed(all)
	list := func(p IdentityListParams) []string {
		t.Helper()
		p.Name = prefix
		got, err := c.Identities.List(t.Context(), &p)
		require.NoError(t, err)
		return identityIDs(got)
	}
	walk := func(p IdentityListParams) []string {
		t.Helper()
		p.Name = prefix
		return walkIDs(t, c.Identities.ListAll(t.Context(), &p), identityID)
	}

	t.Run("limits", func(t *testing.T) {
		// Limit 0 is not sent: the server's default is 50, where limit=0
		// would have answered every identity.
		assert.Equal(t, all[:50], list(IdentityListParams{}))
		assert.Equal(t, all[:1], list(IdentityListParams{Limit: 1}))
		assert.Equal(t, all, list(IdentityListParams{Limit: 1 << 30}))
		_, err := c.Identities.List(t.Context(), &IdentityListParams{Name: prefix, Limit: -1})
		require.ErrorIs(t, err, ErrInvalidParam)
	})
	t.Run("cursors", func(t *testing.T) {
		assert.Equal(t, all[10:15], list(IdentityListParams{After: all[9], Limit: 5}))
		assert.Equal(t, asc[10:15], list(IdentityListParams{After: asc[9], Limit: 5, Order: OrderAsc}))
		// before alone: the first items of the list, not the nearest.
		assert.Equal(t, all[:5], list(IdentityListParams{Before: all[30], Limit: 5}))
		assert.Equal(t, asc[:5], list(IdentityListParams{Before: asc[30], Limit: 5, Order: OrderAsc}))
		assert.Empty(t, list(IdentityListParams{After: all[51]}))
	})
	t.Run("windows on List", func(t *testing.T) {
		// Both cursors: created_at bounds whatever the order; more than
		// the limit between them gives a slice from the middle.
		mid := list(IdentityListParams{After: asc[0], Before: asc[51], Limit: 4, Order: OrderAsc})
		require.Len(t, mid, 4)
		assert.NotEqual(t, asc[1:5], mid)
		assert.Subset(t, asc[1:51], mid)
		assert.Equal(t, all[41:45], list(IdentityListParams{After: all[45], Before: all[40]}),
			"descending, after is the older bound")
		_, err := c.Identities.List(t.Context(), &IdentityListParams{Name: prefix, After: all[5], Before: all[45]})
		apiErr := requireAPIError(t, err, 400)
		require.ErrorIs(t, err, ErrBadRequest)
		assert.Equal(t, "'before' reference must be later than 'after' reference", apiErr.Detail)
	})
	t.Run("ListAll forward", func(t *testing.T) {
		assert.Equal(t, all, walk(IdentityListParams{}))
		assert.Equal(t, all, walk(IdentityListParams{Limit: 7}))
		assert.Equal(t, asc, walk(IdentityListParams{Limit: 7, Order: OrderAsc}))
		assert.Equal(t, all[21:], walk(IdentityListParams{After: all[20], Limit: 9}))
	})
	t.Run("ListAll backward", func(t *testing.T) {
		assert.Equal(t, reversed(all[:30]), walk(IdentityListParams{Before: all[30], Limit: 7}))
		assert.Equal(t, reversed(asc[:30]), walk(IdentityListParams{Before: asc[30], Limit: 7, Order: OrderAsc}))
	})
	t.Run("ListAll windows", func(t *testing.T) {
		assert.Equal(t, all[6:45], walk(IdentityListParams{After: all[5], Before: all[45], Limit: 4}))
		assert.Equal(t, asc[6:45], walk(IdentityListParams{After: asc[5], Before: asc[45], Limit: 6, Order: OrderAsc}))
		assert.Equal(t, all[41:45], walk(IdentityListParams{After: all[40], Before: all[45], Limit: 1}))
		assert.Equal(t, all[1:51], walk(IdentityListParams{After: all[0], Before: all[51]}))
		var errs []error
		for _, err := range c.Identities.ListAll(t.Context(), &IdentityListParams{Name: prefix, After: asc[45], Before: asc[5], Order: OrderAsc}) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		require.ErrorIs(t, errs[0], ErrBadRequest)
	})
}

func TestLivePaginationAgents(t *testing.T) {
	c := liveClient(t)
	tag := liveName(t)
	ident := createIdentity(t, c, IdentityCreateParams{IdentifierKey: liveName(t, "user")})
	const n = 12
	inParallel(t, n, func(i int) error {
		p := &AgentCreateParams{Name: Ptr(liveName(t, strconv.Itoa(100+i))), Tags: []string{tag},
			Model: Ptr(liveModel), Embedding: Ptr(liveEmbedding), IncludeBaseTools: Ptr(false)}
		if i%3 != 0 {
			p.IdentityIDs = []string{ident.ID}
		}
		a, err := c.Agents.Create(t.Context(), p)
		if err == nil {
			t.Cleanup(func() { deleteQuietly(t, "agent", a.ID, c.Agents.Delete) })
		}
		return err
	})
	desc, err := c.Agents.List(t.Context(), &AgentListParams{Tags: []string{tag}, Limit: 1000})
	require.NoError(t, err)
	all := agentIDs(desc)
	require.Len(t, all, n)
	asc := reversed(all)
	list := func(p AgentListParams) []string {
		t.Helper()
		p.Tags = []string{tag}
		got, err := c.Agents.List(t.Context(), &p)
		require.NoError(t, err)
		return agentIDs(got)
	}
	walk := func(p AgentListParams) []string {
		t.Helper()
		p.Tags = []string{tag}
		return walkIDs(t, c.Agents.ListAll(t.Context(), &p), func(a AgentState) string { return a.ID })
	}

	t.Run("limits", func(t *testing.T) {
		assert.Equal(t, asc, list(AgentListParams{Order: OrderAsc}))
		assert.Equal(t, all, list(AgentListParams{}))
		assert.Equal(t, all[:1], list(AgentListParams{Limit: 1}))
		assert.Equal(t, all, list(AgentListParams{Limit: 1 << 30}))
		_, err := c.Agents.List(t.Context(), &AgentListParams{Tags: []string{tag}, Limit: -5})
		require.ErrorIs(t, err, ErrInvalidParam)
	})
	t.Run("cursors", func(t *testing.T) {
		assert.Equal(t, all[4:7], list(AgentListParams{After: all[3], Limit: 3}))
		assert.Equal(t, all[:3], list(AgentListParams{Before: all[8], Limit: 3}), "before alone: the top of the list")
		// Both cursors: bounds in the sort order, the first Limit between.
		assert.Equal(t, all[3:6], list(AgentListParams{After: all[2], Before: all[9], Limit: 3}))
		assert.Equal(t, asc[3:6], list(AgentListParams{After: asc[2], Before: asc[9], Limit: 3, Order: OrderAsc}))
		assert.Empty(t, list(AgentListParams{After: all[9], Before: all[2]}), "an inverted window is empty, not a 400")
		// An unknown cursor is ignored.
		assert.Equal(t, all[:2], list(AgentListParams{After: "agent-00000000-0000-4000-8000-000000000000", Limit: 2}))
	})
	t.Run("ListAll", func(t *testing.T) {
		assert.Equal(t, all, walk(AgentListParams{Limit: 5}))
		assert.Equal(t, asc, walk(AgentListParams{Limit: 5, Order: OrderAsc}))
		assert.Equal(t, all, walk(AgentListParams{Limit: 1}))
		assert.Equal(t, reversed(all[:8]), walk(AgentListParams{Before: all[8], Limit: 3}))
		assert.Equal(t, reversed(asc[:8]), walk(AgentListParams{Before: asc[8], Limit: 3, Order: OrderAsc}))
		assert.Equal(t, all[3:10], walk(AgentListParams{After: all[2], Before: all[10], Limit: 2}))
		assert.Equal(t, asc[3:10], walk(AgentListParams{After: asc[2], Before: asc[10], Limit: 2, Order: OrderAsc}))
		byUpdate := list(AgentListParams{OrderBy: AgentOrderByUpdatedAt, Limit: 1000})
		assert.Equal(t, byUpdate, walk(AgentListParams{OrderBy: AgentOrderByUpdatedAt, Limit: 4}))
	})

	t.Run("identity agents", func(t *testing.T) {
		byServer, err := c.Identities.ListAgents(t.Context(), ident.ID, &IdentityAgentListParams{Limit: 1000, Order: OrderAsc,
			OrderBy: IdentityOrderByCreatedAt})
		require.NoError(t, err)
		ia := agentIDs(byServer) // oldest first
		require.Len(t, ia, 8)
		ids := reversed(ia)
		w := func(p IdentityAgentListParams) []string {
			t.Helper()
			return walkIDs(t, c.Identities.ListAgentsAll(t.Context(), ident.ID, &p), func(a AgentState) string { return a.ID })
		}
		assert.Equal(t, ids, w(IdentityAgentListParams{Limit: 3}))
		assert.Equal(t, ia, w(IdentityAgentListParams{Limit: 3, Order: OrderAsc}))
		assert.Equal(t, reversed(ids[:5]), w(IdentityAgentListParams{Before: ids[5], Limit: 2}))
		assert.Equal(t, ids[1:7], w(IdentityAgentListParams{After: ids[0], Before: ids[7], Limit: 2}))
		assert.Equal(t, ia[1:7], w(IdentityAgentListParams{After: ia[0], Before: ia[7], Limit: 2, Order: OrderAsc}))
		got, err := c.Identities.ListAgents(t.Context(), ident.ID, &IdentityAgentListParams{After: ids[2], Limit: 2})
		require.NoError(t, err)
		assert.Equal(t, ids[3:5], agentIDs(got))
		_, err = c.Identities.ListAgents(t.Context(), ident.ID, &IdentityAgentListParams{After: "agent-00000000-0000-4000-8000-000000000000"})
		require.ErrorIs(t, err, ErrNotFound, "this list answers 404 for an unknown cursor")
	})
}

// TestLivePaginationIdentityBlocks: the blocks come from one agent each, so
// that no two share a creation time (see TestLiveIdentityBlocksSameCreatedAt).
func TestLivePaginationIdentityBlocks(t *testing.T) {
	c := liveClient(t)
	const n = 9
	made := make([]string, n)
	inParallel(t, n, func(i int) error {
		a, err := c.Agents.Create(t.Context(), &AgentCreateParams{Name: Ptr(liveName(t, strconv.Itoa(i))),
			Model: Ptr(liveModel), Embedding: Ptr(liveEmbedding), IncludeBaseTools: Ptr(false),
			MemoryBlocks: []CreateBlock{{Label: "human", Value: strconv.Itoa(i)}}})
		if err != nil {
			return err
		}
		t.Cleanup(func() { deleteQuietly(t, "agent", a.ID, c.Agents.Delete) })
		made[i] = a.Blocks[0].ID
		return nil
	})
	ident := createIdentity(t, c, IdentityCreateParams{IdentifierKey: liveName(t, "user"), BlockIDs: made})

	ascBlocks, err := c.Identities.ListBlocks(t.Context(), ident.ID, &IdentityBlockListParams{Order: OrderAsc, OrderBy: IdentityOrderByCreatedAt})
	require.NoError(t, err)
	asc := blockIDs(ascBlocks)
	require.ElementsMatch(t, made, asc)
	all := reversed(asc)
	got, err := c.Identities.ListBlocks(t.Context(), ident.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, all, blockIDs(got))
	got, err = c.Identities.ListBlocks(t.Context(), ident.ID, &IdentityBlockListParams{Limit: 2, After: all[1]})
	require.NoError(t, err)
	assert.Equal(t, all[2:4], blockIDs(got))

	w := func(p IdentityBlockListParams) []string {
		t.Helper()
		return walkIDs(t, c.Identities.ListBlocksAll(t.Context(), ident.ID, &p), func(b Block) string { return b.ID })
	}
	assert.Equal(t, all, w(IdentityBlockListParams{Limit: 2}))
	assert.Equal(t, asc, w(IdentityBlockListParams{Limit: 4, Order: OrderAsc}))
	assert.Equal(t, reversed(all[:6]), w(IdentityBlockListParams{Before: all[6], Limit: 2}))
	assert.Equal(t, all[1:8], w(IdentityBlockListParams{After: all[0], Before: all[8], Limit: 2}))
	assert.Equal(t, asc[2:7], w(IdentityBlockListParams{After: asc[1], Before: asc[7], Limit: 3, Order: OrderAsc}))
}

// TestLiveIdentityBlocksSameCreatedAt: an agent's memory blocks are created
// in one transaction and share created_at. The server's descending cursors
// mis-order such ties, but ascending walks, and walks back from Before
// (which ask for ascending pages), list them all, once each.
func TestLiveIdentityBlocksSameCreatedAt(t *testing.T) {
	c := liveClient(t)
	var blocks []CreateBlock
	for i := range 6 {
		blocks = append(blocks, CreateBlock{Label: "b" + strconv.Itoa(i), Value: strconv.Itoa(i)})
	}
	a := createAgent(t, c, AgentCreateParams{Name: Ptr(liveName(t, "a")), MemoryBlocks: blocks})
	require.Len(t, a.Blocks, 6)
	ident := createIdentity(t, c, IdentityCreateParams{IdentifierKey: liveName(t, "user"), BlockIDs: blockIDs(a.Blocks)})
	ascBlocks, err := c.Identities.ListBlocks(t.Context(), ident.ID, &IdentityBlockListParams{Order: OrderAsc})
	require.NoError(t, err)
	asc := blockIDs(ascBlocks)
	require.ElementsMatch(t, blockIDs(a.Blocks), asc)
	assert.Equal(t, asc, walkIDs(t, c.Identities.ListBlocksAll(t.Context(), ident.ID, &IdentityBlockListParams{Limit: 1, Order: OrderAsc}),
		func(b Block) string { return b.ID }))
	// Descending, the blocks before the oldest are all the others, nearest
	// first.
	assert.Equal(t, asc[1:], walkIDs(t, c.Identities.ListBlocksAll(t.Context(), ident.ID, &IdentityBlockListParams{Limit: 2, Before: asc[0]}),
		func(b Block) string { return b.ID }))
}

// TestLiveListAllUnderDeletions: a walk that deletes each item it receives,
// and some ahead of it, yields every item that still exists when it is
// reached, once, in order.
func TestLiveListAllUnderDeletions(t *testing.T) {
	c := liveClient(t)
	check := func(t *testing.T, all []string, walk func(ctx context.Context, onItem func(id string)) []string,
		del func(id string) error) {
		t.Helper()
		deletedAhead := map[string]bool{}
		pos := map[string]int{}
		for i, id := range all {
			pos[id] = i
		}
		got := walk(t.Context(), func(id string) {
			require.NoError(t, del(id))
			if i := pos[id]; i == 3 || i == 8 {
				// Beyond the page the walk holds (pages of 3): items
				// the walk has not fetched yet.
				for _, j := range []int{i + 4, i + 3} {
					if j < len(all) && !deletedAhead[all[j]] {
						require.NoError(t, del(all[j]))
						deletedAhead[all[j]] = true
					}
				}
			}
		})
		var want []string
		for _, id := range all {
			if !deletedAhead[id] {
				want = append(want, id)
			}
		}
		assert.Equal(t, want, got)
	}

	t.Run("identities", func(t *testing.T) {
		prefix := liveName(t)
		all := makeIdentities(t, c, prefix, 15)
		check(t, all, func(ctx context.Context, onItem func(string)) []string {
			var got []string
			for v, err := range c.Identities.ListAll(ctx, &IdentityListParams{Name: prefix, Limit: 3}) {
				require.NoError(t, err)
				got = append(got, v.ID)
				onItem(v.ID)
			}
			return got
		}, func(id string) error { return c.Identities.Delete(t.Context(), id) })
	})
	t.Run("agents", func(t *testing.T) {
		tag := liveName(t)
		inParallel(t, 15, func(i int) error {
			a, err := c.Agents.Create(t.Context(), &AgentCreateParams{Name: Ptr(liveName(t, strconv.Itoa(i))), Tags: []string{tag},
				Model: Ptr(liveModel), Embedding: Ptr(liveEmbedding), IncludeBaseTools: Ptr(false)})
			if err == nil {
				t.Cleanup(func() { deleteQuietly(t, "agent", a.ID, c.Agents.Delete) })
			}
			return err
		})
		desc, err := c.Agents.List(t.Context(), &AgentListParams{Tags: []string{tag}, Limit: 100})
		require.NoError(t, err)
		require.Len(t, desc, 15)
		check(t, agentIDs(desc), func(ctx context.Context, onItem func(string)) []string {
			var got []string
			for v, err := range c.Agents.ListAll(ctx, &AgentListParams{Tags: []string{tag}, Limit: 3}) {
				require.NoError(t, err)
				got = append(got, v.ID)
				onItem(v.ID)
			}
			return got
		}, func(id string) error { return c.Agents.Delete(t.Context(), id) })
	})
	t.Run("identity agents", func(t *testing.T) {
		ident := createIdentity(t, c, IdentityCreateParams{IdentifierKey: liveName(t, "user")})
		inParallel(t, 12, func(i int) error {
			a, err := c.Agents.Create(t.Context(), &AgentCreateParams{Name: Ptr(liveName(t, strconv.Itoa(i))), IdentityIDs: []string{ident.ID},
				Model: Ptr(liveModel), Embedding: Ptr(liveEmbedding), IncludeBaseTools: Ptr(false)})
			if err == nil {
				t.Cleanup(func() { deleteQuietly(t, "agent", a.ID, c.Agents.Delete) })
			}
			return err
		})
		desc, err := c.Identities.ListAgents(t.Context(), ident.ID, &IdentityAgentListParams{Limit: 100})
		require.NoError(t, err)
		require.Len(t, desc, 12)
		check(t, agentIDs(desc), func(ctx context.Context, onItem func(string)) []string {
			var got []string
			for v, err := range c.Identities.ListAgentsAll(ctx, ident.ID, &IdentityAgentListParams{Limit: 3}) {
				require.NoError(t, err)
				got = append(got, v.ID)
				onItem(v.ID)
			}
			return got
		}, func(id string) error { return c.Agents.Delete(t.Context(), id) })
	})
}
