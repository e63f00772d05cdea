package lettatest

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const unknownBlockID = "block-" + unknownUUID

func createBlock(t *testing.T, srv *Server, body map[string]any) map[string]any {
	t.Helper()
	return mustOK(t, call(t, srv, "POST", "/v1/blocks/", body))
}

func TestCreateBlock(t *testing.T) {
	srv := newServer(t)
	got := createBlock(t, srv, map[string]any{"label": "notes", "value": "Likes jazz.", "limit": "5000",
		"description": "Facts", "metadata": map[string]any{"k": 1}, "tags": []any{"a", "b"}, "color": "red"})
	assert.Regexp(t, blockIDRe, got["id"])
	assert.Equal(t, "notes", got["label"])
	assert.Equal(t, "Likes jazz.", got["value"])
	assert.Equal(t, json.Number("5000"), got["limit"], "a lax integer is converted")
	assert.Equal(t, "Facts", got["description"])
	assert.Equal(t, map[string]any{"k": json.Number("1")}, got["metadata"])
	assert.Equal(t, []any{"a", "b"}, got["tags"])
	assert.Nil(t, got["created_by_id"])
	assert.Nil(t, got["last_updated_by_id"])
	assert.Equal(t, false, got["preserve_on_migration"])
	assert.NotContains(t, got, "created_at", "blocks have no timestamps on the wire")
	assert.NotContains(t, got, "color")
}

func TestCreateBlockAnswerDiffersFromStored(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		name            string
		body            map[string]any
		wantDescription any // in the create answer
		wantTags        []any
		wantStoredTags  []any
	}{
		{"human without description", map[string]any{"label": "human", "value": "x"}, defaultHumanDescription, []any{}, []any{}},
		{"persona with null description", map[string]any{"label": "persona", "value": "x", "description": nil}, defaultPersonaDescription, []any{}, []any{}},
		{"human with description", map[string]any{"label": "human", "value": "x", "description": "mine"}, "mine", []any{}, []any{}},
		{"other label", map[string]any{"label": "notes", "value": "x"}, nil, []any{}, []any{}},
		{"repeated tag", map[string]any{"label": "notes", "value": "x", "tags": []any{"t", "t", "u"}}, nil, []any{"t", "t", "u"}, []any{"t", "u"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := createBlock(t, srv, tt.body)
			assert.Equal(t, tt.wantDescription, got["description"])
			assert.Equal(t, tt.wantTags, got["tags"])
			stored := mustOK(t, call(t, srv, "GET", "/v1/blocks/"+got["id"].(string), nil))
			if tt.body["description"] == nil {
				assert.Nil(t, stored["description"], "the default description is not stored")
			}
			assert.Equal(t, tt.wantStoredTags, stored["tags"])
		})
	}
}

func TestCreateBlockValues(t *testing.T) {
	srv := newServer(t)
	for _, body := range []map[string]any{{"label": "x"}, {"label": "x", "value": nil}} {
		assert.Equal(t, "", createBlock(t, srv, body)["value"], "a missing or null value is empty: %v", body)
	}
	a := createAgent(t, srv, map[string]any{"memory_blocks": []any{map[string]any{"label": "x"}}})
	assert.Equal(t, "", a["blocks"].([]any)[0].(map[string]any)["value"], "so in an agent's memory_blocks")
	r := call(t, srv, "POST", "/v1/agents/", map[string]any{"model": "openai/x", "memory_blocks": []any{map[string]any{}}})
	require.Equal(t, http.StatusUnprocessableEntity, r.status)
	assert.Contains(t, r.detail(t), "('body', 'memory_blocks', 0, 'value')", "an empty object still misses its value")
}

