package letta

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta/lettatest"
)

func TestAPIErrorSentinels(t *testing.T) {
	all := []error{ErrBadRequest, ErrUnauthorized, ErrPermissionDenied, ErrNotFound, ErrConflict,
		ErrUnprocessable, ErrRateLimited, ErrServer}
	tests := []struct {
		status int
		want   error
	}{
		{400, ErrBadRequest},
		{401, ErrUnauthorized},
		{403, ErrPermissionDenied},
		{404, ErrNotFound},
		{409, ErrConflict},
		{422, ErrUnprocessable},
		{429, ErrRateLimited},
		{500, ErrServer},
		{502, ErrServer},
		{503, ErrServer},
		{599, ErrServer},
		{418, nil},
		{402, nil},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				reply(w, tt.status, `{"detail":"boom"}`)
			})
			c := newTestClient(t, srv, WithMaxRetries(0))
			_, err := c.Identities.Get(t.Context(), "identity-1")
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			for _, s := range all {
				assert.Equal(t, s == tt.want, errors.Is(err, s), "%v", s)
			}
			assert.False(t, errors.Is(err, ErrInvalidParam))
		})
	}
}

func TestAPIErrorFields(t *testing.T) {
	const reprDetail = `[{'type': 'string_pattern_mismatch', 'loc': ('path', 'identity_id'), ` +
		`'msg': "String should match pattern 'identity-{uuid4}'", 'input': 'bad', ` +
		`'ctx': {'pattern': '^identity-[0-9a-f]{8}$'}}]`
	reprBody, err := json.Marshal(map[string]any{
		"trace_id": "trace-9", "detail": reprDetail,
		"examples": []string{"identity-123e4567-e89b-42d3-8456-426614174000"},
	})
	require.NoError(t, err)

	tests := []struct {
		name        string
		status      int
		body        string
		headers     []string
		wantDetail  string
		wantItems   []ValidationItem
		wantTrace   string
		wantExample []string
		wantError   string
	}{
		{
			name: "string detail", status: 404, body: `{"detail":"Identity not found"}`,
			headers:    []string{"X-Request-Id: req-123"},
			wantDetail: "Identity not found",
			wantError:  "letta: POST /prefix/v1/identities/: 404 Not Found: Identity not found (request id req-123)",
		},
		{
			name: "duplicate key conflict", status: 409,
			body:       `{"detail":"UniqueConstraintViolationError: identity already exists"}`,
			headers:    []string{"Request-Id: r-2"},
			wantDetail: "UniqueConstraintViolationError: identity already exists",
			wantError:  "letta: POST /prefix/v1/identities/: 409 Conflict: UniqueConstraintViolationError: identity already exists (request id r-2)",
		},
		{
			name: "server 422 with Python repr detail", status: 422, body: string(reprBody),
			wantDetail: "path.identity_id: String should match pattern 'identity-{uuid4}'",
			wantItems: []ValidationItem{{Loc: []string{"path", "identity_id"},
				Msg: "String should match pattern 'identity-{uuid4}'", Type: "string_pattern_mismatch"}},
			wantTrace:   "trace-9",
			wantExample: []string{"identity-123e4567-e89b-42d3-8456-426614174000"},
			wantError:   "letta: POST /prefix/v1/identities/: 422 Unprocessable Entity: path.identity_id: String should match pattern 'identity-{uuid4}'",
		},
		{
			name: "spec 422 array detail", status: 422,
			body: `{"detail":[{"loc":["body","name"],"msg":"Field required","type":"missing"},` +
				`{"loc":["body","memory_blocks",0,"label"],"msg":"Field required","type":"missing"}]}`,
			wantDetail: "body.name: Field required; body.memory_blocks.0.label: Field required",
			wantItems: []ValidationItem{
				{Loc: []string{"body", "name"}, Msg: "Field required", Type: "missing"},
				{Loc: []string{"body", "memory_blocks", "0", "label"}, Msg: "Field required", Type: "missing"},
			},
		},
		{
			name: "HTML from a proxy", status: 502,
			body:       "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>",
			headers:    []string{"Content-Type: text/html"},
			wantDetail: "",
			wantError:  "letta: POST /prefix/v1/identities/: 502 Bad Gateway: <html> <head><title>502 Bad Gateway</title></head> <body>nginx</body></html>",
		},
		{
			name: "nested LLM error", status: 429, body: `{"error":{"type":"rate_limit","message":"slow down"}}`,
			wantDetail: "slow down",
		},
		{
			name: "message field", status: 400, body: `{"message":"bad things"}`,
			wantDetail: "bad things",
		},
		{
			name: "object detail", status: 400, body: `{"detail": {"code": 7}}`,
			wantDetail: `{"code":7}`,
		},
		{
			name: "empty body", status: 500, body: "",
			wantError: "letta: POST /prefix/v1/identities/: 500 Internal Server Error",
		},
		{
			name: "repr that does not parse stays raw", status: 422, body: `{"detail":"[{'msg': broken"}`,
			wantDetail: "[{'msg': broken",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				reply(w, tt.status, tt.body, tt.headers...)
			})
			c := newTestClient(t, srv, WithMaxRetries(0), WithAPIKey(testAPIKey))
			_, err := c.Identities.Create(t.Context(), validCreate())
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, http.MethodPost, apiErr.Method)
			assert.Equal(t, srv.URL+"/prefix/v1/identities/", apiErr.URL)
			assert.Equal(t, tt.wantDetail, apiErr.Detail)
			assert.Equal(t, tt.wantItems, apiErr.Errors)
			assert.Equal(t, tt.wantTrace, apiErr.TraceID)
			assert.Equal(t, tt.wantExample, apiErr.Examples)
			assert.Equal(t, tt.body, string(apiErr.Body))
			assert.NotNil(t, apiErr.Header)
			if tt.wantError != "" {
				assert.Equal(t, tt.wantError, err.Error())
			}
			assert.NotContains(t, err.Error(), testAPIKey)
		})
	}
}

