package letta

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const blockJSON = `{"id":"block-1","label":"human","value":"Caren","limit":100000,"tags":["t"],"metadata":{}}`

func TestBlocksWire(t *testing.T) {
	cases := []wireCase{
		{
			name: "Create", respond: blockJSON, method: "POST", path: "/v1/blocks/",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Blocks.Create(ctx, &BlockCreateParams{Label: "human", Value: "", Limit: Ptr(500),
					Tags: []string{"user_1"}, ReadOnly: Ptr(false)})
			},
			// Value "" is sent (required); false is sent when set.
			body: `{"label":"human","value":"","limit":500,"tags":["user_1"],"read_only":false}`,
			check: func(t *testing.T, got any) {
				b := got.(*Block)
				assert.Equal(t, "block-1", b.ID)
				assert.Equal(t, "human", b.GetLabel())
			},
		},
		{
			name: "List without params", respond: "[" + blockJSON + "]", method: "GET", path: "/v1/blocks/",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Blocks.List(ctx, nil) },
		},
		{
			name: "List with every filter", respond: "[]", method: "GET", path: "/v1/blocks/",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Blocks.List(ctx, &BlockListParams{
					Label: "human", TemplatesOnly: true, Name: "tpl", IdentityID: "identity-1",
					IdentifierKeys: []string{"user_1", "user 2"}, ProjectID: "p", Tags: []string{"a", "b"},
					MatchAllTags: true, LabelSearch: "hu", DescriptionSearch: "d s", ValueSearch: "v",
					ConnectedToAgentsCountGT: Ptr(0), ConnectedToAgentsCountLT: Ptr(5),
					ConnectedToAgentsCountEq: []int{0, 2}, Before: "block-b", After: "block-a", Limit: 10,
					Order: OrderDesc, OrderBy: BlockOrderByCreatedAt, ShowHiddenBlocks: true,
				})
			},
			// A set zero (ConnectedToAgentsCountGT: Ptr(0)) is a filter and is sent.
			rawQuery: "after=block-a&before=block-b&connected_to_agents_count_eq=0&connected_to_agents_count_eq=2" +
				"&connected_to_agents_count_gt=0&connected_to_agents_count_lt=5&description_search=d+s" +
				"&identifier_keys=user_1&identifier_keys=user+2&identity_id=identity-1&label=human&label_search=hu" +
				"&limit=10&match_all_tags=true&name=tpl&order=desc&order_by=created_at&project_id=p&show_hidden_blocks=true" +
				"&tags=a&tags=b&templates_only=true&value_search=v",
		},
		{
			name: "List with empty filters sends nothing", respond: "[]", method: "GET", path: "/v1/blocks/",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Blocks.List(ctx, &BlockListParams{Tags: []string{}, IdentifierKeys: []string{}, ConnectedToAgentsCountEq: []int{}})
			},
		},
		{
			name: "Count", respond: "3", method: "GET", path: "/v1/blocks/count",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Blocks.Count(ctx, &BlockCountParams{Label: "human", Tags: []string{"a", "b"}, MatchAllTags: true,
					TemplatesOnly: true, Name: "n", ProjectID: "p"})
			},
			rawQuery: "label=human&match_all_tags=true&name=n&project_id=p&tags=a&tags=b&templates_only=true",
			check:    func(t *testing.T, got any) { assert.Equal(t, 3, got) },
		},
		{
			name: "Count without params", respond: "0", method: "GET", path: "/v1/blocks/count",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Blocks.Count(ctx, nil) },
		},
		{
			name: "Get", respond: blockJSON, method: "GET", path: "/v1/blocks/block-1",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Blocks.Get(ctx, "block-1") },
		},
		{
			name: "Update", respond: blockJSON, method: "PATCH", path: "/v1/blocks/block-1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Blocks.Update(ctx, "block-1", &BlockUpdateParams{Value: Ptr(""), Tags: []string{},
					Metadata: map[string]any{}, ReadOnly: Ptr(false)})
			},
			// Set zero values and empty collections are sent: they change the block.
			body: `{"value":"","tags":[],"metadata":{},"read_only":false}`,
		},
		{
			name: "Update nil sends {}", respond: blockJSON, method: "PATCH", path: "/v1/blocks/block-1",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Blocks.Update(ctx, "block-1", nil) },
			body: `{}`,
		},
		{
			name: "Update with nil fields sends {}", respond: blockJSON, method: "PATCH", path: "/v1/blocks/block-1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Blocks.Update(ctx, "block-1", &BlockUpdateParams{})
			},
			body: `{}`,
		},
		{
			name: "Delete", respond: "null", method: "DELETE", path: "/v1/blocks/block-1",
			call: func(ctx context.Context, c *Client) (any, error) { return nil, c.Blocks.Delete(ctx, "block-1") },
		},
		{
			name: "ListAgents", respond: "[" + agentJSON + "]", method: "GET", path: "/v1/blocks/block-1/agents",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Blocks.ListAgents(ctx, "block-1", &BlockAgentListParams{After: "agent-0", Limit: 2, Order: OrderAsc,
					Include: []AgentInclude{IncludeAgentTags, IncludeAgentBlocks}})
			},
			rawQuery: "after=agent-0&include=agent.tags&include=agent.blocks&limit=2&order=asc",
			check:    func(t *testing.T, got any) { assert.Equal(t, []string{"agent-1"}, agentIDsOf(got.([]AgentState))) },
		},
		{
			name: "AttachIdentity", respond: blockJSON, method: "PATCH", path: "/v1/blocks/block-1/identities/attach/identity-1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Blocks.AttachIdentity(ctx, "block-1", "identity-1")
			},
			noContent: true,
		},
		{
			name: "DetachIdentity", respond: blockJSON, method: "PATCH", path: "/v1/blocks/block-1/identities/detach/identity-1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Blocks.DetachIdentity(ctx, "block-1", "identity-1")
			},
			noContent: true,
		},
	}
	runWireCases(t, cases)
}

