package lettatest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unknownUUID is a well-formed uuid4 no test creates.
const unknownUUID = "123e4567-e89b-42d3-8456-426614174000"

const unknownIdentityID = "identity-" + unknownUUID

func TestCreateIdentity(t *testing.T) {
	srv := newServer(t)
	got := createIdentity(t, srv, "user_1", map[string]any{
		"project_id": "proj-1",
		"properties": []any{
			map[string]any{"key": "plan", "value": "pro", "type": "string"},
			map[string]any{"key": "seats", "value": 3, "type": "number"},
			map[string]any{"key": "cfg", "value": map[string]any{"a": true}, "type": "json"},
		},
	})
	assert.Regexp(t, identityIDRe, got["id"])
	assert.Equal(t, "user_1", got["identifier_key"])
	assert.Equal(t, "Name user_1", got["name"])
	assert.Equal(t, "user", got["identity_type"])
	assert.Equal(t, "proj-1", got["project_id"])
	assert.Equal(t, defaultOrgID, got["organization_id"])
	assert.Equal(t, []any{}, got["agent_ids"])
	assert.Equal(t, []any{}, got["block_ids"])
	props := got["properties"].([]any)
	require.Len(t, props, 3)
	assert.Equal(t, json.Number("3"), props[1].(map[string]any)["value"])
	assert.Equal(t, map[string]any{"a": true}, props[2].(map[string]any)["value"])
}

func TestCreateIdentityErrors(t *testing.T) {
	valid := func() map[string]any {
		return map[string]any{"identifier_key": "k", "name": "n", "identity_type": "user"}
	}
	with := func(k string, v any) map[string]any { m := valid(); m[k] = v; return m }
	without := func(k string) map[string]any { m := valid(); delete(m, k); return m }
	tests := []struct {
		name       string
		body       any
		wantStatus int
		wantDetail []string // substrings of detail
	}{
		{"extra field", with("foo", 1), 422, []string{"'extra_forbidden'", "('body', 'foo')"}},
		{"bad type", with("identity_type", "person"), 422, []string{"'enum'", "Input should be 'org', 'user' or 'other'"}},
		{"missing name", without("name"), 422, []string{"'missing'", "('body', 'name')"}},
		{"name not a string", with("name", 5), 422, []string{"'string_type'"}},
		{"agent_ids not a list", with("agent_ids", "agent-x"), 422, []string{"'list_type'"}},
		{"malformed agent id", with("agent_ids", []any{"agent-bogus"}), 422, []string{"'string_too_short'", "('body', 'agent_ids', 0)"}},
		{"malformed block id", with("block_ids", []any{"block-" + strings.ToUpper(unknownUUID)}), 422, []string{"'string_pattern_mismatch'", "('body', 'block_ids', 0)"}},
		{"property extra field", with("properties", []any{map[string]any{"key": "a", "value": "b", "type": "string", "x": 1}}), 422, []string{"('body', 'properties', 0, 'x')"}},
		{"property bad type", with("properties", []any{map[string]any{"key": "a", "value": "b", "type": "text"}}), 422, []string{"('body', 'properties', 0, 'type')"}},
		{"property list value", with("properties", []any{map[string]any{"key": "a", "value": []any{1}, "type": "json"}}), 422, []string{"'value', 'str'"}},
		{"property null value", with("properties", []any{map[string]any{"key": "a", "value": nil, "type": "json"}}), 422, []string{"'value', 'dict[str,any]'"}},
		{"malformed JSON", `{"identifier_key":`, 422, []string{"'json_invalid'"}},
		{"empty body", "", 422, []string{"'missing'", "('body',)"}},
		{"array body", `[1]`, 422, []string{"'model_attributes_type'"}},
		{"unknown agent id", with("agent_ids", []any{"agent-123e4567-e89b-42d3-8456-426614174000"}), 500, []string{"An unknown error occurred"}},
		{"unknown block id", with("block_ids", []any{"block-123e4567-e89b-42d3-8456-426614174000"}), 500, []string{"An unknown error occurred"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			r := call(t, srv, "POST", "/v1/identities/", tt.body)
			require.Equal(t, tt.wantStatus, r.status, "body: %s", r.body)
			for _, s := range tt.wantDetail {
				assert.Contains(t, r.detail(t), s)
			}
			if tt.wantStatus == 422 {
				assert.Equal(t, "", r.obj(t)["trace_id"])
				assert.NotContains(t, r.obj(t), "examples")
			}
			assert.Equal(t, 0, countIdentities(t, srv), "a refused create must not store anything")
		})
	}
}

