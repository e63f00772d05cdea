package letta

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta/internal/codec"
)

// Fuzz targets for what a server controls (response bodies, statuses and
// headers) and what a caller controls (ids and query values). Seed corpora
// live in testdata/fuzz/<target>; `go test` runs them as regular tests, and
// CI fuzzes each target for a few seconds:
//
//	go test -run '^$' -fuzz '^FuzzDecodeIdentity$' -fuzztime 5s .
//
// FuzzParseErrorBody and FuzzPathID (errors_test.go) cover the error-body
// parser and id escaping on their own; the targets here go through the
// whole response pipeline and URL building.

// checkDecode decodes data into a fresh *T the way every response is
// decoded. A decoder panic (which decodeInto turns into an error) fails the
// target. A value that decoded must encode again, and one more decode and
// encode must give the same bytes: values read from the server are sent back
// (properties, configs), so decoding must not produce something the SDK
// cannot send or that drifts on each round trip. Nothing decoded may refer
// to the input's bytes: the input is overwritten after decoding (as a
// recycled body buffer is, see bodyPool) and the value must encode the same.
func checkDecode[T any](t *testing.T, data []byte) {
	var v T
	input := bytes.Clone(data)
	err := decodeInto(input, &v)
	if err != nil {
		require.NotContains(t, err.Error(), "decoder panic")
		return
	}
	first, err := codec.Marshal(v)
	require.NoError(t, err, "a decoded %T must encode", v)
	for i := range input {
		input[i] = 'x'
	}
	afterReuse, err := codec.Marshal(v)
	require.NoError(t, err)
	require.Equal(t, string(first), string(afterReuse), "%T: a decoded value refers to its input", v)
	// The same against a decode of an untouched copy, raw fields included
	// (an encoding can hide them: a union re-encodes equal fields the same).
	var pristine T
	require.NoError(t, decodeInto(bytes.Clone(data), &pristine))
	require.True(t, reflect.DeepEqual(pristine, v), "%T: a decoded value refers to its input", v)
	var again T
	require.NoError(t, decodeInto(first, &again), "%T: own encoding must decode: %s", v, first)
	second, err := codec.Marshal(again)
	require.NoError(t, err)
	// A decoder that kept invalid UTF-8 as raw bytes (encoding/json turns it
	// into U+FFFD) would fail here: the encoder would then rewrite the text.
	require.Equal(t, string(first), string(second), "%T: encode/decode must be stable", v)
}

func FuzzDecodeIdentity(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { checkDecode[Identity](t, data) })
}

func FuzzDecodeAgentState(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { checkDecode[AgentState](t, data) })
}

// FuzzDecodeLists covers the list and count answers.
func FuzzDecodeLists(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecode[[]Identity](t, data)
		checkDecode[[]AgentState](t, data)
		checkDecode[[]Block](t, data)
		var n int
		if err := decodeInto(data, &n); err != nil {
			require.NotContains(t, err.Error(), "decoder panic")
		}
	})
}

// fuzzTransport answers every request with one canned response, in memory.
type fuzzTransport struct {
	status int
	header http.Header
	body   []byte
}

func (ft fuzzTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{
		StatusCode: ft.status, Status: strconv.Itoa(ft.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: ft.header.Clone(), Body: io.NopCloser(bytes.NewReader(ft.body)),
		ContentLength: int64(len(ft.body)), Request: r,
	}, nil
}

// parseFuzzHeaders reads "Name: value" lines, keeping those net/http could
// have delivered.
func parseFuzzHeaders(s string) http.Header {
	h := http.Header{}
	for _, line := range strings.Split(s, "\n") {
		name, value, ok := strings.Cut(line, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if ok && validHeaderName(name) && validHeaderValue(value) && !strings.EqualFold(name, "Location") {
			h.Add(name, value)
		}
	}
	return h
}

// FuzzResponseHandling sends calls through the real client pipeline against
// any status, headers and body: the result is a success only for a 2xx, an
// *APIError with that status and the capped body for anything else, a
// *DecodeError for a 2xx that does not decode, never a panic, and the API
// key never shows in the error, even when the body echoes it.
func FuzzResponseHandling(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, headers string, body []byte) {
		status = 200 + abs(status)%400 // 200..599; 1xx and redirects have their own tests
		if status >= 300 && status < 400 {
			status += 100
		}
		c, err := NewClient(WithBaseURL("http://letta.invalid"), WithAPIKey(testAPIKey), WithLogger(nil),
			WithMaxRetries(0), WithMaxResponseBytes(1<<16),
			WithHTTPClient(&http.Client{Transport: fuzzTransport{status: status, header: parseFuzzHeaders(headers), body: body}}))
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		calls := []func() error{
			func() error { _, err := c.Identities.Get(ctx, "identity-1"); return err },
			func() error { _, err := c.Agents.List(ctx, nil); return err },
			func() error { _, err := c.Identities.Count(ctx); return err },
			func() error { return c.Agents.Delete(ctx, "agent-1") },
			func() error {
				_, err := c.Identities.Create(ctx, &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser})
				return err
			},
		}
		for _, call := range calls {
			err := call()
			if err == nil {
				require.True(t, status >= 200 && status <= 299, "success on %d", status)
				continue
			}
			msg := err.Error()
			require.NotContains(t, msg, "decoder panic")
			require.NotContains(t, msg, testAPIKey, "not even when the server echoes it")
			require.NotContains(t, fmt.Sprintf("%#v", err), testAPIKey)
			var ae *APIError
			var de *DecodeError
			switch {
			case errors.As(err, &ae):
				require.Equal(t, status, ae.StatusCode)
				require.False(t, status >= 200 && status <= 299)
				capped := body[:min(len(body), int(maxErrorBodyBytes))]
				require.Equal(t, strings.ReplaceAll(string(capped), testAPIKey, redacted), string(ae.Body))
				require.Contains(t, msg, strconv.Itoa(status))
				for _, it := range ae.Errors {
					_ = it.String()
				}
			case errors.As(err, &de):
				require.True(t, status >= 200 && status <= 299, "decode error on %d", status)
				require.LessOrEqual(t, len(de.Snippet), 120*4)
			default:
				t.Fatalf("untyped error %T: %v", err, err)
			}
		}
	})
}