func TestAgentsCoreMemoryWire(t *testing.T) {
	cases := []wireCase{
		{
			name: "ListBlocks", respond: "[" + blockJSON + "]", method: "GET", path: "/v1/agents/agent-1/core-memory/blocks",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Agents.ListBlocks(ctx, "agent-1", nil) },
		},
		{
			name: "ListBlocks with params", respond: "[]", method: "GET", path: "/v1/agents/agent-1/core-memory/blocks",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Agents.ListBlocks(ctx, "agent-1", &AgentBlockListParams{Before: "block-9", After: "block-1", Limit: 3,
					Order: OrderAsc, OrderBy: BlockOrderByCreatedAt})
			},
			rawQuery: "after=block-1&before=block-9&limit=3&order=asc&order_by=created_at",
		},
		{
			name: "GetBlock", respond: blockJSON, method: "GET", path: "/v1/agents/agent-1/core-memory/blocks/human",
			call: func(ctx context.Context, c *Client) (any, error) { return c.Agents.GetBlock(ctx, "agent-1", "human") },
		},
		{
			name: "UpdateBlock", respond: blockJSON, method: "PATCH", path: "/v1/agents/agent-1/core-memory/blocks/human",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Agents.UpdateBlock(ctx, "agent-1", "human", &BlockUpdateParams{Value: Ptr("Caren likes jazz.")})
			},
			body: `{"value":"Caren likes jazz."}`,
		},
		{
			name: "UpdateBlock nil sends {}", respond: blockJSON, method: "PATCH", path: "/v1/agents/agent-1/core-memory/blocks/human",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Agents.UpdateBlock(ctx, "agent-1", "human", nil)
			},
			body: `{}`,
		},
		{
			name: "AttachBlock", respond: agentJSON, method: "PATCH", path: "/v1/agents/agent-1/core-memory/blocks/attach/block-1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Agents.AttachBlock(ctx, "agent-1", "block-1")
			},
			noContent: true,
			check:     func(t *testing.T, got any) { assert.Equal(t, "agent-1", got.(*AgentState).ID) },
		},
		{
			name: "DetachBlock", respond: agentJSON, method: "PATCH", path: "/v1/agents/agent-1/core-memory/blocks/detach/block-1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Agents.DetachBlock(ctx, "agent-1", "block-1")
			},
			noContent: true,
		},
	}
	runWireCases(t, cases)
}

