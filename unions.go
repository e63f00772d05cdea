package letta

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/letta-go/letta/internal/codec"
)

// The API's discriminated unions (tool rules, model settings, response
// formats) are modelled as one struct per union: the discriminator, the
// fields of every variant as typed Go fields, and the JSON the value was
// decoded from. Marshalling a decoded value that was not modified returns
// that JSON unchanged, so fields and variants this SDK does not know survive
// a read-modify-write. When typed fields were changed, the typed fields are
// encoded and any top-level keys the SDK does not know are carried over from
// the original JSON, unless the variant itself was changed (unknown keys
// inside typed nested objects such as reasoning or thinking survive only
// while the value is unmodified).
// A discriminator the SDK does not know is sent as given: a value decoded
// with it from the server goes back as it came, and one set in code is
// encoded with the typed fields that are set; the server judges both. Only
// an empty discriminator is refused before sending.

// ToolRuleType is the discriminator of a ToolRule.
type ToolRuleType string

// Tool rule variants.
const (
	// ToolRuleConstrainChildTools allows only Children to run after ToolName.
	ToolRuleConstrainChildTools ToolRuleType = "constrain_child_tools"
	// ToolRuleRunFirst makes ToolName the first tool the agent calls.
	ToolRuleRunFirst ToolRuleType = "run_first"
	// ToolRuleExitLoop ends the agent's step loop after ToolName.
	ToolRuleExitLoop ToolRuleType = "exit_loop"
	// ToolRuleConditional picks the next tool from ToolName's output.
	ToolRuleConditional ToolRuleType = "conditional"
	// ToolRuleContinueLoop makes the agent continue after ToolName.
	ToolRuleContinueLoop ToolRuleType = "continue_loop"
	// ToolRuleRequiredBeforeExit requires ToolName to run before the loop ends.
	ToolRuleRequiredBeforeExit ToolRuleType = "required_before_exit"
	// ToolRuleMaxCountPerStep caps how often ToolName runs in one step.
	ToolRuleMaxCountPerStep ToolRuleType = "max_count_per_step"
	// ToolRuleParentLastTool allows Children only right after ToolName (the
	// parent): at any other point they are blocked.
	ToolRuleParentLastTool ToolRuleType = "parent_last_tool"
	// ToolRuleRequiresApproval makes ToolName wait for a human approval.
	ToolRuleRequiresApproval ToolRuleType = "requires_approval"
)

func (t ToolRuleType) valid() bool {
	switch t {
	case ToolRuleConstrainChildTools, ToolRuleRunFirst, ToolRuleExitLoop, ToolRuleConditional, ToolRuleContinueLoop,
		ToolRuleRequiredBeforeExit, ToolRuleMaxCountPerStep, ToolRuleParentLastTool, ToolRuleRequiresApproval:
		return true
	}
	return false
}

// ToolRule constrains when an agent may call a tool. Type selects the variant;
// the fields a variant does not use stay nil. Build one with the
// constructors (ChildToolRule, InitToolRule, ...) or a struct literal.
type ToolRule struct {
	// Type is the variant.
	Type ToolRuleType `json:"type"`
	// ToolName is the tool the rule applies to (every variant).
	ToolName string `json:"tool_name"`
	// PromptTemplate optionally renders the rule into the prompt (every variant).
	PromptTemplate *string `json:"prompt_template,omitzero"`
	// Children are the allowed next tools after ToolName
	// (constrain_child_tools), or the tools that may run only right after
	// ToolName (parent_last_tool). Required by both.
	Children []string `json:"children,omitzero"`
	// ChildArgNodes prefill arguments of children (constrain_child_tools).
	ChildArgNodes []ToolCallNode `json:"child_arg_nodes,omitzero"`
	// Args prefill the arguments of the first call (run_first): a JSON object.
	Args json.RawMessage `json:"args,omitzero"`
	// DefaultChild is the next tool when no mapping matches (conditional).
	DefaultChild *string `json:"default_child,omitzero"`
	// ChildOutputMapping maps ToolName's output to the next tool (conditional, required).
	ChildOutputMapping map[string]string `json:"child_output_mapping,omitzero"`
	// RequireOutputMapping makes an unmapped output an error (conditional).
	RequireOutputMapping *bool `json:"require_output_mapping,omitzero"`
	// MaxCountLimit is the per-step cap (max_count_per_step, required).
	MaxCountLimit *int `json:"max_count_limit,omitzero"`

	raw json.RawMessage
}

