package contract

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &m))
	return m
}

func TestNormaliseRewritesTheSpecPitfalls(t *testing.T) {
	doc := decode(t, `{
	  "servers": [{"url": "https://app.letta.com"}],
	  "paths": {
	    "/v1/x/": {"get": {"parameters": [
	      {"in": "query", "name": "limit", "schema": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": 50, "title": "Limit", "description": "d"}},
	      {"in": "query", "name": "kind", "schema": {"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/K"}], "title": "Kind"}},
	      {"in": "query", "name": "either", "schema": {"anyOf": [{"type": "integer"}, {"type": "string"}]}}
	    ]}},
	    "/v1/e/{id}": {"delete": {"parameters": [{"in": "path", "name": "id", "required": true, "schema": {"type": "string"}}]}},
	    "/v1/e/{deviceId}": {"get": {"parameters": [{"in": "path", "name": "deviceId", "required": true, "schema": {"type": "string"}}]}}
	  },
	  "components": {"schemas": {
	    "A": {"type": "object", "properties": {
	      "s": {"type": "string", "nullable": true},
	      "e": {"type": "string", "enum": ["a", "b"], "nullable": true},
	      "any": {"nullable": true},
	      "off": {"type": "string", "nullable": false}
	    }}
	  }}
	}`)
	rep, err := normalise(doc)
	require.NoError(t, err)

	assert.Equal(t, 3, rep.Nullable)
	props := doc["components"].(map[string]any)["schemas"].(map[string]any)["A"].(map[string]any)["properties"].(map[string]any)
	assert.Equal(t, map[string]any{"type": []any{"string", "null"}}, props["s"])
	assert.Equal(t, map[string]any{"type": []any{"string", "null"}, "enum": []any{"a", "b", nil}}, props["e"])
	assert.Equal(t, map[string]any{}, props["any"])
	assert.Equal(t, map[string]any{"type": "string"}, props["off"])

	assert.Equal(t, 2, rep.CollapsedParams)
	params := doc["paths"].(map[string]any)["/v1/x/"].(map[string]any)["get"].(map[string]any)["parameters"].([]any)
	assert.Equal(t, map[string]any{"type": "integer", "default": 50.0, "title": "Limit", "description": "d"}, params[0].(map[string]any)["schema"])
	assert.Equal(t, map[string]any{"$ref": "#/components/schemas/K", "title": "Kind"}, params[1].(map[string]any)["schema"])
	assert.Contains(t, params[2].(map[string]any)["schema"], "anyOf", "a real union is not a nullable wrapper and stays")

	assert.Equal(t, []string{"/v1/e/{id} -> /v1/e/{deviceId}"}, rep.MergedPaths)
	paths := doc["paths"].(map[string]any)
	assert.NotContains(t, paths, "/v1/e/{id}")
	merged := paths["/v1/e/{deviceId}"].(map[string]any)
	require.Contains(t, merged, "delete")
	require.Contains(t, merged, "get")
	del := merged["delete"].(map[string]any)["parameters"].([]any)[0].(map[string]any)
	assert.Equal(t, "deviceId", del["name"])

	assert.NotContains(t, doc, "servers")
}

func TestNormaliseRefusesToMergeClashingMethods(t *testing.T) {
	doc := decode(t, `{"paths": {
	  "/v1/e/{a}": {"get": {}},
	  "/v1/e/{b}": {"get": {}}
	}}`)
	_, err := normalise(doc)
	assert.ErrorContains(t, err, "both define GET")
}

func TestAllowancesFailWhenTheSpecNoLongerNeedsThem(t *testing.T) {
	tests := []struct {
		name, allowance, doc, wantErr string
	}{
		{"Identity already has organization_id", "identity-organization-id",
			`{"components": {"schemas": {"Identity": {"properties": {"organization_id": {"type": "string"}}}}}}`,
			"now in the spec"},
		{"delete_identity gained a schema", "delete-identity-body",
			`{"paths": {"/v1/identities/{identity_id}": {"delete": {"operationId": "delete_identity", "responses": {"200": {"content": {"application/json": {"schema": {"type": "null"}}}}}}}}}`,
			"no longer {}"},
		{"delete_agent is gone", "delete-agent-body", `{"paths": {}}`, "not found"},
		{"no 422 is HTTPValidationError", "validation-error-body",
			`{"components": {"schemas": {}}, "paths": {}}`, "no operation"},
	}
	byName := make(map[string]Allowance)
	for _, a := range Allowances() {
		byName[a.Name] = a
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := byName[tt.allowance]
			require.True(t, ok)
			assert.ErrorContains(t, a.apply(decode(t, tt.doc)), tt.wantErr)
		})
	}
}

func TestEveryAllowanceHasANameAndAReason(t *testing.T) {
	seen := make(map[string]bool)
	for _, a := range Allowances() {
		assert.NotEmpty(t, a.Name)
		assert.False(t, seen[a.Name], "duplicate allowance %s", a.Name)
		seen[a.Name] = true
		assert.Greater(t, len(a.Reason), 40, "allowance %s needs a real reason", a.Name)
	}
}
