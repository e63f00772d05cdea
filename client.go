package letta

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// Version is the version of this SDK. It is sent in the User-Agent and
// X-Stainless-Package-Version headers.
const Version = "0.1.0"

// Base URLs of the two Letta deployments the official SDKs know.
const (
	// CloudBaseURL is Letta Cloud, the default.
	CloudBaseURL = "https://api.letta.com"
	// LocalBaseURL is a self-hosted Letta server on its default port.
	LocalBaseURL = "http://localhost:8283"
)

// Client talks to one Letta server. Create it with NewClient or
// NewClientFromEnv; it is safe for concurrent use by many goroutines and
// should be reused (it keeps idle connections).
type Client struct {
	// Identities manages identities (/v1/identities). The server marks
	// these routes deprecated but still serves them.
	Identities *IdentitiesService
	// Agents manages agents (/v1/agents).
	Agents *AgentsService
	// Blocks manages memory blocks (/v1/blocks).
	Blocks *BlocksService
	// Messages talks to agents (/v1/agents/{agent_id}/messages...).
	Messages *MessagesService

	cfg *config
	// hc sends every attempt; its Timeout is 0, the per-attempt timeout
	// (timeout) travels in each attempt's context instead (see
	// callState.attempt).
	hc      *http.Client
	timeout time.Duration
	fixed   *fixedHeaders
	logger  *slog.Logger
	// bodies recycles the buffers of decoded success bodies.
	bodies *bodyPool
}

// service is the common shape of the API services (go-github style): a
// named type per resource over the same client pointer.
type service struct{ client *Client }

// IdentitiesService is the /v1/identities API. Get it from Client.Identities.
type IdentitiesService service

// AgentsService is the /v1/agents API. Get it from Client.Agents.
type AgentsService service

// BlocksService is the /v1/blocks API. Get it from Client.Blocks.
type BlocksService service

// NewClient builds a client from the options alone: it reads no environment
// variables and makes no network calls. Without options it talks to
// CloudBaseURL without an API key. An invalid option value is an error.
func NewClient(opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(cfg); err != nil {
			return nil, err
		}
	}
	c := &Client{cfg: cfg, hc: newHTTPClient(cfg)}
	c.timeout, c.hc.Timeout = c.hc.Timeout, 0
	c.bodies = &bodyPool{}
	c.fixed = newFixedHeaders(cfg)
	switch {
	case !cfg.loggerSet:
		c.logger = slog.Default()
	case cfg.logger != nil:
		c.logger = cfg.logger
	default:
		c.logger = slog.New(slog.DiscardHandler)
	}
	c.Identities = &IdentitiesService{client: c}
	c.Agents = &AgentsService{client: c}
	c.Blocks = &BlocksService{client: c}
	c.Messages = &MessagesService{client: c}

	if cfg.apiKey != "" && cfg.baseURL.Scheme == "http" && !isLoopbackHost(cfg.baseURL.Hostname()) {
		c.logger.Warn("letta: an API key is set and the base URL uses plain http to a non-loopback host; the key travels unencrypted",
			"host", cfg.baseURL.Host)
	}
	return c, nil
}

// BaseURL returns the base URL the client sends requests to.
func (c *Client) BaseURL() string { return c.cfg.baseURL.String() }

// String describes the client without its API key.
func (c *Client) String() string {
	if c == nil || c.cfg == nil {
		return "letta.Client(nil)"
	}
	key := "unset"
	if c.cfg.apiKey != "" {
		key = redacted
	}
	return fmt.Sprintf("letta.Client{BaseURL: %q, APIKey: %s, MaxRetries: %d}", c.cfg.baseURL.String(), key, c.cfg.maxRetries)
}

// GoString keeps the API key out of %#v.
func (c *Client) GoString() string { return c.String() }

// Format makes every fmt verb (%v, %+v, %#v, %s, %x, ...) print String, so
// no verb can reach the key through reflection.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue keeps the API key out of slog records that include the client.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

func isLoopbackHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