func agentIDsOf(agents []AgentState) []string {
	out := make([]string, len(agents))
	for i, a := range agents {
		out[i] = a.ID
	}
	return out
}

// Labels and block ids are escaped into one path segment like every id,
// and the same values are refused.
func TestBlocksPathSegments(t *testing.T) {
	tests := []struct{ seg, want string }{
		{"human", "human"},
		{"attach", "attach"}, // stays the label route: one segment
		{"a b", "a%20b"},
		{"x?limit=1", "x%3Flimit=1"},
		{"x#f", "x%23f"},
		{"%2F", "%252F"},
		{"naïve", "na%C3%AFve"},
		{"...", "..."},
		{"", ""},
		{".", ""},
		{"..", ""},
		{"a/b", ""},
		{"../x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.seg, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				switch {
				case r.Method == http.MethodDelete:
					reply(w, 200, "null")
				case strings.HasSuffix(r.URL.EscapedPath(), "/agents"):
					reply(w, 200, "[]")
				default:
					reply(w, 200, blockJSON)
				}
			})
			c := newTestClient(t, srv)
			ctx := t.Context()
			calls := []struct {
				pattern string
				call    func() error
			}{
				{"/v1/agents/agent-1/core-memory/blocks/%s", func() error { _, err := c.Agents.GetBlock(ctx, "agent-1", tt.seg); return err }},
				{"/v1/agents/agent-1/core-memory/blocks/%s", func() error {
					_, err := c.Agents.UpdateBlock(ctx, "agent-1", tt.seg, nil)
					return err
				}},
				{"/v1/agents/%s/core-memory/blocks/human", func() error { _, err := c.Agents.GetBlock(ctx, tt.seg, "human"); return err }},
				{"/v1/blocks/%s", func() error { _, err := c.Blocks.Get(ctx, tt.seg); return err }},
				{"/v1/blocks/%s", func() error { return c.Blocks.Delete(ctx, tt.seg) }},
				{"/v1/blocks/%s/agents", func() error { _, err := c.Blocks.ListAgents(ctx, tt.seg, nil); return err }},
				{"/v1/blocks/block-1/identities/attach/%s", func() error {
					_, err := c.Blocks.AttachIdentity(ctx, "block-1", tt.seg)
					return err
				}},
				{"/v1/agents/agent-1/core-memory/blocks/detach/%s", func() error {
					_, err := c.Agents.DetachBlock(ctx, "agent-1", tt.seg)
					return err
				}},
			}
			for _, cl := range calls {
				before := srv.count()
				err := cl.call()
				if tt.want == "" {
					require.ErrorIs(t, err, ErrInvalidParam, cl.pattern)
					var ipe *InvalidParamError
					require.ErrorAs(t, err, &ipe)
					assert.Equal(t, tt.seg, ipe.Value)
					assert.Equal(t, before, srv.count(), "nothing sent for %s", cl.pattern)
					continue
				}
				require.NoError(t, err, cl.pattern)
				reqs := srv.requests()
				require.Len(t, reqs, before+1)
				assert.Equal(t, "/prefix"+sprintfPath(cl.pattern, tt.want), reqs[before].Path, cl.pattern)
				assert.Empty(t, reqs[before].RawQ)
			}
		})
	}
}

