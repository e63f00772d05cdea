package letta

import "net/http"

// noAPIKeyHint is APIError.Hint for a 401 answered to a client with no API
// key: a missing key and a wrong one get the same 401 from the server, and
// only the client knows that it sent none.
const noAPIKeyHint = "the client sent no API key: set LETTA_API_KEY (read by NewClientFromEnv) or use WithAPIKey"

// addHints sets e.Hint from what the client knows of its own
// configuration. (A per-call WithRequestHeader("Authorization", ...) is not
// seen here; the hint then still says truly that the client has no key.)
func (c *Client) addHints(e *APIError) {
	if e.StatusCode == http.StatusUnauthorized && c.cfg.apiKey == "" && c.cfg.headers.Get("Authorization") == "" {
		e.Hint = noAPIKeyHint
	}
}
