package letta

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The OpenAPI spec lives beside the repository (it must not be copied in).
const defaultSpecPath = "../shared/letta-openapi/openapi.json"

type specDoc struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]specSchema `json:"schemas"`
	} `json:"components"`
}

type specSchema struct {
	Properties map[string]json.RawMessage `json:"properties"`
	Enum       []string                   `json:"enum"`
	OneOf      []struct {
		Ref string `json:"$ref"`
	} `json:"oneOf"`
	Discriminator struct {
		Mapping map[string]string `json:"mapping"`
	} `json:"discriminator"`
}

type specOperation struct {
	OperationID string `json:"operationId"`
	Parameters  []struct {
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
}

// requireSpecEnv makes a missing spec a failure instead of a skip; .ci/run
// sets it, so CI always checks the spec while a user's clone (which has no
// spec beside it) still passes.
const requireSpecEnv = "LETTA_REQUIRE_SPEC"

// loadSpec reads the spec from LETTA_OPENAPI_SPEC, or beside the
// repository. Without it the test is skipped with a message that says where
// it looked, or fails when LETTA_REQUIRE_SPEC=1.
func loadSpec(t *testing.T) *specDoc {
	t.Helper()
	path := os.Getenv("LETTA_OPENAPI_SPEC")
	if path == "" {
		path = defaultSpecPath
	}
	data, err := os.ReadFile(path)
	if err != nil {
		abs, _ := filepath.Abs(path)
		msg := fmt.Sprintf("OpenAPI spec not found: cannot read %s (%v); set LETTA_OPENAPI_SPEC to the spec's path", abs, err)
		if os.Getenv(requireSpecEnv) == "1" {
			require.FailNow(t, msg, "%s=1 makes a missing spec a failure", requireSpecEnv)
		}
		t.Skip("skipped: " + msg)
	}
	var doc specDoc
	require.NoError(t, json.Unmarshal(data, &doc))
	return &doc
}

func (d *specDoc) schema(t *testing.T, name string) specSchema {
	t.Helper()
	s, ok := d.Components.Schemas[name]
	require.True(t, ok, "schema %s is not in the spec", name)
	return s
}

func (d *specDoc) operation(t *testing.T, id string) specOperation {
	t.Helper()
	for _, methods := range d.Paths {
		for _, raw := range methods {
			var op specOperation
			if json.Unmarshal(raw, &op) == nil && op.OperationID == id {
				return op
			}
		}
	}
	require.FailNow(t, "operation not in spec", id)
	return specOperation{}
}

// tagNames returns the wire names of t's exported fields for the given tag
// key ("json" or "url"), descending into embedded structs.
func tagNames(t reflect.Type, key string) map[string]bool {
	names := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			for n := range tagNames(f.Type, key) {
				names[n] = true
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get(key), ",")
		if name != "" && name != "-" {
			names[name] = true
		}
	}
	return names
}

// skipped are spec names the SDK deliberately has no field for.
var skipped = map[string]string{
	"list_agents.include_relationships":    "deprecated; switches the server to legacy loading that Include replaces",
	"list_agents.ascending":                "deprecated; ignored by the server because order always has a value",
	"list_agents.sort_by":                  "deprecated; ignored by the server because order_by always has a value",
	"retrieve_agent.include_relationships": "deprecated; Include replaces it",
}

// hiddenQueryParams are query parameters the server reads but leaves out
// of the published spec (include_in_schema=False; letta-api.md 4.1, 4.6).
var hiddenQueryParams = map[string]bool{
	"list_agents.show_hidden_agents":  true,
	"count_agents.show_hidden_agents": true,
}

// serverExtras are fields the server sends that the published spec lacks.
var serverExtras = map[string]bool{
	"Identity.organization_id":                 true,
	"Source.organization_id":                   true,
	"AgentEnvironmentVariable.organization_id": true,
}

