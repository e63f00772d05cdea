package letta

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta/internal/codec"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "types", name))
	require.NoError(t, err)
	return data
}

func TestAgentStateDecodesFullFixture(t *testing.T) {
	var a AgentState
	require.NoError(t, codec.Unmarshal(readFixture(t, "agent_state_full.json"), &a))

	assert.Equal(t, "agent-6f0c1a9e-2b3d-4c5e-8f70-1a2b3c4d5e6f", a.ID)
	assert.Equal(t, "support-bot-user_1", a.Name)
	assert.Contains(t, a.System, "you are a real person")
	assert.Equal(t, AgentTypeLettaV1, a.AgentType)
	require.NotNil(t, a.Description)
	assert.Equal(t, "Customer support agent for user_1", *a.Description)
	assert.JSONEq(t, `{"tier":"gold","region":"eu-west","seats":3}`, string(a.Metadata))
	assert.Equal(t, "openai/gpt-4o-mini", *a.Model)
	assert.Equal(t, "openai/text-embedding-3-small", *a.Embedding)
	assert.Equal(t, time.Date(2025, 6, 1, 9, 30, 0, 123456000, time.UTC), a.CreatedAt.Time)
	assert.Equal(t, time.Date(2025, 6, 2, 10, 45, 12, 500000000, time.UTC), a.UpdatedAt.Time, "naive timestamps are UTC")
	assert.Equal(t, "user-00000000-0000-4000-8000-000000000001", *a.LastUpdatedByID)

	// llm_config / embedding_config
	assert.Equal(t, "gpt-4o-mini", a.LLMConfig.Model)
	assert.Equal(t, "openai", a.LLMConfig.ModelEndpointType)
	assert.Equal(t, 32000, a.LLMConfig.ContextWindow)
	assert.Equal(t, 0.7, a.LLMConfig.Temperature)
	assert.Equal(t, 4096, *a.LLMConfig.MaxTokens)
	assert.True(t, a.LLMConfig.EnableReasoner)
	assert.Equal(t, ProviderCategoryBase, *a.LLMConfig.ProviderCategory)
	assert.Equal(t, "medium", *a.LLMConfig.Verbosity)
	assert.Nil(t, a.LLMConfig.ModelWrapper)
	assert.Nil(t, a.LLMConfig.ResponseFormat)
	require.NotNil(t, a.EmbeddingConfig)
	assert.Equal(t, 1536, a.EmbeddingConfig.EmbeddingDim)
	assert.Equal(t, 300, *a.EmbeddingConfig.EmbeddingChunkSize)
	assert.Equal(t, 32, a.EmbeddingConfig.BatchSize)

	// unions
	require.NotNil(t, a.ModelSettings)
	assert.Equal(t, ModelProviderOpenAI, a.ModelSettings.ProviderType)
	assert.Equal(t, 4096, *a.ModelSettings.MaxOutputTokens)
	assert.False(t, *a.ModelSettings.ParallelToolCalls)
	assert.Equal(t, "minimal", a.ModelSettings.Reasoning.ReasoningEffort)
	assert.True(t, *a.ModelSettings.Strict)
	assert.Nil(t, a.ModelSettings.ResponseFormat)
	require.NotNil(t, a.ResponseFormat)
	assert.Equal(t, ResponseFormatJSONSchema, a.ResponseFormat.Type)
	assert.JSONEq(t, `{"name":"reply","strict":true,"schema":{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"]}}`, string(a.ResponseFormat.JSONSchema))
	require.NotNil(t, a.CompactionSettings)
	assert.Equal(t, CompactionModeSlidingWindow, *a.CompactionSettings.Mode)
	assert.Equal(t, 50000, *a.CompactionSettings.ClipChars)
	assert.Equal(t, 0.3, *a.CompactionSettings.SlidingWindowPercentage)
	assert.Nil(t, a.CompactionSettings.ModelSettings)

	require.Len(t, a.ToolRules, 6)
	types := make([]ToolRuleType, len(a.ToolRules))
	for i, r := range a.ToolRules {
		types[i] = r.Type
	}
	assert.Equal(t, []ToolRuleType{ToolRuleExitLoop, ToolRuleRunFirst, ToolRuleConstrainChildTools, ToolRuleConditional, ToolRuleMaxCountPerStep, ToolRuleRequiresApproval}, types)
	assert.JSONEq(t, `{"include_history":true}`, string(a.ToolRules[1].Args))
	assert.Equal(t, []string{"refund_order", "send_message"}, a.ToolRules[2].Children)
	assert.Equal(t, "<tool_rule>{{ children }}</tool_rule>", *a.ToolRules[2].PromptTemplate)
	require.Len(t, a.ToolRules[2].ChildArgNodes, 1)
	assert.Equal(t, "refund_order", a.ToolRules[2].ChildArgNodes[0].Name)
	assert.Equal(t, map[string]string{"refund": "refund_order", "status": "lookup_order"}, a.ToolRules[3].ChildOutputMapping)
	assert.Equal(t, "send_message", *a.ToolRules[3].DefaultChild)
	assert.False(t, *a.ToolRules[3].RequireOutputMapping)
	assert.Equal(t, 3, *a.ToolRules[4].MaxCountLimit)
	assert.Nil(t, a.ToolRules[0].PromptTemplate)

	// memory and blocks
	require.Len(t, a.Blocks, 3)
	labels := []string{*a.Blocks[0].Label, *a.Blocks[1].Label, *a.Blocks[2].Label}
	assert.Equal(t, []string{"human", "persona", "notes"}, labels)
	assert.Equal(t, "Name: Caren\nPrefers email.", a.Blocks[0].Value)
	assert.Equal(t, 5000, a.Blocks[0].Limit)
	assert.True(t, a.Blocks[1].ReadOnly)
	assert.Equal(t, []string{"persona"}, a.Blocks[1].Tags)
	assert.Equal(t, "", a.Blocks[2].Value)
	assert.Equal(t, "null", string(a.Blocks[2].Metadata))
	assert.False(t, *a.Blocks[2].Hidden)
	assert.Equal(t, AgentTypeLettaV1, *a.Memory.AgentType)
	require.Len(t, a.Memory.Blocks, 1)
	require.Len(t, a.Memory.FileBlocks, 1)
	fb := a.Memory.FileBlocks[0]
	assert.Equal(t, "policies.md", *fb.Label)
	assert.Equal(t, "block-ffffffff-0000-4000-8000-000000000009", fb.ID)
	assert.Equal(t, "file-12345678-0000-4000-8000-000000000000", fb.FileID)
	assert.True(t, fb.IsOpen)
	assert.Equal(t, time.Date(2025, 6, 2, 10, 40, 0, 0, time.UTC), fb.LastAccessedAt.Time)

	// tools
	require.Len(t, a.Tools, 4)
	lookup := a.Tools[1]
	assert.Equal(t, ToolTypeCustom, lookup.ToolType)
	assert.Equal(t, "lookup_order", *lookup.Name)
	assert.Contains(t, *lookup.SourceCode, "return db.get(order_id) if order_id else '<none>'")
	var schema struct {
		Name       string `json:"name"`
		Parameters struct {
			Required []string `json:"required"`
		} `json:"parameters"`
	}
	require.NoError(t, json.Unmarshal(lookup.JSONSchema, &schema))
	assert.Equal(t, "lookup_order", schema.Name)
	assert.Equal(t, []string{"order_id"}, schema.Parameters.Required)
	assert.JSONEq(t, `{"owner":"support"}`, string(lookup.Metadata), "metadata_ maps to Metadata")
	require.Len(t, lookup.PipRequirements, 2)
	assert.Equal(t, ">=2.31", *lookup.PipRequirements[0].Version)
	assert.Nil(t, lookup.PipRequirements[1].Version)
	assert.Equal(t, "^3.23.0", *a.Tools[2].NpmRequirements[0].Version)
	assert.Equal(t, 2000, a.Tools[2].ReturnCharLimit)
	assert.True(t, *a.Tools[2].DefaultRequiresApproval)

	// sources, secrets, identities, groups, approval
	require.Len(t, a.Sources, 1)
	assert.Equal(t, VectorDBProviderNative, a.Sources[0].VectorDBProvider)
	assert.Equal(t, time.Date(2025, 4, 30, 22, 0, 0, 0, time.UTC), a.Sources[0].CreatedAt.UTC())
	assert.Equal(t, "org-00000000-0000-4000-8000-000000000000", *a.Sources[0].OrganizationID)
	assert.Equal(t, []string{"user_1", "support"}, a.Tags)
	require.Len(t, a.Secrets, 1)
	assert.Equal(t, "ORDERS_API_KEY", a.Secrets[0].Key)
	assert.Equal(t, "gAAAAABk-encrypted", *a.Secrets[0].ValueEnc)
	require.Len(t, a.ToolExecEnvironmentVariables, 1)
	assert.Equal(t, []string{"identity-0a1b2c3d-0000-4000-8000-000000000001"}, a.IdentityIDs)
	require.Len(t, a.Identities, 1)
	assert.Equal(t, "user_1", a.Identities[0].IdentifierKey)
	n, ok := a.Identities[0].Properties[1].IntValue()
	assert.True(t, ok)
	assert.Equal(t, int64(42), n)
	require.NotNil(t, a.PendingApproval)
	assert.Equal(t, "approval_request_message", a.PendingApproval.MessageType)
	assert.Equal(t, int64(17), *a.PendingApproval.SeqID)
	assert.Equal(t, time.Date(2025, 6, 2, 10, 44, 59, 0, time.UTC), a.PendingApproval.Date.UTC())
	tc, err := a.PendingApproval.DecodeToolCall()
	require.NoError(t, err)
	assert.Equal(t, ToolCall{Name: "refund_order", Arguments: `{"order_id": "A-1", "reason": "damaged"}`, ToolCallID: "call_abc123"}, tc)
	for _, raw := range []string{"", "null"} {
		tc, err := (&ApprovalRequestMessage{ToolCall: json.RawMessage(raw)}).DecodeToolCall()
		require.NoError(t, err, "tool_call %q", raw)
		assert.Zero(t, tc)
	}
	assert.Nil(t, a.MultiAgentGroup)
	require.NotNil(t, a.ManagedGroup)
	assert.Equal(t, ManagerTypeSleeptime, a.ManagedGroup.ManagerType)
	assert.Equal(t, 5, *a.ManagedGroup.SleeptimeAgentFrequency)
	assert.Equal(t, []string{}, a.ManagedGroup.SharedBlockIDs)

	// scalars at the end
	assert.False(t, a.MessageBufferAutoclear)
	assert.True(t, *a.EnableSleeptime)
	assert.Equal(t, time.Date(2025, 6, 2, 10, 45, 0, 1000, time.UTC), a.LastRunCompletion.Time)
	assert.Equal(t, int64(1834), *a.LastRunDurationMS)
	assert.Equal(t, StopReasonRequiresApproval, *a.LastStopReason)
	assert.Equal(t, "Europe/Berlin", *a.Timezone)
	assert.Equal(t, 5, *a.MaxFilesOpen)
	assert.Equal(t, 15000, *a.PerFileViewWindowCharLimit)
	assert.Nil(t, a.Hidden)
	assert.Nil(t, a.TemplateID)
	assert.Equal(t, "project-1", *a.ProjectID)
	assert.Len(t, a.MessageIDs, 2)
}