func TestAPIErrorBodyIsCapped(t *testing.T) {
	huge := strings.Repeat("x", 5<<20)
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 500, huge) })
	c := newTestClient(t, srv, WithMaxRetries(0))
	_, err := c.Identities.Get(t.Context(), "identity-1")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Len(t, apiErr.Body, int(maxErrorBodyBytes))
	assert.Less(t, len(err.Error()), 400, "the message carries a snippet, not the body")
}

// TestAPIErrorMessageKeepsTheDetailShort: the server's detail goes into
// Error() cut and on one line (a line break would forge a log line);
// Detail keeps it whole.
func TestAPIErrorMessageKeepsTheDetailShort(t *testing.T) {
	long := strings.Repeat("d", 900<<10)
	for name, detail := range map[string]string{"huge": long, "multi-line": "bad\nFAKE LOG LINE level=ERROR"} {
		t.Run(name, func(t *testing.T) {
			body, err := json.Marshal(map[string]string{"detail": detail})
			require.NoError(t, err)
			srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 400, string(body)) })
			c := newTestClient(t, srv, WithMaxRetries(0))
			_, err = c.Identities.Get(t.Context(), "identity-1")
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, detail, apiErr.Detail)
			assert.Less(t, len(err.Error()), 700)
			assert.NotContains(t, err.Error(), "\n")
			assert.Contains(t, err.Error(), detail[:3])
		})
	}
}

func TestPythonReprParser(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		ok    bool
		items []ValidationItem
	}{
		{
			name: "missing field with dict input",
			in:   `[{'type': 'missing', 'loc': ('body', 'name'), 'msg': 'Field required', 'input': {'identifier_key': 'k', 'n': None, 'b': True, 'f': 1.5e3}}]`,
			ok:   true, items: []ValidationItem{{Loc: []string{"body", "name"}, Msg: "Field required", Type: "missing"}},
		},
		{
			name: "constructor calls, kwargs, escapes, int loc",
			in: `[{'type': 'value_error', 'loc': ('body', 'tags', 0), 'msg': 'Value error, it\'s bad\n"x" \x41\u00e9', ` +
				`'input': UUID('123'), 'ctx': {'error': ValueError("no (really)"), 'when': datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)}, 'obj': <object at 0x7f>, 'b': b'raw', 's': {1, 2}}]`,
			ok: true, items: []ValidationItem{{Loc: []string{"body", "tags", "0"}, Msg: "Value error, it's bad\n\"x\" Aé", Type: "value_error"}},
		},
		{
			name: "two errors",
			in:   `[{'type': 'a', 'loc': ('query', 'limit'), 'msg': 'm1'}, {'type': 'b', 'loc': (), 'msg': 'm2'}]`,
			ok:   true, items: []ValidationItem{{Loc: []string{"query", "limit"}, Msg: "m1", Type: "a"}, {Msg: "m2", Type: "b"}},
		},
		{name: "not a list", in: `{'msg': 'x'}`},
		{name: "plain sentence", in: `Identity not found`},
		{name: "unterminated", in: `[{'msg': 'x'`},
		{name: "trailing garbage", in: `[{'msg': 'x'}] extra`},
		{name: "item without msg", in: `[{'type': 'x'}]`},
		{name: "empty list", in: `[]`},
		{name: "deep nesting", in: strings.Repeat("[", 10000) + strings.Repeat("]", 10000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, ok := parsePythonErrorList(tt.in)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.items, items)
		})
	}
}