func TestTypesCoverSpecSchemas(t *testing.T) {
	doc := loadSpec(t)
	cases := []struct {
		schemas []string // the Go type must cover all of them
		typ     reflect.Type
	}{
		{[]string{"Identity"}, reflect.TypeFor[Identity]()},
		{[]string{"IdentityCreate"}, reflect.TypeFor[IdentityCreateParams]()},
		{[]string{"IdentityUpdate"}, reflect.TypeFor[IdentityUpdateParams]()},
		{[]string{"IdentityUpsert"}, reflect.TypeFor[IdentityUpsertParams]()},
		{[]string{"IdentityProperty"}, reflect.TypeFor[IdentityProperty]()},
		{[]string{"AgentState"}, reflect.TypeFor[AgentState]()},
		{[]string{"CreateAgentRequest"}, reflect.TypeFor[AgentCreateParams]()},
		{[]string{"UpdateAgent"}, reflect.TypeFor[AgentUpdateParams]()},
		{[]string{"LLMConfig"}, reflect.TypeFor[LLMConfig]()},
		{[]string{"EmbeddingConfig"}, reflect.TypeFor[EmbeddingConfig]()},
		{[]string{"Block", "BlockResponse"}, reflect.TypeFor[Block]()},
		{[]string{"CreateBlock"}, reflect.TypeFor[CreateBlock]()},
		{[]string{"FileBlock"}, reflect.TypeFor[FileBlock]()},
		{[]string{"Tool"}, reflect.TypeFor[Tool]()},
		{[]string{"Memory"}, reflect.TypeFor[Memory]()},
		{[]string{"Source"}, reflect.TypeFor[Source]()},
		{[]string{"Group"}, reflect.TypeFor[Group]()},
		{[]string{"AgentEnvironmentVariable"}, reflect.TypeFor[AgentEnvironmentVariable]()},
		{[]string{"PipRequirement"}, reflect.TypeFor[PipRequirement]()},
		{[]string{"Health"}, reflect.TypeFor[Health]()},
		{[]string{"NpmRequirement"}, reflect.TypeFor[NpmRequirement]()},
		{[]string{"MessageCreate"}, reflect.TypeFor[MessageCreate]()},
		{[]string{"ApprovalRequestMessage"}, reflect.TypeFor[ApprovalRequestMessage]()},
		{[]string{"ToolCall", "ToolCallDelta"}, reflect.TypeFor[ToolCall]()},
		{[]string{"ToolCallNode"}, reflect.TypeFor[ToolCallNode]()},
		{[]string{"CompactionSettings-Input", "CompactionSettings-Output"}, reflect.TypeFor[CompactionSettings]()},
		{[]string{"OpenAIReasoning", "ChatGPTOAuthReasoning"}, reflect.TypeFor[ModelReasoning]()},
		{[]string{"AnthropicThinking", "ZAIThinking"}, reflect.TypeFor[ModelThinking]()},
		{[]string{"GeminiThinkingConfig"}, reflect.TypeFor[GeminiThinkingConfig]()},
		{unionVariants(t, doc, "AgentState", "tool_rules"), reflect.TypeFor[ToolRule]()},
		{unionVariants(t, doc, "AgentState", "model_settings"), reflect.TypeFor[ModelSettings]()},
		{unionVariants(t, doc, "AgentState", "response_format"), reflect.TypeFor[ResponseFormat]()},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.schemas, "+"), func(t *testing.T) {
			goNames := tagNames(c.typ, "json")
			specNames := map[string]bool{}
			for _, name := range c.schemas {
				for prop := range doc.schema(t, name).Properties {
					specNames[prop] = true
					assert.True(t, goNames[prop], "%s.%s has no field in %s", name, prop, c.typ.Name())
				}
			}
			for n := range goNames {
				assert.True(t, specNames[n] || serverExtras[c.typ.Name()+"."+n],
					"%s field %q is in no spec schema of %v (typo?)", c.typ.Name(), n, c.schemas)
			}
		})
	}
}

