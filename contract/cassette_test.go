package contract

import (
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/dnaeon/go-vcr.v3/cassette"
)

// cassetteDir holds the SDK's recorded exchanges (go-vcr v3 YAML).
const cassetteDir = "../testdata/cassettes"

// deliberateFaults are cassette interactions whose request breaks the spec on
// purpose, to record how the SDK meets the server's answer. Each names the
// one place its request must be flagged; its response is checked as usual,
// and any other fault is still reported.
var deliberateFaults = map[string]struct{ where, reason string }{
	"TestCassetteErrors/MalformedID.yaml #0": {"path.identity_id",
		"records the server's 422 for a path id that is not identity-<uuid4> (the SDK sends what the caller gave)"},
}

// TestCassettesConformToSpec validates every interaction of every cassette,
// request and response, against the operation the request matches. The
// recorder's host does not matter: the spec's servers are cleared.
func TestCassettesConformToSpec(t *testing.T) {
	c := checker(t)
	if _, err := os.Stat(cassetteDir); os.IsNotExist(err) {
		t.Skipf("%s does not exist yet: nothing recorded to check", cassetteDir)
	}
	files, err := cassetteFiles(cassetteDir)
	require.NoError(t, err)
	require.NotEmpty(t, files, "%s exists but holds no .yaml cassette", cassetteDir)

	var (
		mu      sync.Mutex
		checked int
		flagged = make(map[string]bool)
	)
	// The group returns once its parallel subtests are done; validation is
	// CPU-bound (kin compiles a schema validator per call).
	t.Run("files", func(t *testing.T) {
		for _, file := range files {
			rel, _ := filepath.Rel(cassetteDir, file)
			t.Run(filepath.ToSlash(rel), func(t *testing.T) {
				t.Parallel()
				n, vs, err := checkCassette(c, cassetteDir, file)
				require.NoError(t, err)
				var other []Violation
				mu.Lock()
				for _, v := range vs {
					key := strings.TrimPrefix(v.Exchange, "cassette ")
					if d, ok := deliberateFaults[key]; ok && v.Direction == "request" && v.Where == d.where {
						flagged[key] = true
						continue
					}
					other = append(other, v)
				}
				checked += n
				mu.Unlock()
				assert.Empty(t, other, "\n%s", render(other))
			})
		}
	})
	for key, d := range deliberateFaults {
		assert.NotEmpty(t, d.reason, key)
		assert.True(t, flagged[key], "deliberate fault %s at %s was not seen: re-recorded or renamed? update the list", key, d.where)
	}
	assert.Positive(t, checked, "cassettes exist but hold no interaction")
	t.Logf("checked %d interactions in %d cassettes", checked, len(files))
}

// TestCassetteCheckFindsFaults records a cassette with one conforming and one
// faulty interaction and checks that only the faulty one is reported, named
// by file and index.
func TestCassetteCheckFindsFaults(t *testing.T) {
	c := checker(t)
	dir := t.TempDir()
	cas := cassette.New(filepath.Join(dir, "identities", "create"))
	jsonCT := http.Header{"Content-Type": {"application/json"}}
	cas.AddInteraction(&cassette.Interaction{
		Request: cassette.Request{Method: "POST", URL: "https://api.letta.com/v1/identities/", Headers: jsonCT,
			Body: `{"identifier_key":"user_1","name":"Caren","identity_type":"user"}`},
		Response: cassette.Response{Code: 200, Headers: jsonCT, Body: identityJSON},
	})
	cas.AddInteraction(&cassette.Interaction{
		Request:  cassette.Request{Method: "GET", URL: "https://api.letta.com/v1/agents/?limit=ten", Headers: http.Header{}},
		Response: cassette.Response{Code: 200, Headers: jsonCT, Body: `[]`},
	})
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "identities"), 0o755))
	require.NoError(t, cas.Save())

	files, err := cassetteFiles(dir)
	require.NoError(t, err)
	require.Len(t, files, 1)
	n, vs, err := checkCassette(c, dir, files[0])
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	require.Len(t, vs, 1, render(vs))
	assert.Equal(t, "cassette identities/create.yaml #1", vs[0].Exchange)
	assert.Equal(t, "list_agents", vs[0].OperationID)
	assert.Equal(t, "query.limit", vs[0].Where)
}

func cassetteFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".yaml") {
			files = append(files, path)
		}
		return nil
	})
	return files, err
}

// checkCassette validates each interaction of one cassette file and returns
// how many it checked.
func checkCassette(c *Checker, dir, file string) (int, []Violation, error) {
	rel, err := filepath.Rel(dir, file)
	if err != nil {
		return 0, nil, err
	}
	cas, err := cassette.Load(strings.TrimSuffix(file, ".yaml"))
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", rel, err)
	}
	var all []Violation
	for i, in := range cas.Interactions {
		name := fmt.Sprintf("cassette %s #%d", filepath.ToSlash(rel), i)
		req, err := http.NewRequest(in.Request.Method, in.Request.URL, nil)
		if err != nil {
			return i, all, fmt.Errorf("%s: %w", name, err)
		}
		req.Header = in.Request.Headers.Clone()
		if req.Header == nil {
			req.Header = http.Header{}
		}
		all = append(all, c.ValidateExchange(name, req, []byte(in.Request.Body),
			in.Response.Code, in.Response.Headers, []byte(in.Response.Body))...)
		if in.Response.Code == http.StatusOK && IsEventStream(in.Response.Headers.Get("Content-Type")) {
			// The spec has no schema for the stream: each event is checked
			// against its message type's.
			all = append(all, c.ValidateStream(name, in.Request.Method, []byte(in.Response.Body))...)
		}
	}
	return len(cas.Interactions), all, nil
}
