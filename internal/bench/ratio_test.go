package bench

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/internal/benchdata"
	"github.com/letta-go/letta/internal/codec"
)

// BenchmarkRatio measures SDK time / baseline time with the two run in
// alternating blocks of calls (about 10-25 ms each) against the same
// server, the SDK's block first on even iterations and the baseline's on
// odd ones. On a shared machine load comes and goes within seconds;
// separate benchmarks (even interleaved runs of them) let it land on one
// side, which moves a ratio near 1.1 by more than the difference being
// measured. Blocks rather than single calls: alternating call by call
// makes each side run with the other's code and garbage in the caches and
// share the other's GC cycles, which measures a program that uses both.
//
// Metrics: sdk-µs/call and baseline-µs/call (the means of each side) and
// ratio (their quotient); ns/op is the time of a pair of blocks and means
// nothing by itself. The baseline is impl=baseline of the other
// benchmarks (the SDK's request, its codec, its types); the ops with a
// /baseline= suffix compare with a variant of it. Allocations are in those
// benchmarks (they do not vary from run to run).
func BenchmarkRatio(b *testing.B) {
	ctx := context.Background()

	// The small calls against the baseline, and against one sending the
	// minimal headers instead of the SDK's.
	for _, bl := range []struct {
		suffix string
		client func(baseURL string) *rawClient
	}{
		{"", func(u string) *rawClient { return newRawClient(u, codec.Unmarshal) }},
		{"/baseline=minheaders", newMinimalRawClient},
	} {
		b.Run("op=IdentitiesCreate"+bl.suffix, func(b *testing.B) {
			srv, _ := newServer(b, benchdata.Config{Total: 1})
			c, raw := newSDK(b, srv.URL), bl.client(srv.URL)
			props := []letta.IdentityProperty{letta.StringProperty("plan", "pro"), letta.IntProperty("seats", 12)}
			paired(b, 200, func() error {
				_, err := c.Identities.Create(ctx, &letta.IdentityCreateParams{
					IdentifierKey: "user_1", Name: "Caren Jones", IdentityType: letta.IdentityTypeUser, Properties: props,
				})
				return err
			}, func() error {
				in := &plainIdentityCreate{IdentifierKey: "user_1", Name: "Caren Jones", IdentityType: "user", Properties: plainCreateProps}
				return raw.do(ctx, "POST", "/v1/identities/", nil, in, new(letta.Identity))
			})
		})
		b.Run("op=IdentitiesGet"+bl.suffix, func(b *testing.B) {
			srv, _ := newServer(b, benchdata.Config{Total: 1})
			c, raw := newSDK(b, srv.URL), bl.client(srv.URL)
			paired(b, 200, func() error {
				_, err := c.Identities.Get(ctx, benchdata.IdentityID)
				return err
			}, func() error {
				return raw.do(ctx, "GET", "/v1/identities/"+url.PathEscape(benchdata.IdentityID), nil, nil, new(letta.Identity))
			})
		})
	}
	// The agent calls against the baseline, one that sizes its read from
	// Content-Length as the SDK does (io.ReadAll's doublings are most of
	// the usual one's disadvantage on large bodies), and one decoding into
	// plain structs.
	for _, bl := range []struct {
		suffix string
		client func(baseURL string) *rawClient
		plain  bool
	}{
		{"", func(u string) *rawClient { return newRawClient(u, codec.Unmarshal) }, false},
		{"/baseline=sizedread", newSizedRawClient, false},
		{"/baseline=plain", func(u string) *rawClient { return newRawClient(u, codec.Unmarshal) }, true},
	} {
		v := variant{plainTypes: bl.plain}
		b.Run("op=AgentsGet"+bl.suffix, func(b *testing.B) {
			srv, _ := newServer(b, benchdata.Config{Total: 1})
			c, raw := newSDK(b, srv.URL), bl.client(srv.URL)
			agentID := benchdata.AgentID(0)
			paired(b, 40, func() error {
				_, err := c.Agents.Get(ctx, agentID, nil)
				return err
			}, func() error {
				return raw.do(ctx, "GET", "/v1/agents/"+url.PathEscape(agentID), nil, nil, out[letta.AgentState, plainAgent](v))
			})
		})
		b.Run("op=AgentsList"+bl.suffix, func(b *testing.B) {
			srv, _ := newServer(b, benchdata.Config{Total: 50})
			c, raw := newSDK(b, srv.URL), bl.client(srv.URL)
			paired(b, 4, func() error {
				_, err := c.Agents.List(ctx, &letta.AgentListParams{Limit: 50})
				return err
			}, func() error {
				return raw.do(ctx, "GET", "/v1/agents/", url.Values{"limit": {strconv.Itoa(50)}}, nil, out[[]letta.AgentState, []plainAgent](v))
			})
		})
	}
}

// paired runs a block of calls to sdk and one to baseline per iteration,
// alternating which goes first, and reports each side's mean time per call
// and their ratio.
func paired(b *testing.B, block int, sdk, baseline func() error) {
	var tSDK, tBase time.Duration
	iterations := 0
	timed := func(f func() error) time.Duration {
		start := time.Now()
		for range block {
			if err := f(); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start)
	}
	for b.Loop() {
		if iterations%2 == 0 {
			tSDK += timed(sdk)
			tBase += timed(baseline)
		} else {
			tBase += timed(baseline)
			tSDK += timed(sdk)
		}
		iterations++
	}
	if iterations == 0 || tBase == 0 {
		return
	}
	calls := float64(iterations * block)
	b.ReportMetric(float64(tSDK)/1e3/calls, "sdk-µs/call")
	b.ReportMetric(float64(tBase)/1e3/calls, "baseline-µs/call")
	b.ReportMetric(float64(tSDK)/float64(tBase), "ratio")
}