// ToolCallNode prefills the arguments of a child tool in a
// constrain_child_tools rule.
type ToolCallNode struct {
	// Name is the child tool.
	Name string `json:"name"`
	// Args is a JSON object of prefilled arguments, or nil.
	Args json.RawMessage `json:"args,omitzero"`
}

// ChildToolRule returns a constrain_child_tools rule: after toolName only
// one of children may run.
func ChildToolRule(toolName string, children ...string) ToolRule {
	return ToolRule{Type: ToolRuleConstrainChildTools, ToolName: toolName, Children: nonNil(children)}
}

// InitToolRule returns a run_first rule: toolName is called first.
func InitToolRule(toolName string) ToolRule {
	return ToolRule{Type: ToolRuleRunFirst, ToolName: toolName}
}

// TerminalToolRule returns an exit_loop rule: calling toolName ends the loop.
func TerminalToolRule(toolName string) ToolRule {
	return ToolRule{Type: ToolRuleExitLoop, ToolName: toolName}
}

// ContinueToolRule returns a continue_loop rule: after toolName the agent
// keeps going.
func ContinueToolRule(toolName string) ToolRule {
	return ToolRule{Type: ToolRuleContinueLoop, ToolName: toolName}
}

// RequiredBeforeExitToolRule returns a required_before_exit rule.
func RequiredBeforeExitToolRule(toolName string) ToolRule {
	return ToolRule{Type: ToolRuleRequiredBeforeExit, ToolName: toolName}
}

// RequiresApprovalToolRule returns a requires_approval rule.
func RequiresApprovalToolRule(toolName string) ToolRule {
	return ToolRule{Type: ToolRuleRequiresApproval, ToolName: toolName}
}

// MaxCountPerStepToolRule returns a max_count_per_step rule.
func MaxCountPerStepToolRule(toolName string, limit int) ToolRule {
	return ToolRule{Type: ToolRuleMaxCountPerStep, ToolName: toolName, MaxCountLimit: &limit}
}

// ParentToolRule returns a parent_last_tool rule: children may run only
// right after parent, and are blocked at any other point. (The server's
// rule: after parent only children are allowed; otherwise every tool but
// children.)
func ParentToolRule(parent string, children ...string) ToolRule {
	return ToolRule{Type: ToolRuleParentLastTool, ToolName: parent, Children: nonNil(children)}
}

// ConditionalToolRule returns a conditional rule: the next tool is chosen by
// toolName's output through mapping, else defaultChild (ignored when "").
func ConditionalToolRule(toolName string, mapping map[string]string, defaultChild string) ToolRule {
	r := ToolRule{Type: ToolRuleConditional, ToolName: toolName, ChildOutputMapping: mapping}
	if r.ChildOutputMapping == nil {
		r.ChildOutputMapping = map[string]string{}
	}
	if defaultChild != "" {
		r.DefaultChild = &defaultChild
	}
	return r
}

// Raw returns the JSON the rule was decoded from, or nil when it was built
// in code. It lets callers read variants and fields this SDK does not know.
// The returned slice must not be modified.
func (r ToolRule) Raw() json.RawMessage { return r.raw }

type toolRuleFields ToolRule

var toolRuleKeys = jsonKeys(reflect.TypeFor[toolRuleFields]())

