package letta

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta/lettatest"
)

// Secrets: the API key must never show in logs (any level), errors (any
// verb), panics, or reach a host other than the configured one. Formatting
// of the Client and its config and the insecure-URL warning at construction
// are tested in client_test.go; these tests add whole workloads, echoing
// servers, redirects and the process's own panic output.

// secretScan collects every text the SDK produced so a test can search it.
type secretScan struct {
	t     *testing.T
	texts []string
}

func (s *secretScan) err(err error) {
	if err == nil {
		return
	}
	s.texts = append(s.texts, err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
}

func (s *secretScan) assertClean(key string) {
	s.t.Helper()
	for _, text := range s.texts {
		assert.NotContains(s.t, text, key)
		assert.NotContains(s.t, text, "Bearer")
	}
}

// TestSecretsInLogsAndErrorsUnderFaults runs a workload with retries,
// drops, auth failures, decode failures, refused redirects, timeouts and a
// refused connection, logging at debug level to text and JSON handlers, and
// searches every log line and every error (with %v, %+v and %#v) for the
// key.
func TestSecretsInLogsAndErrorsUnderFaults(t *testing.T) {
	const key = testAPIKey
	srv := relServer(t, lettatest.WithAPIKey(key))
	var textLog, jsonLog logBuffer
	logger := slog.New(teeHandler{
		slog.NewTextHandler(&textLog, &slog.HandlerOptions{Level: slog.LevelDebug}),
		slog.NewJSONHandler(&jsonLog, &slog.HandlerOptions{Level: slog.LevelDebug}),
	})
	c := relClient(t, srv.URL, WithAPIKey(key), WithLogger(logger), WithHeader("X-Bare-Password", "password "+key))
	wrongKey := relClient(t, srv.URL, WithAPIKey(key+"-wrong"), WithLogger(logger))
	ctx := t.Context()
	scan := &secretScan{t: t}

	id, err := c.Identities.Create(ctx, &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser})
	require.NoError(t, err)
	for _, f := range relFaultKinds {
		f.fault.Method = http.MethodGet
		srv.InjectFault(f.fault)
	}
	for range 10 {
		_, err = c.Identities.List(ctx, nil)
		scan.err(err)
	}
	srv.InjectFault(lettatest.Fault{Drop: lettatest.DropAfterApply})
	_, err = c.Identities.Create(ctx, &IdentityCreateParams{IdentifierKey: "k2", Name: "n", IdentityType: IdentityTypeUser})
	require.ErrorIs(t, err, ErrMaybeApplied)
	scan.err(err)
	_, err = c.Identities.Get(ctx, id.ID+"x")
	require.ErrorIs(t, err, ErrUnprocessable)
	scan.err(err)
	_, err = wrongKey.Identities.Count(ctx)
	require.ErrorIs(t, err, ErrUnauthorized)
	scan.err(err)
	srv.InjectFault(lettatest.Fault{Delay: time.Minute})
	_, err = c.Agents.List(ctx, nil, WithRequestTimeout(50*time.Millisecond), WithRequestMaxRetries(0))
	scan.err(err)
	_, err = c.Identities.Create(ctx, &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser})
	require.ErrorIs(t, err, ErrConflict)
	scan.err(err)

	// Odd servers: a redirect elsewhere, a decode failure, a refused port.
	other := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { reply(w, 200, "{}") })
	redirector := newTestServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
			return
		}
		reply(w, 200, "<html>not json</html>")
	})
	odd := newTestClient(t, redirector, WithAPIKey(key), WithLogger(logger))
	_, err = odd.Identities.Count(ctx)
	scan.err(err)
	_, err = odd.Identities.Count(ctx)
	scan.err(err)
	down := relClient(t, closedPortURL(t), WithAPIKey(key), WithLogger(logger))
	_, err = down.Agents.Count(ctx, nil)
	scan.err(err)

	scan.texts = append(scan.texts, textLog.String(), jsonLog.String())
	scan.assertClean(key)
	assert.Contains(t, textLog.String(), "level=DEBUG", "the workload was logged at debug level")
	assert.Contains(t, textLog.String(), "retry=true")
	assert.Zero(t, other.count(), "nothing reached the other host")
}

// teeHandler sends each record to several handlers.
type teeHandler []slog.Handler

