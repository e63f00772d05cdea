package lettatest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const secretKey = "sk-let-SECRET-lettatest-7f3a9c"

func TestAuth(t *testing.T) {
	srv := newServer(t, WithAPIKey(secretKey))
	tests := []struct {
		name       string
		method     string
		path       string
		hdr        http.Header
		wantStatus int
	}{
		{"health is exempt", "GET", "/v1/health/", nil, 200},
		{"no header", "GET", "/v1/identities/", nil, 401},
		{"wrong key", "GET", "/v1/identities/", http.Header{"Authorization": {"Bearer nope"}}, 401},
		{"not bearer", "GET", "/v1/identities/", http.Header{"Authorization": {secretKey}}, 401},
		{"lowercase scheme", "GET", "/v1/identities/", http.Header{"Authorization": {"bearer " + secretKey}}, 401},
		{"right key", "GET", "/v1/identities/", http.Header{"Authorization": {"Bearer " + secretKey}}, 200},
		{"bare password form", "GET", "/v1/agents/count", http.Header{"X-BARE-PASSWORD": {"password " + secretKey}}, 200},
		{"unknown route still 401", "GET", "/v1/nope", nil, 401},
		{"write refused", "POST", "/v1/identities/", nil, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := any(nil)
			if tt.method == "POST" {
				body = map[string]any{"identifier_key": "k", "name": "n", "identity_type": "user"}
			}
			r := call(t, srv, tt.method, tt.path, body, tt.hdr)
			require.Equal(t, tt.wantStatus, r.status, "body: %s", r.body)
			if tt.wantStatus == 401 {
				assert.JSONEq(t, `{"detail":"Unauthorized"}`, string(r.body))
			}
		})
	}
	r := call(t, srv, "GET", "/v1/identities/count", nil, http.Header{"Authorization": {"Bearer " + secretKey}})
	assert.Equal(t, "0", string(r.body), "the refused POST stored nothing")
}

func TestNoAuthByDefault(t *testing.T) {
	srv := newServer(t)
	assert.Equal(t, 200, call(t, srv, "GET", "/v1/identities/", nil).status)
}

func TestBodyLimit(t *testing.T) {
	srv := newServer(t, WithMaxBodyBytes(100))
	big := `{"identifier_key":"k","name":"` + strings.Repeat("x", 200) + `","identity_type":"user"}`
	r := call(t, srv, "POST", "/v1/identities/", big)
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	assert.Equal(t, "0", string(call(t, srv, "GET", "/v1/identities/count", nil).body))

	small := `{"identifier_key":"k","name":"n","identity_type":"user"}`
	assert.Equal(t, 200, call(t, srv, "POST", "/v1/identities/", small).status)
}

func TestDefaultBodyLimit(t *testing.T) {
	srv := newServer(t)
	big := `{"identifier_key":"k","name":"` + strings.Repeat("x", 1<<20) + `","identity_type":"user"}`
	assert.Equal(t, http.StatusRequestEntityTooLarge, call(t, srv, "POST", "/v1/identities/", big).status)
	ok := `{"identifier_key":"k","name":"` + strings.Repeat("x", 1<<19) + `","identity_type":"user"}`
	assert.Equal(t, 200, call(t, srv, "POST", "/v1/identities/", ok).status)
}

func TestMalformedJSONNeverPanics(t *testing.T) {
	srv := newServer(t)
	a := createAgent(t, srv, map[string]any{})
	it := createIdentity(t, srv, "k", nil)
	bodies := []string{"", "{", "}", "[", "null", "true", "1", `"s"`, "[]", "{}", `{"a":}`, "\x00", `{"name":1e999}`,
		`{"identifier_key":{"x":[1,2,{"y":null}]}}`, `{"properties":[null]}`, `{"tags":[null]}`, `{"memory_blocks":[1]}`,
		`{} {}`, `{"secrets":{"k":1}}`, `{"llm_config":[]}`, `{"max_tokens":1.5}`, `{"context_window_limit":"12"}`}
	targets := []struct{ method, path string }{
		{"POST", "/v1/identities/"}, {"PUT", "/v1/identities/"}, {"PATCH", "/v1/identities/" + it["id"].(string)},
		{"PUT", "/v1/identities/" + it["id"].(string) + "/properties"},
		{"POST", "/v1/agents/"}, {"PATCH", "/v1/agents/" + a["id"].(string)},
	}
	for _, tg := range targets {
		for _, b := range bodies {
			r := call(t, srv, tg.method, tg.path, b)
			assert.Less(t, r.status, 500, "%s %s %q -> %d %s", tg.method, tg.path, b, r.status, r.body)
			if r.status == 422 {
				d, isStr := r.obj(t)["detail"].(string)
				assert.True(t, isStr && d != "", "422 detail is a string: %s", r.body)
			}
		}
	}
}

