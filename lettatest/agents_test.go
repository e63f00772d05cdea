package lettatest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const unknownAgentID = "agent-123e4567-e89b-42d3-8456-426614174000"

func TestCreateAgent(t *testing.T) {
	srv := newServer(t)
	it := createIdentity(t, srv, "user_1", nil)
	got := createAgent(t, srv, map[string]any{
		"name":                 "Support Bot's-1",
		"model":                "anthropic/claude-sonnet-4",
		"embedding":            "openai/text-embedding-3-small",
		"context_window_limit": 64000,
		"memory_blocks":        []any{map[string]any{"label": "persona", "value": "I help.", "limit": 500}},
		"tags":                 []any{"prod", "a,b", "prod"},
		"identity_ids":         []any{it["id"]},
		"secrets":              map[string]any{"K": "V"},
		"metadata":             map[string]any{"team": "x"},
		"description":          "d",
		"timezone":             "Europe/Paris",
		"llm":                  "ignored/old-field",
	})
	assert.Regexp(t, agentIDRe, got["id"])
	assert.Equal(t, "Support Bot's-1", got["name"])
	assert.Equal(t, "letta_v1_agent", got["agent_type"])
	assert.Equal(t, "anthropic/claude-sonnet-4", got["model"])
	assert.Equal(t, "openai/text-embedding-3-small", got["embedding"])
	llm := got["llm_config"].(map[string]any)
	assert.Equal(t, "anthropic", llm["model_endpoint_type"])
	assert.Equal(t, "claude-sonnet-4", llm["model"])
	assert.Equal(t, json.Number("64000"), llm["context_window"])
	assert.Equal(t, "anthropic", got["model_settings"].(map[string]any)["provider_type"])
	emb := got["embedding_config"].(map[string]any)
	assert.Equal(t, "text-embedding-3-small", emb["embedding_model"])
	assert.Equal(t, []any{"prod", "a,b"}, got["tags"], "deduplicated, comma kept")
	assert.Equal(t, []any{it["id"]}, got["identity_ids"])
	require.Len(t, got["identities"], 1)
	assert.Equal(t, "user_1", got["identities"].([]any)[0].(map[string]any)["identifier_key"])
	blocks := got["blocks"].([]any)
	require.Len(t, blocks, 1)
	assert.Equal(t, "persona", blocks[0].(map[string]any)["label"])
	assert.Equal(t, json.Number("500"), blocks[0].(map[string]any)["limit"])
	assert.Equal(t, blocks, got["memory"].(map[string]any)["blocks"])
	secrets := got["secrets"].([]any)
	require.Len(t, secrets, 1)
	assert.Equal(t, "K", secrets[0].(map[string]any)["key"])
	assert.Equal(t, got["id"], secrets[0].(map[string]any)["agent_id"])
	assert.Equal(t, secrets, got["tool_exec_environment_variables"])
	assert.Equal(t, map[string]any{"team": "x"}, got["metadata"])
	assert.Equal(t, "Europe/Paris", got["timezone"])
	toolNames := []string{}
	for _, tl := range got["tools"].([]any) {
		toolNames = append(toolNames, tl.(map[string]any)["name"].(string))
	}
	assert.Equal(t, baseToolNames("letta_v1_agent"), toolNames, "base tools attached by default")
	assert.Equal(t, got["created_at"], got["updated_at"])
	assert.Equal(t, defaultUserID, got["created_by_id"])
}

func TestCreateAgentDefaults(t *testing.T) {
	srv := newServer(t)
	got := createAgent(t, srv, map[string]any{"include_base_tools": false})
	name, _ := got["name"].(string)
	assert.True(t, validAgentName(name) && name != "", "random default name %q", name)
	assert.Equal(t, []any{}, got["tools"])
	assert.Equal(t, []any{}, got["tags"])
	assert.Nil(t, got["embedding_config"])
	assert.Nil(t, got["embedding"])
	assert.Equal(t, "UTC", got["timezone"])
	assert.Equal(t, json.Number("128000"), got["llm_config"].(map[string]any)["context_window"])
	assert.NotNil(t, got["max_files_open"])
	assert.Equal(t, false, got["message_buffer_autoclear"])
}

