package openaifake

import "time"

// DefaultModel is the model GET /v1/models lists unless WithModels says
// otherwise. A Letta server whose OPENAI_BASE_URL points at the fake lists
// it as the handle "openai-proxy/letta-go-fake".
const DefaultModel = "letta-go-fake"

// Created is the fixed "created" time (2025-01-01T00:00:00Z, Unix seconds)
// of every completion and model: the fake never reads the clock.
const Created int64 = 1735689600

// DefaultSlowDelay is the pause before each streamed chunk of a slow answer
// (see the package doc's "[slow]").
const DefaultSlowDelay = 200 * time.Millisecond

// maxBodyBytes bounds a request body; a longer one is a 413.
const maxBodyBytes = 32 << 20

// Option configures a Handler.
type Option func(*config)

type config struct {
	models    []string
	reasoning bool
	apiKey    string
	hook      func(Request)
	slowDelay time.Duration
}

func newConfig(opts []Option) config {
	c := config{models: []string{DefaultModel}, reasoning: true, slowDelay: DefaultSlowDelay}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// WithModels sets the models GET /v1/models lists, in this order. Chat
// completions answer for any model name, listed or not. No ids (or only
// empty ones) keep the default, DefaultModel.
func WithModels(ids ...string) Option {
	return func(c *config) {
		var kept []string
		for _, id := range ids {
			if id != "" {
				kept = append(kept, id)
			}
		}
		if len(kept) > 0 {
			c.models = kept
		}
	}
}

// WithReasoning says whether answers carry reasoning_content (on by
// default), which Letta shows as reasoning messages.
func WithReasoning(on bool) Option {
	return func(c *config) { c.reasoning = on }
}

// WithAPIKey makes every route answer 401 unless the request carries
// "Authorization: Bearer key". Without it (or with ""), any key or none is
// accepted.
func WithAPIKey(key string) Option {
	return func(c *config) { c.apiKey = key }
}

// WithRequestHook calls f with each request the handler reads, before it
// answers, for logs and tests. f must be safe for concurrent use; nil
// removes the hook. The Authorization header is not passed to f.
func WithRequestHook(f func(Request)) Option {
	return func(c *config) { c.hook = f }
}

// WithSlowDelay sets the pause of slow answers (DefaultSlowDelay by
// default); zero or negative makes them as fast as the others.
func WithSlowDelay(d time.Duration) Option {
	return func(c *config) { c.slowDelay = d }
}

// Request is what a request hook sees of one request.
type Request struct {
	Method string
	// Path is the URL path, without the query.
	Path string
	// Body is the request body as read (nil for GET); the hook may keep it.
	Body []byte
}
