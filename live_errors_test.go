//go:build letta_live

package letta

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	missingIdentity = "identity-00000000-0000-4000-8000-000000000000"
	missingAgent    = "agent-00000000-0000-4000-8000-000000000000"
)

// TestLiveErrorsNotFound: every method that takes an id answers 404
// (ErrNotFound) for a well-formed id the server does not have.
func TestLiveErrorsNotFound(t *testing.T) {
	c := liveClient(t)
	ctx := t.Context()
	calls := map[string]func() error{
		"Identities.Get": func() error { _, err := c.Identities.Get(ctx, missingIdentity); return err },
		"Identities.Update": func() error {
			_, err := c.Identities.Update(ctx, missingIdentity, &IdentityUpdateParams{Name: Ptr("x")})
			return err
		},
		"Identities.Delete": func() error { return c.Identities.Delete(ctx, missingIdentity) },
		"Identities.UpsertProperties": func() error {
			_, err := c.Identities.UpsertProperties(ctx, missingIdentity, nil)
			return err
		},
		"Identities.ListAgents": func() error { _, err := c.Identities.ListAgents(ctx, missingIdentity, nil); return err },
		"Identities.ListBlocks": func() error { _, err := c.Identities.ListBlocks(ctx, missingIdentity, nil); return err },
		"Identities.ListAgentsAll": func() error {
			for _, err := range c.Identities.ListAgentsAll(ctx, missingIdentity, nil) {
				return err
			}
			return nil
		},
		"Identities.ListBlocksAll": func() error {
			for _, err := range c.Identities.ListBlocksAll(ctx, missingIdentity, nil) {
				return err
			}
			return nil
		},
		"Identities.List after": func() error {
			_, err := c.Identities.List(ctx, &IdentityListParams{After: missingIdentity})
			return err
		},
		"Identities.List before": func() error {
			_, err := c.Identities.List(ctx, &IdentityListParams{Before: missingIdentity})
			return err
		},
		"Agents.Get": func() error { _, err := c.Agents.Get(ctx, missingAgent, nil); return err },
		"Agents.Update": func() error {
			_, err := c.Agents.Update(ctx, missingAgent, &AgentUpdateParams{Name: Ptr("x")})
			return err
		},
		"Agents.Delete":         func() error { return c.Agents.Delete(ctx, missingAgent) },
		"Agents.AttachIdentity": func() error { return c.Agents.AttachIdentity(ctx, missingAgent, missingIdentity) },
		"Agents.DetachIdentity": func() error { return c.Agents.DetachIdentity(ctx, missingAgent, missingIdentity) },
		"Agents.Create with an unknown model": func() error {
			_, err := c.Agents.Create(ctx, &AgentCreateParams{Model: Ptr("openai/gpt-4o-mini"), Embedding: Ptr(liveEmbedding)})
			return err
		},
	}
	for name, call := range calls {
		err := call()
		apiErr := requireAPIError(t, err, 404)
		require.ErrorIs(t, err, ErrNotFound, name)
		assert.NotEmpty(t, apiErr.Detail, name)
	}
}

// TestLiveErrorsUnprocessable: an id not of the form <prefix>-<uuid4> in a
// path is a 422 whose detail names the pattern and whose examples show one.
func TestLiveErrorsUnprocessable(t *testing.T) {
	c := liveClient(t)
	ctx := t.Context()
	calls := map[string]func() error{
		"Identities.Get": func() error { _, err := c.Identities.Get(ctx, "identity-123"); return err },
		"Identities.Update": func() error {
			_, err := c.Identities.Update(ctx, "identity-123", &IdentityUpdateParams{Name: Ptr("x")})
			return err
		},
		"Identities.Delete":     func() error { return c.Identities.Delete(ctx, "IDENTITY-1") },
		"Identities.ListAgents": func() error { _, err := c.Identities.ListAgents(ctx, "identity-123", nil); return err },
		"Agents.Get":            func() error { _, err := c.Agents.Get(ctx, "agent-123", nil); return err },
		"Agents.Update":         func() error { _, err := c.Agents.Update(ctx, "agent-123", nil); return err },
		"Agents.Delete":         func() error { return c.Agents.Delete(ctx, missingIdentity) },
	}
	for name, call := range calls {
		err := call()
		apiErr := requireAPIError(t, err, 422)
		require.ErrorIs(t, err, ErrUnprocessable, name)
		assert.Contains(t, apiErr.Detail, "String should match pattern", name)
		require.NotEmpty(t, apiErr.Errors, "%s: the detail string is parsed", name)
		assert.Equal(t, "string_pattern_mismatch", apiErr.Errors[0].Type, name)
		assert.NotEmpty(t, apiErr.Examples, name)
	}

	// A bad embedding handle in a body is a 422 too.
	_, err := c.Agents.Create(ctx, &AgentCreateParams{Model: Ptr(liveModel), Embedding: Ptr("bad")})
	apiErr := requireAPIError(t, err, 422)
	require.NotEmpty(t, apiErr.Errors)
	assert.Equal(t, []string{"body", "embedding"}, apiErr.Errors[0].Loc)
}