// unionVariants returns the variant schema names of a oneOf property
// (arrays and nullable wrappers included).
func unionVariants(t *testing.T, doc *specDoc, schema, prop string) []string {
	t.Helper()
	raw := doc.schema(t, schema).Properties[prop]
	var refs []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["$ref"].(string); ok {
				refs = append(refs, r[strings.LastIndex(r, "/")+1:])
			}
			for _, k := range []string{"anyOf", "oneOf", "items"} {
				if sub, ok := x[k]; ok {
					walk(sub)
				}
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	var v any
	require.NoError(t, json.Unmarshal(raw, &v))
	walk(v)
	require.NotEmpty(t, refs, "%s.%s is not a union", schema, prop)
	slices.Sort(refs)
	return slices.Compact(refs)
}

func TestParamsCoverSpecQueryParameters(t *testing.T) {
	doc := loadSpec(t)
	cases := []struct {
		op  string
		typ reflect.Type
	}{
		{"list_identities", reflect.TypeFor[IdentityListParams]()},
		{"list_agents_for_identity", reflect.TypeFor[IdentityAgentListParams]()},
		{"list_blocks_for_identity", reflect.TypeFor[IdentityBlockListParams]()},
		{"list_agents", reflect.TypeFor[AgentListParams]()},
		{"count_agents", reflect.TypeFor[AgentCountParams]()},
		{"retrieve_agent", reflect.TypeFor[AgentGetParams]()},
	}
	used := map[string]bool{}
	for _, c := range cases {
		t.Run(c.op, func(t *testing.T) {
			goNames := tagNames(c.typ, "url")
			specNames := map[string]bool{}
			for _, p := range doc.operation(t, c.op).Parameters {
				if p.In != "query" {
					continue
				}
				specNames[p.Name] = true
				key := c.op + "." + p.Name
				if reason, ok := skipped[key]; ok {
					used[key] = true
					assert.False(t, goNames[p.Name], "%s is on the skip list (%s) but has a field now", key, reason)
					continue
				}
				assert.True(t, goNames[p.Name], "query parameter %s has no field in %s", key, c.typ.Name())
			}
			for n := range goNames {
				if hiddenQueryParams[c.op+"."+n] {
					used[c.op+"."+n] = true
					continue
				}
				assert.True(t, specNames[n], "%s field %q is not a query parameter of %s", c.typ.Name(), n, c.op)
			}
		})
	}
	for key := range skipped {
		assert.True(t, used[key], "skip entry %s matches no spec parameter any more; remove it", key)
	}
	for key := range hiddenQueryParams {
		assert.True(t, used[key], "hidden parameter %s has no field any more; remove it", key)
	}
}

// Every enum value and union discriminator the spec defines must be accepted
// by the SDK's validation, or valid requests would be refused.
func TestEnumsAcceptEverySpecValue(t *testing.T) {
	doc := loadSpec(t)
	enum := func(name string) []string {
		s := doc.schema(t, name)
		require.NotEmpty(t, s.Enum, "%s has no enum", name)
		return s.Enum
	}
	queryEnum := func(op, param string) []string {
		var raw struct {
			Parameters []struct {
				Name   string `json:"name"`
				Schema struct {
					Enum  []string `json:"enum"`
					Const string   `json:"const"`
					Items struct {
						Enum []string `json:"enum"`
					} `json:"items"`
				} `json:"schema"`
			} `json:"parameters"`
		}
		for _, methods := range doc.Paths {
			for _, m := range methods {
				var o specOperation
				if json.Unmarshal(m, &o) != nil || o.OperationID != op {
					continue
				}
				require.NoError(t, json.Unmarshal(m, &raw))
				for _, p := range raw.Parameters {
					if p.Name == param {
						vals := append(append(p.Schema.Enum, p.Schema.Items.Enum...), p.Schema.Const)
						return slices.DeleteFunc(vals, func(s string) bool { return s == "" })
					}
				}
			}
		}
		require.FailNow(t, "no such parameter", "%s.%s", op, param)
		return nil
	}
	discriminators := func(schema, prop string) []string {
		var vals []string
		for _, v := range unionVariants(t, doc, schema, prop) {
			for _, raw := range doc.schema(t, v).Properties {
				var p struct {
					Const string `json:"const"`
				}
				require.NoError(t, json.Unmarshal(raw, &p))
				if p.Const != "" {
					vals = append(vals, p.Const)
				}
			}
		}
		return vals
	}

	checks := []struct {
		name   string
		values []string
		valid  func(string) bool
	}{
		{"IdentityType", enum("IdentityType"), func(s string) bool { return IdentityType(s).valid() }},
		{"IdentityPropertyType", enum("IdentityPropertyType"), func(s string) bool { return IdentityPropertyType(s).valid() }},
		{"AgentType", enum("AgentType"), func(s string) bool { return AgentType(s).valid() }},
		{"StopReasonType", enum("StopReasonType"), func(s string) bool { return StopReasonType(s).valid() }},
		{"list_agents.order", queryEnum("list_agents", "order"), func(s string) bool { return Order(s).valid() }},
		{"list_agents.order_by", queryEnum("list_agents", "order_by"), func(s string) bool { return AgentOrderBy(s).valid() }},
		{"list_agents.include", queryEnum("list_agents", "include"), func(s string) bool { return AgentInclude(s).valid() }},
		{"list_identities.order_by", queryEnum("list_identities", "order_by"), func(s string) bool { return IdentityOrderBy(s).valid() }},
		{"list_agents_for_identity.order_by", queryEnum("list_agents_for_identity", "order_by"), func(s string) bool { return IdentityOrderBy(s).valid() }},
		{"list_blocks.order", queryEnum("list_blocks", "order"), func(s string) bool { return Order(s).valid() }},
		{"list_blocks.order_by", queryEnum("list_blocks", "order_by"), func(s string) bool { return BlockOrderBy(s).valid() }},
		{"list_agents_for_block.order_by", queryEnum("list_agents_for_block", "order_by"), func(s string) bool { return BlockOrderBy(s).valid() }},
		{"list_agents_for_block.include", queryEnum("list_agents_for_block", "include"), func(s string) bool { return AgentInclude(s).valid() }},
		{"list_core_memory_blocks.order_by", queryEnum("list_core_memory_blocks", "order_by"), func(s string) bool { return BlockOrderBy(s).valid() }},
		{"tool rule types", discriminators("AgentState", "tool_rules"), func(s string) bool { return ToolRuleType(s).valid() }},
		{"model providers", discriminators("AgentState", "model_settings"), func(s string) bool { return ModelProvider(s).valid() }},
		{"response formats", discriminators("AgentState", "response_format"), func(s string) bool { return ResponseFormatType(s).valid() }},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			require.NotEmpty(t, c.values)
			for _, v := range c.values {
				assert.True(t, c.valid(v), "%s value %q is refused by validation", c.name, v)
			}
		})
	}
	assert.Len(t, discriminators("AgentState", "tool_rules"), 9)
	assert.Len(t, discriminators("AgentState", "model_settings"), 15)
}

