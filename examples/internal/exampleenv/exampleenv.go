// Package exampleenv runs the example programs against a Letta server: the
// one LETTA_BASE_URL and LETTA_API_KEY name, or, when neither is set, an
// in-process lettatest server, so that a fresh clone runs every example with
// no account and no network.
//
// It is deliberately small and not part of the SDK: an application builds its
// client with letta.NewClientFromEnv and keeps its own error handling.
package exampleenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/lettatest"
)

// Default model and embedding handles: Letta's free ones, which every Letta
// server lists, also one with no provider key (as scripts/letta-server runs
// it); lettatest accepts any provider/name handle.
const (
	DefaultModel     = "letta/letta-free"
	DefaultEmbedding = "letta/letta-free"
)

// Env is what an example's run function gets.
type Env struct {
	// Client talks to the chosen server.
	Client *letta.Client
	// Local is true when Client talks to the in-process lettatest server.
	Local bool
	// Model and Embedding are the handles to create agents with (flags
	// -model and -embedding).
	Model, Embedding string
	// Keep is true with -keep: what the example created is listed at the
	// end instead of deleted.
	Keep bool
	// Stdin is the example's standard input (os.Stdin under Main).
	Stdin io.Reader

	out      io.Writer
	runID    string
	cleanups []cleanup
}

type cleanup struct {
	what string
	fn   func(context.Context) error
}

// Printf writes one line of the example's output.
func (e *Env) Printf(format string, args ...any) {
	fmt.Fprintf(e.out, format+"\n", args...)
}

// Stdout is where Printf writes, for output that is not whole lines (an
// answer printed as it streams).
func (e *Env) Stdout() io.Writer {
	return e.out
}

// Step announces the next step of the example.
func (e *Env) Step(format string, args ...any) {
	fmt.Fprintf(e.out, "\n== "+format+"\n", args...)
}

// Unique returns name unchanged on the in-process server, and name with a
// per-run suffix on a real one, where identifier keys and tags are shared
// with everything else in the account (and with earlier runs that were
// interrupted before they cleaned up).
func (e *Env) Unique(name string) string {
	if e.Local {
		return name
	}
	return name + "-" + e.runID
}

// Cleanup registers fn to run when the example ends, successfully or not, in
// reverse order of registration (so agents go before the identities they
// were created for). A resource that is already gone counts as cleaned up.
func (e *Env) Cleanup(what string, fn func(ctx context.Context) error) {
	e.cleanups = append(e.cleanups, cleanup{what: what, fn: fn})
}

// DeleteAgentLater registers the deletion of an agent. The server keeps an
// agent's blocks when it deletes the agent, also the ones created with it:
// see DeleteBlockLater.
func (e *Env) DeleteAgentLater(a *letta.AgentState) {
	e.Cleanup("agent "+a.Name+" ("+a.ID+")", func(ctx context.Context) error {
		return e.Client.Agents.Delete(ctx, a.ID)
	})
}

// DeleteIdentityLater registers the deletion of an identity.
func (e *Env) DeleteIdentityLater(id *letta.Identity) {
	e.Cleanup("identity "+id.IdentifierKey+" ("+id.ID+")", func(ctx context.Context) error {
		return e.Client.Identities.Delete(ctx, id.ID)
	})
}

// DeleteBlockLater registers the deletion of a memory block.
func (e *Env) DeleteBlockLater(b *letta.Block) {
	e.Cleanup("block "+b.GetLabel()+" ("+b.ID+")", func(ctx context.Context) error {
		return e.Client.Blocks.Delete(ctx, b.ID)
	})
}

// Example is an example program for Main and Run when it needs more than
// the common flags, or handles Ctrl-C itself.
type Example struct {
	// Name is the directory under examples/; it prefixes error lines.
	Name string
	// Run is the example.
	Run func(ctx context.Context, env *Env) error
	// Flags, when set, registers the example's own flags beside the common
	// ones (-model, -embedding, -keep); Usage lists them for the usage
	// line, e.g. "[-user id]".
	Flags func(fs *flag.FlagSet)
	Usage string
	// OwnsInterrupt, when set, leaves Ctrl-C (os.Interrupt) to the example:
	// Run's ctx is then not cancelled by it. Without it, Ctrl-C cancels ctx.
	OwnsInterrupt bool
}

