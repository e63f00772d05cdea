package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/letta-go/letta/examples/internal/exampletest"
)

// TestExample runs the example against the in-process server, as a
// newcomer's first "go run" does.
func TestExample(t *testing.T) {
	out := exampletest.Run(t, "tags", run, nil)
	for _, line := range []string{"2 agent(s) tagged plan:pro", "bob-work now has tags [user:bob plan:free]", "deleted the 3 object(s) this run created"} {
		assert.Contains(t, out, line)
	}
}
