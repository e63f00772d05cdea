package codec

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type pair struct {
	A int `json:"a"`
	B int `json:"b"`
}

// TestUnmarshalMatchesStdOnErrors pins the fallback: whatever the fast
// decoder did before it failed is undone, so the error and the partially
// filled value are encoding/json's.
func TestUnmarshalMatchesStdOnErrors(t *testing.T) {
	for _, in := range []string{
		`{"a":1} trailing`,   // encoding/json checks the whole input first: nothing is set
		`{"a":"x","b":2}`,    // a type error: encoding/json goes on and sets b
		`{"a":1,"b":{"c":}}`, // invalid JSON in a value
		`{"a":1,"z":[1,2,}`,  // invalid JSON in a skipped (unknown) value
		`{"a":99999999999999999999}`,
	} {
		t.Run(in, func(t *testing.T) {
			var got, want pair
			gotErr := Unmarshal([]byte(in), &got)
			wantErr := json.Unmarshal([]byte(in), &want)
			require.Error(t, wantErr)
			require.Error(t, gotErr)
			assert.Equal(t, wantErr.Error(), gotErr.Error())
			assert.Equal(t, want, got)
		})
	}
}

// TestUnmarshalMergesLikeStd: decoding into a value that is already set
// merges as encoding/json does (keys absent from the input keep their
// values).
func TestUnmarshalMergesLikeStd(t *testing.T) {
	got := pair{A: 1}
	require.NoError(t, Unmarshal([]byte(`{"b":2}`), &got))
	assert.Equal(t, pair{A: 1, B: 2}, got)

	// A nil or non-pointer target is refused as encoding/json refuses it
	// (held in an interface so that vet lets the test pass one).
	for _, target := range []any{nil, pair{}} {
		err := Unmarshal([]byte(`{}`), target)
		require.Error(t, err)
		assert.Equal(t, json.Unmarshal([]byte(`{}`), target).Error(), err.Error())
	}
}
