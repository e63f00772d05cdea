package lettatest

// The nested models of an agent body (LLMConfig, EmbeddingConfig, the
// model_settings variants) are checked field by field against their spec
// types, and what is kept is the converted value: a client that sends
// "temperature":"0.5" gets 0.5 back, as from the server, and one that sends
// "max_tokens":"lots" gets the server's 422 instead of an echo.

// fieldType is a field's type in the spec.
type fieldType int

const (
	fString fieldType = iota
	fInt
	fFloat
	fBool
	fLiteral        // an enum written inline: a Literal[...] on the server
	fEnum           // a named enum schema: a str Enum class on the server
	fModel          // a nested model
	fResponseFormat // the response_format union
)

// field is one property of a model. Nullable fields accept null; others
// fail on it with their type's error, as pydantic does.
type field struct {
	name     string
	typ      fieldType
	nullable bool
	required bool
	values   []string // fLiteral, fEnum
	class    string   // fModel: the model's name, for model_type errors
	sub      []field  // fModel
}

var (
	reasoningEfforts = []string{"none", "minimal", "low", "medium", "high", "xhigh"}
	efforts          = []string{"low", "medium", "high", "max"}
	verbosities      = []string{"low", "medium", "high"}
	enabledDisabled  = []string{"enabled", "disabled"}
)

// llmConfigFields is LLMConfig, in the spec's order (pydantic reports errors
// in field order).
var llmConfigFields = []field{
	{name: "model", typ: fString, required: true},
	{name: "display_name", typ: fString, nullable: true},
	{name: "model_endpoint_type", typ: fLiteral, required: true, values: llmEndpointTypes},
	{name: "model_endpoint", typ: fString, nullable: true},
	{name: "provider_name", typ: fString, nullable: true},
	{name: "provider_category", typ: fEnum, nullable: true, values: []string{"base", "byok"}},
	{name: "model_wrapper", typ: fString, nullable: true},
	{name: "context_window", typ: fInt, required: true},
	{name: "put_inner_thoughts_in_kwargs", typ: fBool, nullable: true},
	{name: "handle", typ: fString, nullable: true},
	{name: "temperature", typ: fFloat},
	{name: "max_tokens", typ: fInt, nullable: true},
	{name: "enable_reasoner", typ: fBool},
	{name: "reasoning_effort", typ: fLiteral, nullable: true, values: reasoningEfforts},
	{name: "max_reasoning_tokens", typ: fInt},
	{name: "effort", typ: fLiteral, nullable: true, values: efforts},
	{name: "frequency_penalty", typ: fFloat, nullable: true},
	{name: "compatibility_type", typ: fLiteral, nullable: true, values: []string{"gguf", "mlx"}},
	{name: "verbosity", typ: fLiteral, nullable: true, values: verbosities},
	{name: "tier", typ: fString, nullable: true},
	{name: "parallel_tool_calls", typ: fBool, nullable: true},
	{name: "response_format", typ: fResponseFormat, nullable: true},
	{name: "strict", typ: fBool},
	{name: "return_logprobs", typ: fBool},
	{name: "top_logprobs", typ: fInt, nullable: true},
	{name: "return_token_ids", typ: fBool},
	{name: "tool_call_parser", typ: fString, nullable: true},
}

// embeddingConfigFields is EmbeddingConfig.
var embeddingConfigFields = []field{
	{name: "embedding_endpoint_type", typ: fLiteral, required: true, values: embeddingEndpointTypes},
	{name: "embedding_endpoint", typ: fString, nullable: true},
	{name: "embedding_model", typ: fString, required: true},
	{name: "embedding_dim", typ: fInt, required: true},
	{name: "embedding_chunk_size", typ: fInt, nullable: true},
	{name: "handle", typ: fString, nullable: true},
	{name: "batch_size", typ: fInt},
	{name: "azure_endpoint", typ: fString, nullable: true},
	{name: "azure_version", typ: fString, nullable: true},
	{name: "azure_deployment", typ: fString, nullable: true},
}

// Fields the model_settings variants share or reuse.
var (
	msResponseFormat  = field{name: "response_format", typ: fResponseFormat, nullable: true}
	msStrict          = field{name: "strict", typ: fBool}
	msOpenAIReasoning = field{name: "reasoning", typ: fModel, class: "OpenAIReasoning", sub: []field{
		{name: "reasoning_effort", typ: fLiteral, values: reasoningEfforts},
	}}
	msGeminiThinking = field{name: "thinking_config", typ: fModel, class: "GeminiThinkingConfig", sub: []field{
		{name: "include_thoughts", typ: fBool},
		{name: "thinking_budget", typ: fInt},
	}}
	msResponseSchema = field{name: "response_schema", typ: fResponseFormat, nullable: true}
)

