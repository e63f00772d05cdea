package letta_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta"
)

// Cassette tests for BlocksService and the agents' core memory methods.
// Each test tags its blocks with a tag unique to the test and filters by
// it, since GET /v1/blocks/ lists every block of the organisation (the
// agents' own blocks too).

// createBlock creates a block and deletes it when the test ends (unless
// the test deleted it itself).
func createBlock(t *testing.T, c *letta.Client, params *letta.BlockCreateParams) *letta.Block {
	t.Helper()
	b, err := c.Blocks.Create(t.Context(), params)
	require.NoError(t, err, "creating block %q", params.Label)
	t.Cleanup(func() {
		if err := c.Blocks.Delete(cleanupContext(t), b.ID); err != nil && !errors.Is(err, letta.ErrNotFound) {
			t.Errorf("cleanup: deleting block %s: %v", b.ID, err)
		}
	})
	return b
}

// deleteBlocksAtEnd deletes an agent's memory blocks when the test ends:
// deleting the agent keeps them (letta 0.16.8), and blocks left behind
// would change Blocks.Count in later recordings.
func deleteBlocksAtEnd(t *testing.T, c *letta.Client, agent *letta.AgentState) {
	for _, b := range agent.Memory.Blocks {
		t.Cleanup(func() {
			if err := c.Blocks.Delete(cleanupContext(t), b.ID); err != nil && !errors.Is(err, letta.ErrNotFound) {
				t.Errorf("cleanup: deleting block %s: %v", b.ID, err)
			}
		})
	}
}

func TestCassetteBlocksCreate(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	tag := testKey(t, "tag")

	b := createBlock(t, c, &letta.BlockCreateParams{
		Label:       "preferences",
		Value:       "Likes jazz.",
		Description: letta.Ptr("What the user likes."),
		Limit:       letta.Ptr(5000),
		Tags:        []string{tag},
		Metadata:    map[string]any{"source": "signup"},
	})
	assert.True(t, strings.HasPrefix(b.ID, "block-"), "id %q", b.ID)
	assert.Equal(t, "preferences", b.GetLabel())
	assert.Equal(t, "Likes jazz.", b.Value)
	assert.Equal(t, "What the user likes.", b.GetDescription())
	assert.Equal(t, 5000, b.Limit)
	assert.Equal(t, []string{tag}, b.Tags)
	assert.JSONEq(t, `{"source":"signup"}`, string(b.Metadata))
	assert.False(t, b.ReadOnly)
	assert.False(t, b.IsTemplate)

	// Stored, not just echoed.
	got, err := c.Blocks.Get(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, b.ID, got.ID)
	assert.Equal(t, "Likes jazz.", got.Value)
	assert.Equal(t, 5000, got.Limit)
	assert.Equal(t, []string{tag}, got.Tags)

	// Defaults: the server's limit, no description.
	d := createBlock(t, c, &letta.BlockCreateParams{Label: "notes", Value: "", Tags: []string{tag}})
	assert.Equal(t, 100000, d.Limit)
	assert.Empty(t, d.Value)
	assert.Nil(t, d.Description)

	_, err = c.Blocks.Get(ctx, "block-00000000-0000-4000-8000-999999999999")
	assert.ErrorIs(t, err, letta.ErrNotFound)
}

