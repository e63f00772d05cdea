package lettatest

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests in this file pin behaviours that the differential test
// (differential_live_test.go) found on the real server (letta 0.16.8 on
// PostgreSQL) where lettatest answered otherwise.

func TestVerifiedTimestampsHaveSixFractionDigits(t *testing.T) {
	assert.Equal(t, "2026-12-02T01:11:09.751700Z", formatTime(time.Date(2026, 12, 2, 1, 11, 9, 751700000, time.UTC)))
	assert.Equal(t, "2026-12-02T01:11:09.000001Z", formatTime(time.Date(2026, 12, 2, 1, 11, 9, 1000, time.UTC)))
	assert.Equal(t, "2026-12-02T01:11:09Z", formatTime(time.Date(2026, 12, 2, 1, 11, 9, 0, time.UTC)))

	srv := newServer(t)
	it := createIdentity(t, srv, "k", nil)
	a := createAgent(t, srv, map[string]any{"identity_ids": []string{it["id"].(string)}})
	six := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$`)
	for _, k := range []string{"created_at", "updated_at"} {
		assert.Regexp(t, six, a[k])
	}
}

func TestVerifiedPyDatetime(t *testing.T) {
	assert.Equal(t, "datetime.datetime(2026, 12, 2, 1, 9, 59, 174176, tzinfo=datetime.timezone.utc)",
		pyDatetime(time.Date(2026, 12, 2, 1, 9, 59, 174176000, time.UTC)))
	assert.Equal(t, "datetime.datetime(2026, 12, 2, 1, 9, 59, tzinfo=datetime.timezone.utc)",
		pyDatetime(time.Date(2026, 12, 2, 1, 9, 59, 0, time.UTC)))
	assert.Equal(t, "datetime.datetime(2026, 12, 2, 1, 9, tzinfo=datetime.timezone.utc)",
		pyDatetime(time.Date(2026, 12, 2, 1, 9, 0, 0, time.UTC)))
}

// The routes that read a row with the ORM's read_async answer its text,
// with the actor's full repr; GET /v1/agents/{id} has its own text.
func TestVerifiedNotFoundTexts(t *testing.T) {
	srv := newServer(t, WithDeterministicIDs(1))
	a := createAgent(t, srv, map[string]any{})
	it := createIdentity(t, srv, "k", nil)
	unknownAgent := "agent-123e4567-e89b-42d3-8456-426614174000"
	unknownIdentity := "identity-123e4567-e89b-42d3-8456-426614174000"
	actor := "actor='id='user-00000000-0000-4000-8000-000000000000' organization_id='org-00000000-0000-4000-8000-000000000000' " +
		"name='default_user' created_at=datetime.datetime(2024, 12, 31, 23, 59, 59, tzinfo=datetime.timezone.utc) " +
		"updated_at=datetime.datetime(2024, 12, 31, 23, 59, 59, tzinfo=datetime.timezone.utc) is_deleted=False'"
	agentRead := "Agent not found with id='['" + unknownAgent + "']', access level in ['read'] for " + actor
	identityRead := "Identity not found with id='['" + unknownIdentity + "']', access level in ['read'] for " + actor
	for _, c := range []struct {
		method, path string
		body         any
		want         string
	}{
		{"GET", "/v1/agents/" + unknownAgent, nil, "Agent with ID " + unknownAgent + " not found"},
		{"PATCH", "/v1/agents/" + unknownAgent, map[string]any{"description": "x"}, agentRead},
		{"DELETE", "/v1/agents/" + unknownAgent, nil, agentRead},
		{"PATCH", "/v1/agents/" + unknownAgent + "/identities/attach/" + it["id"].(string), nil, agentRead},
		{"GET", "/v1/identities/" + unknownIdentity, nil, identityRead},
		{"PATCH", "/v1/identities/" + unknownIdentity, map[string]any{"name": "x"}, identityRead},
		{"PUT", "/v1/identities/" + unknownIdentity + "/properties", []any{}, identityRead},
		{"PATCH", "/v1/agents/" + a["id"].(string) + "/identities/attach/" + unknownIdentity, nil, identityRead},
	} {
		r := call(t, srv, c.method, c.path, c.body)
		require.Equal(t, http.StatusNotFound, r.status, "%s %s: %s", c.method, c.path, r.body)
		assert.Equal(t, c.want, r.detail(t), "%s %s", c.method, c.path)
	}
}
