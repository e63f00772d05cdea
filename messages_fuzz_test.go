package letta

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzDecodeMessages decodes what the messages routes answer (a history
// page, a Send response) under checkDecode's rules: nothing decoded refers
// to its input, and encode/decode is stable.
func FuzzDecodeMessages(f *testing.F) {
	f.Add([]byte(`[{"id":"message-1","date":"2026-12-02T01:45:24+00:00","message_type":"assistant_message","content":"hi"},` +
		`{"id":"message-2","message_type":"future_message","x":{"y":[1]}},` +
		`{"id":"message-3","message_type":"user_message","content":[{"type":"text","text":"a"}]}]`))
	f.Add([]byte(`{"messages":[{"id":"m","message_type":"tool_call_message","tool_call":{"name":"t","arguments":"{}","tool_call_id":"c"},"tool_calls":{"name":"t"}}],` +
		`"stop_reason":{"message_type":"stop_reason","stop_reason":"end_turn"},"usage":{"message_type":"usage_statistics","step_count":1,"cached_input_tokens":null}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecode[[]Message](t, data)
		checkDecode[LettaResponse](t, data)
	})
}

// FuzzStreamReader feeds arbitrary bytes to the event reader: it never
// panics, always ends, yields only JSON objects (kept whole in Raw), and
// never holds an event over its limit.
func FuzzStreamReader(f *testing.F) {
	f.Add([]byte("data: {\"message_type\":\"ping\",\"id\":\"p\"}\n\ndata: {\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}\n\ndata: [DONE]\n\n"))
	f.Add([]byte(": c\r\nevent: x\r\ndata: {\"message_type\":\r\ndata: \"assistant_message\"}\r\n\r\n"))
	f.Add([]byte("data: {\"message_type\":\"stop_reason\"}\n\n"))
	f.Add([]byte("data: 42\n\ndata: {\n\n"))
	c, err := NewClient(WithLogger(nil))
	require.NoError(f, err)
	const limit = 256
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &sseReader{ctx: context.Background(), body: io.NopCloser(bytes.NewReader(data)),
			conn: streamConn{cancel: func() {}}, limit: limit, client: c}
		s.br = newStreamBuffer(s.body)
		for range len(data) + 2 {
			m, done, err := s.next()
			if err != nil || done {
				return
			}
			require.True(t, json.Valid(m.Raw()), "yielded %q", m.Raw())
			require.Equal(t, byte('{'), bytes.TrimSpace(m.Raw())[0])
			require.LessOrEqual(t, len(m.Raw()), limit)
		}
		t.Fatalf("the reader did not end on %d bytes", len(data))
	})
}
