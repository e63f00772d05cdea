package letta

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBodyPoolGetPut(t *testing.T) {
	var p bodyPool
	buf, holder := p.get(100)
	assert.Nil(t, holder, "an empty pool makes a new buffer")
	assert.Empty(t, buf)
	assert.GreaterOrEqual(t, cap(buf), 100)

	buf = append(buf, "abc"...)
	p.put(buf, holder)
	// sync.Pool may drop an item (it does so at random under -race), so
	// only a buffer it did return is checked.
	if got, h := p.get(50); h != nil {
		assert.Empty(t, got, "a recycled buffer comes back empty")
		assert.Equal(t, cap(buf), cap(got))
		assert.Same(t, &buf[:1][0], &got[:1][0], "the same array")
		p.put(got, h)
	}
	// A pooled buffer too small for a body is not used, and is dropped
	// rather than put back, where the next call would find it again.
	small := &bodyPool{}
	small.put(make([]byte, 0, 64), nil)
	got, h := small.get(1 << 20)
	assert.Nil(t, h)
	assert.GreaterOrEqual(t, cap(got), 1<<20)
	_, h = small.get(1)
	assert.Nil(t, h, "the small buffer was dropped")

	// Oversized and empty buffers are not kept; a nil pool does nothing.
	p2 := &bodyPool{}
	p2.put(make([]byte, 0, maxPooledBody+1), nil)
	p2.put(nil, nil)
	_, h = p2.get(1)
	assert.Nil(t, h)
	var nilPool *bodyPool
	nilPool.put(make([]byte, 10), nil)
	b, h := nilPool.get(10)
	assert.Nil(t, h)
	assert.GreaterOrEqual(t, cap(b), 10)
}

// A value a call returned stays intact when later calls read their bodies
// into the buffer it was decoded from.
func TestRecycledBodyLeavesEarlierResultsIntact(t *testing.T) {
	names := []string{"amber", "blush", "coral"}
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := names[calls%len(names)]
		calls++
		w.Header().Set("Content-Type", "application/json")
		// Same length every time, so each body fits the previous buffer.
		_, _ = w.Write([]byte(`{"id":"identity-` + strings.Repeat(name[:1], 8) + `","identifier_key":"` + name +
			`","name":"` + name + `","identity_type":"user","properties":[{"key":"k","value":{"v":"` + name + `"},"type":"json"}]}`))
	}))
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithLogger(nil))
	require.NoError(t, err)

	var got []*Identity
	for range names {
		id, err := c.Identities.Get(context.Background(), "identity-1")
		require.NoError(t, err)
		got = append(got, id)
	}
	for i, id := range got {
		assert.Equal(t, names[i], id.Name)
		assert.Equal(t, names[i], id.IdentifierKey)
		assert.JSONEq(t, `{"v":"`+names[i]+`"}`, string(id.Properties[0].Value))
	}
}

// The capacities readAll grows a body of unknown length through: each more
// than the last, at most twice it but for the last step (at most three
// times), ending at limit+1, and summing to under twice the limit.
func TestNextCapacity(t *testing.T) {
	for _, limit := range []int64{1, 2, 3, 7, 100, minBodyBuffer, 4 << 20, 64 << 20, 1<<40 + 7, math.MaxInt64} {
		end := min(limit, math.MaxInt64-1) + 1
		c := bodyCapacity(-1, limit)
		sum, steps := c, 0
		for c < end {
			next := nextCapacity(c, limit)
			require.Greater(t, next, c, "limit %d", limit)
			if next < end {
				require.LessOrEqual(t, next, 2*c, "limit %d: doubling at most", limit)
			} else {
				require.LessOrEqual(t, next/3, c, "limit %d: the last step triples at most", limit)
			}
			c = next
			sum += c
			steps++
			require.Less(t, steps, 128)
		}
		assert.Equal(t, end, c, "limit %d", limit)
		if limit >= 4<<20 && limit < 1<<50 {
			assert.Less(t, float64(sum), 1.7*float64(limit), "limit %d", limit)
		}
	}
}