func TestCassetteBlocksList(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	tag, other := testKey(t, "tag"), testKey(t, "other")
	labelA, labelB := testKey(t, "a"), testKey(t, "b")

	a := createBlock(t, c, &letta.BlockCreateParams{Label: labelA, Value: "alpha red", Tags: []string{tag}})
	b := createBlock(t, c, &letta.BlockCreateParams{Label: labelB, Value: "beta red", Tags: []string{tag}})
	g := createBlock(t, c, &letta.BlockCreateParams{Label: labelA, Value: "gamma blue", Tags: []string{tag, other},
		Description: letta.Ptr("the gamma block")})

	list := func(p *letta.BlockListParams) []string {
		t.Helper()
		got, err := c.Blocks.List(ctx, p)
		require.NoError(t, err)
		return blockIDs(got)
	}
	// Oldest first by default, unlike the other lists.
	assert.Equal(t, []string{a.ID, b.ID, g.ID}, list(&letta.BlockListParams{Tags: []string{tag}}))
	assert.Equal(t, []string{g.ID, b.ID}, list(&letta.BlockListParams{Tags: []string{tag}, Order: letta.OrderDesc, Limit: 2}))
	assert.Equal(t, []string{b.ID, g.ID}, list(&letta.BlockListParams{Tags: []string{tag}, After: a.ID}))
	assert.Equal(t, []string{a.ID, g.ID}, list(&letta.BlockListParams{Tags: []string{tag}, Label: labelA}))
	assert.Equal(t, []string{a.ID, b.ID}, list(&letta.BlockListParams{Tags: []string{tag}, ValueSearch: "RED"}))
	assert.Equal(t, []string{g.ID}, list(&letta.BlockListParams{Tags: []string{tag}, DescriptionSearch: "gamma"}))
	assert.Equal(t, []string{b.ID}, list(&letta.BlockListParams{Tags: []string{tag}, LabelSearch: labelB}))
	// Tags match any of them, or all with MatchAllTags.
	assert.Equal(t, []string{a.ID, b.ID, g.ID}, list(&letta.BlockListParams{Tags: []string{tag, other}}))
	assert.Equal(t, []string{g.ID}, list(&letta.BlockListParams{Tags: []string{tag, other}, MatchAllTags: true}))
	assert.Empty(t, list(&letta.BlockListParams{Tags: []string{tag}, TemplatesOnly: true}))

	// Hidden blocks are left out unless asked for.
	h := createBlock(t, c, &letta.BlockCreateParams{Label: labelB, Value: "hidden", Tags: []string{tag}, Hidden: letta.Ptr(true)})
	assert.Equal(t, []string{a.ID, b.ID, g.ID}, list(&letta.BlockListParams{Tags: []string{tag}}))
	assert.Equal(t, []string{a.ID, b.ID, g.ID, h.ID}, list(&letta.BlockListParams{Tags: []string{tag}, ShowHiddenBlocks: true}))
}

func TestCassetteBlocksListAll(t *testing.T) {
	rec := newRecording(t)
	c := rec.client
	ctx := t.Context()
	tag := testKey(t, "tag")
	var ids []string // in creation order
	for _, v := range []string{"one", "two", "three"} {
		ids = append(ids, createBlock(t, c, &letta.BlockCreateParams{Label: "note", Value: v, Tags: []string{tag}}).ID)
	}

	start := rec.log.Len()
	all := collect(t, c.Blocks.ListAll(ctx, &letta.BlockListParams{Tags: []string{tag}, Limit: 1}))
	assert.Equal(t, ids, blockIDs(all))
	// One request per block and the empty page that ends the list.
	assert.Equal(t, 4, listPages(t, rec.log.Since(start), "/v1/blocks/", "1"))

	desc := collect(t, c.Blocks.ListAll(ctx, &letta.BlockListParams{Tags: []string{tag}, Limit: 2, Order: letta.OrderDesc}))
	assert.Equal(t, []string{ids[2], ids[1], ids[0]}, blockIDs(desc))

	// Back from the last block, nearest first, in the default (asc) order.
	back := collect(t, c.Blocks.ListAll(ctx, &letta.BlockListParams{Tags: []string{tag}, Limit: 1, Before: ids[2]}))
	assert.Equal(t, []string{ids[1], ids[0]}, blockIDs(back))

	// Filters that make the server sort by id are refused before sending.
	n := rec.log.Len()
	for _, err := range c.Blocks.ListAll(ctx, &letta.BlockListParams{IdentityID: "identity-x"}) {
		var ip *letta.InvalidParamError
		require.ErrorAs(t, err, &ip)
		assert.Equal(t, "identity_id", ip.Param)
	}
	assert.Equal(t, n, rec.log.Len())
}

func TestCassetteBlocksCount(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	tag := testKey(t, "tag")
	label := testKey(t, "label")

	total, err := c.Blocks.Count(ctx, nil)
	require.NoError(t, err)
	n, err := c.Blocks.Count(ctx, &letta.BlockCountParams{Tags: []string{tag}})
	require.NoError(t, err)
	assert.Zero(t, n)

	createBlock(t, c, &letta.BlockCreateParams{Label: label, Value: "x", Tags: []string{tag}})
	createBlock(t, c, &letta.BlockCreateParams{Label: "other", Value: "y", Tags: []string{tag}})

	n, err = c.Blocks.Count(ctx, &letta.BlockCountParams{Tags: []string{tag}})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	n, err = c.Blocks.Count(ctx, &letta.BlockCountParams{Tags: []string{tag}, Label: label})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	after, err := c.Blocks.Count(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, total+2, after)
}

