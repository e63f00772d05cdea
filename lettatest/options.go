package lettatest

import (
	"log/slog"
)

// defaultMaxBodyBytes is the request body limit when WithMaxBodyBytes is not used.
const defaultMaxBodyBytes int64 = 1 << 20

// config collects what the options set. The zero value is not used directly;
// newConfig applies the defaults first.
type config struct {
	apiKey        string
	defaultModel  string
	deterministic bool
	seed          int64
	maxBodyBytes  int64
	logger        *slog.Logger
	logLimit      int // < 0: unbounded
}

// Option configures a Server or Handler.
type Option func(*config)

func newConfig(opts []Option) *config {
	c := &config{maxBodyBytes: defaultMaxBodyBytes, logLimit: -1}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	return c
}

// WithAPIKey makes every route except GET /v1/health/ require
// "Authorization: Bearer <key>" (or the self-hosted server's alternative
// "X-BARE-PASSWORD: password <key>"); other requests get
// 401 {"detail":"Unauthorized"}. An empty key disables the check, which is the
// default, as on a self-hosted server started without --secure.
func WithAPIKey(key string) Option {
	return func(c *config) { c.apiKey = key }
}

// WithDefaultModel sets the model handle ("provider/model-name") used when an
// agent is created without model and llm_config, like a server configured with
// a default LLM handle. Without it such a request answers 400.
func WithDefaultModel(handle string) Option {
	return func(c *config) { c.defaultModel = handle }
}

// WithDeterministicIDs makes ids (lowercase prefix-<uuid4>) come from a
// sequence seeded with seed, timestamps come from a fixed clock that starts at
// 2025-01-01T00:00:00Z and advances one second per write, and X-Request-Id
// values come from their own seeded sequence. The same requests in the same
// order then produce byte-identical responses, which keeps recordings stable.
func WithDeterministicIDs(seed int64) Option {
	return func(c *config) {
		c.deterministic = true
		c.seed = seed
	}
}

// WithMaxBodyBytes sets the largest accepted request body (default 1 MiB).
// Larger bodies are answered with 413. n <= 0 keeps the default.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.maxBodyBytes = n
		}
	}
}

// WithLogger logs one line per request (method, path, query, status,
// duration, request id) at Info level. Headers are never logged, so neither is
// the API key. The default is no logging.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithRequestLogLimit makes the request log (Requests) keep only the last n
// requests, dropping the oldest as new ones arrive, so that a long-running
// server's memory stays bounded; n == 0 keeps none. A negative n keeps every
// request, which is the default: tests usually want the whole log.
func WithRequestLogLimit(n int) Option {
	return func(c *config) { c.logLimit = n }
}
