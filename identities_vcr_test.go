package letta_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta"
)

// Cassette tests for every IdentitiesService method. Each test creates what
// it needs (identifier keys unique to the test), asserts on ids the server
// returned, and deletes what it created; counts are compared as deltas so
// the tests also hold when recorded against a server with other data.

func TestCassetteIdentitiesCreate(t *testing.T) {
	c := newRecordedClient(t)
	key := testKey(t, "user_1")

	id := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: key,
		Name:          "Caren",
		IdentityType:  letta.IdentityTypeUser,
		Properties: []letta.IdentityProperty{
			letta.StringProperty("plan", "pro"),
			letta.IntProperty("age", 31),
			letta.BoolProperty("beta", true),
			letta.JSONProperty("prefs", json.RawMessage(`{"theme":"dark"}`)),
		},
	})

	assert.True(t, strings.HasPrefix(id.ID, "identity-"), "id %q", id.ID)
	assert.Equal(t, key, id.IdentifierKey)
	assert.Equal(t, "Caren", id.Name)
	assert.Equal(t, letta.IdentityTypeUser, id.IdentityType)
	assert.Nil(t, id.ProjectID)
	assert.Equal(t, map[string]string{
		"plan":  `string="pro"`,
		"age":   `number=31`,
		"beta":  `boolean=true`,
		"prefs": `json={"theme":"dark"}`,
	}, propertyMap(t, id.Properties))

	// The typed accessors read the values the server echoed.
	byKey := map[string]letta.IdentityProperty{}
	for _, p := range id.Properties {
		byKey[p.Key] = p
	}
	plan, ok := byKey["plan"].StringValue()
	assert.True(t, ok)
	assert.Equal(t, "pro", plan)
	age, ok := byKey["age"].IntValue()
	assert.True(t, ok)
	assert.Equal(t, int64(31), age)
	beta, ok := byKey["beta"].BoolValue()
	assert.True(t, ok)
	assert.True(t, beta)
	var prefs struct{ Theme string }
	require.NoError(t, byKey["prefs"].DecodeValue(&prefs))
	assert.Equal(t, "dark", prefs.Theme)

	// It was stored, not just echoed.
	got, err := c.Identities.List(t.Context(), &letta.IdentityListParams{IdentifierKey: key})
	require.NoError(t, err)
	assert.Equal(t, []string{id.ID}, identityIDs(got))
}

func TestCassetteIdentitiesList(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	prefix := testKey(t, "")

	alice := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: prefix + "alice", Name: prefix + "Alice", IdentityType: letta.IdentityTypeUser,
	})
	bob := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: prefix + "bob", Name: prefix + "Bob", IdentityType: letta.IdentityTypeUser,
	})
	acme := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: prefix + "acme", Name: prefix + "Acme", IdentityType: letta.IdentityTypeOrg,
	})

	tests := []struct {
		name   string
		params *letta.IdentityListParams
		want   []string // in order
	}{
		// Name is a case-insensitive substring filter; the default order is
		// newest first.
		{"name substring, newest first", &letta.IdentityListParams{Name: strings.ToUpper(prefix)},
			[]string{acme.ID, bob.ID, alice.ID}},
		{"identifier key", &letta.IdentityListParams{IdentifierKey: prefix + "bob"}, []string{bob.ID}},
		{"identity type", &letta.IdentityListParams{Name: prefix, IdentityType: letta.IdentityTypeOrg}, []string{acme.ID}},
		{"ascending, first page", &letta.IdentityListParams{Name: prefix, Order: letta.OrderAsc, Limit: 2},
			[]string{alice.ID, bob.ID}},
		{"ascending, after cursor", &letta.IdentityListParams{Name: prefix, Order: letta.OrderAsc, Limit: 2, After: bob.ID},
			[]string{acme.ID}},
		{"descending, before cursor", &letta.IdentityListParams{Name: prefix, Before: alice.ID},
			[]string{acme.ID, bob.ID}},
		{"no match", &letta.IdentityListParams{IdentifierKey: prefix + "nobody"}, []string{}},
	}
	for _, tt := range tests {
		got, err := c.Identities.List(ctx, tt.params)
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.want, identityIDs(got), tt.name)
	}

	// Every listed identity carries its fields, not just an id.
	got, err := c.Identities.List(ctx, &letta.IdentityListParams{IdentifierKey: prefix + "alice"})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, prefix+"Alice", got[0].Name)
	assert.Equal(t, letta.IdentityTypeUser, got[0].IdentityType)
}

