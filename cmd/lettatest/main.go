// Command lettatest serves the lettatest fake Letta API (identities and
// agents) on a local address until interrupted.
//
//	go build -o lettatest ./cmd/lettatest   # or go install ./cmd/lettatest
//	./lettatest -addr 127.0.0.1:8283 [-api-key KEY] [-default-model provider/name] [-seed N] [-request-log N]
//
// Run the binary rather than go run for a server you will stop by its pid:
// go run starts the compiled server as a child, which keeps listening when
// the go run process alone is killed.
// It logs one line per request to stderr (never the Authorization header)
// and shuts down cleanly on SIGINT or SIGTERM. Its in-memory request log
// keeps only the last -request-log requests (default 1000), so that a server
// left running does not grow without bound.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/letta-go/letta/lettatest"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// cliConfig is the validated command line.
type cliConfig struct {
	addr         string
	apiKey       string
	defaultModel string
	seed         *int64
	logLimit     int
}

// defaultRequestLogLimit bounds the request log of a long-running server.
const defaultRequestLogLimit = 1000

// parseFlags validates the command line; errors are usage errors (exit 2).
func parseFlags(args []string, stderr io.Writer) (cliConfig, error) {
	fs := flag.NewFlagSet("lettatest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c cliConfig
	var seed string
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8283", "listen address host:port")
	fs.StringVar(&c.apiKey, "api-key", "", "require Authorization: Bearer `KEY` on every route but /v1/health/")
	fs.StringVar(&c.defaultModel, "default-model", "", "model `handle` (provider/name) for agents created without one")
	fs.StringVar(&seed, "seed", "", "make ids, timestamps and request ids a deterministic sequence from integer `N`")
	fs.IntVar(&c.logLimit, "request-log", defaultRequestLogLimit,
		"keep the last `N` requests in memory (0 keeps none, -1 keeps all)")
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
	if c.defaultModel != "" {
		p, name, found := strings.Cut(c.defaultModel, "/")
		if !found || p == "" || name == "" {
			return c, fmt.Errorf("-default-model %q: want a handle like openai/gpt-4o-mini", c.defaultModel)
		}
	}
	if c.logLimit < -1 {
		return c, fmt.Errorf("-request-log %d: want a count, or -1 for no limit", c.logLimit)
	}
	if seed != "" {
		n, err := strconv.ParseInt(seed, 10, 64)
		if err != nil {
			return c, fmt.Errorf("-seed %q: want an integer", seed)
		}
		c.seed = &n
	}
	return c, nil
}

func run(args []string, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "lettatest: %v\n", err)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	opts := serverOptions(c, logger)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv, err := lettatest.NewServerAt(c.addr, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "lettatest: %v\n", err)
		return 1
	}
	logger.Info("serving", "url", srv.URL, "auth", c.apiKey != "", "default_model", c.defaultModel)

	<-ctx.Done()
	logger.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		fmt.Fprintf(stderr, "lettatest: shutdown: %v\n", err)
		return 1
	}
	return 0
}

// serverOptions turns the command line into lettatest options.
func serverOptions(c cliConfig, logger *slog.Logger) []lettatest.Option {
	opts := []lettatest.Option{lettatest.WithLogger(logger), lettatest.WithRequestLogLimit(c.logLimit)}
	if c.apiKey != "" {
		opts = append(opts, lettatest.WithAPIKey(c.apiKey))
	}
	if c.defaultModel != "" {
		opts = append(opts, lettatest.WithDefaultModel(c.defaultModel))
	}
	if c.seed != nil {
		opts = append(opts, lettatest.WithDeterministicIDs(*c.seed))
	}
	return opts
}