func TestCreateAgentWithLLMConfig(t *testing.T) {
	srv := newServer(t)
	got := mustOK(t, call(t, srv, "POST", "/v1/agents/", map[string]any{
		"llm_config": map[string]any{"model": "m1", "model_endpoint_type": "ollama", "context_window": 4096},
	}))
	assert.Equal(t, "ollama/m1", got["model"], "model derived from llm_config")
	assert.Equal(t, json.Number("3"), got["max_files_open"], "file limits follow the context window")

	r := call(t, srv, "POST", "/v1/agents/", map[string]any{"llm_config": map[string]any{"model": "m1"}})
	require.Equal(t, 422, r.status)
	assert.Contains(t, r.detail(t), "('body', 'llm_config', 'context_window')")
}

func TestCreateAgentErrors(t *testing.T) {
	tests := []struct {
		name       string
		opts       []Option
		body       any
		wantStatus int
		wantDetail string
	}{
		{"no model", nil, map[string]any{"name": "a"}, 400, "INVALID_ARGUMENT: Must specify either model or llm_config in request"},
		{"old llm field is ignored", nil, map[string]any{"llm": "openai/gpt-4o-mini"}, 400, "Must specify either model"},
		{"model without slash", nil, map[string]any{"model": "gpt-4o-mini"}, 400, "INVALID_ARGUMENT: The model handle should be in the format provider/model-name"},
		{"bad name", nil, map[string]any{"model": "openai/x", "name": "bad/name"}, 500, "bad/name"},
		{"empty name", nil, map[string]any{"model": "openai/x", "name": ""}, 500, ""},
		{"null name", nil, map[string]any{"model": "openai/x", "name": nil}, 422, "'string_type'"},
		{"bad agent_type", nil, map[string]any{"model": "openai/x", "agent_type": "gpt"}, 422, "('body', 'agent_type')"},
		{"bad embedding handle", nil, map[string]any{"model": "openai/x", "embedding": "nope"}, 422, "('body', 'embedding')"},
		{"tags not strings", nil, map[string]any{"model": "openai/x", "tags": []any{1}}, 422, "('body', 'tags', 0)"},
		{"memory block without label", nil, map[string]any{"model": "openai/x", "memory_blocks": []any{map[string]any{"value": "v"}}}, 422, "('body', 'memory_blocks', 0, 'label')"},
		{"model_settings without provider_type", nil, map[string]any{"model": "openai/x", "model_settings": map[string]any{"temperature": 1}}, 422, "union_tag_not_found"},
		// As on the real server (unknown block_ids are dropped: see TestVerifiedUnknownIDsInAgentBodies).
		{"unknown identity", nil, map[string]any{"model": "openai/x", "identity_ids": []any{unknownIdentityID}}, 409, "DETAIL:  Key (identity_id)=(" + unknownIdentityID + ") is not present in table \"identities\"."},
		{"unknown tool", nil, map[string]any{"model": "openai/x", "tool_ids": []any{"tool-" + unknownUUID}}, 400, "Tools not found by id:   {'tool-" + unknownUUID + "'}"},
		{"folders are not modelled", nil, map[string]any{"model": "openai/x", "folder_ids": []any{"source-" + unknownUUID}}, 404, "Items not found in sources"},
		// Ids in body lists are checked as the request models' id types
		// check them: length, then pattern.
		{"malformed block id", nil, map[string]any{"model": "openai/x", "block_ids": []any{"block-1"}}, 422, "'string_too_short', 'loc': ('body', 'block_ids', 0)"},
		{"upper-case identity id", nil, map[string]any{"model": "openai/x", "identity_ids": []any{strings.ToUpper(unknownIdentityID)}}, 422, "'string_pattern_mismatch', 'loc': ('body', 'identity_ids', 0)"},
		{"too long tool id", nil, map[string]any{"model": "openai/x", "tool_ids": []any{"tool-" + unknownUUID + "0"}}, 422, "'string_too_long'"},
		// The unions are validated by their discriminator, then the variant.
		{"tool rule of unknown type", nil, map[string]any{"model": "openai/x", "tool_rules": []any{map[string]any{"type": "bogus", "tool_name": "a"}}}, 422, "'union_tag_invalid', 'loc': ('body', 'tool_rules', 0)"},
		{"tool rule without type", nil, map[string]any{"model": "openai/x", "tool_rules": []any{map[string]any{"tool_name": "a"}}}, 422, "'union_tag_not_found'"},
		{"tool rule not an object", nil, map[string]any{"model": "openai/x", "tool_rules": []any{"run_first"}}, 422, "'model_attributes_type', 'loc': ('body', 'tool_rules', 0)"},
		{"tool rule without tool_name", nil, map[string]any{"model": "openai/x", "tool_rules": []any{map[string]any{"type": "exit_loop"}}}, 422, "('body', 'tool_rules', 0, 'exit_loop', 'tool_name')"},
		{"child rule without children", nil, map[string]any{"model": "openai/x", "tool_rules": []any{map[string]any{"type": "constrain_child_tools", "tool_name": "a"}}}, 422, "('body', 'tool_rules', 0, 'constrain_child_tools', 'children')"},
		{"max count rule without limit", nil, map[string]any{"model": "openai/x", "tool_rules": []any{map[string]any{"type": "max_count_per_step", "tool_name": "a"}}}, 422, "'max_count_limit')"},
		{"json_schema format without schema", nil, map[string]any{"model": "openai/x", "response_format": map[string]any{"type": "json_schema"}}, 422, "('body', 'response_format', 'json_schema', 'json_schema')"},
		{"response format of unknown type", nil, map[string]any{"model": "openai/x", "response_format": map[string]any{"type": "grammar"}}, 422, "'union_tag_invalid'"},
		{"initial message without role", nil, map[string]any{"model": "openai/x", "initial_message_sequence": []any{map[string]any{"text": "hi"}}}, 422, "('body', 'initial_message_sequence', 0, 'role')"},
		{"malformed JSON", nil, `{"model":`, 422, "json_invalid"},
		{"not an object", nil, `"x"`, 422, "model_attributes_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.opts...)
			r := call(t, srv, "POST", "/v1/agents/", tt.body)
			require.Equal(t, tt.wantStatus, r.status, "body: %s", r.body)
			assert.Contains(t, r.detail(t), tt.wantDetail)
			assert.Equal(t, "0", string(call(t, srv, "GET", "/v1/agents/count", nil).body), "nothing stored")
		})
	}
}