func (h teeHandler) Enabled(ctx context.Context, l slog.Level) bool {
	for _, x := range h {
		if x.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (h teeHandler) Handle(ctx context.Context, r slog.Record) error {
	for _, x := range h {
		if x.Enabled(ctx, r.Level) {
			_ = x.Handle(ctx, r.Clone())
		}
	}
	return nil
}

func (h teeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(teeHandler, len(h))
	for i, x := range h {
		out[i] = x.WithAttrs(as)
	}
	return out
}

func (h teeHandler) WithGroup(name string) slog.Handler {
	out := make(teeHandler, len(h))
	for i, x := range h {
		out[i] = x.WithGroup(name)
	}
	return out
}

// TestEchoedKeyIsRedacted: a proxy or a debugging server that echoes the
// request's Authorization header in an error body or header must not make
// the key part of the SDK's error (message, Detail, Body, Header).
func TestEchoedKeyIsRedacted(t *testing.T) {
	echo := func(status int) func(w http.ResponseWriter, r *http.Request, _ int) {
		return func(w http.ResponseWriter, r *http.Request, _ int) {
			auth := r.Header.Get("Authorization")
			w.Header().Set("X-Echo-Authorization", auth)
			reply(w, status, `{"detail":"invalid credentials: `+auth+`"}`)
		}
	}
	tests := []struct {
		name   string
		handle func(w http.ResponseWriter, r *http.Request, _ int)
	}{
		{"401 echo", echo(401)},
		{"400 echo", echo(400)},
		{"HTML echo", func(w http.ResponseWriter, r *http.Request, _ int) {
			reply(w, 502, "<html><pre>"+r.Header.Get("Authorization")+"</pre></html>", "Content-Type: text/html")
		}},
		{"200 undecodable echo", func(w http.ResponseWriter, r *http.Request, _ int) {
			reply(w, 200, "debug: "+r.Header.Get("Authorization"))
		}},
		{"JSON-escaped echo", func(w http.ResponseWriter, r *http.Request, _ int) {
			// Valid JSON in which no byte sequence equals the key: every
			// character is a \u escape, which Detail prints unescaped.
			var esc strings.Builder
			for _, c := range r.Header.Get("Authorization") {
				fmt.Fprintf(&esc, "\\u%04x", c)
			}
			reply(w, 401, `{"detail":"invalid credentials: `+esc.String()+`","trace_id":"`+esc.String()+`"}`)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, tt.handle)
			c := newTestClient(t, srv, WithAPIKey(testAPIKey), WithMaxRetries(0))
			_, err := c.Identities.Get(t.Context(), "identity-1")
			requireTyped(t, err)
			scan := &secretScan{t: t}
			scan.err(err)
			scan.assertCleanKeyOnly(testAPIKey)
			assert.Contains(t, err.Error(), redacted, "the echo is still visible, with the key masked")
		})
	}
}

func (s *secretScan) assertCleanKeyOnly(key string) {
	s.t.Helper()
	for _, text := range s.texts {
		assert.NotContains(s.t, text, key)
	}
}

// TestRedirectToAnotherHostKeepsCredentials: a redirect to another host (or
// from https to http) is refused before any request goes there, so neither
// Authorization nor custom headers leave for a host the caller did not
// configure; the error is typed and names no credentials. (The basic case
// and the same-host redirect are in transport_test.go.)
func TestRedirectToAnotherHostKeepsCredentials(t *testing.T) {
	var stolen atomic.Int32
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
		reply(w, 200, identityJSON)
	}))
	t.Cleanup(thief.Close)
	thiefURL, err := url.Parse(thief.URL)
	require.NoError(t, err)
	_, thiefPort, _ := strings.Cut(thiefURL.Host, ":")

	targets := map[string]string{
		"other port":                      thief.URL + "/v1/identities/identity-1",
		"other host name, same port":      "http://localhost:" + thiefPort + "/v1/identities/identity-1",
		"with credentials in the target":  "http://user:pw@localhost:" + thiefPort + "/x",
		"protocol-relative to other host": "//localhost:" + thiefPort + "/x",
	}
	for name, target := range targets {
		t.Run(name, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				w.Header().Set("Location", target)
				w.WriteHeader(http.StatusTemporaryRedirect)
			})
			c := newTestClient(t, srv, WithAPIKey(testAPIKey), WithHeader("X-Bare-Password", "password "+testAPIKey))
			for _, call := range []func() error{
				func() error { _, err := c.Identities.Get(t.Context(), "identity-1"); return err },
				func() error {
					_, err := c.Identities.Create(t.Context(), &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser})
					return err
				},
			} {
				err := call()
				var reqErr *RequestError
				require.ErrorAs(t, err, &reqErr)
				var redir *RedirectError
				require.ErrorAs(t, err, &redir)
				assert.NotContains(t, err.Error(), testAPIKey)
				assert.NotContains(t, err.Error(), "pw@")
				assert.NotErrorIs(t, err, ErrMaybeApplied, "the redirect was an answer")
			}
			assert.Equal(t, 2, srv.count(), "one request per call: a refused redirect is not retried")
			assert.Zero(t, stolen.Load(), "nothing reached the other host")
		})
	}

	t.Run("https to http on the same host", func(t *testing.T) {
		var plain atomic.Int32
		tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.TLS == nil {
				plain.Add(1)
			}
			http.Redirect(w, r, "http://"+r.Host+r.URL.Path, http.StatusFound)
		}))
		t.Cleanup(tlsSrv.Close)
		c, err := NewClient(WithBaseURL(tlsSrv.URL), WithAPIKey(testAPIKey), WithLogger(nil),
			WithHTTPClient(tlsSrv.Client()))
		require.NoError(t, err)
		_, err = c.Identities.Count(t.Context())
		var redir *RedirectError
		require.ErrorAs(t, err, &redir)
		assert.Zero(t, plain.Load())
	})
}

