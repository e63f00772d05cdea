package letta

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta/lettatest"
)

// Hostile input from the caller and hostile answers from the server: every
// case ends in a typed error (*InvalidParamError, *APIError, *DecodeError or
// *RequestError) and never in a panic, a hang or unbounded memory.

// requireTyped fails unless err is one of the SDK's error types.
func requireTyped(t *testing.T, err error, msgAndArgs ...any) {
	t.Helper()
	require.Error(t, err, msgAndArgs...)
	var (
		ipe *InvalidParamError
		ae  *APIError
		de  *DecodeError
		re  *RequestError
	)
	if errors.As(err, &ipe) || errors.As(err, &ae) || errors.As(err, &de) || errors.As(err, &re) {
		return
	}
	require.Failf(t, "untyped error", "%T: %v %v", err, err, msgAndArgs)
}

// wireRecorder is lettatest behind a handler that keeps each request's
// path exactly as it came over the wire (lettatest's log keeps the decoded
// path).
type wireRecorder struct {
	*lettatest.Handler
	mu    sync.Mutex
	paths []string // escaped path of each request
	raws  []string // raw query of each request
}

func newWireRecorder(t *testing.T) (*wireRecorder, *httptest.Server) {
	w := &wireRecorder{Handler: lettatest.NewHandler(lettatest.WithDefaultModel(relModel))}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		p, q, _ := strings.Cut(r.RequestURI, "?")
		w.mu.Lock()
		w.paths = append(w.paths, p)
		w.raws = append(w.raws, q)
		w.mu.Unlock()
		w.Handler.ServeHTTP(rw, r)
	}))
	t.Cleanup(srv.Close)
	return w, srv
}

func (w *wireRecorder) last() (path, rawQuery string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.paths[len(w.paths)-1], w.raws[len(w.raws)-1]
}

// TestHostileIDsOnTheWire sends ids with reserved, escaped, control and
// non-ASCII characters through every method that puts an id in the path,
// against lettatest. Each id goes out as exactly one escaped segment (the
// wire path), reaches the server as the very same string (lettatest's
// decoded path), never leaks into the query, and the call ends in a typed
// error. Empty, "." and ".." and ids with "/" are refused before sending.
func TestHostileIDsOnTheWire(t *testing.T) {
	ids := []string{
		"x?limit=1&after=y", "x#frag", "100%", "%2F", "%", "%zz", "a b", " ", "tab\there", "nul\x00byte",
		"crlf\r\nX-Injected: 1", "naïve-日本-🙂", "\xff\xfe not utf-8", "...", ".hidden", "a;b=c", "a+b", "~user",
		"identity-" + strings.Repeat("0", 4000),
	}
	rec, srv := newWireRecorder(t)
	c := relClient(t, srv.URL, WithMaxRetries(0))
	ctx := t.Context()
	type call struct {
		pattern string // %s = the id
		do      func(id string) error
	}
	calls := []call{
		{"/v1/identities/%s", func(id string) error { _, err := c.Identities.Get(ctx, id); return err }},
		{"/v1/identities/%s", func(id string) error {
			_, err := c.Identities.Update(ctx, id, &IdentityUpdateParams{Name: Ptr("n")})
			return err
		}},
		{"/v1/identities/%s", func(id string) error { return c.Identities.Delete(ctx, id) }},
		{"/v1/identities/%s/properties", func(id string) error {
			_, err := c.Identities.UpsertProperties(ctx, id, []IdentityProperty{StringProperty("k", "v")})
			return err
		}},
		{"/v1/identities/%s/agents", func(id string) error { _, err := c.Identities.ListAgents(ctx, id, nil); return err }},
		{"/v1/identities/%s/blocks", func(id string) error { _, err := c.Identities.ListBlocks(ctx, id, nil); return err }},
		{"/v1/agents/%s", func(id string) error { _, err := c.Agents.Get(ctx, id, nil); return err }},
		{"/v1/agents/%s", func(id string) error {
			_, err := c.Agents.Update(ctx, id, &AgentUpdateParams{Description: Ptr("d")})
			return err
		}},
		{"/v1/agents/%s", func(id string) error { return c.Agents.Delete(ctx, id) }},
		{"/v1/agents/agent-1/identities/attach/%s", func(id string) error { return c.Agents.AttachIdentity(ctx, "agent-1", id) }},
		{"/v1/agents/%s/identities/detach/identity-1", func(id string) error {
			return c.Agents.DetachIdentity(ctx, id, "identity-1")
		}},
	}
	for _, id := range ids {
		for _, cl := range calls {
			before := len(rec.Requests())
			err := cl.do(id)
			requireTyped(t, err, "%s with id %q", cl.pattern, id)
			reqs := rec.Requests()
			require.Len(t, reqs, before+1, "%s with id %q", cl.pattern, id)
			wire, rawQuery := rec.last()
			assert.Equal(t, strings.Replace(cl.pattern, "%s", url.PathEscape(id), 1), wire, "wire path, id %q", id)
			assert.Equal(t, strings.Replace(cl.pattern, "%s", id, 1), reqs[before].Path, "server's decoded path, id %q", id)
			assert.Empty(t, rawQuery, "id %q must not reach the query", id)
			assert.NotContains(t, wire, "#")
		}
	}
	n := len(rec.Requests())
	// A "/" cannot be made safe by escaping: the server routes on the
	// decoded path, where %2F splits the segment.
	for _, id := range []string{"", ".", "..", "a/b", "../agents", "agent-1/identities/attach/identity-2"} {
		for _, cl := range calls {
			err := cl.do(id)
			require.ErrorIs(t, err, ErrInvalidParam, "%s with id %q", cl.pattern, id)
		}
	}
	assert.Len(t, rec.Requests(), n, "refused ids are never sent")
}

