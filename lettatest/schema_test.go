package lettatest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Key lists of the spec's schemas (openapi.json, components.schemas.*.properties),
// written out so that a dropped or misspelled key in a response fails here.
var (
	specIdentityKeys = []string{"id", "identifier_key", "name", "identity_type", "project_id", "agent_ids", "block_ids", "properties"}
	specAgentKeys    = []string{"created_by_id", "last_updated_by_id", "created_at", "updated_at", "id", "name", "tool_rules",
		"message_ids", "system", "agent_type", "llm_config", "embedding_config", "model", "embedding", "model_settings",
		"compaction_settings", "response_format", "description", "metadata", "memory", "blocks", "tools", "sources", "tags",
		"tool_exec_environment_variables", "secrets", "project_id", "template_id", "base_template_id", "deployment_id",
		"entity_id", "identity_ids", "identities", "pending_approval", "message_buffer_autoclear", "enable_sleeptime",
		"multi_agent_group", "managed_group", "last_run_completion", "last_run_duration_ms", "last_stop_reason", "timezone",
		"max_files_open", "per_file_view_window_char_limit", "hidden"}
	specLLMConfigKeys = []string{"model", "display_name", "model_endpoint_type", "model_endpoint", "provider_name",
		"provider_category", "model_wrapper", "context_window", "put_inner_thoughts_in_kwargs", "handle", "temperature",
		"max_tokens", "enable_reasoner", "reasoning_effort", "max_reasoning_tokens", "effort", "frequency_penalty",
		"compatibility_type", "verbosity", "tier", "parallel_tool_calls", "response_format", "strict", "return_logprobs",
		"top_logprobs", "return_token_ids", "tool_call_parser"}
	specEmbeddingConfigKeys = []string{"embedding_endpoint_type", "embedding_endpoint", "embedding_model", "embedding_dim",
		"embedding_chunk_size", "handle", "batch_size", "azure_endpoint", "azure_version", "azure_deployment"}
	specMemoryKeys = []string{"agent_type", "git_enabled", "blocks", "file_blocks", "prompt_template"}
	specBlockKeys  = []string{"value", "limit", "project_id", "template_name", "is_template", "template_id", "base_template_id",
		"deployment_id", "entity_id", "preserve_on_migration", "label", "read_only", "description", "metadata", "hidden", "id",
		"created_by_id", "last_updated_by_id", "tags"}
	specToolKeys = []string{"id", "tool_type", "description", "source_type", "name", "tags", "source_code", "json_schema",
		"args_json_schema", "return_char_limit", "pip_requirements", "npm_requirements", "default_requires_approval",
		"enable_parallel_execution", "created_by_id", "last_updated_by_id", "metadata_", "project_id"}
	specEnvVarKeys = []string{"created_by_id", "last_updated_by_id", "created_at", "updated_at", "id", "key", "value",
		"description", "value_enc", "agent_id"}
)

func TestResponsesCarryEverySpecKey(t *testing.T) {
	srv := newServer(t)
	it := createIdentity(t, srv, "user_1", nil)
	assert.ElementsMatch(t, append(append([]string{}, specIdentityKeys...), "organization_id"), keysOf(it))

	a := createAgent(t, srv, map[string]any{
		"embedding":     "openai/text-embedding-3-small",
		"identity_ids":  []any{it["id"]},
		"memory_blocks": []any{map[string]any{"label": "human", "value": "v"}},
		"secrets":       map[string]any{"k": "v"},
	})
	for name, got := range map[string]map[string]any{
		"create": a,
		"get":    mustOK(t, call(t, srv, "GET", "/v1/agents/"+a["id"].(string), nil, legacyUA)),
		"list":   call(t, srv, "GET", "/v1/agents/", nil, legacyUA).list(t)[0].(map[string]any),
	} {
		t.Run(name, func(t *testing.T) {
			assert.ElementsMatch(t, specAgentKeys, keysOf(got))
			assert.ElementsMatch(t, specLLMConfigKeys, keysOf(got["llm_config"].(map[string]any)))
			assert.ElementsMatch(t, specEmbeddingConfigKeys, keysOf(got["embedding_config"].(map[string]any)))
			assert.ElementsMatch(t, specMemoryKeys, keysOf(got["memory"].(map[string]any)))
			require.NotEmpty(t, got["blocks"])
			assert.ElementsMatch(t, specBlockKeys, keysOf(got["blocks"].([]any)[0].(map[string]any)))
			require.NotEmpty(t, got["tools"])
			assert.ElementsMatch(t, specToolKeys, keysOf(got["tools"].([]any)[0].(map[string]any)))
			require.NotEmpty(t, got["secrets"])
			assert.ElementsMatch(t, specEnvVarKeys, keysOf(got["secrets"].([]any)[0].(map[string]any)))
			require.NotEmpty(t, got["identities"])
			assert.ElementsMatch(t, append(append([]string{}, specIdentityKeys...), "organization_id"),
				keysOf(got["identities"].([]any)[0].(map[string]any)))
		})
	}
	// Unset optionals are present as null, not omitted.
	assert.Contains(t, a, "description")
	assert.Nil(t, a["description"])
	assert.Nil(t, a["pending_approval"])

	bl := call(t, srv, "GET", "/v1/identities/"+it["id"].(string)+"/blocks", nil)
	require.Equal(t, http.StatusOK, bl.status)
}
