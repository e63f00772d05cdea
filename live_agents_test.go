//go:build letta_live

package letta

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var allIncludes = []AgentInclude{IncludeAgentBlocks, IncludeAgentIdentities, IncludeAgentManagedGroup,
	IncludeAgentPendingApproval, IncludeAgentSecrets, IncludeAgentSources, IncludeAgentTags, IncludeAgentTools}

func TestLiveAgentLifecycle(t *testing.T) {
	c := liveClient(t)
	ident := createIdentity(t, c, IdentityCreateParams{IdentifierKey: liveName(t, "user")})
	name := liveName(t, "agent")
	tags := []string{liveName(t, "t1"), liveName(t, "t2")}
	created, err := c.Agents.Create(t.Context(), &AgentCreateParams{
		Name: Ptr(name), Description: Ptr("d"), Model: Ptr(liveModel), Embedding: Ptr(liveEmbedding),
		ContextWindowLimit: Ptr(8000),
		MemoryBlocks:       []CreateBlock{{Label: "human", Value: "The human's name is Caren."}},
		Tags:               tags, IdentityIDs: []string{ident.ID},
		Metadata: map[string]any{"a": 1}, Secrets: map[string]string{"K": "v"},
	})
	require.NoError(t, err)
	t.Cleanup(func() { deleteQuietly(t, "agent", created.ID, c.Agents.Delete) })
	assert.True(t, strings.HasPrefix(created.ID, "agent-"), created.ID)
	assert.Equal(t, name, created.Name)
	require.NotNil(t, created.Description)
	assert.Equal(t, "d", *created.Description)
	require.NotNil(t, created.Model)
	assert.Equal(t, liveModel, *created.Model)
	assert.Equal(t, 8000, created.LLMConfig.ContextWindow)
	assert.ElementsMatch(t, tags, created.Tags, "create answers with the relationships it set")
	require.Len(t, created.Identities, 1)
	assert.Equal(t, ident.ID, created.Identities[0].ID)
	require.Len(t, created.Blocks, 1)
	assert.Equal(t, "The human's name is Caren.", created.Blocks[0].Value)
	assert.JSONEq(t, `{"a":1}`, string(created.Metadata))
	require.NotNil(t, created.CreatedAt)
	assert.WithinDuration(t, time.Now(), created.CreatedAt.Time, time.Hour)
	assert.NotNil(t, created.CompactionSettings, "the server fills compaction_settings in")

	bare, err := c.Agents.Get(t.Context(), created.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, created.ID, bare.ID)
	assert.Empty(t, bare.Tags, "no relationships without Include")
	assert.Empty(t, bare.Identities)
	assert.Empty(t, bare.Blocks)
	assert.Empty(t, bare.Secrets)

	for _, inc := range []AgentInclude{IncludeAgentTags, IncludeAgentIdentities, IncludeAgentBlocks, IncludeAgentSecrets} {
		got, err := c.Agents.Get(t.Context(), created.ID, &AgentGetParams{Include: []AgentInclude{inc}})
		require.NoError(t, err)
		switch inc {
		case IncludeAgentTags:
			assert.ElementsMatch(t, tags, got.Tags)
			assert.Empty(t, got.Identities)
		case IncludeAgentIdentities:
			require.Len(t, got.Identities, 1)
			assert.Equal(t, ident.IdentifierKey, got.Identities[0].IdentifierKey)
		case IncludeAgentBlocks:
			require.Len(t, got.Blocks, 1)
			assert.Equal(t, "human", *got.Blocks[0].Label)
			assert.ElementsMatch(t, tags, got.Tags, "the server loads tags with agent.blocks")
			assert.Empty(t, got.Identities)
		case IncludeAgentSecrets:
			require.Len(t, got.Secrets, 1)
			assert.Equal(t, "K", got.Secrets[0].Key)
		}
	}
	all, err := c.Agents.Get(t.Context(), created.ID, &AgentGetParams{Include: allIncludes})
	require.NoError(t, err)
	assert.ElementsMatch(t, tags, all.Tags)
	assert.Len(t, all.Identities, 1)
	assert.Len(t, all.Blocks, 1)

	// PATCH replaces sets and metadata.
	newTag := liveName(t, "t3")
	up, err := c.Agents.Update(t.Context(), created.ID, &AgentUpdateParams{
		Name: Ptr(name + "-renamed"), Tags: []string{newTag}, Metadata: map[string]any{"b": 2},
		IdentityIDs: []string{}, Description: Ptr("d2"),
	})
	require.NoError(t, err)
	assert.Equal(t, name+"-renamed", up.Name)
	assert.Equal(t, []string{newTag}, up.Tags, "Update answers with every relationship loaded")
	assert.Empty(t, up.Identities, "[] detaches every identity")
	assert.Len(t, up.Blocks, 1, "nil BlockIDs leaves the blocks")
	assert.JSONEq(t, `{"b":2}`, string(up.Metadata), "metadata is replaced, not merged")
	assert.Equal(t, "d2", *up.Description)

	same, err := c.Agents.Update(t.Context(), created.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, up.Name, same.Name)
	assert.Equal(t, up.Tags, same.Tags)

	up, err = c.Agents.Update(t.Context(), created.ID, &AgentUpdateParams{Tags: []string{}, BlockIDs: []string{}, Metadata: map[string]any{}})
	require.NoError(t, err)
	assert.Empty(t, up.Tags)
	assert.Empty(t, up.Blocks)
	assert.JSONEq(t, `{}`, string(up.Metadata))

	require.NoError(t, c.Agents.Delete(t.Context(), created.ID))
	_, err = c.Agents.Get(t.Context(), created.ID, nil)
	requireAPIError(t, err, 404)
	require.ErrorIs(t, c.Agents.Delete(t.Context(), created.ID), ErrNotFound)
	_, err = c.Agents.Update(t.Context(), created.ID, &AgentUpdateParams{Name: Ptr("x")})
	require.ErrorIs(t, err, ErrNotFound)
	got, err := c.Identities.Get(t.Context(), ident.ID)
	require.NoError(t, err, "deleting an agent keeps its identity")
	assert.Equal(t, ident.ID, got.ID)
}

