package lettatest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultStatus(t *testing.T) {
	srv := newServer(t)
	srv.InjectFault(Fault{
		Method: "POST", Path: "/v1/identities/", Times: 2, Status: 503,
		Header: http.Header{"Retry-After": {"2"}, "Retry-After-Ms": {"150"}, "X-Should-Retry": {"true"}},
	})
	body := map[string]any{"identifier_key": "k", "name": "n", "identity_type": "user"}

	assert.Equal(t, 200, call(t, srv, "GET", "/v1/identities/", nil).status, "other method not affected")
	for range 2 {
		r := call(t, srv, "POST", "/v1/identities/", body)
		require.Equal(t, 503, r.status)
		assert.JSONEq(t, `{"detail":"injected fault"}`, string(r.body))
		assert.Equal(t, "2", r.header.Get("Retry-After"))
		assert.Equal(t, "150", r.header.Get("retry-after-ms"))
		assert.Equal(t, "true", r.header.Get("x-should-retry"))
		assert.NotEmpty(t, r.header.Get("X-Request-Id"))
	}
	assert.Equal(t, "0", string(call(t, srv, "GET", "/v1/identities/count", nil).body), "faulted requests are not applied")
	assert.Equal(t, 200, call(t, srv, "POST", "/v1/identities/", body).status, "used up after Times")

	reqs := srv.Requests()
	require.Len(t, reqs, 5)
	assert.Equal(t, []int{200, 503, 503, 200, 200}, []int{reqs[0].Status, reqs[1].Status, reqs[2].Status, reqs[3].Status, reqs[4].Status})
}

func TestFaultMatchingAndOrder(t *testing.T) {
	srv := newServer(t)
	srv.InjectFault(Fault{Path: "/v1/agents/*", Status: 500, Body: `{"detail":"first"}`})
	srv.InjectFault(Fault{Path: "/v1/agents/*", Status: 502, Body: `{"detail":"second"}`})
	srv.InjectFault(Fault{Status: 429}) // any method, any path

	r := call(t, srv, "GET", "/v1/agents/count", nil)
	assert.Equal(t, 500, r.status)
	assert.Equal(t, "first", r.detail(t))
	r = call(t, srv, "GET", "/v1/health/", nil)
	assert.Equal(t, 429, r.status, "the catch-all matches what the path faults do not")
	r = call(t, srv, "GET", "/v1/agents/count", nil)
	assert.Equal(t, 502, r.status)
	assert.Equal(t, 200, call(t, srv, "GET", "/v1/agents/count", nil).status)
	assert.Equal(t, 200, call(t, srv, "GET", "/v1/agents/", nil).status, "every fault is used up")
}

func TestFaultPathPatterns(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/v1/agents/*", "/v1/agents/agent-1", true},
		{"/v1/agents/*", "/v1/agents/", true},
		{"/v1/agents/*", "/v1/agents/a/identities/attach/b", false},
		{"/v1/identities/", "/v1/identities/", true},
		{"/v1/identities/", "/v1/identities/count", false},
		{"", "/anything", true},
		{"[", "/v1/", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Fault{Path: tt.pattern}.matches("GET", tt.path), "%q %q", tt.pattern, tt.path)
	}
	assert.False(t, Fault{Method: "POST"}.matches("GET", "/"))
}

func TestClearFaults(t *testing.T) {
	srv := newServer(t)
	srv.InjectFault(Fault{Status: 500, Times: 10})
	srv.ClearFaults()
	assert.Equal(t, 200, call(t, srv, "GET", "/v1/health/", nil).status)
}

func TestFaultDelay(t *testing.T) {
	srv := newServer(t)
	// A delay ends and the request is answered as usual. (That it really
	// waits is shown below, without timing: a client that gives up first
	// gets no answer.)
	srv.InjectFault(Fault{Path: "/v1/health/", Delay: 30 * time.Millisecond})
	assert.Equal(t, 200, call(t, srv, "GET", "/v1/health/", nil).status)

	// A client that gives up ends the delay, and the request is not applied.
	srv.InjectFault(Fault{Path: "/v1/identities/", Delay: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/v1/identities/",
		strings.NewReader(`{"identifier_key":"k","name":"n","identity_type":"user"}`))
	_, err := http.DefaultClient.Do(req)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Eventually(t, func() bool {
		reqs := srv.Requests()
		return reqs[len(reqs)-1].Status == statusClientClosed
	}, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, "0", string(call(t, srv, "GET", "/v1/identities/count", nil).body))
}

func TestFaultDelayThenStatus(t *testing.T) {
	srv := newServer(t)
	srv.InjectFault(Fault{Delay: 30 * time.Millisecond, Status: 504})
	assert.Equal(t, 504, call(t, srv, "GET", "/v1/health/", nil).status)

	// The status comes after the delay, not before it: a client that gives
	// up during the delay sees no status at all.
	srv.InjectFault(Fault{Delay: time.Minute, Status: 504})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+"/v1/health/", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	if resp != nil {
		_ = resp.Body.Close()
	}
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestFaultDrop(t *testing.T) {
	tests := []struct {
		mode        DropMode
		wantApplied bool
	}{
		{DropBeforeApply, false},
		{DropAfterApply, true},
	}
	for _, tt := range tests {
		t.Run(map[DropMode]string{DropBeforeApply: "before", DropAfterApply: "after"}[tt.mode], func(t *testing.T) {
			srv := newServer(t)
			srv.InjectFault(Fault{Method: "POST", Path: "/v1/agents/", Drop: tt.mode})
			// A fresh transport, so that the dropped request is on a new connection
			// and net/http does not transparently retry it.
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			_, err := client.Post(srv.URL+"/v1/agents/", "application/json", strings.NewReader(`{"model":"openai/x","name":"once"}`))
			require.Error(t, err, "the connection is closed without an answer")
			assert.False(t, errors.Is(err, context.DeadlineExceeded))

			count := string(call(t, srv, "GET", "/v1/agents/count", nil).body)
			if tt.wantApplied {
				assert.Equal(t, "1", count, "DropAfterApply applied the write")
				l := call(t, srv, "GET", "/v1/agents/?name=once", nil).list(t)
				assert.Len(t, l, 1)
			} else {
				assert.Equal(t, "0", count)
			}
			reqs := srv.Requests()
			assert.Equal(t, 0, reqs[0].Status, "dropped requests log status 0")
			assert.Equal(t, 200, call(t, srv, "POST", "/v1/agents/", map[string]any{"model": "openai/x"}).status, "fault used up")
		})
	}
}
