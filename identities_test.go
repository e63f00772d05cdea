package letta

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wireCase is one service call and what must go over the wire.
type wireCase struct {
	name      string
	respond   string // 200 body
	call      func(ctx context.Context, c *Client) (any, error)
	method    string
	path      string // escaped, after the /prefix base path
	rawQuery  string // exact (keys are sorted)
	body      string // JSON; "" = no body
	check     func(t *testing.T, got any)
	noContent bool // PATCH without a body (Content-Length: 0)
}

func runWireCases(t *testing.T, cases []wireCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, tc.respond) })
			c := newTestClient(t, srv)
			got, err := tc.call(t.Context(), c)
			require.NoError(t, err)
			reqs := srv.requests()
			require.Len(t, reqs, 1)
			r := reqs[0]
			assert.Equal(t, tc.method, r.Method)
			assert.Equal(t, "/prefix"+tc.path, r.Path)
			assert.Equal(t, tc.rawQuery, r.RawQ)
			if tc.body == "" {
				assert.False(t, r.HasBody, "no body expected, got %q", r.Body)
				assert.Empty(t, r.Header.Get("Content-Type"))
			} else {
				assert.JSONEq(t, tc.body, string(r.Body))
				assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			}
			if tc.check != nil {
				tc.check(t, got)
			}
		})
	}
}

func TestIdentitiesWire(t *testing.T) {
	props := []IdentityProperty{StringProperty("plan", "pro"), IntProperty("seats", 3), BoolProperty("beta", true)}
	cases := []wireCase{
		{
			name: "Create", respond: identityJSON, method: "POST", path: "/v1/identities/",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Identities.Create(ctx, &IdentityCreateParams{IdentifierKey: "user_1", Name: "Caren",
					IdentityType: IdentityTypeUser, Properties: props})
			},
			body: `{"identifier_key":"user_1","name":"Caren","identity_type":"user","properties":[` +
				`{"key":"plan","value":"pro","type":"string"},{"key":"seats","value":3,"type":"number"},` +
				`{"key":"beta","value":true,"type":"boolean"}]}`,
			check: func(t *testing.T, got any) {
				id := got.(*Identity)
				assert.Equal(t, "identity-1", id.ID)
				require.NotNil(t, id.OrganizationID)
				assert.Equal(t, "org-1", *id.OrganizationID)
			},
		},
		{
			name: "Create with nil slices sends no keys", respond: identityJSON, method: "POST", path: "/v1/identities/",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Identities.Create(ctx, validCreate()) },
			body: `{"identifier_key":"user_1","name":"Caren","identity_type":"user"}`,
		},
		{
			name: "List without params", respond: "[" + identityJSON + "]", method: "GET", path: "/v1/identities/",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Identities.List(ctx, nil) },
			check: func(t *testing.T, got any) {
				assert.Len(t, got.([]Identity), 1)
			},
		},
		{
			name: "List with filters", respond: "[]", method: "GET", path: "/v1/identities/",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Identities.List(ctx, &IdentityListParams{IdentifierKey: "user 1", IdentityType: IdentityTypeOrg,
					Limit: 10, Order: OrderAsc, After: "identity-0"})
			},
			rawQuery: "after=identity-0&identifier_key=user+1&identity_type=org&limit=10&order=asc",
		},
		{
			name: "Get", respond: identityJSON, method: "GET", path: "/v1/identities/identity-1",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Identities.Get(ctx, "identity-1") },
		},
		{
			name: "Update appends", respond: identityJSON, method: "PATCH", path: "/v1/identities/identity-1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Identities.Update(ctx, "identity-1", &IdentityUpdateParams{Name: Ptr(""), AgentIDs: []string{}})
			},
			body: `{"name":"","agent_ids":[]}`,
		},
		{
			name: "Update nil params sends {}", respond: identityJSON, method: "PATCH", path: "/v1/identities/identity-1",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Identities.Update(ctx, "identity-1", nil) },
			body: `{}`,
		},
		{
			name: "Upsert with empty lists clears", respond: identityJSON, method: "PUT", path: "/v1/identities/",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Identities.Upsert(ctx, &IdentityUpsertParams{IdentifierKey: "user_1", Name: "C",
					IdentityType: IdentityTypeUser, AgentIDs: []string{}, Properties: []IdentityProperty{}})
			},
			body: `{"identifier_key":"user_1","name":"C","identity_type":"user","agent_ids":[],"properties":[]}`,
		},
		{
			name: "Delete", respond: "null", method: "DELETE", path: "/v1/identities/identity-1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Identities.Delete(ctx, "identity-1")
			},
		},
		{
			name: "Count", respond: "42", method: "GET", path: "/v1/identities/count",
			call:  func(ctx context.Context, c *Client) (any, error) { return c.Identities.Count(ctx) },
			check: func(t *testing.T, got any) { assert.Equal(t, 42, got) },
		},
		{
			name: "UpsertProperties", respond: identityJSON, method: "PUT", path: "/v1/identities/identity-1/properties",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Identities.UpsertProperties(ctx, "identity-1", props[:1])
			},
			body: `[{"key":"plan","value":"pro","type":"string"}]`,
		},
		{
			name: "UpsertProperties nil clears with []", respond: identityJSON, method: "PUT", path: "/v1/identities/identity-1/properties",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Identities.UpsertProperties(ctx, "identity-1", nil)
			},
			body: `[]`,
		},
		{
			name: "ListAgents", respond: "[" + agentJSON + "]", method: "GET", path: "/v1/identities/identity-1/agents",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Identities.ListAgents(ctx, "identity-1", &IdentityAgentListParams{
					Include: []AgentInclude{IncludeAgentTags, IncludeAgentIdentities}, Limit: 5})
			},
			rawQuery: "include=agent.tags&include=agent.identities&limit=5",
			check: func(t *testing.T, got any) {
				require.Len(t, got.([]AgentState), 1)
				assert.Equal(t, "agent-1", got.([]AgentState)[0].ID)
			},
		},
		{
			name: "ListBlocks", respond: `[{"id":"block-1","value":"v","limit":10}]`, method: "GET",
			path: "/v1/identities/identity-1/blocks",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Identities.ListBlocks(ctx, "identity-1", nil)
			},
			check: func(t *testing.T, got any) { assert.Equal(t, "block-1", got.([]Block)[0].ID) },
		},
	}
	runWireCases(t, cases)
}

