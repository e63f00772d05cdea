//go:build letta_live

package letta

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// createBlock creates a block and deletes it when the test ends (unless the
// test deleted it).
func createBlock(t *testing.T, c *Client, p BlockCreateParams) *Block {
	t.Helper()
	b, err := c.Blocks.Create(t.Context(), &p)
	require.NoError(t, err)
	t.Cleanup(func() { deleteQuietly(t, "block", b.ID, c.Blocks.Delete) })
	return b
}

// drain drains an iterator, failing the test on its error.
func drain[T any](t *testing.T, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

func blockValues(bs []Block) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.Value
	}
	return out
}

func TestLiveBlockLifecycle(t *testing.T) {
	c := liveClient(t)
	tag := liveName(t, "tag")
	created := createBlock(t, c, BlockCreateParams{
		Label: "human", Value: "Name: Ada.", Limit: Ptr(5000), Tags: []string{tag, tag},
		Metadata: map[string]any{"k": 1},
	})
	assert.Regexp(t, `^block-[0-9a-f-]{36}$`, created.ID)
	assert.Equal(t, "human", created.GetLabel())
	assert.Equal(t, 5000, created.Limit)
	assert.Equal(t, []string{tag, tag}, created.Tags, "create echoes the tags as sent")
	require.NotNil(t, created.Description, "create answers the human block's default description")
	assert.Nil(t, created.CreatedByID, "blocks never carry their creator")

	got, err := c.Blocks.Get(t.Context(), created.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{tag}, got.Tags, "each tag is stored once")
	assert.Nil(t, got.Description, "the default description is not stored")
	assert.JSONEq(t, `{"k":1}`, string(got.Metadata))

	up, err := c.Blocks.Update(t.Context(), created.ID, &BlockUpdateParams{
		Value: Ptr("Name: Ada Lovelace."), Description: Ptr("Who"), Tags: []string{tag, liveName(t, "more")},
	})
	require.NoError(t, err)
	assert.Equal(t, "Name: Ada Lovelace.", up.Value)
	assert.Equal(t, "Who", *up.Description)
	assert.Equal(t, 5000, up.Limit, "nil fields are unchanged")
	assert.ElementsMatch(t, []string{tag, liveName(t, "more")}, up.Tags)

	same, err := c.Blocks.Update(t.Context(), created.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, up.Value, same.Value, "a nil params changes nothing")

	require.NoError(t, c.Blocks.Delete(t.Context(), created.ID))
	_, err = c.Blocks.Get(t.Context(), created.ID)
	require.ErrorIs(t, err, ErrNotFound)
	require.ErrorIs(t, c.Blocks.Delete(t.Context(), created.ID), ErrNotFound)
	_, err = c.Blocks.Update(t.Context(), created.ID, &BlockUpdateParams{Value: Ptr("x")})
	require.ErrorIs(t, err, ErrNotFound)
}

func TestLiveBlockListAndCount(t *testing.T) {
	c := liveClient(t)
	tag, other := liveName(t, "tag"), liveName(t, "other")
	for _, v := range []string{"Likes jazz.", "Likes tea.", "Plays chess.", "Reads."} {
		createBlock(t, c, BlockCreateParams{Label: liveName(t, "fact"), Value: v, Tags: []string{tag}})
	}
	createBlock(t, c, BlockCreateParams{Label: liveName(t, "hidden"), Value: "hidden", Hidden: Ptr(true), Tags: []string{tag, other}})
	createBlock(t, c, BlockCreateParams{Label: liveName(t, "tpl"), Value: "template", IsTemplate: Ptr(true),
		TemplateName: Ptr(liveName(t, "tpl")), Tags: []string{tag}})

	tests := []struct {
		name string
		p    BlockListParams
		want []string
	}{
		{"oldest first by default, no hidden, no templates", BlockListParams{Tags: []string{tag}},
			[]string{"Likes jazz.", "Likes tea.", "Plays chess.", "Reads."}},
		{"desc", BlockListParams{Tags: []string{tag}, Order: OrderDesc, Limit: 2}, []string{"Reads.", "Plays chess."}},
		{"value search", BlockListParams{Tags: []string{tag}, ValueSearch: "LIKES"}, []string{"Likes jazz.", "Likes tea."}},
		{"hidden shown", BlockListParams{Tags: []string{other}, ShowHiddenBlocks: true}, []string{"hidden"}},
		{"hidden left out", BlockListParams{Tags: []string{other}}, nil},
		{"templates only", BlockListParams{Tags: []string{tag}, TemplatesOnly: true}, []string{"template"}},
		{"all tags", BlockListParams{Tags: []string{tag, other}, MatchAllTags: true, ShowHiddenBlocks: true}, []string{"hidden"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Blocks.List(t.Context(), &tt.p)
			require.NoError(t, err)
			if tt.want == nil {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, tt.want, blockValues(got))
		})
	}

	all := drain(t, c.Blocks.ListAll(t.Context(), &BlockListParams{Tags: []string{tag}, Limit: 3}))
	assert.Equal(t, []string{"Likes jazz.", "Likes tea.", "Plays chess.", "Reads."}, blockValues(all))
	desc := drain(t, c.Blocks.ListAll(t.Context(), &BlockListParams{Tags: []string{tag}, Limit: 3, Order: OrderDesc}))
	assert.Equal(t, []string{"Reads.", "Plays chess.", "Likes tea.", "Likes jazz."}, blockValues(desc))
	back := drain(t, c.Blocks.ListAll(t.Context(), &BlockListParams{Tags: []string{tag}, Limit: 1, Before: all[2].ID}))
	assert.Equal(t, []string{"Likes tea.", "Likes jazz."}, blockValues(back), "Before walks back, nearest first")

	for _, tt := range []struct {
		p    BlockCountParams
		want int
	}{
		{BlockCountParams{Tags: []string{tag}}, 5}, // hidden counted, the template not
		{BlockCountParams{Tags: []string{tag}, TemplatesOnly: true}, 1},
		{BlockCountParams{Tags: []string{tag, other}, MatchAllTags: true}, 1},
	} {
		n, err := c.Blocks.Count(t.Context(), &tt.p)
		require.NoError(t, err)
		assert.Equal(t, tt.want, n, "%+v", tt.p)
	}
	n, err := c.Blocks.Count(t.Context(), nil)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, n, 6, "a nil params counts every block")
}