// TestInsecureWarningOnlyOnce: the plain-http warning is logged when the
// client is built, not again per request.
func TestInsecureWarningOnlyOnce(t *testing.T) {
	var buf logBuffer
	hc := &http.Client{Transport: fuzzTransport{status: 200, body: []byte("1")}}
	c, err := NewClient(WithBaseURL("http://letta.example.com:8283"), WithAPIKey(testAPIKey),
		WithLogger(debugLogger(&buf)), WithHTTPClient(hc))
	require.NoError(t, err)
	for range 5 {
		_, err := c.Identities.Count(t.Context())
		require.NoError(t, err)
	}
	out := buf.String()
	assert.Equal(t, 1, strings.Count(out, "level=WARN"), out)
	assert.Equal(t, 5, strings.Count(out, "level=DEBUG"), "the calls were logged")
	assert.NotContains(t, out, testAPIKey)
}

// TestPanicOutputHasNoKey runs a child process that crashes with a client,
// an API error and a request error as panic values, with LETTA_LOG=debug
// and the key in the environment, and searches everything it printed.
func TestPanicOutputHasNoKey(t *testing.T) {
	if os.Getenv("LETTA_GO_PANIC_CHILD") != "" {
		panicChild()
		return
	}
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		reply(w, 403, `{"detail":"forbidden"}`)
	})
	for _, what := range []string{"client", "api error", "request error", "config"} {
		t.Run(what, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestPanicOutputHasNoKey$", "-test.count=1")
			cmd.Env = append(os.Environ(), "LETTA_GO_PANIC_CHILD="+what, EnvAPIKey+"="+testAPIKey,
				EnvBaseURL+"="+srv.URL, EnvLog+"=debug")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			require.Error(t, err, "the child must crash")
			text := out.String()
			assert.Contains(t, text, "panic: ", "the child crashed with a panic")
			assert.NotContains(t, text, testAPIKey)
			assert.NotContains(t, text, "SECRET")
		})
	}
}

// panicChild is the body of TestPanicOutputHasNoKey's child process.
func panicChild() {
	c, err := NewClientFromEnv(WithMaxRetries(0))
	if err != nil {
		panic("setup: " + err.Error())
	}
	ctx := context.Background()
	switch os.Getenv("LETTA_GO_PANIC_CHILD") {
	case "client":
		panic(c)
	case "api error":
		_, err := c.Identities.Count(ctx)
		panic(err)
	case "request error":
		bad, _ := NewClient(WithBaseURL("https://127.0.0.1:1"), WithAPIKey(os.Getenv(EnvAPIKey)),
			WithMaxRetries(0), WithHTTPClient(&http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{}}}))
		_, err := bad.Agents.List(ctx, nil)
		panic(err)
	case "config":
		panic(fmt.Sprintf("%#v %+v", *c, c.cfg))
	}
	_, _ = io.WriteString(os.Stderr, "unknown child case")
}