func TestBlocksRefuseInvalidParams(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, blockJSON) })
	c := newTestClient(t, srv)
	ctx := t.Context()
	first := func(seq func(func(Block, error) bool)) error {
		for _, err := range seq {
			return err
		}
		return nil
	}
	calls := map[string]struct {
		call  func() error
		param string
	}{
		"create nil":         {func() error { _, err := c.Blocks.Create(ctx, nil); return err }, "params"},
		"create empty label": {func() error { _, err := c.Blocks.Create(ctx, &BlockCreateParams{Value: "x"}); return err }, "label"},
		"create neg limit": {func() error {
			_, err := c.Blocks.Create(ctx, &BlockCreateParams{Label: "l", Limit: Ptr(-1)})
			return err
		}, "limit"},
		"list negative limit": {func() error { _, err := c.Blocks.List(ctx, &BlockListParams{Limit: -1}); return err }, "limit"},
		"update neg limit": {func() error {
			_, err := c.Blocks.Update(ctx, "block-1", &BlockUpdateParams{Limit: Ptr(-5)})
			return err
		}, "limit"},
		"agent update neg limit": {func() error {
			_, err := c.Agents.UpdateBlock(ctx, "agent-1", "human", &BlockUpdateParams{Limit: Ptr(-5)})
			return err
		}, "limit"},
		"agent list negative limit": {func() error {
			_, err := c.Agents.ListBlocks(ctx, "agent-1", &AgentBlockListParams{Limit: -1})
			return err
		}, "limit"},
		"block agents empty include": {func() error {
			_, err := c.Blocks.ListAgents(ctx, "block-1", &BlockAgentListParams{Include: []AgentInclude{""}})
			return err
		}, "include[0]"},
		"attach block empty id":  {func() error { _, err := c.Agents.AttachBlock(ctx, "agent-1", ""); return err }, "block_id"},
		"detach block dot agent": {func() error { _, err := c.Agents.DetachBlock(ctx, ".", "block-1"); return err }, "agent_id"},
		"detach identity slash":  {func() error { _, err := c.Blocks.DetachIdentity(ctx, "block-1", "a/b"); return err }, "identity_id"},
		"listall identity_id":    {func() error { return first(c.Blocks.ListAll(ctx, &BlockListParams{IdentityID: "identity-1"})) }, "identity_id"},
		"listall identifier_keys": {func() error {
			return first(c.Blocks.ListAll(ctx, &BlockListParams{IdentifierKeys: []string{"u"}}))
		}, "identifier_keys"},
		"listall count gt": {func() error {
			return first(c.Blocks.ListAll(ctx, &BlockListParams{ConnectedToAgentsCountGT: Ptr(0)}))
		}, "connected_to_agents_count_gt"},
		"listall count eq": {func() error {
			return first(c.Blocks.ListAll(ctx, &BlockListParams{ConnectedToAgentsCountEq: []int{1}}))
		}, "connected_to_agents_count_eq"},
		"listall back unknown order": {func() error {
			return first(c.Blocks.ListAll(ctx, &BlockListParams{Before: "block-1", Order: "sideways"}))
		}, "order"},
		"agent listall empty agent": {func() error { return first(c.Agents.ListBlocksAll(ctx, "", nil)) }, "agent_id"},
		"agents of block listall bad id": {func() error {
			for _, err := range c.Blocks.ListAgentsAll(ctx, "..", nil) {
				return err
			}
			return nil
		}, "block_id"},
	}
	for name, tc := range calls {
		err := tc.call()
		require.ErrorIs(t, err, ErrInvalidParam, name)
		var ip *InvalidParamError
		require.ErrorAs(t, err, &ip, name)
		assert.Equal(t, tc.param, ip.Param, name)
		assert.Regexp(t, `letta: (Blocks|Agents)\.`, fmt.Sprint(err), "%s: the error names the method", name)
	}
	assert.Equal(t, 0, srv.count(), "nothing was sent")
}

