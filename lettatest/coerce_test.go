package lettatest

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The conversions follow pydantic's lax mode on json.loads output.
func TestLaxConversions(t *testing.T) {
	num := func(s string) json.Number { return json.Number(s) }
	tests := []struct {
		name    string
		check   func(o obj, v any) (any, bool)
		in      any
		want    any
		wantErr string // pydantic error type; "" for success
	}{
		{"int from int", intCheck, num("8000"), int64(8000), ""},
		{"int from whole float", intCheck, num("8000.0"), int64(8000), ""},
		{"int from exponent", intCheck, num("1e3"), int64(1000), ""},
		{"int from fraction", intCheck, num("8000.5"), nil, "int_from_float"},
		{"int from numeric string", intCheck, "8000", int64(8000), ""},
		{"int from padded string", intCheck, " 42 ", int64(42), ""},
		{"int from signed string", intCheck, "+7", int64(7), ""},
		{"int from string with zero fraction", intCheck, "8000.00", int64(8000), ""},
		{"int from string with bare dot", intCheck, "8000.", int64(8000), ""},
		{"int from string with underscores", intCheck, "8_000", int64(8000), ""},
		{"int from string with fraction", intCheck, "8000.5", nil, "int_parsing"},
		{"int from misplaced underscore", intCheck, "8__000", nil, "int_parsing"},
		{"int from word", intCheck, "lots", nil, "int_parsing"},
		{"int from hex", intCheck, "0x10", nil, "int_parsing"},
		{"int from true", intCheck, true, int64(1), ""},
		{"int from false", intCheck, false, int64(0), ""},
		{"int from null", intCheck, nil, nil, "int_type"},
		{"int from list", intCheck, []any{}, nil, "int_type"},

		{"float from number", floatCheck, num("0.5"), 0.5, ""},
		{"float from int", floatCheck, num("1"), 1.0, ""},
		{"float from string", floatCheck, "0.5", 0.5, ""},
		{"float from exponent string", floatCheck, "-1.5e-1", -0.15, ""},
		{"float from bare dot string", floatCheck, "2.", 2.0, ""},
		{"float from leading dot string", floatCheck, ".25", 0.25, ""},
		{"float from underscores", floatCheck, "1_000.5", 1000.5, ""},
		{"float from padded string", floatCheck, " 0.5\n", 0.5, ""},
		{"float from true", floatCheck, true, 1.0, ""},
		{"float from inf string is null", floatCheck, "-Infinity", nil, ""},
		{"float from nan string is null", floatCheck, "+nan", nil, ""},
		{"float from huge literal is null", floatCheck, num("1e999"), nil, ""},
		{"float from word", floatCheck, "warm", nil, "float_parsing"},
		{"float from hex string", floatCheck, "0x1p-2", nil, "float_parsing"},
		{"float from empty string", floatCheck, "", nil, "float_parsing"},
		{"float from lone dot", floatCheck, ".", nil, "float_parsing"},
		{"float from null", floatCheck, nil, nil, "float_type"},
		{"float from object", floatCheck, map[string]any{}, nil, "float_type"},

		{"bool from bool", boolCheck, false, false, ""},
		{"bool from string", boolCheck, "Yes", true, ""},
		{"bool from 0", boolCheck, num("0"), false, ""},
		{"bool from 1.0", boolCheck, num("1.0"), true, ""},
		{"bool from 2", boolCheck, num("2"), nil, "bool_parsing"},
		{"bool from 0.5", boolCheck, num("0.5"), nil, "bool_type"},
		{"bool from word", boolCheck, "maybe", nil, "bool_parsing"},
		{"bool from null", boolCheck, nil, nil, "bool_type"},

		{"literal", literalCheck, "low", "low", ""},
		{"literal unknown", literalCheck, "max", nil, "literal_error"},
		{"literal not a string", literalCheck, num("1"), nil, "literal_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newObj(nil, "body")
			got, good := tt.check(o, tt.in)
			if tt.wantErr != "" {
				assert.False(t, good)
				require.Len(t, *o.errs, 1)
				assert.Equal(t, tt.wantErr, (*o.errs)[0].typ)
				assert.Equal(t, []any{"body", "f"}, (*o.errs)[0].loc)
				assert.Equal(t, tt.in, (*o.errs)[0].input, "the error echoes the input")
				return
			}
			require.True(t, good, "errors: %v", *o.errs)
			assert.Empty(t, *o.errs)
			if f, isFloat := tt.want.(float64); isFloat {
				require.IsType(t, float64(0), got)
				assert.InDelta(t, f, got.(float64), 1e-12)
				return
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func intCheck(o obj, v any) (any, bool) {
	n, good := checkInt(o, v, "f")
	if !good {
		return nil, false
	}
	return n, true
}

func floatCheck(o obj, v any) (any, bool) { return checkFloat(o, v, "f") }

func boolCheck(o obj, v any) (any, bool) {
	b, good := checkBool(o, v, "f")
	if !good {
		return nil, false
	}
	return b, true
}

func literalCheck(o obj, v any) (any, bool) {
	s, good := checkLiteral(o, v, []string{"low", "medium", "high"}, "f")
	if !good {
		return nil, false
	}
	return s, true
}
