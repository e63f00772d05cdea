package lettatest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMultiUserGuideFlow follows the curl flow of Letta's multi-user guide
// with plain net/http, as a user's unit test would.
func TestMultiUserGuideFlow(t *testing.T) {
	srv := newServer(t, WithAPIKey(secretKey))
	auth := http.Header{"Authorization": {"Bearer " + secretKey}}

	// 1. Create an identity for user_1.
	user := mustOK(t, call(t, srv, "POST", "/v1/identities/", map[string]any{
		"identifier_key": "user_1", "name": "Caren", "identity_type": "user",
	}, auth))
	userID := user["id"].(string)

	// 2. Create an agent that belongs to it.
	agent := mustOK(t, call(t, srv, "POST", "/v1/agents/", map[string]any{
		"memory_blocks": []any{
			map[string]any{"label": "human", "value": "The human's name is Caren."},
			map[string]any{"label": "persona", "value": "I am a helpful assistant."},
		},
		"model":        "openai/gpt-4o-mini",
		"embedding":    "openai/text-embedding-3-small",
		"identity_ids": []any{userID},
	}, auth))
	agentID := agent["id"].(string)
	assert.Equal(t, []any{userID}, agent["identity_ids"])

	// 3. Find the user's agents by identifier key.
	l := call(t, srv, "GET", "/v1/agents/?identifier_keys=user_1", nil, auth).list(t)
	assert.Equal(t, []string{agentID}, ids(t, l))

	// 4. An identity can also be created with agent_ids for an existing agent.
	second := mustOK(t, call(t, srv, "POST", "/v1/identities/", map[string]any{
		"identifier_key": "user_2", "name": "Sam", "identity_type": "user", "agent_ids": []any{agentID},
	}, auth))
	l = call(t, srv, "GET", "/v1/agents/?identifier_keys=user_2", nil, auth).list(t)
	assert.Equal(t, []string{agentID}, ids(t, l))
	l = call(t, srv, "GET", "/v1/agents/?identity_id="+second["id"].(string), nil, auth).list(t)
	assert.Equal(t, []string{agentID}, ids(t, l))

	// 5. Agents with tags, found by tags.
	tagged := mustOK(t, call(t, srv, "POST", "/v1/agents/", map[string]any{
		"model": "openai/gpt-4o-mini", "tags": []any{"user_1", "prod"},
	}, auth))
	mustOK(t, call(t, srv, "POST", "/v1/agents/", map[string]any{
		"model": "openai/gpt-4o-mini", "tags": []any{"user_3"},
	}, auth))
	l = call(t, srv, "GET", "/v1/agents/?tags=user_1", nil, auth).list(t)
	assert.Equal(t, []string{tagged["id"].(string)}, ids(t, l))
	l = call(t, srv, "GET", "/v1/agents/?tags=user_1&tags=prod&match_all_tags=true", nil, auth).list(t)
	assert.Equal(t, []string{tagged["id"].(string)}, ids(t, l))

	// The agent's identities, as a current client asks for them.
	got := mustOK(t, call(t, srv, "GET", "/v1/agents/"+agentID+"?include=agent.identities", nil, auth, currentUA))
	var keys []string
	for _, it := range got["identities"].([]any) {
		keys = append(keys, it.(map[string]any)["identifier_key"].(string))
	}
	require.ElementsMatch(t, []string{"user_1", "user_2"}, keys)
}
