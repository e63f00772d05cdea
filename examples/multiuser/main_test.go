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
	code := exampleenv.Run("multiuser", nil, &stdout, &stderr, run, nil)
	require.Equal(t, 0, code, "stderr: %s\nstdout: %s", stderr.String(), stdout.String())
	assert.Empty(t, stderr.String())
	for _, line := range []string{"agent caren-assistant now belongs to: [user_1, user_2]", "1 agent(s) for user_2: [caren-assistant]", "agent tagged user_3: user-3-assistant (tags [user_3])", "deleted the 4 object(s) this run created"} {
		assert.Contains(t, stdout.String(), line)
	}
}
