package main

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta/lettatest"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
		check   func(t *testing.T, c cliConfig)
	}{
		{"defaults", nil, "", func(t *testing.T, c cliConfig) {
			assert.Equal(t, "127.0.0.1:8283", c.addr)
			assert.Nil(t, c.seed)
			assert.Equal(t, 1000, c.logLimit, "a bounded request log by default")
		}},
		{"request log limit", []string{"-request-log", "7"}, "", func(t *testing.T, c cliConfig) {
			assert.Equal(t, 7, c.logLimit)
		}},
		{"request log unbounded", []string{"-request-log", "-1"}, "", func(t *testing.T, c cliConfig) {
			assert.Equal(t, -1, c.logLimit)
		}},
		{"request log below -1", []string{"-request-log", "-2"}, "want a count", nil},
		{"request log not a number", []string{"-request-log", "many"}, "invalid value", nil},
		{"all flags", []string{"-addr", "127.0.0.1:0", "-api-key", "k", "-default-model", "openai/gpt-4o-mini", "-seed", "-5"}, "", func(t *testing.T, c cliConfig) {
			assert.Equal(t, "127.0.0.1:0", c.addr)
			assert.Equal(t, "k", c.apiKey)
			assert.Equal(t, "openai/gpt-4o-mini", c.defaultModel)
			require.NotNil(t, c.seed)
			assert.Equal(t, int64(-5), *c.seed)
		}},
		{"addr without port", []string{"-addr", "localhost"}, "want host:port", nil},
		{"addr bad port", []string{"-addr", "localhost:http"}, "port must be a number", nil},
		{"addr port too big", []string{"-addr", ":70000"}, "port must be a number", nil},
		{"model without slash", []string{"-default-model", "gpt-4o"}, "want a handle", nil},
		{"model empty name", []string{"-default-model", "openai/"}, "want a handle", nil},
		{"seed not a number", []string{"-seed", "abc"}, "want an integer", nil},
		{"unknown flag", []string{"-nope"}, "flag provided but not defined", nil},
		{"stray argument", []string{"serve"}, "unexpected arguments", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			c, err := parseFlags(tt.args, &stderr)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			tt.check(t, c)
		})
	}
}

func TestRunUsageErrorExits2(t *testing.T) {
	var stderr bytes.Buffer
	assert.Equal(t, 2, run([]string{"-seed", "x"}, &stderr))
	assert.Contains(t, stderr.String(), "lettatest: -seed")
	stderr.Reset()
	assert.Equal(t, 2, run([]string{"-api-key"}, &stderr), "missing flag value")
}

func TestRunListenErrorExits1(t *testing.T) {
	var stderr bytes.Buffer
	assert.Equal(t, 1, run([]string{"-addr", "203.0.113.1:1"}, &stderr), "an address this host does not have")
	assert.Contains(t, stderr.String(), "lettatest:")
}

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunServesAndShutsDownOnSignal(t *testing.T) {
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"-addr", "127.0.0.1:0", "-api-key", "sk-secret-cli", "-seed", "1"}, &stderr)
	}()

	// The signal handler is installed before "serving" is logged.
	var url string
	require.Eventually(t, func() bool {
		m := regexp.MustCompile(`url=(http://\S+)`).FindStringSubmatch(stderr.String())
		if m != nil {
			url = m[1]
		}
		return m != nil
	}, 5*time.Second, 10*time.Millisecond)

	req, _ := http.NewRequest("GET", url+"/v1/identities/count", nil)
	req.Header.Set("Authorization", "Bearer sk-secret-cli")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)

	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGINT))
	select {
	case code := <-done:
		assert.Equal(t, 0, code)
	case <-time.After(10 * time.Second):
		t.Fatal("did not shut down")
	}
	out := stderr.String()
	assert.Contains(t, out, "path=/v1/identities/count")
	assert.Contains(t, out, "shutting down")
	assert.NotContains(t, out, "sk-secret-cli")
}

func TestRunHelpExits0(t *testing.T) {
	var stderr bytes.Buffer
	assert.Equal(t, 0, run([]string{"-h"}, &stderr))
	assert.Contains(t, stderr.String(), "-default-model")
}

// The options built from the command line bound the request log.
func TestServerOptionsRequestLog(t *testing.T) {
	tests := []struct {
		name string
		args []string
		sent int
		want int
	}{
		{"default keeps the last 1000", nil, 1005, 1000},
		{"flag sets the limit", []string{"-request-log", "3"}, 5, 3},
		{"zero keeps none", []string{"-request-log", "0"}, 2, 0},
		{"minus one keeps all", []string{"-request-log", "-1"}, 1005, 1005},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseFlags(tt.args, io.Discard)
			require.NoError(t, err)
			h := lettatest.NewHandler(serverOptions(c, slog.New(slog.NewTextHandler(io.Discard, nil)))...)
			for i := range tt.sent {
				h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", fmt.Sprintf("/v1/health/?i=%d", i), nil))
			}
			got := h.Requests()
			require.Len(t, got, tt.want)
			if tt.want > 0 {
				assert.Equal(t, fmt.Sprintf("i=%d", tt.sent-1), got[len(got)-1].RawQuery, "the newest is kept")
				assert.Equal(t, fmt.Sprintf("i=%d", tt.sent-tt.want), got[0].RawQuery, "the oldest kept")
			}
		})
	}
}