// pageServer answers a list route from ids, honouring after, limit and
// order the way the server does for the route: byID compares the cursor
// with ids (an agent's core memory), otherwise the cursor is looked up and
// an unknown one is ignored (GET /v1/blocks/).
func pageServer(t *testing.T, ids []string, defaultAsc bool) *testServer {
	return newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		q := r.URL.Query()
		asc := defaultAsc
		if o := q.Get("order"); o != "" {
			asc = o == "asc"
		}
		list := append([]string(nil), ids...)
		if !asc {
			for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
				list[i], list[j] = list[j], list[i]
			}
		}
		if after := q.Get("after"); after != "" {
			for i, id := range list {
				if id == after {
					list = list[i+1:]
					break
				}
			}
		}
		if l := q.Get("limit"); l != "" {
			n, _ := strconv.Atoi(l)
			list = list[:min(n, len(list))]
		}
		body := "["
		for i, id := range list {
			if i > 0 {
				body += ","
			}
			body += `{"id":"` + id + `","value":""}`
		}
		reply(w, 200, body+"]")
	})
}

func TestBlocksListAllPaging(t *testing.T) {
	ids := []string{"block-1", "block-2", "block-3", "block-4", "block-5"}
	tests := []struct {
		name   string
		params *BlockListParams
		want   []string
		// orders are the order= values of the page requests (the last
		// one gets the empty page that ends the list).
		orders []string
	}{
		// ListAll sends the default order (asc) explicitly.
		{"default order is asc", &BlockListParams{Limit: 2}, ids, []string{"asc", "asc", "asc", "asc"}},
		{"desc", &BlockListParams{Limit: 2, Order: OrderDesc}, []string{"block-5", "block-4", "block-3", "block-2", "block-1"}, []string{"desc", "desc", "desc", "desc"}},
		// Before without an order walks back from it in the default asc
		// order: the request asks for desc after it.
		{"before in the default order", &BlockListParams{Limit: 2, Before: "block-4"}, []string{"block-3", "block-2", "block-1"}, []string{"desc", "desc", "desc"}},
		{"before in desc", &BlockListParams{Limit: 2, Before: "block-2", Order: OrderDesc}, []string{"block-3", "block-4", "block-5"}, []string{"asc", "asc", "asc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := pageServer(t, ids, true)
			c := newTestClient(t, srv)
			var got []string
			for b, err := range c.Blocks.ListAll(t.Context(), tt.params) {
				require.NoError(t, err)
				got = append(got, b.ID)
			}
			assert.Equal(t, tt.want, got)
			var orders []string
			for _, r := range srv.requests() {
				assert.Equal(t, "/prefix/v1/blocks/", r.Path)
				assert.Empty(t, r.Query["before"], "before is never sent: the walk uses after")
				orders = append(orders, r.Query.Get("order"))
			}
			assert.Equal(t, tt.orders, orders)
		})
	}
}

func TestAgentsListBlocksAllPaging(t *testing.T) {
	// The server sorts an agent's blocks by id, newest (largest) first by
	// default.
	ids := []string{"block-a", "block-b", "block-c"}
	srv := pageServer(t, ids, false)
	c := newTestClient(t, srv)
	var got []string
	for b, err := range c.Agents.ListBlocksAll(t.Context(), "agent-1", &AgentBlockListParams{Limit: 1}) {
		require.NoError(t, err)
		got = append(got, b.ID)
	}
	assert.Equal(t, []string{"block-c", "block-b", "block-a"}, got)
	reqs := srv.requests()
	require.Len(t, reqs, 4, "one page per block and the empty page")
	assert.Equal(t, []string{"", "block-c", "block-b", "block-a"},
		[]string{reqs[0].Query.Get("after"), reqs[1].Query.Get("after"), reqs[2].Query.Get("after"), reqs[3].Query.Get("after")})
	for _, r := range reqs {
		assert.Equal(t, "/prefix/v1/agents/agent-1/core-memory/blocks", r.Path)
	}

	// Back from block-a (the last, desc): the ones before it, nearest first.
	srv = pageServer(t, ids, false)
	c = newTestClient(t, srv)
	got = nil
	for b, err := range c.Agents.ListBlocksAll(t.Context(), "agent-1", &AgentBlockListParams{Before: "block-a"}) {
		require.NoError(t, err)
		got = append(got, b.ID)
	}
	assert.Equal(t, []string{"block-b", "block-c"}, got)
}
