package letta_test

// Cassette tests replay recorded HTTP exchanges (go-vcr v3) so that every
// service method is tested against real server answers without a server.
//
//	go test ./...                                  replay testdata/cassettes, no network
//	LETTA_RECORD=1 LETTA_BASE_URL=... go test -run TestCassette .
//	                                               record against a real Letta server (the
//	                                               committed ones: scripts/letta-server)
//	LETTA_RECORD=1 go test -run TestCassette .     record against an in-process lettatest
//
// Recording rewrites the server's address to canonicalBaseURL and keeps only
// an allow-list of headers, so cassettes hold no credentials and replay
// against a fixed base URL; it makes the server's ids and timestamps stable
// (cassette_stable_test.go), so re-recording gives the same files.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/dnaeon/go-vcr.v3/cassette"
	"gopkg.in/dnaeon/go-vcr.v3/recorder"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/lettatest"
)

const (
	// recordEnv switches the cassette tests from replaying to recording.
	recordEnv = "LETTA_RECORD"
	// cassetteDir holds one YAML file per test (subtests in subdirectories).
	cassetteDir = "testdata/cassettes"
	// canonicalBaseURL replaces the recording server's address in cassettes;
	// replays send their requests there (nothing listens: the recorder
	// answers).
	canonicalBaseURL = "http://letta.test"
	canonicalHost    = "letta.test"
	// replayAPIKey is sent during replays so the client behaves as it does
	// with a key (it never reaches a cassette: replays do not save).
	replayAPIKey = "replay-dummy-key"
	// lettatestRecordKey protects the in-process recording server, so that
	// recordings exercise the Authorization header that the recorder must
	// drop. cassettes_test.go fails if it ever reaches a cassette.
	lettatestRecordKey = "sk-lettatest-record-9b2e4f-never-in-cassettes"
	// lettatestSeed makes lettatest's ids, timestamps and request ids a fixed
	// sequence, so re-recording produces byte-identical cassettes.
	lettatestSeed = 20250101
	// redactedValue replaces any secret found in a recording.
	redactedValue = "[REDACTED]"
)

// Headers kept in cassettes. Everything else (Authorization, Cookie,
// X-Project*, Date, rate-limit and tracing headers) is dropped, so a header
// a server adds later cannot leak by default.
var (
	keptRequestHeaders = []string{
		"Accept", "Content-Type", "User-Agent",
		"X-Stainless-Package-Version", "X-Stainless-Retry-Count",
	}
	keptResponseHeaders = []string{
		"Content-Type", "X-Request-Id", "Retry-After", "Retry-After-Ms", "X-Should-Retry", "Location",
	}
)

// recording is a client wired to a cassette, with the log of every HTTP
// attempt it made (retries included).
type recording struct {
	client *letta.Client
	log    *attemptLog
}

// newRecordedClient returns a client whose every attempt goes through a
// go-vcr recorder on testdata/cassettes/<t.Name()>.yaml. See the file comment
// for the modes. opts come last and override the defaults.
func newRecordedClient(t *testing.T, opts ...letta.Option) *letta.Client {
	t.Helper()
	return newRecording(t, opts...).client
}

// newRecording is newRecordedClient that also returns the attempt log, for
// tests that assert how many requests a call made.
func newRecording(t *testing.T, opts ...letta.Option) *recording {
	t.Helper()
	name := filepath.Join(cassetteDir, filepath.FromSlash(t.Name()))
	if os.Getenv(recordEnv) == "1" {
		return startRecording(t, name, opts)
	}
	return startReplay(t, name, opts)
}

// testClientOptions are shared by both modes: short retry waits keep the
// retry policy active (a retried request shows up as an extra interaction)
// without slowing tests down, and log output stays out of test output.
func testClientOptions(hc *http.Client) []letta.Option {
	return []letta.Option{
		letta.WithHTTPClient(hc),
		letta.WithRetryWait(time.Millisecond, 5*time.Millisecond),
		letta.WithTimeout(30 * time.Second),
		letta.WithLogger(slog.New(slog.DiscardHandler)),
	}
}