// UnmarshalJSON implements json.Unmarshaler.
func (r *ToolRule) UnmarshalJSON(data []byte) error {
	// Decoded in place (a local copy would escape to the heap: one
	// allocation per rule), from the zero value, as into a fresh one; an
	// error leaves *r as it was.
	old := *r
	*r = ToolRule{}
	if err := codec.Unmarshal(data, (*toolRuleFields)(r)); err != nil {
		*r = old
		return err
	}
	r.raw = bytes.Clone(data)
	return nil
}

// MarshalJSON implements json.Marshaler.
func (r ToolRule) MarshalJSON() ([]byte, error) {
	f := toolRuleFields(r)
	f.raw = nil
	return marshalUnion(f, r.raw, toolRuleKeys, "type", string(r.Type))
}

func (r *ToolRule) validate(param string) error {
	if r.Type == "" {
		return &InvalidParamError{Param: param + ".type", Reason: "required"}
	}
	if !r.Type.valid() {
		if fromServer(r.raw, "type", string(r.Type)) {
			return nil
		}
		// A rule type this SDK does not know is sent as given, with the
		// fields set; only what could not be encoded is refused.
		return validJSONObject(param+".args", r.Args)
	}
	if r.ToolName == "" {
		return &InvalidParamError{Param: param + ".tool_name", Reason: "required"}
	}
	switch r.Type {
	case ToolRuleConstrainChildTools, ToolRuleParentLastTool:
		if r.Children == nil {
			return &InvalidParamError{Param: param + ".children", Reason: "required for " + string(r.Type)}
		}
	case ToolRuleConditional:
		if r.ChildOutputMapping == nil {
			return &InvalidParamError{Param: param + ".child_output_mapping", Reason: "required for conditional"}
		}
	case ToolRuleMaxCountPerStep:
		if r.MaxCountLimit == nil {
			return &InvalidParamError{Param: param + ".max_count_limit", Reason: "required for max_count_per_step"}
		}
	}
	if err := validJSONObject(param+".args", r.Args); err != nil {
		return err
	}
	for i, n := range r.ChildArgNodes {
		if err := validJSONObject(param+".child_arg_nodes["+strconv.Itoa(i)+"].args", n.Args); err != nil {
			return err
		}
	}
	return nil
}

// ResponseFormatType is the discriminator of a ResponseFormat.
type ResponseFormatType string

// Response format variants.
const (
	ResponseFormatText       ResponseFormatType = "text"
	ResponseFormatJSONSchema ResponseFormatType = "json_schema"
	ResponseFormatJSONObject ResponseFormatType = "json_object"
)

func (t ResponseFormatType) valid() bool {
	return t == ResponseFormatText || t == ResponseFormatJSONSchema || t == ResponseFormatJSONObject
}

// ResponseFormat is the output format of a model: plain text, any JSON
// object, or JSON that follows a schema.
type ResponseFormat struct {
	// Type is the variant.
	Type ResponseFormatType `json:"type"`
	// JSONSchema is the schema object of the json_schema variant (required
	// there), e.g. {"name": "answer", "schema": {...}, "strict": true}.
	JSONSchema json.RawMessage `json:"json_schema,omitzero"`

	raw json.RawMessage
}

// TextResponseFormat returns the plain-text response format.
func TextResponseFormat() *ResponseFormat { return &ResponseFormat{Type: ResponseFormatText} }

// JSONObjectResponseFormat returns the response format for any JSON object.
func JSONObjectResponseFormat() *ResponseFormat {
	return &ResponseFormat{Type: ResponseFormatJSONObject}
}

// JSONSchemaResponseFormat returns the structured-output response format.
// schema is the json_schema object, for example
//
//	letta.JSONSchemaResponseFormat(json.RawMessage(`{"name":"answer","schema":{"type":"object"}}`))
func JSONSchemaResponseFormat(schema json.RawMessage) *ResponseFormat {
	return &ResponseFormat{Type: ResponseFormatJSONSchema, JSONSchema: schema}
}

// Raw returns the JSON the format was decoded from, or nil when it was built
// in code. The returned slice must not be modified.
func (f ResponseFormat) Raw() json.RawMessage { return f.raw }

