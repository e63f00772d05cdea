package letta

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta/internal/codec"
)

func compact(t *testing.T, s string) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, json.Compact(&buf, []byte(s)))
	return buf.String()
}

// roundTrip decodes in into a fresh T, re-encodes it unmodified and requires
// the very same bytes (modulo insignificant whitespace).
func roundTrip[T any](t *testing.T, in string) T {
	t.Helper()
	var v T
	require.NoError(t, codec.Unmarshal([]byte(in), &v))
	out, err := codec.Marshal(v)
	require.NoError(t, err)
	assert.Equal(t, compact(t, in), string(out))
	return v
}

var toolRuleInputs = map[ToolRuleType]string{
	ToolRuleConstrainChildTools: `{"tool_name":"a","type":"constrain_child_tools","prompt_template":null,"children":["b","c"],"child_arg_nodes":[{"name":"b","args":{"x":1}},{"name":"c","args":null}]}`,
	ToolRuleRunFirst:            `{"tool_name":"a","type":"run_first","prompt_template":"first {{tool}}","args":{"q":"hi","n":[1,2.50]}}`,
	ToolRuleExitLoop:            `{"tool_name":"send_message","type":"exit_loop","prompt_template":null}`,
	ToolRuleConditional:         `{"tool_name":"a","type":"conditional","prompt_template":null,"default_child":null,"child_output_mapping":{"yes":"b","no":"c"},"require_output_mapping":true}`,
	ToolRuleContinueLoop:        `{"type":"continue_loop","tool_name":"a"}`,
	ToolRuleRequiredBeforeExit:  `{"tool_name":"a","type":"required_before_exit","prompt_template":"must call a"}`,
	ToolRuleMaxCountPerStep:     `{"tool_name":"a","type":"max_count_per_step","prompt_template":null,"max_count_limit":0}`,
	ToolRuleParentLastTool:      `{"tool_name":"a","type":"parent_last_tool","prompt_template":null,"children":[]}`,
	ToolRuleRequiresApproval:    `{"tool_name":"a","type":"requires_approval","prompt_template":null}`,
}

func TestToolRuleRoundTripsEveryVariant(t *testing.T) {
	require.Len(t, toolRuleInputs, 9)
	for typ, in := range toolRuleInputs {
		t.Run(string(typ), func(t *testing.T) {
			r := roundTrip[ToolRule](t, in)
			assert.Equal(t, typ, r.Type)
			assert.Equal(t, compact(t, in), string(r.Raw()))
		})
	}
}

func TestToolRuleTypedFields(t *testing.T) {
	var r ToolRule
	require.NoError(t, codec.Unmarshal([]byte(toolRuleInputs[ToolRuleMaxCountPerStep]), &r))
	require.NotNil(t, r.MaxCountLimit)
	assert.Equal(t, 0, *r.MaxCountLimit, "an explicit 0 is kept")
	require.NoError(t, codec.Unmarshal([]byte(toolRuleInputs[ToolRuleParentLastTool]), &r))
	assert.Equal(t, []string{}, r.Children)
	assert.Nil(t, r.MaxCountLimit, "decoding resets fields of the previous value")
}

