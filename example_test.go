package letta_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/lettatest"
)

// exampleClient starts an in-process lettatest server (deterministic ids,
// a default model) and returns a client for it and a function that stops
// the server. In a program the client comes from letta.NewClientFromEnv.
func exampleClient() (*letta.Client, func()) {
	srv := lettatest.NewServer(lettatest.WithDeterministicIDs(1), lettatest.WithDefaultModel("openai/gpt-4o-mini"))
	client, err := letta.NewClient(letta.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	return client, srv.Close
}

// mustIdentity creates a user identity for the examples that need one.
func mustIdentity(ctx context.Context, client *letta.Client, key, name string) *letta.Identity {
	id, err := client.Identities.Create(ctx, &letta.IdentityCreateParams{
		IdentifierKey: key, Name: name, IdentityType: letta.IdentityTypeUser,
	})
	if err != nil {
		panic(err)
	}
	return id
}

// mustAgent creates an agent for the examples that need one.
func mustAgent(ctx context.Context, client *letta.Client, params *letta.AgentCreateParams) *letta.AgentState {
	if params.Model == nil {
		params.Model = letta.Ptr("openai/gpt-4o-mini")
	}
	agent, err := client.Agents.Create(ctx, params)
	if err != nil {
		panic(err)
	}
	return agent
}

// The multi-user pattern: one identity per end user of your application,
// agents attached to it, and the user's agents listed by identifier key.
func Example() {
	client, stop := exampleClient() // in a program: letta.NewClientFromEnv()
	defer stop()
	ctx := context.Background()

	user, err := client.Identities.Create(ctx, &letta.IdentityCreateParams{
		IdentifierKey: "user_1", // your own user id
		Name:          "Caren",
		IdentityType:  letta.IdentityTypeUser,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.Agents.Create(ctx, &letta.AgentCreateParams{
		Name:               letta.Ptr("caren-assistant"),
		MemoryBlocks:       []letta.CreateBlock{{Label: "human", Value: "The human's name is Caren."}},
		Model:              letta.Ptr("openai/gpt-4o-mini"),
		ContextWindowLimit: letta.Ptr(16000),
		Embedding:          letta.Ptr("openai/text-embedding-3-small"),
		IdentityIDs:        []string{user.ID},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	agents, err := client.Agents.List(ctx, &letta.AgentListParams{IdentifierKeys: []string{"user_1"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range agents {
		fmt.Println(a.Name, a.GetModel())
	}
	// Output:
	// caren-assistant openai/gpt-4o-mini
}

func ExampleNewClient() {
	client, err := letta.NewClient(
		letta.WithBaseURL(letta.LocalBaseURL), // a self-hosted server; the default is Letta Cloud
		letta.WithAPIKey("my-server-password"),
		letta.WithMaxRetries(3),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(client.BaseURL())
	fmt.Println(client) // the key never shows
	// Output:
	// http://localhost:8283
	// letta.Client{BaseURL: "http://localhost:8283", APIKey: [REDACTED], MaxRetries: 3}
}

func ExampleNewClientFromEnv() {
	srv := lettatest.NewServer(lettatest.WithAPIKey("example-key"))
	defer srv.Close()
	// These are normally set outside the program; the example sets them
	// for itself and restores them afterwards.
	defer setenvForExample(letta.EnvBaseURL, srv.URL)()
	defer setenvForExample(letta.EnvAPIKey, "example-key")()

	client, err := letta.NewClientFromEnv()
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := client.Agents.Count(context.Background(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("agents:", n)
	// Output:
	// agents: 0
}

// setenvForExample sets an environment variable and returns what restores
// it. Examples run one at a time, after the tests.
func setenvForExample(name, value string) func() {
	old, had := os.LookupEnv(name)
	_ = os.Setenv(name, value)
	return func() {
		if had {
			_ = os.Setenv(name, old)
		} else {
			_ = os.Unsetenv(name)
		}
	}
}

func ExampleIdentitiesService_Create() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()

	params := &letta.IdentityCreateParams{
		IdentifierKey: "user_1",
		Name:          "Caren",
		IdentityType:  letta.IdentityTypeUser,
		Properties:    []letta.IdentityProperty{letta.StringProperty("plan", "pro")},
	}
	id, err := client.Identities.Create(ctx, params)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id.IdentifierKey, id.Name, id.IdentityType, len(id.Properties))

	// Identifier keys are unique: a second create is a 409.
	_, err = client.Identities.Create(ctx, params)
	fmt.Println(errors.Is(err, letta.ErrConflict))
	// Output:
	// user_1 Caren user 1
	// true
}

func ExampleIdentitiesService_List() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	mustIdentity(ctx, client, "user_1", "Caren")
	mustIdentity(ctx, client, "user_2", "Sarah")

	// Newest first by default.
	all, err := client.Identities.List(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, id := range all {
		fmt.Println(id.IdentifierKey, id.Name)
	}

	// Find the identity of one of your users by its key.
	found, err := client.Identities.List(ctx, &letta.IdentityListParams{IdentifierKey: "user_2"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("found:", found[0].Name)
	// Output:
	// user_2 Sarah
	// user_1 Caren
	// found: Sarah
}

func ExampleIdentitiesService_ListAll() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	for _, key := range []string{"user_1", "user_2", "user_3"} {
		mustIdentity(ctx, client, key, "User "+key)
	}

	// Two per page, oldest first; ListAll fetches the pages as needed.
	params := &letta.IdentityListParams{Limit: 2, Order: letta.OrderAsc}
	for id, err := range client.Identities.ListAll(ctx, params) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(id.IdentifierKey)
	}
	// Output:
	// user_1
	// user_2
	// user_3
}

func ExampleIdentitiesService_Get() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	created := mustIdentity(ctx, client, "user_1", "Caren")

	id, err := client.Identities.Get(ctx, created.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id.IdentifierKey, id.Name)

	_, err = client.Identities.Get(ctx, "identity-00000000-0000-4000-8000-000000000000")
	fmt.Println(errors.Is(err, letta.ErrNotFound))
	// Output:
	// user_1 Caren
	// true
}

// A start-up check: Health answers when the configured server is up.
func ExampleClient_Health() {
	client, stop := exampleClient() // in a program: letta.NewClientFromEnv()
	defer stop()
	h, err := client.Health(context.Background(), letta.WithRequestMaxRetries(0))
	if err != nil {
		fmt.Println("Letta is not reachable:", err)
		return
	}
	fmt.Println(h.Status)
	// Output:
	// ok
}

// Create or get: Create answers ErrConflict when the identifier key is
// taken, and GetByKey then fetches the identity that has it. GetByKey
// answers ErrNotFound for a key nobody has.
func ExampleIdentitiesService_GetByKey() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()

	createOrGet := func(params *letta.IdentityCreateParams) (*letta.Identity, error) {
		id, err := client.Identities.Create(ctx, params)
		if errors.Is(err, letta.ErrConflict) {
			return client.Identities.GetByKey(ctx, params.IdentifierKey)
		}
		return id, err
	}
	params := &letta.IdentityCreateParams{IdentifierKey: "user_1", Name: "Caren", IdentityType: letta.IdentityTypeUser}
	first, err := createOrGet(params)
	if err != nil {
		fmt.Println(err)
		return
	}
	second, err := createOrGet(params) // the key is taken: the same identity
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(first.ID == second.ID, second.IdentifierKey)

	_, err = client.Identities.GetByKey(ctx, "user_2")
	fmt.Println(errors.Is(err, letta.ErrNotFound))
	fmt.Println(err)
	// Output:
	// true user_1
	// true
	// letta: Identities.GetByKey: no identity with identifier_key "user_2"
}

func ExampleIdentitiesService_Update() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	id, err := client.Identities.Create(ctx, &letta.IdentityCreateParams{
		IdentifierKey: "user_1", Name: "Caren", IdentityType: letta.IdentityTypeUser,
		Properties: []letta.IdentityProperty{letta.StringProperty("plan", "free"), letta.IntProperty("seats", 1)},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	// Only the fields set are changed; properties are merged by key.
	id, err = client.Identities.Update(ctx, id.ID, &letta.IdentityUpdateParams{
		Name:       letta.Ptr("Caren Smith"),
		Properties: []letta.IdentityProperty{letta.StringProperty("plan", "pro")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id.Name)
	for _, p := range id.Properties {
		fmt.Printf("%s=%s\n", p.Key, p.Value)
	}
	// Output:
	// Caren Smith
	// plan="pro"
	// seats=1
}

func ExampleIdentitiesService_Upsert() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	mustIdentity(ctx, client, "user_1", "Caren")

	// The identity is found by its key and overwritten.
	id, err := client.Identities.Upsert(ctx, &letta.IdentityUpsertParams{
		IdentifierKey: "user_1",
		Name:          "Caren Smith",
		IdentityType:  letta.IdentityTypeUser,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := client.Identities.Count(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id.IdentifierKey, id.Name, n)
	// Output:
	// user_1 Caren Smith 1
}

func ExampleIdentitiesService_Delete() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	id := mustIdentity(ctx, client, "user_1", "Caren")

	if err := client.Identities.Delete(ctx, id.ID); err != nil {
		fmt.Println(err)
		return
	}
	// Deleting it again reports that it is gone.
	err := client.Identities.Delete(ctx, id.ID)
	fmt.Println(errors.Is(err, letta.ErrNotFound))
	// Output:
	// true
}

func ExampleIdentitiesService_Count() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	mustIdentity(ctx, client, "user_1", "Caren")
	mustIdentity(ctx, client, "user_2", "Sarah")

	n, err := client.Identities.Count(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n)
	// Output:
	// 2
}

func ExampleIdentitiesService_UpsertProperties() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	id := mustIdentity(ctx, client, "user_1", "Caren")

	// The list replaces every existing property.
	id, err := client.Identities.UpsertProperties(ctx, id.ID, []letta.IdentityProperty{
		letta.StringProperty("plan", "pro"),
		letta.BoolProperty("beta", true),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range id.Properties {
		fmt.Println(p.Key, p.Type)
	}
	plan, _ := id.Properties[0].StringValue()
	fmt.Println("plan:", plan)
	// Output:
	// plan string
	// beta boolean
	// plan: pro
}

func ExampleIdentitiesService_ListAgents() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	user := mustIdentity(ctx, client, "user_1", "Caren")
	mustAgent(ctx, client, &letta.AgentCreateParams{Name: letta.Ptr("work"), IdentityIDs: []string{user.ID}})
	mustAgent(ctx, client, &letta.AgentCreateParams{Name: letta.Ptr("home"), IdentityIDs: []string{user.ID}})
	mustAgent(ctx, client, &letta.AgentCreateParams{Name: letta.Ptr("someone-else")})

	agents, err := client.Identities.ListAgents(ctx, user.ID, &letta.IdentityAgentListParams{Order: letta.OrderAsc})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range agents {
		fmt.Println(a.Name)
	}
	// Output:
	// work
	// home
}

func ExampleIdentitiesService_ListAgentsAll() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	user := mustIdentity(ctx, client, "user_1", "Caren")
	for _, name := range []string{"a", "b", "c"} {
		mustAgent(ctx, client, &letta.AgentCreateParams{Name: letta.Ptr(name), IdentityIDs: []string{user.ID}})
	}

	params := &letta.IdentityAgentListParams{Limit: 2, Order: letta.OrderAsc}
	for a, err := range client.Identities.ListAgentsAll(ctx, user.ID, params) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(a.Name)
	}
	// Output:
	// a
	// b
	// c
}

func ExampleIdentitiesService_ListBlocks() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	user := mustIdentity(ctx, client, "user_1", "Caren")
	// A block of the user's own, tied to the identity.
	profile, err := client.Blocks.Create(ctx, &letta.BlockCreateParams{Label: "human", Value: "The human's name is Caren."})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := client.Blocks.AttachIdentity(ctx, profile.ID, user.ID); err != nil {
		fmt.Println(err)
		return
	}

	blocks, err := client.Identities.ListBlocks(ctx, user.ID, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range blocks {
		fmt.Printf("%s: %s\n", b.GetLabel(), b.Value)
	}
	// Output:
	// human: The human's name is Caren.
}

func ExampleIdentitiesService_ListBlocksAll() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	user := mustIdentity(ctx, client, "user_1", "Caren")
	for _, label := range []string{"human", "preferences", "projects"} {
		b, err := client.Blocks.Create(ctx, &letta.BlockCreateParams{Label: label, Value: "..."})
		if err != nil {
			fmt.Println(err)
			return
		}
		if _, err := client.Blocks.AttachIdentity(ctx, b.ID, user.ID); err != nil {
			fmt.Println(err)
			return
		}
	}

	// Newest first, two per request. (Blocks made by one request, like an
	// agent's memory_blocks, share created_at, and the server's descending
	// cursor breaks such ties the wrong way: walk those in OrderAsc.)
	for b, err := range client.Identities.ListBlocksAll(ctx, user.ID, &letta.IdentityBlockListParams{Limit: 2}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(b.GetLabel())
	}
	// Output:
	// projects
	// preferences
	// human
}

func ExampleAgentsService_Create() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	user := mustIdentity(ctx, client, "user_1", "Caren")

	agent, err := client.Agents.Create(ctx, &letta.AgentCreateParams{
		Name: letta.Ptr("caren-assistant"),
		MemoryBlocks: []letta.CreateBlock{
			{Label: "human", Value: "The human's name is Caren."},
			{Label: "persona", Value: "I am a helpful assistant."},
		},
		Model:              letta.Ptr("openai/gpt-4o-mini"),
		ContextWindowLimit: letta.Ptr(16000),
		Embedding:          letta.Ptr("openai/text-embedding-3-small"),
		IdentityIDs:        []string{user.ID},
		Tags:               []string{"user_1"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(agent.Name, agent.GetModel(), agent.GetEmbedding())
	fmt.Println(len(agent.Blocks), "blocks, tags", agent.Tags, "identity", agent.Identities[0].IdentifierKey)
	// Output:
	// caren-assistant openai/gpt-4o-mini openai/text-embedding-3-small
	// 2 blocks, tags [user_1] identity user_1
}

func ExampleAgentsService_List() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	user := mustIdentity(ctx, client, "user_1", "Caren")
	mustAgent(ctx, client, &letta.AgentCreateParams{Name: letta.Ptr("by-identity"), IdentityIDs: []string{user.ID}})
	mustAgent(ctx, client, &letta.AgentCreateParams{Name: letta.Ptr("by-tag"), Tags: []string{"user_2", "pro"}})

	// The agents of a user, by identifier key ...
	agents, err := client.Agents.List(ctx, &letta.AgentListParams{IdentifierKeys: []string{"user_1"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(agents), agents[0].Name)

	// ... or by tag. Tags are only returned when Include asks for them.
	agents, err = client.Agents.List(ctx, &letta.AgentListParams{
		Tags:         []string{"user_2", "pro"},
		MatchAllTags: letta.Ptr(true),
		Include:      []letta.AgentInclude{letta.IncludeAgentTags},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(agents), agents[0].Name, agents[0].Tags)
	// Output:
	// 1 by-identity
	// 1 by-tag [user_2 pro]
}

func ExampleAgentsService_ListAll() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	for i := 1; i <= 5; i++ {
		mustAgent(ctx, client, &letta.AgentCreateParams{Name: letta.Ptr(fmt.Sprintf("agent-%d", i))})
	}

	// Two per page, oldest first. Breaking out of the loop stops fetching.
	params := &letta.AgentListParams{Limit: 2, Order: letta.OrderAsc}
	for agent, err := range client.Agents.ListAll(ctx, params) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(agent.Name)
		if agent.Name == "agent-3" {
			break
		}
	}
	// Output:
	// agent-1
	// agent-2
	// agent-3
}

func ExampleAgentsService_Get() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	user := mustIdentity(ctx, client, "user_1", "Caren")
	created := mustAgent(ctx, client, &letta.AgentCreateParams{
		Name: letta.Ptr("caren-assistant"), IdentityIDs: []string{user.ID}, Tags: []string{"user_1"},
	})

	// Relationships are loaded only when Include asks for them.
	agent, err := client.Agents.Get(ctx, created.ID, &letta.AgentGetParams{
		Include: []letta.AgentInclude{letta.IncludeAgentTags, letta.IncludeAgentIdentities},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(agent.Name, agent.Tags, agent.Identities[0].Name)

	_, err = client.Agents.Get(ctx, "agent-00000000-0000-4000-8000-000000000000", nil)
	fmt.Println(errors.Is(err, letta.ErrNotFound))
	// Output:
	// caren-assistant [user_1] Caren
	// true
}

func ExampleAgentsService_Update() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	agent := mustAgent(ctx, client, &letta.AgentCreateParams{
		Name: letta.Ptr("assistant"), Tags: []string{"user_1", "free"},
	})

	// Nil fields are unchanged; Tags replaces the whole set.
	agent, err := client.Agents.Update(ctx, agent.ID, &letta.AgentUpdateParams{
		Description: letta.Ptr("Caren's assistant"),
		Tags:        []string{"user_1", "pro"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(agent.Name, agent.GetDescription(), agent.Tags)
	// Output:
	// assistant Caren's assistant [user_1 pro]
}

func ExampleAgentsService_Delete() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	agent := mustAgent(ctx, client, &letta.AgentCreateParams{Name: letta.Ptr("temporary")})

	if err := client.Agents.Delete(ctx, agent.ID); err != nil {
		fmt.Println(err)
		return
	}
	_, err := client.Agents.Get(ctx, agent.ID, nil)
	fmt.Println(errors.Is(err, letta.ErrNotFound))
	// Output:
	// true
}

func ExampleAgentsService_Count() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	mustAgent(ctx, client, &letta.AgentCreateParams{Tags: []string{"user_1"}})
	mustAgent(ctx, client, &letta.AgentCreateParams{Tags: []string{"user_1"}})
	mustAgent(ctx, client, &letta.AgentCreateParams{Tags: []string{"user_2"}})

	all, err := client.Agents.Count(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	mine, err := client.Agents.Count(ctx, &letta.AgentCountParams{Tags: []string{"user_1"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(all, mine)
	// Output:
	// 3 2
}

func ExampleAgentsService_AttachIdentity() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	agent := mustAgent(ctx, client, &letta.AgentCreateParams{Name: letta.Ptr("shared-assistant")})
	caren := mustIdentity(ctx, client, "user_1", "Caren")
	sarah := mustIdentity(ctx, client, "user_2", "Sarah")

	// Share one agent between two users.
	for _, user := range []*letta.Identity{caren, sarah} {
		if err := client.Agents.AttachIdentity(ctx, agent.ID, user.ID); err != nil {
			fmt.Println(err)
			return
		}
	}
	agents, err := client.Agents.List(ctx, &letta.AgentListParams{IdentifierKeys: []string{"user_2"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(agents[0].Name)
	// Output:
	// shared-assistant
}

func ExampleAgentsService_DetachIdentity() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()
	user := mustIdentity(ctx, client, "user_1", "Caren")
	agent := mustAgent(ctx, client, &letta.AgentCreateParams{IdentityIDs: []string{user.ID}})

	if err := client.Agents.DetachIdentity(ctx, agent.ID, user.ID); err != nil {
		fmt.Println(err)
		return
	}
	n, err := client.Agents.Count(ctx, &letta.AgentCountParams{IdentityID: user.ID})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n)
	// Output:
	// 0
}

// Branch on the kind of failure with errors.Is, and read the server's
// answer with errors.As.
func ExampleAPIError() {
	client, stop := exampleClient()
	defer stop()
	ctx := context.Background()

	_, err := client.Identities.Get(ctx, "identity-00000000-0000-4000-8000-000000000000")
	var apiErr *letta.APIError
	switch {
	case errors.Is(err, letta.ErrNotFound) && errors.As(err, &apiErr):
		fmt.Println("not found:", apiErr.StatusCode, apiErr.Method)
	case errors.Is(err, letta.ErrInvalidParam):
		fmt.Println("refused before sending:", err)
	case err != nil:
		fmt.Println("other error:", err)
	}
	// Output:
	// not found: 404 GET
}

// Input the client can check itself is refused before anything is sent.
func ExampleInvalidParamError() {
	client, stop := exampleClient()
	defer stop()

	_, err := client.Agents.Get(context.Background(), "", nil)
	var invalid *letta.InvalidParamError
	if errors.As(err, &invalid) {
		fmt.Println(invalid.Param, invalid.Reason, errors.Is(err, letta.ErrInvalidParam))
	}
	// Output:
	// agent_id must not be empty true
}