func TestRoutingQuirks(t *testing.T) {
	srv := newServer(t)
	agentPath := "/v1/agents/agent-123e4567-e89b-42d3-8456-426614174000"
	tests := []struct {
		name, method, path string
		wantStatus         int
		wantLocation       string
		wantAllow          string
	}{
		{"missing trailing slash redirects", "GET", "/v1/identities?limit=1", 307, "/v1/identities/?limit=1", ""},
		{"extra trailing slash redirects", "GET", "/v1/agents/count/", 307, "/v1/agents/count", ""},
		{"redirect within the latest mount", "GET", "/latest/identities", 307, "/latest/identities/", ""},
		{"redirect within latest keeps the query", "GET", "/latest/agents/count/?tags=a&tags=b", 307, "/latest/agents/count?tags=a&tags=b", ""},
		{"redirect for a method only the other path has", "POST", "/latest/agents", 307, "/latest/agents/", ""},
		{"unknown route", "GET", "/v1/tools/", 404, "", ""},
		{"wrong method on a collection", "DELETE", "/v1/identities/", 405, "", "GET"},
		{"wrong method on an item", "POST", agentPath, 405, "", "GET"},
		{"wrong method on count", "POST", "/v1/agents/count", 405, "", "GET"},
		{"wrong method on properties", "GET", "/v1/identities/identity-x/properties", 405, "", "PUT"},
		{"HEAD is not GET", "HEAD", "/v1/health/", 405, "", "GET"},
		{"wrong method under latest", "DELETE", "/latest/identities/", 405, "", "GET"},
		{"latest prefix", "GET", "/latest/identities/count", 200, "", ""},
		{"escaped slash splits the id", "GET", "/v1/agents/a%2Fb", 404, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv, tt.method, tt.path, nil)
			require.Equal(t, tt.wantStatus, r.status, "body: %s", r.body)
			assert.Equal(t, tt.wantAllow, r.header.Get("Allow"))
			switch tt.wantStatus {
			case 307:
				assert.Equal(t, srv.URL+tt.wantLocation, r.header.Get("Location"))
				assert.Empty(t, r.body, "a RedirectResponse has no body")
				assert.Empty(t, r.header.Values("Content-Type"), "nor a Content-Type")
				assert.Equal(t, "0", r.header.Get("Content-Length"))
			case 405:
				if tt.method != "HEAD" {
					assert.Equal(t, "Method Not Allowed", r.detail(t))
				}
				assert.Equal(t, "application/json", r.header.Get("Content-Type"))
			}
		})
	}
	assert.Equal(t, "Not Found", call(t, srv, "GET", "/v1/tools/", nil).detail(t))
}

func TestHealth(t *testing.T) {
	srv := newServer(t)
	got := mustOK(t, call(t, srv, "GET", "/v1/health/", nil))
	assert.Equal(t, "ok", got["status"])
	assert.NotEmpty(t, got["version"])
}

func TestUserIDHeader(t *testing.T) {
	srv := newServer(t)
	user := "user-123e4567-e89b-42d3-8456-426614174009"
	got := mustOK(t, call(t, srv, "POST", "/v1/agents/", map[string]any{"model": "openai/x"}, http.Header{"user_id": {user}}))
	assert.Equal(t, user, got["created_by_id"])
	r := call(t, srv, "POST", "/v1/agents/", map[string]any{"model": "openai/x"}, http.Header{"user_id": {"bob"}})
	assert.Equal(t, 400, r.status)
	assert.Contains(t, r.detail(t), "INVALID_ARGUMENT")
	l := call(t, srv, "GET", "/v1/agents/?created_by_id="+user, nil).list(t)
	assert.Equal(t, []string{got["id"].(string)}, ids(t, l))
}

func TestRequestIDHeader(t *testing.T) {
	srv := newServer(t)
	seen := map[string]bool{}
	for _, p := range []string{"/v1/health/", "/v1/identities/", "/v1/nope", "/v1/agents/x"} {
		r := call(t, srv, "GET", p, nil)
		id := r.header.Get("X-Request-Id")
		assert.Regexp(t, `^req-`+uuid4Pattern+`$`, id, p)
		assert.False(t, seen[id], "unique")
		seen[id] = true
	}
}