type responseFormatFields ResponseFormat

var responseFormatKeys = jsonKeys(reflect.TypeFor[responseFormatFields]())

// UnmarshalJSON implements json.Unmarshaler.
func (f *ResponseFormat) UnmarshalJSON(data []byte) error {
	// Decoded in place, as ToolRule is.
	old := *f
	*f = ResponseFormat{}
	if err := codec.Unmarshal(data, (*responseFormatFields)(f)); err != nil {
		*f = old
		return err
	}
	f.raw = bytes.Clone(data)
	return nil
}

// MarshalJSON implements json.Marshaler.
func (f ResponseFormat) MarshalJSON() ([]byte, error) {
	v := responseFormatFields(f)
	v.raw = nil
	return marshalUnion(v, f.raw, responseFormatKeys, "type", string(f.Type))
}

func (f *ResponseFormat) validate(param string) error {
	if f == nil {
		return nil
	}
	if f.Type == "" {
		return &InvalidParamError{Param: param + ".type", Reason: "required"}
	}
	if !f.Type.valid() {
		if fromServer(f.raw, "type", string(f.Type)) {
			return nil
		}
		// Sent as given (see ToolRule.validate).
		return validJSONObject(param+".json_schema", f.JSONSchema)
	}
	if f.Type == ResponseFormatJSONSchema && len(f.JSONSchema) == 0 {
		return &InvalidParamError{Param: param + ".json_schema", Reason: "required for json_schema"}
	}
	return validJSONObject(param+".json_schema", f.JSONSchema)
}

// ModelProvider is the discriminator (provider_type) of ModelSettings.
type ModelProvider string

// Model settings variants.
const (
	ModelProviderOpenAI       ModelProvider = "openai"
	ModelProviderSGLang       ModelProvider = "sglang"
	ModelProviderAnthropic    ModelProvider = "anthropic"
	ModelProviderGoogleAI     ModelProvider = "google_ai"
	ModelProviderGoogleVertex ModelProvider = "google_vertex"
	ModelProviderAzure        ModelProvider = "azure"
	ModelProviderXAI          ModelProvider = "xai"
	ModelProviderZAI          ModelProvider = "zai"
	ModelProviderGroq         ModelProvider = "groq"
	ModelProviderDeepseek     ModelProvider = "deepseek"
	ModelProviderTogether     ModelProvider = "together"
	ModelProviderBedrock      ModelProvider = "bedrock"
	ModelProviderBaseten      ModelProvider = "baseten"
	ModelProviderOpenRouter   ModelProvider = "openrouter"
	ModelProviderChatGPTOAuth ModelProvider = "chatgpt_oauth"
)

func (p ModelProvider) valid() bool {
	switch p {
	case ModelProviderOpenAI, ModelProviderSGLang, ModelProviderAnthropic, ModelProviderGoogleAI,
		ModelProviderGoogleVertex, ModelProviderAzure, ModelProviderXAI, ModelProviderZAI, ModelProviderGroq,
		ModelProviderDeepseek, ModelProviderTogether, ModelProviderBedrock, ModelProviderBaseten,
		ModelProviderOpenRouter, ModelProviderChatGPTOAuth:
		return true
	}
	return false
}