func TestDecodeFailures(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		call     func(c *Client) error
		sentinel error
		typeErr  bool
	}{
		{"empty body for an object", "", func(c *Client) error { _, err := c.Identities.Get(t.Context(), "identity-1"); return err }, ErrEmptyResponse, false},
		{"whitespace body for an object", " \n", func(c *Client) error { _, err := c.Identities.Get(t.Context(), "identity-1"); return err }, ErrEmptyResponse, false},
		{"null for an object", "null", func(c *Client) error { _, err := c.Agents.Get(t.Context(), "agent-1", nil); return err }, ErrEmptyResponse, false},
		{"empty body for a count", "", func(c *Client) error { _, err := c.Agents.Count(t.Context(), nil); return err }, ErrEmptyResponse, false},
		{"empty body for a list", "", func(c *Client) error { _, err := c.Identities.List(t.Context(), nil); return err }, ErrEmptyResponse, false},
		{"array for an object", "[]", func(c *Client) error { _, err := c.Identities.Get(t.Context(), "identity-1"); return err }, nil, true},
		{"object for a list", identityJSON, func(c *Client) error { _, err := c.Identities.List(t.Context(), nil); return err }, nil, true},
		{"string for a count", `"3"`, func(c *Client) error { _, err := c.Identities.Count(t.Context()); return err }, nil, true},
		{"wrong field type", `{"id": 5}`, func(c *Client) error { _, err := c.Identities.Get(t.Context(), "identity-1"); return err }, nil, true},
		{"truncated JSON", `{"id":"identity-1","name":`, func(c *Client) error { _, err := c.Identities.Get(t.Context(), "identity-1"); return err }, nil, false},
		{"HTML with 200", "<html>hello</html>", func(c *Client) error { _, err := c.Agents.List(t.Context(), nil); return err }, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				reply(w, 200, tt.body, "X-Request-Id: req-d")
			})
			c := newTestClient(t, srv)
			err := tt.call(c)
			var decErr *DecodeError
			require.ErrorAs(t, err, &decErr)
			assert.Equal(t, 200, decErr.StatusCode)
			assert.Equal(t, "req-d", decErr.RequestID)
			assert.Contains(t, err.Error(), "request id req-d")
			if tt.sentinel != nil {
				assert.ErrorIs(t, err, tt.sentinel)
			}
			if tt.typeErr {
				var typeErr *json.UnmarshalTypeError
				assert.ErrorAs(t, err, &typeErr)
			}
			assert.Equal(t, 1, srv.count(), "a decode failure is not retried")
		})
	}
}

func TestNullListIsEmpty(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, "null") })
	c := newTestClient(t, srv)
	got, err := c.Identities.List(t.Context(), nil)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestSuccessBodyLimit(t *testing.T) {
	big := `[` + strings.Repeat(identityJSON+",", 100) + identityJSON + `]`
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, big) })

	c := newTestClient(t, srv, WithMaxResponseBytes(1024))
	_, err := c.Identities.List(t.Context(), nil)
	var decErr *DecodeError
	require.ErrorAs(t, err, &decErr)
	assert.ErrorIs(t, err, ErrResponseTooLarge)
	assert.Equal(t, 1, srv.count(), "a too large body is not retried")

	c = newTestClient(t, srv, WithMaxResponseBytes(int64(len(big))))
	got, err := c.Identities.List(t.Context(), nil)
	require.NoError(t, err)
	assert.Len(t, got, 101)
}