func TestDeterministicIDs(t *testing.T) {
	run := func(seed int64) []string {
		srv := newServer(t, WithDeterministicIDs(seed))
		var out []string
		it := createIdentity(t, srv, "user_1", nil)
		r := call(t, srv, "POST", "/v1/agents/", map[string]any{"model": "openai/x", "identity_ids": []any{it["id"]}})
		out = append(out, string(r.body), r.header.Get("X-Request-Id"))
		r = call(t, srv, "GET", "/v1/identities/", nil)
		out = append(out, string(r.body), r.header.Get("X-Request-Id"))
		return out
	}
	a, b, c := run(42), run(42), run(43)
	assert.Equal(t, a, b, "same seed, same bytes")
	assert.NotEqual(t, a[0], c[0], "another seed, other ids")

	srv := newServer(t, WithDeterministicIDs(1))
	first := createAgent(t, srv, map[string]any{"name": "a"})
	second := createAgent(t, srv, map[string]any{"name": "b"})
	assert.Equal(t, "2025-01-01T00:00:00Z", first["created_at"])
	// One second per write; a create is two (the agent, then its initial
	// messages, which move the stored updated_at as on the server).
	assert.Equal(t, "2025-01-01T00:00:02Z", second["created_at"], "one second per write")
	call(t, srv, "GET", "/v1/agents/", nil)
	patched := mustOK(t, call(t, srv, "PATCH", "/v1/agents/"+first["id"].(string), map[string]any{"name": "c"}))
	assert.Equal(t, "2025-01-01T00:00:04Z", patched["updated_at"], "reads do not advance the clock")
}

func TestTimestampsIncrease(t *testing.T) {
	srv := newServer(t)
	var prev time.Time
	for range 20 {
		a := createAgent(t, srv, map[string]any{})
		at := ts(t, a["created_at"])
		assert.True(t, at.After(prev), "%v after %v", at, prev)
		prev = at
	}
}

func TestLogger(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(&lockedWriter{w: &buf, mu: &mu}, nil))
	srv := newServer(t, WithLogger(logger), WithAPIKey(secretKey))
	auth := http.Header{"Authorization": {"Bearer " + secretKey}}
	call(t, srv, "GET", "/v1/identities/?name=x", nil, auth)
	call(t, srv, "POST", "/v1/identities/", map[string]any{"identifier_key": "k"}, auth)

	mu.Lock()
	out := buf.String()
	mu.Unlock()
	assert.NotContains(t, out, secretKey)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2, "one line per request")
	var first map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	assert.Equal(t, "GET", first["method"])
	assert.Equal(t, "/v1/identities/", first["path"])
	assert.Equal(t, "name=x", first["query"])
	assert.Equal(t, float64(200), first["status"])
	assert.Contains(t, first, "duration")
	assert.Contains(t, lines[1], `"status":422`)
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestRequestLog(t *testing.T) {
	srv := newServer(t, WithAPIKey(secretKey))
	auth := http.Header{"Authorization": {"Bearer " + secretKey}, "X-Custom": {"v"}}
	call(t, srv, "POST", "/v1/identities/", map[string]any{"identifier_key": "k", "name": "n", "identity_type": "user"}, auth)
	call(t, srv, "GET", "/v1/agents/?tags=a&tags=b", nil, auth)
	call(t, srv, "GET", "/v1/agents/", nil, http.Header{"X-BARE-PASSWORD": {"password " + secretKey}})

	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "POST", reqs[0].Method)
	assert.Equal(t, "/v1/identities/", reqs[0].Path)
	assert.JSONEq(t, `{"identifier_key":"k","name":"n","identity_type":"user"}`, string(reqs[0].Body))
	assert.Equal(t, 200, reqs[0].Status)
	assert.Equal(t, "Bearer [REDACTED]", reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "v", reqs[0].Header.Get("X-Custom"))
	assert.Equal(t, "tags=a&tags=b", reqs[1].RawQuery)
	assert.Equal(t, []string{"a", "b"}, reqs[1].Query["tags"])
	assert.Equal(t, "[REDACTED]", reqs[2].Header.Get("X-Bare-Password"))
	for _, r := range reqs {
		for k, vs := range r.Header {
			for _, v := range vs {
				assert.NotContains(t, v, secretKey, k)
			}
		}
	}

	// Requests returns a copy.
	reqs[0].Header.Set("Authorization", "changed")
	reqs[0].Body[0] = 'X'
	again := srv.Requests()
	assert.Equal(t, "Bearer [REDACTED]", again[0].Header.Get("Authorization"))
	assert.Equal(t, byte('{'), again[0].Body[0])

	// An id escaped into one segment: Path is what the server routes on,
	// EscapedPath what the client sent.
	call(t, srv, "GET", "/v1/identities/a%2Fb%20c", nil, auth)
	last := srv.Requests()[3]
	assert.Equal(t, "/v1/identities/a/b c", last.Path)
	assert.Equal(t, "/v1/identities/a%2Fb%20c", last.EscapedPath)
	assert.Equal(t, "/v1/identities/", reqs[0].EscapedPath)

	srv.ResetRequests()
	assert.Empty(t, srv.Requests())
	call(t, srv, "GET", "/v1/health/", nil)
	require.Len(t, srv.Requests(), 1)
	assert.Equal(t, "/v1/health/", srv.Requests()[0].Path)
}