func TestLiveBlockIdentities(t *testing.T) {
	c := liveClient(t)
	user := createIdentity(t, c, IdentityCreateParams{IdentifierKey: liveName(t, "user")})
	b1 := createBlock(t, c, BlockCreateParams{Label: liveName(t, "profile"), Value: "Ada"})
	b2 := createBlock(t, c, BlockCreateParams{Label: liveName(t, "prefs"), Value: "short answers"})

	for range 2 { // idempotent
		got, err := c.Blocks.AttachIdentity(t.Context(), b1.ID, user.ID)
		require.NoError(t, err)
		assert.Equal(t, b1.ID, got.ID)
	}
	_, err := c.Blocks.AttachIdentity(t.Context(), b2.ID, user.ID)
	require.NoError(t, err)

	byID, err := c.Blocks.List(t.Context(), &BlockListParams{IdentityID: user.ID})
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"Ada", "short answers"}, blockValues(byID))
	byKey, err := c.Blocks.List(t.Context(), &BlockListParams{IdentifierKeys: []string{user.IdentifierKey}})
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"Ada", "short answers"}, blockValues(byKey))
	ids := []string{byID[0].ID, byID[1].ID}
	assert.True(t, slices.IsSorted(ids), "with a join filter the server sorts by block id: %v", ids)
	for b, err := range c.Blocks.ListAll(t.Context(), &BlockListParams{IdentityID: user.ID}) {
		require.ErrorIs(t, err, ErrInvalidParam, "ListAll refuses the join filters")
		assert.Empty(t, b.ID)
	}
	identityBlocks, err := c.Identities.ListBlocks(t.Context(), user.ID, nil)
	require.NoError(t, err)
	assert.Len(t, identityBlocks, 2)

	got, err := c.Blocks.DetachIdentity(t.Context(), b2.ID, user.ID)
	require.NoError(t, err)
	assert.Equal(t, b2.ID, got.ID)
	_, err = c.Blocks.DetachIdentity(t.Context(), b2.ID, user.ID)
	require.NoError(t, err, "detaching again is a no-op")
	byID, err = c.Blocks.List(t.Context(), &BlockListParams{IdentityID: user.ID})
	require.NoError(t, err)
	assert.Equal(t, []string{"Ada"}, blockValues(byID))

	_, err = c.Blocks.AttachIdentity(t.Context(), b1.ID, "identity-123e4567-e89b-42d3-8456-426614174000")
	require.ErrorIs(t, err, ErrNotFound)
}

func TestLiveBlockAgents(t *testing.T) {
	c := liveClient(t)
	tag := liveName(t, "tag")
	team := createBlock(t, c, BlockCreateParams{Label: liveName(t, "team"), Value: "Team blue."})
	var agents []*AgentState
	for _, n := range []string{"a1", "a2", "a3"} {
		agents = append(agents, createAgent(t, c, AgentCreateParams{Name: Ptr(liveName(t, n)), Tags: []string{tag},
			BlockIDs: []string{team.ID}}))
	}
	names := func(as []AgentState) []string {
		out := make([]string, len(as))
		for i, a := range as {
			out[i] = a.Name
		}
		return out
	}
	got, err := c.Blocks.ListAgents(t.Context(), team.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{agents[2].Name, agents[1].Name, agents[0].Name}, names(got), "newest first")
	assert.Empty(t, got[0].Tags, "no relationships without Include")
	withTags, err := c.Blocks.ListAgents(t.Context(), team.ID, &BlockAgentListParams{Include: []AgentInclude{IncludeAgentTags}, Limit: 1})
	require.NoError(t, err)
	require.Len(t, withTags, 1)
	assert.Equal(t, []string{tag}, withTags[0].Tags)

	all := drain(t, c.Blocks.ListAgentsAll(t.Context(), team.ID, &BlockAgentListParams{Order: OrderAsc, Limit: 2}))
	assert.Equal(t, []string{agents[0].Name, agents[1].Name, agents[2].Name}, names(all))

	none, err := c.Blocks.ListAgents(t.Context(), "block-123e4567-e89b-42d3-8456-426614174000", nil)
	require.NoError(t, err, "an unknown block has no agents (not a 404)")
	assert.Empty(t, none)
}

