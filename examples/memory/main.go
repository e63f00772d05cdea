// Command memory shows an agent's core memory and one user's memory shared
// by all of that user's agents: a "human" block made once for the user,
// tied to the user's identity and attached to each of the user's agents,
// so that what one agent learns or is told, every other one knows.
//
//	go run ./examples/memory
//
// It reads what an agent remembers (Agents.ListBlocks, Agents.GetBlock),
// edits it through one agent (Agents.UpdateBlock) and directly
// (Blocks.Update), shows that the other agent sees each edit, and has one
// agent take "remember that ..." into the shared block itself (a model
// turn: -model must name a model the server can reach).
//
// With LETTA_API_KEY (Letta Cloud) and/or LETTA_BASE_URL set it talks to that
// server; with neither it starts an in-process lettatest server. What it
// created is deleted at the end unless -keep is given.
package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/examples/internal/exampleenv"
)

func main() {
	exampleenv.Main("memory", run)
}

func run(ctx context.Context, env *exampleenv.Env) error {
	client := env.Client

	env.Step("1. An identity for the user")
	user, err := client.Identities.Create(ctx, &letta.IdentityCreateParams{
		IdentifierKey: env.Unique("memory-user_1"),
		Name:          "Caren",
		IdentityType:  letta.IdentityTypeUser,
	})
	if err != nil {
		return fmt.Errorf("creating the identity: %w", err)
	}
	env.DeleteIdentityLater(user)
	env.Printf("created identity %s (%s)", user.IdentifierKey, user.ID)

	env.Step("2. The user's memory: one \"human\" block, tied to the identity (Blocks.Create, Blocks.AttachIdentity)")
	human, err := client.Blocks.Create(ctx, &letta.BlockCreateParams{
		Label:       "human",
		Value:       "Name: Caren.",
		Description: letta.Ptr("What every agent of this user knows about her; keep it up to date."),
	})
	if err != nil {
		return fmt.Errorf("creating the user's block: %w", err)
	}
	env.DeleteBlockLater(human)
	if _, err := client.Blocks.AttachIdentity(ctx, human.ID, user.ID); err != nil {
		return fmt.Errorf("tying the block to the identity: %w", err)
	}
	// Later, e.g. when the user gets a new agent: the user's blocks.
	userBlocks, err := client.Identities.ListBlocks(ctx, user.ID, nil)
	if err != nil {
		return fmt.Errorf("listing the user's blocks: %w", err)
	}
	env.Printf("block %s (%s) = %q; the user's blocks: %s", human.GetLabel(), human.ID, human.Value, labels(userBlocks))
	if err := exampleenv.Expect("blocks of the identity", len(userBlocks), 1); err != nil {
		return err
	}

	env.Step("3. Two agents of the user with that block: one attached at create (BlockIDs), one afterwards (Agents.AttachBlock)")
	support, err := newAgent(ctx, env, "memory-support", "I am Caren's support agent.", user.ID, human.ID)
	if err != nil {
		return err
	}
	coach, err := newAgent(ctx, env, "memory-coach", "I am Caren's running coach.", user.ID, "")
	if err != nil {
		return err
	}
	if _, err := client.Agents.AttachBlock(ctx, coach.ID, human.ID); err != nil {
		return fmt.Errorf("attaching the user's block to %s: %w", coach.Name, err)
	}
	sharing, err := client.Blocks.ListAgents(ctx, human.ID, nil)
	if err != nil {
		return fmt.Errorf("listing the agents of the user's block: %w", err)
	}
	env.Printf("agents with the user's block: %s", agentNames(sharing))
	if err := exampleenv.Expect("agents sharing the block", len(sharing), 2); err != nil {
		return err
	}

	env.Step("4. What an agent remembers: its core memory blocks (Agents.ListBlocks)")
	for _, a := range []*letta.AgentState{support, coach} {
		blocks, err := client.Agents.ListBlocks(ctx, a.ID, nil)
		if err != nil {
			return fmt.Errorf("listing the blocks of %s: %w", a.Name, err)
		}
		env.Printf("%s:", a.Name)
		slices.SortFunc(blocks, func(x, y letta.Block) int { return strings.Compare(x.GetLabel(), y.GetLabel()) })
		for _, b := range blocks {
			env.Printf("  %-8s %q", b.GetLabel(), b.Value)
		}
		if err := exampleenv.Expect("blocks of "+a.Name, len(blocks), 2); err != nil {
			return err
		}
	}

	env.Step("5. Edit it through one agent (Agents.UpdateBlock by label); the other sees the edit")
	mem, err := client.Agents.GetBlock(ctx, support.ID, "human")
	if err != nil {
		return fmt.Errorf("reading what %s remembers: %w", support.Name, err)
	}
	if _, err := client.Agents.UpdateBlock(ctx, support.ID, "human", &letta.BlockUpdateParams{
		Value: letta.Ptr(mem.Value + "\nRuns 10 km on Sundays."),
	}); err != nil {
		return fmt.Errorf("editing what %s remembers: %w", support.Name, err)
	}
	if err := expectMemory(ctx, env, coach, "Runs 10 km on Sundays."); err != nil {
		return err
	}

	env.Step("6. Edit the block itself (Blocks.Get, Blocks.Update), e.g. from your application's settings page")
	// Read it again: Value replaces the whole text, and the block already
	// holds the edit made through the agent.
	cur, err := client.Blocks.Get(ctx, human.ID)
	if err != nil {
		return fmt.Errorf("reading the user's block: %w", err)
	}
	if _, err := client.Blocks.Update(ctx, human.ID, &letta.BlockUpdateParams{
		Value: letta.Ptr(cur.Value + "\nPrefers short answers."),
	}); err != nil {
		return fmt.Errorf("editing the user's block: %w", err)
	}
	if err := expectMemory(ctx, env, support, "Prefers short answers."); err != nil {
		return err
	}
	if err := expectMemory(ctx, env, coach, "Prefers short answers."); err != nil {
		return err
	}

	env.Step("7. Tell one agent to remember something (Messages.Send); the agent edits the shared block itself")
	resp, err := client.Messages.Send(ctx, support.ID, &letta.MessageSendParams{
		Messages: []letta.MessageCreate{{
			Role:    letta.MessageRoleUser,
			Content: letta.TextContent("Please remember that my favourite colour is green."),
		}},
	})
	if err != nil {
		return fmt.Errorf("talking to %s: %w", support.Name, err)
	}
	for _, m := range resp.Messages {
		switch m.MessageType {
		case letta.MessageTypeToolCall:
			if m.ToolCall != nil {
				env.Printf("%s called %s", support.Name, m.ToolCall.Name)
			}
		case letta.MessageTypeAssistant:
			env.Printf("%s: %s", support.Name, m.Text())
		}
	}
	return expectMemory(ctx, env, coach, "favourite colour is green")
}

