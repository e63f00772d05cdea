package letta

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAgentsWire(t *testing.T) {
	cases := []wireCase{
		{
			name: "Create for a user", respond: agentJSON, method: "POST", path: "/v1/agents/",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Agents.Create(ctx, &AgentCreateParams{
					Name: Ptr("helper"), Model: Ptr("openai/gpt-4o-mini"), Embedding: Ptr("openai/text-embedding-3-small"),
					ContextWindowLimit: Ptr(16000), IdentityIDs: []string{"identity-1"}, Tags: []string{"user_1"},
					MemoryBlocks: []CreateBlock{{Label: "human", Value: ""}},
				})
			},
			body: `{"name":"helper","model":"openai/gpt-4o-mini","embedding":"openai/text-embedding-3-small",` +
				`"context_window_limit":16000,"identity_ids":["identity-1"],"tags":["user_1"],` +
				`"memory_blocks":[{"label":"human","value":""}]}`,
			check: func(t *testing.T, got any) { assert.Equal(t, "agent-1", got.(*AgentState).ID) },
		},
		{
			name: "Create nil params sends {}", respond: agentJSON, method: "POST", path: "/v1/agents/",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Agents.Create(ctx, nil) },
			body: `{}`,
		},
		{
			name: "List nil params sends no query", respond: "[]", method: "GET", path: "/v1/agents/",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Agents.List(ctx, nil) },
		},
		{
			name: "List empty filters send nothing", respond: "[]", method: "GET", path: "/v1/agents/",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Agents.List(ctx, &AgentListParams{Tags: []string{}, IdentifierKeys: nil, Include: []AgentInclude{}})
			},
		},
		{
			name: "List repeated keys and explicit false", respond: "[" + agentJSON + "]", method: "GET", path: "/v1/agents/",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Agents.List(ctx, &AgentListParams{
					IdentifierKeys: []string{"user_1", "user 2"}, Tags: []string{"a", "b,c"}, MatchAllTags: Ptr(false),
					Include: []AgentInclude{IncludeAgentTags, IncludeAgentIdentities}, Limit: 20, Order: OrderDesc,
					OrderBy: AgentOrderByUpdatedAt, IdentityID: "identity-1",
				})
			},
			rawQuery: "identifier_keys=user_1&identifier_keys=user+2&identity_id=identity-1&include=agent.tags&" +
				"include=agent.identities&limit=20&match_all_tags=false&order=desc&order_by=updated_at&tags=a&tags=b%2Cc",
		},
		{
			name: "List match_all_tags true", respond: "[]", method: "GET", path: "/v1/agents/",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Agents.List(ctx, &AgentListParams{Tags: []string{"t"}, MatchAllTags: Ptr(true)})
			},
			rawQuery: "match_all_tags=true&tags=t",
		},
		{
			name: "Get with include", respond: agentJSON, method: "GET", path: "/v1/agents/agent-1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Agents.Get(ctx, "agent-1", &AgentGetParams{Include: []AgentInclude{IncludeAgentBlocks}})
			},
			rawQuery: "include=agent.blocks",
		},
		{
			name: "Get nil params", respond: agentJSON, method: "GET", path: "/v1/agents/agent-1",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Agents.Get(ctx, "agent-1", nil) },
		},
		{
			name: "Update clears tags with []", respond: agentJSON, method: "PATCH", path: "/v1/agents/agent-1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Agents.Update(ctx, "agent-1", &AgentUpdateParams{Tags: []string{}, Name: Ptr("renamed")})
			},
			body: `{"name":"renamed","tags":[]}`,
		},
		{
			name: "Update nil slices unchanged", respond: agentJSON, method: "PATCH", path: "/v1/agents/agent-1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Agents.Update(ctx, "agent-1", &AgentUpdateParams{IdentityIDs: []string{"identity-2"}})
			},
			body: `{"identity_ids":["identity-2"]}`,
		},
		{
			name: "Update nil params sends {}", respond: agentJSON, method: "PATCH", path: "/v1/agents/agent-1",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Agents.Update(ctx, "agent-1", nil) },
			body: `{}`,
		},
		{
			name: "Delete", respond: `{"message":"Agent id=agent-1 successfully deleted"}`, method: "DELETE",
			path: "/v1/agents/agent-1",
			call: func(ctx context.Context, c *Client) (any, error) { return nil, c.Agents.Delete(ctx, "agent-1") },
		},
		{
			name: "Count with filters", respond: "7", method: "GET", path: "/v1/agents/count",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Agents.Count(ctx, &AgentCountParams{IdentifierKeys: []string{"user_1"}, Tags: []string{"a", "b"}})
			},
			rawQuery: "identifier_keys=user_1&tags=a&tags=b",
			check:    func(t *testing.T, got any) { assert.Equal(t, 7, got) },
		},
		{
			name: "Count nil", respond: "0", method: "GET", path: "/v1/agents/count",
			call:  func(ctx context.Context, c *Client) (any, error) { return c.Agents.Count(ctx, nil) },
			check: func(t *testing.T, got any) { assert.Equal(t, 0, got) },
		},
		{
			name: "AttachIdentity", respond: "null", method: "PATCH", path: "/v1/agents/agent-1/identities/attach/identity-1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Agents.AttachIdentity(ctx, "agent-1", "identity-1")
			},
		},
		{
			name: "DetachIdentity legacy full agent body", respond: agentJSON, method: "PATCH",
			path: "/v1/agents/agent-1/identities/detach/identity-1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Agents.DetachIdentity(ctx, "agent-1", "identity-1")
			},
		},
	}
	runWireCases(t, cases)
}

