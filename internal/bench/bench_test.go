package bench

import (
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"runtime"
	"strconv"
	"testing"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/internal/benchdata"
	"github.com/letta-go/letta/internal/codec"
)

// Each benchmark has five sub-benchmarks against the same loopback server:
// impl=sdk (the SDK with its defaults) and the hand-written variants of
// baselines (setup_test.go): impl=baseline (the SDK's request, decoded
// with the SDK's codec into the SDK's types), impl=baseline-sizedread (its
// body read sized from Content-Length), impl=baseline-plain (plain structs)
// and impl=baseline-stdjson (encoding/json). BENCHMARKS.md explains how to
// run and compare them.

func BenchmarkIdentitiesCreate(b *testing.B) {
	srv, _ := newServer(b, benchdata.Config{Total: 1})
	ctx := context.Background()
	props := []letta.IdentityProperty{letta.StringProperty("plan", "pro"), letta.IntProperty("seats", 12)}
	b.Run("impl=sdk", func(b *testing.B) {
		c := newSDK(b, srv.URL)
		b.ReportAllocs()
		for b.Loop() {
			id, err := c.Identities.Create(ctx, &letta.IdentityCreateParams{
				IdentifierKey: "user_1", Name: "Caren Jones", IdentityType: letta.IdentityTypeUser, Properties: props,
			})
			if err != nil || id.ID == "" {
				b.Fatal(err)
			}
		}
	})
	for _, bl := range baselines(srv.URL) {
		b.Run(bl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				id := out[letta.Identity, plainIdentity](bl)
				in := &plainIdentityCreate{IdentifierKey: "user_1", Name: "Caren Jones", IdentityType: "user", Properties: plainCreateProps}
				if err := bl.c.do(ctx, "POST", "/v1/identities/", nil, in, id); err != nil || idOf(id) == "" {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkIdentitiesGet(b *testing.B) {
	srv, _ := newServer(b, benchdata.Config{Total: 1})
	ctx := context.Background()
	b.Run("impl=sdk", func(b *testing.B) {
		c := newSDK(b, srv.URL)
		b.ReportAllocs()
		for b.Loop() {
			id, err := c.Identities.Get(ctx, benchdata.IdentityID)
			if err != nil || id.ID == "" {
				b.Fatal(err)
			}
		}
	})
	for _, bl := range baselines(srv.URL) {
		b.Run(bl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				id := out[letta.Identity, plainIdentity](bl)
				if err := bl.c.do(ctx, "GET", "/v1/identities/"+url.PathEscape(benchdata.IdentityID), nil, nil, id); err != nil || idOf(id) == "" {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAgentsGet(b *testing.B) {
	srv, _ := newServer(b, benchdata.Config{Total: 1})
	ctx := context.Background()
	agentID := benchdata.AgentID(0)
	b.Run("impl=sdk", func(b *testing.B) {
		c := newSDK(b, srv.URL)
		b.ReportAllocs()
		for b.Loop() {
			a, err := c.Agents.Get(ctx, agentID, nil)
			if err != nil || a.ID != agentID {
				b.Fatal(err)
			}
		}
	})
	for _, bl := range baselines(srv.URL) {
		b.Run(bl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				a := out[letta.AgentState, plainAgent](bl)
				if err := bl.c.do(ctx, "GET", "/v1/agents/"+url.PathEscape(agentID), nil, nil, a); err != nil || idOf(a) != agentID {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAgentsList runs in each mode of framing the body (sized,
// chunked, gzip); alloc/body is the bytes allocated per call over the
// page's size.
func BenchmarkAgentsList(b *testing.B) {
	ctx := context.Background()
	for _, m := range benchdata.Modes {
		srv, h := newServer(b, benchdata.Config{Total: 50, Mode: m.Mode})
		b.Run("mode="+m.Name+"/impl=sdk", func(b *testing.B) {
			c := newSDK(b, srv.URL)
			b.ReportAllocs()
			start := totalAlloc()
			for b.Loop() {
				page, err := c.Agents.List(ctx, &letta.AgentListParams{Limit: 50})
				if err != nil || len(page) != 50 {
					b.Fatal(err, len(page))
				}
			}
			reportAllocPerBody(b, start, h.PageBytes())
		})
		for _, bl := range baselines(srv.URL) {
			b.Run("mode="+m.Name+"/"+bl.name, func(b *testing.B) {
				b.ReportAllocs()
				start := totalAlloc()
				for b.Loop() {
					page := out[[]letta.AgentState, []plainAgent](bl)
					q := url.Values{"limit": {strconv.Itoa(50)}}
					if err := bl.c.do(ctx, "GET", "/v1/agents/", q, nil, page); err != nil || lenOf(page) != 50 {
						b.Fatal(err, lenOf(page))
					}
				}
				reportAllocPerBody(b, start, h.PageBytes())
			})
		}
	}
}

// reportAllocPerBody reports the bytes allocated per op since start (a
// totalAlloc reading taken before the loop, so it includes the first call),
// over the body's size. Like B/op it counts the in-process server's
// allocations too.
func reportAllocPerBody(b *testing.B, start uint64, body int) {
	if b.N > 0 {
		b.ReportMetric(float64(totalAlloc()-start)/float64(b.N)/float64(body), "alloc/body")
	}
}

// totalAlloc returns the bytes allocated by the process so far.
func totalAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

// BenchmarkAgentsListAll walks 10,000 agents in pages of 50 (201 requests,
// the last one answering the empty page that ends the walk). One op is one
// page of the walk, so that a short -benchtime still runs; the walk-10k
// metric is the time of a whole walk.
func BenchmarkAgentsListAll(b *testing.B) {
	srv, _ := newServer(b, benchdata.Config{Total: totalAgents})
	ctx := context.Background()
	const pageSize = 50
	b.Run("impl=sdk", func(b *testing.B) {
		c := newSDK(b, srv.URL)
		b.ReportAllocs()
		items := 0
	walks:
		for {
			for a, err := range c.Agents.ListAll(ctx, &letta.AgentListParams{Limit: pageSize}) {
				if err != nil || a.ID == "" {
					b.Fatal(err)
				}
				if items%pageSize == 0 && !b.Loop() {
					break walks
				}
				items++
			}
		}
		reportWalk(b, items)
	})
	for _, bl := range baselines(srv.URL) {
		b.Run(bl.name, func(b *testing.B) {
			b.ReportAllocs()
			items := 0
		walks:
			for {
				after := ""
				for {
					q := url.Values{"limit": {strconv.Itoa(pageSize)}}
					if after != "" {
						q.Set("after", after)
					}
					page := out[[]letta.AgentState, []plainAgent](bl)
					if err := bl.c.do(ctx, "GET", "/v1/agents/", q, nil, page); err != nil {
						b.Fatal(err)
					}
					n := lenOf(page)
					if n == 0 {
						break
					}
					for i := range n {
						if items%pageSize == 0 && !b.Loop() {
							break walks
						}
						items++
						after = reflect.ValueOf(page).Elem().Index(i).FieldByName("ID").String()
						if after == "" {
							b.Fatal("agent without id")
						}
					}
				}
			}
			reportWalk(b, items)
		})
	}
}

// reportWalk adds the time of a whole 10,000-agent walk, extrapolated from
// the items yielded.
func reportWalk(b *testing.B, items int) {
	if items > 0 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(items)*totalAgents/1e6, "ms/walk10k")
	}
}

// BenchmarkDecodeAgentPage decodes the 50-agent page (about 1.3 MB) without
// any HTTP: into the SDK's types with codec.Unmarshal (the SDK's path), and
// with encoding/json; and into the baseline's plain structs with both.
func BenchmarkDecodeAgentPage(b *testing.B) {
	page := benchdata.AgentPage(0, 50)
	run := func(name string, decode func() error) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				if err := decode(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("types=sdk/codec=sdk", func() error { var v []letta.AgentState; return codec.Unmarshal(page, &v) })
	run("types=sdk/codec=stdjson", func() error { var v []letta.AgentState; return json.Unmarshal(page, &v) })
	run("types=plain/codec=sdk", func() error { var v []plainAgent; return codec.Unmarshal(page, &v) })
	run("types=plain/codec=stdjson", func() error { var v []plainAgent; return json.Unmarshal(page, &v) })
}
