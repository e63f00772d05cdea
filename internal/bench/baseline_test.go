package bench

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/internal/benchdata"
	"github.com/letta-go/letta/internal/codec"
)

// sentRequest is what a server saw of one request.
type sentRequest struct {
	method, uri string
	header      http.Header
	body        []byte
}

// recordOne starts a server that answers with the benchmarks' payloads and
// records the first request, runs call against it, and returns that request.
func recordOne(t *testing.T, call func(baseURL string) error) sentRequest {
	t.Helper()
	h := benchdata.NewHandler(benchdata.Config{Total: 50})
	var got *sentRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if got == nil {
			got = &sentRequest{method: r.Method, uri: r.RequestURI, header: r.Header.Clone(), body: body}
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	require.NoError(t, call(srv.URL))
	require.NotNil(t, got)
	return *got
}

// The baseline is hand-written code doing the same request as the SDK: the
// same method, URL, headers and body, so that what the benchmarks compare
// is the cost of the SDK, not of a lighter request.
func TestBaselineSendsTheSDKRequest(t *testing.T) {
	ctx := context.Background()
	props := []letta.IdentityProperty{letta.StringProperty("plan", "pro"), letta.IntProperty("seats", 12)}
	tests := []struct {
		name     string
		sdk      func(c *letta.Client) error
		baseline func(c *rawClient) error
	}{
		{"IdentitiesCreate", func(c *letta.Client) error {
			_, err := c.Identities.Create(ctx, &letta.IdentityCreateParams{
				IdentifierKey: "user_1", Name: "Caren Jones", IdentityType: letta.IdentityTypeUser, Properties: props,
			})
			return err
		}, func(c *rawClient) error {
			in := &plainIdentityCreate{IdentifierKey: "user_1", Name: "Caren Jones", IdentityType: "user", Properties: plainCreateProps}
			return c.do(ctx, "POST", "/v1/identities/", nil, in, new(letta.Identity))
		}},
		{"IdentitiesGet", func(c *letta.Client) error {
			_, err := c.Identities.Get(ctx, benchdata.IdentityID)
			return err
		}, func(c *rawClient) error {
			return c.do(ctx, "GET", "/v1/identities/"+url.PathEscape(benchdata.IdentityID), nil, nil, new(letta.Identity))
		}},
		{"AgentsGet", func(c *letta.Client) error {
			_, err := c.Agents.Get(ctx, benchdata.AgentID(0), nil)
			return err
		}, func(c *rawClient) error {
			return c.do(ctx, "GET", "/v1/agents/"+url.PathEscape(benchdata.AgentID(0)), nil, nil, new(letta.AgentState))
		}},
		{"AgentsList", func(c *letta.Client) error {
			_, err := c.Agents.List(ctx, &letta.AgentListParams{Limit: 50})
			return err
		}, func(c *rawClient) error {
			return c.do(ctx, "GET", "/v1/agents/", url.Values{"limit": {"50"}}, nil, new([]letta.AgentState))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sdk := recordOne(t, func(u string) error { return tt.sdk(newSDK(t, u)) })
			base := recordOne(t, func(u string) error { return tt.baseline(newRawClient(u, codec.Unmarshal)) })
			assert.Equal(t, sdk.method, base.method)
			assert.Equal(t, sdk.uri, base.uri)
			assert.Equal(t, sdk.header, base.header)
			if len(sdk.body) > 0 || len(base.body) > 0 {
				assert.JSONEq(t, string(sdk.body), string(base.body))
			}

			// The minimal variant is lighter by exactly the SDK's own headers.
			minimal := recordOne(t, func(u string) error { return tt.baseline(newMinimalRawClient(u)) })
			for _, k := range []string{"X-Stainless-Package-Version", "X-Stainless-Retry-Count"} {
				assert.NotEmpty(t, sdk.header.Get(k), k)
				assert.Empty(t, minimal.header.Get(k), k)
			}
			assert.Equal(t, "letta-go/"+letta.Version, sdk.header.Get("User-Agent"))
			assert.NotEqual(t, sdk.header.Get("User-Agent"), minimal.header.Get("User-Agent"))
		})
	}
}

// The plain structs are not equivalent to the SDK's types: they refuse a
// naive timestamp, which the SDK's types decode, and drop a union field
// they do not know, which the SDK's types send back.
func TestPlainStructsAreNotEquivalent(t *testing.T) {
	naive := []byte(`{"id":"agent-1","created_at":"2025-01-02T03:04:05.123456"}`)
	var pa plainAgent
	assert.Error(t, codec.Unmarshal(naive, &pa))
	var sa letta.AgentState
	require.NoError(t, codec.Unmarshal(naive, &sa))
	require.NotNil(t, sa.CreatedAt)
	assert.Equal(t, 2025, sa.CreatedAt.Year())

	rule := []byte(`{"type":"exit_loop","tool_name":"send_message","new_field":1}`)
	var pr plainToolRule
	require.NoError(t, codec.Unmarshal(rule, &pr))
	out, err := json.Marshal(pr)
	require.NoError(t, err)
	assert.NotContains(t, string(out), "new_field")
	var sr letta.ToolRule
	require.NoError(t, codec.Unmarshal(rule, &sr))
	out, err = json.Marshal(sr)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"new_field":1`)
}

// Each mode frames the bodies as it says: a length, chunks, gzip (which
// Go's transport decompresses, leaving the length unknown).
func TestModesFrameBodies(t *testing.T) {
	for _, m := range benchdata.Modes {
		t.Run(m.Name, func(t *testing.T) {
			srv, h := newServer(t, benchdata.Config{Total: 50, Mode: m.Mode})
			resp, err := http.Get(srv.URL + "/v1/agents/?limit=50")
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Len(t, body, h.PageBytes())
			var page []letta.AgentState
			require.NoError(t, codec.Unmarshal(body, &page))
			assert.Len(t, page, 50)
			switch m.Mode {
			case benchdata.Sized:
				assert.Equal(t, int64(h.PageBytes()), resp.ContentLength)
				assert.False(t, resp.Uncompressed)
			case benchdata.Chunked:
				assert.Equal(t, int64(-1), resp.ContentLength)
				assert.Equal(t, []string{"chunked"}, resp.TransferEncoding)
				assert.False(t, resp.Uncompressed)
			case benchdata.Gzip:
				assert.Equal(t, int64(-1), resp.ContentLength)
				assert.True(t, resp.Uncompressed)
			}
		})
	}
}
