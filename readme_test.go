package letta_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// README claims that were once untrue stay out: go doc prints no examples,
// and a standalone lettatest started with go run outlives a kill of its pid.
func TestREADMEClaims(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	text := string(readme)
	assert.NotContains(t, text, "go run ./cmd/lettatest", "a long-running lettatest is built (go build / go install), not go run")
	assert.Contains(t, text, "go build -o ./lettatest ./cmd/lettatest")
	assert.NotRegexp(t, "go doc[^\n]*has a runnable example", text)
	assert.Contains(t, text, "but not the examples")
	assert.Contains(t, text, "LETTA_REQUIRE_SPEC=1", "how CI keeps the spec tests from skipping")
}
