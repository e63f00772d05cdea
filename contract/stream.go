package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// The spec gives a text/event-stream response no schema: it says in words
// that the events are the messages of LettaMessageUnion, plus the stream's
// own LettaPing, LettaStopReason and LettaUsageStatistics. ValidateStream
// checks each event against the schema its message_type names.

// streamControlSchemas are the stream's events outside LettaMessageUnion.
var streamControlSchemas = map[string]string{
	"ping":             "LettaPing",
	"stop_reason":      "LettaStopReason",
	"usage_statistics": "LettaUsageStatistics",
}

// IsEventStream reports whether a response Content-Type is an event stream.
func IsEventStream(contentType string) bool {
	return strings.HasPrefix(strings.TrimSpace(contentType), "text/event-stream")
}

// ValidateStream checks the events of an SSE body ("data: <json>" lines, an
// empty line after each, "data: [DONE]" at the end): each must be a JSON
// object whose message_type selects a schema (the LettaMessageUnion
// discriminator or a stream control event), and must conform to it.
func (c *Checker) ValidateStream(name, method string, body []byte) []Violation {
	base := Violation{Exchange: name, Method: method, Direction: "response", Status: 200}
	mapping := c.streamMapping()
	var out []Violation
	for i, data := range sseEvents(body) {
		where := fmt.Sprintf("event[%d]", i)
		if string(data) == "[DONE]" {
			continue
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			add(&out, base, where, "not JSON: "+err.Error())
			continue
		}
		obj, _ := v.(map[string]any)
		typ, _ := obj["message_type"].(string)
		schema, ok := mapping[typ]
		if !ok {
			add(&out, base, where, fmt.Sprintf("message_type %q names no schema", typ))
			continue
		}
		ref := c.doc.Components.Schemas[schema]
		if ref == nil || ref.Value == nil {
			add(&out, base, where, "schema "+schema+" missing from the spec")
			continue
		}
		if err := ref.Value.VisitJSON(v, openapi3.MultiErrors(), openapi3.EnableJSONSchema2020()); err != nil {
			for _, vi := range violations(base, "response", 200, err) {
				vi.Where = where + strings.TrimPrefix(vi.Where, "$")
				vi.Reason = schema + ": " + vi.Reason
				out = append(out, vi)
			}
		}
	}
	return out
}

// streamMapping maps message_type to schema name.
func (c *Checker) streamMapping() map[string]string {
	m := map[string]string{}
	for k, v := range streamControlSchemas {
		m[k] = v
	}
	if u := c.doc.Components.Schemas["LettaMessageUnion"]; u != nil && u.Value != nil && u.Value.Discriminator != nil {
		for typ, ref := range u.Value.Discriminator.Mapping {
			m[typ] = ref.Ref[strings.LastIndex(ref.Ref, "/")+1:]
		}
	}
	return m
}

// sseEvents splits an SSE body into the data of its events.
func sseEvents(body []byte) [][]byte {
	var out [][]byte
	var data []byte
	has := false
	for _, line := range bytes.Split(body, []byte("\n")) {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			if has {
				out = append(out, data)
			}
			data, has = nil, false
			continue
		}
		if v, ok := bytes.CutPrefix(line, []byte("data:")); ok {
			if has {
				data = append(data, '\n')
			}
			data = append(data, bytes.TrimPrefix(v, []byte(" "))...)
			has = true
		}
	}
	if has {
		out = append(out, data)
	}
	return out
}