// TestLoadSpecSkipsOrFails: without a spec the spec tests skip (a fresh
// clone passes); with LETTA_REQUIRE_SPEC=1 they fail (CI checks the spec).
func TestLoadSpecSkipsOrFails(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-spec.json")
	if os.Getenv("LETTA_TEST_LOADSPEC_CHILD") == "1" {
		loadSpec(t)
		return
	}
	t.Setenv("LETTA_OPENAPI_SPEC", missing)
	t.Setenv(requireSpecEnv, "")
	var inner *testing.T
	t.Run("absent", func(t *testing.T) {
		inner = t
		loadSpec(t)
		t.Error("loadSpec returned without a spec")
	})
	assert.True(t, inner.Skipped(), "a missing spec skips the test")

	// Required: the same test, run in a child process, fails and says why.
	cmd := exec.Command(os.Args[0], "-test.run=^TestLoadSpecSkipsOrFails$", "-test.v")
	cmd.Env = append(os.Environ(), "LETTA_TEST_LOADSPEC_CHILD=1", requireSpecEnv+"=1", "LETTA_OPENAPI_SPEC="+missing)
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "with %s=1 a missing spec fails:\n%s", requireSpecEnv, out)
	assert.Contains(t, string(out), "OpenAPI spec not found")
	assert.Contains(t, string(out), "--- FAIL: TestLoadSpecSkipsOrFails")
}