func TestUnionsKeepUnknownFieldsAndVariants(t *testing.T) {
	t.Run("tool rule with unknown field", func(t *testing.T) {
		in := `{"tool_name":"a","type":"exit_loop","prompt_template":null,"priority":{"level":3},"zeta":[true]}`
		r := roundTrip[ToolRule](t, in)

		// Modified: typed fields win, unknown keys are carried over.
		r.ToolName = "b"
		out, err := codec.Marshal(r)
		require.NoError(t, err)
		assert.JSONEq(t, `{"tool_name":"b","type":"exit_loop","priority":{"level":3},"zeta":[true]}`, string(out))
	})
	t.Run("unknown tool rule variant", func(t *testing.T) {
		in := `{"tool_name":"a","type":"run_at_midnight","cron":"0 0 * * *","prompt_template":null}`
		r := roundTrip[ToolRule](t, in)
		assert.Equal(t, ToolRuleType("run_at_midnight"), r.Type)

		r.PromptTemplate = Ptr("p")
		out, err := codec.Marshal(r)
		require.NoError(t, err)
		assert.JSONEq(t, `{"tool_name":"a","type":"run_at_midnight","cron":"0 0 * * *","prompt_template":"p"}`, string(out))
	})
	t.Run("variant changed: the old variant's unknown keys are dropped", func(t *testing.T) {
		r := roundTrip[ToolRule](t, `{"tool_name":"a","type":"run_at_midnight","cron":"0 0 * * *"}`)
		r.Type = ToolRuleExitLoop
		out, err := codec.Marshal(r)
		require.NoError(t, err)
		assert.JSONEq(t, `{"tool_name":"a","type":"exit_loop"}`, string(out))

		s := roundTrip[ModelSettings](t, `{"provider_type":"mistral","safe_prompt":true}`)
		s.ProviderType = ModelProviderOpenAI
		out, err = codec.Marshal(s)
		require.NoError(t, err)
		assert.NotContains(t, string(out), "safe_prompt")
	})
	t.Run("unknown model provider", func(t *testing.T) {
		in := `{"provider_type":"mistral","temperature":0.1,"safe_prompt":true,"max_output_tokens":100}`
		s := roundTrip[ModelSettings](t, in)
		assert.Equal(t, ModelProvider("mistral"), s.ProviderType)
		assert.Equal(t, 0.1, *s.Temperature)

		s.Temperature = Ptr(0.2)
		out, err := codec.Marshal(s)
		require.NoError(t, err)
		assert.JSONEq(t, `{"provider_type":"mistral","temperature":0.2,"safe_prompt":true,"max_output_tokens":100}`, string(out))
	})
	t.Run("unknown response format", func(t *testing.T) {
		in := `{"type":"grammar","grammar":"root ::= \"yes\" | \"no\""}`
		f := roundTrip[ResponseFormat](t, in)
		assert.Equal(t, ResponseFormatType("grammar"), f.Type)
	})
	t.Run("inside a list, unmodified elements keep their bytes", func(t *testing.T) {
		in := `[{"tool_name":"a","type":"exit_loop","x":1},{"tool_name":"b","type":"run_first","args":{"k":"v"},"y":2}]`
		rules := roundTrip[[]ToolRule](t, in)
		rules[1].ToolName = "c"
		out, err := codec.Marshal(rules)
		require.NoError(t, err)
		assert.JSONEq(t, `[{"tool_name":"a","type":"exit_loop","x":1},{"tool_name":"c","type":"run_first","args":{"k":"v"},"y":2}]`, string(out))
	})
}

func TestModelSettingsRoundTripsEveryVariant(t *testing.T) {
	inputs := map[ModelProvider]string{
		ModelProviderOpenAI:       `{"max_output_tokens":4096,"parallel_tool_calls":true,"provider_type":"openai","temperature":0.7,"reasoning":{"reasoning_effort":"high"},"response_format":{"type":"json_object"},"strict":true}`,
		ModelProviderSGLang:       `{"max_output_tokens":4096,"parallel_tool_calls":true,"provider_type":"sglang","temperature":0.7,"reasoning":{"reasoning_effort":"low"},"response_format":null,"strict":true,"tool_call_parser":"qwen25"}`,
		ModelProviderAnthropic:    `{"max_output_tokens":8192,"parallel_tool_calls":false,"provider_type":"anthropic","temperature":1,"thinking":{"type":"enabled","budget_tokens":1024},"response_format":null,"verbosity":"low","effort":"max","strict":false}`,
		ModelProviderGoogleAI:     `{"max_output_tokens":65536,"parallel_tool_calls":true,"provider_type":"google_ai","temperature":0.7,"thinking_config":{"include_thoughts":true,"thinking_budget":1024},"response_schema":{"type":"json_schema","json_schema":{"name":"s","schema":{}}}}`,
		ModelProviderGoogleVertex: `{"max_output_tokens":65536,"parallel_tool_calls":true,"provider_type":"google_vertex","temperature":0.7,"thinking_config":{"include_thoughts":false,"thinking_budget":0},"response_schema":null}`,
		ModelProviderAzure:        `{"max_output_tokens":4096,"parallel_tool_calls":true,"provider_type":"azure","temperature":0.7,"response_format":{"type":"text"}}`,
		ModelProviderXAI:          `{"max_output_tokens":4096,"parallel_tool_calls":true,"provider_type":"xai","temperature":0.7,"response_format":null}`,
		ModelProviderZAI:          `{"max_output_tokens":4096,"parallel_tool_calls":true,"provider_type":"zai","temperature":0.7,"response_format":null,"thinking":{"type":"enabled","clear_thinking":false}}`,
		ModelProviderGroq:         `{"max_output_tokens":4096,"parallel_tool_calls":true,"provider_type":"groq","temperature":0.7,"response_format":null}`,
		ModelProviderDeepseek:     `{"max_output_tokens":4096,"parallel_tool_calls":true,"provider_type":"deepseek","temperature":0.7,"response_format":null}`,
		ModelProviderTogether:     `{"max_output_tokens":4096,"parallel_tool_calls":true,"provider_type":"together","temperature":0.7,"response_format":null}`,
		ModelProviderBedrock:      `{"max_output_tokens":4096,"parallel_tool_calls":true,"provider_type":"bedrock","temperature":0.7,"response_format":null}`,
		ModelProviderBaseten:      `{"max_output_tokens":4096,"parallel_tool_calls":true,"provider_type":"baseten","temperature":0.7}`,
		ModelProviderOpenRouter:   `{"max_output_tokens":4096,"parallel_tool_calls":true,"provider_type":"openrouter","temperature":0.7,"response_format":null}`,
		ModelProviderChatGPTOAuth: `{"max_output_tokens":4096,"parallel_tool_calls":true,"provider_type":"chatgpt_oauth","temperature":0.7,"reasoning":{"reasoning_effort":"medium"}}`,
	}
	require.Len(t, inputs, 15)
	for p, in := range inputs {
		t.Run(string(p), func(t *testing.T) {
			s := roundTrip[ModelSettings](t, in)
			assert.Equal(t, p, s.ProviderType)
			assert.NotNil(t, s.MaxOutputTokens)
			assert.NoError(t, s.validate("model_settings"))
		})
	}

	var s ModelSettings
	require.NoError(t, codec.Unmarshal([]byte(inputs[ModelProviderAnthropic]), &s))
	assert.Equal(t, "enabled", s.Thinking.Type)
	assert.Equal(t, 1024, *s.Thinking.BudgetTokens)
	assert.Equal(t, "max", *s.Effort)
	require.NoError(t, codec.Unmarshal([]byte(inputs[ModelProviderGoogleAI]), &s))
	assert.Equal(t, ResponseFormatJSONSchema, s.ResponseSchema.Type)
	assert.Nil(t, s.Thinking)
	assert.Equal(t, 1024, *s.ThinkingConfig.ThinkingBudget)
}