// Ids are escaped into exactly one path segment; unusable ids are refused
// before anything is sent.
func TestPathIDs(t *testing.T) {
	tests := []struct {
		id   string
		want string // escaped path segment; "" = refused
	}{
		{"identity-1", "identity-1"},
		{"a/b", ""},
		{"../agents", ""},
		{"x?limit=1", "x%3Flimit=1"},
		{"x#frag", "x%23frag"},
		{"100%", "100%25"},
		{"%2F", "%252F"},
		{"a b", "a%20b"},
		{"naïve-日本", "na%C3%AFve-%E6%97%A5%E6%9C%AC"},
		{"...", "..."},
		{"", ""},
		{".", ""},
		{"..", ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				if r.Method == http.MethodDelete {
					reply(w, 200, "null")
					return
				}
				reply(w, 200, identityJSON)
			})
			c := newTestClient(t, srv)
			calls := map[string]func() error{
				"/v1/identities/%s": func() error { _, err := c.Identities.Get(t.Context(), tt.id); return err },
				"/v1/identities/%s/properties": func() error {
					_, err := c.Identities.UpsertProperties(t.Context(), tt.id, nil)
					return err
				},
				"/v1/agents/%s": func() error { return c.Agents.Delete(t.Context(), tt.id) },
				"/v1/agents/agent-1/identities/attach/%s": func() error {
					return c.Agents.AttachIdentity(t.Context(), "agent-1", tt.id)
				},
				"/v1/agents/%s/identities/detach/identity-1": func() error {
					return c.Agents.DetachIdentity(t.Context(), tt.id, "identity-1")
				},
			}
			for pattern, call := range calls {
				before := srv.count()
				err := call()
				if tt.want == "" {
					require.ErrorIs(t, err, ErrInvalidParam, pattern)
					var ipe *InvalidParamError
					require.ErrorAs(t, err, &ipe)
					assert.Equal(t, tt.id, ipe.Value)
					assert.Equal(t, before, srv.count(), "nothing sent for %s", pattern)
					continue
				}
				require.NoError(t, err, pattern)
				reqs := srv.requests()
				require.Len(t, reqs, before+1)
				want := "/prefix" + sprintfPath(pattern, tt.want)
				assert.Equal(t, want, reqs[before].Path, pattern)
				assert.Empty(t, reqs[before].RawQ, "the id never leaks into the query")
			}
		})
	}
}

func sprintfPath(pattern, seg string) string {
	out := []byte{}
	for i := 0; i < len(pattern); i++ {
		if pattern[i] == '%' && i+1 < len(pattern) && pattern[i+1] == 's' {
			out = append(out, seg...)
			i++
			continue
		}
		out = append(out, pattern[i])
	}
	return string(out)
}

