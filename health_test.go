package letta

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHealth(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, 200, `{"version":"0.16.0","status":"ok"}`)
	})
	c := newTestClient(t, srv)
	h, err := c.Health(t.Context())
	require.NoError(t, err)
	assert.Equal(t, &Health{Version: "0.16.0", Status: "ok"}, h)
	reqs := srv.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "GET", reqs[0].Method)
	assert.Equal(t, "/prefix/v1/health/", reqs[0].Path)
	assert.Empty(t, reqs[0].RawQ)

	// Nothing listening: a *RequestError naming the method.
	down, err := NewClient(WithBaseURL("http://127.0.0.1:1"), WithMaxRetries(0), WithLogger(nil))
	require.NoError(t, err)
	_, err = down.Health(t.Context())
	var reqErr *RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Contains(t, err.Error(), "GET /v1/health/")
}