func TestModifiedUnionReencodesTypedFields(t *testing.T) {
	in := `{"max_output_tokens":4096,"provider_type":"openai","temperature":0.7,"reasoning":{"reasoning_effort":"high"},"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"b":1,"a":2}}}}`
	var s ModelSettings
	require.NoError(t, codec.Unmarshal([]byte(in), &s))
	s.MaxOutputTokens = Ptr(1000)
	out, err := codec.Marshal(s)
	require.NoError(t, err)
	assert.JSONEq(t, `{"max_output_tokens":1000,"provider_type":"openai","temperature":0.7,"reasoning":{"reasoning_effort":"high"},"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"b":1,"a":2}}}}`, string(out))
	// The untouched nested response format kept its own bytes (key order b, a).
	assert.Contains(t, string(out), `{"b":1,"a":2}`)

	// Clearing a field drops it.
	s.ResponseFormat = nil
	out, err = codec.Marshal(s)
	require.NoError(t, err)
	assert.NotContains(t, string(out), "response_format")
}

func TestResponseFormatRoundTrips(t *testing.T) {
	for _, in := range []string{
		`{"type":"text"}`,
		`{"type":"json_object"}`,
		`{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object","properties":{"a":{"type":"string"}}},"strict":true}}`,
	} {
		roundTrip[ResponseFormat](t, in)
	}
}