// TestLiveAgentMaxTokens: MaxTokens is the one field Update can clear.
func TestLiveAgentMaxTokens(t *testing.T) {
	c := liveClient(t)
	a := createAgent(t, c, AgentCreateParams{Name: Ptr(liveName(t, "a"))})
	up, err := c.Agents.Update(t.Context(), a.ID, &AgentUpdateParams{MaxTokens: Value(1234)})
	require.NoError(t, err)
	require.NotNil(t, up.LLMConfig.MaxTokens)
	assert.Equal(t, 1234, *up.LLMConfig.MaxTokens)
	up, err = c.Agents.Update(t.Context(), a.ID, &AgentUpdateParams{MaxTokens: Null[int]()})
	require.NoError(t, err)
	assert.Nil(t, up.LLMConfig.MaxTokens)
}

// TestLiveAgentTools: the base tools are attached unless the create says
// otherwise, and loaded only when Include asks.
func TestLiveAgentTools(t *testing.T) {
	c := liveClient(t)
	a := createAgent(t, c, AgentCreateParams{Name: Ptr(liveName(t, "a")), IncludeBaseTools: Ptr(true)})
	assert.NotEmpty(t, a.Tools)
	bare, err := c.Agents.Get(t.Context(), a.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, bare.Tools)
	full, err := c.Agents.Get(t.Context(), a.ID, &AgentGetParams{Include: []AgentInclude{IncludeAgentTools}})
	require.NoError(t, err)
	assert.Len(t, full.Tools, len(a.Tools))
	up, err := c.Agents.Update(t.Context(), a.ID, &AgentUpdateParams{ToolIDs: []string{full.Tools[0].ID}})
	require.NoError(t, err)
	require.Len(t, up.Tools, 1, "ToolIDs replace")
	assert.Equal(t, full.Tools[0].ID, up.Tools[0].ID)
}

// TestLiveAgentAttachDetachIdentity: both are idempotent.
func TestLiveAgentAttachDetachIdentity(t *testing.T) {
	c := liveClient(t)
	id := createIdentity(t, c, IdentityCreateParams{IdentifierKey: liveName(t, "user")})
	a := createAgent(t, c, AgentCreateParams{Name: Ptr(liveName(t, "a"))})
	ofIdentity := func() []string {
		t.Helper()
		got, err := c.Agents.List(t.Context(), &AgentListParams{IdentityID: id.ID})
		require.NoError(t, err)
		return agentIDs(got)
	}
	for range 2 {
		require.NoError(t, c.Agents.AttachIdentity(t.Context(), a.ID, id.ID))
		assert.Equal(t, []string{a.ID}, ofIdentity())
	}
	got, err := c.Agents.Get(t.Context(), a.ID, &AgentGetParams{Include: []AgentInclude{IncludeAgentIdentities}})
	require.NoError(t, err)
	require.Len(t, got.Identities, 1)
	for range 2 {
		require.NoError(t, c.Agents.DetachIdentity(t.Context(), a.ID, id.ID))
		assert.Empty(t, ofIdentity())
	}
	missing := "identity-00000000-0000-4000-8000-000000000000"
	require.ErrorIs(t, c.Agents.AttachIdentity(t.Context(), a.ID, missing), ErrNotFound)
	require.ErrorIs(t, c.Agents.AttachIdentity(t.Context(), "agent-00000000-0000-4000-8000-000000000000", id.ID), ErrNotFound)
	err = c.Agents.AttachIdentity(t.Context(), a.ID, "identity-123")
	apiErr := requireAPIError(t, err, 400)
	assert.Contains(t, apiErr.Detail, "Invalid identity ID format")
}

