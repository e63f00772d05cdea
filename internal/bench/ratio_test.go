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
	base := func(u string) *rawClient { return newRawClient(u, codec.Unmarshal) }

	// Every op against the baseline in each mode of framing the server's
	// bodies (sized, chunked, gzip); in sized mode also against variants
	// of the baseline, named by a /baseline= suffix: the small calls
	// against one sending the minimal headers instead of the SDK's; the
	// agent calls against one that sizes its read from Content-Length as
	// the SDK does (io.ReadAll's doublings are most of the usual one's
	// disadvantage on large bodies) and one decoding into plain structs.
	type baselineVariant struct {
		suffix string
		client func(baseURL string) *rawClient
		plain  bool
	}
	for _, m := range benchdata.Modes {
		small := []baselineVariant{{"", base, false}}
		large := []baselineVariant{{"", base, false}}
		if m.Mode == benchdata.Sized {
			small = append(small, baselineVariant{"/baseline=minheaders", newMinimalRawClient, false})
			large = append(large, baselineVariant{"/baseline=sizedread", newSizedRawClient, false},
				baselineVariant{"/baseline=plain", base, true})
		}
		mode := "/mode=" + m.Name
		for _, bl := range small {
			b.Run("op=IdentitiesCreate"+mode+bl.suffix, func(b *testing.B) {
				srv, _ := newServer(b, benchdata.Config{Total: 1, Mode: m.Mode})
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
			b.Run("op=IdentitiesGet"+mode+bl.suffix, func(b *testing.B) {
				srv, _ := newServer(b, benchdata.Config{Total: 1, Mode: m.Mode})
				c, raw := newSDK(b, srv.URL), bl.client(srv.URL)
				paired(b, 200, func() error {
					_, err := c.Identities.Get(ctx, benchdata.IdentityID)
					return err
				}, func() error {
					return raw.do(ctx, "GET", "/v1/identities/"+url.PathEscape(benchdata.IdentityID), nil, nil, new(letta.Identity))
				})
			})
		}
		for _, bl := range large {
			v := variant{plainTypes: bl.plain}
			b.Run("op=AgentsGet"+mode+bl.suffix, func(b *testing.B) {
				srv, _ := newServer(b, benchdata.Config{Total: 1, Mode: m.Mode})
				c, raw := newSDK(b, srv.URL), bl.client(srv.URL)
				agentID := benchdata.AgentID(0)
				paired(b, 40, func() error {
					_, err := c.Agents.Get(ctx, agentID, nil)
					return err
				}, func() error {
					return raw.do(ctx, "GET", "/v1/agents/"+url.PathEscape(agentID), nil, nil, out[letta.AgentState, plainAgent](v))
				})
			})
			b.Run("op=AgentsList"+mode+bl.suffix, func(b *testing.B) {
				srv, _ := newServer(b, benchdata.Config{Total: 50, Mode: m.Mode})
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
}

// paired runs a block of calls to sdk and one to baseline per iteration,
// alternating which goes first, and reports each side's mean time per call
// and their ratio; and the same for the process's CPU time (cpu-ratio),
// which time spent waiting for a core on a loaded machine does not inflate.
func paired(b *testing.B, block int, sdk, baseline func() error) {
	var tSDK, tBase, cSDK, cBase time.Duration
	iterations := 0
	timed := func(f func() error, wall, cpu *time.Duration) {
		start, startCPU := time.Now(), cpuTime()
		for range block {
			if err := f(); err != nil {
				b.Fatal(err)
			}
		}
		*cpu += cpuTime() - startCPU
		*wall += time.Since(start)
	}
	for b.Loop() {
		if iterations%2 == 0 {
			timed(sdk, &tSDK, &cSDK)
			timed(baseline, &tBase, &cBase)
		} else {
			timed(baseline, &tBase, &cBase)
			timed(sdk, &tSDK, &cSDK)
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
	if cBase > 0 {
		b.ReportMetric(float64(cSDK)/float64(cBase), "cpu-ratio")
	}
}

// BenchmarkAblation times the SDK with and without one of its features, in
// alternating blocks as BenchmarkRatio does; ratio is the time with it over
// the time without. feature=attempt-timeout is the per-attempt timeout (a
// context.WithTimeout per attempt) against WithTimeout(0): whatever a
// cheaper way of enforcing it could save is at most that difference.
func BenchmarkAblation(b *testing.B) {
	ctx := context.Background()
	b.Run("feature=attempt-timeout/op=IdentitiesGet", func(b *testing.B) {
		srv, _ := newServer(b, benchdata.Config{Total: 1})
		with := newSDK(b, srv.URL)
		without, err := letta.NewClient(letta.WithBaseURL(srv.URL), letta.WithAPIKey(benchKey), letta.WithTimeout(0))
		if err != nil {
			b.Fatal(err)
		}
		get := func(c *letta.Client) func() error {
			return func() error { _, err := c.Identities.Get(ctx, benchdata.IdentityID); return err }
		}
		paired(b, 200, get(with), get(without))
	})
	b.Run("feature=attempt-timeout/op=IdentitiesCreate", func(b *testing.B) {
		srv, _ := newServer(b, benchdata.Config{Total: 1})
		with := newSDK(b, srv.URL)
		without, err := letta.NewClient(letta.WithBaseURL(srv.URL), letta.WithAPIKey(benchKey), letta.WithTimeout(0))
		if err != nil {
			b.Fatal(err)
		}
		props := []letta.IdentityProperty{letta.StringProperty("plan", "pro"), letta.IntProperty("seats", 12)}
		create := func(c *letta.Client) func() error {
			return func() error {
				_, err := c.Identities.Create(ctx, &letta.IdentityCreateParams{
					IdentifierKey: "user_1", Name: "Caren Jones", IdentityType: letta.IdentityTypeUser, Properties: props,
				})
				return err
			}
		}
		paired(b, 200, create(with), create(without))
	})
}
