package letta

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientDefaults(t *testing.T) {
	c, err := NewClient()
	require.NoError(t, err)
	assert.Equal(t, CloudBaseURL, c.BaseURL())
	assert.NotNil(t, c.Identities)
	assert.NotNil(t, c.Agents)
	assert.Equal(t, DefaultMaxRetries, c.cfg.maxRetries)
	assert.Equal(t, DefaultTimeout, c.timeout)
	assert.Zero(t, c.hc.Timeout, "the per-attempt timeout travels in each attempt's context")
	assert.Equal(t, DefaultMaxResponseBytes, c.cfg.maxResponseBytes)
	tr, ok := c.hc.Transport.(*http.Transport)
	require.True(t, ok)
	assert.GreaterOrEqual(t, tr.MaxIdleConnsPerHost, 100)
}

func TestNewClientRejectsInvalidOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  Option
	}{
		{"relative base URL", WithBaseURL("/v1")},
		{"ftp base URL", WithBaseURL("ftp://example.com")},
		{"no host", WithBaseURL("http://")},
		{"query", WithBaseURL("https://example.com/?x=1")},
		{"empty query", WithBaseURL("https://example.com/?")},
		{"fragment", WithBaseURL("https://example.com/#frag")},
		{"credentials", WithBaseURL("https://user:pw@example.com")},
		{"garbage", WithBaseURL("http://[::1")},
		{"negative retries", WithMaxRetries(-1)},
		{"negative timeout", WithTimeout(-time.Second)},
		{"retry wait min > max", WithRetryWait(2*time.Second, time.Second)},
		{"negative retry wait", WithRetryWait(-1, time.Second)},
		{"nil http client", WithHTTPClient(nil)},
		{"bad header name", WithHeader("Bad Name", "x")},
		{"header value with newline", WithHeader("X-A", "a\r\nX-Injected: 1")},
		{"api key with newline", WithAPIKey("sk\nInjected")},
		{"project id with newline", WithProjectID("p\n")},
		{"zero max response bytes", WithMaxResponseBytes(0)},
		{"user agent with newline", WithUserAgent("a\nb")},
		// net/http writes these from the request and drops them from
		// Header: accepted, they would silently not be sent.
		{"Host header", WithHeader("Host", "other.example.com")},
		{"Content-Length header", WithHeader("content-length", "3")},
		{"Connection header", WithHeader("Connection", "close")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.opt)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.ErrorIs(t, err, ErrInvalidParam)
		})
	}
}

func TestNewClientErrorsNeverEchoSecrets(t *testing.T) {
	for _, opt := range []Option{
		WithAPIKey(testAPIKey + "\n"),
		WithBaseURL("https://u:" + testAPIKey + "@example.com"),
		WithHeader("X-Bare-Password", testAPIKey+"\r\n"),
		// Tokens travel in queries and fragments too.
		WithBaseURL("https://api.letta.com/?api_key=" + testAPIKey),
		WithBaseURL("https://api.letta.com/#" + testAPIKey),
		WithBaseURL("ftp://api.letta.com/?token=" + testAPIKey),
	} {
		_, err := NewClient(opt)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), testAPIKey)
	}
}

func TestWithBaseURLKeepsPathPrefix(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://proxy.example.com/letta/", "https://proxy.example.com/letta"},
		{"https://proxy.example.com/letta", "https://proxy.example.com/letta"},
		{LocalBaseURL, LocalBaseURL},
		{"  http://127.0.0.1:8283/  ", "http://127.0.0.1:8283"},
	}
	for _, tt := range tests {
		c, err := NewClient(WithBaseURL(tt.in))
		require.NoError(t, err)
		assert.Equal(t, tt.want, c.BaseURL())
	}
}

func TestNewClientFromEnv(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, "3") })
	t.Setenv(EnvAPIKey, testAPIKey)
	t.Setenv(EnvBaseURL, srv.URL+"/envprefix")
	t.Setenv(EnvCustomHeaders, "X-One: 1\n\nX-Two:  two words  \nX-Over: env")
	t.Setenv(EnvLog, "off")

	c, err := NewClientFromEnv(WithHeader("X-Over", "explicit"))
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/envprefix", c.BaseURL())
	_, err = c.Identities.Count(t.Context())
	require.NoError(t, err)
	got := srv.requests()[0]
	assert.Equal(t, "/envprefix/v1/identities/count", got.Path)
	assert.Equal(t, "Bearer "+testAPIKey, got.Header.Get("Authorization"))
	assert.Equal(t, "1", got.Header.Get("X-One"))
	assert.Equal(t, "two words", got.Header.Get("X-Two"))
	assert.Equal(t, "explicit", got.Header.Get("X-Over"), "explicit options win over the environment")

	// Explicit options win over every variable.
	c, err = NewClientFromEnv(WithBaseURL(LocalBaseURL), WithAPIKey(""))
	require.NoError(t, err)
	assert.Equal(t, LocalBaseURL, c.BaseURL())
	assert.Empty(t, string(c.cfg.apiKey))
}