func TestCreateBlockErrors(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		name string
		body any
		want []string
	}{
		{"empty object", map[string]any{}, []string{"('body', 'value')", "('body', 'label')", "'missing'"}},
		{"null label", map[string]any{"label": nil, "value": "x"}, []string{"'string_type'", "('body', 'label')"}},
		{"bad limit", map[string]any{"label": "x", "limit": "many"}, []string{"'int_parsing'", "('body', 'limit')"}},
		{"tags not a list", map[string]any{"label": "x", "tags": "t"}, []string{"'list_type'", "('body', 'tags')"}},
		{"null is_template", map[string]any{"label": "x", "is_template": nil}, []string{"'bool_type'", "('body', 'is_template')"}},
		{"not an object", []any{"x"}, []string{"'model_attributes_type'"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv, "POST", "/v1/blocks/", tt.body)
			require.Equal(t, http.StatusUnprocessableEntity, r.status, "body: %s", r.body)
			for _, w := range tt.want {
				assert.Contains(t, r.detail(t), w)
			}
		})
	}
	n := call(t, srv, "GET", "/v1/blocks/count", nil)
	assert.Equal(t, "0", string(n.body), "a refused create stores nothing")
}

func TestGetDeleteBlockErrors(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		method, path string
		status       int
		detail       string
	}{
		{"GET", "/v1/blocks/" + unknownBlockID, 404, "Block with id '" + unknownBlockID + "' not found"},
		{"DELETE", "/v1/blocks/" + unknownBlockID, 404, "Block not found with id='['" + unknownBlockID + "']', access level in ['read']"},
		{"PATCH", "/v1/blocks/" + unknownBlockID, 404, "Block not found with id='['" + unknownBlockID + "']'"},
		{"GET", "/v1/blocks/block-1", 422, "'string_pattern_mismatch', 'loc': ('path', 'block_id')"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			var body any
			if tt.method == "PATCH" {
				body = map[string]any{}
			}
			r := call(t, srv, tt.method, tt.path, body)
			require.Equal(t, tt.status, r.status, "body: %s", r.body)
			assert.Contains(t, r.detail(t), tt.detail)
		})
	}
}

