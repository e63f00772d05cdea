package contract

import (
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// defaultSpecPath is where the spec sits beside the repository (as CI has
// it), relative to this module's directory.
const defaultSpecPath = "../../shared/letta-openapi/openapi.json"

var (
	specOnce    sync.Once
	specChecker *Checker
	specErr     error
)

// checker returns the Checker over the spec named by LETTA_OPENAPI_SPEC, or
// the one beside the repository, loaded once per test binary (about a
// second). A spec that cannot be loaded fails the test: the suite is about
// the spec, and passing without it would check nothing.
func checker(t testing.TB) *Checker {
	t.Helper()
	path := os.Getenv("LETTA_OPENAPI_SPEC")
	if path == "" {
		path = defaultSpecPath
	}
	specOnce.Do(func() { specChecker, specErr = Load(path) })
	require.NoError(t, specErr, "loading the OpenAPI spec from %s (set LETTA_OPENAPI_SPEC to its path; see README.md)", path)
	return specChecker
}
