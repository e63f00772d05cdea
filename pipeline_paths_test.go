package letta

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests pin two paths of the request pipeline that its allocation
// work reshaped: the request body handed out afresh (bodyReader, reached as
// GetBody) when a redirect and then a retry each resend it, and the
// per-attempt deadline carried by each attempt's context (newAttempt).

// A POST that is redirected twice (307, then 308) and then answered with a
// status the policy retries even for POST reaches every hop, on every
// attempt, with the same bytes and Content-Length. An attempt that follows
// both redirects reads the body three times (its first send, then GetBody
// once per redirect), and the retry starts over from the original URL, so a
// reader consumed once would show up as an empty or refused body on a later
// hop.
func TestPipelineRedirectAndRetryResendExactBody(t *testing.T) {
	const (
		createPath = "/prefix/v1/identities/"
		stepPath   = "/prefix/moved/step"
		finalPath  = "/prefix/moved/final"
	)
	small := validCreate()
	smallBody := `{"identifier_key":"user_1","name":"Caren","identity_type":"user"}`
	// Larger than a TCP segment and net/http's write buffer, so it cannot
	// go out in the same write as the headers.
	long := strings.Repeat("x", 64<<10)
	large := &IdentityCreateParams{IdentifierKey: "user_2", Name: "Big", IdentityType: IdentityTypeUser,
		Properties: []IdentityProperty{{Key: "bio", Value: json.RawMessage(`"` + long + `"`), Type: IdentityPropertyTypeString}}}
	largeBody := `{"identifier_key":"user_2","name":"Big","identity_type":"user",` +
		`"properties":[{"key":"bio","value":"` + long + `","type":"string"}]}`

	type hop struct {
		path  string
		retry string // the X-Stainless-Retry-Count the hop must carry
	}
	redirected := func(retry string) []hop {
		return []hop{{createPath, retry}, {stepPath, retry}, {finalPath, retry}}
	}
	tests := []struct {
		name     string
		params   *IdentityCreateParams
		wantBody string
		// retryAt is the path whose first visit gets the retryable answer.
		retryAt string
		status  int
		headers []string
		// closeConn makes the retryable answer close its connection, so the
		// retry goes out on a fresh one. On a reused connection net/http
		// itself replays a request whose body failed before any byte left
		// (through GetBody), which would hide a retry that starts from a
		// consumed reader.
		closeConn bool
		wantHops  []hop
	}{
		{
			name: "503 at the redirect target", params: small, wantBody: smallBody,
			retryAt: finalPath, status: http.StatusServiceUnavailable,
			wantHops: append(redirected("0"), redirected("1")...),
		},
		{
			name: "429 at the redirect target", params: small, wantBody: smallBody,
			retryAt: finalPath, status: http.StatusTooManyRequests, headers: []string{"Retry-After-Ms: 0"},
			wantHops: append(redirected("0"), redirected("1")...),
		},
		{
			name: "409 with Retry-After at the redirect target", params: small, wantBody: smallBody,
			retryAt: finalPath, status: http.StatusConflict, headers: []string{"Retry-After: 0"},
			wantHops: append(redirected("0"), redirected("1")...),
		},
		{
			name: "503 before the redirects", params: small, wantBody: smallBody,
			retryAt: createPath, status: http.StatusServiceUnavailable,
			wantHops: append([]hop{{createPath, "0"}}, redirected("1")...),
		},
		{
			name: "503 and Connection: close at the redirect target", params: small, wantBody: smallBody,
			retryAt: finalPath, status: http.StatusServiceUnavailable, closeConn: true,
			wantHops: append(redirected("0"), redirected("1")...),
		},
		{
			name: "503 and Connection: close before the redirects", params: small, wantBody: smallBody,
			retryAt: createPath, status: http.StatusServiceUnavailable, closeConn: true,
			wantHops: append([]hop{{createPath, "0"}}, redirected("1")...),
		},
		{
			name: "large body, 503 at the redirect target", params: large, wantBody: largeBody,
			retryAt: finalPath, status: http.StatusServiceUnavailable,
			wantHops: append(redirected("0"), redirected("1")...),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				mu        sync.Mutex
				lengths   []int64
				chunked   []bool
				retryDone bool
			)
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				mu.Lock()
				lengths = append(lengths, r.ContentLength)
				chunked = append(chunked, len(r.TransferEncoding) > 0)
				first := !retryDone && r.URL.Path == tt.retryAt
				if first {
					retryDone = true
				}
				mu.Unlock()
				switch {
				case first:
					headers := tt.headers
					if tt.closeConn {
						headers = append(headers[:len(headers):len(headers)], "Connection: close")
					}
					reply(w, tt.status, `{"detail":"try again"}`, headers...)
				case r.URL.Path == createPath:
					http.Redirect(w, r, stepPath, http.StatusTemporaryRedirect)
				case r.URL.Path == stepPath:
					http.Redirect(w, r, finalPath, http.StatusPermanentRedirect)
				case r.URL.Path == finalPath:
					reply(w, http.StatusCreated, identityJSON)
				default:
					reply(w, http.StatusNotFound, `{"detail":"Not Found"}`)
				}
			})
			c := newTestClient(t, srv, WithMaxRetries(2))

			var info ResponseInfo
			id, err := c.Identities.Create(t.Context(), tt.params, WithResponseInfo(&info))
			require.NoError(t, err)
			require.NotNil(t, id)
			assert.Equal(t, "identity-1", id.ID)
			assert.Equal(t, "user_1", id.IdentifierKey)
			assert.Equal(t, IdentityTypeUser, id.IdentityType)
			assert.Equal(t, http.StatusCreated, info.StatusCode)
			assert.Equal(t, 2, info.Attempts, "one retry; redirects are part of an attempt")

			reqs := srv.requests()
			require.Len(t, reqs, len(tt.wantHops), "hops the server saw")
			mu.Lock()
			defer mu.Unlock()
			for i, r := range reqs {
				want := tt.wantHops[i]
				assert.Equal(t, http.MethodPost, r.Method, "hop %d: 307 and 308 keep the method", i)
				assert.Equal(t, want.path, r.Path, "hop %d", i)
				// Byte for byte, not JSONEq: every hop must get the bytes
				// marshalled once, not a re-encoding or a remainder.
				assert.Equal(t, tt.wantBody, string(r.Body), "hop %d (%s) body", i, r.Path)
				assert.Equal(t, int64(len(tt.wantBody)), lengths[i], "hop %d (%s) Content-Length", i, r.Path)
				assert.False(t, chunked[i], "hop %d (%s) sent chunked, not with a Content-Length", i, r.Path)
				assert.Equal(t, "application/json", r.Header.Get("Content-Type"), "hop %d", i)
				assert.Equal(t, want.retry, r.Header.Get("X-Stainless-Retry-Count"), "hop %d", i)
			}
		})
	}
}