func TestUpdateBlock(t *testing.T) {
	srv := newServer(t)
	b := createBlock(t, srv, map[string]any{"label": "notes", "value": "v", "tags": []any{"a", "b"}, "description": "d"})
	path := "/v1/blocks/" + b["id"].(string)

	tests := []struct {
		name       string
		body       map[string]any
		wantAnswer map[string]any
		wantStored map[string]any
	}{
		{"value and tags", map[string]any{"value": "w", "tags": []any{"c", "a", "c"}},
			map[string]any{"value": "w", "tags": []any{"c", "a", "c"}}, map[string]any{"value": "w", "tags": []any{"a", "c"}}},
		{"nulls are not sent", map[string]any{"value": nil, "label": nil, "description": nil, "tags": nil},
			map[string]any{"value": "w", "label": "notes", "description": "d"}, map[string]any{"tags": []any{"a", "c"}}},
		{"same tags in another order changes nothing and answers them sorted", map[string]any{"tags": []any{"c", "a"}},
			map[string]any{"tags": []any{"a", "c"}}, map[string]any{"tags": []any{"a", "c"}}},
		{"scalars", map[string]any{"label": "facts", "limit": 3, "read_only": true, "metadata": map[string]any{}, "hidden": false, "extra": 1},
			map[string]any{"label": "facts", "read_only": true, "metadata": map[string]any{}, "hidden": false}, map[string]any{"label": "facts"}},
		{"empty tags clear them", map[string]any{"tags": []any{}}, map[string]any{"tags": []any{}}, map[string]any{"tags": []any{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustOK(t, call(t, srv, "PATCH", path, tt.body))
			for k, v := range tt.wantAnswer {
				assert.Equal(t, v, got[k], "answer %s", k)
			}
			stored := mustOK(t, call(t, srv, "GET", path, nil))
			for k, v := range tt.wantStored {
				assert.Equal(t, v, stored[k], "stored %s", k)
			}
		})
	}

	r := call(t, srv, "PATCH", path, map[string]any{"is_template": nil, "limit": "x"})
	require.Equal(t, http.StatusUnprocessableEntity, r.status)
	assert.Contains(t, r.detail(t), "('body', 'limit')")
	assert.Contains(t, r.detail(t), "('body', 'is_template')")
}

func TestDeleteBlockDetachesIt(t *testing.T) {
	srv := newServer(t)
	b := createBlock(t, srv, map[string]any{"label": "team", "value": "blue"})
	bid := b["id"].(string)
	it := createIdentity(t, srv, "u1", nil)
	a := createAgent(t, srv, map[string]any{"block_ids": []any{bid}})
	mustOK(t, call(t, srv, "PATCH", "/v1/blocks/"+bid+"/identities/attach/"+it["id"].(string), nil))

	r := call(t, srv, "DELETE", "/v1/blocks/"+bid, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "null", string(r.body))
	assert.Equal(t, http.StatusNotFound, call(t, srv, "GET", "/v1/blocks/"+bid, nil).status)
	assert.Empty(t, call(t, srv, "GET", "/v1/agents/"+a["id"].(string)+"/core-memory/blocks", nil).list(t))
	assert.Empty(t, call(t, srv, "GET", "/v1/identities/"+it["id"].(string)+"/blocks", nil).list(t))
	assert.Equal(t, http.StatusOK, call(t, srv, "GET", "/v1/agents/"+a["id"].(string), nil).status, "the agent is kept")
}

// labels returns the labels of a list answer, in order.
func labels(t *testing.T, l []any) []string {
	t.Helper()
	out := make([]string, len(l))
	for i, e := range l {
		out[i] = e.(map[string]any)["label"].(string)
	}
	return out
}

func TestListBlocks(t *testing.T) {
	srv := newServer(t)
	b1 := createBlock(t, srv, map[string]any{"label": "b1", "value": "Likes jazz", "tags": []any{"x", "a"}})
	createBlock(t, srv, map[string]any{"label": "b2", "value": "Likes tea", "description": "Facts", "tags": []any{"x", "b"}})
	b3 := createBlock(t, srv, map[string]any{"label": "b3", "value": "Plays chess", "tags": []any{"x", "a", "b"}})
	createBlock(t, srv, map[string]any{"label": "b4", "value": "hidden", "hidden": true, "tags": []any{"x"}})
	createBlock(t, srv, map[string]any{"label": "b5", "value": "template", "is_template": true, "template_name": "tn", "tags": []any{"x"}})
	id := func(b map[string]any) string { return b["id"].(string) }

	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"default: oldest first, no hidden, no templates", "tags=x", []string{"b1", "b2", "b3"}},
		{"desc", "tags=x&order=desc", []string{"b3", "b2", "b1"}},
		{"limit", "tags=x&limit=2", []string{"b1", "b2"}},
		{"limit 0 is no limit", "tags=x&limit=0", []string{"b1", "b2", "b3"}},
		{"after", "tags=x&after=" + id(b1), []string{"b2", "b3"}},
		{"before", "tags=x&before=" + id(b3), []string{"b1", "b2"}},
		{"after, desc", "tags=x&order=desc&after=" + id(b3), []string{"b2", "b1"}},
		{"window", "tags=x&after=" + id(b1) + "&before=" + id(b3), []string{"b2"}},
		{"unknown cursor is ignored", "tags=x&after=" + unknownBlockID, []string{"b1", "b2", "b3"}},
		{"hidden", "tags=x&show_hidden_blocks=true", []string{"b1", "b2", "b3", "b4"}},
		{"templates only", "tags=x&templates_only=true", []string{"b5"}},
		{"template name", "templates_only=true&name=tn", []string{"b5"}},
		{"label", "label=b2", []string{"b2"}},
		{"label_search", "label_search=B", []string{"b1", "b2", "b3"}},
		{"label_search ignored with label", "label=b1&label_search=zzz", []string{"b1"}},
		{"value_search", "value_search=LIKES", []string{"b1", "b2"}},
		{"description_search", "description_search=act", []string{"b2"}},
		{"any tag", "tags=a&tags=b", []string{"b1", "b2", "b3"}},
		{"all tags", "tags=a&tags=b&match_all_tags=true", []string{"b3"}},
		{"all of a repeated tag never matches", "tags=a&tags=a&match_all_tags=true", []string{}},
		{"project", "project_id=p", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := call(t, srv, "GET", "/v1/blocks/?"+tt.query, nil).list(t)
			assert.Equal(t, tt.want, labels(t, l))
		})
	}
}