func TestNewClientFromEnvInvalid(t *testing.T) {
	tests := []struct{ name, env, value string }{
		{"base URL", EnvBaseURL, "not a url"},
		{"log level", EnvLog, "verbose"},
		{"header without colon", EnvCustomHeaders, "X-Ok: 1\nbroken"},
		{"header bad name", EnvCustomHeaders, "Bad Name: 1"},
		{"api key with a control character", EnvAPIKey, "sk-let-abc\x01def"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(tt.env, tt.value)
			_, err := NewClientFromEnv()
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidParam)
			assert.Contains(t, err.Error(), tt.env)
			assert.NotContains(t, err.Error(), "abc", "the key is never echoed")
		})
	}
}

func TestNewClientReadsNoEnvironment(t *testing.T) {
	t.Setenv(EnvAPIKey, testAPIKey)
	t.Setenv(EnvBaseURL, "http://env.invalid")
	c, err := NewClient()
	require.NoError(t, err)
	assert.Equal(t, CloudBaseURL, c.BaseURL())
	assert.Empty(t, string(c.cfg.apiKey))
}

func TestEnvLogLevels(t *testing.T) {
	for level, want := range map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "WARN": slog.LevelWarn, "error": slog.LevelError} {
		l, err := envLogger(level)
		require.NoError(t, err)
		assert.True(t, l.Enabled(context.Background(), want), level)
		assert.False(t, l.Enabled(context.Background(), want-1), level)
	}
	l, err := envLogger("off")
	require.NoError(t, err)
	assert.Nil(t, l)
}

func TestAPIKeyNeverFormatted(t *testing.T) {
	c, err := NewClient(WithAPIKey(testAPIKey), WithProjectID("proj-1"))
	require.NoError(t, err)
	var buf logBuffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("client", "c", c, "cfg", c.cfg.apiKey)
	outputs := map[string]string{
		"%v":        fmt.Sprintf("%v", c),
		"%+v":       fmt.Sprintf("%+v", c),
		"%#v":       fmt.Sprintf("%#v", c),
		"%s":        fmt.Sprintf("%s", c),
		"%x":        fmt.Sprintf("%x", c),
		"%q":        fmt.Sprintf("%q", c),
		"value %v":  fmt.Sprintf("%v", *c),
		"value %+v": fmt.Sprintf("%+v", *c),
		"value %#v": fmt.Sprintf("%#v", *c),
		"cfg %+v":   fmt.Sprintf("%+v", *c.cfg),
		"cfg %#v":   fmt.Sprintf("%#v", *c.cfg),
		"service":   fmt.Sprintf("%+v %#v", c.Identities, *c.Agents),
		"slog":      buf.String(),
	}
	for name, out := range outputs {
		assert.NotContains(t, out, testAPIKey, name)
		assert.NotContains(t, out, "SECRET", name)
	}
	assert.Contains(t, outputs["%v"], redacted, "the output says a key is set")
}

func TestInsecureBaseURLWarning(t *testing.T) {
	tests := []struct {
		name    string
		base    string
		key     string
		warning bool
	}{
		{"http remote with key", "http://letta.example.com", testAPIKey, true},
		{"http remote ip with key", "http://10.1.2.3:8283", testAPIKey, true},
		{"http remote without key", "http://letta.example.com", "", false},
		{"https with key", "https://letta.example.com", testAPIKey, false},
		{"localhost", "http://localhost:8283", testAPIKey, false},
		{"127.0.0.1", "http://127.0.0.1:8283", testAPIKey, false},
		{"::1", "http://[::1]:8283", testAPIKey, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf logBuffer
			_, err := NewClient(WithBaseURL(tt.base), WithAPIKey(tt.key), WithLogger(debugLogger(&buf)))
			require.NoError(t, err)
			out := buf.String()
			if tt.warning {
				assert.Equal(t, 1, strings.Count(out, "level=WARN"), out)
				assert.Contains(t, out, "plain http")
			} else {
				assert.NotContains(t, out, "level=WARN")
			}
			assert.NotContains(t, out, testAPIKey)
		})
	}
}

func TestDebugLogsHaveNoSecrets(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 0 {
			reply(w, 503, `{"detail":"busy"}`, "X-Request-Id: req-1")
			return
		}
		reply(w, 401, `{"detail":"Unauthorized"}`, "X-Request-Id: req-2")
	})
	var buf logBuffer
	c := newTestClient(t, srv, WithAPIKey(testAPIKey), WithLogger(debugLogger(&buf)),
		WithHeader("X-Bare-Password", "password "+testAPIKey))
	_, err := c.Identities.Get(t.Context(), "identity-1")
	require.ErrorIs(t, err, ErrUnauthorized)
	assert.NotContains(t, err.Error(), testAPIKey)

	out := buf.String()
	assert.Contains(t, out, "method=GET")
	assert.Contains(t, out, "path=/prefix/v1/identities/identity-1")
	assert.Contains(t, out, "status=503")
	assert.Contains(t, out, "status=401")
	assert.Contains(t, out, "attempt=2")
	assert.Contains(t, out, "duration=")
	assert.Contains(t, out, "request_id=req-1")
	assert.NotContains(t, out, testAPIKey)
	assert.NotContains(t, out, "Authorization")
	assert.NotContains(t, out, "Bearer")
}