// Main runs an example and exits: 0 on success, 1 with one line on stderr
// on failure (2 for a bad flag). name prefixes that line. opts are added to
// the client's options, e.g. WithHTTPClient to observe requests.
func Main(name string, run func(ctx context.Context, env *Env) error, opts ...letta.Option) {
	Example{Name: name, Run: run}.Main(opts...)
}

// Main runs the example with the process's arguments and standard streams,
// and exits with its code (see the function Main).
func (x Example) Main(opts ...letta.Option) {
	os.Exit(x.Exec(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, opts))
}

// Run is Main without the exit: it returns the exit code, and writes to
// stdout and stderr. Tests of the examples call it.
func Run(name string, args []string, stdout, stderr io.Writer, run func(context.Context, *Env) error, opts []letta.Option) int {
	return Example{Name: name, Run: run}.Exec(args, strings.NewReader(""), stdout, stderr, opts)
}

// Exec is Example.Main without the exit, reading stdin: it returns the
// exit code. Tests of the examples call it.
func (x Example) Exec(args []string, stdin io.Reader, stdout, stderr io.Writer, opts []letta.Option) int {
	name := x.Name
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := &Env{out: stdout, Stdin: stdin}
	fs.StringVar(&env.Model, "model", DefaultModel, "model `handle` for the agents the example creates")
	fs.StringVar(&env.Embedding, "embedding", DefaultEmbedding, "embedding model `handle` for those agents")
	fs.BoolVar(&env.Keep, "keep", false, "keep what the example creates (listed at the end) instead of deleting it")
	if x.Flags != nil {
		x.Flags(fs)
	}
	usage := "[-model provider/name] [-embedding provider/name] [-keep]"
	if x.Usage != "" {
		usage += " " + x.Usage
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: go run ./examples/%s %s\n\n"+
			"Talks to the Letta server named by LETTA_BASE_URL and LETTA_API_KEY (Letta Cloud when only the key\n"+
			"is set); with neither set, it starts an in-process lettatest server.\n\n", name, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}

	ctx := context.Background()
	if !x.OwnsInterrupt {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(ctx, os.Interrupt)
		defer stop()
	}

	closeServer, err := env.connect(ctx, opts)
	defer closeServer()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", name, oneLine(describe(err, env)))
		return 1
	}

	runErr := x.Run(ctx, env)
	cleanupErrs := env.runCleanups()

	code := 0
	if runErr != nil {
		fmt.Fprintf(stderr, "%s: %s\n", name, oneLine(describe(runErr, env)))
		code = 1
	}
	for _, err := range cleanupErrs {
		fmt.Fprintf(stderr, "%s: cleanup: %s\n", name, oneLine(err.Error()))
		code = 1
	}
	return code
}

