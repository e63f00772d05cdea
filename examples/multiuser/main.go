// Command multiuser walks through Letta's multi-user guide in Go: one
// identity per end user, agents attached to identities, an agent shared by
// two users, and the alternative of tagging agents with a user id.
//
//	go run ./examples/multiuser
//
// With LETTA_API_KEY (Letta Cloud) and/or LETTA_BASE_URL set it talks to that
// server; with neither it starts an in-process lettatest server. Everything
// it creates is deleted at the end, also when a step fails.
package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/examples/internal/exampleenv"
)

func main() {
	exampleenv.Main("multiuser", run)
}

func run(ctx context.Context, env *exampleenv.Env) error {
	client := env.Client

	// In your application the identifier key is your own user id, e.g. the
	// primary key of your users table.
	env.Step("1. Create an identity for each end user of your application")
	caren, err := client.Identities.Create(ctx, &letta.IdentityCreateParams{
		IdentifierKey: env.Unique("user_1"),
		Name:          "Caren",
		IdentityType:  letta.IdentityTypeUser,
	})
	if err != nil {
		return fmt.Errorf("creating identity user_1: %w", err)
	}
	env.DeleteIdentityLater(caren)
	env.Printf("created identity %s: identifier_key=%s name=%s type=%s", caren.ID, caren.IdentifierKey, caren.Name, caren.IdentityType)

	env.Step("2. Create an agent for that user (memory blocks, model, context window, embedding, identity_ids)")
	agent, err := client.Agents.Create(ctx, &letta.AgentCreateParams{
		Name: letta.Ptr("caren-assistant"),
		MemoryBlocks: []letta.CreateBlock{
			{Label: "human", Value: "The human's name is Caren. She likes hiking."},
			{Label: "persona", Value: "I am a helpful assistant who remembers what Caren tells me."},
		},
		Model:              letta.Ptr(env.Model),
		ContextWindowLimit: letta.Ptr(16000),
		Embedding:          letta.Ptr(env.Embedding),
		IdentityIDs:        []string{caren.ID},
	})
	if err != nil {
		return fmt.Errorf("creating Caren's agent: %w", err)
	}
	// Deleting an agent keeps its blocks, also the ones created with it:
	// these belong to nobody else, so they go too (after the agent).
	deleteBlocksLater(env, agent)
	env.DeleteAgentLater(agent)
	env.Printf("created agent %s (%s): model=%s embedding=%s", agent.Name, agent.ID, agent.GetModel(), agent.GetEmbedding())
	env.Printf("  memory blocks: %s", blockLabels(agent.Blocks))
	env.Printf("  identities:    %s", identityKeys(agent.Identities))

	env.Step("3. List the agents of user_1 (Agents.List with IdentifierKeys)")
	agents, err := client.Agents.List(ctx, &letta.AgentListParams{IdentifierKeys: []string{caren.IdentifierKey}})
	if err != nil {
		return fmt.Errorf("listing the agents of %s: %w", caren.IdentifierKey, err)
	}
	env.Printf("%d agent(s) for %s: %s", len(agents), caren.IdentifierKey, agentNames(agents))
	if err := exampleenv.Expect("agents of user_1", len(agents), 1); err != nil {
		return err
	}

	env.Step("4. Share the agent with a second user (Agents.AttachIdentity)")
	sarah, err := client.Identities.Create(ctx, &letta.IdentityCreateParams{
		IdentifierKey: env.Unique("user_2"),
		Name:          "Sarah",
		IdentityType:  letta.IdentityTypeUser,
	})
	if err != nil {
		return fmt.Errorf("creating identity user_2: %w", err)
	}
	env.DeleteIdentityLater(sarah)
	env.Printf("created identity %s: identifier_key=%s name=%s", sarah.ID, sarah.IdentifierKey, sarah.Name)
	if err := client.Agents.AttachIdentity(ctx, agent.ID, sarah.ID); err != nil {
		return fmt.Errorf("attaching user_2 to Caren's agent: %w", err)
	}
	// An identity does not list its agents (current servers always send
	// []): ask the agent which identities it has instead.
	shared, err := client.Agents.Get(ctx, agent.ID, &letta.AgentGetParams{Include: []letta.AgentInclude{letta.IncludeAgentIdentities}})
	if err != nil {
		return fmt.Errorf("reading the shared agent: %w", err)
	}
	env.Printf("agent %s now belongs to: %s", shared.Name, identityKeys(shared.Identities))
	if err := exampleenv.Expect("identities of the shared agent", len(shared.Identities), 2); err != nil {
		return err
	}

	env.Step("5. List the agents of an identity (Identities.ListAgents)")
	sarahsAgents, err := client.Identities.ListAgents(ctx, sarah.ID, nil)
	if err != nil {
		return fmt.Errorf("listing the agents of %s: %w", sarah.IdentifierKey, err)
	}
	env.Printf("%d agent(s) for %s: %s", len(sarahsAgents), sarah.IdentifierKey, agentNames(sarahsAgents))
	both, err := client.Agents.List(ctx, &letta.AgentListParams{IdentifierKeys: []string{caren.IdentifierKey, sarah.IdentifierKey}})
	if err != nil {
		return fmt.Errorf("listing the agents of both users: %w", err)
	}
	env.Printf("%d agent(s) for %s or %s: %s", len(both), caren.IdentifierKey, sarah.IdentifierKey, agentNames(both))
	if err := exampleenv.Expect("agents of user_2", len(sarahsAgents), 1); err != nil {
		return err
	}
	// letta 0.16.8 lists a shared agent once per matching identity, so
	// count distinct agents.
	if err := exampleenv.Expect("distinct agents of user_1 or user_2", distinctIDs(both), 1); err != nil {
		return err
	}

	env.Step("6. The tags approach: tag an agent with the user id, then list by tag")
	userID := env.Unique("user_3")
	tagged, err := client.Agents.Create(ctx, &letta.AgentCreateParams{
		Name: letta.Ptr("user-3-assistant"),
		MemoryBlocks: []letta.CreateBlock{
			{Label: "human", Value: "The human's user id is " + userID + "."},
		},
		Model:              letta.Ptr(env.Model),
		ContextWindowLimit: letta.Ptr(16000),
		Embedding:          letta.Ptr(env.Embedding),
		Tags:               []string{userID},
	})
	if err != nil {
		return fmt.Errorf("creating the tagged agent: %w", err)
	}
	deleteBlocksLater(env, tagged)
	env.DeleteAgentLater(tagged)
	env.Printf("created agent %s with tags %v", tagged.Name, tagged.Tags)
	byTag, err := client.Agents.List(ctx, &letta.AgentListParams{
		Tags:    []string{userID},
		Include: []letta.AgentInclude{letta.IncludeAgentTags},
	})
	if err != nil {
		return fmt.Errorf("listing agents tagged %s: %w", userID, err)
	}
	for _, a := range byTag {
		env.Printf("agent tagged %s: %s (tags %v)", userID, a.Name, a.Tags)
	}
	return exampleenv.Expect("agents tagged "+userID, len(byTag), 1)
}

func agentNames(agents []letta.AgentState) string {
	names := make([]string, len(agents))
	for i, a := range agents {
		names[i] = a.Name
	}
	return "[" + strings.Join(names, ", ") + "]"
}

func identityKeys(ids []letta.Identity) string {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = id.IdentifierKey
	}
	return "[" + strings.Join(keys, ", ") + "]"
}

func blockLabels(blocks []letta.Block) string {
	labels := make([]string, len(blocks))
	for i, b := range blocks {
		labels[i] = b.GetLabel()
	}
	return "[" + strings.Join(labels, ", ") + "]"
}

// distinctIDs counts the distinct agents in a list.
func distinctIDs(agents []letta.AgentState) int {
	seen := map[string]bool{}
	for _, a := range agents {
		seen[a.ID] = true
	}
	return len(seen)
}

// deleteBlocksLater registers the deletion of the blocks an agent was
// created with.
func deleteBlocksLater(env *exampleenv.Env, agent *letta.AgentState) {
	for i := range agent.Blocks {
		env.DeleteBlockLater(&agent.Blocks[i])
	}
}