// Every key of the hand-written fixture must land in a Go field: decoding
// with unknown fields disallowed proves no key is silently dropped, and
// re-encoding must give back the same top-level keys.
func TestAgentStateFixtureHasNoUnmappedKeys(t *testing.T) {
	data := readFixture(t, "agent_state_full.json")
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var a AgentState
	require.NoError(t, dec.Decode(&a))

	out, err := codec.Marshal(a)
	require.NoError(t, err)
	var want, got map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &want))
	require.NoError(t, json.Unmarshal(out, &got))
	assert.ElementsMatch(t, keysOf(want), keysOf(got))
	for _, k := range []string{"tool_rules", "model_settings", "response_format", "metadata", "tools"} {
		assert.JSONEq(t, string(want[k]), string(got[k]), k)
	}
}

func TestDecodingToleratesUnknownFields(t *testing.T) {
	var id Identity
	require.NoError(t, codec.Unmarshal(readFixture(t, "identity.json"), &id))
	assert.Equal(t, "user_1", id.IdentifierKey)
	assert.Equal(t, "org-00000000-0000-4000-8000-000000000000", *id.OrganizationID)
	assert.Equal(t, []string{}, id.AgentIDs)
	assert.Nil(t, id.ProjectID)

	var a AgentState
	require.NoError(t, codec.Unmarshal([]byte(`{"id":"agent-1","name":"x","system":"s","agent_type":"future_agent",
		"llm_config":{"model":"m","model_endpoint_type":"new_endpoint","context_window":1,"brand_new":true},
		"memory":{"blocks":[],"new_memory_field":1},"blocks":[],"tools":[{"id":"tool-1","tool_type":"new_type","extra":[1]}],
		"sources":[],"tags":[],"added_in_2027":{"deep":[1,2,3]},"last_stop_reason":"new_reason"}`), &a))
	assert.Equal(t, AgentType("future_agent"), a.AgentType)
	assert.Equal(t, ToolType("new_type"), a.Tools[0].ToolType)
	assert.Equal(t, StopReasonType("new_reason"), *a.LastStopReason)
}

