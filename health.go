package letta

import (
	"context"
	"net/http"
)

// healthPath is the spec's path, trailing slash included.
const healthPath = "/v1/health/"

// Health is the server's answer to Client.Health.
type Health struct {
	// Version is the server's version, e.g. "0.16.0".
	Version string `json:"version"`
	// Status is "ok" when the server is up.
	Status string `json:"status"`
}

// Health asks the server whether it is up, for a start-up check of the
// base URL (and network path) a client was configured with:
//
//	client, err := letta.NewClientFromEnv()
//	...
//	if _, err := client.Health(ctx); err != nil {
//		log.Fatalf("Letta is not reachable: %v", err)
//	}
//
// GET /v1/health/. The server answers it without authentication, so a
// wrong API key still passes; any authenticated call (Identities.Count,
// say) checks the key, and a 401 to a client with no key says so (see
// APIError.Hint). Like every GET it is retried by the client's policy; pass
// WithRequestMaxRetries(0) to fail fast.
func (c *Client) Health(ctx context.Context, opts ...RequestOption) (*Health, error) {
	out := new(Health)
	if err := c.do(ctx, apiCall{method: http.MethodGet, path: healthPath}, out, opts); err != nil {
		return nil, withOp("Client.Health", err)
	}
	return out, nil
}
