package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta/examples/internal/exampleenv"
)

// TestExample runs the example against the in-process server, as a
// newcomer's first "go run" does.
func TestExample(t *testing.T) {
	for _, name := range []string{"LETTA_BASE_URL", "LETTA_API_KEY", "LETTA_CUSTOM_HEADERS", "LETTA_LOG"} {
		t.Setenv(name, "")
	}
	var stdout, stderr bytes.Buffer
	run, opts := newExample()
	code := exampleenv.Run("pagination", nil, &stdout, &stderr, run, opts)
	require.Equal(t, 0, code, "stderr: %s\nstdout: %s", stderr.String(), stdout.String())
	assert.Empty(t, stderr.String())
	for _, line := range []string{"7 agents [page-agent-1 page-agent-2 page-agent-3 page-agent-4 page-agent-5 page-agent-6 page-agent-7] in 4 requests", "4 agents [page-agent-1 page-agent-2 page-agent-3 page-agent-4] in 2 requests", "deleted the 7 object(s) this run created"} {
		assert.Contains(t, stdout.String(), line)
	}
}
