//go:build letta_live

package letta

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func propsByKey(t *testing.T, props []IdentityProperty) map[string]string {
	t.Helper()
	out := make(map[string]string, len(props))
	for _, p := range props {
		out[p.Key] = string(p.Type) + ":" + string(p.Value)
	}
	return out
}

func TestLiveIdentityCreateGetDelete(t *testing.T) {
	c := liveClient(t)
	key := liveName(t, "k")
	props := []IdentityProperty{
		StringProperty("plan", "pro"), IntProperty("seats", 3), NumberProperty("ratio", 0.5),
		BoolProperty("beta", true), JSONProperty("prefs", []byte(`{"tz":"UTC"}`)),
	}
	created, err := c.Identities.Create(t.Context(), &IdentityCreateParams{
		IdentifierKey: key, Name: "Caren", IdentityType: IdentityTypeUser, Properties: props,
	})
	require.NoError(t, err)
	t.Cleanup(func() { deleteQuietly(t, "identity", created.ID, c.Identities.Delete) })
	assert.True(t, strings.HasPrefix(created.ID, "identity-"), created.ID)
	assert.Equal(t, key, created.IdentifierKey)
	assert.Equal(t, "Caren", created.Name)
	assert.Equal(t, IdentityTypeUser, created.IdentityType)
	assert.Nil(t, created.ProjectID)
	assert.Empty(t, created.AgentIDs)
	assert.Empty(t, created.BlockIDs)
	assert.NotNil(t, created.OrganizationID)
	require.Len(t, created.Properties, len(props))
	for i, p := range created.Properties {
		assert.Equal(t, props[i].Key, p.Key)
		assert.Equal(t, props[i].Type, p.Type)
		assert.JSONEq(t, string(props[i].Value), string(p.Value))
	}
	n, ok := created.Properties[1].IntValue()
	assert.True(t, ok)
	assert.EqualValues(t, 3, n)

	got, err := c.Identities.Get(t.Context(), created.ID)
	require.NoError(t, err)
	assert.Equal(t, created, got)

	var info ResponseInfo
	require.NoError(t, c.Identities.Delete(t.Context(), created.ID, WithResponseInfo(&info)))
	assert.Equal(t, 200, info.StatusCode)
	_, err = c.Identities.Get(t.Context(), created.ID)
	requireAPIError(t, err, 404)
	require.ErrorIs(t, err, ErrNotFound)
	err = c.Identities.Delete(t.Context(), created.ID)
	require.ErrorIs(t, err, ErrNotFound)
}

// TestLiveIdentityConflict: a duplicate identifier_key is a final 409 in one
// project; another project may reuse the key.
func TestLiveIdentityConflict(t *testing.T) {
	c := liveClient(t)
	key := liveName(t, "k")
	first := createIdentity(t, c, IdentityCreateParams{IdentifierKey: key})

	var info ResponseInfo
	_, err := c.Identities.Create(t.Context(), &IdentityCreateParams{IdentifierKey: key, Name: "again", IdentityType: IdentityTypeUser},
		WithResponseInfo(&info))
	apiErr := requireAPIError(t, err, 409)
	require.ErrorIs(t, err, ErrConflict)
	assert.Contains(t, apiErr.Detail, "unique constraint")
	assert.Equal(t, 1, info.Attempts, "a duplicate key is not retried")

	project := liveName(t, "project")
	other := createIdentity(t, c, IdentityCreateParams{IdentifierKey: key, ProjectID: Ptr(project)})
	require.NotNil(t, other.ProjectID)
	assert.Equal(t, project, *other.ProjectID)

	both, err := c.Identities.List(t.Context(), &IdentityListParams{IdentifierKey: key})
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{first.ID, other.ID}, identityIDs(both))
	inProject, err := c.Identities.List(t.Context(), &IdentityListParams{IdentifierKey: key, ProjectID: project})
	require.NoError(t, err)
	assert.Equal(t, []string{other.ID}, identityIDs(inProject))
}

// TestLiveIdentityUpsertNewKey: the server answers 404 to an upsert of a key
// it does not have, and creates nothing.
func TestLiveIdentityUpsertNewKey(t *testing.T) {
	c := liveClient(t)
	key := liveName(t, "k")
	_, err := c.Identities.Upsert(t.Context(), &IdentityUpsertParams{IdentifierKey: key, Name: "n", IdentityType: IdentityTypeUser})
	apiErr := requireAPIError(t, err, 404)
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, apiErr.Detail, "identifier_key='"+key+"'")
	got, err := c.Identities.List(t.Context(), &IdentityListParams{IdentifierKey: key})
	require.NoError(t, err)
	assert.Empty(t, got)
}

