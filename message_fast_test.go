package letta

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkEventFast decodes data with the stream's fast path and, when it
// takes the event, requires the generic decoder (Message.UnmarshalJSON)
// to give the same Message, Raw included, before and after data is
// overwritten (nothing may refer to it). It reports whether the fast
// path took the event.
func checkEventFast(t *testing.T, data []byte) bool {
	t.Helper()
	input := bytes.Clone(data)
	var fast Message
	if !decodeEventFast(input, &fast) {
		return false
	}
	slow := new(Message)
	require.NoError(t, slow.UnmarshalJSON(data), "the fast path took an event the generic decoder refuses: %q", data)
	require.Equal(t, *slow, fast, "%q", data)
	for i := range input {
		input[i] = 'x'
	}
	require.Equal(t, *slow, fast, "a fast-decoded message refers to its input: %q", data)
	return true
}

// FuzzDecodeEventFast is the fast path's differential test: any input it
// takes, it must decode exactly as the generic decoder does.
func FuzzDecodeEventFast(f *testing.F) {
	for _, s := range fastEventSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkEventFast(t, data) })
}

// fastEventSeeds are the shapes the fast path takes and the edges where
// it must decline or agree: escapes, surrogates, invalid UTF-8, numbers,
// nulls, duplicate keys, whitespace, keys it does not know.
var fastEventSeeds = []string{
	`{}`,
	` {"message_type":"ping"} `,
	"\t{\r\n\"id\" : \"a\" ,\n\"message_type\":\"ping\"}\n",
	`{"id":"ping-1","date":"2026-12-02T01:45:24+00:00","name":null,"otid":"o","sender_id":null,"step_id":"s","is_err":null,"seq_id":null,"run_id":"r","message_type":"ping"}`,
	`{"id":"m","message_type":"reasoning_message","source":"reasoner_model","reasoning":"piece 1 ","signature":null}`,
	`{"id":"m","message_type":"assistant_message","content":"say \"hi\"\n\\ \/ \b\f\r\t"}`,
	`{"message_type":"assistant_message","content":"caf\u00e9 \ud83d\ude00 \ud83d \ude00 \ud83dx \uDFFF \u0000 é"}`,
	`{"message_type":"assistant_message","content":"\ud83d\u0041"}`,
	`{"message_type":"assistant_message","content":"bad \x"}`,
	`{"message_type":"assistant_message","content":"bad \u12"}`,
	"{\"message_type\":\"assistant_message\",\"content\":\"\xff\"}",
	"{\"message_type\":\"assistant_message\",\"content\":\"\x01\"}",
	"{\"message_type\":\"assistant_message\",\"content\":\"\\u00e9\xff\"}",
	`{"message_type":"assistant_message","content":["part"]}`,
	`{"message_type":"assistant_message","content":null}`,
	`{"message_type":"stop_reason","stop_reason":"end_turn"}`,
	`{"message_type":"stop_reason","stop_reason":null}`,
	`{"message_type":"usage_statistics","completion_tokens":80,"prompt_tokens":2000,"total_tokens":2080,"step_count":1,"run_ids":null,"cached_input_tokens":null,"cache_write_tokens":null,"reasoning_tokens":null,"context_tokens":2000}`,
	`{"seq_id":-0}`, `{"seq_id":01}`, `{"seq_id":1.0}`, `{"seq_id":1e2}`, `{"seq_id":-}`,
	`{"seq_id":9223372036854775807}`, `{"seq_id":9223372036854775808}`, `{"seq_id":-9223372036854775808}`,
	`{"is_err":true,"approve":false}`, `{"is_err":tru}`, `{"is_err":nul}`,
	`{"id":"a","id":"b"}`, `{"otid":"a","otid":null}`, `{"otid":null,"otid":"a"}`,
	`{"date":"2026-12-02T01:45:24+00:00","date":null}`, `{"date":"2026-12-02T01:45:24Z"}`,
	`{"date":"2026-12-02T01:45:24.123456"}`, `{"date":"2026-12-02 01:45:24+02:00"}`, `{"date":"yesterday"}`,
	`{"date":"2026-12-02T01:45:24\u002b00:00"}`, `{"date":1}`,
	`{"content":"a","content":"b"}`, `{"content":"a","content":null}`,
	`{"id":null,"message_type":null}`, `{"id":1}`, `{"ID":"a"}`, `{"Id":"a"}`, `{"i\u0064":"a"}`,
	`{"future":1}`, `{"raw":"x"}`, `{"tool_call":null}`, `{"tool_call":{"name":"t"}}`,
	`{"tool_calls":null}`, `{"run_ids":["r"]}`, `{"stdout":null,"stderr":null}`,
	`{"id":"a",}`, `{"id":"a"`, `{"id":"a"}x`, `{"id":"a"}{}`, `{"id" "a"}`, `{,}`, `[]`, `null`, ``,
	`{"name":"n","sender_id":"s","state":"redacted","hidden_reasoning":"h","tool_return":"t","status":"success","tool_call_id":"c","approval_request_id":"q","reason":"r","summary":"s","event_type":"e"}`,
}

// realStreamEvents returns the events of the cassettes' recorded streams
// (the real server's).
func realStreamEvents(t *testing.T) [][]byte {
	t.Helper()
	files, err := filepath.Glob("testdata/cassettes/*.yaml")
	require.NoError(t, err)
	var out [][]byte
	for _, name := range files {
		f, err := os.Open(name)
		require.NoError(t, err)
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "data: {") {
				out = append(out, []byte(strings.TrimPrefix(line, "data: ")))
			}
		}
		require.NoError(t, sc.Err())
		require.NoError(t, f.Close())
	}
	require.NotEmpty(t, out, "no recorded stream events")
	return out
}

// TestDecodeEventFastTakesCommonEvents: the fast path takes every
// recorded event of the common types (else it would be dead code, and the
// differential test would pass on nothing), decoding each as the generic
// decoder does.
func TestDecodeEventFastTakesCommonEvents(t *testing.T) {
	common := map[MessageType]bool{MessageTypePing: true, MessageTypeReasoning: true, MessageTypeAssistant: true,
		MessageTypeStopReason: true, MessageTypeUsageStatistics: true}
	taken := 0
	for _, ev := range realStreamEvents(t) {
		var m Message
		require.NoError(t, m.UnmarshalJSON(ev))
		ok := checkEventFast(t, ev)
		if common[m.MessageType] {
			assert.True(t, ok, "the fast path declined a %s: %s", m.MessageType, ev)
		}
		if ok {
			taken++
		}
	}
	assert.Positive(t, taken)
	for _, s := range fastEventSeeds {
		checkEventFast(t, []byte(s))
	}
}

// TestDecodeEventFastDeclines: what the fast path leaves to the generic
// decoder.
func TestDecodeEventFastDeclines(t *testing.T) {
	for _, s := range []string{
		`{"tool_call":{"name":"t"}}`, `{"content":[{"type":"text","text":"a"}]}`, `{"tool_calls":null}`,
		`{"future":1}`, `{"ID":"a"}`, "{\"content\":\"\xff\"}", `{"seq_id":1.0}`, `{"id":"a"}x`, `[]`,
	} {
		var m Message
		assert.False(t, decodeEventFast([]byte(s), &m), "%s", s)
	}
}
