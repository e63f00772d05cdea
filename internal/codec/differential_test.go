package codec_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/dnaeon/go-vcr.v3/cassette"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/internal/benchdata"
	"github.com/letta-go/letta/internal/codec"
)

// decodeTargets are the types the SDK decodes server JSON into, plus the
// shapes its own UnmarshalJSON methods decode into internally.
//
// Against encoding/json, a type with an UnmarshalJSON method is compared at
// its top level only: both sides call the same method, which itself decodes
// through codec. That inner decode is covered by the method-free copies of
// the union types below (built with reflect.StructOf from their exported
// fields, i.e. exactly what toolRuleFields & co decode), so every decode the
// SDK makes is compared with encoding/json's somewhere.
func decodeTargets() []reflect.Type {
	return []reflect.Type{
		reflect.TypeFor[letta.Identity](),
		reflect.TypeFor[[]letta.Identity](),
		reflect.TypeFor[letta.AgentState](),
		reflect.TypeFor[[]letta.AgentState](),
		reflect.TypeFor[letta.Block](),
		reflect.TypeFor[letta.Tool](),
		reflect.TypeFor[letta.IdentityProperty](),
		reflect.TypeFor[letta.ToolRule](),
		reflect.TypeFor[letta.ModelSettings](),
		reflect.TypeFor[letta.ResponseFormat](),
		reflect.TypeFor[letta.Timestamp](),
		reflect.TypeFor[*letta.Timestamp](),
		reflect.TypeFor[letta.ApprovalRequestMessage](),
		reflect.TypeFor[letta.MessageContent](),
		reflect.TypeFor[letta.ToolCall](),
		methodFree(reflect.TypeFor[letta.ToolRule]()),
		methodFree(reflect.TypeFor[letta.ModelSettings]()),
		methodFree(reflect.TypeFor[letta.ResponseFormat]()),
		reflect.TypeFor[errorBodyShape](),
		reflect.TypeFor[map[string]json.RawMessage](),
		reflect.TypeFor[[]json.RawMessage](),
		reflect.TypeFor[json.RawMessage](),
		reflect.TypeFor[string](),
		reflect.TypeFor[int](),
		reflect.TypeFor[int64](),
		reflect.TypeFor[float64](),
		reflect.TypeFor[bool](),
		reflect.TypeFor[any](),
	}
}

// errorBodyShape is the shape the SDK decodes error bodies into.
type errorBodyShape struct {
	Detail   json.RawMessage `json:"detail"`
	TraceID  json.RawMessage `json:"trace_id"`
	Examples json.RawMessage `json:"examples"`
	Error    json.RawMessage `json:"error"`
	Message  json.RawMessage `json:"message"`
	Loc      []json.RawMessage
	Msg      string `json:"msg"`
}

// methodFree returns a struct type with t's exported fields and tags and no
// methods.
func methodFree(t reflect.Type) reflect.Type {
	var fields []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() {
			fields = append(fields, reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag})
		}
	}
	return reflect.StructOf(fields)
}

// requireSameAsStd decodes data into a fresh value of each target type with
// codec.Unmarshal and with json.Unmarshal and requires the same outcome:
// both succeed or both fail with the same message, and the values (partially
// filled ones included, unexported fields included) are deeply equal.
func requireSameAsStd(t *testing.T, data []byte, targets []reflect.Type) {
	t.Helper()
	for _, typ := range targets {
		got := reflect.New(typ)
		gotErr := codec.Unmarshal(data, got.Interface())
		want := reflect.New(typ)
		wantErr := json.Unmarshal(data, want.Interface())
		if wantErr == nil {
			require.NoError(t, gotErr, "%v: encoding/json accepts %q", typ, truncate(data))
		} else {
			require.Error(t, gotErr, "%v: encoding/json refuses %q with %v", typ, truncate(data), wantErr)
			require.Equal(t, wantErr.Error(), gotErr.Error(), "%v: error for %q", typ, truncate(data))
		}
		require.True(t, reflect.DeepEqual(want.Interface(), got.Interface()),
			"%v: decoded values differ for %q\nencoding/json: %#v\ncodec:         %#v", typ, truncate(data), want.Elem(), got.Elem())
		// DeepEqual compares floats with ==, for which -0 equals 0.
		require.Equal(t, floatBits(want, nil), floatBits(got, nil), "%v: float bits differ for %q", typ, truncate(data))
	}
}

// floatBits appends the bits of every float in v, in a fixed order (map
// keys sorted), so that two values DeepEqual holds equal can be compared
// bit for bit.
func floatBits(v reflect.Value, out []uint64) []uint64 {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		return append(out, math.Float64bits(v.Float()))
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return floatBits(v.Elem(), out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			out = floatBits(v.Field(i), out)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			out = floatBits(v.Index(i), out)
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			out = floatBits(v.MapIndex(k), out)
		}
	}
	return out
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

// seeds are the benchmark payloads, the type fixtures in the root
// package's testdata and every response body of its cassettes. The corpus
// in testdata/fuzz/FuzzCodecDifferential adds the inputs on which the
// fast decoder was found to differ (each one now passes).
func seeds(t testing.TB) [][]byte {
	out := [][]byte{benchdata.Identity(), benchdata.IdentityCreateBody(), benchdata.Agent(1), benchdata.AgentPage(0, 2)}
	files, err := filepath.Glob("../../testdata/types/*.json")
	require.NoError(t, err)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		out = append(out, b)
	}
	cassettes, err := filepath.Glob("../../testdata/cassettes/*.yaml")
	require.NoError(t, err)
	for _, f := range cassettes {
		c, err := cassette.Load(f[:len(f)-len(".yaml")])
		require.NoError(t, err, f)
		for _, i := range c.Interactions {
			if i.Response.Body != "" {
				out = append(out, []byte(i.Response.Body))
			}
		}
	}
	return out
}

// FuzzCodecDifferential proves that codec.Unmarshal decodes every input
// exactly as encoding/json does into the SDK's types. Run it longer with
//
//	go test -run '^$' -fuzz FuzzCodecDifferential -fuzztime 5m ./internal/codec
func FuzzCodecDifferential(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	// Negative zeros: equal to 0 for DeepEqual, not for floatBits.
	f.Add([]byte(`{"llm_config":{"temperature":-0,"frequency_penalty":-0.0},"x":[-0,0]}`))
	targets := decodeTargets()
	f.Fuzz(func(t *testing.T, data []byte) {
		requireSameAsStd(t, data, targets)
	})
}

// TestCodecMatchesStdOnAgentPage runs the comparison on the benchmark's
// whole 50-agent page (too large to be a fuzz seed).
func TestCodecMatchesStdOnAgentPage(t *testing.T) {
	requireSameAsStd(t, benchdata.AgentPage(0, 50), []reflect.Type{reflect.TypeFor[[]letta.AgentState]()})
}

func TestFloatBitsSeesNegativeZero(t *testing.T) {
	type v struct {
		F *float64
		M map[string]any
	}
	zero, negZero := 0.0, math.Copysign(0, -1)
	a := v{F: &zero, M: map[string]any{"b": 1.5, "a": zero}}
	b := v{F: &negZero, M: map[string]any{"a": zero, "b": 1.5}}
	require.True(t, reflect.DeepEqual(a, b), "DeepEqual cannot tell them apart")
	assert.NotEqual(t, floatBits(reflect.ValueOf(a), nil), floatBits(reflect.ValueOf(b), nil))
	b.F = &zero
	assert.Equal(t, floatBits(reflect.ValueOf(a), nil), floatBits(reflect.ValueOf(b), nil), "map order does not matter")
}