func TestRequestErrorUnwrap(t *testing.T) {
	inner := errors.New("boom")
	err := error(&RequestError{Method: "GET", URL: "http://x/v1/agents/", Err: inner})
	assert.ErrorIs(t, err, inner)
	assert.Equal(t, "letta: GET http://x/v1/agents/: boom", err.Error())
}

// FuzzParseErrorBody: any error body gives an APIError without panicking,
// and Detail never exceeds what the body could hold.
func FuzzParseErrorBody(f *testing.F) {
	for _, seed := range []string{
		`{"detail":"Identity not found"}`,
		`{"trace_id":"t","detail":"[{'type': 'missing', 'loc': ('body', 'name'), 'msg': 'Field required', 'input': UUID('x')}]","examples":["identity-1"]}`,
		`{"detail":[{"loc":["body",0],"msg":"m","type":"t"}]}`,
		`{"error":{"message":"slow"}}`,
		`<html>502</html>`,
		`{"detail":"[{'msg': 'a\\x4', 'loc': (1,)}]"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e := &APIError{StatusCode: 422, Method: "GET", URL: "http://x/v1", Body: body}
		e.parseErrorBody(body)
		_ = e.Error()
		for _, it := range e.Errors {
			_ = it.String()
		}
	})
}

// FuzzPathID: an accepted id always becomes exactly one path segment that
// decodes back to the id.
func FuzzPathID(f *testing.F) {
	for _, seed := range []string{"identity-1", "a/b", "..", ".", "", "%2F", "?#", "日本 x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		seg, err := pathID("id", id)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidParam)
			return
		}
		require.NotContains(t, seg, "/")
		require.NotContains(t, seg, "?")
		require.NotContains(t, seg, "#")
		require.NotEqual(t, ".", seg)
		require.NotEqual(t, "..", seg)
		back, err := url.PathUnescape(seg)
		require.NoError(t, err)
		require.Equal(t, id, back)
	})
}

// A value the server refuses with a list of allowed values (an include,
// order or enum this server does not know) names that list in the error's
// text, in both shapes of the 422 body.
func TestAPIErrorListsAllowedValues(t *testing.T) {
	repr := `{"detail":"[{'type': 'enum', 'loc': ('query', 'include', 0), 'msg': \"Input should be 'agent.blocks', 'agent.tags' or 'agent.tools'\", 'input': 'tags', 'ctx': {'expected': \"'agent.blocks', 'agent.tags' or 'agent.tools'\"}}]","trace_id":""}`
	list := `{"detail":[{"type":"literal_error","loc":["query","order"],"msg":"Input should be 'asc' or 'desc'","input":"up","ctx":{"expected":"'asc' or 'desc'"}}]}`
	for _, tc := range []struct {
		body, want string
		allowed    []string
	}{
		{repr, `query.include.0: "tags" is not one of: agent.blocks, agent.tags, agent.tools`, []string{"agent.blocks", "agent.tags", "agent.tools"}},
		{list, `query.order: "up" is not one of: asc, desc`, []string{"asc", "desc"}},
	} {
		e := &APIError{StatusCode: 422, Method: "GET", URL: "http://x/v1/agents/", path: "/v1/agents/"}
		e.parseErrorBody([]byte(tc.body))
		require.Len(t, e.Errors, 1)
		assert.Equal(t, tc.allowed, e.Errors[0].Allowed)
		assert.Equal(t, "letta: GET /v1/agents/: 422 Unprocessable Entity: "+tc.want, e.Error())
	}
	for in, want := range map[string][]string{
		"'asc' or 'desc'": {"asc", "desc"}, "'a'": {"a"}, `'a', "b's" or 'c'`: {"a", "b's", "c"},
		"": nil, "a or b": nil, "'a' and 'b'": nil, "'a',": nil,
	} {
		assert.Equal(t, want, parseExpected(in), in)
	}
}

// Against lettatest, which answers an unknown include as the server does.
func TestUnknownIncludeShowsServerList(t *testing.T) {
	srv := lettatest.NewServer()
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL), WithLogger(nil))
	require.NoError(t, err)
	_, err = c.Agents.List(t.Context(), &AgentListParams{Include: []AgentInclude{"tags"}})
	require.ErrorIs(t, err, ErrUnprocessable)
	assert.Contains(t, err.Error(), `query.include.0: "tags" is not one of: agent.blocks, agent.identities, agent.managed_group, agent.pending_approval, agent.secrets, agent.sources, agent.tags, agent.tools`)
}
