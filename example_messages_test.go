package letta_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/lettatest"
)

// exampleChat starts an in-process lettatest server, whose built-in
// deterministic model answers like the real server running the fake model
// of lettatest/openaifake, and returns a client, an agent with a human
// block and the memory_insert tool, and a function that ends the example.
// In a program the client comes from letta.NewClientFromEnv.
func exampleChat() (*letta.Client, string, func()) {
	srv := lettatest.NewServer(lettatest.WithDeterministicIDs(1))
	client, err := letta.NewClient(letta.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	agent, err := client.Agents.Create(context.Background(), &letta.AgentCreateParams{
		Model:            letta.Ptr("openai-proxy/letta-go-fake"),
		Embedding:        letta.Ptr("letta/letta-free"),
		MemoryBlocks:     []letta.CreateBlock{{Label: "human", Value: "The user's name is Ada."}},
		IncludeBaseTools: letta.Ptr(false),
		Tools:            []string{"memory_insert"},
	})
	if err != nil {
		panic(err)
	}
	return client, agent.ID, srv.Close
}

func ExampleMessagesService_Send() {
	client, agentID, done := exampleChat()
	defer done()

	resp, err := client.Messages.Send(context.Background(), agentID, &letta.MessageSendParams{
		Messages: []letta.MessageCreate{{Role: letta.MessageRoleUser, Content: letta.TextContent("remember that I like tea")}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range resp.Messages {
		switch m.MessageType {
		case letta.MessageTypeToolCall:
			fmt.Println("tool:", m.ToolCall.Name)
		case letta.MessageTypeAssistant:
			fmt.Println("agent:", m.Text())
		}
	}
	fmt.Println(*resp.StopReason.StopReason, *resp.Usage.StepCount, "steps")
	// Output:
	// tool: memory_insert
	// agent: I will remember that I like tea.
	// end_turn 2 steps
}

func ExampleMessagesService_Stream() {
	client, agentID, done := exampleChat()
	defer done()

	// The answer as it arrives: with StreamTokens, in pieces.
	stream := client.Messages.Stream(context.Background(), agentID, &letta.MessageStreamParams{
		MessageSendParams: letta.MessageSendParams{
			Messages: []letta.MessageCreate{{Role: letta.MessageRoleUser, Content: letta.TextContent("hello")}},
		},
		StreamTokens: letta.Ptr(true),
	})
	for m, err := range stream {
		if err != nil {
			fmt.Println(err) // a *StreamError says what had arrived
			return
		}
		switch m.MessageType {
		case letta.MessageTypeAssistant:
			fmt.Print(m.Text())
		case letta.MessageTypeStopReason:
			fmt.Println("\nstop:", *m.StopReason)
		}
	}
	// Output:
	// You said: hello
	// stop: end_turn
}

func ExampleMessagesService_List() {
	client, agentID, done := exampleChat()
	defer done()
	ctx := context.Background()

	for _, words := range []string{"hi", "how are you?"} {
		if _, err := client.Messages.Send(ctx, agentID, &letta.MessageSendParams{
			Messages: []letta.MessageCreate{{Role: letta.MessageRoleUser, Content: letta.TextContent(words)}},
		}); err != nil {
			fmt.Println(err)
			return
		}
	}
	// The newest 4 stored messages, the user's and the agent's only; a page
	// lists them oldest first.
	history, err := client.Messages.List(ctx, agentID, &letta.MessageListParams{
		Limit:                     letta.Ptr(4),
		IncludeReturnMessageTypes: []letta.MessageType{letta.MessageTypeUser, letta.MessageTypeAssistant},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range history {
		fmt.Printf("%s: %s\n", m.MessageType, m.Text())
	}
	// Output:
	// user_message: hi
	// assistant_message: You said: hi
	// user_message: how are you?
	// assistant_message: You said: how are you?
}

func ExampleMessagesService_ListAll() {
	client, agentID, done := exampleChat()
	defer done()
	ctx := context.Background()

	if _, err := client.Messages.Send(ctx, agentID, &letta.MessageSendParams{
		Messages: []letta.MessageCreate{{Role: letta.MessageRoleUser, Content: letta.TextContent("hi")}},
	}); err != nil {
		fmt.Println(err)
		return
	}
	// The whole history, oldest first, two stored messages a page.
	for m, err := range client.Messages.ListAll(ctx, agentID, &letta.MessageListParams{Limit: letta.Ptr(2)}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(m.MessageType)
	}
	// Output:
	// system_message
	// user_message
	// reasoning_message
	// assistant_message
}

func ExampleMessagesService_Reset() {
	client, agentID, done := exampleChat()
	defer done()
	ctx := context.Background()

	if _, err := client.Messages.Send(ctx, agentID, &letta.MessageSendParams{
		Messages: []letta.MessageCreate{{Role: letta.MessageRoleUser, Content: letta.TextContent("hi")}},
	}); err != nil {
		fmt.Println(err)
		return
	}
	agent, err := client.Messages.Reset(ctx, agentID, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("in context:", len(agent.MessageIDs)) // the system message
	// Output:
	// in context: 1
}

func ExampleMessagesService_Cancel() {
	client, agentID, done := exampleChat()
	defer done()

	// Cancel stops a turn running in another goroutine or process; with
	// none running the server answers 409.
	runs, err := client.Messages.Cancel(context.Background(), agentID, nil)
	switch {
	case errors.Is(err, letta.ErrConflict):
		fmt.Println("no turn to cancel")
	case err != nil:
		fmt.Println(err)
	default:
		fmt.Println("cancelled", len(runs), "runs")
	}
	// Output:
	// no turn to cancel
}

// A model provider that fails mid-turn: the stream yields the stop reason
// llm_api_error, then ends on the server's error event, an *EventError. The
// built-in lettatest server fails its model on "[fail]", as here.
func ExampleEventError() {
	client, agentID, done := exampleChat()
	defer done()

	stream := client.Messages.Stream(context.Background(), agentID, &letta.MessageStreamParams{
		MessageSendParams: letta.MessageSendParams{
			Messages: []letta.MessageCreate{{Role: letta.MessageRoleUser, Content: letta.TextContent("hello [fail]")}},
		},
	})
	for m, err := range stream {
		var ee *letta.EventError
		switch {
		case errors.As(err, &ee):
			fmt.Println("the server reported:", ee.ErrorType, "-", ee.Message)
			fmt.Println("may have been applied:", errors.Is(err, letta.ErrMaybeApplied))
			return
		case err != nil:
			fmt.Println(err)
			return
		case m.MessageType == letta.MessageTypeStopReason:
			fmt.Println("stop:", *m.StopReason)
		}
	}
	// Output:
	// stop: llm_api_error
	// the server reported: llm_error - An error occurred with the LLM request.
	// may have been applied: true
}
