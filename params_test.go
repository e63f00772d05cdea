package letta

import (
	"encoding/json"
	"errors"
	"net/url"
	"testing"

	"github.com/google/go-querystring/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta/internal/codec"
)

func marshalString(t *testing.T, v any) string {
	t.Helper()
	out, err := codec.Marshal(v)
	require.NoError(t, err)
	return string(out)
}

func TestIdentityBodies(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"create required only", &IdentityCreateParams{IdentifierKey: "user_1", Name: "Caren", IdentityType: IdentityTypeUser},
			`{"identifier_key":"user_1","name":"Caren","identity_type":"user"}`},
		{"create empty lists", &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeOrg, ProjectID: Ptr(""), AgentIDs: []string{}, BlockIDs: []string{}, Properties: []IdentityProperty{}},
			`{"identifier_key":"k","name":"n","identity_type":"org","project_id":"","agent_ids":[],"block_ids":[],"properties":[]}`},
		{"create values", &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeOther, ProjectID: Ptr("p"), AgentIDs: []string{"agent-1"}, BlockIDs: []string{"block-1"}, Properties: []IdentityProperty{StringProperty("plan", "pro"), IntProperty("seats", 3)}},
			`{"identifier_key":"k","name":"n","identity_type":"other","project_id":"p","agent_ids":["agent-1"],"block_ids":["block-1"],"properties":[{"key":"plan","value":"pro","type":"string"},{"key":"seats","value":3,"type":"number"}]}`},

		{"upsert required only", &IdentityUpsertParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser},
			`{"identifier_key":"k","name":"n","identity_type":"user"}`},
		{"upsert empty lists clear", &IdentityUpsertParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser, AgentIDs: []string{}, BlockIDs: []string{}, Properties: []IdentityProperty{}},
			`{"identifier_key":"k","name":"n","identity_type":"user","agent_ids":[],"block_ids":[],"properties":[]}`},
		{"upsert values", &IdentityUpsertParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser, ProjectID: Ptr("p"), AgentIDs: []string{"a"}, Properties: []IdentityProperty{BoolProperty("b", false)}},
			`{"identifier_key":"k","name":"n","identity_type":"user","project_id":"p","agent_ids":["a"],"properties":[{"key":"b","value":false,"type":"boolean"}]}`},

		{"update nothing", &IdentityUpdateParams{}, `{}`},
		{"update empty values", &IdentityUpdateParams{IdentifierKey: Ptr(""), Name: Ptr(""), AgentIDs: []string{}, BlockIDs: []string{}, Properties: []IdentityProperty{}},
			`{"identifier_key":"","name":"","agent_ids":[],"block_ids":[],"properties":[]}`},
		{"update values", &IdentityUpdateParams{Name: Ptr("Caren B"), IdentityType: Ptr(IdentityTypeOrg), AgentIDs: []string{"a"}, Properties: []IdentityProperty{NumberProperty("r", 1.5)}},
			`{"name":"Caren B","identity_type":"org","agent_ids":["a"],"properties":[{"key":"r","value":1.5,"type":"number"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, marshalString(t, tt.v))
		})
	}
}

func TestAgentCreateBody(t *testing.T) {
	assert.Equal(t, `{}`, marshalString(t, &AgentCreateParams{}))

	empty := &AgentCreateParams{
		Name: Ptr(""), IncludeBaseTools: Ptr(false), MemoryBlocks: []CreateBlock{}, Tags: []string{}, IdentityIDs: []string{},
		ToolIDs: []string{}, Tools: []string{}, ToolRules: []ToolRule{}, Metadata: map[string]any{}, Secrets: map[string]string{},
	}
	assert.Equal(t, `{"name":"","memory_blocks":[],"tools":[],"tool_ids":[],"tool_rules":[],"include_base_tools":false,"tags":[],"identity_ids":[],"metadata":{},"secrets":{}}`,
		marshalString(t, empty))

	full := &AgentCreateParams{
		Name:               Ptr("support-bot"),
		Model:              Ptr("openai/gpt-4o-mini"),
		Embedding:          Ptr("openai/text-embedding-3-small"),
		ContextWindowLimit: Ptr(16000),
		System:             Ptr("Be <kind> & brief."),
		AgentType:          Ptr(AgentTypeLettaV1),
		MemoryBlocks: []CreateBlock{
			{Label: "human", Value: "Name: Caren"},
			{Label: "persona", Value: "", Limit: Ptr(2000), ReadOnly: Ptr(true), Metadata: map[string]any{"k": 1}},
		},
		Tags:          []string{"user_1"},
		IdentityIDs:   []string{"identity-1"},
		ToolRules:     []ToolRule{TerminalToolRule("send_message")},
		ModelSettings: OpenAIModelSettings("low"),
		InitialMessageSequence: []MessageCreate{
			{Role: MessageRoleUser, Content: TextContent("hi")},
		},
		Secrets:  map[string]string{"API_KEY": "x"},
		Metadata: map[string]any{"tier": "gold"},
	}
	assert.Equal(t, `{"name":"support-bot","system":"Be <kind> & brief.","agent_type":"letta_v1_agent","model":"openai/gpt-4o-mini",`+
		`"model_settings":{"provider_type":"openai","reasoning":{"reasoning_effort":"low"}},"context_window_limit":16000,`+
		`"embedding":"openai/text-embedding-3-small","memory_blocks":[{"label":"human","value":"Name: Caren"},`+
		`{"label":"persona","value":"","limit":2000,"read_only":true,"metadata":{"k":1}}],"tool_rules":[{"type":"exit_loop","tool_name":"send_message"}],`+
		`"tags":["user_1"],"identity_ids":["identity-1"],"metadata":{"tier":"gold"},"secrets":{"API_KEY":"x"},`+
		`"initial_message_sequence":[{"role":"user","content":"hi"}]}`, marshalString(t, full))
}

func TestAgentUpdateBody(t *testing.T) {
	tests := []struct {
		name string
		p    *AgentUpdateParams
		want string
	}{
		{"nothing", &AgentUpdateParams{}, `{}`},
		{"empty sets clear", &AgentUpdateParams{Tags: []string{}, IdentityIDs: []string{}, ToolIDs: []string{}, BlockIDs: []string{}, FolderIDs: []string{}, Metadata: map[string]any{}},
			`{"tool_ids":[],"folder_ids":[],"block_ids":[],"tags":[],"identity_ids":[],"metadata":{}}`},
		{"zero scalars are real values", &AgentUpdateParams{Name: Ptr(""), Hidden: Ptr(false), MaxFilesOpen: Ptr(0)},
			`{"name":"","max_files_open":0,"hidden":false}`},
		{"values", &AgentUpdateParams{Name: Ptr("n"), Tags: []string{"a", "b"}, IdentityIDs: []string{"identity-1"}, Model: Ptr("anthropic/claude"), LastStopReason: Ptr(StopReasonEndTurn)},
			`{"name":"n","model":"anthropic/claude","tags":["a","b"],"identity_ids":["identity-1"],"last_stop_reason":"end_turn"}`},
		{"max_tokens null clears", &AgentUpdateParams{MaxTokens: Null[int]()}, `{"max_tokens":null}`},
		{"max_tokens value", &AgentUpdateParams{MaxTokens: Value(512)}, `{"max_tokens":512}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, marshalString(t, tt.p))
		})
	}
}

