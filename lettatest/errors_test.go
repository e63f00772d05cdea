package lettatest

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPyRepr(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{nil, "None"},
		{true, "True"},
		{false, "False"},
		{json.Number("1.5"), "1.5"},
		{"plain", "'plain'"},
		{"it's", `"it's"`},
		{`both ' and "`, `'both \' and "'`},
		{"back\\slash\nnl", `'back\\slash\nnl'`},
		{"\x01", `'\x01'`},
		{[]any{"a", json.Number("1")}, "['a', 1]"},
		{map[string]any{"b": nil, "a": []any{}}, "{'a': [], 'b': None}"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, pyRepr(tt.in), "%#v", tt.in)
	}
}

func TestValidationResponseShape(t *testing.T) {
	r := validationResponse([]valErr{
		{typ: "missing", loc: []any{"body"}, msg: "Field required", input: nil},
		{typ: "int_parsing", loc: []any{"query", "limit"}, msg: "m", input: "x", ctx: map[string]any{"k": "v"}},
	}, []string{"ex"})
	assert.Equal(t, 422, r.status)
	assert.JSONEq(t, `{"trace_id":"","examples":["ex"],"detail":"[{'type': 'missing', 'loc': ('body',), 'msg': 'Field required', 'input': None}, {'type': 'int_parsing', 'loc': ('query', 'limit'), 'msg': 'm', 'input': 'x', 'ctx': {'k': 'v'}}]"}`, string(r.body))
}
