package main

import (
	"context"
	"fmt"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/internal/benchdata"
)

// listLimit is the page size of the timed list call: a page of 50 agents
// with every relationship is about 1.3 MB.
const listLimit = 50

// apiKey is what both clients send; the server does not check it.
const apiKey = "sk-let-vs-official"

// An operation is one call the comparison times: the route the server answers
// it on, with what, and the SDK's call. node/bench.mjs has the official
// client's call under the same name. To add one (issue 16's send and
// stream): add it here, give it a payload (or a writer for a stream), and add
// the same name to bench.mjs's table.
type operation struct {
	// name is how both drivers know the call.
	name string
	// column heads its column in the tables.
	column string
	// route is the http.ServeMux pattern the server answers it on.
	route string
	// payload renders the JSON body of the answer; it is called once.
	payload func() []byte
	// call makes the call with the SDK and checks the answer.
	call func(ctx context.Context, c *letta.Client) error
}

var operations = []operation{
	{
		name:    "agents.list",
		column:  fmt.Sprintf("agents.list (%d)", listLimit),
		route:   "GET /v1/agents/{$}",
		payload: func() []byte { return benchdata.AgentPage(0, listLimit) },
		call: func(ctx context.Context, c *letta.Client) error {
			page, err := c.Agents.List(ctx, &letta.AgentListParams{Limit: listLimit})
			if err == nil && len(page) != listLimit {
				err = fmt.Errorf("agents.list: %d agents, want %d", len(page), listLimit)
			}
			return err
		},
	},
	{
		name:    "agents.get",
		column:  "agents.get",
		route:   "GET /v1/agents/{agent_id}",
		payload: func() []byte { return benchdata.Agent(0) },
		call: func(ctx context.Context, c *letta.Client) error {
			a, err := c.Agents.Get(ctx, benchdata.AgentID(0), nil)
			if err == nil && a.ID != benchdata.AgentID(0) {
				err = fmt.Errorf("agents.get: id %q", a.ID)
			}
			return err
		},
	},
	{
		name:    "identities.get",
		column:  "identities.get",
		route:   "GET /v1/identities/{identity_id}",
		payload: benchdata.Identity,
		call: func(ctx context.Context, c *letta.Client) error {
			id, err := c.Identities.Get(ctx, benchdata.IdentityID)
			if err == nil && id.ID != benchdata.IdentityID {
				err = fmt.Errorf("identities.get: id %q", id.ID)
			}
			return err
		},
	},
	{
		name:    "identities.create",
		column:  "identities.create",
		route:   "POST /v1/identities/{$}",
		payload: benchdata.Identity,
		// The body is benchdata.IdentityCreateBody's, as bench.mjs sends it.
		call: func(ctx context.Context, c *letta.Client) error {
			id, err := c.Identities.Create(ctx, &letta.IdentityCreateParams{
				IdentifierKey: "user_1",
				Name:          "Caren Jones",
				IdentityType:  letta.IdentityTypeUser,
				Properties:    []letta.IdentityProperty{letta.StringProperty("plan", "pro"), letta.IntProperty("seats", 12)},
			})
			if err == nil && id.ID != benchdata.IdentityID {
				err = fmt.Errorf("identities.create: id %q", id.ID)
			}
			return err
		},
	},
}

// lookup returns the operation called name.
func lookup(name string) (operation, error) {
	for _, op := range operations {
		if op.name == name {
			return op, nil
		}
	}
	return operation{}, fmt.Errorf("no operation %q", name)
}
