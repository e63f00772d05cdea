package lettatest

import (
	"encoding/json"
	"strings"
)

// Model handles are "provider/model-name". The fake has no provider
// registry: it builds a plausible LLMConfig / EmbeddingConfig from the
// handle alone (endpoint type from the provider prefix, context window from
// context_window_limit or a per-provider default).

var llmEndpointTypes = []string{"openai", "anthropic", "google_ai", "google_vertex", "azure", "groq", "ollama",
	"webui", "webui-legacy", "lmstudio", "lmstudio-legacy", "lmstudio-chatcompletions", "llamacpp", "koboldcpp",
	"vllm", "hugging-face", "minimax", "mistral", "together", "bedrock", "deepseek", "xai", "zai", "zai_coding",
	"baseten", "fireworks", "openrouter", "chatgpt_oauth"}

var embeddingEndpointTypes = []string{"openai", "anthropic", "bedrock", "google_ai", "google_vertex", "azure",
	"groq", "ollama", "webui", "webui-legacy", "lmstudio", "lmstudio-legacy", "llamacpp", "koboldcpp", "vllm",
	"hugging-face", "mistral", "together", "pinecone"}

var modelSettingsProviders = []string{"openai", "sglang", "anthropic", "google_ai", "google_vertex", "azure",
	"xai", "zai", "groq", "deepseek", "together", "bedrock", "baseten", "openrouter", "chatgpt_oauth"}

// providerEndpoints are the public base URLs of well-known providers.
var providerEndpoints = map[string]string{
	"openai":     "https://api.openai.com/v1",
	"anthropic":  "https://api.anthropic.com/v1",
	"google_ai":  "https://generativelanguage.googleapis.com",
	"groq":       "https://api.groq.com/openai/v1",
	"together":   "https://api.together.ai/v1",
	"deepseek":   "https://api.deepseek.com/v1",
	"xai":        "https://api.x.ai/v1",
	"mistral":    "https://api.mistral.ai/v1",
	"openrouter": "https://openrouter.ai/api/v1",
	"letta":      "https://inference.letta.com/v1/",
	"ollama":     "http://localhost:11434",
}

// providerContextWindows are default context windows by provider.
var providerContextWindows = map[string]int64{
	"anthropic":     200000,
	"google_ai":     1048576,
	"google_vertex": 1048576,
	"letta":         30000,
	"ollama":        8192,
}

const defaultContextWindow int64 = 128000

// endpointTypeFor maps a handle's provider to an endpoint type; unknown
// providers are treated as OpenAI-compatible.
func endpointTypeFor(provider string, allowed []string) string {
	for _, a := range allowed {
		if a == provider {
			return a
		}
	}
	return "openai"
}

func splitHandle(handle string) (provider, name string, ok bool) {
	provider, name, ok = strings.Cut(handle, "/")
	return provider, name, ok && provider != "" && name != ""
}

// llmConfigFromHandle builds the LLMConfig the server would resolve for
// handle (which must contain '/').
func llmConfigFromHandle(handle string, contextWindowLimit *int64) map[string]any {
	provider, name, _ := splitHandle(handle)
	cw := defaultContextWindow
	if d, found := providerContextWindows[provider]; found {
		cw = d
	}
	if contextWindowLimit != nil {
		cw = *contextWindowLimit
	}
	var endpoint any
	if e, found := providerEndpoints[provider]; found {
		endpoint = e
	}
	cfg := defaultLLMConfig()
	cfg["model"] = name
	cfg["display_name"] = name
	cfg["model_endpoint_type"] = endpointTypeFor(provider, llmEndpointTypes)
	cfg["model_endpoint"] = endpoint
	cfg["provider_name"] = provider
	cfg["provider_category"] = "base"
	cfg["context_window"] = cw
	cfg["handle"] = handle
	if provider == "letta" {
		// As the real server configures letta/letta-free.
		cfg["display_name"] = nil
		cfg["max_tokens"] = int64(4096)
		cfg["enable_reasoner"] = false
	}
	return cfg
}

// defaultLLMConfig has every LLMConfig key with the spec's defaults.
func defaultLLMConfig() map[string]any {
	return map[string]any{
		"model": "", "display_name": nil, "model_endpoint_type": "openai", "model_endpoint": nil,
		"provider_name": nil, "provider_category": nil, "model_wrapper": nil, "context_window": defaultContextWindow,
		"put_inner_thoughts_in_kwargs": false, "handle": nil, "temperature": json.Number("1.0"), "max_tokens": nil,
		"enable_reasoner": true, "reasoning_effort": nil, "max_reasoning_tokens": 0, "effort": nil,
		"frequency_penalty": nil, "compatibility_type": nil, "verbosity": nil, "tier": nil,
		"parallel_tool_calls": false, "response_format": nil, "strict": false, "return_logprobs": false,
		"top_logprobs": nil, "return_token_ids": false, "tool_call_parser": nil,
	}
}

// llmConfigFromRequest completes a request's llm_config (as converted by
// validateLLMConfig) with defaults.
func llmConfigFromRequest(in map[string]any) map[string]any {
	cfg := defaultLLMConfig()
	for k := range cfg {
		if v, present := in[k]; present {
			cfg[k] = v
		}
	}
	return cfg
}

// validateLLMConfig checks an llm_config value as the server's LLMConfig
// model does and returns its fields converted to their spec types.
func validateLLMConfig(o obj, v any) map[string]any {
	m, _ := checkModelFields(o, v, "LLMConfig", "llm_config", llmConfigFields)
	return m
}

