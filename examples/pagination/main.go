// Command pagination shows how to walk a Letta list: ListAll iterates over
// every item, fetching pages as it goes, and stops fetching as soon as the
// loop breaks. A counting http.RoundTripper (installed with WithHTTPClient)
// shows how many requests each walk costs.
//
//	go run ./examples/pagination
//
// With LETTA_API_KEY (Letta Cloud) and/or LETTA_BASE_URL set it talks to that
// server; with neither it starts an in-process lettatest server. The agents
// it creates are deleted at the end.
package main

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/examples/internal/exampleenv"
)

// countingTransport counts the requests that reach the network.
type countingTransport struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.next.RoundTrip(r)
}

// requests returns how many requests fn sent.
func (t *countingTransport) requests(fn func() error) (int, error) {
	before := t.n.Load()
	err := fn()
	return int(t.n.Load() - before), err
}

const (
	agentCount = 7
	pageSize   = 3
)

func main() {
	run, opts := newExample()
	exampleenv.Main("pagination", run, opts...)
}

// newExample returns the example and the client option that routes its
// requests through a fresh counter.
func newExample() (func(context.Context, *exampleenv.Env) error, []letta.Option) {
	counter := &countingTransport{next: http.DefaultTransport}
	run := func(ctx context.Context, env *exampleenv.Env) error {
		return run(ctx, env, counter)
	}
	return run, []letta.Option{letta.WithHTTPClient(&http.Client{Transport: counter})}
}

func run(ctx context.Context, env *exampleenv.Env, counter *countingTransport) error {
	client := env.Client
	// The tag keeps the walk to this run's agents on a shared server.
	tag := env.Unique("pagination-example")

	env.Step("Create %d agents tagged %s", agentCount, tag)
	for i := 1; i <= agentCount; i++ {
		agent, err := client.Agents.Create(ctx, &letta.AgentCreateParams{
			Name:      letta.Ptr(fmt.Sprintf("page-agent-%d", i)),
			Model:     letta.Ptr(env.Model),
			Embedding: letta.Ptr(env.Embedding),
			Tags:      []string{tag},
		})
		if err != nil {
			return fmt.Errorf("creating agent %d: %w", i, err)
		}
		env.DeleteAgentLater(agent)
	}
	env.Printf("created %d agents", agentCount)

	// Oldest first, three per page, so that the walk needs several pages.
	params := &letta.AgentListParams{Tags: []string{tag}, Limit: pageSize, Order: letta.OrderAsc}

	env.Step("Walk every agent tagged %s with ListAll (page size %d)", tag, pageSize)
	var names []string
	n, err := counter.requests(func() error {
		for agent, err := range client.Agents.ListAll(ctx, params) {
			if err != nil {
				return err
			}
			names = append(names, agent.Name)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("walking the agents: %w", err)
	}
	env.Printf("%d agents %v in %d requests", len(names), names, n)
	// Lists have no "has more" flag, so the walk ends on an empty page: 3+3+1+0.
	env.Printf("(%d pages with agents, then one empty page that ends the walk)", n-1)
	if err := exampleenv.Expect("agents walked", len(names), agentCount); err != nil {
		return err
	}

	env.Step("Stop early: break out of the loop after 4 agents")
	names = names[:0]
	n, err = counter.requests(func() error {
		for agent, err := range client.Agents.ListAll(ctx, params) {
			if err != nil {
				return err
			}
			names = append(names, agent.Name)
			if len(names) == 4 {
				break // no further page is fetched
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("walking the agents: %w", err)
	}
	env.Printf("%d agents %v in %d requests", len(names), names, n)
	if err := exampleenv.Expect("requests for 4 agents", n, 2); err != nil {
		return err
	}

	env.Step("One page at a time with List and After (what ListAll does for you)")
	page := *params
	pages := 0
	for {
		agents, err := client.Agents.List(ctx, &page)
		if err != nil {
			return fmt.Errorf("listing a page: %w", err)
		}
		if len(agents) == 0 {
			break
		}
		pages++
		env.Printf("page %d: %d agents, first %s, last %s", pages, len(agents), agents[0].Name, agents[len(agents)-1].Name)
		page.After = agents[len(agents)-1].ID
	}

	env.Step("Count instead of walking, when the number is all you need")
	n, err = counter.requests(func() error {
		total, err := client.Agents.Count(ctx, &letta.AgentCountParams{Tags: []string{tag}})
		env.Printf("Agents.Count says %d", total)
		return err
	})
	if err != nil {
		return fmt.Errorf("counting the agents: %w", err)
	}
	env.Printf("in %d request", n)
	return nil
}