func TestCassetteIdentitiesListAll(t *testing.T) {
	rec := newRecording(t)
	c := rec.client
	prefix := testKey(t, "")

	var created []string
	for _, n := range []string{"u1", "u2", "u3", "u4", "u5"} {
		id := createIdentity(t, c, &letta.IdentityCreateParams{
			IdentifierKey: prefix + n, Name: prefix + n, IdentityType: letta.IdentityTypeUser,
		})
		created = append(created, id.ID)
	}

	start := rec.log.Len()
	got := collect(t, c.Identities.ListAll(t.Context(), &letta.IdentityListParams{
		Name: prefix, Order: letta.OrderAsc, Limit: 2,
	}))
	// Every identity exactly once, in creation order, across pages of two.
	assert.Equal(t, created, identityIDs(got))
	pages := listPages(t, rec.log.Since(start), "/v1/identities/", "2")
	assert.GreaterOrEqual(t, pages, 3, "five identities in pages of two")
}

func TestCassetteIdentitiesGet(t *testing.T) {
	c := newRecordedClient(t)
	key := testKey(t, "user_1")
	created := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: key, Name: "Caren", IdentityType: letta.IdentityTypeOther,
		Properties: []letta.IdentityProperty{letta.StringProperty("team", "blue")},
	})

	got, err := c.Identities.Get(t.Context(), created.ID)
	require.NoError(t, err)
	assert.Equal(t, created.ID, got.ID)
	assert.Equal(t, key, got.IdentifierKey)
	assert.Equal(t, "Caren", got.Name)
	assert.Equal(t, letta.IdentityTypeOther, got.IdentityType)
	assert.Equal(t, map[string]string{"team": `string="blue"`}, propertyMap(t, got.Properties))
	assert.Equal(t, created.OrganizationID, got.OrganizationID)
}

// GetByKey finds an identity by its identifier key, answers ErrNotFound
// for a key nobody has, and completes the create-or-get recipe.
func TestCassetteIdentitiesGetByKey(t *testing.T) {
	c := newRecordedClient(t)
	key := testKey(t, "user_1")
	params := &letta.IdentityCreateParams{IdentifierKey: key, Name: "Caren", IdentityType: letta.IdentityTypeUser}
	created := createIdentity(t, c, params)

	got, err := c.Identities.GetByKey(t.Context(), key)
	require.NoError(t, err)
	assert.Equal(t, created.ID, got.ID)
	assert.Equal(t, key, got.IdentifierKey)
	assert.Equal(t, "Caren", got.Name)

	_, err = c.Identities.GetByKey(t.Context(), testKey(t, "nobody"))
	assert.ErrorIs(t, err, letta.ErrNotFound)

	// Create or get: the second Create is a 409, and GetByKey finds the one
	// the first created.
	_, err = c.Identities.Create(t.Context(), params)
	require.ErrorIs(t, err, letta.ErrConflict)
	again, err := c.Identities.GetByKey(t.Context(), params.IdentifierKey)
	require.NoError(t, err)
	assert.Equal(t, created.ID, again.ID)
}

