package letta

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Base URL errors show the address (without credentials, query and
// fragment) and say what to write instead.
func TestBaseURLErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"127.0.0.1:18283", `letta: invalid base URL "127.0.0.1:18283": no scheme: write "http://127.0.0.1:18283" (or https:// for a TLS server)`},
		{"localhost:8283", `letta: invalid base URL "localhost:8283": no scheme: write "http://localhost:8283" (or https:// for a TLS server)`},
		{"user:pw@letta.example.com", `letta: invalid base URL "letta.example.com": no scheme: write "http://letta.example.com" (or https:// for a TLS server)`},
		{"http://host:8283/v1", `letta: invalid base URL "http://host:8283/v1": must not end in /v1 (the SDK adds /v1 to every path): write "http://host:8283"`},
		{"http://host:8283/v1/", `letta: invalid base URL "http://host:8283/v1/": must not end in /v1 (the SDK adds /v1 to every path): write "http://host:8283"`},
		{"https://proxy.example.com/letta/v1", `letta: invalid base URL "https://proxy.example.com/letta/v1": must not end in /v1 (the SDK adds /v1 to every path): write "https://proxy.example.com/letta"`},
		{"https://user:pw@example.com/x", `letta: invalid base URL "https://example.com/x": credentials in the URL are not supported; use WithAPIKey or WithHeader`},
		{"https://example.com/?api_key=sk-1", `letta: invalid base URL "https://example.com/": must not have a query`},
		{"ftp://example.com", `letta: invalid base URL "ftp://example.com": scheme must be http or https`},
		{"http://[::1", `letta: invalid base URL "http://[::1": not a valid URL`},
	}
	for _, tt := range tests {
		_, err := NewClient(WithBaseURL(tt.in))
		assert.ErrorIs(t, err, ErrInvalidParam, tt.in)
		assert.EqualError(t, err, tt.want, tt.in)
	}

	// From the environment, the variable is named.
	_, err := envOptions(func(name string) (string, bool) {
		if name == EnvBaseURL {
			return "127.0.0.1:18283", true
		}
		return "", false
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `LETTA_BASE_URL (base URL) "127.0.0.1:18283": no scheme: write "http://127.0.0.1:18283"`)

	// Paths that merely contain v1 are kept.
	for _, ok := range []string{"https://example.com/v1x", "https://example.com/v10", "https://example.com/api-v1-proxy/letta"} {
		c, err := NewClient(WithBaseURL(ok))
		require.NoError(t, err, ok)
		assert.Equal(t, ok, c.BaseURL())
	}
}