func TestListBlocksJoinFiltersSortByID(t *testing.T) {
	srv := newServer(t)
	it1 := createIdentity(t, srv, "k1", nil)["id"].(string)
	it2 := createIdentity(t, srv, "k2", nil)["id"].(string)
	var made []map[string]any
	for _, l := range []string{"a", "b", "c", "d"} {
		made = append(made, createBlock(t, srv, map[string]any{"label": l, "value": l}))
	}
	for _, b := range made[:3] {
		mustOK(t, call(t, srv, "PATCH", "/v1/blocks/"+b["id"].(string)+"/identities/attach/"+it1, nil))
	}
	mustOK(t, call(t, srv, "PATCH", "/v1/blocks/"+made[0]["id"].(string)+"/identities/attach/"+it2, nil))
	createAgent(t, srv, map[string]any{"block_ids": []any{made[0]["id"], made[1]["id"]}})
	createAgent(t, srv, map[string]any{"block_ids": []any{made[0]["id"]}})

	sortedIDs := func(bs ...map[string]any) []string {
		out := make([]string, len(bs))
		for i, b := range bs {
			out[i] = b["id"].(string)
		}
		slices.Sort(out)
		return out
	}
	desc := func(l []string) []string { l = slices.Clone(l); slices.Reverse(l); return l }
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"identity_id, by id", "identity_id=" + it1, sortedIDs(made[0], made[1], made[2])},
		{"identity_id, by id desc", "identity_id=" + it1 + "&order=desc", desc(sortedIDs(made[0], made[1], made[2]))},
		{"identifier_keys: a block of two identities once", "identifier_keys=k1&identifier_keys=k2", sortedIDs(made[0], made[1], made[2])},
		{"more than one agent", "connected_to_agents_count_gt=1", sortedIDs(made[0])},
		{"more than -1 agents: blocks without agents are not joined", "connected_to_agents_count_gt=-1", sortedIDs(made[0], made[1])},
		{"fewer than one agent", "connected_to_agents_count_lt=1", sortedIDs(made[2], made[3])},
		{"exactly 0 or 1", "connected_to_agents_count_eq=0&connected_to_agents_count_eq=1", sortedIDs(made[1], made[2], made[3])},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, ids(t, call(t, srv, "GET", "/v1/blocks/?"+tt.query, nil).list(t)))
		})
	}
}

func TestListBlocksErrors(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		query  string
		status int
		want   string
	}{
		{"limit=-1", 500, "A database error occurred."},
		{"label=a%20b", 422, "'string_pattern_mismatch', 'loc': ('query', 'label')"},
		{"label=", 422, "'string_too_short', 'loc': ('query', 'label')"},
		{"identity_id=identity-1", 422, "'string_too_short', 'loc': ('query', 'identity_id')"},
		{"order=up", 422, "'literal_error', 'loc': ('query', 'order')"},
		{"order_by=updated_at", 422, "'literal_error', 'loc': ('query', 'order_by')"},
		{"connected_to_agents_count_eq=x", 422, "'int_parsing', 'loc': ('query', 'connected_to_agents_count_eq', 0)"},
		{"value_search=", 422, "'string_too_short', 'loc': ('query', 'value_search')"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := call(t, srv, "GET", "/v1/blocks/?"+tt.query, nil)
			require.Equal(t, tt.status, r.status, "body: %s", r.body)
			assert.Contains(t, r.detail(t), tt.want)
		})
	}
}

func TestCountBlocks(t *testing.T) {
	srv := newServer(t)
	createBlock(t, srv, map[string]any{"label": "human", "value": "", "tags": []any{"x"}})
	createBlock(t, srv, map[string]any{"label": "human", "value": "", "hidden": true, "tags": []any{"x"}})
	createBlock(t, srv, map[string]any{"label": "t", "value": "", "is_template": true, "template_name": "tn", "tags": []any{"x"}})
	tests := []struct {
		query string
		want  string
	}{
		{"", "3"},       // every block: hidden and templates too
		{"tags=x", "2"}, // a filter: templates only with templates_only; hidden counted
		{"tags=x&templates_only=true", "1"},
		{"label=human", "2"},
		{"name=tn", "0"},
		{"name=tn&templates_only=true", "1"},
		{"tags=x&tags=y&match_all_tags=true", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := call(t, srv, "GET", "/v1/blocks/count?"+tt.query, nil)
			require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
			assert.Equal(t, tt.want, string(r.body))
		})
	}
}