func TestCassetteIdentitiesUpdate(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	key := testKey(t, "user_1")
	id := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: key, Name: "Caren", IdentityType: letta.IdentityTypeUser,
		Properties: []letta.IdentityProperty{
			letta.IntProperty("a", 1),
			letta.StringProperty("b", "x"),
		},
	})
	first := createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "first"))})
	second := createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "second"))})

	// Scalars overwrite; properties merge by key: b changes, c is added, a
	// is kept.
	updated, err := c.Identities.Update(ctx, id.ID, &letta.IdentityUpdateParams{
		Name:       letta.Ptr("Caren B."),
		Properties: []letta.IdentityProperty{letta.StringProperty("b", "y"), letta.BoolProperty("c", true)},
	})
	require.NoError(t, err)
	assert.Equal(t, id.ID, updated.ID)
	assert.Equal(t, "Caren B.", updated.Name)
	assert.Equal(t, key, updated.IdentifierKey, "unset fields are unchanged")
	assert.Equal(t, letta.IdentityTypeUser, updated.IdentityType, "unset fields are unchanged")
	assert.Equal(t, map[string]string{"a": "number=1", "b": `string="y"`, "c": "boolean=true"},
		propertyMap(t, updated.Properties))

	listAgents := func() []string {
		t.Helper()
		agents, err := c.Identities.ListAgents(ctx, id.ID, &letta.IdentityAgentListParams{Order: letta.OrderAsc})
		require.NoError(t, err)
		return agentIDs(agents)
	}

	// agent_ids append: the second PATCH adds to the first, [] removes
	// nothing.
	_, err = c.Identities.Update(ctx, id.ID, &letta.IdentityUpdateParams{AgentIDs: []string{first.ID}})
	require.NoError(t, err)
	assert.Equal(t, []string{first.ID}, listAgents())
	_, err = c.Identities.Update(ctx, id.ID, &letta.IdentityUpdateParams{AgentIDs: []string{second.ID}})
	require.NoError(t, err)
	assert.Equal(t, []string{first.ID, second.ID}, listAgents())
	_, err = c.Identities.Update(ctx, id.ID, &letta.IdentityUpdateParams{AgentIDs: []string{}})
	require.NoError(t, err)
	assert.Equal(t, []string{first.ID, second.ID}, listAgents())

	// A nil params sends {} and changes nothing; the type can be changed
	// on its own.
	same, err := c.Identities.Update(ctx, id.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, "Caren B.", same.Name)
	assert.Len(t, same.Properties, 3)
	other, err := c.Identities.Update(ctx, id.ID, &letta.IdentityUpdateParams{IdentityType: letta.Ptr(letta.IdentityTypeOther)})
	require.NoError(t, err)
	assert.Equal(t, letta.IdentityTypeOther, other.IdentityType)
	assert.Equal(t, "Caren B.", other.Name)
}

func TestCassetteIdentitiesUpsert(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	key := testKey(t, "user_1")
	existing := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: key, Name: "Caren", IdentityType: letta.IdentityTypeUser,
		Properties: []letta.IdentityProperty{letta.IntProperty("a", 1), letta.IntProperty("b", 2)},
	})
	agent := createAgent(t, c, &letta.AgentCreateParams{
		Name: letta.Ptr(testKey(t, "agent")), IdentityIDs: []string{existing.ID},
	})

	listAgents := func(identityID string) []string {
		t.Helper()
		agents, err := c.Identities.ListAgents(ctx, identityID, nil)
		require.NoError(t, err)
		return agentIDs(agents)
	}

	// Existing key: same identity, scalars overwritten, properties replaced
	// (a and b are gone), agents untouched because AgentIDs is nil.
	got, err := c.Identities.Upsert(ctx, &letta.IdentityUpsertParams{
		IdentifierKey: key, Name: "Caren Org", IdentityType: letta.IdentityTypeOrg,
		Properties: []letta.IdentityProperty{letta.StringProperty("c", "new")},
	})
	require.NoError(t, err)
	assert.Equal(t, existing.ID, got.ID)
	assert.Equal(t, "Caren Org", got.Name)
	assert.Equal(t, letta.IdentityTypeOrg, got.IdentityType)
	assert.Equal(t, map[string]string{"c": `string="new"`}, propertyMap(t, got.Properties))
	assert.Equal(t, []string{agent.ID}, listAgents(existing.ID))

	// AgentIDs [] replaces the agent set with nothing; nil properties keep
	// the list.
	got, err = c.Identities.Upsert(ctx, &letta.IdentityUpsertParams{
		IdentifierKey: key, Name: "Caren Org", IdentityType: letta.IdentityTypeOrg, AgentIDs: []string{},
	})
	require.NoError(t, err)
	assert.Equal(t, existing.ID, got.ID)
	assert.Empty(t, listAgents(existing.ID))
	assert.Equal(t, map[string]string{"c": `string="new"`}, propertyMap(t, got.Properties))

	// New key: the server creates nothing and answers 404 (letta 0.16.8
	// looks the key up and fails; it does not insert).
	newKey := testKey(t, "user_2")
	_, err = c.Identities.Upsert(ctx, &letta.IdentityUpsertParams{
		IdentifierKey: newKey, Name: "Dana", IdentityType: letta.IdentityTypeUser,
	})
	assertAPIError(t, err, letta.ErrNotFound, 404)
	none, err := c.Identities.List(ctx, &letta.IdentityListParams{IdentifierKey: newKey})
	require.NoError(t, err)
	assert.Empty(t, none, "nothing was created")
}