func TestHandlerMounted(t *testing.T) {
	h := NewHandler(WithDeterministicIDs(3))
	hs := httptest.NewServer(http.StripPrefix("/letta", h))
	defer hs.Close()
	resp, err := http.Post(hs.URL+"/letta/v1/identities/", "application/json",
		strings.NewReader(`{"identifier_key":"k","name":"n","identity_type":"user"}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	require.Len(t, h.Requests(), 1)
	assert.Equal(t, 200, h.Requests()[0].Status)

	// Directly, with a recorder (no network).
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/identities/count", nil))
	assert.Equal(t, "1", rec.Body.String())
	assert.NotEmpty(t, rec.Header().Get("X-Request-Id"))
}

func TestConcurrentUse(t *testing.T) {
	srv := newServer(t)
	it := createIdentity(t, srv, "shared", nil)
	const workers, each = 8, 10
	var wg sync.WaitGroup
	agentIDs := make(chan string, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				a := createAgent(t, srv, map[string]any{"tags": []any{"c"}, "identity_ids": []any{it["id"]}})
				agentIDs <- a["id"].(string)
				call(t, srv, "PATCH", "/v1/identities/"+it["id"].(string), map[string]any{
					"properties": []any{map[string]any{"key": "w" + string(rune('a'+w)), "value": i, "type": "number"}},
				})
				call(t, srv, "GET", "/v1/agents/?tags=c&limit=5", nil)
				call(t, srv, "GET", "/v1/identities/"+it["id"].(string)+"/agents", nil)
				_ = srv.Requests()
				srv.InjectFault(Fault{Path: "/v1/nothing-matches"})
			}
		}()
	}
	wg.Wait()
	close(agentIDs)
	seen := map[string]bool{}
	for id := range agentIDs {
		assert.False(t, seen[id], "ids are unique")
		seen[id] = true
	}
	assert.Equal(t, "80", string(call(t, srv, "GET", "/v1/agents/count?tags=c", nil).body))
	got := mustOK(t, call(t, srv, "GET", "/v1/identities/"+it["id"].(string), nil))
	assert.Len(t, got["properties"], workers, "every worker's key merged")
	assert.Len(t, call(t, srv, "GET", "/v1/identities/"+it["id"].(string)+"/agents?limit=1000", nil).list(t), workers*each)
}

// TestBodyContentType: as FastAPI, a body is read as JSON only without a
// Content-Type or with a JSON one; any other type makes it raw text, which
// fails validation (422) however valid its JSON.
func TestBodyContentType(t *testing.T) {
	body := map[string]any{"identifier_key": "k", "name": "n", "identity_type": "user"}
	tests := []struct {
		contentType string
		wantStatus  int
		wantDetail  string
	}{
		{"application/json", 200, ""},
		{"application/json; charset=utf-8", 200, ""},
		{"application/json;charset=UTF-8", 200, ""},
		{"application/json; charset", 200, ""},
		{`application/json; charset="utf-8`, 200, ""},
		{"application/vnd.letta+json", 200, ""},
		{"", 200, ""},
		{"text/plain", 422, "'model_attributes_type', 'loc': ('body',)"},
		{"application/x-www-form-urlencoded", 422, "'model_attributes_type'"},
	}
	for i, tt := range tests {
		t.Run(tt.contentType, func(t *testing.T) {
			srv := newServer(t)
			b := maps.Clone(body)
			b["identifier_key"] = fmt.Sprint("k", i)
			r := call(t, srv, "POST", "/v1/identities/", b, http.Header{"Content-Type": {tt.contentType}})
			require.Equal(t, tt.wantStatus, r.status, "body: %s", r.body)
			if tt.wantDetail != "" {
				assert.Contains(t, r.detail(t), tt.wantDetail)
			}
		})
	}
	srv := newServer(t)
	it := mustOK(t, call(t, srv, "POST", "/v1/identities/", body))
	r := call(t, srv, "PUT", "/v1/identities/"+it["id"].(string)+"/properties", []any{}, http.Header{"Content-Type": {"text/plain"}})
	require.Equal(t, 422, r.status, "body: %s", r.body)
	assert.Contains(t, r.detail(t), "'list_type'")
}