// TestLiveErrorsBadRequest: the server's 400s.
func TestLiveErrorsBadRequest(t *testing.T) {
	c := liveClient(t)
	ctx := t.Context()
	var info ResponseInfo
	_, err := c.Agents.Create(ctx, &AgentCreateParams{Name: Ptr(liveName(t, "none"))}, WithResponseInfo(&info))
	apiErr := requireAPIError(t, err, 400)
	require.ErrorIs(t, err, ErrBadRequest)
	assert.Equal(t, "INVALID_ARGUMENT: Must specify either model or llm_config in request", apiErr.Detail)
	assert.Equal(t, 1, info.Attempts)

	_, err = c.Agents.Create(ctx, &AgentCreateParams{Model: Ptr("no-slash")})
	apiErr = requireAPIError(t, err, 400)
	assert.Contains(t, apiErr.Detail, "provider/model-name")

	a := createAgent(t, c, AgentCreateParams{Name: Ptr(liveName(t, "a"))})
	err = c.Agents.DetachIdentity(ctx, a.ID, "not-an-identity")
	apiErr = requireAPIError(t, err, 400)
	assert.Contains(t, apiErr.Detail, "Invalid identity ID format")
}

// TestLiveErrorsConflictAndServer: unknown ids in bodies.
func TestLiveErrorsConflictAndServer(t *testing.T) {
	c := liveClient(t)
	ctx := t.Context()
	a := createAgent(t, c, AgentCreateParams{Name: Ptr(liveName(t, "a"))})

	// An unknown identity in identity_ids breaks a foreign key: 409, not
	// retried (it carries no Retry-After).
	var info ResponseInfo
	_, err := c.Agents.Update(ctx, a.ID, &AgentUpdateParams{IdentityIDs: []string{missingIdentity}}, WithResponseInfo(&info))
	requireAPIError(t, err, 409)
	require.ErrorIs(t, err, ErrConflict)
	assert.Equal(t, 1, info.Attempts)

	// An unknown agent in an identity's agent_ids is an unhandled error:
	// 500, and a POST is not retried.
	key := liveName(t, "k")
	_, err = c.Identities.Create(ctx, &IdentityCreateParams{IdentifierKey: key, Name: "n", IdentityType: IdentityTypeUser,
		AgentIDs: []string{missingAgent}}, WithResponseInfo(&info))
	requireAPIError(t, err, 500)
	require.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, info.Attempts)
	got, err := c.Identities.List(ctx, &IdentityListParams{IdentifierKey: key})
	require.NoError(t, err)
	assert.Empty(t, got, "nothing was created")
}

// TestLiveErrorsRefusedLocally: input the SDK refuses before sending (the
// server would answer 500 to a negative limit on most lists).
func TestLiveErrorsRefusedLocally(t *testing.T) {
	c := liveClient(t)
	ctx := t.Context()
	_, err := c.Agents.List(ctx, &AgentListParams{Limit: -1})
	require.ErrorIs(t, err, ErrInvalidParam)
	_, err = c.Identities.ListAgents(ctx, missingIdentity, &IdentityAgentListParams{Limit: -2})
	require.ErrorIs(t, err, ErrInvalidParam)
	_, err = c.Identities.Get(ctx, "")
	require.ErrorIs(t, err, ErrInvalidParam)
	_, err = c.Agents.Get(ctx, "agent-1/../x", nil)
	require.ErrorIs(t, err, ErrInvalidParam)
	_, err = c.Identities.Upsert(ctx, nil)
	require.ErrorIs(t, err, ErrInvalidParam)
}

// TestLiveErrorsUnknownEnumValue: an enum value the SDK does not know is
// sent as given (a newer server may accept it); this server answers 422,
// and the error lists the values it allows.
func TestLiveErrorsUnknownEnumValue(t *testing.T) {
	c := liveClient(t)
	_, err := c.Identities.List(t.Context(), &IdentityListParams{IdentityType: "robot"})
	requireAPIError(t, err, 422)
	require.ErrorIs(t, err, ErrUnprocessable)
	assert.Contains(t, err.Error(), `"robot" is not one of: org, user, other`)
}