func countIdentities(t *testing.T, srv *Server) int {
	t.Helper()
	r := call(t, srv, "GET", "/v1/identities/count", nil)
	require.Equal(t, 200, r.status)
	n, err := r.json(t).(json.Number).Int64()
	require.NoError(t, err)
	return int(n)
}

func TestCreateIdentityDuplicateKey(t *testing.T) {
	srv := newServer(t)
	createIdentity(t, srv, "user_1", nil)
	createIdentity(t, srv, "user_1", map[string]any{"project_id": "p1"}) // other project: fine

	r := call(t, srv, "POST", "/v1/identities/", map[string]any{"identifier_key": "user_1", "name": "x", "identity_type": "org"})
	require.Equal(t, http.StatusConflict, r.status)
	// PostgreSQL's unique violation, as the real server words it.
	assert.Contains(t, r.detail(t), "A unique constraint was violated for Identity. Check your input for duplicates: ")
	assert.Contains(t, r.detail(t), "\nDETAIL:  Key (identifier_key, project_id, organization_id)=(user_1, null, "+defaultOrgID+") already exists.")

	r = call(t, srv, "POST", "/v1/identities/", map[string]any{"identifier_key": "user_1", "name": "x", "identity_type": "org", "project_id": "p1"})
	require.Equal(t, http.StatusConflict, r.status)
	assert.Contains(t, r.detail(t), "=(user_1, p1, "+defaultOrgID+") already exists.")
	assert.Equal(t, 2, countIdentities(t, srv))
}

func TestCreateIdentityWithAgentIDsAttaches(t *testing.T) {
	srv := newServer(t)
	a := createAgent(t, srv, map[string]any{"name": "a1"})
	it := createIdentity(t, srv, "user_1", map[string]any{"agent_ids": []any{a["id"]}})
	assert.Equal(t, []any{}, it["agent_ids"], "agent_ids stays empty in responses")

	l := call(t, srv, "GET", "/v1/identities/"+it["id"].(string)+"/agents", nil).list(t)
	assert.Equal(t, []string{a["id"].(string)}, ids(t, l))
}

