//go:build letta_live

package letta

// The live tier: tests named TestLive* that run the SDK against a real Letta
// server (LETTA_BASE_URL, and LETTA_API_KEY when it needs one). Build tag
// letta_live; see the README ("Tests and cassettes"):
//
//	scripts/letta-server start    # prints LETTA_BASE_URL=...
//	LETTA_BASE_URL=... go test -tags letta_live -run '^TestLive' -count=1 .
//
// Every test names what it creates after liveRun, a random suffix per test
// process, filters its lists by it, and deletes what it created, so runs can
// repeat against one server and share it with other clients.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// liveModel and liveEmbedding are the handles an offline server with no
// provider keys serves.
const (
	liveModel     = "letta/letta-free"
	liveEmbedding = "letta/letta-free"
)

var liveRun = func() string {
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b[:])
}()

// liveClient returns a client for the server LETTA_BASE_URL names and
// lets the test run in parallel with the others (they share nothing but
// the server). Without LETTA_BASE_URL the test fails: the live tier never
// passes by skipping.
func liveClient(t *testing.T) *Client {
	t.Helper()
	c := liveClientSerial(t)
	t.Parallel()
	return c
}

// liveClientSerial is liveClient for a test that must not overlap the
// others (the parallel ones run after every serial one has ended).
func liveClientSerial(t *testing.T) *Client {
	t.Helper()
	if os.Getenv("LETTA_BASE_URL") == "" {
		t.Fatal("the live tier (-tags letta_live) needs a real Letta server: run scripts/letta-server start " +
			"and set LETTA_BASE_URL to the URL it prints")
	}
	c, err := NewClientFromEnv(WithLogger(nil), WithTimeout(30*time.Second))
	require.NoError(t, err)
	return c
}

// liveName returns a name unique to this run and test: golive-<run>-<parts>.
// Hyphens only: the server's name filters treat _ and % as LIKE wildcards.
func liveName(t *testing.T, parts ...string) string {
	t.Helper()
	test := strings.NewReplacer("/", "-", "_", "-").Replace(strings.TrimPrefix(t.Name(), "TestLive"))
	return strings.ToLower("golive-" + liveRun + "-" + test + "-" + strings.Join(parts, "-"))
}

// createIdentity creates an identity named after the test and deletes it
// when the test ends (unless the test deleted it).
func createIdentity(t *testing.T, c *Client, p IdentityCreateParams) *Identity {
	t.Helper()
	if p.Name == "" {
		p.Name = p.IdentifierKey
	}
	if p.IdentityType == "" {
		p.IdentityType = IdentityTypeUser
	}
	id, err := c.Identities.Create(t.Context(), &p)
	require.NoError(t, err)
	t.Cleanup(func() { deleteQuietly(t, "identity", id.ID, c.Identities.Delete) })
	return id
}

// createAgent creates an agent with the offline model (and without the
// base tools unless p asks) and deletes it when the test ends.
func createAgent(t *testing.T, c *Client, p AgentCreateParams) *AgentState {
	t.Helper()
	if p.Model == nil {
		p.Model = Ptr(liveModel)
	}
	if p.Embedding == nil {
		p.Embedding = Ptr(liveEmbedding)
	}
	if p.IncludeBaseTools == nil {
		// Attaching (and deleting) the base tools is most of the cost of an
		// agent; tests that look at tools ask for them.
		p.IncludeBaseTools = Ptr(false)
	}
	a, err := c.Agents.Create(t.Context(), &p)
	require.NoError(t, err)
	t.Cleanup(func() { deleteQuietly(t, "agent", a.ID, c.Agents.Delete) })
	return a
}

func deleteQuietly(t *testing.T, what, id string, del func(context.Context, string, ...RequestOption) error) {
	// t.Context is done when cleanups run; a context of its own lets the
	// delete go out.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := del(ctx, id); err != nil && !errors.Is(err, ErrNotFound) {
		t.Errorf("cleanup: deleting %s %s: %v", what, id, err)
	}
}

// requireAPIError asserts err is an *APIError with this status.
func requireAPIError(t *testing.T, err error, status int) *APIError {
	t.Helper()
	require.Error(t, err)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "%v", err)
	require.Equal(t, status, apiErr.StatusCode, "%v", err)
	return apiErr
}

func identityIDs(items []Identity) []string {
	out := make([]string, len(items))
	for i, v := range items {
		out[i] = v.ID
	}
	return out
}

func agentIDs(items []AgentState) []string {
	out := make([]string, len(items))
	for i, v := range items {
		out[i] = v.ID
	}
	return out
}

func blockIDs(items []Block) []string {
	out := make([]string, len(items))
	for i, v := range items {
		out[i] = v.ID
	}
	return out
}

func reversed(ids []string) []string {
	out := slices.Clone(ids)
	slices.Reverse(out)
	return out
}