func TestCassetteBlocksUpdate(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	tag := testKey(t, "tag")
	b := createBlock(t, c, &letta.BlockCreateParams{Label: "human", Value: "Name: Caren.",
		Description: letta.Ptr("About the user."), Tags: []string{tag, "draft"}, Metadata: map[string]any{"v": 1}})

	up, err := c.Blocks.Update(ctx, b.ID, &letta.BlockUpdateParams{Value: letta.Ptr("Name: Caren. Likes jazz."), Limit: letta.Ptr(2000)})
	require.NoError(t, err)
	assert.Equal(t, "Name: Caren. Likes jazz.", up.Value)
	assert.Equal(t, 2000, up.Limit)
	// Fields left nil are unchanged.
	assert.Equal(t, "human", up.GetLabel())
	assert.Equal(t, "About the user.", up.GetDescription())
	assert.ElementsMatch(t, []string{tag, "draft"}, up.Tags)
	assert.JSONEq(t, `{"v":1}`, string(up.Metadata))

	// Tags and Metadata replace; a nil params changes nothing.
	up, err = c.Blocks.Update(ctx, b.ID, &letta.BlockUpdateParams{Tags: []string{tag}, Metadata: map[string]any{"w": 2},
		Description: letta.Ptr(""), ReadOnly: letta.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, []string{tag}, up.Tags)
	assert.JSONEq(t, `{"w":2}`, string(up.Metadata))
	assert.Equal(t, "", up.GetDescription())
	assert.True(t, up.ReadOnly)
	up, err = c.Blocks.Update(ctx, b.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, "Name: Caren. Likes jazz.", up.Value)
	assert.Equal(t, []string{tag}, up.Tags)
	assert.True(t, up.ReadOnly)

	got, err := c.Blocks.Get(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, "Name: Caren. Likes jazz.", got.Value)
	assert.Equal(t, 2000, got.Limit)

	_, err = c.Blocks.Update(ctx, "block-00000000-0000-4000-8000-999999999999", &letta.BlockUpdateParams{Value: letta.Ptr("x")})
	assert.ErrorIs(t, err, letta.ErrNotFound)
}

func TestCassetteBlocksDelete(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	b := createBlock(t, c, &letta.BlockCreateParams{Label: "temp", Value: "x", Tags: []string{testKey(t, "tag")}})
	agent := createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "agent")), BlockIDs: []string{b.ID}})

	require.NoError(t, c.Blocks.Delete(ctx, b.ID))
	_, err := c.Blocks.Get(ctx, b.ID)
	assert.ErrorIs(t, err, letta.ErrNotFound)
	assert.ErrorIs(t, c.Blocks.Delete(ctx, b.ID), letta.ErrNotFound)
	// The agent is kept, without the block.
	_, err = c.Agents.GetBlock(ctx, agent.ID, "temp")
	assert.ErrorIs(t, err, letta.ErrNotFound)
	_, err = c.Agents.Get(ctx, agent.ID, nil)
	require.NoError(t, err)
}

func TestCassetteBlocksListAgents(t *testing.T) {
	rec := newRecording(t)
	c := rec.client
	ctx := t.Context()
	b := createBlock(t, c, &letta.BlockCreateParams{Label: "shared", Value: "Team: blue.", Tags: []string{testKey(t, "tag")}})
	a1 := createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "one")), BlockIDs: []string{b.ID}})
	a2 := createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "two")), BlockIDs: []string{b.ID}})

	got, err := c.Blocks.ListAgents(ctx, b.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{a2.ID, a1.ID}, agentIDs(got), "newest first")
	assert.Empty(t, got[0].Tags, "no relationships without include")

	got, err = c.Blocks.ListAgents(ctx, b.ID, &letta.BlockAgentListParams{Order: letta.OrderAsc, Limit: 1,
		Include: []letta.AgentInclude{letta.IncludeAgentBlocks}})
	require.NoError(t, err)
	require.Equal(t, []string{a1.ID}, agentIDs(got))
	assert.Contains(t, blockIDs(got[0].Blocks), b.ID)

	start := rec.log.Len()
	all := collect(t, c.Blocks.ListAgentsAll(ctx, b.ID, &letta.BlockAgentListParams{Limit: 1}))
	assert.Equal(t, []string{a2.ID, a1.ID}, agentIDs(all))
	assert.Equal(t, 3, listPages(t, rec.log.Since(start), "/v1/blocks/"+b.ID+"/agents", "1"))

	// Despite its docstring, the server answers an unknown block with [],
	// not 404.
	none, err := c.Blocks.ListAgents(ctx, "block-00000000-0000-4000-8000-999999999999", nil)
	require.NoError(t, err)
	assert.Empty(t, none)
}

