// Command chat is a terminal chat with one user's agent: it finds or creates
// the user's identity and agent, then sends each line you type to the agent
// with Messages.Stream and prints the answer as it arrives.
//
//	go run ./examples/chat                        # type a line, Enter; Ctrl-D or /quit ends
//	printf 'hi\nremember that I like tea\n' | go run ./examples/chat
//	LETTA_BASE_URL=http://localhost:8283 go run ./examples/chat -user alice -keep   # again with -user alice: the chat goes on
//
// Ctrl-C stops the answer being streamed (the connection is closed at once
// and the agent's run on the server cancelled) and the chat goes on; at the
// prompt it ends the chat. /history shows the last messages, /reset clears
// the agent's context, -verbose also shows the agent's reasoning, the
// tools' arguments and results, and the token usage (tool calls are
// always shown, by name).
//
// When stdin is not a terminal the chat reads the piped lines without a
// prompt; when the pipe gives no line at all it runs a short built-in
// script, so that CI can run it with nothing to type.
//
// With LETTA_API_KEY (Letta Cloud) and/or LETTA_BASE_URL set it talks to that
// server; with neither it starts an in-process lettatest server, which
// ends with the chat (so -keep carries a conversation over to a later run
// only on a real server). What it created is deleted at the end unless
// -keep is given.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/examples/internal/exampleenv"
)

func main() {
	new(chat).example().Main()
}

// script is what the chat says when stdin is a pipe that gives no line.
var script = []string{
	"Hello! Who are you?",
	"Please remember that my favourite colour is green.",
	"/history",
}

type chat struct {
	user    string // -user: the identifier key; "" = chat-user_1 (unique per run on a real server)
	verbose bool   // -verbose

	// interrupts delivers Ctrl-C; nil = os.Interrupt (tests send their own).
	interrupts <-chan os.Signal
	// failed counts the turns that ended in an error stop reason.
	failed int
}

func (c *chat) example() exampleenv.Example {
	return exampleenv.Example{
		Name:          "chat",
		Run:           c.run,
		OwnsInterrupt: true, // Ctrl-C stops an answer, not the whole program
		Usage:         "[-user id] [-verbose]",
		Flags: func(fs *flag.FlagSet) {
			fs.StringVar(&c.user, "user", "", "your application's user `id` (the identity's identifier key); an existing user's agent is reused "+
				"(default chat-user_1, made unique per run on a real server)")
			fs.BoolVar(&c.verbose, "verbose", false, "also show the agent's reasoning, tool arguments and results, and token usage")
		},
	}
}

func (c *chat) run(ctx context.Context, env *exampleenv.Env) error {
	if c.interrupts == nil {
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, os.Interrupt)
		defer signal.Stop(sigs)
		c.interrupts = sigs
	}
	agent, err := c.agentFor(ctx, env)
	if err != nil {
		return err
	}

	interactive := isTerminal(env.Stdin)
	lines, stopReading := readLines(env.Stdin)
	defer stopReading()
	if interactive {
		env.Step("Chat with %s: type a line and Enter; /history, /reset, /quit (or Ctrl-D); Ctrl-C stops an answer", agent.Name)
	} else {
		env.Step("Chat with %s, reading the lines piped to stdin", agent.Name)
	}

	turns, gotLine, scripted := 0, false, false
	for {
		if interactive {
			fmt.Fprint(env.Stdout(), "you> ")
		}
		var line string
		var ok bool
		select {
		case <-c.interrupts: // Ctrl-C at the prompt ends the chat
			fmt.Fprintln(env.Stdout())
			return c.result(turns)
		case line, ok = <-lines:
		}
		if !ok { // EOF
			if interactive {
				fmt.Fprintln(env.Stdout())
			}
			if interactive || gotLine || scripted {
				return c.result(turns)
			}
			env.Printf("(stdin gave no line: running the built-in script of %d lines; pipe your own lines to change it)", len(script))
			lines, scripted = scriptLines(), true
			continue
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		gotLine = true
		if !interactive {
			env.Printf("you> %s", line) // a terminal has echoed it already
		}
		switch line {
		case "/quit", "/exit":
			return c.result(turns)
		case "/history":
			err = c.history(ctx, env, agent.ID, 10)
		case "/reset":
			err = c.reset(ctx, env, agent.ID)
		default:
			turns++
			err = c.turn(ctx, env, agent.ID, line)
		}
		if err != nil {
			return err
		}
	}
}

