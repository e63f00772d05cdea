package letta

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// escapeAll writes s as a JSON string with every character \u-escaped
// (a surrogate pair beyond U+FFFF).
func escapeAll(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
			fmt.Fprintf(&b, "\\u%04x\\u%04x", r1, r2)
			continue
		}
		fmt.Fprintf(&b, "\\u%04x", r)
	}
	return b.String()
}

func TestMaskEscapedKey(t *testing.T) {
	const key = "sk-let/abc+DEF=="
	tests := []struct{ name, in, want string }{
		{"slash escaped", `{"detail":"bad key sk-let\/abc+DEF== here"}`, `{"detail":"bad key [REDACTED] here"}`},
		{"all escaped", `{"a":1,"detail":"` + escapeAll(key) + `"}`, `{"a":1,"detail":"[REDACTED]"}`},
		{"other strings kept as sent", `{"z": 1, "a":"first","a":"x\ny","d":"k=` + escapeAll(key) + `"}`,
			`{"z": 1, "a":"first","a":"x\ny","d":"k=[REDACTED]"}`},
		{"in an object key", `{"` + escapeAll(key) + `":true}`, `{"[REDACTED]":true}`},
		{"unterminated", `{"detail":"` + escapeAll(key), `{"detail":"[REDACTED]"`},
		{"no key", `{"detail":"line\nbreak \u00e9"}`, `{"detail":"line\nbreak \u00e9"}`},
		{"escaped but only part of the key", `{"d":"sk-let\/abc"}`, `{"d":"sk-let\/abc"}`},
		{"invalid escapes", `{"d":"\q\u12"}`, `{"d":"\q\u12"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, string(maskEscapedKey([]byte(tt.in), []byte(key))))
		})
	}
}

func TestAppendUnescaped(t *testing.T) {
	for _, s := range []string{"plain", "quote \" backslash \\ slash /", "\b\f\n\r\t", "é 日本 🙂", "\u2028", "\x01"} {
		enc, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, s, string(appendUnescaped(nil, enc[1:len(enc)-1])), "%q", s)
		assert.Equal(t, s, string(appendUnescaped(nil, []byte(escapeAll(s)))), "%q all escaped", s)
	}
}

// TestErrorBodyRedactionKeepsTheBody: masking an escaped key leaves the
// rest of APIError.Body as the server sent it (order, duplicates, spaces).
func TestErrorBodyRedactionKeepsTheBody(t *testing.T) {
	body := `{"z": 1, "a":"first","a":"second","detail":"bad key ` + escapeAll("Bearer "+testAPIKey) + `"}`
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { reply(w, 401, body) })
	c := newTestClient(t, srv, WithAPIKey(testAPIKey), WithMaxRetries(0))
	_, err := c.Identities.Get(t.Context(), "identity-1")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, `{"z": 1, "a":"first","a":"second","detail":"bad key Bearer [REDACTED]"}`, string(apiErr.Body))
	assert.Equal(t, "bad key Bearer [REDACTED]", apiErr.Detail)
}

// TestPythonReprKeyIsRedacted: the server's 422 detail is a Python repr
// whose own escapes parseErrorBody undoes; the key must not come back
// through them.
func TestPythonReprKeyIsRedacted(t *testing.T) {
	py := strings.ReplaceAll(testAPIKey, "-", `\\x2d`)
	body := `{"trace_id":"","detail":"[{'type': 'value_error', 'loc': ('body', 'k'), 'msg': 'bad key ` + py + `', 'input': 'x'}]"}`
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { reply(w, 422, body) })
	c := newTestClient(t, srv, WithAPIKey(testAPIKey), WithMaxRetries(0))
	_, err := c.Identities.Get(t.Context(), "identity-1")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Len(t, apiErr.Errors, 1, "detail: %s", apiErr.Detail)
	assert.Equal(t, "bad key [REDACTED]", apiErr.Errors[0].Msg)
	scan := &secretScan{t: t}
	scan.err(err)
	scan.assertCleanKeyOnly(testAPIKey)
}
