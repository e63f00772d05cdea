package contract

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestValidateStream: conforming events pass; each fault is reported at
// its event.
func TestValidateStream(t *testing.T) {
	c := checker(t)
	body := strings.Join([]string{
		`data: {"id":"ping-1","date":"2026-12-02T01:45:24+00:00","message_type":"ping","run_id":"run-1"}`,
		``,
		`data: {"id":"message-1","date":"2026-12-02T01:45:24+00:00","message_type":"assistant_message","content":"hi"}`,
		``,
		`data: {"id":"message-1","date":"2026-12-02T01:45:24+00:00","message_type":"assistant_message"}`,
		``,
		`data: {"message_type":"stop_reason","stop_reason":"not_a_reason"}`,
		``,
		`data: {"message_type":"future_message"}`,
		``,
		`data: {oops`,
		``,
		`data: {"message_type":"usage_statistics","completion_tokens":1,"prompt_tokens":2,"total_tokens":3,"step_count":1}`,
		``,
		`data: [DONE]`,
		``, ``,
	}, "\n")
	vs := c.ValidateStream("s", "POST", []byte(body))
	var where []string
	for _, v := range vs {
		where = append(where, v.Where)
	}
	require.Len(t, vs, 4, render(vs))
	assert.Equal(t, []string{"event[2].content", "event[3].stop_reason", "event[4]", "event[5]"}, where, render(vs))
	assert.True(t, IsEventStream("text/event-stream; charset=utf-8"))
	assert.False(t, IsEventStream("application/json"))
}