// TestLiveIdentityUpsertReplaces: PUT on an existing key overwrites the
// scalars and replaces properties and agents; nil leaves them; block_ids
// are ignored.
func TestLiveIdentityUpsertReplaces(t *testing.T) {
	c := liveClient(t)
	key := liveName(t, "k")
	a1 := createAgent(t, c, AgentCreateParams{Name: Ptr(liveName(t, "a1"))})
	a2 := createAgent(t, c, AgentCreateParams{Name: Ptr(liveName(t, "a2")),
		MemoryBlocks: []CreateBlock{{Label: "human", Value: "x"}}})
	full, err := c.Agents.Get(t.Context(), a2.ID, &AgentGetParams{Include: []AgentInclude{IncludeAgentBlocks}})
	require.NoError(t, err)
	require.NotEmpty(t, full.Blocks)

	id := createIdentity(t, c, IdentityCreateParams{IdentifierKey: key, Name: "old",
		Properties: []IdentityProperty{StringProperty("a", "1"), StringProperty("b", "2")}, AgentIDs: []string{a1.ID}})

	up, err := c.Identities.Upsert(t.Context(), &IdentityUpsertParams{IdentifierKey: key, Name: "new", IdentityType: IdentityTypeOrg,
		Properties: []IdentityProperty{StringProperty("c", "3")}, BlockIDs: []string{full.Blocks[0].ID}})
	require.NoError(t, err)
	assert.Equal(t, id.ID, up.ID)
	assert.Equal(t, "new", up.Name)
	assert.Equal(t, IdentityTypeOrg, up.IdentityType)
	assert.Equal(t, map[string]string{"c": `string:"3"`}, propsByKey(t, up.Properties))
	agents, err := c.Identities.ListAgents(t.Context(), id.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{a1.ID}, agentIDs(agents), "nil AgentIDs leaves the agents")
	blocks, err := c.Identities.ListBlocks(t.Context(), id.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, blocks, "block_ids are ignored on an existing identity")

	up, err = c.Identities.Upsert(t.Context(), &IdentityUpsertParams{IdentifierKey: key, Name: "new", IdentityType: IdentityTypeOrg,
		AgentIDs: []string{a2.ID}})
	require.NoError(t, err)
	assert.Len(t, up.Properties, 1, "nil Properties leaves them")
	agents, err = c.Identities.ListAgents(t.Context(), id.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{a2.ID}, agentIDs(agents), "AgentIDs replace")

	up, err = c.Identities.Upsert(t.Context(), &IdentityUpsertParams{IdentifierKey: key, Name: "new", IdentityType: IdentityTypeOrg,
		AgentIDs: []string{}, Properties: []IdentityProperty{}})
	require.NoError(t, err)
	assert.Empty(t, up.Properties, "[] clears the properties")
	agents, err = c.Identities.ListAgents(t.Context(), id.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, agents, "[] detaches every agent")
}

// TestLiveIdentityUpdateMerges: PATCH overwrites scalars, merges properties
// by key and appends agents and blocks.
func TestLiveIdentityUpdateMerges(t *testing.T) {
	c := liveClient(t)
	key := liveName(t, "k")
	a1 := createAgent(t, c, AgentCreateParams{Name: Ptr(liveName(t, "a1")),
		MemoryBlocks: []CreateBlock{{Label: "human", Value: "h"}, {Label: "persona", Value: "p"}}})
	a2 := createAgent(t, c, AgentCreateParams{Name: Ptr(liveName(t, "a2"))})
	full, err := c.Agents.Get(t.Context(), a1.ID, &AgentGetParams{Include: []AgentInclude{IncludeAgentBlocks}})
	require.NoError(t, err)
	require.Len(t, full.Blocks, 2)

	id := createIdentity(t, c, IdentityCreateParams{IdentifierKey: key, Name: "old",
		Properties: []IdentityProperty{StringProperty("a", "1"), StringProperty("b", "2")},
		AgentIDs:   []string{a1.ID}, BlockIDs: []string{full.Blocks[0].ID}})

	same, err := c.Identities.Update(t.Context(), id.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, id, same, "nil params changes nothing")

	newKey := key + "-renamed"
	up, err := c.Identities.Update(t.Context(), id.ID, &IdentityUpdateParams{
		IdentifierKey: Ptr(newKey), Name: Ptr("new"), IdentityType: Ptr(IdentityTypeOther),
		Properties: []IdentityProperty{StringProperty("b", "20"), BoolProperty("c", false)},
		AgentIDs:   []string{a2.ID}, BlockIDs: []string{full.Blocks[1].ID},
	})
	require.NoError(t, err)
	assert.Equal(t, newKey, up.IdentifierKey)
	assert.Equal(t, "new", up.Name)
	assert.Equal(t, IdentityTypeOther, up.IdentityType)
	assert.Equal(t, map[string]string{"a": `string:"1"`, "b": `string:"20"`, "c": "boolean:false"}, propsByKey(t, up.Properties))
	assert.Empty(t, up.AgentIDs, "the server never fills agent_ids")
	agents, err := c.Identities.ListAgents(t.Context(), id.ID, nil)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{a1.ID, a2.ID}, agentIDs(agents), "agent_ids are appended")
	blocks, err := c.Identities.ListBlocks(t.Context(), id.ID, nil)
	require.NoError(t, err)
	assert.ElementsMatch(t, blockIDs(full.Blocks), blockIDs(blocks), "block_ids are appended")

	up, err = c.Identities.Update(t.Context(), id.ID, &IdentityUpdateParams{AgentIDs: []string{}, Properties: []IdentityProperty{}})
	require.NoError(t, err)
	assert.Len(t, up.Properties, 3, "[] properties changes nothing")
	agents, err = c.Identities.ListAgents(t.Context(), id.ID, nil)
	require.NoError(t, err)
	assert.Len(t, agents, 2, "[] agent_ids changes nothing")

	byOld, err := c.Identities.List(t.Context(), &IdentityListParams{IdentifierKey: key})
	require.NoError(t, err)
	assert.Empty(t, byOld)
	byNew, err := c.Identities.List(t.Context(), &IdentityListParams{IdentifierKey: newKey})
	require.NoError(t, err)
	assert.Equal(t, []string{id.ID}, identityIDs(byNew))
}

