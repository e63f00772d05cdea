package letta

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIdentitiesGetByKey(t *testing.T) {
	for _, tc := range []struct {
		name, respond string
		check         func(t *testing.T, id *Identity, err error)
	}{
		{"one", "[" + identityJSON + "]", func(t *testing.T, id *Identity, err error) {
			require.NoError(t, err)
			assert.Equal(t, "identity-1", id.ID)
		}},
		{"none", "[]", func(t *testing.T, id *Identity, err error) {
			assert.Nil(t, id)
			assert.ErrorIs(t, err, ErrNotFound)
			var nf *NotFoundError
			require.ErrorAs(t, err, &nf)
			assert.EqualError(t, err, `letta: Identities.GetByKey: no identity with identifier_key "user 1/ü"`)
		}},
		{"two projects", "[" + identityJSON + "," + identityJSON + "]", func(t *testing.T, id *Identity, err error) {
			assert.Nil(t, id)
			assert.ErrorIs(t, err, ErrInvalidParam)
			assert.NotErrorIs(t, err, ErrNotFound)
			assert.Contains(t, err.Error(), "several identities")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, tc.respond) })
			c := newTestClient(t, srv)
			id, err := c.Identities.GetByKey(t.Context(), "user 1/ü")
			tc.check(t, id, err)
			reqs := srv.requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, "GET", reqs[0].Method)
			assert.Equal(t, "/prefix/v1/identities/", reqs[0].Path)
			assert.Equal(t, "identifier_key=user+1%2F%C3%BC&limit=2", reqs[0].RawQ)
		})
	}

	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, "[]") })
	c := newTestClient(t, srv)
	_, err := c.Identities.GetByKey(t.Context(), "")
	assert.ErrorIs(t, err, ErrInvalidParam)
	assert.EqualError(t, err, "letta: Identities.GetByKey: identifier_key must not be empty")
	assert.Equal(t, 0, srv.count())

	// A server error is the server's, not a NotFoundError.
	srv = newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 404, `{"detail":"x"}`) })
	c = newTestClient(t, srv, WithMaxRetries(0))
	_, err = c.Identities.GetByKey(t.Context(), "k")
	var apiErr *APIError
	assert.ErrorAs(t, err, &apiErr)
}
