package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/letta-go/letta/examples/internal/exampletest"
)

// TestExample runs the example against the in-process server, as a
// newcomer's first "go run" does.
func TestExample(t *testing.T) {
	out := exampletest.Run(t, "multiuser", run, nil)
	for _, line := range []string{"agent caren-assistant now belongs to: [user_1, user_2]", "1 agent(s) for user_2: [caren-assistant]", "agent tagged user_3: user-3-assistant (tags [user_3])", "deleted the 7 object(s) this run created"} {
		assert.Contains(t, out, line)
	}
}
