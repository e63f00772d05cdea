package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/examples/internal/exampleenv"
	"github.com/letta-go/letta/examples/internal/exampletest"
)

// answered matches a turn's answer: the agent's line with some text.
var answered = regexp.MustCompile(`(?m)^agent> \S.*$`)

// TestPipedLines runs the chat as CI does, with lines on stdin: each line
// is a turn with an answer, /history lists them, and /quit ends the chat
// before the lines after it.
func TestPipedLines(t *testing.T) {
	out := exampletest.Exec(t, new(chat).example(), nil, "hello there\n\n/history\n/quit\nnever sent\n", nil)

	assert.Contains(t, out, "you> hello there\nagent> ")
	assert.Len(t, answered.FindAllString(out, -1), 1, out)
	assert.Contains(t, out, "(the last 2 messages, oldest first)")
	assert.Regexp(t, `\d\d:\d\d you: hello there\n  \d\d:\d\d agent: \S`, out)
	assert.NotContains(t, out, "never sent")
	assert.Contains(t, out, "deleted the 4 object(s) this run created") // identity, agent, its two blocks
}

// TestEmptyPipeRunsTheScript: a pipe with no line (or blank ones only)
// gets the built-in script; one with a line, even a command, does not.
func TestEmptyPipeRunsTheScript(t *testing.T) {
	for _, stdin := range []string{"", "\n  \n"} {
		out := exampletest.Exec(t, new(chat).example(), []string{"-verbose"}, stdin, nil)

		assert.Contains(t, out, "(stdin gave no line: running the built-in script of 3 lines")
		for _, line := range script {
			assert.Contains(t, out, "you> "+line+"\n")
		}
		assert.Len(t, answered.FindAllString(out, -1), 2, out)
		assert.Contains(t, out, "(the last 4 messages, oldest first)")
		assert.Regexp(t, `(?m)^  \[\d+ step\(s\), \d+ tokens\]$`, out, "-verbose shows the usage")
	}

	out := exampletest.Exec(t, new(chat).example(), nil, "/quit\n", nil)
	assert.NotContains(t, out, "built-in script")
	assert.Empty(t, answered.FindAllString(out, -1), out)
}

// TestSameUserContinues: a second chat of the same user finds the user's
// identity and agent and shows the last messages instead of creating them.
func TestSameUserContinues(t *testing.T) {
	first, second := &chat{user: "alice"}, &chat{user: "alice"}
	x := exampleenv.Example{Name: "chat", Run: func(ctx context.Context, env *exampleenv.Env) error {
		env.Stdin = strings.NewReader("my first words\n")
		if err := first.run(ctx, env); err != nil {
			return err
		}
		env.Stdin = strings.NewReader("/quit\n")
		return second.run(ctx, env)
	}}
	out := exampletest.Exec(t, x, nil, "", nil)

	assert.Equal(t, 1, strings.Count(out, "created identity "), out)
	assert.Equal(t, 1, strings.Count(out, "created agent "), out)
	assert.Contains(t, out, "found identity ")
	assert.Contains(t, out, "continuing the conversation with agent chat-assistant (")
	assert.Regexp(t, `\(the last 2 messages, oldest first\)\n  \d\d:\d\d you: my first words\n`, out)
}

// TestKeep: -keep lists what the chat created instead of deleting it.
func TestKeep(t *testing.T) {
	out := exampletest.Exec(t, new(chat).example(), []string{"-keep", "-user", "bob"}, "hi\n", nil)

	assert.Contains(t, out, "kept identity bob (identity-")
	assert.Contains(t, out, "kept agent chat-assistant (agent-")
	assert.NotContains(t, out, "deleted the")
}

// TestCtrlCStopsTheAnswer: Ctrl-C during an answer ends its stream at once,
// asks the server to cancel the agent's run, and the chat goes on with the
// next line. The first answer's body never comes (the transport holds it
// until the request is cancelled), so only Ctrl-C can end that turn.
func TestCtrlCStopsTheAnswer(t *testing.T) {
	interrupts := make(chan os.Signal, 1)
	tr := &holdFirstStream{next: http.DefaultTransport, interrupts: interrupts}
	c := &chat{interrupts: interrupts}
	out := exampletest.Exec(t, c.example(), nil, "a long story\nafter the stop\n", []letta.Option{letta.WithHTTPClient(&http.Client{Transport: tr})})

	assert.Contains(t, out, "you> a long story\n(stopped)\n")
	assert.Contains(t, out, "you> after the stop\nagent> ")
	assert.Len(t, answered.FindAllString(out, -1), 1, out)
	assert.True(t, tr.cancelled.Load(), "POST /v1/agents/{id}/messages/cancel was sent")
	assert.NotContains(t, out, "turns ended in an error")
}

// holdFirstStream passes requests on, but holds the body of the first
// stream: its first read sends Ctrl-C and waits for the request's
// cancellation.
type holdFirstStream struct {
	next       http.RoundTripper
	interrupts chan<- os.Signal
	held       atomic.Bool
	cancelled  atomic.Bool
}

func (h *holdFirstStream) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/messages/cancel") {
		h.cancelled.Store(true)
	}
	resp, err := h.next.RoundTrip(req)
	if err != nil || req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, "/messages") ||
		resp.StatusCode != http.StatusOK || h.held.Swap(true) {
		return resp, err
	}
	resp.Body = &heldBody{ReadCloser: resp.Body, ctx: req.Context(), interrupts: h.interrupts}
	return resp, nil
}

type heldBody struct {
	io.ReadCloser
	ctx        context.Context
	interrupts chan<- os.Signal
	once       sync.Once
}

func (b *heldBody) Read([]byte) (int, error) {
	b.once.Do(func() { b.interrupts <- os.Interrupt })
	<-b.ctx.Done()
	return 0, b.ctx.Err()
}

// TestIsTerminal: a pipe and a reader are not terminals.
func TestIsTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, isTerminal(r))
	assert.False(t, isTerminal(strings.NewReader("hi")))
}