// TestLiveIdentityUpsertProperties: PUT .../properties replaces the list.
func TestLiveIdentityUpsertProperties(t *testing.T) {
	c := liveClient(t)
	id := createIdentity(t, c, IdentityCreateParams{IdentifierKey: liveName(t, "k"),
		Properties: []IdentityProperty{StringProperty("a", "1"), StringProperty("b", "2")}})
	up, err := c.Identities.UpsertProperties(t.Context(), id.ID, []IdentityProperty{IntProperty("b", 7), StringProperty("z", "x")})
	require.NoError(t, err)
	assert.Equal(t, id.ID, up.ID)
	assert.Equal(t, map[string]string{"b": "number:7", "z": `string:"x"`}, propsByKey(t, up.Properties))
	got, err := c.Identities.Get(t.Context(), id.ID)
	require.NoError(t, err)
	assert.Equal(t, up.Properties, got.Properties)
	up, err = c.Identities.UpsertProperties(t.Context(), id.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, up.Properties, "nil clears the list")
}

// TestLiveIdentityCount: the count is of every identity of the
// organisation, so other clients of the server can move it; it is measured
// around three creations and deletions until one attempt sees no one
// else's changes. It runs before the parallel live tests, not among them.
func TestLiveIdentityCount(t *testing.T) {
	c := liveClientSerial(t)
	var lastErr string
	for attempt := range 8 {
		c0, err := c.Identities.Count(t.Context())
		require.NoError(t, err)
		var made []string
		for i := range 3 {
			id := createIdentity(t, c, IdentityCreateParams{IdentifierKey: liveName(t, string(rune('a'+attempt)), string(rune('0'+i)))})
			made = append(made, id.ID)
		}
		c1, err := c.Identities.Count(t.Context())
		require.NoError(t, err)
		require.GreaterOrEqual(t, c1, 3)
		for _, id := range made {
			require.NoError(t, c.Identities.Delete(t.Context(), id))
		}
		c2, err := c.Identities.Count(t.Context())
		require.NoError(t, err)
		if c1-c0 == 3 && c1-c2 == 3 {
			return
		}
		lastErr = "counts " + strings.Join([]string{strconv.Itoa(c0), strconv.Itoa(c1), strconv.Itoa(c2)}, ", ")
	}
	t.Fatalf("Count never moved by exactly the three identities created and deleted (last: %s)", lastErr)
}

