package letta_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta"
)

// Cassette tests for every AgentsService method, the error paths that go
// through the server, and the multi-user guide's flow. Filters are checked
// against tags and identifier keys unique to each test, so they hold on a
// server with other agents too.

func TestCassetteAgentsCreate(t *testing.T) {
	c := newRecordedClient(t)
	identity := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_1"), Name: "Caren", IdentityType: letta.IdentityTypeUser,
	})
	name := testKey(t, "agent")
	tags := []string{testKey(t, "tag-a"), testKey(t, "tag-b")}

	agent := createAgent(t, c, &letta.AgentCreateParams{
		Name:        letta.Ptr(name),
		Description: letta.Ptr("support agent for Caren"),
		MemoryBlocks: []letta.CreateBlock{
			{Label: "human", Value: "The user's name is Caren."},
			{Label: "persona", Value: "I am a helpful assistant.", Limit: letta.Ptr(4000)},
		},
		Model:              letta.Ptr(testModel),
		Embedding:          letta.Ptr(testEmbedding),
		ContextWindowLimit: letta.Ptr(16000),
		IdentityIDs:        []string{identity.ID},
		Tags:               tags,
	})

	assert.True(t, strings.HasPrefix(agent.ID, "agent-"), "id %q", agent.ID)
	assert.Equal(t, name, agent.Name)
	require.NotNil(t, agent.Description)
	assert.Equal(t, "support agent for Caren", *agent.Description)

	// The model handle resolves into the LLM config, with the requested
	// context window; the embedding handle into the embedding config.
	require.NotNil(t, agent.LLMConfig.Handle)
	assert.Equal(t, testModel, *agent.LLMConfig.Handle)
	assert.Equal(t, "letta-free", agent.LLMConfig.Model)
	assert.Equal(t, 16000, agent.LLMConfig.ContextWindow)
	require.NotNil(t, agent.EmbeddingConfig)
	assert.Equal(t, "letta-free", agent.EmbeddingConfig.EmbeddingModel)

	// Relationships set in the request come back in the response.
	assert.ElementsMatch(t, tags, agent.Tags)
	require.Len(t, agent.Tools, 1, "the one tool createAgent asks for, no base tools")
	require.NotNil(t, agent.Tools[0].Name)
	assert.Equal(t, testTool, *agent.Tools[0].Name)
	assert.Equal(t, []string{identity.ID}, identityIDs(agent.Identities))
	values := map[string]string{}
	for _, b := range agent.Memory.Blocks {
		require.NotNil(t, b.Label)
		values[*b.Label] = b.Value
	}
	assert.Equal(t, map[string]string{
		"human":   "The user's name is Caren.",
		"persona": "I am a helpful assistant.",
	}, values)

	// And they were stored: the identity lists the agent.
	listed, err := c.Identities.ListAgents(t.Context(), identity.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{agent.ID}, agentIDs(listed))
}

func TestCassetteAgentsList(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	u1 := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_1"), Name: "Caren", IdentityType: letta.IdentityTypeUser,
	})
	u2 := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_2"), Name: "Dana", IdentityType: letta.IdentityTypeUser,
	})
	x, y := testKey(t, "x"), testKey(t, "y")
	a := createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "a")), IdentityIDs: []string{u1.ID}, Tags: []string{x, y}})
	b := createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "b")), IdentityIDs: []string{u2.ID}, Tags: []string{x}})
	d := createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "d")), Tags: []string{y}})

	tests := []struct {
		name   string
		params *letta.AgentListParams
		want   []string
	}{
		{"one identifier key", &letta.AgentListParams{IdentifierKeys: []string{u1.IdentifierKey}}, []string{a.ID}},
		{"two identifier keys", &letta.AgentListParams{IdentifierKeys: []string{u1.IdentifierKey, u2.IdentifierKey}}, []string{a.ID, b.ID}},
		{"identity id", &letta.AgentListParams{IdentityID: u2.ID}, []string{b.ID}},
		{"one tag", &letta.AgentListParams{Tags: []string{x}}, []string{a.ID, b.ID}},
		{"any of two tags", &letta.AgentListParams{Tags: []string{x, y}}, []string{a.ID, b.ID, d.ID}},
		{"any of two tags, explicit false", &letta.AgentListParams{Tags: []string{x, y}, MatchAllTags: letta.Ptr(false)}, []string{a.ID, b.ID, d.ID}},
		{"all of two tags", &letta.AgentListParams{Tags: []string{x, y}, MatchAllTags: letta.Ptr(true)}, []string{a.ID}},
		{"tag and identifier key", &letta.AgentListParams{Tags: []string{y}, IdentifierKeys: []string{u1.IdentifierKey}}, []string{a.ID}},
		{"name", &letta.AgentListParams{Name: testKey(t, "d")}, []string{d.ID}},
		{"unknown tag", &letta.AgentListParams{Tags: []string{testKey(t, "none")}}, []string{}},
	}
	for _, tt := range tests {
		got, err := c.Agents.List(ctx, tt.params)
		require.NoError(t, err, tt.name)
		assert.ElementsMatch(t, tt.want, agentIDs(got), tt.name)
	}

	// Relationships are empty unless Include asks for them.
	plain, err := c.Agents.List(ctx, &letta.AgentListParams{IdentifierKeys: []string{u1.IdentifierKey}})
	require.NoError(t, err)
	require.Len(t, plain, 1)
	assert.Empty(t, plain[0].Tags)
	assert.Empty(t, plain[0].Identities)
	full, err := c.Agents.List(ctx, &letta.AgentListParams{
		IdentifierKeys: []string{u1.IdentifierKey},
		Include:        []letta.AgentInclude{letta.IncludeAgentTags, letta.IncludeAgentIdentities},
	})
	require.NoError(t, err)
	require.Len(t, full, 1)
	assert.ElementsMatch(t, []string{x, y}, full[0].Tags)
	assert.Equal(t, []string{u1.ID}, identityIDs(full[0].Identities))
}