// An attempt that gets no answer within the per-attempt timeout (WithTimeout)
// is abandoned, and the next attempt gets a fresh deadline: a GET or PATCH
// then succeeds on its second attempt. A POST is not retried, because its
// first attempt was written and the server may have acted on it; the error
// says so through ErrMaybeApplied.
func TestPipelineAttemptTimeoutRetriesAllButPost(t *testing.T) {
	tests := []struct {
		method   string
		attempts int
		wantErr  bool
	}{
		{http.MethodGet, 2, false},
		{http.MethodPatch, 2, false},
		{http.MethodPost, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			release := make(chan struct{})
			abandoned := make(chan struct{})
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 0 {
					// The body (if any) has been read by newTestServer, so
					// the server watches the connection and cancels r's
					// context when the client gives the attempt up.
					select {
					case <-r.Context().Done():
						close(abandoned)
					case <-release:
					}
					return
				}
				reply(w, http.StatusOK, identityJSON)
			})
			// Registered after newTestServer, so it runs before srv.Close,
			// which waits for the hung handler.
			t.Cleanup(func() { close(release) })
			// Long enough for a prompt answer on a fresh connection under
			// -race; the first attempt never answers, so its length only
			// sets how long the test takes.
			c := newTestClient(t, srv, WithTimeout(250*time.Millisecond), WithMaxRetries(2))
			// A safety net, not a measurement: without a per-attempt
			// deadline the call ends here and fails instead of hanging.
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()

			var info ResponseInfo
			var id *Identity
			var err error
			switch tt.method {
			case http.MethodGet:
				id, err = c.Identities.Get(ctx, "identity-1", WithResponseInfo(&info))
			case http.MethodPatch:
				id, err = c.Identities.Update(ctx, "identity-1", &IdentityUpdateParams{Name: Ptr("Caren")}, WithResponseInfo(&info))
			case http.MethodPost:
				id, err = c.Identities.Create(ctx, validCreate(), WithResponseInfo(&info))
			}
			require.NoError(t, ctx.Err(), "the safety net ended the call: no per-attempt deadline fired")

			if tt.wantErr {
				require.Error(t, err)
				assert.Nil(t, id)
				var reqErr *RequestError
				require.ErrorAs(t, err, &reqErr, "no HTTP response: a *RequestError")
				assert.ErrorIs(t, err, ErrMaybeApplied, "the POST was written: it may have been applied")
				assert.ErrorIs(t, err, context.DeadlineExceeded, "the attempt's deadline ended it")
				var apiErr *APIError
				assert.False(t, errors.As(err, &apiErr), "no response was received")
			} else {
				require.NoError(t, err)
				require.NotNil(t, id)
				assert.Equal(t, "identity-1", id.ID)
				assert.Equal(t, http.StatusOK, info.StatusCode)
			}
			assert.Equal(t, tt.attempts, info.Attempts, "ResponseInfo.Attempts")
			reqs := srv.requests()
			require.Len(t, reqs, tt.attempts, "attempts the server saw")
			for i, r := range reqs {
				assert.Equal(t, tt.method, r.Method)
				assert.Equal(t, strconv.Itoa(i), r.Header.Get("X-Stainless-Retry-Count"), "attempt %d", i+1)
			}
			// The first attempt ended because the client dropped it, not
			// because the handler gave up.
			select {
			case <-abandoned:
			case <-ctx.Done():
				t.Fatal("the first attempt's connection was never dropped")
			}
		})
	}
}