// TestHostileCallerValues: caller values that cannot be sent are refused as
// *InvalidParamError before anything goes out (enum values and ids are
// covered by the services' own tests).
func TestHostileCallerValues(t *testing.T) {
	rec, srv := newWireRecorder(t)
	c := relClient(t, srv.URL)
	var nilCtx context.Context
	calls := map[string]func() error{
		"metadata NaN": func() error {
			_, err := c.Agents.Create(t.Context(), &AgentCreateParams{Metadata: map[string]any{"x": math.NaN()}})
			return err
		},
		"metadata +Inf on update": func() error {
			_, err := c.Agents.Update(t.Context(), "agent-1", &AgentUpdateParams{Metadata: map[string]any{"x": math.Inf(1)}})
			return err
		},
		"metadata channel": func() error {
			_, err := c.Agents.Create(t.Context(), &AgentCreateParams{Metadata: map[string]any{"x": make(chan int)}})
			return err
		},
		"nil context": func() error { _, err := c.Identities.Get(nilCtx, "identity-1"); return err },
		"nil context, create": func() error {
			_, err := c.Identities.Create(nilCtx, &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser})
			return err
		},
		"nil context, ListAll": func() error {
			for _, err := range c.Identities.ListAll(nilCtx, nil) {
				return err
			}
			return nil
		},
		"nil context, agents ListAll": func() error {
			for _, err := range c.Agents.ListAll(nilCtx, nil) {
				return err
			}
			return nil
		},
	}
	for name, call := range calls {
		var err error
		require.NotPanics(t, func() { err = call() }, name)
		require.ErrorIs(t, err, ErrInvalidParam, name)
		var ipe *InvalidParamError
		require.ErrorAs(t, err, &ipe, name)
	}
	assert.Empty(t, rec.Requests(), "nothing was sent")
}

