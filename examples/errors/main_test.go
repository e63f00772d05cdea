package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/letta-go/letta/examples/internal/exampletest"
)

// TestExample runs the example against the in-process server, as a
// newcomer's first "go run" does.
func TestExample(t *testing.T) {
	out := exampletest.Run(t, "errors", run, nil)
	for _, line := range []string{"second create: ErrConflict", "StatusCode: 409", "Identities.Get(identity-00000000-0000-4000-8000-000000000000): ErrNotFound", "Agents.Get(\"\"): ErrInvalidParam", "missing required fields identifier_key, name", `"tags" is not allowed; the server accepts [agent.blocks`, "RequestError: letta: GET /v1/identities/count: dial tcp 127.0.0.1:1", "deleted the 1 object(s) this run created"} {
		assert.Contains(t, out, line)
	}
}