func TestGetIdentity(t *testing.T) {
	srv := newServer(t)
	it := createIdentity(t, srv, "user_1", nil)
	tests := []struct {
		name       string
		id         string
		wantStatus int
		check      func(t *testing.T, r result)
	}{
		{"found", it["id"].(string), 200, func(t *testing.T, r result) { assert.Equal(t, it, r.obj(t)) }},
		{"unknown", unknownIdentityID, 404, func(t *testing.T, r result) {
			assert.Contains(t, r.detail(t), "Identity not found with id='['"+unknownIdentityID+"']'")
		}},
		{"malformed", "identity-123", 422, func(t *testing.T, r result) {
			m := r.obj(t)
			assert.Equal(t, "", m["trace_id"])
			assert.Contains(t, m["detail"], `String should match pattern 'identity-{uuid4}'`)
			assert.Contains(t, m["detail"], "('path', 'identity_id')")
			assert.Equal(t, []any{"identity-123e4567-e89b-42d3-8456-426614174000"}, m["examples"])
		}},
		{"uppercase uuid", "identity-123E4567-E89B-42D3-8456-426614174000", 422, nil},
		{"uuid1", "identity-123e4567-e89b-12d3-8456-426614174000", 422, nil},
		{"agent id", "agent-123e4567-e89b-42d3-8456-426614174000", 422, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv, "GET", "/v1/identities/"+tt.id, nil)
			require.Equal(t, tt.wantStatus, r.status, "body: %s", r.body)
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

func TestUpdateIdentity(t *testing.T) {
	props := []any{
		map[string]any{"key": "a", "value": "1", "type": "string"},
		map[string]any{"key": "b", "value": "2", "type": "string"},
	}
	tests := []struct {
		name  string
		body  map[string]any
		check func(t *testing.T, got map[string]any)
	}{
		{"name only", map[string]any{"name": "New"}, func(t *testing.T, got map[string]any) {
			assert.Equal(t, "New", got["name"])
			assert.Equal(t, "user_1", got["identifier_key"])
			assert.Equal(t, props, got["properties"])
		}},
		{"nulls change nothing", map[string]any{"name": nil, "identity_type": nil, "properties": nil}, func(t *testing.T, got map[string]any) {
			assert.Equal(t, "Name user_1", got["name"])
			assert.Equal(t, "user", got["identity_type"])
			assert.Equal(t, props, got["properties"])
		}},
		{"scalars overwritten", map[string]any{"identifier_key": "user_9", "identity_type": "org"}, func(t *testing.T, got map[string]any) {
			assert.Equal(t, "user_9", got["identifier_key"])
			assert.Equal(t, "org", got["identity_type"])
		}},
		{"properties merged by key", map[string]any{"properties": []any{
			map[string]any{"key": "b", "value": true, "type": "boolean"},
			map[string]any{"key": "c", "value": 1.5, "type": "number"},
		}}, func(t *testing.T, got map[string]any) {
			assert.Equal(t, []any{
				map[string]any{"key": "a", "value": "1", "type": "string"},
				map[string]any{"key": "b", "value": true, "type": "boolean"},
				map[string]any{"key": "c", "value": json.Number("1.5"), "type": "number"},
			}, got["properties"])
		}},
		{"empty properties change nothing", map[string]any{"properties": []any{}}, func(t *testing.T, got map[string]any) {
			assert.Equal(t, props, got["properties"])
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			it := createIdentity(t, srv, "user_1", map[string]any{"properties": props})
			got := mustOK(t, call(t, srv, "PATCH", "/v1/identities/"+it["id"].(string), tt.body))
			tt.check(t, got)
			// The change is stored, not only echoed.
			assert.Equal(t, got, mustOK(t, call(t, srv, "GET", "/v1/identities/"+it["id"].(string), nil)))
		})
	}
}

func TestUpdateIdentityAppendsAgents(t *testing.T) {
	srv := newServer(t)
	a1 := createAgent(t, srv, map[string]any{"name": "a1"})
	a2 := createAgent(t, srv, map[string]any{"name": "a2"})
	it := createIdentity(t, srv, "user_1", map[string]any{"agent_ids": []any{a1["id"]}})
	path := "/v1/identities/" + it["id"].(string)

	mustOK(t, call(t, srv, "PATCH", path, map[string]any{"agent_ids": []any{a2["id"]}}))
	mustOK(t, call(t, srv, "PATCH", path, map[string]any{"agent_ids": []any{}}))
	mustOK(t, call(t, srv, "PATCH", path, map[string]any{"agent_ids": []any{a1["id"]}}))

	l := call(t, srv, "GET", path+"/agents?order=asc", nil).list(t)
	assert.Equal(t, []string{a1["id"].(string), a2["id"].(string)}, ids(t, l), "PATCH appends; [] and repeats change nothing")
}

func TestUpdateIdentityErrors(t *testing.T) {
	srv := newServer(t)
	it := createIdentity(t, srv, "user_1", nil)
	createIdentity(t, srv, "user_2", nil)
	path := "/v1/identities/" + it["id"].(string)
	tests := []struct {
		name       string
		path       string
		body       any
		wantStatus int
		wantDetail string
	}{
		{"unknown", "/v1/identities/" + unknownIdentityID, map[string]any{"name": "x"}, 404, "Identity not found"},
		{"malformed id", "/v1/identities/nope", map[string]any{"name": "x"}, 422, "identity-{uuid4}"},
		{"malformed id and body together", "/v1/identities/nope", map[string]any{"bogus": 1}, 422, "('body', 'bogus')"},
		{"project_id is not updatable", path, map[string]any{"project_id": "p"}, 422, "extra_forbidden"},
		{"malformed block id", path, map[string]any{"block_ids": []any{"nope"}}, 422, "('body', 'block_ids', 0)"},
		{"duplicate key", path, map[string]any{"identifier_key": "user_2"}, 409, "=(user_2, null, " + defaultOrgID + ") already exists."},
		{"unknown agent", path, map[string]any{"agent_ids": []any{"agent-123e4567-e89b-42d3-8456-426614174000"}}, 500, "An unknown error occurred"},
		{"malformed JSON", path, "{", 422, "json_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv, "PATCH", tt.path, tt.body)
			require.Equal(t, tt.wantStatus, r.status, "body: %s", r.body)
			assert.Contains(t, r.detail(t), tt.wantDetail)
		})
	}
	assert.Equal(t, it, mustOK(t, call(t, srv, "GET", path, nil)), "failed updates change nothing")
}

func TestUpsertIdentity(t *testing.T) {
	srv := newServer(t)
	a1 := createAgent(t, srv, map[string]any{"name": "a1"})
	a2 := createAgent(t, srv, map[string]any{"name": "a2"})

	// Not found: 404, as on the real server.
	r := call(t, srv, "PUT", "/v1/identities/", map[string]any{
		"identifier_key": "user_1", "name": "Caren", "identity_type": "user",
	})
	require.Equal(t, http.StatusNotFound, r.status, "body: %s", r.body)
	assert.Contains(t, r.detail(t), "Identity not found with identifier_key='user_1', project_id='None', organization_id=")
	assert.Equal(t, 0, countIdentities(t, srv))

	created := mustOK(t, call(t, srv, "POST", "/v1/identities/", map[string]any{
		"identifier_key": "user_1", "name": "Caren", "identity_type": "user",
		"agent_ids":  []any{a1["id"]},
		"properties": []any{map[string]any{"key": "a", "value": "1", "type": "string"}},
	}))
	id := created["id"].(string)
	assert.Equal(t, "Caren", created["name"])
	assert.Equal(t, 1, countIdentities(t, srv))

	// Found: scalars overwritten, properties and agent set replaced.
	upd := mustOK(t, call(t, srv, "PUT", "/v1/identities/", map[string]any{
		"identifier_key": "user_1", "name": "Caren B", "identity_type": "org",
		"agent_ids":  []any{a2["id"]},
		"properties": []any{map[string]any{"key": "b", "value": "2", "type": "string"}},
	}))
	assert.Equal(t, id, upd["id"])
	assert.Equal(t, "Caren B", upd["name"])
	assert.Equal(t, "org", upd["identity_type"])
	assert.Equal(t, []any{map[string]any{"key": "b", "value": "2", "type": "string"}}, upd["properties"])
	l := call(t, srv, "GET", "/v1/identities/"+id+"/agents", nil).list(t)
	assert.Equal(t, []string{a2["id"].(string)}, ids(t, l))
	assert.Equal(t, 1, countIdentities(t, srv))

	// Found, agent_ids absent and properties null: both kept; [] clears agents.
	mustOK(t, call(t, srv, "PUT", "/v1/identities/", map[string]any{
		"identifier_key": "user_1", "name": "C", "identity_type": "user", "properties": nil,
	}))
	l = call(t, srv, "GET", "/v1/identities/"+id+"/agents", nil).list(t)
	assert.Len(t, l, 1)
	got := mustOK(t, call(t, srv, "PUT", "/v1/identities/", map[string]any{
		"identifier_key": "user_1", "name": "C", "identity_type": "user", "agent_ids": []any{},
	}))
	assert.Len(t, got["properties"], 1)
	assert.Empty(t, call(t, srv, "GET", "/v1/identities/"+id+"/agents", nil).list(t))

	// Same key in another project is a different identity: not found.
	r = call(t, srv, "PUT", "/v1/identities/", map[string]any{
		"identifier_key": "user_1", "name": "P", "identity_type": "user", "project_id": "p1",
	})
	require.Equal(t, http.StatusNotFound, r.status, "body: %s", r.body)
	assert.Contains(t, r.detail(t), "project_id='p1'")
	assert.Equal(t, 1, countIdentities(t, srv))
}

func TestUpsertIdentityIgnoresBlockIDsWhenFound(t *testing.T) {
	srv := newServer(t)
	a := createAgent(t, srv, map[string]any{"memory_blocks": []any{map[string]any{"label": "human", "value": "v"}}})
	blockID := a["blocks"].([]any)[0].(map[string]any)["id"]
	body := map[string]any{"identifier_key": "k", "name": "n", "identity_type": "user"}
	it := mustOK(t, call(t, srv, "POST", "/v1/identities/", body))

	body["block_ids"] = []any{blockID}
	mustOK(t, call(t, srv, "PUT", "/v1/identities/", body))
	assert.Empty(t, call(t, srv, "GET", "/v1/identities/"+it["id"].(string)+"/blocks", nil).list(t))
}

func TestUpsertIdentityErrors(t *testing.T) {
	srv := newServer(t)
	for name, body := range map[string]any{
		"missing key": map[string]any{"name": "n", "identity_type": "user"},
		"extra field": map[string]any{"identifier_key": "k", "name": "n", "identity_type": "user", "x": 1},
		"malformed":   "nope",
	} {
		t.Run(name, func(t *testing.T) {
			r := call(t, srv, "PUT", "/v1/identities/", body)
			assert.Equal(t, 422, r.status, "body: %s", r.body)
		})
	}
	assert.Equal(t, 0, countIdentities(t, srv))
}

func TestDeleteIdentity(t *testing.T) {
	srv := newServer(t)
	it := createIdentity(t, srv, "user_1", nil)
	id := it["id"].(string)
	a := createAgent(t, srv, map[string]any{"identity_ids": []any{id}})

	r := call(t, srv, "DELETE", "/v1/identities/"+id, nil)
	require.Equal(t, 200, r.status)
	assert.Equal(t, "null", string(r.body))
	assert.Equal(t, 404, call(t, srv, "GET", "/v1/identities/"+id, nil).status)
	got := mustOK(t, call(t, srv, "GET", "/v1/agents/"+a["id"].(string), nil, legacyUA))
	assert.Empty(t, got["identities"], "the agent is detached")

	r = call(t, srv, "DELETE", "/v1/identities/"+id, nil)
	assert.Equal(t, 404, r.status)
	assert.Contains(t, r.detail(t), id)
	assert.Equal(t, 422, call(t, srv, "DELETE", "/v1/identities/x", nil).status)
}

func TestCountIdentities(t *testing.T) {
	srv := newServer(t)
	r := call(t, srv, "GET", "/v1/identities/count", nil)
	require.Equal(t, 200, r.status)
	assert.Equal(t, "0", string(r.body))
	createIdentity(t, srv, "a", nil)
	createIdentity(t, srv, "b", map[string]any{"identity_type": "org"})
	assert.Equal(t, "2", string(call(t, srv, "GET", "/v1/identities/count?identity_type=org", nil).body),
		"count takes no filters")
}

func TestPutIdentityProperties(t *testing.T) {
	srv := newServer(t)
	it := createIdentity(t, srv, "user_1", map[string]any{"properties": []any{
		map[string]any{"key": "a", "value": "1", "type": "string"},
	}})
	path := "/v1/identities/" + it["id"].(string) + "/properties"

	newProps := []any{map[string]any{"key": "b", "value": map[string]any{"x": "y"}, "type": "json"}}
	got := mustOK(t, call(t, srv, "PUT", path, newProps))
	assert.Equal(t, it["id"], got["id"], "answers the Identity")
	assert.Equal(t, newProps, got["properties"], "replaces, not merges")

	got = mustOK(t, call(t, srv, "PUT", path, []any{}))
	assert.Equal(t, []any{}, got["properties"])

	tests := []struct {
		name       string
		path       string
		body       any
		wantStatus int
		wantDetail string
	}{
		{"object body", path, map[string]any{"key": "a"}, 422, "'list_type'"},
		{"bad item", path, []any{map[string]any{"key": "a"}}, 422, "('body', 0, 'value')"},
		{"unknown identity", "/v1/identities/" + unknownIdentityID + "/properties", []any{}, 404, "Identity not found"},
		{"malformed id", "/v1/identities/x/properties", []any{}, 422, "identity-{uuid4}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv, "PUT", tt.path, tt.body)
			require.Equal(t, tt.wantStatus, r.status, "body: %s", r.body)
			assert.Contains(t, r.detail(t), tt.wantDetail)
		})
	}
}