// ModelSettings are provider-specific generation settings of an agent's
// model. ProviderType selects the variant; every variant has
// MaxOutputTokens, ParallelToolCalls and Temperature, the others only some
// providers accept (see each field). Nil fields are not sent, so the
// server's defaults apply.
type ModelSettings struct {
	// ProviderType is the variant.
	ProviderType ModelProvider `json:"provider_type"`
	// MaxOutputTokens caps the tokens generated per call.
	MaxOutputTokens *int `json:"max_output_tokens,omitzero"`
	// ParallelToolCalls lets the model call several tools at once.
	ParallelToolCalls *bool `json:"parallel_tool_calls,omitzero"`
	// Temperature is the sampling temperature.
	Temperature *float64 `json:"temperature,omitzero"`
	// Reasoning is the reasoning effort (openai, sglang, chatgpt_oauth).
	Reasoning *ModelReasoning `json:"reasoning,omitzero"`
	// Thinking configures extended thinking (anthropic, zai).
	Thinking *ModelThinking `json:"thinking,omitzero"`
	// ThinkingConfig configures Gemini thinking (google_ai, google_vertex).
	ThinkingConfig *GeminiThinkingConfig `json:"thinking_config,omitzero"`
	// ResponseFormat is the output format (openai, sglang, anthropic, azure,
	// xai, zai, groq, deepseek, together, bedrock, openrouter).
	ResponseFormat *ResponseFormat `json:"response_format,omitzero"`
	// ResponseSchema is the output format of Gemini models (google_ai, google_vertex).
	ResponseSchema *ResponseFormat `json:"response_schema,omitzero"`
	// Strict turns on strict tool schemas (openai, sglang, anthropic).
	Strict *bool `json:"strict,omitzero"`
	// Verbosity is "low", "medium" or "high" (anthropic).
	Verbosity *string `json:"verbosity,omitzero"`
	// Effort is "low", "medium", "high" or "max" (anthropic).
	Effort *string `json:"effort,omitzero"`
	// ToolCallParser names SGLang's tool call parser (sglang).
	ToolCallParser *string `json:"tool_call_parser,omitzero"`

	raw json.RawMessage
}

// ModelReasoning is the reasoning configuration of OpenAI-style models.
type ModelReasoning struct {
	// ReasoningEffort is "none", "minimal", "low", "medium", "high" or "xhigh"
	// ("minimal" is not accepted by chatgpt_oauth).
	ReasoningEffort string `json:"reasoning_effort,omitzero"`
}

// ModelThinking is the extended-thinking configuration of Anthropic and ZAI
// models.
type ModelThinking struct {
	// Type is "enabled" or "disabled".
	Type string `json:"type,omitzero"`
	// BudgetTokens is the thinking budget (anthropic).
	BudgetTokens *int `json:"budget_tokens,omitzero"`
	// ClearThinking drops preserved thinking between turns (zai).
	ClearThinking *bool `json:"clear_thinking,omitzero"`
}

// GeminiThinkingConfig is the thinking configuration of Google models.
type GeminiThinkingConfig struct {
	// IncludeThoughts returns the model's thoughts.
	IncludeThoughts *bool `json:"include_thoughts,omitzero"`
	// ThinkingBudget is the thinking token budget.
	ThinkingBudget *int `json:"thinking_budget,omitzero"`
}

// OpenAIModelSettings returns settings for an OpenAI model. A non-empty
// reasoningEffort ("low", "medium", "high", ...) sets Reasoning; set other
// fields on the result.
func OpenAIModelSettings(reasoningEffort string) *ModelSettings {
	s := &ModelSettings{ProviderType: ModelProviderOpenAI}
	if reasoningEffort != "" {
		s.Reasoning = &ModelReasoning{ReasoningEffort: reasoningEffort}
	}
	return s
}

// AnthropicModelSettings returns settings for an Anthropic model. A positive
// thinkingBudget enables extended thinking with that many tokens; 0 disables
// it. Set other fields on the result.
func AnthropicModelSettings(thinkingBudget int) *ModelSettings {
	s := &ModelSettings{ProviderType: ModelProviderAnthropic, Thinking: &ModelThinking{Type: "disabled"}}
	if thinkingBudget > 0 {
		s.Thinking = &ModelThinking{Type: "enabled", BudgetTokens: &thinkingBudget}
	}
	return s
}

// Raw returns the JSON the settings were decoded from, or nil when they were
// built in code. The returned slice must not be modified.
func (s ModelSettings) Raw() json.RawMessage { return s.raw }

type modelSettingsFields ModelSettings

var modelSettingsKeys = jsonKeys(reflect.TypeFor[modelSettingsFields]())