// result is the chat's outcome: an error when a turn failed, so that a run
// in CI does not pass on a model that never answered.
func (c *chat) result(turns int) error {
	if c.failed > 0 {
		return fmt.Errorf("%d of %d turns ended in an error (see above)", c.failed, turns)
	}
	return nil
}

// agentFor finds the user's identity and agent, or creates them: what an
// application does when one of its users opens the chat.
func (c *chat) agentFor(ctx context.Context, env *exampleenv.Env) (*letta.AgentState, error) {
	client := env.Client
	key := c.user
	if key == "" {
		key = env.Unique("chat-user_1")
	}

	env.Step("The user %s: their identity (Identities.GetByKey, else Identities.Create)", key)
	user, err := client.Identities.GetByKey(ctx, key)
	switch {
	case errors.Is(err, letta.ErrNotFound):
		user, err = client.Identities.Create(ctx, &letta.IdentityCreateParams{
			IdentifierKey: key,
			Name:          key,
			IdentityType:  letta.IdentityTypeUser,
		})
		if err != nil {
			return nil, fmt.Errorf("creating the identity of %s: %w", key, err)
		}
		env.DeleteIdentityLater(user)
		env.Printf("created identity %s", user.ID)
	case err != nil:
		return nil, fmt.Errorf("looking up the identity of %s: %w", key, err)
	default:
		env.Printf("found identity %s", user.ID)
	}

	env.Step("Their agent (Agents.List with IdentifierKeys, else Agents.Create with IdentityIDs)")
	agents, err := client.Agents.List(ctx, &letta.AgentListParams{IdentifierKeys: []string{key}, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("listing the agents of %s: %w", key, err)
	}
	if len(agents) > 0 {
		agent := &agents[0]
		env.Printf("continuing the conversation with agent %s (%s)", agent.Name, agent.ID)
		return agent, c.history(ctx, env, agent.ID, 4)
	}
	agent, err := client.Agents.Create(ctx, &letta.AgentCreateParams{
		Name: letta.Ptr("chat-assistant"),
		MemoryBlocks: []letta.CreateBlock{
			{Label: "human", Value: "The human's user id is " + key + "."},
			{Label: "persona", Value: "I am a friendly assistant. I keep my answers short."},
		},
		Model:              letta.Ptr(env.Model),
		ContextWindowLimit: letta.Ptr(16000),
		Embedding:          letta.Ptr(env.Embedding),
		IdentityIDs:        []string{user.ID},
	})
	if err != nil {
		return nil, fmt.Errorf("creating the agent of %s: %w", key, err)
	}
	// The server keeps an agent's blocks when it deletes the agent: these
	// were made for it alone, so they go too (after it).
	for i := range agent.Blocks {
		env.DeleteBlockLater(&agent.Blocks[i])
	}
	env.DeleteAgentLater(agent)
	env.Printf("created agent %s (%s) on model %s", agent.Name, agent.ID, agent.GetModel())
	return agent, nil
}

// turn sends one line to the agent and prints the answer as it streams.
// Ctrl-C (c.interrupts) stops it.
func (c *chat) turn(ctx context.Context, env *exampleenv.Env, agentID, text string) error {
	turnCtx, cancel := context.WithCancel(ctx)
	var watching sync.WaitGroup
	watching.Add(1)
	go func() {
		defer watching.Done()
		select {
		case <-c.interrupts:
			cancel() // ends the stream at once: the connection is closed
		case <-turnCtx.Done():
		}
	}()
	defer watching.Wait() // so that the prompt is the only reader of c.interrupts again
	defer cancel()

	r := &renderer{out: env.Stdout(), verbose: c.verbose}
	var runID string
	stream := env.Client.Messages.Stream(turnCtx, agentID, &letta.MessageStreamParams{
		MessageSendParams: letta.MessageSendParams{
			Messages: []letta.MessageCreate{{Role: letta.MessageRoleUser, Content: letta.TextContent(text)}},
		},
		StreamTokens: letta.Ptr(true), // the answer in pieces, as the model writes it
	})
	for m, err := range stream {
		if err != nil {
			r.endLine()
			if turnCtx.Err() != nil && ctx.Err() == nil {
				env.Printf("(stopped)")
				c.cancelRun(env, agentID, runID)
				return nil
			}
			var broke *letta.StreamError
			if !errors.As(err, &broke) {
				return fmt.Errorf("sending the message: %w", err) // refused, or no answer at all
			}
			// The answer began and broke off (a cut connection, a stall, an
			// error event): the chat can go on. Not sent again: the agent may
			// have taken the message in (see /history).
			env.Printf("(the answer broke off: %v)", err)
			c.failed++
			if r.stop != "" {
				env.Printf("(the turn stopped: %s%s)", r.stop, c.modelHint(env, r.stop))
			}
			return nil
		}
		if runID == "" && m.RunID != nil {
			runID = *m.RunID
		}
		r.show(m)
	}
	r.endLine()
	if r.stop != "" && r.stop != letta.StopReasonEndTurn {
		env.Printf("(the turn stopped: %s%s)", r.stop, c.modelHint(env, r.stop))
		if failedStop(r.stop) {
			c.failed++
		}
	}
	return nil
}

// cancelRun cancels the agent's run of a stopped answer: closing the
// stream does not stop the agent on the server, which would go on (and
// spend tokens) to the end of its turn.
func (c *chat) cancelRun(env *exampleenv.Env, agentID, runID string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var params *letta.MessageCancelParams // nil: every active run of the agent
	if runID != "" {
		params = &letta.MessageCancelParams{RunIDs: []string{runID}}
	}
	_, err := env.Client.Messages.Cancel(ctx, agentID, params)
	switch {
	case err == nil:
		env.Printf("(cancelled the agent's run)")
	case errors.Is(err, letta.ErrConflict): // the run had ended already
	default:
		env.Printf("(could not cancel the agent's run: %v)", err)
	}
}

// modelHint is advice for a turn that stopped on the model's error: the
// most likely first failure is a model the server lists but cannot reach
// (letta/letta-free on a server without network access).
func (c *chat) modelHint(env *exampleenv.Env, r letta.StopReasonType) string {
	if r != letta.StopReasonLLMAPIError {
		return ""
	}
	return "; the model " + env.Model + " did not answer: choose another with -model, GET /v1/models lists the server's"
}

// failedStop tells the stop reasons of a turn that failed from the ones of
// a turn that ended early for a reason the application chose (max_steps,
// requires_approval, cancelled, ...).
func failedStop(r letta.StopReasonType) bool {
	switch r {
	case letta.StopReasonError, letta.StopReasonLLMAPIError, letta.StopReasonInvalidLLMResponse, letta.StopReasonInvalidToolCall:
		return true
	}
	return false
}

// history prints the user's and the agent's messages among the last n
// stored ones (the server applies the type filter after the limit, and
// counts a reasoning and an answer stored together as one).
func (c *chat) history(ctx context.Context, env *exampleenv.Env, agentID string, n int) error {
	msgs, err := env.Client.Messages.List(ctx, agentID, &letta.MessageListParams{
		Limit:                     letta.Ptr(n),
		IncludeReturnMessageTypes: []letta.MessageType{letta.MessageTypeUser, letta.MessageTypeAssistant},
	})
	if err != nil {
		return fmt.Errorf("reading the history: %w", err)
	}
	if len(msgs) == 0 {
		env.Printf("(no messages yet)")
		return nil
	}
	env.Printf("(the last %d messages, oldest first)", len(msgs))
	for _, m := range msgs {
		who := "agent"
		if m.MessageType == letta.MessageTypeUser {
			who = "you"
		}
		env.Printf("  %s %s: %s", m.Date.Local().Format("15:04"), who, oneLine(m.Text(), 100))
	}
	return nil
}

// reset clears the agent's context; the stored history stays.
func (c *chat) reset(ctx context.Context, env *exampleenv.Env, agentID string) error {
	agent, err := env.Client.Messages.Reset(ctx, agentID, nil)
	if err != nil {
		return fmt.Errorf("resetting the agent's context: %w", err)
	}
	n := 0
	if agent != nil {
		n = len(agent.MessageIDs)
	}
	env.Printf("(the agent's context was reset to %d message(s); /history still shows the conversation)", n)
	return nil
}

// isTerminal tells a terminal from a pipe or a file with the standard
// library alone: a terminal is a character device (so is /dev/null, which
// then reads as a chat ended at once).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
