package letta_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/letta-go/letta"
)

// The examples of the blocks routes run on an in-process lettatest server
// (exampleClient), which serves them as the real Letta server does.

// exampleBlock creates a block for the examples that need one.
func exampleBlock(ctx context.Context, client *letta.Client, label, value string, tags ...string) *letta.Block {
	b, err := client.Blocks.Create(ctx, &letta.BlockCreateParams{Label: label, Value: value, Tags: tags})
	if err != nil {
		panic(err)
	}
	return b
}

// One block per user, tied to the user's identity and attached to each of
// the user's agents: what one agent learns, all of them know.
func ExampleBlocksService_Create() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()

	user := mustIdentity(ctx, client, "user_1", "Caren")
	profile, err := client.Blocks.Create(ctx, &letta.BlockCreateParams{
		Label:       "user_profile",
		Value:       "Name: Caren.",
		Description: letta.Ptr("What every agent knows about this user."),
		Limit:       letta.Ptr(5000),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := client.Blocks.AttachIdentity(ctx, profile.ID, user.ID); err != nil {
		fmt.Println(err)
		return
	}
	agent := mustAgent(ctx, client, &letta.AgentCreateParams{
		Name: letta.Ptr("caren-support"), IdentityIDs: []string{user.ID}, BlockIDs: []string{profile.ID},
	})

	fmt.Println(profile.GetLabel(), profile.Limit, profile.Value)
	got, err := client.Agents.GetBlock(ctx, agent.ID, "user_profile")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.ID == profile.ID)
	// Output:
	// user_profile 5000 Name: Caren.
	// true
}

func ExampleBlocksService_List() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	for _, v := range []string{"Likes jazz.", "Likes tea.", "Plays chess."} {
		exampleBlock(ctx, client, "fact", v, "facts")
	}

	// Oldest first by default; filters are combined.
	blocks, err := client.Blocks.List(ctx, &letta.BlockListParams{Tags: []string{"facts"}, ValueSearch: "likes"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range blocks {
		fmt.Println(b.Value)
	}
	// Output:
	// Likes jazz.
	// Likes tea.
}

func ExampleBlocksService_ListAll() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	for _, v := range []string{"one", "two", "three"} {
		exampleBlock(ctx, client, "note", v, "notes")
	}

	for b, err := range client.Blocks.ListAll(ctx, &letta.BlockListParams{Tags: []string{"notes"}, Limit: 2}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(b.Value)
	}
	// Output:
	// one
	// two
	// three
}

func ExampleBlocksService_Count() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	for _, label := range []string{"human", "human", "persona"} {
		exampleBlock(ctx, client, label, "", "memory")
	}

	n, err := client.Blocks.Count(ctx, &letta.BlockCountParams{Tags: []string{"memory"}, Label: "human"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n)
	// Output:
	// 2
}

func ExampleBlocksService_Get() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	b := exampleBlock(ctx, client, "human", "Name: Caren.")

	got, err := client.Blocks.Get(ctx, b.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.GetLabel(), got.Value)
	// Output:
	// human Name: Caren.
}

func ExampleBlocksService_Update() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	b := exampleBlock(ctx, client, "human", "Name: Caren.", "draft")

	// Value is set and Tags replaced; the nil fields (Label, Limit, ...)
	// are unchanged.
	up, err := client.Blocks.Update(ctx, b.ID, &letta.BlockUpdateParams{
		Value: letta.Ptr("Name: Caren. Likes jazz."),
		Tags:  []string{"reviewed"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(up.GetLabel(), up.Value, up.Tags)
	// Output:
	// human Name: Caren. Likes jazz. [reviewed]
}

func ExampleBlocksService_Delete() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	b := exampleBlock(ctx, client, "scratch", "temporary")

	if err := client.Blocks.Delete(ctx, b.ID); err != nil {
		fmt.Println(err)
		return
	}
	_, err := client.Blocks.Get(ctx, b.ID)
	fmt.Println(errors.Is(err, letta.ErrNotFound))
	// Output:
	// true
}

func ExampleBlocksService_ListAgents() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	b := exampleBlock(ctx, client, "team", "Team blue.")
	for _, name := range []string{"blue-support", "blue-coach"} {
		mustAgent(ctx, client, &letta.AgentCreateParams{Name: letta.Ptr(name), BlockIDs: []string{b.ID}})
	}

	agents, err := client.Blocks.ListAgents(ctx, b.ID, nil) // newest first
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range agents {
		fmt.Println(a.Name)
	}
	// Output:
	// blue-coach
	// blue-support
}