func TestListIdentities(t *testing.T) {
	srv := newServer(t)
	a := createIdentity(t, srv, "alice", map[string]any{"name": "Alice Smith"})
	b := createIdentity(t, srv, "bob", map[string]any{"name": "Bob", "identity_type": "org", "project_id": "p1"})
	c := createIdentity(t, srv, "carol", map[string]any{"name": "Carol SMITH", "project_id": "p1"})
	id := func(m map[string]any) string { return m["id"].(string) }
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{id(c), id(b), id(a)}},
		{"?order=asc", []string{id(a), id(b), id(c)}},
		{"?name=smith", []string{id(c), id(a)}},
		{"?name=SMI&order=asc", []string{id(a), id(c)}},
		{"?identifier_key=bob", []string{id(b)}},
		{"?identifier_key=bo", []string{}},
		{"?identity_type=org", []string{id(b)}},
		{"?project_id=p1", []string{id(c), id(b)}},
		{"?project_id=p1&identity_type=user", []string{id(c)}},
		{"?limit=2", []string{id(c), id(b)}},
		// As on the real server: limit 0 is no limit, -1 an empty page, and
		// cursors are time bounds (a window is before=newer&after=older in
		// either order).
		{"?limit=0", []string{id(c), id(b), id(a)}},
		{"?limit=-1", []string{}},
		{"?after=" + id(c), []string{id(b), id(a)}},
		{"?after=" + id(b) + "&order=asc", []string{id(c)}},
		{"?before=" + id(a), []string{id(c), id(b)}},
		{"?before=" + id(c) + "&after=" + id(a), []string{id(b)}},
		{"?before=" + id(c) + "&after=" + id(a) + "&order=asc", []string{id(b)}},
		{"?order_by=created_at&limit=1&order=asc", []string{id(a)}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := call(t, srv, "GET", "/v1/identities/"+tt.query, nil)
			require.Equal(t, 200, r.status, "body: %s", r.body)
			assert.Equal(t, tt.want, ids(t, r.list(t)))
		})
	}
}

