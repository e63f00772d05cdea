package benchdata

import (
	"encoding/json"
	"strconv"
)

// The payloads are written key by key, in the order the Letta server
// (Pydantic) emits them, rather than marshalled from Go structs: the SDK's own
// types must not shape the bytes they are measured on.

// obj is a JSON object with ordered keys.
type obj []kv

type kv struct {
	k string
	v any
}

// raw is JSON text inserted as it is.
type raw string

func appendJSON(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case raw:
		return append(b, x...)
	case string:
		s, _ := json.Marshal(x) // a string always encodes
		return append(b, s...)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case float64:
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	case bool:
		return strconv.AppendBool(b, x)
	case []string:
		b = append(b, '[')
		for i, s := range x {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendJSON(b, s)
		}
		return append(b, ']')
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	case []obj:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	case obj:
		b = append(b, '{')
		for i, f := range x {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendJSON(b, f.k)
			b = append(b, ": "...)
			b = appendJSON(b, f.v)
		}
		return append(b, '}')
	}
	out, _ := json.Marshal(v) // every type used here is one of the cases above
	return append(b, out...)
}