func TestCreateAgentDefaultModel(t *testing.T) {
	srv := newServer(t, WithDefaultModel("letta/letta-free"))
	got := mustOK(t, call(t, srv, "POST", "/v1/agents/", map[string]any{"name": "a"}))
	assert.Equal(t, "letta/letta-free", got["model"])
	assert.Equal(t, json.Number("1.0"), got["llm_config"].(map[string]any)["temperature"], "LLMConfig's default temperature, a Python float as the server writes it")
	got = mustOK(t, call(t, srv, "POST", "/v1/agents/", map[string]any{"model": "openai/gpt-4o"}))
	assert.Equal(t, "openai/gpt-4o", got["model"], "an explicit model wins")
}

func TestCreateAgentToolsByName(t *testing.T) {
	srv := newServer(t)
	got := createAgent(t, srv, map[string]any{
		"include_base_tools": false, "tools": []any{"send_message", "no_such_tool"}, "include_multi_agent_tools": true,
	})
	var names []string
	for _, tl := range got["tools"].([]any) {
		names = append(names, tl.(map[string]any)["name"].(string))
	}
	assert.Equal(t, append(append([]string{}, multiAgentToolNames...), "send_message"), names)

	toolID := got["tools"].([]any)[0].(map[string]any)["id"]
	got2 := createAgent(t, srv, map[string]any{"include_base_tools": false, "tool_ids": []any{toolID}})
	require.Len(t, got2["tools"], 1)
	assert.Equal(t, toolID, got2["tools"].([]any)[0].(map[string]any)["id"])
}

