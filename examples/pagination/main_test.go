package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/letta-go/letta/examples/internal/exampletest"
)

// TestExample runs the example against the in-process server, as a
// newcomer's first "go run" does.
func TestExample(t *testing.T) {
	run, opts := newExample()
	out := exampletest.Run(t, "pagination", run, opts)
	for _, line := range []string{"7 agents [page-agent-1 page-agent-2 page-agent-3 page-agent-4 page-agent-5 page-agent-6 page-agent-7] in 4 requests", "4 agents [page-agent-1 page-agent-2 page-agent-3 page-agent-4] in 2 requests", "deleted the 7 object(s) this run created"} {
		assert.Contains(t, out, line)
	}
}
