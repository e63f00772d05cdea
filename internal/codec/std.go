//go:build letta_stdjson

package codec

import "encoding/json"

const decoderName = "encoding/json"

func unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
