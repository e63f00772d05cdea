package letta_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/dnaeon/go-vcr.v3/cassette"

	"github.com/letta-go/letta"
)

// cassetteFiles returns every cassette under cassetteDir, relative to it
// and without the .yaml suffix (the name newRecordedClient gives it).
func cassetteFiles(t *testing.T) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(cassetteDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(cassetteDir, path)
		if err != nil {
			return err
		}
		if rel == "README.md" {
			return nil // where the cassettes come from
		}
		if !strings.HasSuffix(rel, ".yaml") {
			t.Errorf("%s: only .yaml cassettes belong in %s", path, cassetteDir)
			return nil
		}
		names = append(names, filepath.ToSlash(strings.TrimSuffix(rel, ".yaml")))
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, names, "%s holds no cassettes; record them with %s=1 go test -run TestCassette .", cassetteDir, recordEnv)
	return names
}

// TestCassettesHoldNoSecrets fails if a committed cassette holds a
// credential, a credential-bearing header, or the recording server's real
// address.
func TestCassettesHoldNoSecrets(t *testing.T) {
	secrets := map[string]string{
		"the lettatest recording key": lettatestRecordKey,
		"the replay key":              replayAPIKey,
	}
	if key := os.Getenv(letta.EnvAPIKey); key != "" {
		secrets["the value of "+letta.EnvAPIKey] = key
	}
	forbiddenHeaders := []string{"Authorization", "Cookie", "Set-Cookie", "X-Project", "X-Project-Id", "X-Bare-Password", "Proxy-Authorization"}

	for _, name := range cassetteFiles(t) {
		file := filepath.Join(cassetteDir, filepath.FromSlash(name)) + ".yaml"
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		lower := bytes.ToLower(raw)

		assert.NotContains(t, string(lower), "bearer ", "%s holds a bearer token", file)
		for what, s := range secrets {
			assert.False(t, bytes.Contains(raw, []byte(s)), "%s holds %s", file, what)
		}
		for _, h := range forbiddenHeaders {
			assert.NotContains(t, string(lower), strings.ToLower(h)+":", "%s holds a %s header", file, h)
		}
		for _, addr := range []string{"127.0.0.1", "localhost", "[::1]"} {
			assert.NotContains(t, string(lower), addr, "%s holds the recording server's address", file)
		}

		// The parsed view too: header names are case-insensitive and YAML
		// can quote or fold them.
		c, err := cassette.Load(strings.TrimSuffix(file, ".yaml"))
		require.NoError(t, err, file)
		assert.NotEmpty(t, c.Interactions, "%s has no interactions", file)
		for _, in := range c.Interactions {
			for _, hdr := range []http.Header{in.Request.Headers, in.Response.Headers} {
				for _, h := range forbiddenHeaders {
					assert.Empty(t, hdr.Values(h), "%s interaction %d has a %s header", file, in.ID, h)
				}
			}
			u, err := url.Parse(in.Request.URL)
			if assert.NoError(t, err, file) {
				assert.Equal(t, canonicalHost, u.Host, "%s interaction %d: URL not rewritten to the canonical host", file, in.ID)
			}
		}
	}
}

// TestCassettesBelongToTests fails on a cassette no test replays: its
// first path element must name a test or example function of this package and, for a
// subtest cassette, the rest must appear as a string literal in that
// function (the t.Run name).
func TestCassettesBelongToTests(t *testing.T) {
	literals := testFunctionLiterals(t)
	for _, name := range cassetteFiles(t) {
		parts := strings.Split(name, "/")
		lits, ok := literals[parts[0]]
		if !assert.True(t, ok, "cassette %s.yaml: no test function %s in this package", name, parts[0]) {
			continue
		}
		for _, sub := range parts[1:] {
			assert.True(t, lits[sub], "cassette %s.yaml: %s does not run a subtest named %q", name, parts[0], sub)
		}
		if len(parts) > 2 {
			t.Errorf("cassette %s.yaml: nested subtests are not used by these tests", name)
		}
	}
}

// testFunctionLiterals maps each Test function of the package's test files
// to the string literals in its body, with spaces made underscores as
// t.Name() does.
func testFunctionLiterals(t *testing.T) map[string]map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*_test.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	out := map[string]map[string]bool{}
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		require.NoError(t, err, f)
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Body == nil {
				continue
			}
			// Examples replay cassettes too (example_messages_test.go).
			if !strings.HasPrefix(fn.Name.Name, "Test") && !strings.HasPrefix(fn.Name.Name, "Example") {
				continue
			}
			lits := map[string]bool{}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
					if s, err := strconv.Unquote(bl.Value); err == nil {
						lits[strings.ReplaceAll(s, " ", "_")] = true
					}
				}
				return true
			})
			out[fn.Name.Name] = lits
		}
	}
	return out
}
