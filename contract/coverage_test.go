package contract

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/letta-go/letta"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// skipped lists spec names the SDK deliberately has no field for, keyed by
// "Schema.property" or "operationId?param", each with its reason.
var skipped = map[string]string{
	"list_agents?ascending":                       "deprecated; the server ignores it because order always has a value (letta-api.md 4.1)",
	"list_agents?sort_by":                         "deprecated; the server ignores it because order_by always has a value (letta-api.md 4.1)",
	"list_agents?include_relationships":           "deprecated; it switches the server to legacy relationship loading, which include replaces (letta-api.md 4.3)",
	"list_agents_for_block?include_relationships": "deprecated, as on list_agents: include replaces it",
}

// extraFields lists SDK wire names the spec does not declare, with the reason.
var extraFields = map[string]string{
	"Identity.organization_id":                 "the server emits it; the spec generator strips it (allowance identity-organization-id)",
	"Source.organization_id":                   "the server emits it; the spec generator strips it (allowance source-organization-id)",
	"AgentEnvironmentVariable.organization_id": "the server emits it; the spec generator strips it (allowance agent-env-organization-id)",
	"list_agents?show_hidden_agents":           "the server reads it with include_in_schema=False (letta-api.md 4.1): without it, hidden agents cannot be listed",
	"count_agents?show_hidden_agents":          "the server reads it with include_in_schema=False (letta-api.md 4.6)",
	"list_blocks?show_hidden_blocks":           "the server reads it with include_in_schema=False (routers/v1/blocks.py): without it, hidden blocks cannot be listed",
}

// schemaCoverage pairs a spec schema with the SDK type that carries it: the
// eight the issue names, then the nested ones they reach.
var schemaCoverage = []struct {
	schema string
	typ    reflect.Type
}{
	{"Identity", reflect.TypeFor[letta.Identity]()},
	{"IdentityCreate", reflect.TypeFor[letta.IdentityCreateParams]()},
	{"IdentityUpdate", reflect.TypeFor[letta.IdentityUpdateParams]()},
	{"IdentityUpsert", reflect.TypeFor[letta.IdentityUpsertParams]()},
	{"IdentityProperty", reflect.TypeFor[letta.IdentityProperty]()},
	{"AgentState", reflect.TypeFor[letta.AgentState]()},
	{"CreateAgentRequest", reflect.TypeFor[letta.AgentCreateParams]()},
	{"UpdateAgent", reflect.TypeFor[letta.AgentUpdateParams]()},

	{"LLMConfig", reflect.TypeFor[letta.LLMConfig]()},
	{"EmbeddingConfig", reflect.TypeFor[letta.EmbeddingConfig]()},
	{"Memory", reflect.TypeFor[letta.Memory]()},
	{"Block", reflect.TypeFor[letta.Block]()},
	{"BlockResponse", reflect.TypeFor[letta.Block]()}, // Identities.ListBlocks decodes it into Block
	{"FileBlock", reflect.TypeFor[letta.FileBlock]()},
	{"Tool", reflect.TypeFor[letta.Tool]()},
	{"PipRequirement", reflect.TypeFor[letta.PipRequirement]()},
	{"NpmRequirement", reflect.TypeFor[letta.NpmRequirement]()},
	{"Source", reflect.TypeFor[letta.Source]()},
	{"Group", reflect.TypeFor[letta.Group]()},
	{"AgentEnvironmentVariable", reflect.TypeFor[letta.AgentEnvironmentVariable]()},
	{"ApprovalRequestMessage", reflect.TypeFor[letta.ApprovalRequestMessage]()},
	{"ToolCall", reflect.TypeFor[letta.ToolCall]()},
	{"CreateBlock", reflect.TypeFor[letta.CreateBlock]()},
	{"BlockUpdate", reflect.TypeFor[letta.BlockUpdateParams]()},
	{"MessageCreate", reflect.TypeFor[letta.MessageCreate]()},
	{"CompactionSettings-Input", reflect.TypeFor[letta.CompactionSettings]()},
	{"CompactionSettings-Output", reflect.TypeFor[letta.CompactionSettings]()},
}

// unionCoverage pairs a discriminated union property with the one SDK struct
// that models all its variants: every property of every variant (the schemas
// the property references) must map to a field.
var unionCoverage = []struct {
	schema, property string
	typ              reflect.Type
}{
	{"AgentState", "tool_rules", reflect.TypeFor[letta.ToolRule]()},
	{"AgentState", "model_settings", reflect.TypeFor[letta.ModelSettings]()},
	{"AgentState", "response_format", reflect.TypeFor[letta.ResponseFormat]()},
	{"CreateAgentRequest", "model_settings", reflect.TypeFor[letta.ModelSettings]()},
	{"UpdateAgent", "model_settings", reflect.TypeFor[letta.ModelSettings]()},
}