func TestGetAgentRelationshipLoading(t *testing.T) {
	srv := newServer(t)
	it := createIdentity(t, srv, "user_1", nil)
	a := createAgent(t, srv, map[string]any{
		"tags": []any{"t1"}, "identity_ids": []any{it["id"]}, "secrets": map[string]any{"k": "v"},
		"memory_blocks": []any{map[string]any{"label": "human", "value": "v"}},
	})
	path := "/v1/agents/" + a["id"].(string)
	type loaded struct{ tags, tools, blocks, identities, secrets bool }
	tests := []struct {
		name  string
		query string
		hdr   http.Header
		want  loaded
	}{
		{"stainless header, no include", "", currentUA, loaded{}},
		{"no user agent", "", http.Header{"User-Agent": {""}}, loaded{}},
		{"letta-client/1.x", "", http.Header{"User-Agent": {"letta-client/1.3.0"}}, loaded{}},
		{"node 1.x", "", http.Header{"User-Agent": {"@letta-ai/letta-client/1.0.1"}}, loaded{}},
		{"UA without slash", "", http.Header{"User-Agent": {"mytool"}}, loaded{}},
		{"legacy UA", "", legacyUA, loaded{true, true, true, true, true}},
		{"Go default UA is legacy", "", nil, loaded{true, true, true, true, true}},
		{"letta-client/0.x is legacy", "", http.Header{"User-Agent": {"letta-client/0.1.2"}}, loaded{true, true, true, true, true}},
		{"include tags", "?include=agent.tags", currentUA, loaded{tags: true}},
		// Blocks bring the tags along, as on the real server.
		{"include several", "?include=agent.tools&include=agent.blocks&include=agent.identities&include=agent.secrets", currentUA, loaded{tags: true, tools: true, blocks: true, identities: true, secrets: true}},
		{"include_relationships wins for legacy", "?include_relationships=tags", legacyUA, loaded{tags: true}},
		{"include_relationships memory", "?include_relationships=memory&include_relationships=identity_ids", legacyUA, loaded{tags: true, blocks: true, identities: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustOK(t, call(t, srv, "GET", path+tt.query, nil, tt.hdr))
			check := func(key string, want bool) {
				if want {
					assert.NotEmpty(t, got[key], key)
				} else {
					assert.Equal(t, []any{}, got[key], key)
				}
			}
			check("tags", tt.want.tags)
			check("tools", tt.want.tools)
			check("blocks", tt.want.blocks)
			check("identities", tt.want.identities)
			check("identity_ids", tt.want.identities)
			check("secrets", tt.want.secrets)
			check("tool_exec_environment_variables", tt.want.secrets)
			assert.Equal(t, got["blocks"], got["memory"].(map[string]any)["blocks"])
			assert.Equal(t, []any{}, got["sources"])
		})
	}
	r := call(t, srv, "GET", path+"?include=agent.nope", nil)
	assert.Equal(t, 422, r.status)
	assert.Contains(t, r.detail(t), "('query', 'include', 0)")
}

func TestGetAgentErrors(t *testing.T) {
	srv := newServer(t)
	r := call(t, srv, "GET", "/v1/agents/"+unknownAgentID, nil)
	require.Equal(t, 404, r.status)
	assert.Equal(t, "Agent with ID "+unknownAgentID+" not found", r.detail(t))

	r = call(t, srv, "GET", "/v1/agents/agent-1", nil)
	require.Equal(t, 422, r.status)
	assert.Contains(t, r.detail(t), "String should match pattern 'agent-{uuid4}'")
	assert.Equal(t, []any{"agent-123e4567-e89b-42d3-8456-426614174000"}, r.obj(t)["examples"])
}

