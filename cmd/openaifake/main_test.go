package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFlags(t *testing.T) {
	c, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:0", c.addr)
	assert.Equal(t, []string{"letta-go-fake"}, c.models)

	c, err = parseFlags([]string{"-models", "a, b,,", "-no-reasoning", "-log"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, c.models)
	assert.True(t, c.noReasoning)
	assert.True(t, c.log)

	for _, bad := range [][]string{{"-addr", "nohost"}, {"-addr", "127.0.0.1:99999"}, {"-models", " , "}, {"extra"}, {"-slow-delay", "soon"}} {
		_, err := parseFlags(bad, io.Discard)
		assert.Error(t, err, "%v", bad)
	}
}

func TestRunUsageErrorExits2(t *testing.T) {
	var stderr bytes.Buffer
	assert.Equal(t, 2, run([]string{"-addr", "x"}, io.Discard, &stderr, nil))
	assert.Contains(t, stderr.String(), "-addr")
}

// syncBuffer is a bytes.Buffer safe to write from the server's goroutines
// while the test reads it.
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

func TestRunServesAndDumps(t *testing.T) {
	dump := t.TempDir()
	pr, pw := io.Pipe()
	var stderr syncBuffer
	stop := make(chan struct{})
	exit := make(chan int, 1)
	go func() { exit <- run([]string{"-log", "-dump", dump, "-models", "m1"}, pw, &stderr, stop) }()

	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	base, found := strings.CutPrefix(strings.TrimSpace(line), "OPENAI_BASE_URL=")
	require.True(t, found, line)
	require.True(t, strings.HasSuffix(base, "/v1"), base)

	resp, err := http.Get(base + "/models")
	require.NoError(t, err)
	var models struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&models))
	resp.Body.Close()
	require.Len(t, models.Data, 1)
	assert.Equal(t, "m1", models.Data[0].ID)

	body := `{"model":"m1","messages":[{"role":"user","content":"hi"}]}`
	resp, err = http.Post(base+"/chat/completions", "application/json", strings.NewReader(body))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(b), "You said: hi")

	close(stop)
	assert.Equal(t, 0, <-exit)
	pw.Close()
	assert.Contains(t, stderr.String(), "openaifake: POST /v1/chat/completions")
	dumped, err := os.ReadFile(filepath.Join(dump, "0002-v1-chat-completions.json"))
	require.NoError(t, err)
	assert.Equal(t, body, string(dumped))
}