var queryCoverage = []struct {
	operationID string
	typ         reflect.Type
}{
	{"list_identities", reflect.TypeFor[letta.IdentityListParams]()},
	{"list_agents", reflect.TypeFor[letta.AgentListParams]()},
	{"count_agents", reflect.TypeFor[letta.AgentCountParams]()},
	{"list_blocks", reflect.TypeFor[letta.BlockListParams]()},
	{"count_blocks", reflect.TypeFor[letta.BlockCountParams]()},
	{"list_agents_for_block", reflect.TypeFor[letta.BlockAgentListParams]()},
	{"list_core_memory_blocks", reflect.TypeFor[letta.AgentBlockListParams]()},
}

// coverageItem is one comparison: the names the spec has under owner and the
// names the SDK type puts on the wire. Keys of the two lists are owner+sep+name.
type coverageItem struct {
	owner, sep string
	spec, sdk  []string
}

func coverageItems(raw map[string]any) ([]coverageItem, error) {
	var items []coverageItem
	for _, tc := range schemaCoverage {
		props, err := schemaProperties(raw, tc.schema)
		if err != nil {
			return nil, err
		}
		items = append(items, coverageItem{tc.schema, ".", props, wireNames(tc.typ, "json")})
	}
	for _, tc := range unionCoverage {
		variants, err := referencedSchemas(raw, tc.schema, tc.property)
		if err != nil {
			return nil, err
		}
		set := make(map[string]bool)
		for _, v := range variants {
			props, err := schemaProperties(raw, v)
			if err != nil {
				return nil, err
			}
			for _, p := range props {
				set[p] = true
			}
		}
		props := make([]string, 0, len(set))
		for p := range set {
			props = append(props, p)
		}
		sort.Strings(props)
		items = append(items, coverageItem{tc.schema + "." + tc.property, "/", props, wireNames(tc.typ, "json")})
	}
	for _, tc := range queryCoverage {
		params, err := queryParameters(raw, tc.operationID)
		if err != nil {
			return nil, err
		}
		items = append(items, coverageItem{tc.operationID, "?", params, wireNames(tc.typ, "url")})
	}
	return items, nil
}

func TestFieldCoverage(t *testing.T) {
	c := checker(t)
	items, err := coverageItems(c.raw)
	require.NoError(t, err)
	for _, it := range items {
		t.Run(it.owner, func(t *testing.T) {
			require.NotEmpty(t, it.spec)
			compareNames(t, it.owner, it.sep, it.spec, it.sdk)
		})
	}
}

// TestSkipListIsCurrent keeps the two lists honest: an entry must still name
// something the spec has (or lacks) and the SDK lacks (or has).
func TestSkipListIsCurrent(t *testing.T) {
	c := checker(t)
	items, err := coverageItems(c.raw)
	require.NoError(t, err)
	specNames := make(map[string]bool)
	sdkNames := make(map[string]bool)
	for _, it := range items {
		for _, p := range it.spec {
			specNames[it.owner+it.sep+p] = true
		}
		for _, n := range it.sdk {
			sdkNames[it.owner+it.sep+n] = true
		}
	}
	for k, reason := range skipped {
		assert.NotEmpty(t, reason, k)
		assert.True(t, specNames[k], "skip entry %s: the spec no longer has it; remove the entry", k)
		assert.False(t, sdkNames[k], "skip entry %s: the SDK now has it; remove the entry", k)
	}
	for k, reason := range extraFields {
		assert.NotEmpty(t, reason, k)
		assert.False(t, specNames[k], "extra entry %s: the spec now declares it; remove the entry", k)
		assert.True(t, sdkNames[k], "extra entry %s: the SDK no longer has it; remove the entry", k)
	}
}

// compareNames fails t for spec names the SDK misses and SDK names the spec
// does not know, minus the two written lists.
func compareNames(t *testing.T, owner, sep string, spec, sdk []string) {
	t.Helper()
	missing, unknown := diffNames(owner, sep, spec, sdk)
	assert.Empty(t, missing, "%s: spec names with no SDK field (add a field or a skip entry with a reason)", owner)
	assert.Empty(t, unknown, "%s: SDK names the spec does not know (misspelt?)", owner)
}