func TestCassetteAgentsListAll(t *testing.T) {
	rec := newRecording(t)
	c := rec.client
	tag := testKey(t, "tag")
	var created []string
	for _, n := range []string{"a1", "a2", "a3", "a4", "a5"} {
		created = append(created, createAgent(t, c, &letta.AgentCreateParams{
			Name: letta.Ptr(testKey(t, n)), Tags: []string{tag},
		}).ID)
	}

	start := rec.log.Len()
	got := collect(t, c.Agents.ListAll(t.Context(), &letta.AgentListParams{
		Tags: []string{tag}, Order: letta.OrderAsc, Limit: 2,
	}))
	// Each agent exactly once, in creation order, across pages of two.
	assert.Equal(t, created, agentIDs(got))
	assert.GreaterOrEqual(t, listPages(t, rec.log.Since(start), "/v1/agents/", "2"), 3)
}

func TestCassetteAgentsGet(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	identity := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_1"), Name: "Caren", IdentityType: letta.IdentityTypeUser,
	})
	tag := testKey(t, "tag")
	created := createAgent(t, c, &letta.AgentCreateParams{
		Name:         letta.Ptr(testKey(t, "agent")),
		MemoryBlocks: []letta.CreateBlock{{Label: "human", Value: "The user's name is Caren."}},
		IdentityIDs:  []string{identity.ID},
		Tags:         []string{tag},
	})

	plain, err := c.Agents.Get(ctx, created.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, created.ID, plain.ID)
	assert.Equal(t, created.Name, plain.Name)
	assert.Equal(t, created.LLMConfig.Model, plain.LLMConfig.Model)
	assert.Empty(t, plain.Tags, "not loaded without include")
	assert.Empty(t, plain.Identities, "not loaded without include")
	assert.Empty(t, plain.Memory.Blocks, "not loaded without include")

	full, err := c.Agents.Get(ctx, created.ID, &letta.AgentGetParams{Include: []letta.AgentInclude{
		letta.IncludeAgentTags, letta.IncludeAgentIdentities, letta.IncludeAgentBlocks,
	}})
	require.NoError(t, err)
	assert.Equal(t, []string{tag}, full.Tags)
	assert.Equal(t, []string{identity.ID}, identityIDs(full.Identities))
	require.Len(t, full.Memory.Blocks, 1)
	require.NotNil(t, full.Memory.Blocks[0].Label)
	assert.Equal(t, "human", *full.Memory.Blocks[0].Label)
	assert.Equal(t, "The user's name is Caren.", full.Memory.Blocks[0].Value)
}

