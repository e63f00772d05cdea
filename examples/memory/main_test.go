package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/letta-go/letta/examples/internal/exampletest"
)

// TestExample runs the example against the in-process server, as a
// newcomer's first "go run" does. The example checks each step itself (it
// fails when the other agent does not see an edit); this checks what it
// says.
func TestExample(t *testing.T) {
	out := exampletest.Run(t, "memory", run, nil)
	for _, line := range []string{
		`the user's blocks: [human]`,
		"created agent memory-support (",
		") with blocks [persona]", // the coach, before Agents.AttachBlock
		"agents with the user's block: [memory-coach, memory-support]",
		"memory-coach:\n  human    \"Name: Caren.\"\n  persona  \"I am Caren's running coach.\"",
		`memory-coach remembers: "Name: Caren.\nRuns 10 km on Sundays."`,
		`memory-support remembers: "Name: Caren.\nRuns 10 km on Sundays.\nPrefers short answers."`,
		"favourite colour is green\"",
		"deleted the 6 object(s) this run created",
	} {
		assert.Contains(t, out, line)
	}
}