// validateEmbeddingConfig checks an embedding_config value as the server's
// EmbeddingConfig model does and returns its fields converted.
func validateEmbeddingConfig(o obj, v any) map[string]any {
	m, _ := checkModelFields(o, v, "EmbeddingConfig", "embedding_config", embeddingConfigFields)
	return m
}

// validateModelSettings checks a model_settings value: its provider_type
// tag first, then the fields of that provider's variant, with the tag in
// the errors' loc. It returns the fields sent, converted.
func validateModelSettings(o obj, v any) (map[string]any, bool) {
	m, tag, good := taggedVariant(o, v, "provider_type", modelSettingsProviders, "model_settings")
	if !good {
		return nil, false
	}
	return checkFields(o.child(m, "model_settings", tag), modelSettingsFields(tag)), true
}

func defaultEmbeddingConfig() map[string]any {
	return map[string]any{
		"embedding_endpoint_type": "openai", "embedding_endpoint": nil, "embedding_model": "",
		"embedding_dim": 1536, "embedding_chunk_size": 300, "handle": nil, "batch_size": 32,
		"azure_endpoint": nil, "azure_version": nil, "azure_deployment": nil,
	}
}

// embeddingConfigFromHandle builds an EmbeddingConfig for handle.
func embeddingConfigFromHandle(handle string, chunkSize *int64) map[string]any {
	provider, name, _ := splitHandle(handle)
	cfg := defaultEmbeddingConfig()
	cfg["embedding_endpoint_type"] = endpointTypeFor(provider, embeddingEndpointTypes)
	if e, found := providerEndpoints[provider]; found {
		cfg["embedding_endpoint"] = e
	}
	cfg["embedding_model"] = name
	if strings.Contains(name, "3-large") {
		cfg["embedding_dim"] = 3072
	}
	if chunkSize != nil {
		cfg["embedding_chunk_size"] = *chunkSize
	}
	cfg["handle"] = handle
	return cfg
}

// embeddingConfigFromRequest completes a request's embedding_config (as
// converted by validateEmbeddingConfig) with defaults.
func embeddingConfigFromRequest(in map[string]any) map[string]any {
	cfg := defaultEmbeddingConfig()
	for k := range cfg {
		if v, present := in[k]; present {
			cfg[k] = v
		}
	}
	return cfg
}

// handleOf derives a model handle from a config: its handle, else
// "<endpoint type>/<model>".
func handleOf(cfg map[string]any, typeKey, modelKey string) *string {
	if cfg == nil {
		return nil
	}
	if h, isStr := cfg["handle"].(string); isStr && h != "" {
		return &h
	}
	t, _ := cfg[typeKey].(string)
	m, _ := cfg[modelKey].(string)
	h := t + "/" + m
	return &h
}

// applyModelSettings feeds model_settings into the LLM config, as the
// server does for the fields both share.
func applyModelSettings(cfg map[string]any, ms map[string]any) {
	for from, to := range map[string]string{
		"temperature":         "temperature",
		"max_output_tokens":   "max_tokens",
		"parallel_tool_calls": "parallel_tool_calls",
		"response_format":     "response_format",
		"strict":              "strict",
		"verbosity":           "verbosity",
		"effort":              "effort",
	} {
		if v, present := ms[from]; present {
			cfg[to] = v
		}
	}
}

// modelSettingsFor derives the response's model_settings from the LLM
// config. For OpenAI endpoints it is the server's _to_model_settings; for
// the others, whose variants lettatest has not checked against the server,
// a common shape overlaid with what the client sent last.
func modelSettingsFor(cfg map[string]any, sent map[string]any) map[string]any {
	maxOut := cfg["max_tokens"]
	if maxOut == nil {
		maxOut = 4096
	}
	t, _ := cfg["model_endpoint_type"].(string)
	if t == "openai" {
		effort := cfg["reasoning_effort"]
		if effort == nil {
			effort = "minimal"
		}
		if r, isObj := sent["reasoning"].(map[string]any); isObj && r["reasoning_effort"] != nil {
			effort = r["reasoning_effort"]
		}
		return map[string]any{
			"provider_type":     "openai",
			"max_output_tokens": maxOut,
			// Not from llm_config: OpenAIModelSettings' default.
			"parallel_tool_calls": true,
			"temperature":         cfg["temperature"],
			"reasoning":           map[string]any{"reasoning_effort": effort},
			"response_format":     nil,
			"strict":              cfg["strict"],
		}
	}
	ms := map[string]any{
		"provider_type":       endpointTypeFor(t, modelSettingsProviders),
		"max_output_tokens":   maxOut,
		"parallel_tool_calls": cfg["parallel_tool_calls"],
		"temperature":         cfg["temperature"],
	}
	for k, v := range sent {
		ms[k] = v
	}
	return ms
}

// fileLimitsFor fills max_files_open and per_file_view_window_char_limit
// from the context window, in the server's spirit (bigger windows allow more
// and larger open files).
func fileLimitsFor(contextWindow int64) (int64, int64) {
	switch {
	case contextWindow <= 8000:
		return 3, 5000
	case contextWindow <= 32000:
		return 5, 15000
	case contextWindow <= 128000:
		return 10, 25000
	default:
		return 15, 40000
	}
}

// intOf reads an integer from a config map value.
func intOf(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case json.Number:
		n, err := x.Int64()
		return n, err == nil
	}
	return 0, false
}
