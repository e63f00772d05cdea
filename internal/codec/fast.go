//go:build !letta_stdjson

package codec

import (
	"encoding/json"
	"reflect"

	gojson "github.com/goccy/go-json"
)

const decoderName = "github.com/goccy/go-json"

// unmarshal tries the fast decoder first. It only does so when *v is the
// zero value: then a failed fast attempt can be undone by zeroing *v, and
// encoding/json's second pass sees exactly what it would have seen alone
// (encoding/json merges into a non-zero value, which cannot be undone, so
// such calls go to encoding/json directly; the SDK always decodes into
// fresh values). On any fast-path error encoding/json has the last word,
// so a value the fast decoder refuses but encoding/json accepts decodes,
// and errors and partially filled values are encoding/json's own.
func unmarshal(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || !rv.Elem().IsZero() {
		return json.Unmarshal(data, v)
	}
	if err := gojson.Unmarshal(data, v); err != nil {
		rv.Elem().SetZero()
		return json.Unmarshal(data, v)
	}
	return nil
}