func TestListBlockAgents(t *testing.T) {
	srv := newServer(t)
	b := createBlock(t, srv, map[string]any{"label": "team", "value": "blue"})
	bid := b["id"].(string)
	var agentIDs []string
	for range 3 {
		agentIDs = append(agentIDs, createAgent(t, srv, map[string]any{"block_ids": []any{bid}, "tags": []any{"t"}})["id"].(string))
	}
	path := "/v1/blocks/" + bid + "/agents"
	tests := []struct {
		name   string
		query  string
		want   []string
		header http.Header
	}{
		{"newest first", "", []string{agentIDs[2], agentIDs[1], agentIDs[0]}, currentUA},
		{"asc, limit 2", "?order=asc&limit=2", agentIDs[:2], currentUA},
		{"after, asc", "?order=asc&after=" + agentIDs[0], agentIDs[1:], currentUA},
		{"unknown cursor ignored", "?after=agent-" + unknownUUID, []string{agentIDs[2], agentIDs[1], agentIDs[0]}, currentUA},
		{"legacy client", "?limit=1", agentIDs[2:], legacyUA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := call(t, srv, "GET", path+tt.query, nil, tt.header).list(t)
			assert.Equal(t, tt.want, ids(t, l))
			assert.Empty(t, l[0].(map[string]any)["tags"], "relationships load only with include, for every client")
		})
	}
	l := call(t, srv, "GET", path+"?include=agent.tags&limit=1", nil, currentUA).list(t)
	assert.Equal(t, []any{"t"}, l[0].(map[string]any)["tags"])

	assert.Empty(t, call(t, srv, "GET", "/v1/blocks/"+unknownBlockID+"/agents", nil).list(t), "an unknown block has no agents")
	assert.Equal(t, http.StatusInternalServerError, call(t, srv, "GET", path+"?limit=-1", nil).status)
	assert.Equal(t, http.StatusUnprocessableEntity, call(t, srv, "GET", "/v1/blocks/block-1/agents", nil).status)
}

func TestBlockIdentityAttachDetach(t *testing.T) {
	srv := newServer(t)
	b := createBlock(t, srv, map[string]any{"label": "profile", "value": "Ada", "tags": []any{"x"}})
	bid := b["id"].(string)
	it := createIdentity(t, srv, "u1", nil)["id"].(string)
	base := "/v1/blocks/" + bid + "/identities/"

	for range 2 { // idempotent
		got := mustOK(t, call(t, srv, "PATCH", base+"attach/"+it, nil))
		assert.Equal(t, bid, got["id"])
		assert.Equal(t, []any{"x"}, got["tags"])
	}
	l := call(t, srv, "GET", "/v1/identities/"+it+"/blocks", nil).list(t)
	require.Equal(t, []string{bid}, ids(t, l))
	assert.Equal(t, []any{}, l[0].(map[string]any)["tags"], "an identity's blocks are loaded without tags")
	assert.Equal(t, []string{bid}, ids(t, call(t, srv, "GET", "/v1/blocks/?identity_id="+it, nil).list(t)))

	for range 2 {
		mustOK(t, call(t, srv, "PATCH", base+"detach/"+it, nil))
	}
	assert.Empty(t, call(t, srv, "GET", "/v1/identities/"+it+"/blocks", nil).list(t))

	tests := []struct {
		name, path string
		status     int
		detail     string
	}{
		{"malformed identity id", base + "attach/bogus", 400, "INVALID_ARGUMENT: Invalid identity ID format: bogus. Expected format: 'identity-<uuid4>'"},
		{"unknown identity", base + "attach/" + unknownIdentityID, 404, "Identity not found with id='['" + unknownIdentityID + "']'"},
		{"unknown block", "/v1/blocks/" + unknownBlockID + "/identities/detach/" + it, 404, "Block not found with id='['" + unknownBlockID + "']'"},
		{"malformed block id", "/v1/blocks/bogus/identities/attach/bogus", 422, "('path', 'block_id')"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv, "PATCH", tt.path, nil)
			require.Equal(t, tt.status, r.status, "body: %s", r.body)
			assert.Contains(t, r.detail(t), tt.detail)
		})
	}
}