func TestUnionConstructors(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"child", ChildToolRule("a", "b", "c"), `{"type":"constrain_child_tools","tool_name":"a","children":["b","c"]}`},
		{"child without children", ChildToolRule("a"), `{"type":"constrain_child_tools","tool_name":"a","children":[]}`},
		{"init", InitToolRule("a"), `{"type":"run_first","tool_name":"a"}`},
		{"terminal", TerminalToolRule("send_message"), `{"type":"exit_loop","tool_name":"send_message"}`},
		{"continue", ContinueToolRule("a"), `{"type":"continue_loop","tool_name":"a"}`},
		{"required before exit", RequiredBeforeExitToolRule("a"), `{"type":"required_before_exit","tool_name":"a"}`},
		{"requires approval", RequiresApprovalToolRule("a"), `{"type":"requires_approval","tool_name":"a"}`},
		{"max count", MaxCountPerStepToolRule("a", 2), `{"type":"max_count_per_step","tool_name":"a","max_count_limit":2}`},
		// check_approval may run only right after send_email: the parent is
		// tool_name, as the server's ParentToolRule reads it.
		{"parent", ParentToolRule("send_email", "check_approval"), `{"type":"parent_last_tool","tool_name":"send_email","children":["check_approval"]}`},
		{"conditional", ConditionalToolRule("a", map[string]string{"y": "b"}, "c"), `{"type":"conditional","tool_name":"a","default_child":"c","child_output_mapping":{"y":"b"}}`},
		{"conditional no default", ConditionalToolRule("a", nil, ""), `{"type":"conditional","tool_name":"a","child_output_mapping":{}}`},
		{"text", TextResponseFormat(), `{"type":"text"}`},
		{"json object", JSONObjectResponseFormat(), `{"type":"json_object"}`},
		{"json schema", JSONSchemaResponseFormat(json.RawMessage(`{"name":"a","schema":{"type":"object"}}`)), `{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object"}}}`},
		{"openai", OpenAIModelSettings("low"), `{"provider_type":"openai","reasoning":{"reasoning_effort":"low"}}`},
		{"openai default effort", OpenAIModelSettings(""), `{"provider_type":"openai"}`},
		{"anthropic thinking", AnthropicModelSettings(2048), `{"provider_type":"anthropic","thinking":{"type":"enabled","budget_tokens":2048}}`},
		{"anthropic no thinking", AnthropicModelSettings(0), `{"provider_type":"anthropic","thinking":{"type":"disabled"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := codec.Marshal(tt.v)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(out))
		})
	}
	assert.Nil(t, InitToolRule("a").Raw())
	assert.Nil(t, TextResponseFormat().Raw())
	assert.Nil(t, OpenAIModelSettings("").Raw())

	ms := OpenAIModelSettings("high")
	ms.Temperature = Ptr(0.0)
	ms.ResponseFormat = JSONObjectResponseFormat()
	out, err := codec.Marshal(ms)
	require.NoError(t, err)
	assert.Equal(t, `{"provider_type":"openai","temperature":0,"reasoning":{"reasoning_effort":"high"},"response_format":{"type":"json_object"}}`, string(out))
}

// TestUnknownVariantsFromServerCanBeSentBack: a read-modify-write keeps
// variants newer than the SDK: a union decoded with a discriminator the SDK
// does not know passes validation and goes back as it came. One whose
// discriminator was set or changed in code is still refused.
func TestUnknownVariantsFromServerCanBeSentBack(t *testing.T) {
	const agent = `{"id":"agent-1","name":"a",` +
		`"tool_rules":[{"tool_name":"a","type":"run_at_midnight","cron":"0 0 * * *"}],` +
		`"model_settings":{"provider_type":"mistral","safe_prompt":true},` +
		`"response_format":{"type":"grammar","grammar":"root ::= \"y\""}}`
	var a AgentState
	require.NoError(t, codec.Unmarshal([]byte(agent), &a))

	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { reply(w, 200, agentJSON) })
	c := newTestClient(t, srv)
	_, err := c.Agents.Update(t.Context(), "agent-1", &AgentUpdateParams{
		ToolRules:      append(a.ToolRules, TerminalToolRule("send_message")),
		ModelSettings:  a.ModelSettings,
		ResponseFormat: a.ResponseFormat,
	})
	require.NoError(t, err)
	reqs := srv.requests()
	require.Len(t, reqs, 1)
	assert.JSONEq(t, `{"tool_rules":[{"tool_name":"a","type":"run_at_midnight","cron":"0 0 * * *"},`+
		`{"tool_name":"send_message","type":"exit_loop"}],`+
		`"model_settings":{"provider_type":"mistral","safe_prompt":true},`+
		`"response_format":{"type":"grammar","grammar":"root ::= \"y\""}}`, string(reqs[0].Body))

	// Variants built in code with a type this SDK does not know are sent
	// as given too (with the fields set), for a server newer than the SDK.
	changed := a.ToolRules[0]
	changed.Type = "run_at_noon"
	for _, tc := range []struct {
		params *AgentUpdateParams
		body   string
	}{
		{&AgentUpdateParams{ToolRules: []ToolRule{{Type: "run_at_midnight", ToolName: "a"}}},
			`{"tool_rules":[{"type":"run_at_midnight","tool_name":"a"}]}`},
		// The old variant's unknown keys (cron) are dropped with its type.
		{&AgentUpdateParams{ToolRules: []ToolRule{changed}}, `{"tool_rules":[{"type":"run_at_noon","tool_name":"a"}]}`},
		{&AgentUpdateParams{ModelSettings: &ModelSettings{ProviderType: "mistral"}}, `{"model_settings":{"provider_type":"mistral"}}`},
		{&AgentUpdateParams{ResponseFormat: &ResponseFormat{Type: "grammar"}}, `{"response_format":{"type":"grammar"}}`},
	} {
		n := len(srv.requests())
		_, err := c.Agents.Update(t.Context(), "agent-1", tc.params)
		require.NoError(t, err, tc.body)
		reqs := srv.requests()
		require.Len(t, reqs, n+1)
		assert.JSONEq(t, tc.body, string(reqs[n].Body))
	}
	// An empty discriminator can never be valid.
	_, err = c.Agents.Update(t.Context(), "agent-1", &AgentUpdateParams{ToolRules: []ToolRule{{ToolName: "a"}}})
	assert.ErrorIs(t, err, ErrInvalidParam)
}
