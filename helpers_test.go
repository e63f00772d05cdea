package letta

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testAPIKey is distinctive so that tests can grep output for it.
const testAPIKey = "sk-let-SECRET-7f3a9c-do-not-print"

// recorded is one request as the test server saw it.
type recorded struct {
	Method  string
	Path    string // escaped, as sent on the wire
	Query   url.Values
	RawQ    string
	Header  http.Header
	Body    []byte
	HasBody bool
}

// testServer records every request and answers with handle(w, r, n), where
// n is the 0-based index of the request.
type testServer struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []recorded
	handle func(w http.ResponseWriter, r *http.Request, n int)
}

func newTestServer(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) *testServer {
	t.Helper()
	s := &testServer{handle: handle}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		path, rawQ, _ := strings.Cut(r.RequestURI, "?")
		s.mu.Lock()
		n := len(s.reqs)
		s.reqs = append(s.reqs, recorded{
			Method: r.Method, Path: path, Query: r.URL.Query(), RawQ: rawQ,
			Header: r.Header.Clone(), Body: body, HasBody: r.ContentLength > 0 || len(body) > 0,
		})
		s.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.handle(w, r, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *testServer) requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.reqs...)
}

func (s *testServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// newTestClient points a client at s with a path prefix (so absolute paths
// would show), short retry waits, and no logging.
func newTestClient(t *testing.T, s *testServer, opts ...Option) *Client {
	t.Helper()
	base := []Option{
		WithBaseURL(s.URL + "/prefix"),
		WithRetryWait(time.Millisecond, 5*time.Millisecond),
		WithLogger(nil),
	}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// reply writes a JSON (or any) body with a status and extra headers
// ("Name: value" pairs).
func reply(w http.ResponseWriter, status int, body string, headers ...string) {
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ":")
		w.Header().Set(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

const identityJSON = `{"id":"identity-1","identifier_key":"user_1","name":"Caren","identity_type":"user",` +
	`"project_id":null,"agent_ids":[],"block_ids":[],"organization_id":"org-1","properties":[]}`

const agentJSON = `{"id":"agent-1","name":"a","system":"s","agent_type":"letta_v1_agent","tags":[]}`

// logBuffer is a slog handler target safe for concurrent writes.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func debugLogger(b *logBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// signalHandler is a slog.Handler that reports records to a func, so a
// test can act at a precise point of the pipeline (e.g. the start of a
// backoff wait) without sleeping.
type signalHandler struct {
	onRecord func(slog.Record)
}

func (h signalHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h signalHandler) Handle(_ context.Context, r slog.Record) error {
	h.onRecord(r)
	return nil
}
func (h signalHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h signalHandler) WithGroup(string) slog.Handler      { return h }

func validCreate() *IdentityCreateParams {
	return &IdentityCreateParams{IdentifierKey: "user_1", Name: "Caren", IdentityType: IdentityTypeUser}
}