func startReplay(t *testing.T, name string, opts []letta.Option) *recording {
	t.Helper()
	rec, err := recorder.NewWithOptions(&recorder.Options{
		CassetteName:       name,
		Mode:               recorder.ModeReplayOnly,
		SkipRequestLatency: true,
		// Replays never reach it; a transport that fails proves that.
		RealTransport: failingTransport{},
	})
	if errors.Is(err, cassette.ErrCassetteNotFound) {
		t.Fatalf("no cassette %s.yaml: record it with\n\t%s=1 go test -run '%s' .\n(against lettatest, or set LETTA_BASE_URL and LETTA_API_KEY to record against Letta)",
			name, recordEnv, runPattern(t.Name()))
	}
	require.NoError(t, err, "loading cassette %s", name)
	rec.SetMatcher(matchRequest)

	// Each interaction must be replayed: a test or SDK change that skips a
	// recorded call is as much a regression as one that adds a call.
	rec.AddHook(func(i *cassette.Interaction) error {
		if !i.WasReplayed() {
			t.Errorf("cassette %s: interaction %d (%s %s) was never requested; re-record with %s=1 go test -run '%s' .",
				name, i.ID, i.Request.Method, i.Request.URL, recordEnv, runPattern(t.Name()))
		}
		return nil
	}, recorder.OnRecorderStopHook)

	log := &attemptLog{next: rec, t: t, cassette: name, replay: true}
	hc := &http.Client{Transport: log}
	base := append(testClientOptions(hc), letta.WithBaseURL(canonicalBaseURL), letta.WithAPIKey(replayAPIKey))
	client, err := letta.NewClient(append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, rec.Stop()) })
	return &recording{client: client, log: log}
}

func startRecording(t *testing.T, name string, opts []letta.Option) *recording {
	t.Helper()
	transport := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(transport.CloseIdleConnections)

	rec, err := recorder.NewWithOptions(&recorder.Options{
		CassetteName:       name,
		Mode:               recorder.ModeRecordOnly,
		SkipRequestLatency: true,
		RealTransport:      transport,
	})
	require.NoError(t, err)
	log := &attemptLog{next: rec, t: t, cassette: name}
	hc := &http.Client{Transport: log}
	base := testClientOptions(hc)

	var client *letta.Client
	secrets := []string{lettatestRecordKey}
	if os.Getenv(letta.EnvBaseURL) != "" || os.Getenv(letta.EnvAPIKey) != "" {
		// A real server: the environment supplies base URL, key and custom
		// headers (e.g. X-Project); explicit options still win.
		if key := os.Getenv(letta.EnvAPIKey); key != "" {
			secrets = append(secrets, key)
		}
		client, err = letta.NewClientFromEnv(append(base, opts...)...)
	} else {
		srv := lettatest.NewServer(lettatest.WithDeterministicIDs(lettatestSeed), lettatest.WithAPIKey(lettatestRecordKey))
		t.Cleanup(srv.Close)
		base = append(base, letta.WithBaseURL(srv.URL), letta.WithAPIKey(lettatestRecordKey))
		client, err = letta.NewClient(append(base, opts...)...)
	}
	require.NoError(t, err)

	scrub, err := newScrubber(client.BaseURL(), secrets)
	require.NoError(t, err)
	// BeforeSaveHook, not AfterCaptureHook: go-vcr stores the live request's
	// header map, which the SDK may still be using during a capture hook.
	rec.AddHook(scrub.interaction, recorder.BeforeSaveHook)
	// Then the server's random ids and wall-clock timestamps become stable
	// ones (cassette_stable_test.go); the capture hook only keeps a pointer.
	stable := &stabiliser{}
	rec.AddHook(stable.capture, recorder.AfterCaptureHook)
	rec.AddHook(stable.rewrite, recorder.BeforeSaveHook)
	// Registered after the server's Close, so it runs before it; tests
	// register their deletions later still, so those run (and are recorded)
	// before the cassette is saved.
	t.Cleanup(func() { require.NoError(t, rec.Stop(), "saving cassette %s", name) })
	return &recording{client: client, log: log}
}

