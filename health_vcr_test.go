package letta_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Client.Health against a server (no authentication needed).
func TestCassetteHealth(t *testing.T) {
	c := newRecordedClient(t)
	h, err := c.Health(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "ok", h.Status)
	assert.NotEmpty(t, h.Version)
}
