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