func TestCassetteIdentitiesDelete(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	id := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_1"), Name: "Caren", IdentityType: letta.IdentityTypeUser,
	})
	agent := createAgent(t, c, &letta.AgentCreateParams{
		Name: letta.Ptr(testKey(t, "agent")), IdentityIDs: []string{id.ID},
	})

	require.NoError(t, c.Identities.Delete(ctx, id.ID))

	_, err := c.Identities.Get(ctx, id.ID)
	assert.ErrorIs(t, err, letta.ErrNotFound)
	assert.ErrorIs(t, c.Identities.Delete(ctx, id.ID), letta.ErrNotFound, "a second delete finds nothing")

	// The agent survives, detached.
	got, err := c.Agents.Get(ctx, agent.ID, &letta.AgentGetParams{Include: []letta.AgentInclude{letta.IncludeAgentIdentities}})
	require.NoError(t, err)
	assert.Equal(t, agent.ID, got.ID)
	assert.Empty(t, got.Identities)
}

func TestCassetteIdentitiesCount(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	before, err := c.Identities.Count(ctx)
	require.NoError(t, err)

	first := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "a"), Name: "A", IdentityType: letta.IdentityTypeUser,
	})
	createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "b"), Name: "B", IdentityType: letta.IdentityTypeOrg,
	})
	n, err := c.Identities.Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, before+2, n)

	require.NoError(t, c.Identities.Delete(ctx, first.ID))
	n, err = c.Identities.Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, before+1, n)
}

func TestCassetteIdentitiesUpsertProperties(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	id := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_1"), Name: "Caren", IdentityType: letta.IdentityTypeUser,
		Properties: []letta.IdentityProperty{letta.IntProperty("a", 1), letta.StringProperty("b", "x")},
	})

	// The whole list is replaced: a is removed, b overwritten, c added.
	got, err := c.Identities.UpsertProperties(ctx, id.ID, []letta.IdentityProperty{
		letta.StringProperty("b", "y"),
		letta.NumberProperty("c", 2.5),
	})
	require.NoError(t, err)
	assert.Equal(t, id.ID, got.ID)
	assert.Equal(t, map[string]string{"b": `string="y"`, "c": "number=2.5"}, propertyMap(t, got.Properties))

	fetched, err := c.Identities.Get(ctx, id.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"b": `string="y"`, "c": "number=2.5"}, propertyMap(t, fetched.Properties))

	// nil is sent as [] and clears the list.
	cleared, err := c.Identities.UpsertProperties(ctx, id.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, cleared.Properties)
	assert.Equal(t, "Caren", cleared.Name)
}