func diffNames(owner, sep string, spec, sdk []string) (missing, unknown []string) {
	inSpec := make(map[string]bool, len(spec))
	for _, n := range spec {
		inSpec[n] = true
	}
	inSDK := make(map[string]bool, len(sdk))
	for _, n := range sdk {
		inSDK[n] = true
	}
	for _, n := range spec {
		if !inSDK[n] && skipped[owner+sep+n] == "" {
			missing = append(missing, n)
		}
	}
	for _, n := range sdk {
		if !inSpec[n] && extraFields[owner+sep+n] == "" {
			unknown = append(unknown, n)
		}
	}
	sort.Strings(missing)
	sort.Strings(unknown)
	return missing, unknown
}

// TestCoverageCatchesDrift runs the comparison on a type with a misspelt
// tag, a missing field and an untagged field, through an embedded struct.
func TestCoverageCatchesDrift(t *testing.T) {
	type base struct {
		Key string `json:"key"`
	}
	type drifted struct {
		base
		Valu  string `json:"valu,omitempty"`
		Type  string
		inner string
	}
	_ = drifted{}.inner
	missing, unknown := diffNames("IdentityProperty", ".", []string{"key", "type", "value"}, wireNames(reflect.TypeFor[drifted](), "json"))
	assert.Equal(t, []string{"type", "value"}, missing)
	assert.Equal(t, []string{"Type", "valu"}, unknown)

	missing, unknown = diffNames("Identity", ".", []string{"id"}, []string{"id", "organization_id"})
	assert.Empty(t, missing)
	assert.Empty(t, unknown, "organization_id is on the extra list")
	_, unknown = diffNames("AgentState", ".", []string{"id"}, []string{"id", "organization_id"})
	assert.Equal(t, []string{"organization_id"}, unknown, "the extra entry is for Identity only")

	missing, _ = diffNames("list_agents", "?", []string{"sort_by", "limit"}, []string{})
	assert.Equal(t, []string{"limit"}, missing, "sort_by is on the skip list, limit is not")
}

// wireNames returns the names a struct puts on the wire under tag ("json" or
// "url"), following embedded structs the way encoding/json does.
func wireNames(t reflect.Type, tag string) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		v, hasTag := f.Tag.Lookup(tag)
		name, _, _ := strings.Cut(v, ",")
		if name == "-" {
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			out = append(out, wireNames(ft, tag)...)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if !hasTag || name == "" {
			// An untagged field goes out under its Go name: worth a violation.
			name = f.Name
		}
		out = append(out, name)
	}
	return out
}

// schemaProperties returns the property names of a components schema in the
// published spec.
func schemaProperties(raw map[string]any, name string) ([]string, error) {
	all, err := schemas(raw)
	if err != nil {
		return nil, err
	}
	s, _ := all[name].(map[string]any)
	props, _ := s["properties"].(map[string]any)
	if props == nil {
		return nil, &missingError{"schema " + name}
	}
	out := make([]string, 0, len(props))
	for p := range props {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}

// queryParameters returns the query parameter names of an operation in the
// published spec.
func queryParameters(raw map[string]any, operationID string) ([]string, error) {
	var out []string
	found := false
	forEachOperation(raw, func(_, _ string, op map[string]any) {
		if op["operationId"] != operationID {
			return
		}
		found = true
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			pm, _ := p.(map[string]any)
			if pm["in"] == "query" {
				if n, ok := pm["name"].(string); ok {
					out = append(out, n)
				}
			}
		}
	})
	if !found {
		return nil, &missingError{"operation " + operationID}
	}
	return out, nil
}

// referencedSchemas returns the component schemas a property of a schema
// references (the variants of a union), without following them further.
func referencedSchemas(raw map[string]any, schema, property string) ([]string, error) {
	all, err := schemas(raw)
	if err != nil {
		return nil, err
	}
	s, _ := all[schema].(map[string]any)
	props, _ := s["properties"].(map[string]any)
	node, ok := props[property]
	if !ok {
		return nil, &missingError{"property " + schema + "." + property}
	}
	const prefix = "#/components/schemas/"
	seen := make(map[string]bool)
	var walk func(any)
	walk = func(n any) {
		switch v := n.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok && strings.HasPrefix(ref, prefix) {
				seen[strings.TrimPrefix(ref, prefix)] = true
			}
			for k, child := range v {
				if k != "discriminator" {
					walk(child)
				}
			}
		case []any:
			for _, child := range v {
				walk(child)
			}
		}
	}
	walk(node)
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil, &missingError{"schema references under " + schema + "." + property}
	}
	return out, nil
}

type missingError struct{ what string }

func (e *missingError) Error() string { return e.what + " not found in the spec" }
