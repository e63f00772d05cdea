package letta_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"gopkg.in/dnaeon/go-vcr.v3/cassette"
	"gopkg.in/dnaeon/go-vcr.v3/recorder"

	"github.com/letta-go/letta"
)

// The examples of the blocks routes replay cassettes recorded from the real
// Letta server (testdata/cassettes/Example*.yaml), because lettatest does
// not serve these routes yet; their output is what the real server
// answered. Record them again with
//
//	LETTA_RECORD=1 LETTA_BASE_URL=... go test -run 'Example(Blocks|AgentsService_.*Block)' .

// exampleRecordedClient returns a client whose requests replay (or, with
// LETTA_RECORD=1 and LETTA_BASE_URL, record) the cassette of the named
// example, and a function that ends the replay. In a program the client
// comes from letta.NewClientFromEnv.
func exampleRecordedClient(name string) (*letta.Client, func()) {
	path := filepath.Join(cassetteDir, name)
	recording := os.Getenv(recordEnv) == "1" && os.Getenv(letta.EnvBaseURL) != ""
	opts := &recorder.Options{CassetteName: path, SkipRequestLatency: true, Mode: recorder.ModeReplayOnly,
		RealTransport: failingTransport{}}
	if recording {
		opts.Mode, opts.RealTransport = recorder.ModeRecordOnly, http.DefaultTransport.(*http.Transport).Clone()
	}
	rec, err := recorder.NewWithOptions(opts)
	if err != nil {
		panic(err)
	}
	var unreplayed []string
	hc := &http.Client{Transport: rec}
	var client *letta.Client
	if recording {
		client, err = letta.NewClientFromEnv(testClientOptions(hc)...)
		if err != nil {
			panic(err)
		}
		scrub, err := newScrubber(client.BaseURL(), []string{os.Getenv(letta.EnvAPIKey)})
		if err != nil {
			panic(err)
		}
		stable := &stabiliser{}
		rec.AddHook(scrub.interaction, recorder.BeforeSaveHook)
		rec.AddHook(stable.capture, recorder.AfterCaptureHook)
		rec.AddHook(stable.rewrite, recorder.BeforeSaveHook)
	} else {
		rec.SetMatcher(matchRequest)
		rec.AddHook(func(i *cassette.Interaction) error {
			if !i.WasReplayed() {
				unreplayed = append(unreplayed, i.Request.Method+" "+i.Request.URL)
			}
			return nil
		}, recorder.OnRecorderStopHook)
		client, err = letta.NewClient(append(testClientOptions(hc),
			letta.WithBaseURL(canonicalBaseURL), letta.WithAPIKey(replayAPIKey))...)
		if err != nil {
			panic(err)
		}
	}
	return client, func() {
		if err := rec.Stop(); err != nil {
			panic(err)
		}
		if len(unreplayed) > 0 {
			panic(fmt.Sprintf("cassette %s: interactions never requested: %v", path, unreplayed))
		}
	}
}

