package contract

import (
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// specHint is the one line a run without the spec prints.
const specHint = "LETTA_OPENAPI_SPEC not set: run with LETTA_OPENAPI_SPEC=../../shared/letta-openapi/openapi.json (see README.md)"

var (
	specOnce    sync.Once
	specChecker *Checker
	specErr     error
)

// checker returns the Checker over the spec named by LETTA_OPENAPI_SPEC,
// loaded once per test binary (about a second). Without the variable the test
// skips; with it set to a path that does not load, the test fails.
func checker(t testing.TB) *Checker {
	t.Helper()
	path := os.Getenv("LETTA_OPENAPI_SPEC")
	if path == "" {
		t.Skip(specHint)
	}
	specOnce.Do(func() { specChecker, specErr = Load(path) })
	require.NoError(t, specErr, "loading LETTA_OPENAPI_SPEC=%s", path)
	return specChecker
}