func TestCassetteAgentsUpdate(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	i1 := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_1"), Name: "Caren", IdentityType: letta.IdentityTypeUser,
	})
	i2 := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_2"), Name: "Dana", IdentityType: letta.IdentityTypeUser,
	})
	ta, tb, tc := testKey(t, "a"), testKey(t, "b"), testKey(t, "c")
	agent := createAgent(t, c, &letta.AgentCreateParams{
		Name: letta.Ptr(testKey(t, "agent")), IdentityIDs: []string{i1.ID}, Tags: []string{ta, tb},
	})
	withRelations := &letta.AgentGetParams{Include: []letta.AgentInclude{letta.IncludeAgentTags, letta.IncludeAgentIdentities}}

	// Tags replace the whole set; scalars overwrite.
	got, err := c.Agents.Update(ctx, agent.ID, &letta.AgentUpdateParams{
		Name: letta.Ptr(testKey(t, "renamed")), Description: letta.Ptr("updated"), Tags: []string{tc},
	})
	require.NoError(t, err)
	assert.Equal(t, agent.ID, got.ID)
	assert.Equal(t, testKey(t, "renamed"), got.Name)
	require.NotNil(t, got.Description)
	assert.Equal(t, "updated", *got.Description)
	assert.Equal(t, []string{tc}, got.Tags)
	assert.Equal(t, []string{i1.ID}, identityIDs(got.Identities), "identity_ids not sent: unchanged")

	// IdentityIDs replace too.
	got, err = c.Agents.Update(ctx, agent.ID, &letta.AgentUpdateParams{IdentityIDs: []string{i2.ID}})
	require.NoError(t, err)
	assert.Equal(t, []string{i2.ID}, identityIDs(got.Identities))
	assert.Equal(t, []string{tc}, got.Tags, "tags not sent: unchanged")

	// [] clears; the server's state agrees with the response.
	got, err = c.Agents.Update(ctx, agent.ID, &letta.AgentUpdateParams{Tags: []string{}, IdentityIDs: []string{}})
	require.NoError(t, err)
	assert.Empty(t, got.Tags)
	assert.Empty(t, got.Identities)
	fetched, err := c.Agents.Get(ctx, agent.ID, withRelations)
	require.NoError(t, err)
	assert.Empty(t, fetched.Tags)
	assert.Empty(t, fetched.Identities)
	assert.Equal(t, testKey(t, "renamed"), fetched.Name)

	// nil params sends {} and changes nothing.
	same, err := c.Agents.Update(ctx, agent.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, testKey(t, "renamed"), same.Name)
	require.NotNil(t, same.Description)
	assert.Equal(t, "updated", *same.Description)
}

func TestCassetteAgentsDelete(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	tag := testKey(t, "tag")
	keep := createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "keep")), Tags: []string{tag}})
	gone := createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "gone")), Tags: []string{tag}})

	require.NoError(t, c.Agents.Delete(ctx, gone.ID))

	_, err := c.Agents.Get(ctx, gone.ID, nil)
	assert.ErrorIs(t, err, letta.ErrNotFound)
	assert.ErrorIs(t, c.Agents.Delete(ctx, gone.ID), letta.ErrNotFound, "a second delete finds nothing")
	left, err := c.Agents.List(ctx, &letta.AgentListParams{Tags: []string{tag}})
	require.NoError(t, err)
	assert.Equal(t, []string{keep.ID}, agentIDs(left))
}

func TestCassetteAgentsCount(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	before, err := c.Agents.Count(ctx, nil)
	require.NoError(t, err)

	u1 := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_1"), Name: "Caren", IdentityType: letta.IdentityTypeUser,
	})
	x, y := testKey(t, "x"), testKey(t, "y")
	createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "a")), Tags: []string{x, y}, IdentityIDs: []string{u1.ID}})
	createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "b")), Tags: []string{x}})
	createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "c")), Tags: []string{y}})

	tests := []struct {
		name   string
		params *letta.AgentCountParams
		want   int
	}{
		{"all", nil, before + 3},
		{"one tag", &letta.AgentCountParams{Tags: []string{x}}, 2},
		{"any of two tags", &letta.AgentCountParams{Tags: []string{x, y}}, 3},
		{"all of two tags", &letta.AgentCountParams{Tags: []string{x, y}, MatchAllTags: letta.Ptr(true)}, 1},
		{"identifier key", &letta.AgentCountParams{IdentifierKeys: []string{u1.IdentifierKey}}, 1},
		{"identity id", &letta.AgentCountParams{IdentityID: u1.ID}, 1},
		{"name", &letta.AgentCountParams{Name: testKey(t, "b")}, 1},
	}
	for _, tt := range tests {
		n, err := c.Agents.Count(ctx, tt.params)
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.want, n, tt.name)
	}
}