func TestIdentityPropertyValueKinds(t *testing.T) {
	var id Identity
	require.NoError(t, codec.Unmarshal(readFixture(t, "identity.json"), &id))
	props := id.Properties
	require.Len(t, props, 6)

	s, ok := props[0].StringValue()
	assert.True(t, ok)
	assert.Equal(t, "pro", s)
	_, ok = props[0].NumberValue()
	assert.False(t, ok)

	i, ok := props[1].IntValue()
	assert.True(t, ok)
	assert.Equal(t, int64(12), i)
	f, ok := props[1].NumberValue()
	assert.True(t, ok)
	assert.Equal(t, 12.0, f)
	_, ok = props[1].StringValue()
	assert.False(t, ok)

	// Too big for int64: the raw value is kept exactly.
	_, ok = props[2].IntValue()
	assert.False(t, ok)
	assert.Equal(t, "12345678901234567890", string(props[2].Value))

	f, ok = props[3].NumberValue()
	assert.True(t, ok)
	assert.Equal(t, 0.25, f)
	_, ok = props[3].IntValue()
	assert.False(t, ok)

	b, ok := props[4].BoolValue()
	assert.True(t, ok)
	assert.False(t, b)
	_, ok = props[0].BoolValue()
	assert.False(t, ok)

	var prefs struct {
		Lang   string `json:"lang"`
		Nested []int  `json:"nested"`
	}
	require.NoError(t, props[5].DecodeValue(&prefs))
	assert.Equal(t, "de", prefs.Lang)
	assert.Equal(t, []int{1, 2}, prefs.Nested)

	// Re-encoding keeps every value's JSON type and digits.
	out, err := codec.Marshal(props)
	require.NoError(t, err)
	var orig map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(readFixture(t, "identity.json"), &orig))
	assert.JSONEq(t, string(orig["properties"]), string(out))
}

