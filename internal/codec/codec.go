// Package codec is the single seam every JSON encode and decode in the SDK
// goes through, so that the codec can be swapped (for speed) in one place.
// Today it wraps encoding/json.
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

// Unmarshal decodes data into v. Unknown object keys are ignored, never an
// error: the server adds fields the published spec does not list.
func Unmarshal(data []byte, v any) error {
	return json.Unmarshal(data, v)
}
