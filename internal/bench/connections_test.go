package bench

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/internal/benchdata"
)

const (
	connGoroutines = 64
	connCalls      = 100
)

// countingServer serves the payloads and counts the TCP connections
// accepted, through the server's ConnState hook.
func countingServer(t *testing.T) (*httptest.Server, *benchdata.Handler, *atomic.Int64) {
	t.Helper()
	h := benchdata.NewHandler(benchdata.Config{Total: 1})
	srv := httptest.NewUnstartedServer(h)
	var conns atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, h, &conns
}

// hammer makes connGoroutines goroutines share c for connCalls calls each.
func hammer(t *testing.T, c *letta.Client) {
	t.Helper()
	ctx := context.Background()
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range connGoroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range connCalls {
				if id, err := c.Identities.Get(ctx, benchdata.IdentityID); err != nil || id.ID != benchdata.IdentityID {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	require.Zero(t, failed.Load(), "calls failed")
}

// TestConcurrentCallsReuseConnections: 64 goroutines sharing one Client
// with the default transport open at most 64 TCP connections for 6,400
// calls, i.e. every connection is returned to the pool and reused.
func TestConcurrentCallsReuseConnections(t *testing.T) {
	srv, h, conns := countingServer(t)
	c, err := letta.NewClient(letta.WithBaseURL(srv.URL))
	require.NoError(t, err)

	hammer(t, c)

	_, gets, _, _ := h.Counts()
	assert.Equal(t, int64(connGoroutines*connCalls), gets, "requests served")
	assert.LessOrEqual(t, conns.Load(), int64(connGoroutines), "TCP connections opened")
	t.Logf("%d calls over %d connections", gets, conns.Load())
}

// TestConnectionCountSeesChurn is the counter's control: the same load
// through net/http's stock transport (2 idle connections per host) makes
// the client close and redial connections, and the count shows it.
func TestConnectionCountSeesChurn(t *testing.T) {
	srv, _, conns := countingServer(t)
	stock, ok := http.DefaultTransport.(*http.Transport)
	require.True(t, ok)
	c, err := letta.NewClient(letta.WithBaseURL(srv.URL), letta.WithHTTPClient(&http.Client{Transport: stock.Clone()}))
	require.NoError(t, err)

	hammer(t, c)

	assert.Greater(t, conns.Load(), int64(connGoroutines), "TCP connections opened")
	t.Logf("stock transport: %d connections", conns.Load())
}