func TestCassetteBlocksIdentities(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	id := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_1"), Name: "Caren", IdentityType: letta.IdentityTypeUser,
	})
	b := createBlock(t, c, &letta.BlockCreateParams{Label: "profile", Value: "Caren, 31.", Tags: []string{testKey(t, "tag")}})

	got, err := c.Blocks.AttachIdentity(ctx, b.ID, id.ID)
	require.NoError(t, err)
	assert.Equal(t, b.ID, got.ID)
	assert.Equal(t, "Caren, 31.", got.Value)
	// Attaching twice is a no-op.
	_, err = c.Blocks.AttachIdentity(ctx, b.ID, id.ID)
	require.NoError(t, err)

	blocks, err := c.Identities.ListBlocks(ctx, id.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{b.ID}, blockIDs(blocks))
	listed, err := c.Blocks.List(ctx, &letta.BlockListParams{IdentityID: id.ID})
	require.NoError(t, err)
	assert.Equal(t, []string{b.ID}, blockIDs(listed))
	listed, err = c.Blocks.List(ctx, &letta.BlockListParams{IdentifierKeys: []string{id.IdentifierKey, "nobody"}})
	require.NoError(t, err)
	assert.Equal(t, []string{b.ID}, blockIDs(listed))

	got, err = c.Blocks.DetachIdentity(ctx, b.ID, id.ID)
	require.NoError(t, err)
	assert.Equal(t, b.ID, got.ID)
	blocks, err = c.Identities.ListBlocks(ctx, id.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, blocks)

	_, err = c.Blocks.AttachIdentity(ctx, b.ID, "identity-00000000-0000-4000-8000-999999999999")
	assert.ErrorIs(t, err, letta.ErrNotFound)
}

func TestCassetteAgentsCoreMemoryGetUpdate(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	agent := createAgent(t, c, &letta.AgentCreateParams{
		Name: letta.Ptr(testKey(t, "agent")),
		MemoryBlocks: []letta.CreateBlock{
			{Label: "human", Value: "The user's name is Caren."},
			{Label: "persona", Value: "I am a helpful assistant."},
		},
	})
	deleteBlocksAtEnd(t, c, agent)

	human, err := c.Agents.GetBlock(ctx, agent.ID, "human")
	require.NoError(t, err)
	assert.Equal(t, "human", human.GetLabel())
	assert.Equal(t, "The user's name is Caren.", human.Value)

	up, err := c.Agents.UpdateBlock(ctx, agent.ID, "human", &letta.BlockUpdateParams{Value: letta.Ptr("The user's name is Caren. She likes jazz.")})
	require.NoError(t, err)
	assert.Equal(t, human.ID, up.ID)
	assert.Equal(t, "The user's name is Caren. She likes jazz.", up.Value)
	assert.Equal(t, human.Limit, up.Limit, "unchanged")

	// The same block, seen through the blocks routes.
	got, err := c.Blocks.Get(ctx, human.ID)
	require.NoError(t, err)
	assert.Equal(t, up.Value, got.Value)

	// A nil params changes nothing.
	same, err := c.Agents.UpdateBlock(ctx, agent.ID, "human", nil)
	require.NoError(t, err)
	assert.Equal(t, up.Value, same.Value)

	_, err = c.Agents.GetBlock(ctx, agent.ID, "nope")
	assert.ErrorIs(t, err, letta.ErrNotFound)
	// A label that names another route is still a label.
	_, err = c.Agents.GetBlock(ctx, agent.ID, "attach")
	assert.ErrorIs(t, err, letta.ErrNotFound)
	_, err = c.Agents.UpdateBlock(ctx, agent.ID, "nope", &letta.BlockUpdateParams{Value: letta.Ptr("x")})
	assert.ErrorIs(t, err, letta.ErrNotFound)
}

func TestCassetteAgentsCoreMemoryList(t *testing.T) {
	// One block: the server sorts an agent's blocks by their random ids,
	// so with several the order would differ between recordings (and the
	// stable ids, numbered by first appearance, could not hide it). The
	// order and its cursors are tested with httptest.
	rec := newRecording(t)
	c := rec.client
	ctx := t.Context()
	agent := createAgent(t, c, &letta.AgentCreateParams{
		Name:         letta.Ptr(testKey(t, "agent")),
		MemoryBlocks: []letta.CreateBlock{{Label: "human", Value: "The user's name is Caren."}},
	})
	deleteBlocksAtEnd(t, c, agent)
	require.Len(t, agent.Memory.Blocks, 1)
	id := agent.Memory.Blocks[0].ID

	got, err := c.Agents.ListBlocks(ctx, agent.ID, nil)
	require.NoError(t, err)
	require.Equal(t, []string{id}, blockIDs(got))
	assert.Equal(t, "human", got[0].GetLabel())
	assert.Equal(t, "The user's name is Caren.", got[0].Value)

	got, err = c.Agents.ListBlocks(ctx, agent.ID, &letta.AgentBlockListParams{Order: letta.OrderAsc, Limit: 1, OrderBy: letta.BlockOrderByCreatedAt})
	require.NoError(t, err)
	assert.Equal(t, []string{id}, blockIDs(got))
	got, err = c.Agents.ListBlocks(ctx, agent.ID, &letta.AgentBlockListParams{After: id})
	require.NoError(t, err)
	assert.Empty(t, got)

	start := rec.log.Len()
	all := collect(t, c.Agents.ListBlocksAll(ctx, agent.ID, &letta.AgentBlockListParams{Limit: 1}))
	assert.Equal(t, []string{id}, blockIDs(all))
	assert.Equal(t, 2, listPages(t, rec.log.Since(start), "/v1/agents/"+agent.ID+"/core-memory/blocks", "1"))

	_, err = c.Agents.ListBlocks(ctx, "agent-00000000-0000-4000-8000-999999999999", nil)
	assert.ErrorIs(t, err, letta.ErrNotFound)
}