func TestListIdentitiesErrors(t *testing.T) {
	srv := newServer(t)
	older := createIdentity(t, srv, "older", nil)["id"].(string)
	newer := createIdentity(t, srv, "newer", nil)["id"].(string)
	tests := []struct {
		query      string
		wantStatus int
		wantDetail string
	}{
		{"?after=" + unknownIdentityID, 404, "No Identity found with id " + unknownIdentityID},
		{"?before=whatever", 404, "No Identity found with id whatever"},
		{"?limit=abc", 422, "'int_parsing'"},
		{"?limit=-2", 500, "A database error occurred."},
		{"?before=" + "%[1]s" + "&after=" + "%[2]s", 400, "'before' reference must be later than 'after' reference"},
		{"?order=up", 422, "Input should be 'asc' or 'desc'"},
		{"?order_by=name", 422, "('query', 'order_by')"},
		{"?identity_type=person", 422, "('query', 'identity_type')"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q := tt.query
			if strings.Contains(q, "%[1]s") {
				q = fmt.Sprintf(q, older, newer)
			}
			r := call(t, srv, "GET", "/v1/identities/"+q, nil)
			require.Equal(t, tt.wantStatus, r.status, "body: %s", r.body)
			assert.Contains(t, r.detail(t), tt.wantDetail)
		})
	}
}

