package lettatest

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// coreMemoryAgent creates an agent with human and persona blocks and a
// shared block, and returns the agent's id and its block ids sorted.
func coreMemoryAgent(t *testing.T, srv *Server) (string, []string) {
	t.Helper()
	shared := createBlock(t, srv, map[string]any{"label": "team", "value": "blue", "tags": []any{"t"}})
	a := createAgent(t, srv, map[string]any{
		"memory_blocks": []any{
			map[string]any{"label": "human", "value": "Name: Ada"},
			map[string]any{"label": "persona", "value": "A helper."},
		},
		"block_ids": []any{shared["id"]},
	})
	var bids []string
	for _, b := range a["memory"].(map[string]any)["blocks"].([]any) {
		bids = append(bids, b.(map[string]any)["id"].(string))
	}
	require.Len(t, bids, 3)
	slices.Sort(bids)
	return a["id"].(string), bids
}

func TestListCoreMemoryBlocks(t *testing.T) {
	srv := newServer(t)
	agentID, asc := coreMemoryAgent(t, srv)
	desc := slices.Clone(asc)
	slices.Reverse(desc)
	path := "/v1/agents/" + agentID + "/core-memory/blocks"
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"by id, descending by default", "", desc},
		{"asc", "?order=asc", asc},
		{"order_by is ignored", "?order=asc&order_by=created_at", asc},
		{"limit", "?limit=2", desc[:2]},
		{"limit 0 is no limit", "?limit=0", desc},
		{"after (desc): smaller ids", "?after=" + desc[0], desc[1:]},
		{"before (desc): larger ids", "?before=" + desc[2], desc[:2]},
		{"after (asc)", "?order=asc&after=" + asc[0], asc[1:]},
		{"a cursor need not exist", "?order=asc&after=block-0", asc},
		{"window", "?order=asc&after=" + asc[0] + "&before=" + asc[2], asc[1:2]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := call(t, srv, "GET", path+tt.query, nil).list(t)
			assert.Equal(t, tt.want, ids(t, l))
		})
	}
	l := call(t, srv, "GET", path, nil).list(t)
	for _, b := range l {
		if b.(map[string]any)["label"] == "team" {
			assert.Equal(t, []any{"t"}, b.(map[string]any)["tags"], "core memory blocks carry their tags")
		}
	}

	errs := []struct {
		path   string
		status int
		detail string
	}{
		{path + "?limit=-1", 500, "A database error occurred."},
		{path + "?order=up", 422, "'literal_error', 'loc': ('query', 'order')"},
		{"/v1/agents/" + unknownAgentID + "/core-memory/blocks", 404, "Agent not found with id='['" + unknownAgentID + "']'"},
		{"/v1/agents/agent-1/core-memory/blocks", 422, "('path', 'agent_id')"},
	}
	for _, e := range errs {
		r := call(t, srv, "GET", e.path, nil)
		require.Equal(t, e.status, r.status, "%s: %s", e.path, r.body)
		assert.Contains(t, r.detail(t), e.detail)
	}
}

func TestGetCoreMemoryBlock(t *testing.T) {
	srv := newServer(t)
	agentID, _ := coreMemoryAgent(t, srv)
	base := "/v1/agents/" + agentID + "/core-memory/blocks/"
	tests := []struct {
		name, path string
		status     int
		want       string // value, or a substring of the detail
	}{
		{"human", base + "human", 200, "Name: Ada"},
		{"shared block", base + "team", 200, "blue"},
		{"unknown label", base + "nope", 404, "No block with label 'nope' found for agent '" + agentID + "'"},
		{"a label named attach", base + "attach", 404, "No block with label 'attach' found"},
		{"unknown agent", "/v1/agents/" + unknownAgentID + "/core-memory/blocks/human", 404, "Agent not found with id="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv, "GET", tt.path, nil)
			require.Equal(t, tt.status, r.status, "body: %s", r.body)
			if tt.status == 200 {
				assert.Equal(t, tt.want, r.obj(t)["value"])
				return
			}
			assert.Contains(t, r.detail(t), tt.want)
		})
	}
}