func TestIdentitiesRefuseInvalidParams(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, identityJSON) })
	c := newTestClient(t, srv)
	ctx := t.Context()
	// Each refusal, and the exact message a caller reads.
	calls := map[string]struct {
		call func() error
		msg  string
	}{
		"create nil": {func() error { _, err := c.Identities.Create(ctx, nil); return err },
			"letta: Identities.Create: params is nil"},
		"create no key": {func() error {
			_, err := c.Identities.Create(ctx, &IdentityCreateParams{Name: "n", IdentityType: IdentityTypeUser})
			return err
		}, "letta: Identities.Create: missing required field identifier_key"},
		"create empty": {func() error { _, err := c.Identities.Create(ctx, &IdentityCreateParams{}); return err },
			"letta: Identities.Create: missing required fields identifier_key, name, identity_type"},
		"upsert nil": {func() error { _, err := c.Identities.Upsert(ctx, nil); return err },
			"letta: Identities.Upsert: params is nil"},
		"upsert two missing": {func() error {
			_, err := c.Identities.Upsert(ctx, &IdentityUpsertParams{IdentifierKey: "k"})
			return err
		}, "letta: Identities.Upsert: missing required fields name, identity_type"},
		"get empty id": {func() error { _, err := c.Identities.Get(ctx, ""); return err },
			"letta: Identities.Get: identity_id must not be empty"},
		"delete slash": {func() error { return c.Identities.Delete(ctx, "a/b") },
			`letta: Identities.Delete: invalid identity_id "a/b": must not contain '/'`},
		"agents empty incl": {func() error {
			_, err := c.Identities.ListAgents(ctx, "identity-1", &IdentityAgentListParams{Include: []AgentInclude{""}})
			return err
		}, "letta: Identities.ListAgents: include[0] must not be empty"},
		"blocks bad limit": {func() error {
			_, err := c.Identities.ListBlocks(ctx, "identity-1", &IdentityBlockListParams{Limit: -1})
			return err
		}, `letta: Identities.ListBlocks: invalid limit "-1": must not be negative`},
		"property without type": {func() error {
			_, err := c.Identities.UpsertProperties(ctx, "identity-1", []IdentityProperty{{Key: "k", Value: json.RawMessage(`1`)}})
			return err
		}, "letta: Identities.UpsertProperties: missing required field properties[0].type"},
	}
	for name, tc := range calls {
		err := tc.call()
		assert.ErrorIs(t, err, ErrInvalidParam, name)
		assert.EqualError(t, err, tc.msg, name)
	}
	assert.Equal(t, 0, srv.count(), "nothing was sent")

	var ip *InvalidParamError
	_, err := c.Identities.Create(ctx, &IdentityCreateParams{IdentityType: IdentityTypeUser})
	require.ErrorAs(t, err, &ip)
	assert.Equal(t, []string{"identifier_key", "name"}, ip.Missing)
	assert.Equal(t, "Identities.Create", ip.Op)
}

// Enum values the SDK does not know are sent as given.
func TestIdentitiesSendUnknownEnumValues(t *testing.T) {
	var queries, bodies []string
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		queries = append(queries, r.URL.RawQuery)
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if r.Method == http.MethodGet {
			reply(w, 200, "[]")
			return
		}
		reply(w, 200, identityJSON)
	})
	c := newTestClient(t, srv)
	ctx := t.Context()
	_, err := c.Identities.Create(ctx, &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: "robot",
		Properties: []IdentityProperty{{Key: "k", Value: json.RawMessage(`1`), Type: "int"}}})
	require.NoError(t, err)
	_, err = c.Identities.Update(ctx, "identity-1", &IdentityUpdateParams{IdentityType: Ptr(IdentityType("robot"))})
	require.NoError(t, err)
	_, err = c.Identities.List(ctx, &IdentityListParams{IdentityType: "robot", Order: "up", OrderBy: "name"})
	require.NoError(t, err)
	_, err = c.Identities.ListAgents(ctx, "identity-1", &IdentityAgentListParams{Include: []AgentInclude{"agent.new_relationship"}})
	require.NoError(t, err)

	require.Len(t, bodies, 4)
	assert.JSONEq(t, `{"identifier_key":"k","name":"n","identity_type":"robot","properties":[{"key":"k","value":1,"type":"int"}]}`, bodies[0])
	assert.JSONEq(t, `{"identity_type":"robot"}`, bodies[1])
	assert.Equal(t, "identity_type=robot&order=up&order_by=name", queries[2])
	assert.Equal(t, "include=agent.new_relationship", queries[3])
}