func TestLiveAgentCoreMemory(t *testing.T) {
	c := liveClient(t)
	agent := createAgent(t, c, AgentCreateParams{
		Name:         Ptr(liveName(t, "agent")),
		MemoryBlocks: []CreateBlock{{Label: "human", Value: "Name: Ada."}, {Label: "persona", Value: "A helper."}},
	})
	for _, b := range agent.Memory.Blocks {
		t.Cleanup(func() { deleteQuietly(t, "block", b.ID, c.Blocks.Delete) }) // deleting the agent keeps them
	}
	other := createAgent(t, c, AgentCreateParams{Name: Ptr(liveName(t, "other"))})
	shared := createBlock(t, c, BlockCreateParams{Label: liveName(t, "team"), Value: "Team blue.", Tags: []string{liveName(t, "tag")}})

	// Attach: idempotent, answers the agent.
	for range 2 {
		got, err := c.Agents.AttachBlock(t.Context(), agent.ID, shared.ID)
		require.NoError(t, err)
		assert.Len(t, got.Memory.Blocks, 3)
	}
	_, err := c.Agents.AttachBlock(t.Context(), other.ID, shared.ID)
	require.NoError(t, err)

	// List: sorted by block id whatever the order says.
	blocks, err := c.Agents.ListBlocks(t.Context(), agent.ID, nil)
	require.NoError(t, err)
	require.Len(t, blocks, 3)
	var ids []string
	for _, b := range blocks {
		ids = append(ids, b.ID)
	}
	assert.True(t, slices.IsSortedFunc(ids, func(a, b string) int { return -strings.Compare(a, b) }), "descending ids: %v", ids)
	asc := drain(t, c.Agents.ListBlocksAll(t.Context(), agent.ID, &AgentBlockListParams{Order: OrderAsc, Limit: 1}))
	require.Len(t, asc, 3)
	for i, b := range asc {
		assert.Equal(t, ids[2-i], b.ID)
	}
	_, err = c.Agents.ListBlocks(t.Context(), "agent-123e4567-e89b-42d3-8456-426614174000", nil)
	require.ErrorIs(t, err, ErrNotFound)

	// Get and update by label; the shared block changes for every agent.
	human, err := c.Agents.GetBlock(t.Context(), agent.ID, "human")
	require.NoError(t, err)
	assert.Equal(t, "Name: Ada.", human.Value)
	_, err = c.Agents.GetBlock(t.Context(), agent.ID, "nope")
	require.ErrorIs(t, err, ErrNotFound)

	up, err := c.Agents.UpdateBlock(t.Context(), agent.ID, shared.GetLabel(), &BlockUpdateParams{Value: Ptr("Team green.")})
	require.NoError(t, err)
	assert.Equal(t, "Team green.", up.Value)
	seen, err := c.Agents.GetBlock(t.Context(), other.ID, shared.GetLabel())
	require.NoError(t, err)
	assert.Equal(t, "Team green.", seen.Value)

	// Tags through the agent: the server saves the value, then fails the
	// tag rows (they lack organization_id): a 409.
	_, err = c.Agents.UpdateBlock(t.Context(), agent.ID, shared.GetLabel(), &BlockUpdateParams{Value: Ptr("Team red."), Tags: []string{"x"}})
	require.ErrorIs(t, err, ErrConflict)
	after, err := c.Blocks.Get(t.Context(), shared.ID)
	require.NoError(t, err)
	assert.Equal(t, "Team red.", after.Value)
	assert.Equal(t, []string{liveName(t, "tag")}, after.Tags)

	// Detach: the block is kept; a second detach is a 404.
	got, err := c.Agents.DetachBlock(t.Context(), agent.ID, shared.ID)
	require.NoError(t, err)
	assert.Len(t, got.Memory.Blocks, 2)
	_, err = c.Agents.DetachBlock(t.Context(), agent.ID, shared.ID)
	require.ErrorIs(t, err, ErrNotFound)
	_, err = c.Blocks.Get(t.Context(), shared.ID)
	require.NoError(t, err)
}