// TestLiveIdentityListFilters: every query parameter of IdentityListParams
// against identities only this test made (their names share its prefix).
func TestLiveIdentityListFilters(t *testing.T) {
	c := liveClient(t)
	prefix := liveName(t)
	project := liveName(t, "project")
	mk := func(suffix string, typ IdentityType, project *string) *Identity {
		return createIdentity(t, c, IdentityCreateParams{IdentifierKey: prefix + "-" + suffix, Name: prefix + "-" + suffix,
			IdentityType: typ, ProjectID: project})
	}
	u1 := mk("alpha", IdentityTypeUser, nil)
	o1 := mk("beta", IdentityTypeOrg, nil)
	x1 := mk("gamma", IdentityTypeOther, Ptr(project))
	u2 := mk("alphabet", IdentityTypeUser, Ptr(project))
	newestFirst := []string{u2.ID, x1.ID, o1.ID, u1.ID}

	list := func(p IdentityListParams) []string {
		t.Helper()
		got, err := c.Identities.List(t.Context(), &p)
		require.NoError(t, err)
		return identityIDs(got)
	}
	assert.Equal(t, newestFirst, list(IdentityListParams{Name: prefix}), "name is a substring filter, newest first")
	assert.Equal(t, newestFirst, list(IdentityListParams{Name: strings.ToUpper(prefix)}), "case-insensitive")
	assert.Equal(t, []string{u2.ID, u1.ID}, list(IdentityListParams{Name: prefix + "-ALPHA"}))
	assert.Equal(t, []string{u1.ID}, list(IdentityListParams{IdentifierKey: prefix + "-alpha"}), "identifier_key is exact")
	assert.Equal(t, []string{u2.ID, u1.ID}, list(IdentityListParams{Name: prefix, IdentityType: IdentityTypeUser}))
	assert.Equal(t, []string{o1.ID}, list(IdentityListParams{Name: prefix, IdentityType: IdentityTypeOrg}))
	assert.Equal(t, []string{x1.ID}, list(IdentityListParams{Name: prefix, IdentityType: IdentityTypeOther}))
	assert.Equal(t, []string{u2.ID, x1.ID}, list(IdentityListParams{Name: prefix, ProjectID: project}))
	assert.Equal(t, newestFirst, list(IdentityListParams{Name: prefix, Order: OrderDesc, OrderBy: IdentityOrderByCreatedAt}))
	assert.Equal(t, reversed(newestFirst), list(IdentityListParams{Name: prefix, Order: OrderAsc}))
	assert.Equal(t, newestFirst[1:3], list(IdentityListParams{Name: prefix, After: u2.ID, Limit: 2}))
	assert.Equal(t, newestFirst[:2], list(IdentityListParams{Name: prefix, Before: o1.ID, Limit: 3}), "before alone")
	assert.Empty(t, list(IdentityListParams{Name: prefix + "-nothing"}))
}

// TestLiveIdentityAgentsAndBlocks: the identity's sub-lists, with include.
func TestLiveIdentityAgentsAndBlocks(t *testing.T) {
	c := liveClient(t)
	id := createIdentity(t, c, IdentityCreateParams{IdentifierKey: liveName(t, "k")})
	tag := liveName(t, "tag")
	var agents []string
	for i := range 3 {
		a := createAgent(t, c, AgentCreateParams{Name: Ptr(liveName(t, "a", strconv.Itoa(i))), Tags: []string{tag},
			IdentityIDs: []string{id.ID}, MemoryBlocks: []CreateBlock{{Label: "human", Value: "v" + strconv.Itoa(i)}}})
		agents = append(agents, a.ID)
	}
	newestFirst := reversed(agents)

	got, err := c.Identities.ListAgents(t.Context(), id.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, newestFirst, agentIDs(got))
	for _, a := range got {
		assert.Empty(t, a.Tags, "no relationships without include")
		assert.Empty(t, a.Blocks)
	}
	got, err = c.Identities.ListAgents(t.Context(), id.ID, &IdentityAgentListParams{
		Include: []AgentInclude{IncludeAgentTags, IncludeAgentBlocks, IncludeAgentIdentities}, Order: OrderAsc})
	require.NoError(t, err)
	assert.Equal(t, agents, agentIDs(got))
	var blocks []string
	for _, a := range got {
		assert.Equal(t, []string{tag}, a.Tags)
		require.Len(t, a.Blocks, 1)
		blocks = append(blocks, a.Blocks[0].ID)
		require.Len(t, a.Identities, 1)
		assert.Equal(t, id.ID, a.Identities[0].ID)
	}
	var walked []string
	for a, err := range c.Identities.ListAgentsAll(t.Context(), id.ID, &IdentityAgentListParams{Limit: 1}) {
		require.NoError(t, err)
		walked = append(walked, a.ID)
	}
	assert.Equal(t, newestFirst, walked)

	_, err = c.Identities.Update(t.Context(), id.ID, &IdentityUpdateParams{BlockIDs: blocks})
	require.NoError(t, err)
	bl, err := c.Identities.ListBlocks(t.Context(), id.ID, &IdentityBlockListParams{Order: OrderAsc})
	require.NoError(t, err)
	assert.Equal(t, blocks, blockIDs(bl))
	for i, b := range bl {
		assert.Equal(t, "v"+strconv.Itoa(i), b.Value)
	}
	var walkedBlocks []string
	for b, err := range c.Identities.ListBlocksAll(t.Context(), id.ID, &IdentityBlockListParams{Limit: 2}) {
		require.NoError(t, err)
		walkedBlocks = append(walkedBlocks, b.ID)
	}
	assert.Equal(t, reversed(blocks), walkedBlocks)
}