func TestListIdentityAgentsAndBlocks(t *testing.T) {
	srv := newServer(t)
	it := createIdentity(t, srv, "user_1", nil)
	id := it["id"].(string)
	block := map[string]any{"label": "human", "value": "v"}
	a1 := createAgent(t, srv, map[string]any{"name": "a1", "identity_ids": []any{id}, "tags": []any{"t"}, "memory_blocks": []any{block}})
	a2 := createAgent(t, srv, map[string]any{"name": "a2", "identity_ids": []any{id}})
	createAgent(t, srv, map[string]any{"name": "other"})

	l := call(t, srv, "GET", "/v1/identities/"+id+"/agents", nil, legacyUA).list(t)
	assert.Equal(t, []string{a2["id"].(string), a1["id"].(string)}, ids(t, l))
	assert.Empty(t, l[1].(map[string]any)["tags"], "sub-list loads nothing without include, whatever the client")

	l = call(t, srv, "GET", "/v1/identities/"+id+"/agents?include=agent.tags&order=asc&limit=1", nil).list(t)
	assert.Equal(t, []string{a1["id"].(string)}, ids(t, l))
	assert.Equal(t, []any{"t"}, l[0].(map[string]any)["tags"])

	r := call(t, srv, "GET", "/v1/identities/"+id+"/agents?after=agent-123e4567-e89b-42d3-8456-426614174000", nil)
	assert.Equal(t, 404, r.status)
	assert.Contains(t, r.detail(t), "No Agent found with id")
	assert.Equal(t, 404, call(t, srv, "GET", "/v1/identities/"+unknownIdentityID+"/agents", nil).status)
	assert.Equal(t, 422, call(t, srv, "GET", "/v1/identities/"+id+"/agents?include=tags", nil).status)

	blockID := a1["blocks"].([]any)[0].(map[string]any)["id"].(string)
	mustOK(t, call(t, srv, "PATCH", "/v1/identities/"+id, map[string]any{"block_ids": []any{blockID}}))
	bl := call(t, srv, "GET", "/v1/identities/"+id+"/blocks", nil).list(t)
	require.Len(t, bl, 1)
	assert.Equal(t, blockID, bl[0].(map[string]any)["id"])
	assert.Equal(t, "v", bl[0].(map[string]any)["value"])
	assert.Equal(t, 404, call(t, srv, "GET", "/v1/identities/"+unknownIdentityID+"/blocks", nil).status)
	r = call(t, srv, "GET", "/v1/identities/"+id+"/blocks?before=block-x", nil)
	assert.Equal(t, 404, r.status)
	assert.Contains(t, r.detail(t), "No Block found with id block-x")
}