// gzipped returns n zero bytes, gzip-compressed (a few KiB per MiB).
func gzipped(t *testing.T, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	require.NoError(t, err)
	chunk := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, len(chunk))
		_, err = zw.Write(chunk[:k])
		require.NoError(t, err)
		n -= k
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// endless writes filler until the client goes away.
func endless(w http.ResponseWriter, r *http.Request, status int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	chunk := bytes.Repeat([]byte(`{"detail":"x"}`), 4096)
	for r.Context().Err() == nil {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// TestHostileServerAnswers covers answers that the error and decoding
// tests do not: unbounded and compressed bodies, hanging servers, odd
// statuses, nesting bombs, redirect loops and hostile Retry-After values.
func TestHostileServerAnswers(t *testing.T) {
	// The limit counts decompressed bytes: a 4 MiB bomb (a few KiB on the
	// wire) against a 1 MiB limit. (Reading the 64 MiB default under -race
	// takes seconds; TestNewClientDefaults pins the default itself.)
	bomb := gzipped(t, 4<<20)
	deep := strings.Repeat("[", 200000) + strings.Repeat("]", 200000)
	tests := []struct {
		name     string
		handle   func(w http.ResponseWriter, r *http.Request, n int)
		opts     []Option
		call     func(c *Client) error
		check    func(t *testing.T, err error)
		requests int // requests the server saw
	}{
		{
			name: "gzip bomb past the success limit",
			handle: func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Content-Encoding", "gzip")
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(bomb)
			},
			opts: []Option{WithMaxResponseBytes(1 << 20)},
			call: func(c *Client) error { _, err := c.Identities.List(context.Background(), nil); return err },
			check: func(t *testing.T, err error) {
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.ErrorIs(t, err, ErrResponseTooLarge)
			},
			requests: 1,
		},
		{
			name:   "endless success body",
			handle: func(w http.ResponseWriter, r *http.Request, _ int) { endless(w, r, 200) },
			opts:   []Option{WithMaxResponseBytes(1 << 20)},
			call:   func(c *Client) error { _, err := c.Agents.List(context.Background(), nil); return err },
			check: func(t *testing.T, err error) {
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.ErrorIs(t, err, ErrResponseTooLarge)
			},
			requests: 1,
		},
		{
			name:   "endless error body, retried once",
			handle: func(w http.ResponseWriter, r *http.Request, _ int) { endless(w, r, 502) },
			opts:   []Option{WithMaxRetries(1)},
			call:   func(c *Client) error { _, err := c.Identities.Get(context.Background(), "identity-1"); return err },
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, 502, ae.StatusCode)
				assert.Len(t, ae.Body, int(maxErrorBodyBytes))
				assert.Less(t, len(err.Error()), 600)
			},
			requests: 2,
		},
		{
			name: "no response headers: GET retried, then fails",
			handle: func(_ http.ResponseWriter, r *http.Request, _ int) {
				<-r.Context().Done()
			},
			opts: []Option{WithTimeout(100 * time.Millisecond), WithMaxRetries(1)},
			call: func(c *Client) error { _, err := c.Identities.Count(context.Background()); return err },
			check: func(t *testing.T, err error) {
				var re *RequestError
				require.ErrorAs(t, err, &re)
				assert.ErrorIs(t, err, ErrAttemptTimeout)
				assert.NotErrorIs(t, err, ErrMaybeApplied, "a GET changes nothing")
			},
			requests: 2,
		},
		{
			name: "no response headers: POST not resent",
			handle: func(_ http.ResponseWriter, r *http.Request, _ int) {
				<-r.Context().Done()
			},
			opts: []Option{WithTimeout(100 * time.Millisecond), WithMaxRetries(1)},
			call: func(c *Client) error {
				_, err := c.Agents.Create(context.Background(), &AgentCreateParams{Name: Ptr("a")})
				return err
			},
			check: func(t *testing.T, err error) {
				var re *RequestError
				require.ErrorAs(t, err, &re)
				assert.ErrorIs(t, err, ErrMaybeApplied)
			},
			requests: 1,
		},
		{
			name: "Content-Length larger than the body",
			handle: func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Content-Length", "1000000")
				w.WriteHeader(200)
				_, _ = io.WriteString(w, identityJSON)
			},
			opts: []Option{WithMaxRetries(1)},
			call: func(c *Client) error { _, err := c.Identities.Get(context.Background(), "identity-1"); return err },
			check: func(t *testing.T, err error) {
				var re *RequestError
				require.ErrorAs(t, err, &re)
				assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
			},
			requests: 2,
		},
		{
			name:   "status 999",
			handle: func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 999, `{"detail":"what"}`) },
			call:   func(c *Client) error { _, err := c.Identities.Get(context.Background(), "identity-1"); return err },
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, 999, ae.StatusCode)
				assert.Equal(t, "what", ae.Detail)
			},
			requests: 1,
		},
		{
			name:   "302 without Location",
			handle: func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 302, "") },
			call:   func(c *Client) error { _, err := c.Agents.Get(context.Background(), "agent-1", nil); return err },
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, 302, ae.StatusCode)
			},
			requests: 1,
		},
		{
			name:   "204 where an identity is expected",
			handle: func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(204) },
			call:   func(c *Client) error { _, err := c.Identities.Get(context.Background(), "identity-1"); return err },
			check: func(t *testing.T, err error) {
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.ErrorIs(t, err, ErrEmptyResponse)
			},
			requests: 1,
		},
		{
			name:   "null for an update",
			handle: func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, "null") },
			call: func(c *Client) error {
				_, err := c.Agents.Update(context.Background(), "agent-1", &AgentUpdateParams{Name: Ptr("n")})
				return err
			},
			check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, ErrEmptyResponse)
			},
			requests: 1,
		},
		{
			name:   "nesting bomb for a list",
			handle: func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, deep) },
			call:   func(c *Client) error { _, err := c.Identities.List(context.Background(), nil); return err },
			check: func(t *testing.T, err error) {
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.LessOrEqual(t, len(de.Snippet), 120)
			},
			requests: 1,
		},
		{
			name:   "nesting bomb in an error body",
			handle: func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 400, `{"detail":`+deep+`}`) },
			call:   func(c *Client) error { _, err := c.Identities.Count(context.Background()); return err },
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, 400, ae.StatusCode)
			},
			requests: 1,
		},
		{
			name: "count out of range",
			handle: func(w http.ResponseWriter, _ *http.Request, _ int) {
				reply(w, 200, "99999999999999999999999")
			},
			call: func(c *Client) error { _, err := c.Agents.Count(context.Background(), nil); return err },
			check: func(t *testing.T, err error) {
				var de *DecodeError
				require.ErrorAs(t, err, &de)
			},
			requests: 1,
		},
		{
			name: "count as a fraction",
			handle: func(w http.ResponseWriter, _ *http.Request, _ int) {
				reply(w, 200, "2.5")
			},
			call: func(c *Client) error { _, err := c.Identities.Count(context.Background()); return err },
			check: func(t *testing.T, err error) {
				var de *DecodeError
				require.ErrorAs(t, err, &de)
			},
			requests: 1,
		},
		{
			name: "same-host redirect loop",
			handle: func(w http.ResponseWriter, r *http.Request, _ int) {
				http.Redirect(w, r, r.URL.Path, http.StatusTemporaryRedirect)
			},
			call: func(c *Client) error { _, err := c.Identities.Get(context.Background(), "identity-1"); return err },
			check: func(t *testing.T, err error) {
				var re *RequestError
				require.ErrorAs(t, err, &re)
				var redir *RedirectError
				assert.ErrorAs(t, err, &redir)
			},
			requests: maxRedirects,
		},
		{
			name: "Retry-After: Inf is capped, and past the deadline",
			handle: func(w http.ResponseWriter, _ *http.Request, n int) {
				reply(w, 503, `{"detail":"busy"}`, "Retry-After: Inf")
			},
			call: func(c *Client) error {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				_, err := c.Identities.Count(ctx)
				return err
			},
			check: func(t *testing.T, err error) {
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, 503, ae.StatusCode)
			},
			requests: 1,
		},
	}
	for _, bad := range []string{"NaN", "-1", "1e400", "soon", "-Inf", "0x10", ""} {
		tests = append(tests, struct {
			name     string
			handle   func(w http.ResponseWriter, r *http.Request, n int)
			opts     []Option
			call     func(c *Client) error
			check    func(t *testing.T, err error)
			requests int
		}{
			name: "Retry-After: " + bad + " falls back to the backoff",
			handle: func(w http.ResponseWriter, _ *http.Request, n int) {
				if n == 0 {
					w.Header()["Retry-After"] = []string{bad}
					w.Header()["Retry-After-Ms"] = []string{bad}
					reply(w, 429, `{"detail":"slow down"}`)
					return
				}
				reply(w, 200, "7")
			},
			call: func(c *Client) error {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				_, err := c.Identities.Count(ctx)
				return err
			},
			check:    func(t *testing.T, err error) { require.NoError(t, err) },
			requests: 2,
		})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, tt.handle)
			c := newTestClient(t, srv, tt.opts...)
			var err error
			require.NotPanics(t, func() { err = tt.call(c) })
			if err != nil {
				requireTyped(t, err)
			}
			tt.check(t, err)
			assert.Equal(t, tt.requests, srv.count())
		})
	}
}
