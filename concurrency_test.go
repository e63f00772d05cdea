package letta

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta/lettatest"
)

// concFaults are injected while the goroutines run. Any goroutine's next
// matching request takes one, so each is limited to methods for which the
// policy retries it (POST only meets 429 and 503).
var concFaults = []lettatest.Fault{
	{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After-Ms": {"1"}}},
	{Status: http.StatusServiceUnavailable},
	{Method: http.MethodGet, Status: http.StatusInternalServerError},
	{Method: http.MethodPatch, Status: http.StatusBadGateway},
	{Method: http.MethodPut, Status: http.StatusGatewayTimeout},
	{Method: http.MethodGet, Drop: lettatest.DropBeforeApply},
	{Method: http.MethodGet, Drop: lettatest.DropAfterApply},
	{Method: http.MethodPatch, Drop: lettatest.DropAfterApply},
	{Method: http.MethodPut, Drop: lettatest.DropAfterApply},
}

// TestConcurrentClientAgainstLettatest: 64 goroutines share one Client and
// run mixed calls on their own identities and agents (and read shared
// ones) while faults are injected; run with -race. Every call must give
// its own goroutine's right answer and the final state must be exactly
// what the goroutines did.
func TestConcurrentClientAgainstLettatest(t *testing.T) {
	const goroutines, keysEach = 64, 4
	srv := relServer(t)
	// Faults land on whichever request comes next, so one request can meet
	// several in a row; 20 retries make running out practically impossible
	// (about 0.2^21 per request) without slowing the test.
	c := relClient(t, srv.URL, WithMaxRetries(20))
	before := fmt.Sprintf("%#v", c)
	ctx := t.Context()

	shared := make([]string, 8)
	for i := range shared {
		a, err := c.Agents.Create(ctx, &AgentCreateParams{Name: Ptr(fmt.Sprintf("shared %d", i)), Tags: []string{"shared"}})
		require.NoError(t, err)
		shared[i] = a.ID
	}
	srv.ResetRequests()

	var calls, injected atomic.Int64
	inject := func(n int) {
		if n%3 == 0 {
			srv.InjectFault(concFaults[n%len(concFaults)])
			injected.Add(1)
		}
	}
	errs := make(chan error, goroutines)
	agentOf := make([]string, goroutines)
	identityOf := make([][]string, goroutines)
	var wg sync.WaitGroup
	start := time.Now()
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := concWorker(ctx, c, g, keysEach, shared, &calls, inject, &agentOf[g], &identityOf[g]); err != nil {
				errs <- fmt.Errorf("goroutine %d: %w", g, err)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	require.False(t, t.Failed())
	srv.ClearFaults()

	// Final state: keys 0..2 of every goroutine, renamed twice, key 3 gone;
	// each goroutine's agent carries its first identity.
	n, err := c.Identities.Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, goroutines*(keysEach-1), n)
	seen := map[string]bool{}
	for it, err := range c.Identities.ListAll(ctx, &IdentityListParams{Limit: 37}) {
		require.NoError(t, err)
		assert.False(t, seen[it.IdentifierKey], "duplicate %s", it.IdentifierKey)
		seen[it.IdentifierKey] = true
		assert.Equal(t, it.IdentifierKey+" v2", it.Name)
		require.Len(t, it.Properties, 1)
		v, ok := it.Properties[0].StringValue()
		assert.True(t, ok)
		assert.Equal(t, it.IdentifierKey, v)
	}
	assert.Len(t, seen, goroutines*(keysEach-1))
	for g := range goroutines {
		agents, err := c.Identities.ListAgents(ctx, identityOf[g][0], nil)
		require.NoError(t, err)
		require.Len(t, agents, 1)
		assert.Equal(t, agentOf[g], agents[0].ID)
	}
	agentCount, err := c.Agents.Count(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, len(shared)+goroutines, agentCount)
	assert.Equal(t, before, fmt.Sprintf("%#v", c), "the shared client is unchanged")

	requests := len(srv.Requests())
	t.Logf("concurrency: %d goroutines on one client, %d calls, %d faults injected, %d requests, %v",
		goroutines, calls.Load(), injected.Load(), requests, elapsed.Round(time.Millisecond))
}

// concWorker is one goroutine's share of the workload. It returns the first
// wrong answer.
func concWorker(ctx context.Context, c *Client, g, keys int, shared []string, calls *atomic.Int64,
	inject func(int), agentID *string, identityIDs *[]string) error {
	step := 0
	call := func() { step++; calls.Add(1); inject(g + step) }

	call()
	agent, err := c.Agents.Create(ctx, &AgentCreateParams{Name: Ptr(fmt.Sprintf("worker %d", g)), Tags: []string{"worker"}})
	if err != nil {
		return fmt.Errorf("create agent: %w", err)
	}
	*agentID = agent.ID
	for j := range keys {
		key := fmt.Sprintf("g%02d-k%d", g, j)
		call()
		id, err := c.Identities.Create(ctx, &IdentityCreateParams{IdentifierKey: key, Name: key + " v0", IdentityType: IdentityTypeUser})
		if err != nil {
			return fmt.Errorf("create %s: %w", key, err)
		}
		*identityIDs = append(*identityIDs, id.ID)

		call()
		got, err := c.Identities.Get(ctx, id.ID)
		if err != nil || got.IdentifierKey != key {
			return fmt.Errorf("get %s: %v %v", key, got, err)
		}
		call()
		upd, err := c.Identities.Update(ctx, id.ID, &IdentityUpdateParams{Name: Ptr(key + " v1")})
		if err != nil || upd.Name != key+" v1" {
			return fmt.Errorf("update %s: %v %v", key, upd, err)
		}
		call()
		up, err := c.Identities.Upsert(ctx, &IdentityUpsertParams{IdentifierKey: key, Name: key + " v2", IdentityType: IdentityTypeUser,
			Properties: []IdentityProperty{StringProperty("owner", key)}})
		if err != nil || up.ID != id.ID || up.Name != key+" v2" {
			return fmt.Errorf("upsert %s: %v %v", key, up, err)
		}
		call()
		list, err := c.Identities.List(ctx, &IdentityListParams{IdentifierKey: key})
		if err != nil || len(list) != 1 || list[0].ID != id.ID {
			return fmt.Errorf("list %s: %v %v", key, list, err)
		}
		call()
		sa, err := c.Agents.Get(ctx, shared[(g+j)%len(shared)], &AgentGetParams{Include: []AgentInclude{IncludeAgentTags}})
		if err != nil || len(sa.Tags) != 1 || sa.Tags[0] != "shared" {
			return fmt.Errorf("get shared agent: %v %v", sa, err)
		}
		call()
		if _, err := c.Identities.Count(ctx); err != nil {
			return fmt.Errorf("count: %w", err)
		}
	}
	call()
	if err := c.Agents.AttachIdentity(ctx, agent.ID, (*identityIDs)[0]); err != nil {
		return fmt.Errorf("attach: %w", err)
	}
	call()
	mine, err := c.Agents.List(ctx, &AgentListParams{IdentityID: (*identityIDs)[0]})
	if err != nil || len(mine) != 1 || mine[0].ID != agent.ID {
		return fmt.Errorf("agents of my identity: %v %v", mine, err)
	}
	last := (*identityIDs)[keys-1]
	call()
	var info ResponseInfo
	if err := c.Identities.Delete(ctx, last, WithResponseInfo(&info)); err != nil {
		// Only a retry after the server applied the delete may see it gone.
		if !errors.Is(err, ErrNotFound) || info.Attempts < 2 {
			return fmt.Errorf("delete: %w", err)
		}
	}
	call()
	if _, err := c.Identities.Get(ctx, last); !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("get deleted: %v", err)
	}
	// A walk while the others create and delete: never an error, never an
	// item twice.
	call()
	walked := map[string]bool{}
	for it, err := range c.Identities.ListAll(ctx, &IdentityListParams{Limit: 25}) {
		if err != nil {
			return fmt.Errorf("walk: %w", err)
		}
		if walked[it.ID] {
			return fmt.Errorf("walk yielded %s twice", it.ID)
		}
		walked[it.ID] = true
	}
	return nil
}
