package lettatest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// currentUA makes the server treat the test client as a 1.x SDK, so that
// relationships load only via include=.
var currentUA = http.Header{"X-Stainless-Package-Version": {"1.0.0"}, "User-Agent": {"lettatest-tests/1.0"}}

// legacyUA is a non-SDK client: every relationship is loaded.
var legacyUA = http.Header{"User-Agent": {"curl/8.0"}}

type result struct {
	status int
	body   []byte
	header http.Header
}

// json decodes the body into a generic value.
func (r result) json(t *testing.T) any {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&v), "body: %s", r.body)
	return v
}

func (r result) obj(t *testing.T) map[string]any {
	t.Helper()
	m, ok := r.json(t).(map[string]any)
	require.True(t, ok, "want an object, got %s", r.body)
	return m
}

func (r result) list(t *testing.T) []any {
	t.Helper()
	l, ok := r.json(t).([]any)
	require.True(t, ok, "want an array, got %s", r.body)
	return l
}

// detail returns the "detail" string of an error body.
func (r result) detail(t *testing.T) string {
	t.Helper()
	d, ok := r.obj(t)["detail"].(string)
	require.True(t, ok, "want a string detail, got %s", r.body)
	return d
}

// call sends a request with plain net/http. body may be nil, a string or
// []byte (sent raw), or anything else (sent as JSON).
func call(t *testing.T, srv *Server, method, path string, body any, hdrs ...http.Header) result {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		require.NoError(t, err)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	require.NoError(t, err)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range hdrs {
		for k, vs := range h {
			req.Header[http.CanonicalHeaderKey(k)] = vs
		}
	}
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return result{status: resp.StatusCode, body: raw, header: resp.Header}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// newServer starts a server closed at the end of the test.
func newServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	srv := NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// mustOK requires a 200 and returns the decoded object.
func mustOK(t *testing.T, r result) map[string]any {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	return r.obj(t)
}

func createIdentity(t *testing.T, srv *Server, key string, extra map[string]any) map[string]any {
	t.Helper()
	body := map[string]any{"identifier_key": key, "name": "Name " + key, "identity_type": "user"}
	for k, v := range extra {
		body[k] = v
	}
	return mustOK(t, call(t, srv, "POST", "/v1/identities/", body))
}

func createAgent(t *testing.T, srv *Server, body map[string]any) map[string]any {
	t.Helper()
	if _, has := body["model"]; !has {
		body["model"] = "openai/gpt-4o-mini"
	}
	return mustOK(t, call(t, srv, "POST", "/v1/agents/", body))
}

// ids returns the "id" of each object of a list response.
func ids(t *testing.T, l []any) []string {
	t.Helper()
	out := make([]string, len(l))
	for i, e := range l {
		out[i] = e.(map[string]any)["id"].(string)
	}
	return out
}

func strs(l any) []string {
	arr, _ := l.([]any)
	out := make([]string, len(arr))
	for i, e := range arr {
		out[i], _ = e.(string)
	}
	return out
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// ts parses a timestamp of a response. Comparing the strings would be
// wrong: trailing zeros of the fraction are dropped, so ".763Z" is earlier
// than ".763141Z" but sorts after it.
func ts(t *testing.T, v any) time.Time {
	t.Helper()
	s, ok := v.(string)
	require.True(t, ok, "timestamp %v", v)
	parsed, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	return parsed
}