func TestUpdateAgent(t *testing.T) {
	srv := newServer(t)
	i1 := createIdentity(t, srv, "u1", nil)
	i2 := createIdentity(t, srv, "u2", nil)
	tests := []struct {
		name  string
		body  map[string]any
		check func(t *testing.T, before, got map[string]any)
	}{
		{"name", map[string]any{"name": "renamed"}, func(t *testing.T, before, got map[string]any) {
			assert.Equal(t, "renamed", got["name"])
			assert.Equal(t, before["tags"], got["tags"])
		}},
		{"tags replace", map[string]any{"tags": []any{"x"}}, func(t *testing.T, _, got map[string]any) {
			assert.Equal(t, []any{"x"}, got["tags"])
		}},
		{"tags [] clears", map[string]any{"tags": []any{}}, func(t *testing.T, _, got map[string]any) {
			assert.Equal(t, []any{}, got["tags"])
		}},
		{"tags null unchanged", map[string]any{"tags": nil, "description": nil}, func(t *testing.T, before, got map[string]any) {
			assert.Equal(t, before["tags"], got["tags"])
			assert.Equal(t, "desc", got["description"])
		}},
		{"identity_ids replace", map[string]any{"identity_ids": []any{i2["id"]}}, func(t *testing.T, _, got map[string]any) {
			assert.Equal(t, []any{i2["id"]}, got["identity_ids"])
		}},
		{"identity_ids [] clears", map[string]any{"identity_ids": []any{}}, func(t *testing.T, _, got map[string]any) {
			assert.Equal(t, []any{}, got["identities"])
		}},
		{"metadata replaces", map[string]any{"metadata": map[string]any{"b": json.Number("2")}}, func(t *testing.T, _, got map[string]any) {
			assert.Equal(t, map[string]any{"b": json.Number("2")}, got["metadata"])
		}},
		{"secrets replace", map[string]any{"secrets": map[string]any{"N": "1"}}, func(t *testing.T, _, got map[string]any) {
			require.Len(t, got["secrets"], 1)
			assert.Equal(t, "N", got["secrets"].([]any)[0].(map[string]any)["key"])
		}},
		{"model rebuilds llm_config", map[string]any{"model": "groq/llama-3", "context_window_limit": 8000}, func(t *testing.T, _, got map[string]any) {
			assert.Equal(t, "groq/llama-3", got["model"])
			assert.Equal(t, "groq", got["llm_config"].(map[string]any)["model_endpoint_type"])
			assert.Equal(t, json.Number("8000"), got["llm_config"].(map[string]any)["context_window"])
		}},
		{"max_tokens null clears", map[string]any{"max_tokens": nil}, func(t *testing.T, before, got map[string]any) {
			assert.Equal(t, json.Number("100"), before["llm_config"].(map[string]any)["max_tokens"])
			assert.Nil(t, got["llm_config"].(map[string]any)["max_tokens"])
		}},
		{"max_tokens absent unchanged", map[string]any{"name": "n2"}, func(t *testing.T, _, got map[string]any) {
			assert.Equal(t, json.Number("100"), got["llm_config"].(map[string]any)["max_tokens"])
		}},
		{"run fields", map[string]any{"last_stop_reason": "end_turn", "last_run_duration_ms": 12, "last_run_completion": "2025-02-01T10:00:00Z"}, func(t *testing.T, _, got map[string]any) {
			assert.Equal(t, "end_turn", got["last_stop_reason"])
			assert.Equal(t, json.Number("12"), got["last_run_duration_ms"])
			assert.Equal(t, "2025-02-01T10:00:00Z", got["last_run_completion"])
		}},
		{"unknown fields ignored", map[string]any{"bogus": 1, "description": "new"}, func(t *testing.T, _, got map[string]any) {
			assert.Equal(t, "new", got["description"])
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := createAgent(t, srv, map[string]any{
				"tags": []any{"a", "b"}, "identity_ids": []any{i1["id"]}, "description": "desc",
				"metadata": map[string]any{"a": 1}, "max_tokens": 100,
			})
			path := "/v1/agents/" + before["id"].(string)
			got := mustOK(t, call(t, srv, "PATCH", path, tt.body, currentUA))
			tt.check(t, before, got)
			assert.True(t, ts(t, got["updated_at"]).After(ts(t, before["updated_at"])), "updated_at moves forward")
			assert.Equal(t, got, mustOK(t, call(t, srv, "GET", path, nil, legacyUA)), "stored, and PATCH answers all relationships")
		})
	}
}

func TestUpdateAgentErrors(t *testing.T) {
	srv := newServer(t)
	created := createAgent(t, srv, map[string]any{"name": "keep"})
	path := "/v1/agents/" + created["id"].(string)
	a := mustOK(t, call(t, srv, "GET", path, nil, legacyUA))
	tests := []struct {
		name       string
		path       string
		body       any
		wantStatus int
		wantDetail string
	}{
		{"unknown", "/v1/agents/" + unknownAgentID, map[string]any{"name": "x"}, 404, "not found"},
		{"malformed id", "/v1/agents/x", map[string]any{}, 422, "agent-{uuid4}"},
		// PATCH does not check names (see TestVerifiedAgentNameAndHandleErrors).
		{"model without slash", path, map[string]any{"model": "gpt"}, 404, "NOT_FOUND: Handle gpt not found, must be one of []"},
		{"unknown identity", path, map[string]any{"identity_ids": []any{unknownIdentityID}}, 409, "violates foreign key constraint \"identities_agents_identity_id_fkey\""},
		{"bad stop reason", path, map[string]any{"last_stop_reason": "done"}, 422, "last_stop_reason"},
		{"malformed message id", path, map[string]any{"message_ids": []any{"garbage"}}, 422, "('body', 'message_ids', 0)"},
		{"malformed tool id", path, map[string]any{"tool_ids": []any{"x"}}, 422, "('body', 'tool_ids', 0)"},
		{"bad type", path, map[string]any{"hidden": "maybe"}, 422, "bool_parsing"},
		{"malformed JSON", path, "{", 422, "json_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv, "PATCH", tt.path, tt.body)
			require.Equal(t, tt.wantStatus, r.status, "body: %s", r.body)
			assert.Contains(t, r.detail(t), tt.wantDetail)
		})
	}
	assert.Equal(t, a, mustOK(t, call(t, srv, "GET", path, nil, legacyUA)), "failed updates change nothing")
}