// UnmarshalJSON implements json.Unmarshaler.
func (s *ModelSettings) UnmarshalJSON(data []byte) error {
	// Decoded in place, as ToolRule is.
	old := *s
	*s = ModelSettings{}
	if err := codec.Unmarshal(data, (*modelSettingsFields)(s)); err != nil {
		*s = old
		return err
	}
	s.raw = bytes.Clone(data)
	return nil
}

// MarshalJSON implements json.Marshaler.
func (s ModelSettings) MarshalJSON() ([]byte, error) {
	v := modelSettingsFields(s)
	v.raw = nil
	return marshalUnion(v, s.raw, modelSettingsKeys, "provider_type", string(s.ProviderType))
}

func (s *ModelSettings) validate(param string) error {
	if s == nil {
		return nil
	}
	if s.ProviderType == "" {
		return &InvalidParamError{Param: param + ".provider_type", Reason: "required"}
	}
	// A provider newer than the SDK still gets its nested unions checked:
	// one set in code is not exempt because its parent came from the server.
	if err := s.ResponseFormat.validate(param + ".response_format"); err != nil {
		return err
	}
	return s.ResponseSchema.validate(param + ".response_schema")
}

// marshalUnion encodes the typed fields of a union value. When raw (the JSON
// the value was decoded from) still decodes to exactly these fields, raw is
// returned as it is; otherwise the typed fields are encoded and, unless the
// discriminator (discKey, now disc) was changed, the keys of raw that are
// not typed fields are appended, in sorted order.
func marshalUnion[T any](fields T, raw json.RawMessage, known map[string]bool, discKey, disc string) ([]byte, error) {
	if raw != nil {
		var orig T
		if err := codec.Unmarshal(raw, &orig); err == nil && reflect.DeepEqual(orig, fields) {
			return raw, nil
		}
	}
	out, err := codec.Marshal(fields)
	if err != nil || raw == nil {
		return out, err
	}
	var all map[string]json.RawMessage
	if codec.Unmarshal(raw, &all) != nil {
		return out, nil
	}
	if d := rawString(all[discKey]); d != disc {
		// The variant was changed: the unknown keys were the old
		// variant's, and would be wrong (or refused) on the new one.
		return out, nil
	}
	extra := make([]string, 0, len(all))
	for k := range all {
		if !known[k] {
			extra = append(extra, k)
		}
	}
	if len(extra) == 0 {
		return out, nil
	}
	slices.Sort(extra)
	buf := bytes.NewBuffer(make([]byte, 0, len(out)+len(raw)))
	buf.Write(out[:len(out)-1])
	for i, k := range extra {
		if i > 0 || len(out) > 2 {
			buf.WriteByte(',')
		}
		key, _ := codec.Marshal(k)
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(all[k])
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// jsonKeys returns the JSON object keys the exported fields of struct type t
// encode to.
func jsonKeys(t reflect.Type) map[string]bool {
	keys := make(map[string]bool, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		keys[name] = true
	}
	return keys
}

// fromServer reports whether a union value whose discriminator the SDK
// does not know was decoded from the server with that same discriminator
// (key in raw): a variant newer than the SDK, which a read-modify-write
// must be able to send back as it came, leaving its validation to the
// server (the SDK's own checks of a known variant's fields are skipped).
func fromServer(raw json.RawMessage, key, value string) bool {
	if raw == nil {
		return false
	}
	var fields map[string]json.RawMessage
	if codec.Unmarshal(raw, &fields) != nil {
		return false
	}
	var got string
	return codec.Unmarshal(fields[key], &got) == nil && got == value
}

// validJSONObject refuses raw JSON that is set but is not a JSON object
// (or null): the encoder would fail on it, or the server would refuse it.
func validJSONObject(param string, raw json.RawMessage) error {
	if len(raw) == 0 {
		return nil
	}
	t := bytes.TrimSpace(raw)
	if !json.Valid(t) || (t[0] != '{' && string(t) != "null") {
		return &InvalidParamError{Param: param, Value: truncateValue(string(raw)), Reason: "must be a JSON object"}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