func TestDefaultHeaders(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, identityJSON) })
	tests := []struct {
		name    string
		opts    []Option
		call    func(c *Client) error
		want    map[string]string
		absent  []string
		comment string
	}{
		{
			name: "GET without key",
			call: func(c *Client) error { _, err := c.Identities.Get(t.Context(), "identity-1"); return err },
			want: map[string]string{
				"Accept": "application/json", "User-Agent": "letta-go/" + Version,
				"X-Stainless-Package-Version": Version, "X-Stainless-Retry-Count": "0",
			},
			absent: []string{"Authorization", "Content-Type", "X-Project-Id", "X-Project"},
		},
		{
			name: "POST with key, project and custom headers",
			opts: []Option{WithAPIKey(testAPIKey), WithProjectID("proj-1"), WithProject("slug"),
				WithHeader("X-Custom", "c"), WithUserAgent("myapp/1.2")},
			call: func(c *Client) error { _, err := c.Identities.Create(t.Context(), validCreate()); return err },
			want: map[string]string{
				"Authorization": "Bearer " + testAPIKey, "Content-Type": "application/json",
				"X-Project-Id": "proj-1", "X-Project": "slug", "X-Custom": "c",
				"User-Agent": "myapp/1.2 letta-go/" + Version,
			},
		},
		{
			name: "per-call header overrides the client's",
			opts: []Option{WithHeader("X-Custom", "client")},
			call: func(c *Client) error {
				_, err := c.Identities.Get(t.Context(), "identity-1", WithRequestHeader("X-Custom", "call"),
					WithRequestHeader("X-Other", "o"))
				return err
			},
			want: map[string]string{"X-Custom": "call", "X-Other": "o"},
		},
		{
			name:   "empty key sends no Authorization",
			opts:   []Option{WithAPIKey("")},
			call:   func(c *Client) error { _, err := c.Identities.Count(t.Context()); return err },
			absent: []string{"Authorization"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := srv.count()
			c := newTestClient(t, srv, tt.opts...)
			_ = tt.call(c)
			reqs := srv.requests()
			require.Len(t, reqs, before+1)
			got := reqs[before].Header
			for name, want := range tt.want {
				assert.Equal(t, want, got.Get(name), name)
			}
			for _, name := range tt.absent {
				assert.Empty(t, got.Values(name), name)
			}
		})
	}
}

func TestResponseInfo(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 0 {
			reply(w, 502, "bad gateway")
			return
		}
		reply(w, 200, identityJSON, "X-Request-Id: req-42", "X-Extra: yes")
	})
	c := newTestClient(t, srv)
	var info ResponseInfo
	_, err := c.Identities.Get(t.Context(), "identity-1", WithResponseInfo(&info))
	require.NoError(t, err)
	assert.Equal(t, 200, info.StatusCode)
	assert.Equal(t, "req-42", info.RequestID)
	assert.Equal(t, "yes", info.Header.Get("X-Extra"))
	assert.Equal(t, 2, info.Attempts)
}

func TestRequestOptionValidation(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, identityJSON) })
	c := newTestClient(t, srv)
	for _, opt := range []RequestOption{
		WithRequestHeader("bad name", "x"), WithRequestHeader("X-A", "a\nb"), WithRequestHeader("Host", "h"),
		WithRequestMaxRetries(-1), WithRequestTimeout(-1),
	} {
		_, err := c.Identities.Get(t.Context(), "identity-1", opt)
		assert.ErrorIs(t, err, ErrInvalidParam)
	}
	assert.Equal(t, 0, srv.count(), "nothing is sent when an option is invalid")
}

func TestWithHTTPClientIsUsedAndNotMutated(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, "1") })
	var used bool
	var mu sync.Mutex
	hc := &http.Client{
		Timeout: 7 * time.Second,
		Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			mu.Lock()
			used = true
			mu.Unlock()
			return http.DefaultTransport.RoundTrip(r)
		}),
	}
	c := newTestClient(t, srv, WithHTTPClient(hc))
	_, err := c.Identities.Count(t.Context())
	require.NoError(t, err)
	assert.True(t, used)
	assert.Nil(t, hc.CheckRedirect, "the caller's client is not modified")
	assert.Equal(t, 7*time.Second, c.timeout, "without WithTimeout the caller's timeout is kept")

	c = newTestClient(t, srv, WithHTTPClient(hc), WithTimeout(time.Second))
	assert.Equal(t, time.Second, c.timeout)
	assert.Equal(t, 7*time.Second, hc.Timeout)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestConcurrentUse(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		// Only first attempts fail, so every call must succeed on its retry.
		if n%3 == 0 && r.Header.Get("X-Stainless-Retry-Count") == "0" {
			reply(w, 503, `{"detail":"busy"}`)
			return
		}
		reply(w, 200, identityJSON)
	})
	c := newTestClient(t, srv, WithAPIKey(testAPIKey))
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				id, err := c.Identities.Get(context.Background(), "identity-1")
				if err == nil && id.ID != "identity-1" {
					err = errors.New("wrong identity " + id.ID)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