// runPattern is a go test -run pattern selecting exactly the named (sub)test.
func runPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + p + "$"
	}
	return strings.Join(parts, "/")
}

// failingTransport stands in for the network during replays.
type failingTransport struct{}

func (failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("replay must not reach the network (%s %s)", r.Method, r.URL)
}

// attempt is one HTTP request the client sent.
type attempt struct {
	Method string
	Path   string
	Query  url.Values
}

// attemptLog sits between the SDK and the recorder and logs every attempt.
// During replays it also turns "no matching interaction" into a test error
// that says what was requested (the SDK would otherwise report it as a
// connection failure).
type attemptLog struct {
	next     http.RoundTripper
	t        *testing.T
	cassette string
	replay   bool

	mu       sync.Mutex
	attempts []attempt
}

func (l *attemptLog) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	l.attempts = append(l.attempts, attempt{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query()})
	l.mu.Unlock()
	resp, err := l.next.RoundTrip(r)
	if l.replay && errors.Is(err, cassette.ErrInteractionNotFound) {
		// The matcher restores the body after each comparison, so it can
		// still be read here.
		body, _ := readAndRestoreBody(r)
		l.t.Errorf("cassette %s has no unused interaction for %s %s %s\nthe SDK's request changed, or the test did: re-record with %s=1 go test -run '%s' .",
			l.cassette, r.Method, r.URL, bytes.TrimSpace(body), recordEnv, runPattern(l.t.Name()))
	}
	return resp, err
}

// Len is the number of attempts so far.
func (l *attemptLog) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.attempts)
}

// Since returns the attempts made after the first n.
func (l *attemptLog) Since(n int) []attempt {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]attempt(nil), l.attempts[n:]...)
}

// matchRequest matches a live request to a recorded one by method, scheme,
// host, path, query (as parsed values, so key order does not matter but
// each key's values and their order do) and body (JSON-equal when both are
// JSON, byte-equal otherwise; empty matches only empty). A change in what
// the SDK sends therefore fails the replay.
func matchRequest(r *http.Request, rec cassette.Request) bool {
	if r.Method != rec.Method {
		return false
	}
	ru, err := url.Parse(rec.URL)
	if err != nil {
		return false
	}
	if r.URL.Scheme != ru.Scheme || r.URL.Host != ru.Host || r.URL.EscapedPath() != ru.EscapedPath() {
		return false
	}
	if !reflect.DeepEqual(r.URL.Query(), ru.Query()) {
		return false
	}
	body, err := readAndRestoreBody(r)
	if err != nil {
		return false
	}
	return bodiesEqual(body, []byte(rec.Body))
}

func readAndRestoreBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, err
}

func bodiesEqual(a, b []byte) bool {
	a, b = bytes.TrimSpace(a), bytes.TrimSpace(b)
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	va, errA := decodeJSON(a)
	vb, errB := decodeJSON(b)
	if errA != nil || errB != nil {
		return bytes.Equal(a, b)
	}
	return reflect.DeepEqual(va, vb)
}

// decodeJSON keeps numbers as written, so 1 and 1.0 differ as they do on
// the wire.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data")
	}
	return v, nil
}

// scrubber makes a captured interaction safe and stable to commit.
type scrubber struct {
	replacer *strings.Replacer
}

// newScrubber rewrites the recording server's base URL (and bare host) to
// the canonical one and every secret to a placeholder.
func newScrubber(baseURL string, secrets []string) (*scrubber, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, err
	}
	var pairs []string
	for _, s := range secrets {
		if s != "" {
			pairs = append(pairs, s, redactedValue)
		}
	}
	// strings.Replacer prefers earlier pairs at the same position, so the
	// full base URL (with any path prefix) wins over the bare host.
	pairs = append(pairs, strings.TrimRight(baseURL, "/"), canonicalBaseURL, u.Host, canonicalHost)
	if h := u.Hostname(); h != u.Host {
		pairs = append(pairs, h, canonicalHost)
	}
	return &scrubber{replacer: strings.NewReplacer(pairs...)}, nil
}

