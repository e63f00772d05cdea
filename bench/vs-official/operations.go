package main

import (
	"context"
	"fmt"
	"slices"

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
// client's call under the same name. To add one: add it here, give it a
// payload (or events, for a stream), and add the same name to bench.mjs's
// table.
type operation struct {
	// name is how both drivers know the call.
	name string
	// column heads its column in the tables.
	column string
	// route is the http.ServeMux pattern the server answers it on.
	route string
	// payload renders the JSON body of the answer; it is called once.
	payload func() []byte
	// events, instead of payload, makes the answer a text/event-stream:
	// the server writes each event and flushes it, as the real server
	// streams a turn.
	events func() [][]byte
	// modes are the modes the operation is timed in; nil is every mode.
	modes []mode
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
	{
		name:    "messages.send",
		column:  "messages.send",
		route:   "POST /v1/agents/{agent_id}/messages",
		payload: sendPayload,
		call: func(ctx context.Context, c *letta.Client) error {
			r, err := c.Messages.Send(ctx, benchdata.AgentID(0), userSays())
			if err == nil && (len(r.Messages) != sendMessages || r.StopReason.StopReason == nil) {
				err = fmt.Errorf("messages.send: %d messages, want %d, and a stop reason", len(r.Messages), sendMessages)
			}
			return err
		},
	},
	{
		name:   "messages.stream",
		column: "messages.stream",
		// The same route: the server tells a stream by its body's
		// "streaming": true; this one is served only as a stream.
		route:  "POST /v1/agents/{agent_id}/messages",
		events: streamEvents,
		// A stream is chunked by nature (the real server flushes each
		// event): there is no Content-Length to send.
		modes: []mode{chunked, gzipped},
		call: func(ctx context.Context, c *letta.Client) error {
			n := 0
			for _, err := range c.Messages.Stream(ctx, benchdata.AgentID(0),
				&letta.MessageStreamParams{MessageSendParams: *userSays(), StreamTokens: letta.Ptr(true)}) {
				if err != nil {
					return err
				}
				n++
			}
			if n != streamMessages {
				return fmt.Errorf("messages.stream: %d messages, want %d", n, streamMessages)
			}
			return nil
		},
	},
}

// userSays is the message both clients send.
func userSays() *letta.MessageSendParams {
	return &letta.MessageSendParams{Messages: []letta.MessageCreate{{Role: letta.MessageRoleUser, Content: letta.TextContent("hello there")}}}
}

// in reports whether op is timed in mode m.
func (op operation) in(m mode) bool { return op.modes == nil || slices.Contains(op.modes, m) }

// lookup returns the operation called name.
func lookup(name string) (operation, error) {
	for _, op := range operations {
		if op.name == name {
			return op, nil
		}
	}
	return operation{}, fmt.Errorf("no operation %q", name)
}
