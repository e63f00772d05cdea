package letta_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"gopkg.in/dnaeon/go-vcr.v3/recorder"

	"github.com/letta-go/letta"
)

// exampleChat returns a client talking to an agent on the deterministic
// fake model, and a function that deletes the agent and ends the example.
// The examples replay testdata/cassettes/<example>.yaml, recorded from
// the real server (the built-in lettatest does not serve the messages
// routes yet); re-record them with
//
//	LETTA_RECORD=1 LETTA_BASE_URL=http://127.0.0.1:PORT go test -run 'ExampleMessagesService' .
//
// against LETTA_SERVER_OPENAI_FAKE=1 scripts/letta-server. In a program the
// client comes from letta.NewClientFromEnv.
func exampleChat(name string) (*letta.Client, string, func()) {
	file := filepath.Join(cassetteDir, name)
	record := os.Getenv(recordEnv) == "1" && os.Getenv(letta.EnvBaseURL) != ""
	opts := &recorder.Options{CassetteName: file, Mode: recorder.ModeReplayOnly, SkipRequestLatency: true,
		RealTransport: failingTransport{}}
	var base []letta.Option
	if record {
		opts.Mode, opts.RealTransport = recorder.ModeRecordOnly, http.DefaultTransport
	}
	rec, err := recorder.NewWithOptions(opts)
	if err != nil {
		panic(err)
	}
	rec.SetMatcher(matchRequest)
	hc := &http.Client{Transport: rec}
	base = append(base, letta.WithHTTPClient(hc), letta.WithRetryWait(time.Millisecond, 5*time.Millisecond))
	var client *letta.Client
	if record {
		client, err = letta.NewClientFromEnv(base...)
		if err == nil {
			var scrub *scrubber
			if scrub, err = newScrubber(client.BaseURL(), []string{os.Getenv(letta.EnvAPIKey)}); err == nil {
				stable := &stabiliser{}
				rec.AddHook(scrub.interaction, recorder.BeforeSaveHook)
				rec.AddHook(stable.capture, recorder.AfterCaptureHook)
				rec.AddHook(stable.rewrite, recorder.BeforeSaveHook)
			}
		}
	} else {
		client, err = letta.NewClient(append(base, letta.WithBaseURL(canonicalBaseURL))...)
	}
	if err != nil {
		panic(err)
	}
	agent, err := client.Agents.Create(context.Background(), &letta.AgentCreateParams{
		Name:             letta.Ptr(name),
		Model:            letta.Ptr(fakeModel),
		Embedding:        letta.Ptr(testEmbedding),
		MemoryBlocks:     []letta.CreateBlock{{Label: "human", Value: "The user's name is Ada."}},
		IncludeBaseTools: letta.Ptr(false),
		Tools:            []string{"memory_insert"},
	})
	if err != nil {
		panic(err)
	}
	return client, agent.ID, func() {
		_ = client.Agents.Delete(context.Background(), agent.ID)
		if err := rec.Stop(); err != nil {
			panic(err)
		}
	}
}

func ExampleMessagesService_Send() {
	client, agentID, done := exampleChat("ExampleMessagesService_Send")
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
	client, agentID, done := exampleChat("ExampleMessagesService_Stream")
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
	client, agentID, done := exampleChat("ExampleMessagesService_List")
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
	client, agentID, done := exampleChat("ExampleMessagesService_ListAll")
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
	client, agentID, done := exampleChat("ExampleMessagesService_Reset")
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
	client, agentID, done := exampleChat("ExampleMessagesService_Cancel")
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