func ExampleBlocksService_ListAgentsAll() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	b := exampleBlock(ctx, client, "team", "Team green.")
	for _, name := range []string{"green-1", "green-2", "green-3"} {
		mustAgent(ctx, client, &letta.AgentCreateParams{Name: letta.Ptr(name), BlockIDs: []string{b.ID}})
	}

	params := &letta.BlockAgentListParams{Order: letta.OrderAsc, Limit: 2}
	for a, err := range client.Blocks.ListAgentsAll(ctx, b.ID, params) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(a.Name)
	}
	// Output:
	// green-1
	// green-2
	// green-3
}

func ExampleBlocksService_AttachIdentity() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	user := mustIdentity(ctx, client, "user_1", "Caren")
	b := exampleBlock(ctx, client, "user_profile", "Name: Caren.")

	if _, err := client.Blocks.AttachIdentity(ctx, b.ID, user.ID); err != nil {
		fmt.Println(err)
		return
	}
	// The user's blocks, by identity.
	blocks, err := client.Blocks.List(ctx, &letta.BlockListParams{IdentityID: user.ID})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range blocks {
		fmt.Println(b.GetLabel(), b.Value)
	}
	// Output:
	// user_profile Name: Caren.
}

func ExampleBlocksService_DetachIdentity() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	user := mustIdentity(ctx, client, "user_1", "Caren")
	b := exampleBlock(ctx, client, "user_profile", "Name: Caren.")
	if _, err := client.Blocks.AttachIdentity(ctx, b.ID, user.ID); err != nil {
		fmt.Println(err)
		return
	}

	if _, err := client.Blocks.DetachIdentity(ctx, b.ID, user.ID); err != nil {
		fmt.Println(err)
		return
	}
	blocks, err := client.Identities.ListBlocks(ctx, user.ID, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(blocks))
	// Output:
	// 0
}

func ExampleAgentsService_ListBlocks() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	agent := mustAgent(ctx, client, &letta.AgentCreateParams{
		Name:         letta.Ptr("caren-assistant"),
		MemoryBlocks: []letta.CreateBlock{{Label: "human", Value: "Name: Caren."}},
	})

	blocks, err := client.Agents.ListBlocks(ctx, agent.ID, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range blocks {
		fmt.Println(b.GetLabel(), b.Value)
	}
	// Output:
	// human Name: Caren.
}

func ExampleAgentsService_ListBlocksAll() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	agent := mustAgent(ctx, client, &letta.AgentCreateParams{
		Name:         letta.Ptr("caren-assistant"),
		MemoryBlocks: []letta.CreateBlock{{Label: "persona", Value: "I am a helpful assistant."}},
	})

	for b, err := range client.Agents.ListBlocksAll(ctx, agent.ID, &letta.AgentBlockListParams{Limit: 10}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(b.GetLabel(), b.Value)
	}
	// Output:
	// persona I am a helpful assistant.
}

func ExampleAgentsService_GetBlock() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	agent := mustAgent(ctx, client, &letta.AgentCreateParams{
		Name:         letta.Ptr("caren-assistant"),
		MemoryBlocks: []letta.CreateBlock{{Label: "human", Value: "Name: Caren."}},
	})

	human, err := client.Agents.GetBlock(ctx, agent.ID, "human")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(human.Value)
	_, err = client.Agents.GetBlock(ctx, agent.ID, "nope")
	fmt.Println(errors.Is(err, letta.ErrNotFound))
	// Output:
	// Name: Caren.
	// true
}

func ExampleAgentsService_UpdateBlock() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	agent := mustAgent(ctx, client, &letta.AgentCreateParams{
		Name:         letta.Ptr("caren-assistant"),
		MemoryBlocks: []letta.CreateBlock{{Label: "human", Value: "Name: Caren."}},
	})

	human, err := client.Agents.UpdateBlock(ctx, agent.ID, "human", &letta.BlockUpdateParams{
		Value: letta.Ptr("Name: Caren. Likes jazz."),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(human.Value)
	// Output:
	// Name: Caren. Likes jazz.
}

func ExampleAgentsService_AttachBlock() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	agent := mustAgent(ctx, client, &letta.AgentCreateParams{Name: letta.Ptr("caren-assistant")})
	b := exampleBlock(ctx, client, "team", "Team blue.")

	agent, err := client.Agents.AttachBlock(ctx, agent.ID, b.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range agent.Memory.Blocks {
		fmt.Println(m.GetLabel(), m.Value)
	}
	// Output:
	// team Team blue.
}

func ExampleAgentsService_DetachBlock() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	b := exampleBlock(ctx, client, "team", "Team blue.")
	agent := mustAgent(ctx, client, &letta.AgentCreateParams{Name: letta.Ptr("caren-assistant"), BlockIDs: []string{b.ID}})

	agent, err := client.Agents.DetachBlock(ctx, agent.ID, b.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(agent.Memory.Blocks))
	// The block itself is kept.
	_, err = client.Blocks.Get(ctx, b.ID)
	fmt.Println(err)
	// Output:
	// 0
	// <nil>
}
