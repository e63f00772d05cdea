package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta"
)

// request builds a request for op's route, its wildcards filled in.
func request(t *testing.T, base string, op operation) *http.Request {
	t.Helper()
	method, pattern, _ := strings.Cut(op.route, " ")
	path := regexp.MustCompile(`\{[^}]*\}`).ReplaceAllStringFunc(pattern, func(w string) string {
		if w == "{$}" {
			return ""
		}
		return "some-id"
	})
	var body io.Reader
	switch {
	case op.events != nil:
		body = strings.NewReader(`{"messages":[{"role":"user","content":"hi"}],"streaming":true}`)
	case method == http.MethodPost:
		body = strings.NewReader(`{"identifier_key": "user_1"}`)
	}
	req, err := http.NewRequest(method, base+path, body)
	require.NoError(t, err)
	return req
}

// payloads are rendered once for every test.
var payloads = sync.OnceValue(newPayloads)

// rawClient does not ask for gzip by itself nor decompress, so that the
// test sees the bytes and headers as sent.
var rawClient = &http.Client{Transport: &http.Transport{DisableCompression: true}}

func TestModesFrameBodiesAsTheySay(t *testing.T) {
	for _, m := range modes {
		srv := httptest.NewServer(newMux(m, payloads()))
		t.Cleanup(srv.Close)
		for i, op := range operations {
			t.Run(string(m)+"/"+op.name, func(t *testing.T) {
				req := request(t, srv.URL, op)
				req.Header.Set("Accept-Encoding", "gzip")
				resp, err := rawClient.Do(req)
				require.NoError(t, err)
				defer resp.Body.Close()
				got, err := io.ReadAll(resp.Body)
				require.NoError(t, err)
				if !op.in(m) {
					assert.Equal(t, http.StatusNotFound, resp.StatusCode, "%s is not timed in %s mode", op.name, m)
					return
				}
				require.Equal(t, http.StatusOK, resp.StatusCode, string(got))
				if op.events != nil {
					assert.Equal(t, "text/event-stream; charset=utf-8", resp.Header.Get("Content-Type"))
				} else {
					assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
				}

				want := payloads()[i].body
				switch m {
				case sized:
					assert.Equal(t, int64(len(want)), resp.ContentLength)
					assert.Empty(t, resp.TransferEncoding)
					assert.Empty(t, resp.Header.Get("Content-Encoding"))
				case chunked, gzipped:
					assert.Equal(t, int64(-1), resp.ContentLength, "no Content-Length")
					assert.Equal(t, []string{"chunked"}, resp.TransferEncoding)
				}
				if m == gzipped {
					require.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
					zr, err := gzip.NewReader(bytes.NewReader(got))
					require.NoError(t, err)
					got, err = io.ReadAll(zr)
					require.NoError(t, err)
				} else {
					assert.Empty(t, resp.Header.Get("Content-Encoding"))
				}
				assert.True(t, bytes.Equal(want, got), "body: %d bytes, want %d", len(got), len(want))
			})
		}
	}
}

func TestGzipModeAnswersOnlyClientsThatAcceptGzip(t *testing.T) {
	srv := httptest.NewServer(newMux(gzipped, payloads()))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		acceptEncoding string
		want           int
	}{
		{"", http.StatusNotAcceptable},
		{"br, deflate", http.StatusNotAcceptable},
		{"gzip;q=0", http.StatusNotAcceptable},
		{"gzip; q=0.000, br", http.StatusNotAcceptable},
		{"gzip", http.StatusOK},
		{"gzip, deflate", http.StatusOK}, // Node's fetch
		{"br, GZIP;q=0.5", http.StatusOK},
	} {
		t.Run(tc.acceptEncoding, func(t *testing.T) {
			req := request(t, srv.URL, operations[0])
			if tc.acceptEncoding != "" {
				req.Header.Set("Accept-Encoding", tc.acceptEncoding)
			}
			resp, err := rawClient.Do(req)
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			assert.Equal(t, tc.want, resp.StatusCode)
		})
	}
}

// The Go driver's calls succeed in every mode: the routes match the SDK's
// requests and the SDK decodes every payload (the checks in each call).
func TestSDKCallsEveryOperationInEveryMode(t *testing.T) {
	for _, m := range modes {
		srv := httptest.NewServer(newMux(m, payloads()))
		t.Cleanup(srv.Close)
		c, err := letta.NewClient(letta.WithBaseURL(srv.URL), letta.WithAPIKey(apiKey))
		require.NoError(t, err)
		for _, op := range operations {
			if !op.in(m) {
				continue
			}
			t.Run(string(m)+"/"+op.name, func(t *testing.T) {
				require.NoError(t, op.call(context.Background(), c))
			})
		}
	}
}

