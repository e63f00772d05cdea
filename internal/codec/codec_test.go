package codec

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMarshal(t *testing.T) {
	out, err := Marshal(map[string]any{"src": "if a < b && c > d {}", "n": 1})
	require.NoError(t, err)
	assert.Equal(t, `{"n":1,"src":"if a < b && c > d {}"}`, string(out), "no HTML escaping, no trailing newline")

	_, err = Marshal(map[string]any{"bad": func() {}})
	assert.Error(t, err)
}

func TestUnmarshalIgnoresUnknownFields(t *testing.T) {
	var v struct {
		A int `json:"a"`
	}
	require.NoError(t, Unmarshal([]byte(`{"a":1,"b":{"c":[1,2]}}`), &v))
	assert.Equal(t, 1, v.A)
	assert.Error(t, Unmarshal([]byte(`{"a":`), &v))
}
