// Command openaifake serves the lettatest/openaifake deterministic
// OpenAI-compatible model on a local address until interrupted, so that a
// real Letta server can run its agent loop offline:
//
//	go run ./cmd/openaifake -addr 127.0.0.1:0 [-models letta-go-fake] [-api-key KEY] [-no-reasoning] [-slow-delay 200ms] [-log] [-dump DIR]
//
// Once listening it prints "OPENAI_BASE_URL=http://127.0.0.1:PORT/v1" on
// stdout: the value to give the Letta server (with any OPENAI_API_KEY).
// scripts/letta-server starts it this way when LETTA_SERVER_OPENAI_FAKE=1.
// It shuts down cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/letta-go/letta/lettatest/openaifake"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, nil))
}

type cliConfig struct {
	addr        string
	models      []string
	apiKey      string
	noReasoning bool
	slowDelay   time.Duration
	log         bool
	dump        string
}

func parseFlags(args []string, stderr io.Writer) (cliConfig, error) {
	fs := flag.NewFlagSet("openaifake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c cliConfig
	var models string
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "listen address host:port (port 0 picks a free one)")
	fs.StringVar(&models, "models", openaifake.DefaultModel, "comma-separated model `ids` that GET /v1/models lists")
	fs.StringVar(&c.apiKey, "api-key", "", "require Authorization: Bearer `KEY` (any key is accepted without it)")
	fs.BoolVar(&c.noReasoning, "no-reasoning", false, "answer without reasoning_content")
	fs.DurationVar(&c.slowDelay, "slow-delay", openaifake.DefaultSlowDelay, "pause before each chunk of an answer to words containing "+openaifake.SlowMarker)
	fs.BoolVar(&c.log, "log", false, "log one line per request to stderr")
	fs.StringVar(&c.dump, "dump", "", "write each request body to `DIR`/NNNN-<route>.json")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if _, port, err := net.SplitHostPort(c.addr); err != nil {
		return c, fmt.Errorf("-addr %q: want host:port: %v", c.addr, err)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return c, fmt.Errorf("-addr %q: port must be a number from 0 to 65535", c.addr)
	}
	for _, m := range strings.Split(models, ",") {
		if m = strings.TrimSpace(m); m != "" {
			c.models = append(c.models, m)
		}
	}
	if len(c.models) == 0 {
		return c, fmt.Errorf("-models %q: want at least one model id", models)
	}
	return c, nil
}

// run serves until a signal arrives or stop (for tests) is closed; it
// returns the exit code.
func run(args []string, stdout, stderr io.Writer, stop <-chan struct{}) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "openaifake:", err)
		return 2
	}
	if c.dump != "" {
		if err := os.MkdirAll(c.dump, 0o755); err != nil {
			fmt.Fprintln(stderr, "openaifake:", err)
			return 1
		}
	}
	var mu sync.Mutex
	n := 0
	hook := func(r openaifake.Request) {
		mu.Lock()
		defer mu.Unlock()
		n++
		if c.log {
			fmt.Fprintf(stderr, "openaifake: %s %s (%d bytes)\n", r.Method, r.Path, len(r.Body))
		}
		if c.dump != "" && len(r.Body) > 0 {
			name := fmt.Sprintf("%04d-%s.json", n, strings.Trim(strings.ReplaceAll(r.Path, "/", "-"), "-"))
			if err := os.WriteFile(filepath.Join(c.dump, name), r.Body, 0o644); err != nil {
				fmt.Fprintln(stderr, "openaifake: dump:", err)
			}
		}
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		fmt.Fprintln(stderr, "openaifake:", err)
		return 1
	}
	opts := []openaifake.Option{
		openaifake.WithModels(c.models...),
		openaifake.WithReasoning(!c.noReasoning),
		openaifake.WithAPIKey(c.apiKey),
		openaifake.WithSlowDelay(c.slowDelay),
	}
	if c.log || c.dump != "" {
		opts = append(opts, openaifake.WithRequestHook(hook))
	}
	srv := &http.Server{Handler: openaifake.NewHandler(opts...), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "OPENAI_BASE_URL=http://%s/v1\n", ln.Addr())

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)
	select {
	case <-sig:
	case <-stop:
	case err := <-served:
		fmt.Fprintln(stderr, "openaifake:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		_ = srv.Close()
	}
	return 0
}