func TestDeleteAgent(t *testing.T) {
	srv := newServer(t)
	a := createAgent(t, srv, map[string]any{})
	id := a["id"].(string)
	r := call(t, srv, "DELETE", "/v1/agents/"+id, nil)
	require.Equal(t, 200, r.status)
	assert.Equal(t, map[string]any{"message": "Agent id=" + id + " successfully deleted"}, r.obj(t))
	assert.Equal(t, 404, call(t, srv, "GET", "/v1/agents/"+id, nil).status)
	assert.Equal(t, 404, call(t, srv, "DELETE", "/v1/agents/"+id, nil).status)
	assert.Equal(t, 422, call(t, srv, "DELETE", "/v1/agents/nope", nil).status)
}

func TestAttachDetachIdentity(t *testing.T) {
	srv := newServer(t)
	a := createAgent(t, srv, map[string]any{})
	it := createIdentity(t, srv, "user_1", nil)
	attach := "/v1/agents/" + a["id"].(string) + "/identities/attach/" + it["id"].(string)
	detach := "/v1/agents/" + a["id"].(string) + "/identities/detach/" + it["id"].(string)
	identities := func() []any {
		return mustOK(t, call(t, srv, "GET", "/v1/agents/"+a["id"].(string)+"?include=agent.identities", nil, currentUA))["identities"].([]any)
	}

	for range 2 { // idempotent
		r := call(t, srv, "PATCH", attach, nil)
		require.Equal(t, 200, r.status, "body: %s", r.body)
		assert.Equal(t, "null", string(r.body))
		require.Len(t, identities(), 1)
	}
	for range 2 {
		r := call(t, srv, "PATCH", detach, nil)
		require.Equal(t, 200, r.status)
		assert.Equal(t, "null", string(r.body))
		assert.Empty(t, identities())
	}

	tests := []struct {
		name       string
		path       string
		wantStatus int
	}{
		{"unknown agent", "/v1/agents/" + unknownAgentID + "/identities/attach/" + it["id"].(string), 404},
		{"unknown identity", "/v1/agents/" + a["id"].(string) + "/identities/attach/" + unknownIdentityID, 404},
		{"malformed agent", "/v1/agents/x/identities/detach/" + it["id"].(string), 422},
		{"malformed identity", "/v1/agents/" + a["id"].(string) + "/identities/attach/identity-x", 400},
		{"wrong method", "/v1/agents/" + a["id"].(string) + "/identities/attach/" + it["id"].(string), 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := "PATCH"
			if tt.wantStatus == 405 {
				method = "POST"
			}
			assert.Equal(t, tt.wantStatus, call(t, srv, method, tt.path, nil).status)
		})
	}
}