func TestQueryEncoding(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want url.Values
	}{
		{"nil agent list", (*AgentListParams)(nil), url.Values{}},
		{"zero agent list", &AgentListParams{}, url.Values{}},
		{"agent list filters", &AgentListParams{
			IdentifierKeys: []string{"user_1", "user 2"}, Tags: []string{"a", "b,c"}, MatchAllTags: Ptr(false),
			Include: []AgentInclude{IncludeAgentBlocks, IncludeAgentTools}, Limit: 10, Order: OrderAsc, OrderBy: AgentOrderByLastRunCompletion,
			After: "agent-1", Before: "agent-9", Name: "n", QueryText: "q", ProjectID: "p", TemplateID: "t", BaseTemplateID: "bt",
			IdentityID: "identity-1", LastStopReason: StopReasonMaxSteps, CreatedByID: "user-1",
		}, url.Values{
			"identifier_keys": {"user_1", "user 2"}, "tags": {"a", "b,c"}, "match_all_tags": {"false"},
			"include": {"agent.blocks", "agent.tools"}, "limit": {"10"}, "order": {"asc"}, "order_by": {"last_run_completion"},
			"after": {"agent-1"}, "before": {"agent-9"}, "name": {"n"}, "query_text": {"q"}, "project_id": {"p"},
			"template_id": {"t"}, "base_template_id": {"bt"}, "identity_id": {"identity-1"}, "last_stop_reason": {"max_steps"},
			"created_by_id": {"user-1"},
		}},
		{"match_all_tags true", &AgentListParams{Tags: []string{"x"}, MatchAllTags: Ptr(true)}, url.Values{"tags": {"x"}, "match_all_tags": {"true"}}},
		{"empty slices are not sent", &AgentListParams{Tags: []string{}, Include: []AgentInclude{}}, url.Values{}},

		{"nil agent count", (*AgentCountParams)(nil), url.Values{}},
		{"agent count", &AgentCountParams{Tags: []string{"a", "b"}, MatchAllTags: Ptr(false), IdentifierKeys: []string{"k"}},
			url.Values{"tags": {"a", "b"}, "match_all_tags": {"false"}, "identifier_keys": {"k"}}},

		{"nil agent get", (*AgentGetParams)(nil), url.Values{}},
		{"agent get include", &AgentGetParams{Include: []AgentInclude{IncludeAgentIdentities, IncludeAgentTags, IncludeAgentPendingApproval}},
			url.Values{"include": {"agent.identities", "agent.tags", "agent.pending_approval"}}},

		{"nil identity list", (*IdentityListParams)(nil), url.Values{}},
		{"identity list", &IdentityListParams{Name: "car", ProjectID: "p", IdentifierKey: "user_1", IdentityType: IdentityTypeUser, Before: "identity-b", After: "identity-a", Limit: 5, Order: OrderDesc, OrderBy: IdentityOrderByCreatedAt},
			url.Values{"name": {"car"}, "project_id": {"p"}, "identifier_key": {"user_1"}, "identity_type": {"user"}, "before": {"identity-b"}, "after": {"identity-a"}, "limit": {"5"}, "order": {"desc"}, "order_by": {"created_at"}}},

		{"identity agents", &IdentityAgentListParams{Limit: 2, Include: []AgentInclude{IncludeAgentSecrets, IncludeAgentSources}, After: "agent-1"},
			url.Values{"limit": {"2"}, "include": {"agent.secrets", "agent.sources"}, "after": {"agent-1"}}},
		{"identity blocks", &IdentityBlockListParams{Order: OrderAsc, Before: "block-1"}, url.Values{"order": {"asc"}, "before": {"block-1"}}},
		{"nil identity blocks", (*IdentityBlockListParams)(nil), url.Values{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := query.Values(tt.v)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}

	// The encoded form repeats keys rather than joining them.
	v, err := query.Values(&AgentListParams{Tags: []string{"a", "b"}})
	require.NoError(t, err)
	assert.Equal(t, "tags=a&tags=b", v.Encode())
}

type validator interface{ validate() error }

func TestValidate(t *testing.T) {
	okIdentity := IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser}
	tests := []struct {
		name      string
		v         validator
		wantParam string // "" = valid
		wantValue string
	}{
		// nil params
		{"nil identity create", (*IdentityCreateParams)(nil), "params", ""},
		{"nil identity upsert", (*IdentityUpsertParams)(nil), "params", ""},
		{"nil identity update", (*IdentityUpdateParams)(nil), "", ""},
		{"nil identity list", (*IdentityListParams)(nil), "", ""},
		{"nil identity agents", (*IdentityAgentListParams)(nil), "", ""},
		{"nil identity blocks", (*IdentityBlockListParams)(nil), "", ""},
		{"nil agent create", (*AgentCreateParams)(nil), "", ""},
		{"nil agent update", (*AgentUpdateParams)(nil), "", ""},
		{"nil agent list", (*AgentListParams)(nil), "", ""},
		{"nil agent count", (*AgentCountParams)(nil), "", ""},
		{"nil agent get", (*AgentGetParams)(nil), "", ""},

		// identity create / upsert
		{"create ok", &okIdentity, "", ""},
		{"create missing key", &IdentityCreateParams{Name: "n", IdentityType: IdentityTypeUser}, "identifier_key", ""},
		{"create missing name", &IdentityCreateParams{IdentifierKey: "k", IdentityType: IdentityTypeUser}, "name", ""},
		{"create missing type", &IdentityCreateParams{IdentifierKey: "k", Name: "n"}, "identity_type", ""},
		{"create unknown type sent as given", &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: "person"}, "", ""},
		{"create unknown property type sent as given", &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser,
			Properties: []IdentityProperty{StringProperty("a", "b"), {Key: "x", Value: json.RawMessage(`1`), Type: "integer"}}}, "", ""},
		{"create property without key", &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser,
			Properties: []IdentityProperty{StringProperty("", "b")}}, "properties[0].key", ""},
		{"create property without value", &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser,
			Properties: []IdentityProperty{{Key: "a", Type: IdentityPropertyTypeString}}}, "properties[0].value", ""},
		{"create property invalid json", &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser,
			Properties: []IdentityProperty{JSONProperty("a", json.RawMessage(`{oops`))}}, "properties[0].value", "{oops"},
		{"create property array value", &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser,
			Properties: []IdentityProperty{JSONProperty("a", json.RawMessage(`[1,2]`))}}, "properties[0].value", "[1,2]"},
		{"upsert ok", &IdentityUpsertParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeOrg}, "", ""},
		{"upsert missing name", &IdentityUpsertParams{IdentifierKey: "k", IdentityType: IdentityTypeOrg}, "name", ""},
		{"upsert unknown type sent as given", &IdentityUpsertParams{IdentifierKey: "k", Name: "n", IdentityType: "ORG"}, "", ""},

		// identity update
		{"update ok", &IdentityUpdateParams{Name: Ptr("x"), IdentityType: Ptr(IdentityTypeOther)}, "", ""},
		{"update unknown type sent as given", &IdentityUpdateParams{IdentityType: Ptr(IdentityType("bot"))}, "", ""},
		{"update unknown property sent as given", &IdentityUpdateParams{Properties: []IdentityProperty{{Key: "a", Value: json.RawMessage(`1`), Type: "float"}}}, "", ""},

		// identity lists
		{"identity list ok", &IdentityListParams{Limit: 10, Order: OrderAsc, OrderBy: IdentityOrderByCreatedAt, IdentityType: IdentityTypeUser}, "", ""},
		{"identity list negative limit", &IdentityListParams{Limit: -1}, "limit", "-1"},
		{"identity list unknown order sent as given", &IdentityListParams{Order: "ascending"}, "", ""},
		{"identity list unknown order_by sent as given", &IdentityListParams{OrderBy: "name"}, "", ""},
		{"identity list unknown type sent as given", &IdentityListParams{IdentityType: "users"}, "", ""},
		{"identity agents unknown include sent as given", &IdentityAgentListParams{Include: []AgentInclude{IncludeAgentTools, "tools"}}, "", ""},
		{"identity agents negative limit", &IdentityAgentListParams{Limit: -5}, "limit", "-5"},
		{"identity agents unknown order_by sent as given", &IdentityAgentListParams{OrderBy: "updated_at"}, "", ""},
		{"identity blocks unknown order sent as given", &IdentityBlockListParams{Order: "DESC"}, "", ""},
		{"identity blocks ok", &IdentityBlockListParams{Limit: 0, Order: OrderDesc}, "", ""},

		// agent lists
		{"agent list ok", &AgentListParams{Limit: 50, Order: OrderDesc, OrderBy: AgentOrderByUpdatedAt, Include: []AgentInclude{IncludeAgentManagedGroup}, LastStopReason: StopReasonCancelled}, "", ""},
		{"agent list negative limit", &AgentListParams{Limit: -2}, "limit", "-2"},
		{"agent list unknown order sent as given", &AgentListParams{Order: "up"}, "", ""},
		{"agent list unknown order_by sent as given", &AgentListParams{OrderBy: "name"}, "", ""},
		{"agent list unknown include sent as given", &AgentListParams{Include: []AgentInclude{"agent.memory"}}, "", ""},
		{"agent list unknown stop reason sent as given", &AgentListParams{LastStopReason: "done"}, "", ""},
		{"agent count unknown stop reason sent as given", &AgentCountParams{LastStopReason: "stopped"}, "", ""},
		{"agent count ok", &AgentCountParams{Tags: []string{"a"}}, "", ""},
		{"agent get unknown include sent as given", &AgentGetParams{Include: []AgentInclude{"blocks"}}, "", ""},
		{"agent get empty include", &AgentGetParams{Include: []AgentInclude{IncludeAgentTags, ""}}, "include[1]", ""},
		{"agent create message without role", &AgentCreateParams{InitialMessageSequence: []MessageCreate{{Content: TextContent("x")}}}, "initial_message_sequence[0].role", ""},
		{"agent create name with a dot", &AgentCreateParams{Name: Ptr("bot v2.0")}, "name", "bot v2.0"},
		{"agent create name with a colon", &AgentCreateParams{Name: Ptr("bot:user-1")}, "name", "bot:user-1"},
		{"agent create empty name", &AgentCreateParams{Name: Ptr("")}, "name", ""},
		{"agent create name with a newline", &AgentCreateParams{Name: Ptr("bot\n")}, "name", "bot\n"},
		{"agent create name of every allowed kind", &AgentCreateParams{Name: Ptr("Caren's bot_2 - Zoë 助手 ٣")}, "", ""},
		{"agent update name with a slash is sent (the server checks names only at create)", &AgentUpdateParams{Name: Ptr("a/b")}, "", ""},
		{"agent update name ok", &AgentUpdateParams{Name: Ptr("bot v2")}, "", ""},
		{"agent create tool rule without type", &AgentCreateParams{ToolRules: []ToolRule{{ToolName: "a"}}}, "tool_rules[0].type", ""},
		{"agent create response format without type", &AgentCreateParams{ResponseFormat: &ResponseFormat{}}, "response_format.type", ""},
		{"agent get ok", &AgentGetParams{Include: []AgentInclude{IncludeAgentBlocks}}, "", ""},

		// agent create
		{"agent create ok", &AgentCreateParams{Model: Ptr("openai/gpt-4o-mini"), MemoryBlocks: []CreateBlock{{Label: "human", Value: ""}},
			ToolRules:     []ToolRule{ChildToolRule("a", "b"), ConditionalToolRule("c", nil, ""), MaxCountPerStepToolRule("d", 1)},
			ModelSettings: AnthropicModelSettings(1024), ResponseFormat: JSONSchemaResponseFormat(json.RawMessage(`{"name":"x"}`))}, "", ""},
		{"agent create unknown agent type sent as given", &AgentCreateParams{AgentType: Ptr(AgentType("gpt_agent"))}, "", ""},
		{"agent create block without label", &AgentCreateParams{MemoryBlocks: []CreateBlock{{Label: "a", Value: "x"}, {Value: "x"}}}, "memory_blocks[1].label", ""},
		{"agent create block negative limit", &AgentCreateParams{MemoryBlocks: []CreateBlock{{Label: "a", Limit: Ptr(-1)}}}, "memory_blocks[0].limit", "-1"},
		{"agent create unknown tool rule type sent as given", &AgentCreateParams{ToolRules: []ToolRule{{Type: "sometimes", ToolName: "a"}}}, "", ""},
		{"agent create tool rule without name", &AgentCreateParams{ToolRules: []ToolRule{{Type: ToolRuleExitLoop}}}, "tool_rules[0].tool_name", ""},
		{"agent create child rule without children", &AgentCreateParams{ToolRules: []ToolRule{{Type: ToolRuleConstrainChildTools, ToolName: "a"}}}, "tool_rules[0].children", ""},
		{"agent create conditional without mapping", &AgentCreateParams{ToolRules: []ToolRule{{Type: ToolRuleConditional, ToolName: "a"}}}, "tool_rules[0].child_output_mapping", ""},
		{"agent create max count without limit", &AgentCreateParams{ToolRules: []ToolRule{{Type: ToolRuleMaxCountPerStep, ToolName: "a"}}}, "tool_rules[0].max_count_limit", ""},
		{"agent create rule args not object", &AgentCreateParams{ToolRules: []ToolRule{{Type: ToolRuleRunFirst, ToolName: "a", Args: json.RawMessage(`[1]`)}}}, "tool_rules[0].args", "[1]"},
		{"agent create unknown provider sent as given", &AgentCreateParams{ModelSettings: &ModelSettings{ProviderType: "OpenAI"}}, "", ""},
		{"agent create missing provider", &AgentCreateParams{ModelSettings: &ModelSettings{Temperature: Ptr(0.1)}}, "model_settings.provider_type", ""},
		{"agent create unknown nested response format sent as given", &AgentCreateParams{ModelSettings: &ModelSettings{ProviderType: ModelProviderOpenAI, ResponseFormat: &ResponseFormat{Type: "yaml"}}}, "", ""},
		{"agent create json_schema without schema", &AgentCreateParams{ResponseFormat: JSONSchemaResponseFormat(nil)}, "response_format.json_schema", ""},
		{"agent create invalid schema json", &AgentCreateParams{ResponseFormat: JSONSchemaResponseFormat(json.RawMessage(`{"a":`))}, "response_format.json_schema", `{"a":`},
		{"agent create unknown compaction mode sent as given", &AgentCreateParams{CompactionSettings: &CompactionSettings{Mode: Ptr(CompactionMode("fast"))}}, "", ""},
		{"agent create unknown compaction provider sent as given", &AgentCreateParams{CompactionSettings: &CompactionSettings{ModelSettings: &ModelSettings{ProviderType: "x"}}}, "", ""},
		{"agent create unknown message role sent as given", &AgentCreateParams{InitialMessageSequence: []MessageCreate{{Role: "tool", Content: TextContent("x")}}}, "", ""},
		{"agent create bad content part", &AgentCreateParams{InitialMessageSequence: []MessageCreate{{Role: MessageRoleUser, Content: MessageContent{Parts: []json.RawMessage{json.RawMessage(`"x"`)}}}}}, "initial_message_sequence[0].content[0]", `"x"`},
		{"agent create negative context window", &AgentCreateParams{ContextWindowLimit: Ptr(-1)}, "context_window_limit", "-1"},

		// agent update
		{"agent update ok", &AgentUpdateParams{Tags: []string{}, MaxTokens: Null[int](), LastStopReason: Ptr(StopReasonEndTurn)}, "", ""},
		{"agent update unknown stop reason sent as given", &AgentUpdateParams{LastStopReason: Ptr(StopReasonType("finished"))}, "", ""},
		{"agent update unknown tool rule sent as given", &AgentUpdateParams{ToolRules: []ToolRule{TerminalToolRule("a"), {Type: "x", ToolName: "b"}}}, "", ""},
		{"agent update negative max_tokens", &AgentUpdateParams{MaxTokens: Value(-3)}, "max_tokens", "-3"},
		{"agent update unknown provider sent as given", &AgentUpdateParams{ModelSettings: &ModelSettings{ProviderType: "gemini"}}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.v.validate()
			if tt.wantParam == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrInvalidParam))
			var ipe *InvalidParamError
			require.True(t, errors.As(err, &ipe))
			assert.Equal(t, tt.wantParam, ipe.Param)
			assert.Equal(t, tt.wantValue, ipe.Value)
			assert.NotEmpty(t, ipe.Reason)
		})
	}
}

// A decoded value sent back unmodified must pass validation: read-modify-write
// of an agent's tool rules and model settings is a common flow.
func TestDecodedUnionsValidate(t *testing.T) {
	var a AgentState
	require.NoError(t, codec.Unmarshal(readFixture(t, "agent_state_full.json"), &a))
	p := &AgentUpdateParams{ToolRules: a.ToolRules, ModelSettings: a.ModelSettings, ResponseFormat: a.ResponseFormat, CompactionSettings: a.CompactionSettings}
	require.NoError(t, p.validate())
	out, err := codec.Marshal(p)
	require.NoError(t, err)
	var back map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(out, &back))
	var orig map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(readFixture(t, "agent_state_full.json"), &orig))
	for _, k := range []string{"tool_rules", "model_settings", "response_format"} {
		assert.Equal(t, compact(t, string(orig[k])), string(back[k]), k)
	}
}
