// Package exampletest runs an example program the way its tests need: on
// the in-process server, as a newcomer's first "go run" does, failing the
// test unless it exits 0 with nothing on stderr. It lives apart from
// exampleenv so that the example binaries do not link the testing package.
package exampletest

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/examples/internal/exampleenv"
)

// Run runs the example called name with no arguments and returns what it
// printed on stdout. opts are passed on to exampleenv.Run.
func Run(t *testing.T, name string, run func(context.Context, *exampleenv.Env) error, opts []letta.Option) string {
	t.Helper()
	return Exec(t, exampleenv.Example{Name: name, Run: run}, nil, "", opts)
}

// Exec runs an example with these arguments and stdin, on the in-process
// server, and returns what it printed on stdout; it fails the test unless
// the example exits 0 with nothing on stderr.
func Exec(t *testing.T, x exampleenv.Example, args []string, stdin string, opts []letta.Option) string {
	t.Helper()
	// The settings that would point the example at another server or
	// change its output.
	for _, v := range []string{letta.EnvBaseURL, letta.EnvAPIKey, letta.EnvCustomHeaders, letta.EnvLog} {
		t.Setenv(v, "")
	}
	var stdout, stderr bytes.Buffer
	code := x.Exec(args, strings.NewReader(stdin), &stdout, &stderr, opts)
	require.Equal(t, 0, code, "stderr: %s\nstdout: %s", stderr.String(), stdout.String())
	require.Empty(t, stderr.String())
	return stdout.String()
}