func TestIdentityPropertyConstructors(t *testing.T) {
	tests := []struct {
		name string
		prop IdentityProperty
		want string
	}{
		{"string", StringProperty("plan", `pro <"x">`), `{"key":"plan","value":"pro <\"x\">","type":"string"}`},
		{"number", NumberProperty("ratio", 0.25), `{"key":"ratio","value":0.25,"type":"number"}`},
		{"whole number", NumberProperty("n", 3), `{"key":"n","value":3,"type":"number"}`},
		{"int", IntProperty("big", 9007199254740993), `{"key":"big","value":9007199254740993,"type":"number"}`},
		{"bool", BoolProperty("beta", true), `{"key":"beta","value":true,"type":"boolean"}`},
		{"json", JSONProperty("prefs", json.RawMessage(`{"a":[1,2]}`)), `{"key":"prefs","value":{"a":[1,2]},"type":"json"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := codec.Marshal(tt.prop)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(out))
			var back IdentityProperty
			require.NoError(t, codec.Unmarshal(out, &back))
			assert.Equal(t, tt.prop.Type, back.Type)
			assert.Equal(t, string(tt.prop.Value), string(back.Value))
		})
	}
	i, ok := IntProperty("big", 9007199254740993).IntValue()
	assert.True(t, ok)
	assert.Equal(t, int64(9007199254740993), i, "integers beyond 2^53 stay exact")
}

func TestTimestampDecoding(t *testing.T) {
	berlin := time.FixedZone("", 2*3600)
	tests := []struct {
		in   string
		want time.Time
	}{
		{`"2025-01-02T03:04:05Z"`, time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)},
		{`"2025-01-02T03:04:05.123456Z"`, time.Date(2025, 1, 2, 3, 4, 5, 123456000, time.UTC)},
		{`"2025-01-02T03:04:05+02:00"`, time.Date(2025, 1, 2, 3, 4, 5, 0, berlin)},
		{`"2025-01-02T03:04:05.5-07:30"`, time.Date(2025, 1, 2, 3, 4, 5, 500000000, time.FixedZone("", -(7*3600+1800)))},
		{`"2025-01-02T03:04:05"`, time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)},
		{`"2025-01-02T03:04:05.987654321"`, time.Date(2025, 1, 2, 3, 4, 5, 987654321, time.UTC)},
		{`"2025-01-02 03:04:05.25"`, time.Date(2025, 1, 2, 3, 4, 5, 250000000, time.UTC)},
		{`"2025-01-02 03:04:05+00:00"`, time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)},
		{`"2025-01-02T03:04:05\u002B02:00"`, time.Date(2025, 1, 2, 3, 4, 5, 0, berlin)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var ts Timestamp
			require.NoError(t, codec.Unmarshal([]byte(tt.in), &ts))
			assert.True(t, tt.want.Equal(ts.Time), "got %s want %s", ts.Time, tt.want)
		})
	}

	t.Run("null", func(t *testing.T) {
		var holder struct {
			P *Timestamp `json:"p"`
			V Timestamp  `json:"v"`
		}
		require.NoError(t, codec.Unmarshal([]byte(`{"p":null,"v":null}`), &holder))
		assert.Nil(t, holder.P)
		assert.True(t, holder.V.IsZero())
	})

	for _, bad := range []string{`"yesterday"`, `"2025-13-01T00:00:00Z"`, `12345`, `""`} {
		t.Run("invalid "+bad, func(t *testing.T) {
			var ts Timestamp
			assert.Error(t, codec.Unmarshal([]byte(bad), &ts))
		})
	}
}

func TestTimestampEncodesRFC3339NanoUTC(t *testing.T) {
	ts := Timestamp{time.Date(2025, 1, 2, 5, 4, 5, 120000000, time.FixedZone("", 2*3600))}
	out, err := codec.Marshal(ts)
	require.NoError(t, err)
	assert.Equal(t, `"2025-01-02T03:04:05.12Z"`, string(out))
	assert.Equal(t, "2025-01-02T03:04:05.12Z", ts.String())

	var back Timestamp
	require.NoError(t, codec.Unmarshal(out, &back))
	assert.True(t, ts.Equal(back.Time))

	// omitzero honours Timestamp.IsZero, and nil pointers are omitted.
	out, err = codec.Marshal(AgentUpdateParams{LastRunCompletion: &ts})
	require.NoError(t, err)
	assert.Equal(t, `{"last_run_completion":"2025-01-02T03:04:05.12Z"}`, string(out))

	// A year RFC 3339 cannot write is an error, as for time.Time, and the
	// call that would send it is refused before sending.
	for _, year := range []int{-1, 10000} {
		_, err := codec.Marshal(Timestamp{time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)})
		assert.Error(t, err, "year %d", year)
	}
	far := Timestamp{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	c, err := NewClient(WithBaseURL("http://127.0.0.1:1"), WithLogger(nil))
	require.NoError(t, err)
	_, err = c.Agents.Update(t.Context(), "agent-1", &AgentUpdateParams{LastRunCompletion: &far})
	assert.ErrorIs(t, err, ErrInvalidParam)
}

func TestMessageContentRoundTrip(t *testing.T) {
	for _, in := range []string{
		`"hello <b>"`,
		`[{"type":"text","text":"hi"},{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]`,
		`[]`,
	} {
		var c MessageContent
		require.NoError(t, codec.Unmarshal([]byte(in), &c))
		out, err := codec.Marshal(c)
		require.NoError(t, err)
		assert.JSONEq(t, in, string(out))
	}

	m := MessageCreate{Role: MessageRoleUser, Content: MessageContent{Parts: []json.RawMessage{TextPart("a & b")}}}
	out, err := codec.Marshal(m)
	require.NoError(t, err)
	assert.Equal(t, `{"role":"user","content":[{"type":"text","text":"a & b"}]}`, string(out))
	out, err = codec.Marshal(MessageCreate{Role: MessageRoleSystem, Content: TextContent("x"), Name: Ptr("")})
	require.NoError(t, err)
	assert.Equal(t, `{"role":"system","content":"x","name":""}`, string(out))
}

func TestNullable(t *testing.T) {
	type body struct {
		N Nullable[int] `json:"n,omitzero"`
	}
	tests := []struct {
		name string
		n    Nullable[int]
		want string
	}{
		{"unset", Nullable[int]{}, `{}`},
		{"null", Null[int](), `{"n":null}`},
		{"zero value", Value(0), `{"n":0}`},
		{"value", Value(4096), `{"n":4096}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := codec.Marshal(body{tt.n})
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(out))
			var back body
			require.NoError(t, codec.Unmarshal(out, &back))
			assert.Equal(t, tt.n, back.N)
		})
	}
	v, ok := Value(7).Get()
	assert.True(t, ok)
	assert.Equal(t, 7, v)
	_, ok = Null[int]().Get()
	assert.False(t, ok)
	assert.True(t, Null[int]().IsNull())
	assert.False(t, Value(1).IsNull())
}