func TestCassetteIdentitiesListAgents(t *testing.T) {
	rec := newRecording(t)
	c := rec.client
	ctx := t.Context()
	id := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_1"), Name: "Caren", IdentityType: letta.IdentityTypeUser,
	})
	tag := testKey(t, "tag")
	var mine []string
	for _, n := range []string{"a1", "a2", "a3"} {
		a := createAgent(t, c, &letta.AgentCreateParams{
			Name: letta.Ptr(testKey(t, n)), IdentityIDs: []string{id.ID}, Tags: []string{tag},
		})
		mine = append(mine, a.ID)
	}
	createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "someone-else"))})

	// Default order is newest first; relationships are not loaded.
	got, err := c.Identities.ListAgents(ctx, id.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{mine[2], mine[1], mine[0]}, agentIDs(got))
	for _, a := range got {
		assert.Empty(t, a.Tags, "tags are loaded only on request")
	}

	// Include loads them; paging and order are honoured.
	got, err = c.Identities.ListAgents(ctx, id.ID, &letta.IdentityAgentListParams{
		Order: letta.OrderAsc, Limit: 2, Include: []letta.AgentInclude{letta.IncludeAgentTags},
	})
	require.NoError(t, err)
	assert.Equal(t, mine[:2], agentIDs(got))
	for _, a := range got {
		assert.Equal(t, []string{tag}, a.Tags)
	}
	got, err = c.Identities.ListAgents(ctx, id.ID, &letta.IdentityAgentListParams{Order: letta.OrderAsc, After: mine[1]})
	require.NoError(t, err)
	assert.Equal(t, mine[2:], agentIDs(got))

	// The iterator walks every page.
	start := rec.log.Len()
	all := collect(t, c.Identities.ListAgentsAll(ctx, id.ID, &letta.IdentityAgentListParams{Order: letta.OrderAsc, Limit: 2}))
	assert.Equal(t, mine, agentIDs(all))
	assert.GreaterOrEqual(t, listPages(t, rec.log.Since(start), "/v1/identities/"+id.ID+"/agents", "2"), 2)
}

func TestCassetteIdentitiesListBlocks(t *testing.T) {
	rec := newRecording(t)
	c := rec.client
	ctx := t.Context()
	// One block per agent, so that each block has its own created_at.
	// Blocks made by one request share it, and letta 0.16.8 then orders
	// them by their random ids; in its default descending order its after
	// cursor also skips the rest of such a tie (it compares id > cursor
	// whatever the order), so a walk would lose blocks.
	values := map[string]string{"human": "The user's name is Caren.", "persona": "I am a helpful assistant."}
	var ids []string // in creation order
	labels := map[string]string{}
	for _, label := range []string{"human", "persona"} {
		agent := createAgent(t, c, &letta.AgentCreateParams{
			Name:         letta.Ptr(testKey(t, label)),
			MemoryBlocks: []letta.CreateBlock{{Label: label, Value: values[label]}},
		})
		require.Len(t, agent.Memory.Blocks, 1, "create returns the agent's memory block")
		b := agent.Memory.Blocks[0]
		require.NotNil(t, b.Label)
		labels[b.ID] = *b.Label
		ids = append(ids, b.ID)
	}

	id := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_1"), Name: "Caren", IdentityType: letta.IdentityTypeUser,
		BlockIDs: ids, //nolint:staticcheck // the only way to attach blocks to an identity here
	})

	// Newest first by default.
	got, err := c.Identities.ListBlocks(ctx, id.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{ids[1], ids[0]}, blockIDs(got))
	for _, b := range got {
		require.NotNil(t, b.Label)
		assert.Equal(t, labels[b.ID], *b.Label)
		assert.Equal(t, values[*b.Label], b.Value)
	}

	page, err := c.Identities.ListBlocks(ctx, id.ID, &letta.IdentityBlockListParams{Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, []string{ids[1]}, blockIDs(page))
	page, err = c.Identities.ListBlocks(ctx, id.ID, &letta.IdentityBlockListParams{Order: letta.OrderAsc, Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, []string{ids[0]}, blockIDs(page))

	start := rec.log.Len()
	all := collect(t, c.Identities.ListBlocksAll(ctx, id.ID, &letta.IdentityBlockListParams{Limit: 1}))
	assert.Equal(t, []string{ids[1], ids[0]}, blockIDs(all))
	assert.GreaterOrEqual(t, listPages(t, rec.log.Since(start), "/v1/identities/"+id.ID+"/blocks", "1"), 2)
}
