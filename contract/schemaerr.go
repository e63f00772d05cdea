package contract

import (
	"errors"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// leaf is one fault inside a value: where (JSON pointer tokens, relative to
// the validated value) and why.
type leaf struct {
	ptr    []string
	reason string
}

// schemaLeaves returns the innermost faults under se, without the wrappers
// that only group them (the 2020-12 validator's root error, $ref).
func schemaLeaves(se *openapi3.SchemaError) []leaf {
	var me openapi3.MultiError
	if se.Origin != nil && errors.As(se.Origin, &me) {
		var out []leaf
		for _, e := range me {
			var child *openapi3.SchemaError
			if errors.As(e, &child) {
				out = append(out, schemaLeaves(child)...)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	if inner := nullableBranchLeaves(se); len(inner) > 0 {
		return inner
	}
	return []leaf{{ptr: se.JSONPointer(), reason: leafReason(se)}}
}

// nullableBranchLeaves explains an anyOf failure of kin's own validator,
// which drops the branches' errors. FastAPI writes nearly every optional
// field as anyOf [X, null]: when the value is not null, X's faults are the
// real ones, so X is validated again to report them at their own paths.
func nullableBranchLeaves(se *openapi3.SchemaError) []leaf {
	if se.SchemaField != "anyOf" || se.Schema == nil || se.Value == nil {
		return nil
	}
	var branch *openapi3.Schema
	for _, ref := range se.Schema.AnyOf {
		if ref == nil || ref.Value == nil {
			return nil
		}
		if t := ref.Value.Type; t != nil && t.Is("null") {
			continue
		}
		if branch != nil {
			return nil // a real union: no branch is the one that was meant
		}
		branch = ref.Value
	}
	if branch == nil {
		return nil
	}
	err := branch.VisitJSON(se.Value, openapi3.MultiErrors(), openapi3.EnableJSONSchema2020())
	var out []leaf
	var collect func(error)
	collect = func(err error) {
		var me openapi3.MultiError
		var child *openapi3.SchemaError
		switch {
		case errors.As(err, &me) && !isSchemaError(err):
			for _, e := range me {
				collect(e)
			}
		case errors.As(err, &child):
			for _, l := range schemaLeaves(child) {
				l.ptr = append(append([]string{}, se.JSONPointer()...), l.ptr...)
				out = append(out, l)
			}
		}
	}
	if err != nil {
		collect(err)
	}
	return out
}

func isSchemaError(err error) bool {
	_, ok := err.(*openapi3.SchemaError)
	return ok
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
		out = append(out, jsonPath(l.ptr)+": "+l.reason)
	}
	return out
}