func TestCassetteAgentsAttachIdentity(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	identity := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_1"), Name: "Caren", IdentityType: letta.IdentityTypeUser,
	})
	agent := createAgent(t, c, &letta.AgentCreateParams{Name: letta.Ptr(testKey(t, "agent"))})

	require.NoError(t, c.Agents.AttachIdentity(ctx, agent.ID, identity.ID))
	// Attaching again is a no-op, not an error or a duplicate.
	require.NoError(t, c.Agents.AttachIdentity(ctx, agent.ID, identity.ID))

	got, err := c.Agents.Get(ctx, agent.ID, &letta.AgentGetParams{Include: []letta.AgentInclude{letta.IncludeAgentIdentities}})
	require.NoError(t, err)
	assert.Equal(t, []string{identity.ID}, identityIDs(got.Identities))
	listed, err := c.Agents.List(ctx, &letta.AgentListParams{IdentifierKeys: []string{identity.IdentifierKey}})
	require.NoError(t, err)
	assert.Equal(t, []string{agent.ID}, agentIDs(listed))
}

func TestCassetteAgentsDetachIdentity(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	i1 := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_1"), Name: "Caren", IdentityType: letta.IdentityTypeUser,
	})
	i2 := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: testKey(t, "user_2"), Name: "Dana", IdentityType: letta.IdentityTypeUser,
	})
	agent := createAgent(t, c, &letta.AgentCreateParams{
		Name: letta.Ptr(testKey(t, "agent")), IdentityIDs: []string{i1.ID, i2.ID},
	})

	require.NoError(t, c.Agents.DetachIdentity(ctx, agent.ID, i1.ID))
	// Detaching one that is not attached is a no-op.
	require.NoError(t, c.Agents.DetachIdentity(ctx, agent.ID, i1.ID))

	got, err := c.Agents.Get(ctx, agent.ID, &letta.AgentGetParams{Include: []letta.AgentInclude{letta.IncludeAgentIdentities}})
	require.NoError(t, err)
	assert.Equal(t, []string{i2.ID}, identityIDs(got.Identities))
	listed, err := c.Agents.List(ctx, &letta.AgentListParams{IdentityID: i1.ID})
	require.NoError(t, err)
	assert.Empty(t, listed)
	listed, err = c.Agents.List(ctx, &letta.AgentListParams{IdentityID: i2.ID})
	require.NoError(t, err)
	assert.Equal(t, []string{agent.ID}, agentIDs(listed))
}

// TestCassetteErrors covers the error answers that come from the server
// (input the SDK refuses itself never reaches a cassette).
func TestCassetteErrors(t *testing.T) {
	// Well-formed ids (prefix-<uuid4>) that no server has handed out.
	const (
		unknownIdentity = "identity-00000000-0000-4000-8000-000000000000"
		unknownAgent    = "agent-00000000-0000-4000-8000-000000000000"
	)

	t.Run("NotFound", func(t *testing.T) {
		c := newRecordedClient(t)
		ctx := t.Context()
		_, err := c.Identities.Get(ctx, unknownIdentity)
		assertAPIError(t, err, letta.ErrNotFound, 404)
		_, err = c.Agents.Get(ctx, unknownAgent, nil)
		assertAPIError(t, err, letta.ErrNotFound, 404)
		assertAPIError(t, c.Agents.Delete(ctx, unknownAgent), letta.ErrNotFound, 404)
	})

	t.Run("DuplicateIdentifierKey", func(t *testing.T) {
		rec := newRecording(t)
		c := rec.client
		params := &letta.IdentityCreateParams{
			IdentifierKey: testKey(t, "user_1"), Name: "Caren", IdentityType: letta.IdentityTypeUser,
		}
		first := createIdentity(t, c, params)

		start := rec.log.Len()
		var info letta.ResponseInfo
		_, err := c.Identities.Create(t.Context(), params, letta.WithResponseInfo(&info))
		assertAPIError(t, err, letta.ErrConflict, 409)
		// A duplicate key is final: exactly one attempt, no retry.
		assert.Len(t, rec.log.Since(start), 1)
		assert.Equal(t, 1, info.Attempts)

		// The first identity is untouched and still the only one.
		got, err := c.Identities.List(t.Context(), &letta.IdentityListParams{IdentifierKey: params.IdentifierKey})
		require.NoError(t, err)
		assert.Equal(t, []string{first.ID}, identityIDs(got))
	})

	t.Run("MalformedID", func(t *testing.T) {
		// The SDK only refuses empty, "." and ".."; the server checks the
		// identity-<uuid4> form.
		c := newRecordedClient(t)
		_, err := c.Identities.Get(t.Context(), "user_1")
		apiErr := assertAPIError(t, err, letta.ErrUnprocessable, 422)
		if apiErr != nil {
			assert.NotEmpty(t, apiErr.Detail, "the 422 detail is decoded")
		}
	})

	t.Run("AgentCreateWithoutModel", func(t *testing.T) {
		c := newRecordedClient(t)
		ctx := t.Context()
		name := testKey(t, "agent")
		_, err := c.Agents.Create(ctx, &letta.AgentCreateParams{Name: letta.Ptr(name)})
		apiErr := assertAPIError(t, err, letta.ErrBadRequest, 400)
		if apiErr != nil {
			assert.Contains(t, apiErr.Detail, "model")
		}
		n, err := c.Agents.Count(ctx, &letta.AgentCountParams{Name: name})
		require.NoError(t, err)
		assert.Zero(t, n, "nothing was created")
	})
}