func TestAgentsRefuseInvalidParams(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, agentJSON) })
	c := newTestClient(t, srv)
	ctx := t.Context()
	// Only what no server can accept is refused before sending.
	calls := map[string]func() error{
		"list empty include": func() error {
			_, err := c.Agents.List(ctx, &AgentListParams{Include: []AgentInclude{IncludeAgentTags, ""}})
			return err
		},
		"list negative limit": func() error { _, err := c.Agents.List(ctx, &AgentListParams{Limit: -1}); return err },
		"get empty include": func() error {
			_, err := c.Agents.Get(ctx, "agent-1", &AgentGetParams{Include: []AgentInclude{""}})
			return err
		},
		"get empty id":  func() error { _, err := c.Agents.Get(ctx, "", nil); return err },
		"update dot id": func() error { _, err := c.Agents.Update(ctx, ".", nil); return err },
		"delete slash":  func() error { return c.Agents.Delete(ctx, "agent-1/x") },
		"attach empty":  func() error { return c.Agents.AttachIdentity(ctx, "agent-1", "") },
		"listall back with unknown order_by": func() error {
			for _, err := range c.Agents.ListAll(ctx, &AgentListParams{Before: "agent-1", OrderBy: "name"}) {
				return err
			}
			return nil
		},
		"listall back with unknown order": func() error {
			for _, err := range c.Agents.ListAll(ctx, &AgentListParams{Before: "agent-1", Order: "sideways"}) {
				return err
			}
			return nil
		},
	}
	for name, call := range calls {
		err := call()
		assert.ErrorIs(t, err, ErrInvalidParam, name)
		assert.Contains(t, fmt.Sprint(err), "letta: Agents.", "%s: the error names the method", name)
	}
	assert.Equal(t, 0, srv.count(), "nothing was sent")
}