// modelSettingsExtra lists, per provider_type, the fields its variant has
// besides the shared max_output_tokens, parallel_tool_calls, provider_type
// and temperature.
var modelSettingsExtra = map[string][]field{
	"openai": {msOpenAIReasoning, msResponseFormat, msStrict},
	"sglang": {msOpenAIReasoning, msResponseFormat, msStrict, {name: "tool_call_parser", typ: fString, nullable: true}},
	"anthropic": {
		{name: "thinking", typ: fModel, class: "AnthropicThinking", sub: []field{
			{name: "type", typ: fLiteral, values: enabledDisabled},
			{name: "budget_tokens", typ: fInt},
		}},
		msResponseFormat,
		{name: "verbosity", typ: fLiteral, nullable: true, values: verbosities},
		{name: "effort", typ: fLiteral, nullable: true, values: efforts},
		msStrict,
	},
	"google_ai":     {msGeminiThinking, msResponseSchema},
	"google_vertex": {msGeminiThinking, msResponseSchema},
	"azure":         {msResponseFormat},
	"xai":           {msResponseFormat},
	"zai": {msResponseFormat, {name: "thinking", typ: fModel, class: "ZAIThinking", sub: []field{
		{name: "type", typ: fLiteral, values: enabledDisabled},
		{name: "clear_thinking", typ: fBool},
	}}},
	"groq":       {msResponseFormat},
	"deepseek":   {msResponseFormat},
	"together":   {msResponseFormat},
	"bedrock":    {msResponseFormat},
	"baseten":    nil,
	"openrouter": {msResponseFormat},
	"chatgpt_oauth": {{name: "reasoning", typ: fModel, class: "ChatGPTOAuthReasoning", sub: []field{
		{name: "reasoning_effort", typ: fLiteral, values: []string{"none", "low", "medium", "high", "xhigh"}},
	}}},
}

// modelSettingsFields is the variant of model_settings for provider.
func modelSettingsFields(provider string) []field {
	fs := []field{
		{name: "max_output_tokens", typ: fInt},
		{name: "parallel_tool_calls", typ: fBool},
		{name: "provider_type", typ: fLiteral, values: []string{provider}},
		{name: "temperature", typ: fFloat},
	}
	return append(fs, modelSettingsExtra[provider]...)
}

// checkFields validates o.m against fields and returns the fields present,
// converted; unknown keys are dropped (the models ignore extra input).
func checkFields(o obj, fields []field) map[string]any {
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		v, present := o.m[f.name]
		if !present {
			if f.required {
				o.missing(f.name)
			}
			continue
		}
		if v == nil && f.nullable {
			out[f.name] = nil
			continue
		}
		if c, good := checkField(o, f, v); good {
			out[f.name] = c
		}
	}
	return out
}

// checkModelFields checks v as the nested model class (an object, or
// model_type errors under name) and converts its fields.
func checkModelFields(o obj, v any, class, name string, fields []field) (map[string]any, bool) {
	m, good := checkModel(o, v, class, name)
	if !good {
		return nil, false
	}
	return checkFields(o.child(m, name), fields), true
}

// checkField validates and converts one non-null (or non-nullable) value.
func checkField(o obj, f field, v any) (any, bool) {
	switch f.typ {
	case fString:
		return checkString(o, v, f.name)
	case fInt:
		return checkInt(o, v, f.name)
	case fFloat:
		return checkFloat(o, v, f.name)
	case fBool:
		return checkBool(o, v, f.name)
	case fLiteral:
		return checkLiteral(o, v, f.values, f.name)
	case fEnum:
		return checkEnum(o, v, f.values, f.name)
	case fModel:
		return checkModelFields(o, v, f.class, f.name, f.sub)
	case fResponseFormat:
		before := len(*o.errs)
		validateResponseFormat(o, v, f.name)
		return v, len(*o.errs) == before
	}
	return nil, false
}

// checkModel reads a nested model's input, which must be an object.
func checkModel(o obj, v any, class string, elems ...any) (map[string]any, bool) {
	m, isObj := v.(map[string]any)
	if !isObj {
		o.fail("model_type", "Input should be a valid dictionary or instance of "+class, v,
			map[string]any{"class_name": class}, elems...)
	}
	return m, isObj
}
