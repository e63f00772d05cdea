package letta

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta/lettatest"
)

// A 401 to a client with no API key says so and names the two ways to set
// one; a wrong key's 401 does not.
func TestUnauthorizedWithoutKeySaysSo(t *testing.T) {
	srv := lettatest.NewServer(lettatest.WithAPIKey("sk-right"))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		name string
		opts []Option
		hint bool
	}{
		{"no key", nil, true},
		{"wrong key", []Option{WithAPIKey("sk-wrong")}, false},
		{"Authorization header set by hand", []Option{WithHeader("Authorization", "Bearer sk-wrong")}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(append([]Option{WithBaseURL(srv.URL), WithLogger(nil)}, tc.opts...)...)
			require.NoError(t, err)
			_, err = c.Identities.Count(t.Context())
			require.ErrorIs(t, err, ErrUnauthorized)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			if tc.hint {
				assert.Equal(t, noAPIKeyHint, apiErr.Hint)
				assert.Contains(t, err.Error(), "401 Unauthorized")
				assert.Contains(t, err.Error(), "; the client sent no API key: set LETTA_API_KEY (read by NewClientFromEnv) or use WithAPIKey")
			} else {
				assert.Empty(t, apiErr.Hint)
				assert.NotContains(t, err.Error(), "LETTA_API_KEY")
			}
		})
	}
}