func TestUpdateCoreMemoryBlock(t *testing.T) {
	srv := newServer(t)
	agentID, _ := coreMemoryAgent(t, srv)
	other := createAgent(t, srv, map[string]any{})["id"].(string)
	team := call(t, srv, "GET", "/v1/agents/"+agentID+"/core-memory/blocks/team", nil).obj(t)
	mustOK(t, call(t, srv, "PATCH", "/v1/agents/"+other+"/core-memory/blocks/attach/"+team["id"].(string), nil))
	base := "/v1/agents/" + agentID + "/core-memory/blocks/"

	got := mustOK(t, call(t, srv, "PATCH", base+"team", map[string]any{"value": "green", "description": "Team"}))
	assert.Equal(t, "green", got["value"])
	assert.Equal(t, []any{"t"}, got["tags"])
	seen := mustOK(t, call(t, srv, "GET", "/v1/agents/"+other+"/core-memory/blocks/team", nil))
	assert.Equal(t, "green", seen["value"], "every agent of a shared block sees the change")

	// Non-empty tags: the value is saved, then PostgreSQL refuses the tag
	// rows.
	r := call(t, srv, "PATCH", base+"team", map[string]any{"value": "red", "tags": []any{"x"}})
	require.Equal(t, http.StatusConflict, r.status, "body: %s", r.body)
	assert.True(t, strings.HasPrefix(r.detail(t), "(sqlalchemy.dialects.postgresql.asyncpg.IntegrityError) <class 'asyncpg.exceptions.NotNullViolationError'>: "+
		"null value in column \"organization_id\" of relation \"blocks_tags\" violates not-null constraint\nDETAIL:  Failing row contains ("+team["id"].(string)+", x, null, "), r.detail(t))
	after := mustOK(t, call(t, srv, "GET", base+"team", nil))
	assert.Equal(t, "red", after["value"])
	assert.Equal(t, []any{"t"}, after["tags"])

	cleared := mustOK(t, call(t, srv, "PATCH", base+"team", map[string]any{"tags": []any{}}))
	assert.Equal(t, []any{}, cleared["tags"])

	errs := []struct {
		path   string
		body   any
		status int
		detail string
	}{
		{base + "nope", map[string]any{"value": "x"}, 404, "No block with label 'nope' found"},
		{base + "human", map[string]any{"value": 5, "read_only": "maybe"}, 422, "('body', 'value')"},
		{"/v1/agents/" + unknownAgentID + "/core-memory/blocks/human", map[string]any{}, 404, "Agent not found with id="},
	}
	for _, e := range errs {
		r := call(t, srv, "PATCH", e.path, e.body)
		require.Equal(t, e.status, r.status, "%s: %s", e.path, r.body)
		assert.Contains(t, r.detail(t), e.detail)
	}
}

func TestAttachDetachCoreMemoryBlock(t *testing.T) {
	srv := newServer(t)
	a := createAgent(t, srv, map[string]any{})
	agentID := a["id"].(string)
	b := createBlock(t, srv, map[string]any{"label": "team", "value": "blue", "tags": []any{"t"}})
	bid := b["id"].(string)
	base := "/v1/agents/" + agentID + "/core-memory/blocks/"

	updated := a["updated_at"]
	for range 2 { // attaching twice keeps one block but saves the agent again
		got := mustOK(t, call(t, srv, "PATCH", base+"attach/"+bid, nil, currentUA))
		blocks := got["memory"].(map[string]any)["blocks"].([]any)
		require.Len(t, blocks, 1)
		assert.Equal(t, bid, blocks[0].(map[string]any)["id"])
		assert.Equal(t, []any{}, blocks[0].(map[string]any)["tags"], "an agent's blocks are loaded without tags")
		assert.True(t, ts(t, got["updated_at"]).After(ts(t, updated)))
		updated = got["updated_at"]
	}
	assert.Equal(t, []string{agentID}, ids(t, call(t, srv, "GET", "/v1/blocks/"+bid+"/agents", nil).list(t)))

	got := mustOK(t, call(t, srv, "PATCH", base+"detach/"+bid, nil))
	assert.Empty(t, got["memory"].(map[string]any)["blocks"])
	mustOK(t, call(t, srv, "GET", "/v1/blocks/"+bid, nil)) // the block is kept

	errs := []struct {
		path   string
		status int
		detail string
	}{
		{base + "detach/" + bid, 404, "No block with id '" + bid + "' found for agent '" + agentID + "' with actor id: '" + defaultUserID + "'"},
		{base + "attach/" + unknownBlockID, 404, "Block not found with id='['" + unknownBlockID + "']'"},
		{"/v1/agents/" + unknownAgentID + "/core-memory/blocks/attach/" + bid, 404, "Agent not found with id="},
		{"/v1/agents/" + unknownAgentID + "/core-memory/blocks/detach/" + bid, 404, "Agent not found with id="},
		{base + "attach/block-1", 422, "('path', 'block_id')"},
	}
	for _, e := range errs {
		r := call(t, srv, "PATCH", e.path, nil)
		require.Equal(t, e.status, r.status, "%s: %s", e.path, r.body)
		assert.Contains(t, r.detail(t), e.detail)
	}
	r := call(t, srv, "GET", base+"attach/"+bid, nil)
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
	assert.Equal(t, "PATCH", r.header.Get("Allow"))
}
