package letta

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRedirectToAnotherHostIsRefused(t *testing.T) {
	other := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, identityJSON) })
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	})
	// Even a caller's client that allows every redirect does not get to
	// forward the key.
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	c := newTestClient(t, srv, WithAPIKey(testAPIKey), WithHTTPClient(hc), WithHeader("X-Bare-Password", "password x"))
	var info ResponseInfo
	_, err := c.Identities.Get(t.Context(), "identity-1", WithResponseInfo(&info))
	var redirErr *RedirectError
	require.ErrorAs(t, err, &redirErr)
	var reqErr *RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Equal(t, other.URL+"/steal", redirErr.To)
	assert.Equal(t, 0, other.count(), "the other host received nothing")
	assert.Equal(t, 1, srv.count(), "a refused redirect is not retried")
	assert.Equal(t, 1, info.Attempts)
	assert.NotContains(t, err.Error(), testAPIKey)
}

func TestSameHostRedirectIsFollowedWithAuth(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			http.Redirect(w, r, "/prefix/v1/identities/identity-2", http.StatusTemporaryRedirect)
			return
		}
		reply(w, 200, identityJSON)
	})
	c := newTestClient(t, srv, WithAPIKey(testAPIKey))
	_, err := c.Identities.Get(t.Context(), "identity-1")
	require.NoError(t, err)
	reqs := srv.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/prefix/v1/identities/identity-2", reqs[1].Path)
	assert.Equal(t, "Bearer "+testAPIKey, reqs[1].Header.Get("Authorization"))
}

func TestCheckRedirectRules(t *testing.T) {
	mk := func(raw string) *http.Request {
		u, err := url.Parse(raw)
		require.NoError(t, err)
		return &http.Request{URL: u}
	}
	tests := []struct {
		from, to string
		ok       bool
	}{
		{"https://api.letta.com/v1/agents", "https://api.letta.com/v1/agents/", true},
		{"https://api.letta.com/v1/agents", "https://api.letta.com:443/v1/agents/", true},
		{"http://localhost:8283/v1/agents", "https://localhost:8283/v1/agents/", true},
		{"http://example.com/v1/agents", "https://example.com/v1/agents/", true},
		{"https://api.letta.com/v1/agents", "http://api.letta.com/v1/agents/", false},
		{"https://api.letta.com/v1/agents", "https://evil.api.letta.com/v1/agents/", false},
		{"https://api.letta.com/v1/agents", "https://api.letta.com:8443/v1/agents/", false},
		{"http://127.0.0.1:1/v1", "http://127.0.0.1:2/v1", false},
		// An upgrade keeps the port, or goes from 80 to 443: another port
		// may be another server.
		{"http://example.com:80/v1", "https://example.com:443/v1", true},
		{"http://example.com:8283/v1", "https://example.com:9443/v1", false},
		{"http://example.com/v1", "https://example.com:9443/v1", false},
		{"http://example.com:8283/v1", "https://example.com/v1", false},
	}
	for _, tt := range tests {
		err := checkRedirect(mk(tt.to), []*http.Request{mk(tt.from)})
		if tt.ok {
			assert.NoError(t, err, "%s -> %s", tt.from, tt.to)
		} else {
			var re *RedirectError
			assert.ErrorAs(t, err, &re, "%s -> %s", tt.from, tt.to)
		}
	}
	via := make([]*http.Request, maxRedirects)
	for i := range via {
		via[i] = mk("https://api.letta.com/x")
	}
	assert.Error(t, checkRedirect(mk("https://api.letta.com/y"), via), "redirect loops end")
}
