package letta

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSubListIteratorsSurviveDeletingEachItem: on lettatest, which answers
// 404 for a cursor that no longer exists on the identity's sub-lists (as
// the server's generic list helper does), a loop that deletes each item it
// receives still gets every item once.
func TestSubListIteratorsSurviveDeletingEachItem(t *testing.T) {
	srv := relServer(t)
	c := relClient(t, srv.URL)
	ctx := t.Context()
	user, err := c.Identities.Create(ctx, &IdentityCreateParams{IdentifierKey: "user_1", Name: "u", IdentityType: IdentityTypeUser})
	require.NoError(t, err)
	var want []string
	for i := range 7 {
		a, err := c.Agents.Create(ctx, &AgentCreateParams{Name: Ptr(fmt.Sprintf("agent-%d", i)), IdentityIDs: []string{user.ID}})
		require.NoError(t, err)
		want = append(want, a.ID)
	}

	var got []string
	for a, err := range c.Identities.ListAgentsAll(ctx, user.ID, &IdentityAgentListParams{Limit: 2, Order: OrderAsc}) {
		require.NoError(t, err, "after %d agents", len(got))
		got = append(got, a.ID)
		require.NoError(t, c.Agents.Delete(ctx, a.ID))
	}
	assert.Equal(t, want, got)
	left, err := c.Identities.ListAgents(ctx, user.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, left)
}

// TestListAllBackwardsOnLettatest: walking back from an item gets every
// item before it, nearest first, on a server that answers before=X with
// the first items of the list (lettatest, as the Letta server).
func TestListAllBackwardsOnLettatest(t *testing.T) {
	srv := relServer(t)
	c := relClient(t, srv.URL)
	ctx := t.Context()
	for i := range 7 {
		_, err := c.Identities.Create(ctx, &IdentityCreateParams{IdentifierKey: fmt.Sprintf("user_%d", i), Name: "u", IdentityType: IdentityTypeUser})
		require.NoError(t, err)
		_, err = c.Agents.Create(ctx, &AgentCreateParams{Name: Ptr(fmt.Sprintf("agent-%d", i))})
		require.NoError(t, err)
	}
	for _, order := range []Order{"", OrderAsc} {
		ids, err := c.Identities.List(ctx, &IdentityListParams{Order: order})
		require.NoError(t, err)
		require.Len(t, ids, 7)
		var want, got []string
		for i := 4; i >= 0; i-- {
			want = append(want, ids[i].ID)
		}
		for id, err := range c.Identities.ListAll(ctx, &IdentityListParams{Before: ids[5].ID, Limit: 2, Order: order}) {
			require.NoError(t, err)
			got = append(got, id.ID)
		}
		assert.Equal(t, want, got, "identities before the 6th, order %q", order)

		agents, err := c.Agents.List(ctx, &AgentListParams{Order: order})
		require.NoError(t, err)
		require.Len(t, agents, 7)
		want, got = nil, nil
		for i := 4; i >= 0; i-- {
			want = append(want, agents[i].ID)
		}
		for a, err := range c.Agents.ListAll(ctx, &AgentListParams{Before: agents[5].ID, Limit: 2, Order: order}) {
			require.NoError(t, err)
			got = append(got, a.ID)
		}
		assert.Equal(t, want, got, "agents before the 6th, order %q", order)
	}
}

// TestAgentsListAllRefusesWalkingBackByLastRun: agents that never ran sort
// last in both directions, so the reversed order would yield them too.
func TestAgentsListAllRefusesWalkingBackByLastRun(t *testing.T) {
	c, err := NewClient(WithBaseURL("http://127.0.0.1:1"), WithLogger(nil))
	require.NoError(t, err)
	n := 0
	for _, err := range c.Agents.ListAll(t.Context(), &AgentListParams{Before: "agent-1", OrderBy: AgentOrderByLastRunCompletion}) {
		n++
		assert.ErrorIs(t, err, ErrInvalidParam)
	}
	assert.Equal(t, 1, n)
}