func (s *scrubber) interaction(i *cassette.Interaction) error {
	if i.Response.Code == http.StatusTooManyRequests {
		// The client retried; the replay should see the clean outcome only.
		i.DiscardOnSave = true
	}
	rq, rs := &i.Request, &i.Response

	rq.URL = s.replacer.Replace(rq.URL)
	rq.Host = s.replacer.Replace(rq.Host)
	rq.RequestURI = s.replacer.Replace(rq.RequestURI)
	rq.RemoteAddr = ""
	rq.Body = s.replacer.Replace(rq.Body)
	if rq.ContentLength > 0 {
		rq.ContentLength = int64(len(rq.Body))
	}
	rq.Form = nil // JSON bodies never have a form; a stale copy could leak
	rq.Headers = s.keep(rq.Headers, keptRequestHeaders)
	rq.Trailer = nil

	rs.Body = s.replacer.Replace(rs.Body)
	if rs.ContentLength >= 0 {
		rs.ContentLength = int64(len(rs.Body))
	}
	rs.Headers = s.keep(rs.Headers, keptResponseHeaders)
	rs.Trailer = nil
	// Timing varies per run and replays skip it anyway.
	rs.Duration = 0
	return nil
}

// keep returns a new header map with only the allowed names, each value
// scrubbed; the captured map (shared with the live request) is untouched.
func (s *scrubber) keep(h http.Header, allowed []string) http.Header {
	out := http.Header{}
	for _, name := range allowed {
		for _, v := range h.Values(name) {
			out.Add(name, s.replacer.Replace(v))
		}
	}
	return out
}

// Fixtures shared by the cassette tests: the free model and embedding every
// Letta server lists, including one with no provider key (as
// scripts/letta-server runs it); lettatest accepts any provider/name handle.
const (
	testModel     = "letta/letta-free"
	testEmbedding = "letta/letta-free"
	// testTool is a tool every server has (one of its base tools).
	testTool = "conversation_search"
)

// testKey returns a name unique to the running test, for identifier keys,
// names and tags: stable across runs (so replays match) and distinct
// between tests (so recordings against a shared server do not collide).
// Agent names must match ^[\w '\-]+$, so other characters become '-'.
func testKey(t *testing.T, suffix string) string {
	name := strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') {
			return r
		}
		return '-'
	}, t.Name())
	return name + "-" + suffix
}

// cleanupContext bounds a deletion run from t.Cleanup (t.Context() is
// already cancelled there).
func cleanupContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// createIdentity creates an identity and deletes it when the test ends
// (unless the test deleted it itself).
func createIdentity(t *testing.T, c *letta.Client, params *letta.IdentityCreateParams) *letta.Identity {
	t.Helper()
	id, err := c.Identities.Create(t.Context(), params)
	require.NoError(t, err, "creating identity %q", params.IdentifierKey)
	deleteIdentityAtEnd(t, c, id.ID)
	return id
}

func deleteIdentityAtEnd(t *testing.T, c *letta.Client, id string) {
	t.Cleanup(func() {
		if err := c.Identities.Delete(cleanupContext(t), id); err != nil && !errors.Is(err, letta.ErrNotFound) {
			t.Errorf("cleanup: deleting identity %s: %v", id, err)
		}
	})
}

// createAgent creates an agent (with the test model and embedding, and the
// one tool testTool, unless params sets them) and deletes it when the test
// ends.
func createAgent(t *testing.T, c *letta.Client, params *letta.AgentCreateParams) *letta.AgentState {
	t.Helper()
	p := *params
	if p.Model == nil {
		p.Model = letta.Ptr(testModel)
	}
	if p.Embedding == nil {
		p.Embedding = letta.Ptr(testEmbedding)
	}
	if p.Tools == nil && p.ToolIDs == nil && p.IncludeBaseTools == nil {
		// Not the base tools: letta 0.16.8 returns an agent's tools in an
		// order that follows their random ids, so recordings made on two
		// server runs would differ. One tool still puts a real Tool in
		// every agent.
		p.IncludeBaseTools = letta.Ptr(false)
		p.Tools = []string{testTool}
	}
	a, err := c.Agents.Create(t.Context(), &p)
	require.NoError(t, err, "creating agent")
	t.Cleanup(func() {
		if err := c.Agents.Delete(cleanupContext(t), a.ID); err != nil && !errors.Is(err, letta.ErrNotFound) {
			t.Errorf("cleanup: deleting agent %s: %v", a.ID, err)
		}
	})
	return a
}