func TestCodecDoesNotEscapeHTML(t *testing.T) {
	out, err := codec.Marshal(map[string]string{"code": "if a < b && c > d {}"})
	require.NoError(t, err)
	assert.Equal(t, `{"code":"if a < b && c > d {}"}`, string(out))
}

func keysOf(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestEmbeddingConfigSendsOnlyWhatIsSet: a config built in code leaves the
// optional fields out, so the server's defaults apply (it replaces the
// stored config whole); a decoded one goes back with its values.
func TestEmbeddingConfigSendsOnlyWhatIsSet(t *testing.T) {
	out, err := codec.Marshal(AgentUpdateParams{EmbeddingConfig: &EmbeddingConfig{
		EmbeddingEndpointType: "openai", EmbeddingModel: "text-embedding-3-small", EmbeddingDim: 1536}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"embedding_config":{"embedding_endpoint_type":"openai","embedding_model":"text-embedding-3-small","embedding_dim":1536}}`, string(out))

	in := `{"embedding_endpoint_type":"openai","embedding_endpoint":"https://api.openai.com/v1","embedding_model":"m",` +
		`"embedding_dim":8,"embedding_chunk_size":300,"handle":"openai/m","batch_size":32,` +
		`"azure_endpoint":null,"azure_version":null,"azure_deployment":null}`
	var cfg EmbeddingConfig
	require.NoError(t, codec.Unmarshal([]byte(in), &cfg))
	out, err = codec.Marshal(cfg)
	require.NoError(t, err)
	assert.JSONEq(t, `{"embedding_endpoint_type":"openai","embedding_endpoint":"https://api.openai.com/v1","embedding_model":"m",`+
		`"embedding_dim":8,"embedding_chunk_size":300,"handle":"openai/m","batch_size":32}`, string(out))
}