// Enum values the SDK does not know are sent as given: a server that adds
// a value does not have to wait for an SDK release.
func TestAgentsSendUnknownEnumValues(t *testing.T) {
	var queries, bodies []string
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		queries = append(queries, r.URL.RawQuery)
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		switch {
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/count"):
			reply(w, 200, "1")
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/agents/"):
			reply(w, 200, "[]")
		default:
			reply(w, 200, agentJSON)
		}
	})
	c := newTestClient(t, srv)
	ctx := t.Context()
	_, err := c.Agents.List(ctx, &AgentListParams{Include: []AgentInclude{"agent.new_relationship"},
		OrderBy: "name", Order: "random", LastStopReason: "bored"})
	require.NoError(t, err)
	_, err = c.Agents.Get(ctx, "agent-1", &AgentGetParams{Include: []AgentInclude{"agent.new_relationship"}})
	require.NoError(t, err)
	_, err = c.Agents.Count(ctx, &AgentCountParams{LastStopReason: "bored"})
	require.NoError(t, err)
	_, err = c.Agents.Create(ctx, &AgentCreateParams{AgentType: Ptr(AgentType("future_agent")),
		CompactionSettings: &CompactionSettings{Mode: Ptr(CompactionMode("smart"))}})
	require.NoError(t, err)
	_, err = c.Agents.Update(ctx, "agent-1", &AgentUpdateParams{LastStopReason: Ptr(StopReasonType("bored"))})
	require.NoError(t, err)
	for _, err := range c.Agents.ListAll(ctx, &AgentListParams{OrderBy: "name"}) {
		require.NoError(t, err)
	}

	require.Len(t, queries, 6)
	assert.Equal(t, "include=agent.new_relationship&last_stop_reason=bored&order=random&order_by=name", queries[0])
	assert.Equal(t, "include=agent.new_relationship", queries[1])
	assert.Equal(t, "last_stop_reason=bored", queries[2])
	assert.JSONEq(t, `{"agent_type":"future_agent","compaction_settings":{"mode":"smart"}}`, bodies[3])
	assert.JSONEq(t, `{"last_stop_reason":"bored"}`, bodies[4])
	assert.Contains(t, queries[5], "order_by=name")
}

// The multi-user flow reads naturally and sends what the guide sends.
func TestMultiUserFlow(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch {
		case r.Method == "POST" && r.URL.Path == "/prefix/v1/identities/":
			reply(w, 200, identityJSON)
		case r.Method == "POST" && r.URL.Path == "/prefix/v1/agents/":
			reply(w, 200, agentJSON)
		default:
			reply(w, 200, "["+agentJSON+"]")
		}
	})
	c := newTestClient(t, srv, WithAPIKey(testAPIKey))
	ctx := t.Context()
	id, err := c.Identities.Create(ctx, validCreate())
	require.NoError(t, err)
	_, err = c.Agents.Create(ctx, &AgentCreateParams{Model: Ptr("openai/gpt-4o-mini"), IdentityIDs: []string{id.ID}})
	require.NoError(t, err)
	agents, err := c.Agents.List(ctx, &AgentListParams{IdentifierKeys: []string{"user_1"}})
	require.NoError(t, err)
	require.Len(t, agents, 1)
	reqs := srv.requests()
	require.Len(t, reqs, 3)
	assert.JSONEq(t, `{"model":"openai/gpt-4o-mini","identity_ids":["identity-1"]}`, string(reqs[1].Body))
	assert.Equal(t, "identifier_keys=user_1", reqs[2].RawQ)
}

// TestHiddenAgentsNeedShowHiddenAgents: an agent updated with Hidden is
// left out of List and Count unless ShowHiddenAgents asks for it
// (show_hidden_agents, which the published spec does not list).
func TestHiddenAgentsNeedShowHiddenAgents(t *testing.T) {
	srv := relServer(t)
	c := relClient(t, srv.URL)
	ctx := t.Context()
	a, err := c.Agents.Create(ctx, &AgentCreateParams{Name: Ptr("hidden-one")})
	require.NoError(t, err)
	_, err = c.Agents.Update(ctx, a.ID, &AgentUpdateParams{Hidden: Ptr(true)})
	require.NoError(t, err)

	list, err := c.Agents.List(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, list)
	n, err := c.Agents.Count(ctx, nil)
	require.NoError(t, err)
	assert.Zero(t, n)

	list, err = c.Agents.List(ctx, &AgentListParams{ShowHiddenAgents: Ptr(true)})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, a.ID, list[0].ID)
	n, err = c.Agents.Count(ctx, &AgentCountParams{ShowHiddenAgents: Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	reqs := srv.Requests()
	assert.Equal(t, "show_hidden_agents=true", reqs[len(reqs)-1].RawQuery)
}