// connect builds the client and checks, with one cheap request, that the
// server answers and accepts the key, so that a wrong setting fails before
// the example prints half a story. It returns what shuts the local server
// down.
func (e *Env) connect(ctx context.Context, opts []letta.Option) (func(), error) {
	closeServer := func() {}
	envSet := strings.TrimSpace(os.Getenv(letta.EnvBaseURL)) != "" || strings.TrimSpace(os.Getenv(letta.EnvAPIKey)) != ""
	if !envSet {
		srv, err := lettatest.NewServerAt("127.0.0.1:0", lettatest.WithDefaultModel(e.Model))
		if err != nil {
			return closeServer, fmt.Errorf("starting the in-process lettatest server: %w", err)
		}
		closeServer = srv.Close
		e.Local = true
		opts = append([]letta.Option{letta.WithBaseURL(srv.URL)}, opts...)
	}
	client, err := letta.NewClientFromEnv(opts...)
	if err != nil {
		return closeServer, err
	}
	e.Client = client
	// Counting agents needs a valid key (unlike /v1/health/) and changes
	// nothing. No retries: an unreachable server should be reported at once.
	_, err = client.Agents.Count(ctx, nil, letta.WithRequestMaxRetries(0), letta.WithRequestTimeout(15*time.Second))
	if err != nil {
		return closeServer, err
	}
	if e.Local {
		e.Printf("No LETTA_BASE_URL or LETTA_API_KEY set: using an in-process lettatest server at %s. "+
			"To use Letta instead, set LETTA_API_KEY (Letta Cloud) and/or LETTA_BASE_URL (e.g. %s for a self-hosted server).",
			client.BaseURL(), letta.LocalBaseURL)
	} else {
		e.runID = newRunID()
		e.Printf("Using the Letta server at %s (from %s/%s); names created by this run end in -%s.",
			client.BaseURL(), letta.EnvBaseURL, letta.EnvAPIKey, e.runID)
	}
	return closeServer, nil
}

// runCleanups runs the registered cleanups with a fresh context, so that
// they also run after Ctrl-C cancelled the example's context.
func (e *Env) runCleanups() []error {
	if len(e.cleanups) == 0 {
		return nil
	}
	if e.Keep {
		e.Step("Kept (-keep)")
		for _, c := range e.cleanups {
			e.Printf("kept %s", c.what)
		}
		if e.Local {
			e.Printf("(the in-process server, and all it holds, ends with the example)")
		}
		e.cleanups = nil
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var errs []error
	deleted := 0
	for i := len(e.cleanups) - 1; i >= 0; i-- {
		c := e.cleanups[i]
		if err := c.fn(ctx); err != nil && !errors.Is(err, letta.ErrNotFound) {
			errs = append(errs, fmt.Errorf("deleting %s: %w", c.what, err))
			continue
		}
		deleted++
	}
	e.cleanups = nil
	e.Step("Cleanup")
	e.Printf("deleted the %d object(s) this run created", deleted)
	return errs
}

// describe turns the errors a newcomer is likely to hit first into advice.
func describe(err error, e *Env) string {
	where := "the Letta server"
	if e.Client != nil {
		where = "the Letta server at " + e.Client.BaseURL()
	}
	var reqErr *letta.RequestError
	switch {
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case errors.Is(err, letta.ErrUnauthorized) && strings.TrimSpace(os.Getenv(letta.EnvAPIKey)) == "":
		return where + " requires an API key (401 Unauthorized): set " + letta.EnvAPIKey
	case errors.Is(err, letta.ErrUnauthorized):
		return where + " refused the API key (401 Unauthorized): check " + letta.EnvAPIKey
	case errors.Is(err, letta.ErrPermissionDenied):
		return where + " denied access (403 Forbidden): check " + letta.EnvAPIKey
	case errors.As(err, &reqErr):
		cause := reqErr.Err
		var urlErr *url.Error
		if errors.As(cause, &urlErr) && urlErr.Err != nil {
			cause = urlErr.Err // without the method and URL said already
		}
		if cause == nil {
			cause = reqErr
		}
		return "cannot reach " + where + " (" + cause.Error() + "): check " + letta.EnvBaseURL
	}
	return err.Error()
}

// oneLine keeps a multi-line server message on the single line a failing
// example promises.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// newRunID is a short random suffix; the time is a fallback that is unique
// enough for one person's runs.
func newRunID() string {
	b := make([]byte, 3)
	if _, err := rand.Read(b); err != nil {
		return fmt.Sprintf("%06x", time.Now().UnixNano()&0xffffff)
	}
	return hex.EncodeToString(b)
}

// Expect reports an error when a count differs from what the example
// promises, so that running the examples in CI checks the SDK against the
// server and not only that nothing crashed.
func Expect(what string, got, want int) error {
	if got != want {
		return fmt.Errorf("%s: got %d, want %d", what, got, want)
	}
	return nil
}
