package letta

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta/lettatest"
)

// The SDK refuses exactly the agent names the server refuses: each name is
// checked by the SDK and sent, unchecked, to lettatest (which applies the
// server's rule and answers 500 as the server does).
func TestAgentNameRuleMatchesServer(t *testing.T) {
	srv := lettatest.NewServer(lettatest.WithDefaultModel("openai/gpt-4o-mini"))
	t.Cleanup(srv.Close)
	names := []string{
		"bot", "bot v2", "Caren's bot", "bot_2-x", "Zoë", "助手", "٣", "x",
		"bot v2.0", "bot:user-1", "a/b", "", " ", "bot\n", "bot\t", "bot!", "émoji 🙂", "a+b", "a@b",
	}
	for _, name := range names {
		sdkErr := validateAgentName(&name)
		body, err := json.Marshal(map[string]string{"name": name})
		require.NoError(t, err)
		resp, err := http.Post(srv.URL+"/v1/agents/", "application/json", bytes.NewReader(body))
		require.NoError(t, err)
		resp.Body.Close()
		if sdkErr != nil {
			assert.ErrorIs(t, sdkErr, ErrInvalidParam)
			assert.Equal(t, http.StatusInternalServerError, resp.StatusCode, "SDK refuses %q; the server must too", name)
		} else {
			assert.Equal(t, http.StatusOK, resp.StatusCode, "SDK accepts %q; the server must too", name)
		}
	}
}

// A refused name is named in the error and nothing is sent.
func TestAgentsRefuseBadNameBeforeSending(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, agentJSON) })
	c := newTestClient(t, srv)
	_, err := c.Agents.Create(t.Context(), &AgentCreateParams{Name: Ptr("bot v2.0")})
	assert.EqualError(t, err, `letta: Agents.Create: invalid name "bot v2.0": an agent name may only contain letters, digits, underscores, spaces, apostrophes and hyphens`)
	assert.Equal(t, 0, srv.count())
	// The server checks names only at create: a rename is sent as given.
	_, err = c.Agents.Update(t.Context(), "agent-1", &AgentUpdateParams{Name: Ptr("bot:user-1")})
	require.NoError(t, err)
	assert.Equal(t, 1, srv.count())
}