// newAgent creates one of the user's agents with a persona of its own and,
// when blockID is set, the user's block. Its own blocks are deleted with it.
func newAgent(ctx context.Context, env *exampleenv.Env, name, persona, identityID, blockID string) (*letta.AgentState, error) {
	params := &letta.AgentCreateParams{
		Name:               letta.Ptr(name),
		MemoryBlocks:       []letta.CreateBlock{{Label: "persona", Value: persona}},
		Model:              letta.Ptr(env.Model),
		ContextWindowLimit: letta.Ptr(16000),
		Embedding:          letta.Ptr(env.Embedding),
		IdentityIDs:        []string{identityID},
	}
	if blockID != "" {
		params.BlockIDs = []string{blockID}
	}
	agent, err := env.Client.Agents.Create(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", name, err)
	}
	// The server keeps an agent's blocks when it deletes the agent; the
	// ones made with it (its persona) belong to nobody else.
	for i, b := range agent.Blocks {
		if b.ID != blockID {
			env.DeleteBlockLater(&agent.Blocks[i])
		}
	}
	env.DeleteAgentLater(agent)
	env.Printf("created agent %s (%s) with blocks %s", agent.Name, agent.ID, labels(agent.Blocks))
	return agent, nil
}

// expectMemory reads the agent's human block (Agents.GetBlock) and checks
// that it holds want.
func expectMemory(ctx context.Context, env *exampleenv.Env, agent *letta.AgentState, want string) error {
	b, err := env.Client.Agents.GetBlock(ctx, agent.ID, "human")
	if err != nil {
		return fmt.Errorf("reading what %s remembers: %w", agent.Name, err)
	}
	env.Printf("%s remembers: %q", agent.Name, b.Value)
	if !strings.Contains(b.Value, want) {
		return fmt.Errorf("%s's human block does not hold %q: %q", agent.Name, want, b.Value)
	}
	return nil
}

func labels(blocks []letta.Block) string {
	l := make([]string, len(blocks))
	for i, b := range blocks {
		l[i] = b.GetLabel()
	}
	return "[" + strings.Join(l, ", ") + "]"
}

// agentNames lists agents' names in alphabetical order.
func agentNames(agents []letta.AgentState) string {
	names := make([]string, len(agents))
	for i, a := range agents {
		names[i] = a.Name
	}
	slices.Sort(names)
	return "[" + strings.Join(names, ", ") + "]"
}