// TestLiveAgentListFilters: every query parameter of AgentListParams and
// AgentCountParams, against agents only this test made.
func TestLiveAgentListFilters(t *testing.T) {
	c := liveClient(t)
	tagA, tagB := liveName(t, "a"), liveName(t, "b")
	prefix := liveName(t)
	project, template, base := liveName(t, "project"), liveName(t, "template"), liveName(t, "base")
	u1 := createIdentity(t, c, IdentityCreateParams{IdentifierKey: liveName(t, "u1")})
	u2 := createIdentity(t, c, IdentityCreateParams{IdentifierKey: liveName(t, "u2")})

	a1 := createAgent(t, c, AgentCreateParams{Name: Ptr(prefix + "-one"), Tags: []string{tagA}})
	a2 := createAgent(t, c, AgentCreateParams{Name: Ptr(prefix + "-two"), Tags: []string{tagA, tagB}, IdentityIDs: []string{u1.ID, u2.ID}})
	a3 := createAgent(t, c, AgentCreateParams{Name: Ptr(prefix + "-three"), Tags: []string{tagB}, IdentityIDs: []string{u1.ID}})
	// Hidden at creation: the server ignores hidden on update.
	a4 := createAgent(t, c, AgentCreateParams{Name: Ptr(prefix + "-four"), Tags: []string{tagA}, IdentityIDs: []string{u2.ID}, Hidden: Ptr(true)})

	_, err := c.Agents.Update(t.Context(), a1.ID, &AgentUpdateParams{ProjectID: Ptr(project),
		LastRunCompletion: &Timestamp{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}})
	require.NoError(t, err)
	_, err = c.Agents.Update(t.Context(), a2.ID, &AgentUpdateParams{TemplateID: Ptr(template), BaseTemplateID: Ptr(base),
		LastRunCompletion: &Timestamp{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}})
	require.NoError(t, err)
	_, err = c.Agents.Update(t.Context(), a3.ID, &AgentUpdateParams{LastStopReason: Ptr(StopReasonEndTurn)})
	require.NoError(t, err)
	hid, err := c.Agents.Update(t.Context(), a4.ID, &AgentUpdateParams{Hidden: Ptr(false), Description: Ptr("still hidden")})
	require.NoError(t, err)
	require.NotNil(t, hid.Hidden, "Update ignores Hidden")
	assert.True(t, *hid.Hidden)

	both := []string{tagA, tagB}
	cases := []struct {
		name string
		p    AgentListParams
		want []*AgentState // newest first
	}{
		{"tags any", AgentListParams{Tags: both}, []*AgentState{a3, a2, a1}},
		{"match_all_tags=false", AgentListParams{Tags: both, MatchAllTags: Ptr(false)}, []*AgentState{a3, a2, a1}},
		{"match_all_tags", AgentListParams{Tags: both, MatchAllTags: Ptr(true)}, []*AgentState{a2}},
		{"one tag", AgentListParams{Tags: []string{tagA}}, []*AgentState{a2, a1}},
		{"show hidden", AgentListParams{Tags: both, ShowHiddenAgents: Ptr(true)}, []*AgentState{a4, a3, a2, a1}},
		{"show hidden false", AgentListParams{Tags: both, ShowHiddenAgents: Ptr(false)}, []*AgentState{a3, a2, a1}},
		{"name exact", AgentListParams{Name: prefix + "-two"}, []*AgentState{a2}},
		{"name is not a substring", AgentListParams{Name: prefix}, nil},
		{"query_text", AgentListParams{QueryText: strings.ToUpper(prefix + "-t")}, []*AgentState{a3, a2}},
		{"identity_id", AgentListParams{IdentityID: u1.ID}, []*AgentState{a3, a2}},
		{"identifier_keys", AgentListParams{IdentifierKeys: []string{u2.IdentifierKey}, ShowHiddenAgents: Ptr(true)}, []*AgentState{a4, a2}},
		{"project_id", AgentListParams{ProjectID: project}, []*AgentState{a1}},
		{"template_id", AgentListParams{TemplateID: template}, []*AgentState{a2}},
		{"base_template_id", AgentListParams{BaseTemplateID: base}, []*AgentState{a2}},
		{"last_stop_reason", AgentListParams{Tags: both, LastStopReason: StopReasonEndTurn}, []*AgentState{a3}},
		{"created_by_id", AgentListParams{Tags: both, CreatedByID: *a1.CreatedByID}, []*AgentState{a3, a2, a1}},
		{"created_by_id other", AgentListParams{Tags: both, CreatedByID: "user-00000000-0000-4000-8000-00000000dead"}, nil},
		{"order asc", AgentListParams{Tags: both, Order: OrderAsc}, []*AgentState{a1, a2, a3}},
		{"order_by created_at", AgentListParams{Tags: both, OrderBy: AgentOrderByCreatedAt}, []*AgentState{a3, a2, a1}},
		// a3 was updated last, then a2, then a1 (a4's update is of a hidden agent).
		{"order_by updated_at", AgentListParams{Tags: both, OrderBy: AgentOrderByUpdatedAt}, []*AgentState{a3, a2, a1}},
		{"order_by updated_at asc", AgentListParams{Tags: both, OrderBy: AgentOrderByUpdatedAt, Order: OrderAsc}, []*AgentState{a1, a2, a3}},
		// Agents that never ran sort last in both directions.
		{"order_by last_run_completion", AgentListParams{Tags: both, OrderBy: AgentOrderByLastRunCompletion}, []*AgentState{a1, a2, a3}},
		{"order_by last_run_completion asc", AgentListParams{Tags: both, OrderBy: AgentOrderByLastRunCompletion, Order: OrderAsc}, []*AgentState{a2, a1, a3}},
	}
	for _, tc := range cases {
		got, err := c.Agents.List(t.Context(), &tc.p)
		require.NoError(t, err, tc.name)
		want := make([]string, 0, len(tc.want))
		for _, a := range tc.want {
			want = append(want, a.ID)
		}
		assert.Equal(t, want, agentIDs(got), tc.name)

		cp := AgentCountParams{Name: tc.p.Name, QueryText: tc.p.QueryText, Tags: tc.p.Tags, MatchAllTags: tc.p.MatchAllTags,
			IdentityID: tc.p.IdentityID, IdentifierKeys: tc.p.IdentifierKeys, ProjectID: tc.p.ProjectID, TemplateID: tc.p.TemplateID,
			BaseTemplateID: tc.p.BaseTemplateID, LastStopReason: tc.p.LastStopReason, CreatedByID: tc.p.CreatedByID,
			ShowHiddenAgents: tc.p.ShowHiddenAgents}
		n, err := c.Agents.Count(t.Context(), &cp)
		require.NoError(t, err, tc.name)
		assert.Equal(t, len(want), n, "count: %s", tc.name)
	}

	// identifier_keys matching two identities of one agent.
	got, err := c.Agents.List(t.Context(), &AgentListParams{IdentifierKeys: []string{u1.IdentifierKey, u2.IdentifierKey}})
	require.NoError(t, err)
	assert.Equal(t, []string{a3.ID, a2.ID, a2.ID}, agentIDs(got), "an agent of two matching identities is listed once per identity")
	n, err := c.Agents.Count(t.Context(), &AgentCountParams{IdentifierKeys: []string{u1.IdentifierKey, u2.IdentifierKey}})
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	for _, limit := range []int{1, 2, 3} {
		var walked []string
		for a, err := range c.Agents.ListAll(t.Context(), &AgentListParams{IdentifierKeys: []string{u1.IdentifierKey, u2.IdentifierKey}, Limit: limit}) {
			require.NoError(t, err)
			walked = append(walked, a.ID)
		}
		assert.Equal(t, []string{a3.ID, a2.ID}, walked, "ListAll yields each agent once (limit %d)", limit)
	}

	// Include on List.
	got, err = c.Agents.List(t.Context(), &AgentListParams{Tags: both, Include: []AgentInclude{IncludeAgentTags, IncludeAgentIdentities}})
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.ElementsMatch(t, both, got[1].Tags)
	assert.Len(t, got[1].Identities, 2)
	got, err = c.Agents.List(t.Context(), &AgentListParams{Tags: both})
	require.NoError(t, err)
	for _, a := range got {
		assert.Empty(t, a.Tags)
	}

	all, err := c.Agents.Count(t.Context(), nil)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, all, 3)
}

// TestLiveAgentMetadataRoundTrip: metadata keeps JSON types.
func TestLiveAgentMetadataRoundTrip(t *testing.T) {
	c := liveClient(t)
	meta := map[string]any{"s": "x", "n": 1.5, "b": true, "o": map[string]any{"k": []any{1.0, "two"}}}
	a := createAgent(t, c, AgentCreateParams{Name: Ptr(liveName(t, "a")), Metadata: meta})
	got, err := c.Agents.Get(t.Context(), a.ID, nil)
	require.NoError(t, err)
	var back map[string]any
	require.NoError(t, json.Unmarshal(got.Metadata, &back))
	assert.Equal(t, meta, back)
}
