package exampleenv

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/lettatest"
)

func closedPortURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "http://" + addr
}

func TestRunMain(t *testing.T) {
	authSrv := lettatest.NewServer(lettatest.WithAPIKey("right-key"))
	t.Cleanup(authSrv.Close)
	openSrv := lettatest.NewServer()
	t.Cleanup(openSrv.Close)

	tests := []struct {
		name       string
		baseURL    string
		apiKey     string
		runErr     error
		wantCode   int
		wantLocal  bool
		wantRun    bool
		wantFirst  string // prefix of the first stdout line
		wantStderr string // substring of the only stderr line; "" = no stderr
	}{
		{name: "no env starts lettatest", wantLocal: true, wantRun: true,
			wantFirst: "No LETTA_BASE_URL or LETTA_API_KEY set: using an in-process lettatest server at http://127.0.0.1:"},
		{name: "base url", baseURL: openSrv.URL, wantRun: true,
			wantFirst: "Using the Letta server at " + openSrv.URL},
		{name: "right key", baseURL: authSrv.URL, apiKey: "right-key", wantRun: true,
			wantFirst: "Using the Letta server at " + authSrv.URL},
		{name: "wrong key", baseURL: authSrv.URL, apiKey: "wrong-key", wantCode: 1,
			wantStderr: "ex: the Letta server at " + authSrv.URL + " refused the API key (401 Unauthorized): check LETTA_API_KEY"},
		{name: "missing key", baseURL: authSrv.URL, wantCode: 1,
			wantStderr: "requires an API key (401 Unauthorized): set LETTA_API_KEY"},
		{name: "unreachable", baseURL: closedPortURL(t), wantCode: 1,
			wantStderr: "connection refused): check LETTA_BASE_URL"},
		{name: "invalid base url", baseURL: "ftp://example.com", wantCode: 1,
			wantStderr: "LETTA_BASE_URL"},
		{name: "run fails", runErr: errors.New("step failed\nwith detail"), wantLocal: true, wantRun: true, wantCode: 1,
			wantFirst: "No LETTA_BASE_URL", wantStderr: "ex: step failed with detail"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(letta.EnvBaseURL, tt.baseURL)
			t.Setenv(letta.EnvAPIKey, tt.apiKey)
			t.Setenv(letta.EnvCustomHeaders, "")
			t.Setenv(letta.EnvLog, "")
			var stdout, stderr bytes.Buffer
			ran, cleaned := false, false
			code := Run("ex", nil, &stdout, &stderr, func(ctx context.Context, env *Env) error {
				ran = true
				assert.Equal(t, tt.wantLocal, env.Local)
				env.Cleanup("thing", func(context.Context) error { cleaned = true; return nil })
				return tt.runErr
			}, nil)

			assert.Equal(t, tt.wantCode, code)
			assert.Equal(t, tt.wantRun, ran)
			assert.Equal(t, tt.wantRun, cleaned, "cleanups run whenever the example ran")
			if tt.wantFirst != "" {
				first, _, _ := strings.Cut(stdout.String(), "\n")
				assert.True(t, strings.HasPrefix(first, tt.wantFirst), "first line %q", first)
			} else {
				assert.Empty(t, stdout.String(), "a failed connection prints nothing on stdout")
			}
			if tt.wantStderr == "" {
				assert.Empty(t, stderr.String())
				return
			}
			lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
			require.Len(t, lines, 1, "stderr: %q", stderr.String())
			assert.Contains(t, lines[0], tt.wantStderr)
		})
	}
}

func TestCleanupsRunInReverseAndIgnoreNotFound(t *testing.T) {
	t.Setenv(letta.EnvBaseURL, "")
	t.Setenv(letta.EnvAPIKey, "")
	var order []string
	var stdout, stderr bytes.Buffer
	code := Run("ex", nil, &stdout, &stderr, func(ctx context.Context, env *Env) error {
		env.Cleanup("first", func(context.Context) error { order = append(order, "first"); return nil })
		env.Cleanup("gone", func(context.Context) error {
			order = append(order, "gone")
			return &letta.APIError{StatusCode: 404}
		})
		env.Cleanup("broken", func(context.Context) error {
			order = append(order, "broken")
			return errors.New("boom")
		})
		return nil
	}, nil)
	assert.Equal(t, []string{"broken", "gone", "first"}, order)
	assert.Equal(t, 1, code, "a failed cleanup fails the example")
	assert.Equal(t, "ex: cleanup: deleting broken: boom\n", stderr.String())
}

func TestUnique(t *testing.T) {
	local := &Env{Local: true, runID: "abc123"}
	remote := &Env{runID: "abc123"}
	assert.Equal(t, "user_1", local.Unique("user_1"))
	assert.Equal(t, "user_1-abc123", remote.Unique("user_1"))
}

func TestKeepListsInsteadOfDeleting(t *testing.T) {
	t.Setenv(letta.EnvBaseURL, "")
	t.Setenv(letta.EnvAPIKey, "")
	deleted := false
	var stdout, stderr bytes.Buffer
	code := Run("ex", []string{"-keep"}, &stdout, &stderr, func(ctx context.Context, env *Env) error {
		assert.True(t, env.Keep)
		env.Cleanup("agent a (agent-1)", func(context.Context) error { deleted = true; return nil })
		return nil
	}, nil)
	assert.Equal(t, 0, code, stderr.String())
	assert.False(t, deleted, "-keep deletes nothing")
	assert.Contains(t, stdout.String(), "\n== Kept (-keep)\nkept agent a (agent-1)\n")
	assert.NotContains(t, stdout.String(), "deleted the")
}

func TestExampleFlagsAndStdin(t *testing.T) {
	t.Setenv(letta.EnvBaseURL, "")
	t.Setenv(letta.EnvAPIKey, "")
	var user, in string
	x := Example{
		Name:  "ex",
		Usage: "[-user id]",
		Flags: func(fs *flag.FlagSet) { fs.StringVar(&user, "user", "", "the user") },
		Run: func(ctx context.Context, env *Env) error {
			b, err := io.ReadAll(env.Stdin)
			in = string(b)
			return err
		},
	}
	var stdout, stderr bytes.Buffer
	code := x.Exec([]string{"-model", "p/m", "-user", "u1"}, strings.NewReader("hello\n"), &stdout, &stderr, nil)
	assert.Equal(t, 0, code, stderr.String())
	assert.Equal(t, "u1", user)
	assert.Equal(t, "hello\n", in)

	stderr.Reset()
	assert.Equal(t, 0, x.Exec([]string{"-h"}, strings.NewReader(""), &stdout, &stderr, nil))
	assert.Contains(t, stderr.String(), "usage: go run ./examples/ex [-model provider/name] [-embedding provider/name] [-keep] [-user id]")
	assert.Contains(t, stderr.String(), "the user")

	stderr.Reset()
	assert.Equal(t, 2, x.Exec([]string{"-nope"}, strings.NewReader(""), &stdout, &stderr, nil))
}