// bench.mjs knows every operation by the same name.
func TestNodeDriverHasEveryOperation(t *testing.T) {
	src, err := os.ReadFile("node/bench.mjs")
	require.NoError(t, err)
	for _, op := range operations {
		assert.Contains(t, string(src), "'"+op.name+"': async", "bench.mjs lacks %s", op.name)
	}
}

// The messages payloads decode, with the SDK, into the turn they describe:
// the send payload's reasoning and answer, its stop reason and usage; the
// stream's ping, pieces, stop reason and usage, in order, in every mode it
// is served in.
func TestSDKDecodesTheMessagesPayloads(t *testing.T) {
	wantText := func(ps []string) string { return strings.Join(ps, "") }
	for _, m := range modes {
		srv := httptest.NewServer(newMux(m, payloads()))
		t.Cleanup(srv.Close)
		c, err := letta.NewClient(letta.WithBaseURL(srv.URL), letta.WithAPIKey(apiKey))
		require.NoError(t, err)

		t.Run(string(m)+"/send", func(t *testing.T) {
			r, err := c.Messages.Send(context.Background(), "agent-1", userSays())
			require.NoError(t, err)
			require.Len(t, r.Messages, sendMessages)
			assert.Equal(t, letta.MessageTypeReasoning, r.Messages[0].MessageType)
			assert.Equal(t, wantText(reasoning), r.Messages[0].GetReasoning())
			assert.Equal(t, wantText(answer), r.AssistantText())
			require.NotNil(t, r.StopReason.StopReason)
			assert.Equal(t, letta.StopReasonEndTurn, *r.StopReason.StopReason)
			assert.Equal(t, letta.MessageTypeUsageStatistics, r.Usage.MessageType)
			assert.Equal(t, int64(1439+2*streamPieces), r.Usage.GetTotalTokens())
		})

		if stream, err := lookup("messages.stream"); err != nil || !stream.in(m) {
			continue
		}
		t.Run(string(m)+"/stream", func(t *testing.T) {
			var types []letta.MessageType
			var reasoned, said strings.Builder
			for msg, err := range c.Messages.Stream(context.Background(), "agent-1",
				&letta.MessageStreamParams{MessageSendParams: *userSays(), StreamTokens: letta.Ptr(true)}) {
				require.NoError(t, err)
				types = append(types, msg.MessageType)
				reasoned.WriteString(msg.GetReasoning())
				if msg.MessageType == letta.MessageTypeAssistant {
					said.WriteString(msg.GetContent().Text)
				}
			}
			require.Len(t, types, streamMessages)
			assert.Equal(t, letta.MessageTypePing, types[0])
			for _, ty := range types[1 : 1+streamPieces] {
				assert.Equal(t, letta.MessageTypeReasoning, ty)
			}
			for _, ty := range types[1+streamPieces : 1+2*streamPieces] {
				assert.Equal(t, letta.MessageTypeAssistant, ty)
			}
			assert.Equal(t, []letta.MessageType{letta.MessageTypeStopReason, letta.MessageTypeUsageStatistics}, types[1+2*streamPieces:])
			assert.Equal(t, wantText(reasoning), reasoned.String())
			assert.Equal(t, wantText(answer), said.String())
		})
	}
}

// The stream's gzip pieces are what a compressor flushes after each event:
// the first k pieces decompress to exactly the first k events, so that a
// client can read each event when its piece arrives.
func TestGzipStreamIsFlushedPerEvent(t *testing.T) {
	var p *payload
	for i, op := range operations {
		if op.events != nil {
			p = payloads()[i]
		}
	}
	require.NotNil(t, p)
	require.Len(t, p.gzEvents, len(p.events))
	var sent []byte
	for k := range p.events {
		sent = append(sent, p.gzEvents[k]...)
		zr, err := gzip.NewReader(bytes.NewReader(sent))
		require.NoError(t, err)
		want := bytes.Join(p.events[:k+1], nil)
		got := make([]byte, len(want))
		_, err = io.ReadFull(zr, got)
		require.NoError(t, err, "after piece %d", k)
		assert.Equal(t, string(want), string(got), "after piece %d", k)
	}
	zr, err := gzip.NewReader(bytes.NewReader(sent))
	require.NoError(t, err)
	all, err := io.ReadAll(zr)
	require.NoError(t, err, "the last piece ends the gzip stream")
	assert.Equal(t, p.body, all)
}
