// Package codec is the single seam every JSON encode and decode in the SDK
// goes through, so that the codec is chosen in one place.
//
// Encoding always uses encoding/json: request bodies are small, and its
// output (omitzero, escaping, map key order) is the reference the tests pin.
// Decoding uses github.com/goccy/go-json, about four times faster than
// encoding/json on Letta's large agent pages (see BENCHMARKS.md), under a
// contract that makes it indistinguishable from encoding/json: whenever the
// fast decoder refuses an input, the value is reset and encoding/json decodes
// it again, so results and errors are exactly encoding/json's (the
// differential fuzz test FuzzCodecDifferential checks this on the SDK's
// types). Build with -tags letta_stdjson to decode with encoding/json only.
package codec

import (
	"bytes"
	"encoding/json"
)

// Marshal encodes v as JSON without escaping <, > and & (tool source code
// and prompts are full of them, and the server does not need the escapes).
// Unlike json.Marshal's encoder output, the result has no trailing newline.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

// Unmarshal decodes data into v exactly as json.Unmarshal does. Unknown
// object keys are ignored, never an error: the server adds fields the
// published spec does not list.
func Unmarshal(data []byte, v any) error {
	return unmarshal(data, v)
}

// Name is the decoder in use, for benchmarks and reports.
const Name = decoderName