func TestCassetteAgentsCoreMemoryAttachDetach(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	// No memory blocks of its own: an agent's blocks list in the order of
	// their random ids (see TestCassetteAgentsCoreMemoryList).
	agent := createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "agent"))})
	require.Empty(t, agent.Memory.Blocks)
	b := createBlock(t, c, &letta.BlockCreateParams{Label: "team", Value: "Team blue.", Tags: []string{testKey(t, "tag")}})

	a, err := c.Agents.AttachBlock(ctx, agent.ID, b.ID)
	require.NoError(t, err)
	assert.Equal(t, agent.ID, a.ID)
	assert.Equal(t, []string{b.ID}, blockIDs(a.Memory.Blocks))
	// Attaching twice is a no-op.
	a, err = c.Agents.AttachBlock(ctx, agent.ID, b.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{b.ID}, blockIDs(a.Memory.Blocks))

	team, err := c.Agents.GetBlock(ctx, agent.ID, "team")
	require.NoError(t, err)
	assert.Equal(t, b.ID, team.ID)
	listed, err := c.Agents.ListBlocks(ctx, agent.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{b.ID}, blockIDs(listed))

	a, err = c.Agents.DetachBlock(ctx, agent.ID, b.ID)
	require.NoError(t, err)
	assert.Empty(t, a.Memory.Blocks)
	_, err = c.Agents.GetBlock(ctx, agent.ID, "team")
	assert.ErrorIs(t, err, letta.ErrNotFound)
	// The block itself is kept.
	_, err = c.Blocks.Get(ctx, b.ID)
	require.NoError(t, err)

	_, err = c.Agents.AttachBlock(ctx, agent.ID, "block-00000000-0000-4000-8000-999999999999")
	assert.ErrorIs(t, err, letta.ErrNotFound)
}

// TestCassetteAgentsCoreMemorySharedByIdentity is the README's "Memory
// blocks" story: one block per user, tied to the user's identity and
// attached to each of the user's agents; what one agent's memory edit
// writes, the others read.
func TestCassetteAgentsCoreMemorySharedByIdentity(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	user := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_1"), Name: "Caren", IdentityType: letta.IdentityTypeUser,
	})
	profile := createBlock(t, c, &letta.BlockCreateParams{Label: "user_profile", Value: "Name: Caren.",
		Description: letta.Ptr("What every agent knows about this user.")})
	_, err := c.Blocks.AttachIdentity(ctx, profile.ID, user.ID)
	require.NoError(t, err)

	var agents []*letta.AgentState
	for _, name := range []string{"support", "coach"} {
		agents = append(agents, createAgent(t, c, &letta.AgentCreateParams{
			Name: letta.Ptr(testKey(t, name)), IdentityIDs: []string{user.ID}, BlockIDs: []string{profile.ID},
		}))
	}

	_, err = c.Agents.UpdateBlock(ctx, agents[0].ID, "user_profile", &letta.BlockUpdateParams{Value: letta.Ptr("Name: Caren. Likes jazz.")})
	require.NoError(t, err)
	seen, err := c.Agents.GetBlock(ctx, agents[1].ID, "user_profile")
	require.NoError(t, err)
	assert.Equal(t, profile.ID, seen.ID)
	assert.Equal(t, "Name: Caren. Likes jazz.", seen.Value)

	users, err := c.Blocks.ListAgents(ctx, profile.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{agents[1].ID, agents[0].ID}, agentIDs(users))
	mine, err := c.Identities.ListBlocks(ctx, user.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{profile.ID}, blockIDs(mine))

	raw, err := json.Marshal(seen)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"label":"user_profile"`)
}
