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
	code := exampleenv.Run("errors", nil, &stdout, &stderr, run, nil)
	require.Equal(t, 0, code, "stderr: %s\nstdout: %s", stderr.String(), stdout.String())
	assert.Empty(t, stderr.String())
	for _, line := range []string{"second create: ErrConflict", "StatusCode: 409", "Identities.Get(identity-00000000-0000-4000-8000-000000000000): ErrNotFound", "Agents.Get(\"\"): ErrInvalidParam", "RequestError: letta: GET /v1/identities/count: dial tcp 127.0.0.1:1", "deleted the 1 object(s) this run created"} {
		assert.Contains(t, stdout.String(), line)
	}
}