// assertAPIError checks that err is an *APIError with the status and the
// sentinel, and returns it (nil when it is not one).
func assertAPIError(t *testing.T, err error, sentinel error, status int) *letta.APIError {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, sentinel)
	var apiErr *letta.APIError
	if !assert.ErrorAs(t, err, &apiErr, "want *letta.APIError, got %T: %v", err, err) {
		return nil
	}
	assert.Equal(t, status, apiErr.StatusCode)
	return apiErr
}

// TestCassetteMultiUserGuide is Letta's multi-user guide in Go: one
// identity per end user, agents tied to identities, a user's agents found
// by identifier key, an agent shared by two users, and the tags
// alternative.
func TestCassetteMultiUserGuide(t *testing.T) {
	c := newRecordedClient(t)
	ctx := t.Context()
	user1Key, user2Key := testKey(t, "user_1"), testKey(t, "user_2")

	// 1. An identity for the user.
	user1 := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: user1Key, Name: "Caren", IdentityType: letta.IdentityTypeUser,
	})

	// 2. An agent for that user.
	agent := createAgent(t, c, &letta.AgentCreateParams{
		Name: letta.Ptr(testKey(t, "caren-agent")),
		MemoryBlocks: []letta.CreateBlock{
			{Label: "human", Value: "The user's name is Caren."},
			{Label: "persona", Value: "I am a helpful assistant."},
		},
		Model:       letta.Ptr(testModel),
		Embedding:   letta.Ptr(testEmbedding),
		IdentityIDs: []string{user1.ID},
	})

	// 3. The user's agents, by their identifier key.
	mine, err := c.Agents.List(ctx, &letta.AgentListParams{IdentifierKeys: []string{user1Key}})
	require.NoError(t, err)
	assert.Equal(t, []string{agent.ID}, agentIDs(mine))

	// 4. A second user shares the agent, attached through agent_ids.
	user2 := createIdentity(t, c, &letta.IdentityCreateParams{
		IdentifierKey: user2Key, Name: "Dana", IdentityType: letta.IdentityTypeUser,
		AgentIDs: []string{agent.ID}, //nolint:staticcheck // the guide's way of sharing an agent
	})
	shared, err := c.Agents.List(ctx, &letta.AgentListParams{IdentifierKeys: []string{user2Key}})
	require.NoError(t, err)
	assert.Equal(t, []string{agent.ID}, agentIDs(shared))
	both, err := c.Agents.List(ctx, &letta.AgentListParams{
		IdentifierKeys: []string{user1Key, user2Key},
		Include:        []letta.AgentInclude{letta.IncludeAgentIdentities},
	})
	require.NoError(t, err)
	// letta 0.16.8 joins agents to the matching identities without
	// DISTINCT: an agent shared by both users is listed once per user.
	require.Equal(t, []string{agent.ID, agent.ID}, agentIDs(both), "a shared agent is listed once per matching identity")
	assert.ElementsMatch(t, []string{user1.ID, user2.ID}, identityIDs(both[0].Identities))

	// 5. The tags alternative: tag agents with the user id and filter.
	userID := testKey(t, "user_3")
	tagged := createAgent(t, c, &letta.AgentCreateParams{
		Name: letta.Ptr(testKey(t, "tagged-agent")), Tags: []string{userID},
	})
	byTag, err := c.Agents.List(ctx, &letta.AgentListParams{Tags: []string{userID}})
	require.NoError(t, err)
	assert.Equal(t, []string{tagged.ID}, agentIDs(byTag))
}
