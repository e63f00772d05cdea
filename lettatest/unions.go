package lettatest

import (
	"fmt"
	"strings"
)

// The request unions (tool_rules items, response_format) are validated as
// pydantic validates a discriminated union: the tag first (missing or
// unknown: one error at the item), then the variant's fields, with the tag
// in the error's loc. Without this, a client that encodes a union wrongly
// would pass every test against lettatest and fail against the server.

// toolRuleRequired lists, per tool rule type, the fields its model requires
// besides tool_name (letta-api.md section 8, the ToolRule union).
var toolRuleRequired = map[string][]string{
	"constrain_child_tools": {"children"},
	"run_first":             nil,
	"exit_loop":             nil,
	"conditional":           {"child_output_mapping"},
	"continue_loop":         nil,
	"required_before_exit":  nil,
	"max_count_per_step":    {"max_count_limit"},
	"parent_last_tool":      {"children"},
	"requires_approval":     nil,
}

var toolRuleTypes = []string{"constrain_child_tools", "run_first", "exit_loop", "conditional", "continue_loop",
	"required_before_exit", "max_count_per_step", "parent_last_tool", "requires_approval"}

var responseFormatTypes = []string{"text", "json_schema", "json_object"}

// taggedVariant checks the discriminator of a union item at elems and
// returns the item and its tag (ok false after reporting an error).
func taggedVariant(o obj, v any, key string, tags []string, elems ...any) (map[string]any, string, bool) {
	m, isObj := v.(map[string]any)
	if !isObj {
		o.fail("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", v, nil, elems...)
		return nil, "", false
	}
	raw, present := m[key]
	tag, isStr := raw.(string)
	if !present || !isStr {
		o.fail("union_tag_not_found", fmt.Sprintf("Unable to extract tag using discriminator '%s'", key), m,
			map[string]any{"discriminator": "'" + key + "'"}, elems...)
		return nil, "", false
	}
	for _, t := range tags {
		if t == tag {
			return m, tag, true
		}
	}
	expected := "'" + strings.Join(tags, "', '") + "'"
	o.fail("union_tag_invalid",
		fmt.Sprintf("Input tag '%s' found using '%s' does not match any of the expected tags: %s", tag, key, expected), m,
		map[string]any{"discriminator": "'" + key + "'", "tag": tag, "expected_tags": expected}, elems...)
	return nil, "", false
}

// validateToolRules checks each item of tool_rules.
func validateToolRules(o obj, arr []any) {
	for i, v := range arr {
		m, tag, ok := taggedVariant(o, v, "type", toolRuleTypes, "tool_rules", i)
		if !ok {
			continue
		}
		r := o.child(m, "tool_rules", i, tag)
		r.reqStr("tool_name")
		for _, f := range toolRuleRequired[tag] {
			if _, present := m[f]; !present {
				r.missing(f)
			}
		}
		if _, present := m["children"]; present {
			r.optStrList("children")
		}
		if _, present := m["child_output_mapping"]; present {
			r.optStrMap("child_output_mapping")
		}
		if _, present := m["max_count_limit"]; present {
			r.optInt("max_count_limit")
		}
	}
}

// validateResponseFormat checks a response_format object at elems.
func validateResponseFormat(o obj, v any, elems ...any) {
	m, tag, ok := taggedVariant(o, v, "type", responseFormatTypes, elems...)
	if !ok || tag != "json_schema" {
		return
	}
	f := o.child(m, append(elems, tag)...)
	if _, present := m["json_schema"]; !present {
		f.missing("json_schema")
		return
	}
	if _, isObj := m["json_schema"].(map[string]any); !isObj {
		f.fail("dict_type", "Input should be a valid dictionary", m["json_schema"], nil, "json_schema")
	}
}

// validateMessageCreates checks initial_message_sequence: each item a
// MessageCreate with a role and a content.
func validateMessageCreates(o obj, arr []any) {
	for i, v := range arr {
		m, isObj := v.(map[string]any)
		if !isObj {
			o.fail("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", v, nil,
				"initial_message_sequence", i)
			continue
		}
		c := o.child(m, "initial_message_sequence", i)
		c.reqEnum("role", []string{"user", "system", "assistant"})
		if _, present := m["content"]; !present {
			c.missing("content")
		}
	}
}
