package contract

import (
	"errors"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// schemaLeaves returns the innermost schema errors under se: the faults
// themselves, without the wrappers that only group them (anyOf, $ref, the
// 2020-12 validator's root error).
func schemaLeaves(se *openapi3.SchemaError) []*openapi3.SchemaError {
	var me openapi3.MultiError
	if se.Origin == nil || !errors.As(se.Origin, &me) {
		return []*openapi3.SchemaError{se}
	}
	var out []*openapi3.SchemaError
	for _, e := range me {
		var child *openapi3.SchemaError
		if errors.As(e, &child) {
			out = append(out, schemaLeaves(child)...)
		}
	}
	if len(out) == 0 {
		return []*openapi3.SchemaError{se}
	}
	return out
}

// locationPrefix is how kin and the 2020-12 validator prefix a reason with
// the path, which a Violation carries separately.
var locationPrefix = regexp.MustCompile(`^(error at "[^"]*": )?(at '[^']*': )?`)

// leafReason is the reason of one leaf, without the path prefixes and the
// multi-line dump of the root error.
func leafReason(se *openapi3.SchemaError) string {
	r := se.Reason
	if r == "" {
		r = "does not match schema keyword " + se.SchemaField
	}
	r = locationPrefix.ReplaceAllString(r, "")
	if first, rest, ok := strings.Cut(r, "\n- "); ok && strings.HasPrefix(first, "jsonschema validation failed") {
		r = locationPrefix.ReplaceAllString(rest, "")
	}
	return strings.ReplaceAll(r, "\n- ", "; ")
}

// leafReasons renders every leaf under se as "$.path: reason", the short
// message kin's errors carry instead of a schema dump.
func leafReasons(se *openapi3.SchemaError) []string {
	leaves := schemaLeaves(se)
	out := make([]string, 0, len(leaves))
	for _, l := range leaves {
		out = append(out, jsonPath(l.JSONPointer())+": "+leafReason(l))
	}
	return out
}
