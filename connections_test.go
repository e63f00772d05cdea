package letta

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

	"github.com/letta-go/letta/internal/benchdata"
)

const (
	connGoroutines = 64
	connCalls      = 100
	// connReuseBound bounds the connections dialed over the whole run. A
	// transport that reuses its connections dials 64 and replaces the few
	// that net/http itself drops: after a body read to its end, the
	// transport reuses the connection only if its write goroutine reports
	// the request written within 50 ms (maxWriteWaitBeforeConnReuse in
	// net/http's transport.go, which net/http's own tests raise to avoid
	// this flake); on a loaded machine under -race that goroutine can miss
	// it (20 runs under load dialed 64 to 70 connections here). A client
	// that threw connections away would dial far more (the stock transport
	// dials thousands; see TestConnectionCountSeesChurn).
	connReuseBound = 2 * connGoroutines
)

// connCounter counts the TCP connections a transport dials, and how many
// are open at once (dialed and not yet closed), on the client's side.
type connCounter struct {
	dialed, open, maxOpen atomic.Int64
}

// wrap makes t dial through c.
func (c *connCounter) wrap(t *http.Transport) {
	dial := t.DialContext
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		c.dialed.Add(1)
		n := c.open.Add(1)
		for m := c.maxOpen.Load(); n > m && !c.maxOpen.CompareAndSwap(m, n); m = c.maxOpen.Load() {
		}
		return &countedConn{Conn: conn, c: c}, nil
	}
}

type countedConn struct {
	net.Conn
	c    *connCounter
	once sync.Once
}

func (cc *countedConn) Close() error {
	cc.once.Do(func() { cc.c.open.Add(-1) })
	return cc.Conn.Close()
}

// hammer makes connGoroutines goroutines share c for connCalls calls each.
func hammer(t *testing.T, c *Client) {
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
// with the default transport, 100 calls each, hold at most 64 TCP
// connections open at once (MaxConnsPerHost) and reuse them: a handful of
// dials for 6,400 calls, not one per call.
func TestConcurrentCallsReuseConnections(t *testing.T) {
	h := benchdata.NewHandler(benchdata.Config{Total: 1})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL))
	require.NoError(t, err)
	tr, ok := c.hc.Transport.(*http.Transport)
	require.True(t, ok, "the default transport is an *http.Transport")
	var n connCounter
	n.wrap(tr)

	hammer(t, c)

	_, gets, _, _ := h.Counts()
	assert.Equal(t, int64(connGoroutines*connCalls), gets, "requests served")
	assert.LessOrEqual(t, n.maxOpen.Load(), int64(maxConnsPerHost), "TCP connections open at once")
	assert.LessOrEqual(t, n.dialed.Load(), int64(connReuseBound), "TCP connections dialed")
	t.Logf("%d calls over %d connections, at most %d open at once", gets, n.dialed.Load(), n.maxOpen.Load())
}

// TestConnectionCountSeesChurn is the counter's control: the same load
// through net/http's stock transport (2 idle connections per host) makes
// the client close and redial connections, and the count shows it, well
// beyond connReuseBound.
func TestConnectionCountSeesChurn(t *testing.T) {
	srv := httptest.NewServer(benchdata.NewHandler(benchdata.Config{Total: 1}))
	t.Cleanup(srv.Close)
	stock, ok := http.DefaultTransport.(*http.Transport)
	require.True(t, ok)
	tr := stock.Clone()
	var n connCounter
	n.wrap(tr)
	c, err := NewClient(WithBaseURL(srv.URL), WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)

	hammer(t, c)

	assert.Greater(t, n.dialed.Load(), int64(connReuseBound), "TCP connections dialed")
	t.Logf("stock transport: %d connections, at most %d open at once", n.dialed.Load(), n.maxOpen.Load())
}