// FuzzRetryAfter: whatever a server puts in retry-after-ms and Retry-After,
// the wait is between 0 and 60 s, and 0 when no value is usable.
func FuzzRetryAfter(f *testing.F) {
	f.Fuzz(func(t *testing.T, ms, secs string) {
		h := http.Header{}
		if ms != "" {
			h["Retry-After-Ms"] = []string{ms}
		}
		if secs != "" {
			h["Retry-After"] = []string{secs}
		}
		d, ok := retryAfter(h)
		require.GreaterOrEqual(t, d, time.Duration(0))
		require.LessOrEqual(t, d, maxRetryAfter)
		if !ok {
			require.Zero(t, d)
		}
	})
}

// FuzzRequestURL builds list and item URLs from any caller values: the id
// stays one path segment that decodes back to it, each query value comes
// back unchanged under its own key (tags as repeated keys, in order), empty
// values are not sent, and nothing turns into a fragment.
func FuzzRequestURL(f *testing.F) {
	c, err := NewClient(WithBaseURL("https://letta.example.com/prefix"))
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, id, name, key, after, before, tag1, tag2 string, limit int) {
		seg, err := pathID("identity_id", id)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidParam)
		} else {
			full, logPath, err := c.buildURL(identitiesPath+seg+"/agents", nil)
			require.NoError(t, err)
			u, err := url.Parse(full)
			require.NoError(t, err)
			require.Equal(t, "/prefix/v1/identities/"+seg+"/agents", u.EscapedPath())
			require.Equal(t, logPath, u.EscapedPath())
			require.Len(t, strings.Split(u.EscapedPath(), "/"), 6, "the id is one segment")
			require.Equal(t, "/prefix/v1/identities/"+id+"/agents", u.Path)
			require.Empty(t, u.RawQuery)
			require.Empty(t, u.Fragment)
		}

		lp := &IdentityListParams{Name: name, IdentifierKey: key, After: after, Before: before, Limit: limit}
		if err := lp.validate(); err != nil {
			require.ErrorIs(t, err, ErrInvalidParam)
		} else {
			full, _, err := c.buildURL(identitiesPath, lp)
			require.NoError(t, err)
			u, err := url.Parse(full)
			require.NoError(t, err)
			require.Equal(t, "/prefix/v1/identities/", u.Path)
			require.Empty(t, u.Fragment)
			q := u.Query()
			for k, want := range map[string]string{"name": name, "identifier_key": key, "after": after, "before": before} {
				if want == "" {
					require.NotContains(t, q, k)
				} else {
					require.Equal(t, []string{want}, q[k], k)
				}
			}
			if limit == 0 {
				require.NotContains(t, q, "limit")
			} else {
				require.Equal(t, []string{strconv.Itoa(limit)}, q["limit"])
			}
		}

		ap := &AgentListParams{Tags: []string{tag1, tag2}, Name: name}
		if err := ap.validate(); err != nil {
			require.ErrorIs(t, err, ErrInvalidParam)
			return
		}
		full, _, err := c.buildURL(agentsPath, ap)
		require.NoError(t, err)
		u, err := url.Parse(full)
		require.NoError(t, err)
		require.Equal(t, []string{tag1, tag2}, u.Query()["tags"], "tags are repeated keys, in order")
	})
}

func abs(n int) int {
	if n < 0 {
		if n == -n { // the smallest int
			return 0
		}
		return -n
	}
	return n
}