func TestListAgentsFilters(t *testing.T) {
	srv := newServer(t)
	u1 := createIdentity(t, srv, "user_1", nil)
	u2 := createIdentity(t, srv, "user_2", map[string]any{"project_id": "p"})
	mk := func(body map[string]any) string { return createAgent(t, srv, body)["id"].(string) }
	a := mk(map[string]any{"name": "Alpha", "tags": []any{"x", "y"}, "identity_ids": []any{u1["id"]}, "project_id": "p1"})
	b := mk(map[string]any{"name": "Beta", "tags": []any{"x"}, "identity_ids": []any{u2["id"]}, "template_id": "t1", "base_template_id": "bt1"})
	c := mk(map[string]any{"name": "alphabet", "tags": []any{"a,b"}})
	d := mk(map[string]any{"name": "Hidden", "hidden": true, "tags": []any{"x"}})
	mustOK(t, call(t, srv, "PATCH", "/v1/agents/"+c, map[string]any{"last_stop_reason": "error"}))
	mustOK(t, call(t, srv, "GET", "/v1/agents/"+b, nil, http.Header{"user_id": {"user-123e4567-e89b-42d3-8456-426614174001"}}))
	other := mk(map[string]any{"name": "ByOther"})
	_ = other

	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{other, c, b, a}},
		{"?name=Alpha", []string{a}},
		{"?name=alpha", []string{}},
		{"?query_text=ALPH", []string{c, a}},
		{"?tags=x", []string{b, a}},
		{"?tags=x&tags=y", []string{b, a}},
		{"?tags=x&tags=y&match_all_tags=true", []string{a}},
		{"?tags=a,b", []string{c}},
		{"?tags=a", []string{}},
		{"?tags[]=x", []string{other, c, b, a}},
		{"?identifier_keys=user_1", []string{a}},
		{"?identifier_keys=user_1&identifier_keys=user_2", []string{b, a}},
		{"?identity_id=" + u2["id"].(string), []string{b}},
		{"?project_id=p1", []string{a}},
		{"?template_id=t1", []string{b}},
		{"?base_template_id=bt1", []string{b}},
		{"?last_stop_reason=error", []string{c}},
		{"?created_by_id=" + defaultUserID + "&limit=2", []string{other, c}},
		{"?show_hidden_agents=true&tags=x", []string{d, b, a}},
		{"?order=asc&limit=2", []string{a, b}},
		{"?after=" + c, []string{b, a}},
		{"?after=" + unknownAgentID, []string{other, c, b, a}},
		{"?before=" + b + "&order=asc", []string{a}},
		{"?order_by=updated_at", []string{other, c, b, a}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := call(t, srv, "GET", "/v1/agents/"+tt.query, nil)
			require.Equal(t, 200, r.status, "body: %s", r.body)
			assert.Equal(t, tt.want, ids(t, r.list(t)))

			countQuery := tt.query
			if strings.Contains(countQuery, "limit") || strings.Contains(countQuery, "after") ||
				strings.Contains(countQuery, "before") || strings.Contains(countQuery, "order") {
				return
			}
			cr := call(t, srv, "GET", "/v1/agents/count"+countQuery, nil)
			require.Equal(t, 200, cr.status)
			n, _ := cr.json(t).(json.Number).Int64()
			assert.Equal(t, int64(len(tt.want)), n, "count uses the same filters")
		})
	}
}

func TestListAgentsOrderBy(t *testing.T) {
	srv := newServer(t, WithDeterministicIDs(7))
	a := createAgent(t, srv, map[string]any{"name": "a"})["id"].(string)
	b := createAgent(t, srv, map[string]any{"name": "b"})["id"].(string)
	c := createAgent(t, srv, map[string]any{"name": "c"})["id"].(string)
	mustOK(t, call(t, srv, "PATCH", "/v1/agents/"+a, map[string]any{"description": "touch", "last_run_completion": "2025-03-01T00:00:00Z"}))
	mustOK(t, call(t, srv, "PATCH", "/v1/agents/"+c, map[string]any{"last_run_completion": "2025-02-01T00:00:00Z"}))
	tests := []struct {
		query string
		want  []string
	}{
		{"?order_by=updated_at", []string{c, a, b}},
		{"?order_by=updated_at&order=asc", []string{b, a, c}},
		{"?order_by=last_run_completion", []string{a, c, b}},
		{"?order_by=last_run_completion&order=asc", []string{c, a, b}},
		{"?order_by=last_run_completion&after=" + c, []string{b}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			assert.Equal(t, tt.want, ids(t, call(t, srv, "GET", "/v1/agents/"+tt.query, nil).list(t)))
		})
	}
}

func TestListAgentsErrors(t *testing.T) {
	srv := newServer(t)
	for _, q := range []string{"?limit=x", "?order=random", "?order_by=name", "?match_all_tags=perhaps", "?last_stop_reason=nope", "?include=agent.x", "?ascending=maybe"} {
		t.Run(q, func(t *testing.T) {
			r := call(t, srv, "GET", "/v1/agents/"+q, nil)
			assert.Equal(t, 422, r.status, "body: %s", r.body)
			assert.Equal(t, "", r.obj(t)["trace_id"])
		})
	}
	assert.Equal(t, 422, call(t, srv, "GET", "/v1/agents/count?match_all_tags=perhaps", nil).status)
}