func agentIDs(agents []letta.AgentState) []string {
	out := make([]string, len(agents))
	for i, a := range agents {
		out[i] = a.ID
	}
	return out
}

func identityIDs(ids []letta.Identity) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.ID
	}
	return out
}

func blockIDs(blocks []letta.Block) []string {
	out := make([]string, len(blocks))
	for i, b := range blocks {
		out[i] = b.ID
	}
	return out
}

// collect drains an iterator, failing the test on an error.
func collect[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// propertyMap maps each property key to "type=<compact JSON value>", so
// properties compare by meaning regardless of order or JSON spacing.
func propertyMap(t *testing.T, props []letta.IdentityProperty) map[string]string {
	t.Helper()
	out := make(map[string]string, len(props))
	for _, p := range props {
		var buf bytes.Buffer
		require.NoError(t, json.Compact(&buf, p.Value), "property %q", p.Key)
		_, dup := out[p.Key]
		require.False(t, dup, "property %q appears twice", p.Key)
		out[p.Key] = string(p.Type) + "=" + buf.String()
	}
	return out
}

// listPages returns the list requests (GET on path) among attempts, and
// checks that each asked for the given page size.
func listPages(t *testing.T, attempts []attempt, path string, limit string) int {
	t.Helper()
	n := 0
	for _, a := range attempts {
		if a.Method == http.MethodGet && a.Path == path {
			n++
			assert.Equal(t, limit, a.Query.Get("limit"), "page request %v", a.Query)
		}
	}
	return n
}

// TestMatchRequest checks the replay matcher itself: a request the SDK
// sends differently from the recording must not match.
func TestMatchRequest(t *testing.T) {
	recorded := cassette.Request{
		Method: http.MethodPost,
		URL:    canonicalBaseURL + "/v1/agents/?tags=a&tags=b&limit=2",
		Body:   `{"name":"x","tags":["a"],"context_window_limit":16000}`,
	}
	tests := []struct {
		name   string
		method string
		url    string
		body   string
		want   bool
	}{
		{"identical", "POST", "/v1/agents/?tags=a&tags=b&limit=2", `{"name":"x","tags":["a"],"context_window_limit":16000}`, true},
		{"keys reordered, JSON respaced", "POST", "/v1/agents/?limit=2&tags=a&tags=b", ` { "tags": ["a"], "context_window_limit": 16000, "name": "x" }`, true},
		{"other method", "PATCH", "/v1/agents/?tags=a&tags=b&limit=2", `{"name":"x","tags":["a"],"context_window_limit":16000}`, false},
		{"other path", "POST", "/v1/agents?tags=a&tags=b&limit=2", `{"name":"x","tags":["a"],"context_window_limit":16000}`, false},
		{"repeated values reordered", "POST", "/v1/agents/?tags=b&tags=a&limit=2", `{"name":"x","tags":["a"],"context_window_limit":16000}`, false},
		{"comma instead of repeated keys", "POST", "/v1/agents/?tags=a,b&limit=2", `{"name":"x","tags":["a"],"context_window_limit":16000}`, false},
		{"extra query key", "POST", "/v1/agents/?tags=a&tags=b&limit=2&order=asc", `{"name":"x","tags":["a"],"context_window_limit":16000}`, false},
		{"extra body field", "POST", "/v1/agents/?tags=a&tags=b&limit=2", `{"name":"x","tags":["a"],"context_window_limit":16000,"description":null}`, false},
		{"empty list instead of a value", "POST", "/v1/agents/?tags=a&tags=b&limit=2", `{"name":"x","tags":[],"context_window_limit":16000}`, false},
		{"number written differently", "POST", "/v1/agents/?tags=a&tags=b&limit=2", `{"name":"x","tags":["a"],"context_window_limit":16000.0}`, false},
		{"no body", "POST", "/v1/agents/?tags=a&tags=b&limit=2", ``, false},
		{"other host", "POST", "http://other.test/v1/agents/?tags=a&tags=b&limit=2", `{"name":"x","tags":["a"],"context_window_limit":16000}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.url
			if strings.HasPrefix(u, "/") {
				u = canonicalBaseURL + u
			}
			var body io.Reader = http.NoBody
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			r, err := http.NewRequest(tt.method, u, body)
			require.NoError(t, err)
			assert.Equal(t, tt.want, matchRequest(r, recorded))
			// The body is still there for the next comparison.
			rest, err := io.ReadAll(r.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.body, string(rest))
		})
	}

	t.Run("empty matches empty", func(t *testing.T) {
		r, err := http.NewRequest(http.MethodGet, canonicalBaseURL+"/v1/agents/count", http.NoBody)
		require.NoError(t, err)
		assert.True(t, matchRequest(r, cassette.Request{Method: "GET", URL: canonicalBaseURL + "/v1/agents/count"}))
		assert.False(t, matchRequest(r, cassette.Request{Method: "GET", URL: canonicalBaseURL + "/v1/agents/count", Body: "{}"}))
	})
}

// TestScrubber checks that a captured interaction loses its credentials and
// the recording address, and keeps what replays and readers need.
func TestScrubber(t *testing.T) {
	const key = "sk-let-real-key-123"
	s, err := newScrubber("http://127.0.0.1:40123", []string{key, lettatestRecordKey})
	require.NoError(t, err)
	liveHeaders := http.Header{
		"Authorization":               {"Bearer " + key},
		"Cookie":                      {"session=abc"},
		"X-Project-Id":                {"proj-1"},
		"User-Agent":                  {"letta-go/" + letta.Version},
		"X-Stainless-Package-Version": {letta.Version},
		"Content-Type":                {"application/json"},
	}
	in := &cassette.Interaction{
		Request: cassette.Request{
			Method: "POST", URL: "http://127.0.0.1:40123/v1/identities/", Host: "127.0.0.1:40123",
			Body: `{"name":"` + key + `"}`, ContentLength: 29, Headers: liveHeaders,
			Form: url.Values{"x": {key}},
		},
		Response: cassette.Response{
			Code: 200, Body: `{"self":"http://127.0.0.1:40123/v1/identities/x"}`, ContentLength: 48, Duration: time.Second,
			Headers: http.Header{"Set-Cookie": {"a=b"}, "X-Request-Id": {"req-1"}, "Date": {"today"}, "Content-Type": {"application/json"}},
		},
	}
	require.NoError(t, s.interaction(in))

	assert.Equal(t, canonicalBaseURL+"/v1/identities/", in.Request.URL)
	assert.Equal(t, canonicalHost, in.Request.Host)
	assert.Equal(t, `{"name":"[REDACTED]"}`, in.Request.Body)
	assert.Equal(t, int64(len(in.Request.Body)), in.Request.ContentLength)
	assert.Empty(t, in.Request.Form)
	assert.Equal(t, http.Header{
		"Content-Type": {"application/json"}, "User-Agent": {"letta-go/" + letta.Version},
		"X-Stainless-Package-Version": {letta.Version},
	}, in.Request.Headers)
	assert.Equal(t, `{"self":"http://letta.test/v1/identities/x"}`, in.Response.Body)
	assert.Equal(t, int64(len(in.Response.Body)), in.Response.ContentLength)
	assert.Equal(t, http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"req-1"}}, in.Response.Headers)
	assert.Zero(t, in.Response.Duration)
	assert.False(t, in.DiscardOnSave)
	// The live request's header map is not touched.
	assert.Equal(t, "Bearer "+key, liveHeaders.Get("Authorization"))

	limited := &cassette.Interaction{Response: cassette.Response{Code: http.StatusTooManyRequests}}
	require.NoError(t, s.interaction(limited))
	assert.True(t, limited.DiscardOnSave, "a 429 the client retried is left out")
}