// exampleAgent creates an agent on the recording server's free model.
func exampleAgent(ctx context.Context, client *letta.Client, params letta.AgentCreateParams) *letta.AgentState {
	params.Model, params.Embedding = letta.Ptr("letta/letta-free"), letta.Ptr("letta/letta-free")
	params.IncludeBaseTools = letta.Ptr(false)
	agent, err := client.Agents.Create(ctx, &params)
	if err != nil {
		panic(err)
	}
	return agent
}

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
	client, stop := exampleRecordedClient("ExampleBlocksService_Create")
	defer stop()
	ctx := context.Background()

	user := mustIdentity(ctx, client, "example-create-user_1", "Caren")
	defer client.Identities.Delete(ctx, user.ID)
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
	defer client.Blocks.Delete(ctx, profile.ID)
	if _, err := client.Blocks.AttachIdentity(ctx, profile.ID, user.ID); err != nil {
		fmt.Println(err)
		return
	}
	agent := exampleAgent(ctx, client, letta.AgentCreateParams{
		Name: letta.Ptr("caren-support"), IdentityIDs: []string{user.ID}, BlockIDs: []string{profile.ID},
	})
	defer client.Agents.Delete(ctx, agent.ID)

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
	client, stop := exampleRecordedClient("ExampleBlocksService_List")
	defer stop()
	ctx := context.Background()
	for _, v := range []string{"Likes jazz.", "Likes tea.", "Plays chess."} {
		b := exampleBlock(ctx, client, "fact", v, "example-list")
		defer client.Blocks.Delete(ctx, b.ID)
	}

	// Oldest first by default; filters are combined.
	blocks, err := client.Blocks.List(ctx, &letta.BlockListParams{Tags: []string{"example-list"}, ValueSearch: "likes"})
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
	client, stop := exampleRecordedClient("ExampleBlocksService_ListAll")
	defer stop()
	ctx := context.Background()
	for _, v := range []string{"one", "two", "three"} {
		b := exampleBlock(ctx, client, "note", v, "example-listall")
		defer client.Blocks.Delete(ctx, b.ID)
	}

	for b, err := range client.Blocks.ListAll(ctx, &letta.BlockListParams{Tags: []string{"example-listall"}, Limit: 2}) {
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
	client, stop := exampleRecordedClient("ExampleBlocksService_Count")
	defer stop()
	ctx := context.Background()
	for _, label := range []string{"human", "human", "persona"} {
		b := exampleBlock(ctx, client, label, "", "example-count")
		defer client.Blocks.Delete(ctx, b.ID)
	}

	n, err := client.Blocks.Count(ctx, &letta.BlockCountParams{Tags: []string{"example-count"}, Label: "human"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n)
	// Output:
	// 2
}

func ExampleBlocksService_Get() {
	client, stop := exampleRecordedClient("ExampleBlocksService_Get")
	defer stop()
	ctx := context.Background()
	b := exampleBlock(ctx, client, "human", "Name: Caren.")
	defer client.Blocks.Delete(ctx, b.ID)

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
	client, stop := exampleRecordedClient("ExampleBlocksService_Update")
	defer stop()
	ctx := context.Background()
	b := exampleBlock(ctx, client, "human", "Name: Caren.", "draft")
	defer client.Blocks.Delete(ctx, b.ID)

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
	client, stop := exampleRecordedClient("ExampleBlocksService_Delete")
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
	client, stop := exampleRecordedClient("ExampleBlocksService_ListAgents")
	defer stop()
	ctx := context.Background()
	b := exampleBlock(ctx, client, "team", "Team blue.")
	defer client.Blocks.Delete(ctx, b.ID)
	for _, name := range []string{"blue-support", "blue-coach"} {
		a := exampleAgent(ctx, client, letta.AgentCreateParams{Name: letta.Ptr(name), BlockIDs: []string{b.ID}})
		defer client.Agents.Delete(ctx, a.ID)
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
	client, stop := exampleRecordedClient("ExampleBlocksService_ListAgentsAll")
	defer stop()
	ctx := context.Background()
	b := exampleBlock(ctx, client, "team", "Team green.")
	defer client.Blocks.Delete(ctx, b.ID)
	for _, name := range []string{"green-1", "green-2", "green-3"} {
		a := exampleAgent(ctx, client, letta.AgentCreateParams{Name: letta.Ptr(name), BlockIDs: []string{b.ID}})
		defer client.Agents.Delete(ctx, a.ID)
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
	client, stop := exampleRecordedClient("ExampleBlocksService_AttachIdentity")
	defer stop()
	ctx := context.Background()
	user := mustIdentity(ctx, client, "example-attach-user_1", "Caren")
	defer client.Identities.Delete(ctx, user.ID)
	b := exampleBlock(ctx, client, "user_profile", "Name: Caren.")
	defer client.Blocks.Delete(ctx, b.ID)

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
	client, stop := exampleRecordedClient("ExampleBlocksService_DetachIdentity")
	defer stop()
	ctx := context.Background()
	user := mustIdentity(ctx, client, "example-detach-user_1", "Caren")
	defer client.Identities.Delete(ctx, user.ID)
	b := exampleBlock(ctx, client, "user_profile", "Name: Caren.")
	defer client.Blocks.Delete(ctx, b.ID)
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
	client, stop := exampleRecordedClient("ExampleAgentsService_ListBlocks")
	defer stop()
	ctx := context.Background()
	agent := exampleAgent(ctx, client, letta.AgentCreateParams{
		Name:         letta.Ptr("caren-assistant"),
		MemoryBlocks: []letta.CreateBlock{{Label: "human", Value: "Name: Caren."}},
	})
	defer client.Agents.Delete(ctx, agent.ID)
	defer client.Blocks.Delete(ctx, agent.Memory.Blocks[0].ID) // deleting the agent keeps its blocks

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
	client, stop := exampleRecordedClient("ExampleAgentsService_ListBlocksAll")
	defer stop()
	ctx := context.Background()
	agent := exampleAgent(ctx, client, letta.AgentCreateParams{
		Name:         letta.Ptr("caren-assistant"),
		MemoryBlocks: []letta.CreateBlock{{Label: "persona", Value: "I am a helpful assistant."}},
	})
	defer client.Agents.Delete(ctx, agent.ID)
	defer client.Blocks.Delete(ctx, agent.Memory.Blocks[0].ID)

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
	client, stop := exampleRecordedClient("ExampleAgentsService_GetBlock")
	defer stop()
	ctx := context.Background()
	agent := exampleAgent(ctx, client, letta.AgentCreateParams{
		Name:         letta.Ptr("caren-assistant"),
		MemoryBlocks: []letta.CreateBlock{{Label: "human", Value: "Name: Caren."}},
	})
	defer client.Agents.Delete(ctx, agent.ID)
	defer client.Blocks.Delete(ctx, agent.Memory.Blocks[0].ID)

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
	client, stop := exampleRecordedClient("ExampleAgentsService_UpdateBlock")
	defer stop()
	ctx := context.Background()
	agent := exampleAgent(ctx, client, letta.AgentCreateParams{
		Name:         letta.Ptr("caren-assistant"),
		MemoryBlocks: []letta.CreateBlock{{Label: "human", Value: "Name: Caren."}},
	})
	defer client.Agents.Delete(ctx, agent.ID)
	defer client.Blocks.Delete(ctx, agent.Memory.Blocks[0].ID)

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
	client, stop := exampleRecordedClient("ExampleAgentsService_AttachBlock")
	defer stop()
	ctx := context.Background()
	agent := exampleAgent(ctx, client, letta.AgentCreateParams{Name: letta.Ptr("caren-assistant")})
	defer client.Agents.Delete(ctx, agent.ID)
	b := exampleBlock(ctx, client, "team", "Team blue.")
	defer client.Blocks.Delete(ctx, b.ID)

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
	client, stop := exampleRecordedClient("ExampleAgentsService_DetachBlock")
	defer stop()
	ctx := context.Background()
	b := exampleBlock(ctx, client, "team", "Team blue.")
	defer client.Blocks.Delete(ctx, b.ID)
	agent := exampleAgent(ctx, client, letta.AgentCreateParams{Name: letta.Ptr("caren-assistant"), BlockIDs: []string{b.ID}})
	defer client.Agents.Delete(ctx, agent.ID)

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
