package lettatest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// baseLLM is a minimal valid llm_config plus extra fields.
func baseLLM(extra map[string]any) map[string]any {
	m := map[string]any{"model": "m", "model_endpoint_type": "openai", "context_window": 8000}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func baseEmbedding(extra map[string]any) map[string]any {
	m := map[string]any{"embedding_endpoint_type": "openai", "embedding_model": "e", "embedding_dim": 1536}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// Values of the nested configs are converted to their spec types as
// pydantic's lax mode converts them, and answered converted.
func TestAgentConfigsAreConverted(t *testing.T) {
	type path = []string
	tests := []struct {
		name string
		body map[string]any
		want map[string]any // "a.b" path in the agent -> value as decoded with UseNumber
	}{
		{"the review's example", map[string]any{"llm_config": baseLLM(map[string]any{
			"context_window": 8000.0, "temperature": "0.5", "max_tokens": "100"})},
			map[string]any{"llm_config.context_window": json.Number("8000"), "llm_config.temperature": json.Number("0.5"),
				"llm_config.max_tokens": json.Number("100")}},
		{"int fields from strings", map[string]any{"llm_config": baseLLM(map[string]any{
			"context_window": "16000", "max_reasoning_tokens": "8_192", "top_logprobs": "5.0"})},
			map[string]any{"llm_config.context_window": json.Number("16000"), "llm_config.max_reasoning_tokens": json.Number("8192"),
				"llm_config.top_logprobs": json.Number("5"), "max_files_open": json.Number("5")}},
		{"bool fields from strings and numbers", map[string]any{"llm_config": baseLLM(map[string]any{
			"enable_reasoner": "false", "strict": 1, "put_inner_thoughts_in_kwargs": "yes", "parallel_tool_calls": "off"})},
			map[string]any{"llm_config.enable_reasoner": false, "llm_config.strict": true,
				"llm_config.put_inner_thoughts_in_kwargs": true, "llm_config.parallel_tool_calls": false}},
		{"number fields from bools and exponents", map[string]any{"llm_config": baseLLM(map[string]any{
			"temperature": true, "frequency_penalty": "-1.5e-1"})},
			map[string]any{"llm_config.temperature": json.Number("1"), "llm_config.frequency_penalty": json.Number("-0.15")}},
		{"an infinite number is answered null", map[string]any{"llm_config": baseLLM(map[string]any{"frequency_penalty": "inf"})},
			map[string]any{"llm_config.frequency_penalty": nil}},
		{"nullable fields keep null", map[string]any{"llm_config": baseLLM(map[string]any{"max_tokens": nil, "display_name": nil})},
			map[string]any{"llm_config.max_tokens": nil, "llm_config.display_name": nil}},
		{"unknown llm_config keys are dropped", map[string]any{"llm_config": baseLLM(map[string]any{"bogus": 1})},
			map[string]any{"llm_config.bogus": "<absent>"}},
		{"embedding_config", map[string]any{"model": "openai/x", "embedding_config": baseEmbedding(map[string]any{
			"embedding_dim": "3072", "batch_size": 64.0, "embedding_chunk_size": "512"})},
			map[string]any{"embedding_config.embedding_dim": json.Number("3072"), "embedding_config.batch_size": json.Number("64"),
				"embedding_config.embedding_chunk_size": json.Number("512")}},
		{"model_settings feed llm_config converted", map[string]any{"model": "openai/x", "model_settings": map[string]any{
			"provider_type": "openai", "temperature": "0.25", "max_output_tokens": "2048", "parallel_tool_calls": "true"}},
			map[string]any{"model_settings.temperature": json.Number("0.25"), "model_settings.max_output_tokens": json.Number("2048"),
				"model_settings.parallel_tool_calls": true, "llm_config.temperature": json.Number("0.25"),
				"llm_config.max_tokens": json.Number("2048"), "llm_config.parallel_tool_calls": true}},
		{"nested model_settings fields", map[string]any{"model": "anthropic/claude", "model_settings": map[string]any{
			"provider_type": "anthropic", "thinking": map[string]any{"type": "enabled", "budget_tokens": "2048"}}},
			map[string]any{"model_settings.thinking.budget_tokens": json.Number("2048"), "model_settings.thinking.type": "enabled"}},
		{"unknown model_settings keys are dropped", map[string]any{"model": "openai/x", "model_settings": map[string]any{
			"provider_type": "groq", "thinking": map[string]any{}}},
			// The answer's model_settings derive from the OpenAI llm_config, as on the server.
			map[string]any{"model_settings.thinking": "<absent>", "model_settings.provider_type": "openai"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			got := mustOK(t, call(t, srv, "POST", "/v1/agents/", tt.body))
			for p, want := range tt.want {
				assertAt(t, got, strings.Split(p, "."), want)
			}
			// PATCH takes the same path through the same models.
			upd := mustOK(t, call(t, srv, "PATCH", "/v1/agents/"+got["id"].(string), tt.body))
			for p, want := range tt.want {
				if !strings.HasPrefix(p, "max_files_open") {
					assertAt(t, upd, strings.Split(p, "."), want)
				}
			}
		})
	}
}

// assertAt checks the value at a path of nested objects; "<absent>" wants
// the key missing.
func assertAt(t *testing.T, m map[string]any, p []string, want any) {
	t.Helper()
	cur := m
	for _, k := range p[:len(p)-1] {
		next, isObj := cur[k].(map[string]any)
		require.True(t, isObj, "%v: %s is %v", p, k, cur[k])
		cur = next
	}
	v, present := cur[p[len(p)-1]]
	if want == "<absent>" {
		assert.False(t, present, "%v is %v", p, v)
		return
	}
	require.True(t, present, "%v missing", p)
	assert.Equal(t, want, v, "%v", p)
}

// Values that cannot be converted are the server's 422, with pydantic's
// error type at the field's loc (model_settings locs include the tag).
func TestAgentConfigsRefuseBadTypes(t *testing.T) {
	tests := []struct {
		name    string
		body    map[string]any
		wantTyp string
		wantLoc string
	}{
		{"the review's example", map[string]any{"llm_config": baseLLM(map[string]any{
			"context_window": 8000.0, "temperature": "0.5", "max_tokens": "lots"})}, "int_parsing", "('body', 'llm_config', 'max_tokens')"},
		{"temperature word", map[string]any{"llm_config": baseLLM(map[string]any{"temperature": "warm"})}, "float_parsing", "('body', 'llm_config', 'temperature')"},
		{"temperature null", map[string]any{"llm_config": baseLLM(map[string]any{"temperature": nil})}, "float_type", "('body', 'llm_config', 'temperature')"},
		{"temperature list", map[string]any{"llm_config": baseLLM(map[string]any{"temperature": []any{1}})}, "float_type", "('body', 'llm_config', 'temperature')"},
		{"context_window fraction", map[string]any{"llm_config": baseLLM(map[string]any{"context_window": 8000.5})}, "int_from_float", "('body', 'llm_config', 'context_window')"},
		{"context_window null", map[string]any{"llm_config": baseLLM(map[string]any{"context_window": nil})}, "int_type", "('body', 'llm_config', 'context_window')"},
		{"max_reasoning_tokens null", map[string]any{"llm_config": baseLLM(map[string]any{"max_reasoning_tokens": nil})}, "int_type", "('body', 'llm_config', 'max_reasoning_tokens')"},
		{"enable_reasoner word", map[string]any{"llm_config": baseLLM(map[string]any{"enable_reasoner": "maybe"})}, "bool_parsing", "('body', 'llm_config', 'enable_reasoner')"},
		{"strict 2", map[string]any{"llm_config": baseLLM(map[string]any{"strict": 2})}, "bool_parsing", "('body', 'llm_config', 'strict')"},
		{"return_logprobs fraction", map[string]any{"llm_config": baseLLM(map[string]any{"return_logprobs": 0.5})}, "bool_type", "('body', 'llm_config', 'return_logprobs')"},
		{"model not a string", map[string]any{"llm_config": baseLLM(map[string]any{"model": 5})}, "string_type", "('body', 'llm_config', 'model')"},
		{"handle not a string", map[string]any{"llm_config": baseLLM(map[string]any{"handle": true})}, "string_type", "('body', 'llm_config', 'handle')"},
		{"endpoint type unknown", map[string]any{"llm_config": baseLLM(map[string]any{"model_endpoint_type": "nope"})}, "literal_error", "('body', 'llm_config', 'model_endpoint_type')"},
		{"provider_category unknown", map[string]any{"llm_config": baseLLM(map[string]any{"provider_category": "x"})}, "enum", "('body', 'llm_config', 'provider_category')"},
		{"reasoning_effort unknown", map[string]any{"llm_config": baseLLM(map[string]any{"reasoning_effort": "max"})}, "literal_error", "('body', 'llm_config', 'reasoning_effort')"},
		{"response_format unknown type", map[string]any{"llm_config": baseLLM(map[string]any{"response_format": map[string]any{"type": "x"}})}, "union_tag_invalid", "('body', 'llm_config', 'response_format')"},
		{"llm_config not an object", map[string]any{"llm_config": "openai/x"}, "model_type", "('body', 'llm_config')"},
		{"llm_config missing model", map[string]any{"llm_config": map[string]any{"model_endpoint_type": "openai", "context_window": 1}}, "missing", "('body', 'llm_config', 'model')"},

		{"embedding_dim word", map[string]any{"model": "openai/x", "embedding_config": baseEmbedding(map[string]any{"embedding_dim": "big"})}, "int_parsing", "('body', 'embedding_config', 'embedding_dim')"},
		{"batch_size null", map[string]any{"model": "openai/x", "embedding_config": baseEmbedding(map[string]any{"batch_size": nil})}, "int_type", "('body', 'embedding_config', 'batch_size')"},
		{"embedding endpoint type unknown", map[string]any{"model": "openai/x", "embedding_config": baseEmbedding(map[string]any{"embedding_endpoint_type": "x"})}, "literal_error", "('body', 'embedding_config', 'embedding_endpoint_type')"},
		{"azure_version not a string", map[string]any{"model": "openai/x", "embedding_config": baseEmbedding(map[string]any{"azure_version": 2})}, "string_type", "('body', 'embedding_config', 'azure_version')"},
		{"embedding_config not an object", map[string]any{"model": "openai/x", "embedding_config": []any{}}, "model_type", "('body', 'embedding_config')"},

		{"settings temperature word", map[string]any{"model": "openai/x", "model_settings": map[string]any{"provider_type": "openai", "temperature": "hot"}}, "float_parsing", "('body', 'model_settings', 'openai', 'temperature')"},
		{"settings max_output_tokens fraction", map[string]any{"model": "openai/x", "model_settings": map[string]any{"provider_type": "groq", "max_output_tokens": 1.5}}, "int_from_float", "('body', 'model_settings', 'groq', 'max_output_tokens')"},
		{"settings parallel_tool_calls null", map[string]any{"model": "openai/x", "model_settings": map[string]any{"provider_type": "xai", "parallel_tool_calls": nil}}, "bool_type", "('body', 'model_settings', 'xai', 'parallel_tool_calls')"},
		{"settings strict word", map[string]any{"model": "openai/x", "model_settings": map[string]any{"provider_type": "sglang", "strict": "sure"}}, "bool_parsing", "('body', 'model_settings', 'sglang', 'strict')"},
		{"settings thinking budget word", map[string]any{"model": "openai/x", "model_settings": map[string]any{"provider_type": "anthropic", "thinking": map[string]any{"budget_tokens": "x"}}}, "int_parsing", "('body', 'model_settings', 'anthropic', 'thinking', 'budget_tokens')"},
		{"settings thinking type unknown", map[string]any{"model": "openai/x", "model_settings": map[string]any{"provider_type": "zai", "thinking": map[string]any{"type": "on"}}}, "literal_error", "('body', 'model_settings', 'zai', 'thinking', 'type')"},
		{"settings reasoning not an object", map[string]any{"model": "openai/x", "model_settings": map[string]any{"provider_type": "openai", "reasoning": "high"}}, "model_type", "('body', 'model_settings', 'openai', 'reasoning')"},
		{"settings reasoning effort unknown", map[string]any{"model": "openai/x", "model_settings": map[string]any{"provider_type": "chatgpt_oauth", "reasoning": map[string]any{"reasoning_effort": "minimal"}}}, "literal_error", "('body', 'model_settings', 'chatgpt_oauth', 'reasoning', 'reasoning_effort')"},
		{"settings thinking_config bool word", map[string]any{"model": "openai/x", "model_settings": map[string]any{"provider_type": "google_ai", "thinking_config": map[string]any{"include_thoughts": "perhaps"}}}, "bool_parsing", "('body', 'model_settings', 'google_ai', 'thinking_config', 'include_thoughts')"},
		{"settings response_format bad", map[string]any{"model": "openai/x", "model_settings": map[string]any{"provider_type": "openai", "response_format": map[string]any{"type": "json_schema"}}}, "missing", "('body', 'model_settings', 'openai', 'response_format', 'json_schema', 'json_schema')"},
		{"settings verbosity unknown", map[string]any{"model": "openai/x", "model_settings": map[string]any{"provider_type": "anthropic", "verbosity": "loud"}}, "literal_error", "('body', 'model_settings', 'anthropic', 'verbosity')"},
		{"settings unknown provider", map[string]any{"model": "openai/x", "model_settings": map[string]any{"provider_type": "nope"}}, "union_tag_invalid", "('body', 'model_settings')"},
		{"settings not an object", map[string]any{"model": "openai/x", "model_settings": "openai"}, "model_attributes_type", "('body', 'model_settings')"},
	}
	srv := newServer(t)
	a := createAgent(t, srv, map[string]any{})
	for _, tt := range tests {
		for _, target := range []struct{ method, path string }{{"POST", "/v1/agents/"}, {"PATCH", "/v1/agents/" + a["id"].(string)}} {
			t.Run(tt.name+"/"+target.method, func(t *testing.T) {
				r := call(t, srv, target.method, target.path, tt.body)
				require.Equal(t, http.StatusUnprocessableEntity, r.status, "body: %s", r.body)
				d := r.detail(t)
				assert.Contains(t, d, "{'type': '"+tt.wantTyp+"', 'loc': "+tt.wantLoc+", ")
				assert.Equal(t, 1, strings.Count(d, "'loc': ("), "one error: %s", d)
			})
		}
	}
	// Nothing was applied by the refused PATCHes.
	assert.Equal(t, a["llm_config"], mustOK(t, call(t, srv, "GET", "/v1/agents/"+a["id"].(string), nil))["llm_config"])
}
