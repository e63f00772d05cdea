// Command tags shows the tags approach to multi-user agents on its own: no
// identities, just agents tagged with a user id (and any other labels), then
// listed and counted by tag, with any-of and all-of matching.
//
//	go run ./examples/tags
//
// With LETTA_API_KEY (Letta Cloud) and/or LETTA_BASE_URL set it talks to that
// server; with neither it starts an in-process lettatest server. The agents
// it creates are deleted at the end.
package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/examples/internal/exampleenv"
)

func main() {
	exampleenv.Main("tags", run)
}

func run(ctx context.Context, env *exampleenv.Env) error {
	client := env.Client
	// Tags are shared by every agent in the account, so on a real server
	// they get a per-run suffix.
	alice, bob := env.Unique("user:alice"), env.Unique("user:bob")
	pro, free := env.Unique("plan:pro"), env.Unique("plan:free")

	env.Step("Create three agents, tagged with their user and plan")
	for _, a := range []struct {
		name string
		tags []string
	}{
		{"alice-work", []string{alice, pro}},
		{"alice-home", []string{alice, free}},
		{"bob-work", []string{bob, pro}},
	} {
		agent, err := client.Agents.Create(ctx, &letta.AgentCreateParams{
			Name:      letta.Ptr(a.name),
			Model:     letta.Ptr(env.Model),
			Embedding: letta.Ptr(env.Embedding),
			Tags:      a.tags,
		})
		if err != nil {
			return fmt.Errorf("creating agent %s: %w", a.name, err)
		}
		env.DeleteAgentLater(agent)
		env.Printf("created %s with tags %v", agent.Name, agent.Tags)
	}

	env.Step("List the agents of one user: Tags: [%s]", alice)
	if err := listByTags(ctx, env, []string{alice}, false, 2); err != nil {
		return err
	}

	env.Step("Several tags match ANY of them by default: Tags: [%s %s]", alice, pro)
	if err := listByTags(ctx, env, []string{alice, pro}, false, 3); err != nil {
		return err
	}

	env.Step("MatchAllTags: true requires ALL of them: Tags: [%s %s]", alice, pro)
	if err := listByTags(ctx, env, []string{alice, pro}, true, 1); err != nil {
		return err
	}

	env.Step("Count without listing (Agents.Count takes the same filters)")
	n, err := client.Agents.Count(ctx, &letta.AgentCountParams{Tags: []string{pro}})
	if err != nil {
		return fmt.Errorf("counting agents tagged %s: %w", pro, err)
	}
	env.Printf("%d agent(s) tagged %s", n, pro)
	if err := exampleenv.Expect("agents tagged "+pro, n, 2); err != nil {
		return err
	}

	env.Step("Move bob-work to the free plan (Tags in an update REPLACE the whole set)")
	bobs, err := client.Agents.List(ctx, &letta.AgentListParams{Tags: []string{bob}})
	if err != nil {
		return fmt.Errorf("listing agents tagged %s: %w", bob, err)
	}
	if err := exampleenv.Expect("agents tagged "+bob, len(bobs), 1); err != nil {
		return err
	}
	updated, err := client.Agents.Update(ctx, bobs[0].ID, &letta.AgentUpdateParams{Tags: []string{bob, free}})
	if err != nil {
		return fmt.Errorf("updating the tags of %s: %w", bobs[0].Name, err)
	}
	env.Printf("%s now has tags %v", updated.Name, updated.Tags)
	return listByTags(ctx, env, []string{free}, false, 2)
}

// listByTags lists the agents with the given tags, loading the tags
// themselves (they are only returned when Include asks for them), and
// checks how many came back.
func listByTags(ctx context.Context, env *exampleenv.Env, tags []string, all bool, want int) error {
	agents, err := env.Client.Agents.List(ctx, &letta.AgentListParams{
		Tags:         tags,
		MatchAllTags: letta.Ptr(all),
		Order:        letta.OrderAsc,
		Include:      []letta.AgentInclude{letta.IncludeAgentTags},
	})
	if err != nil {
		return fmt.Errorf("listing agents tagged %s: %w", strings.Join(tags, ", "), err)
	}
	for _, a := range agents {
		env.Printf("  %-10s tags %v", a.Name, a.Tags)
	}
	return exampleenv.Expect("agents tagged "+strings.Join(tags, ", "), len(agents), want)
}
