package letta

import (
	"bytes"
	"net/http"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/letta-go/letta/internal/codec"
)

// The API key must reach no error message, log line or dump of an error,
// even when a server echoes it back (a proxy's error page, a debugging
// endpoint). Only what ends up in errors goes through here; decoded
// successes are left as they are.

// redactKey masks the key in a body, where it stands as it is and inside
// JSON strings that escape it ("\/" for "/", "\u0041" for "A"), which the
// error's Detail would print unescaped. Everything else is left byte for
// byte, so Body stays the body the server sent.
func (c *Client) redactKey(b []byte) []byte {
	key := []byte(c.cfg.apiKey)
	if len(key) == 0 {
		return b
	}
	if bytes.Contains(b, key) {
		b = bytes.ReplaceAll(b, key, []byte(redacted))
	}
	if bytes.IndexByte(b, '\\') >= 0 {
		b = maskEscapedKey(b, key)
	}
	return b
}

// snippetWindow returns the start of body that a snippet of n bytes can
// show, plus room for a key that starts inside it in its longest escaped
// form (6 bytes per byte, "\u00XX"), so that redacting the window masks
// any key the snippet could show.
func (c *Client) snippetWindow(body []byte, n int) []byte {
	return body[:min(len(body), n+6*len(c.cfg.apiKey)+2)]
}

// maskEscapedKey replaces each JSON string token of b that holds a
// backslash and, unescaped, the key, by the same string with the key
// masked. It scans b once and allocates only for the tokens it replaces; b
// need not be valid JSON (an unterminated last string counts to the end).
func maskEscapedKey(b, key []byte) []byte {
	var out []byte // nil until the first replacement
	var buf []byte // the current token, unescaped
	last := 0      // b[last:] is not copied to out yet
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		start, escaped := i, false
		for i++; i < len(b) && b[i] != '"'; i++ {
			if b[i] == '\\' {
				escaped = true
				i++
			}
		}
		end := min(i, len(b)) // b[start+1:end] is the token's content
		if !escaped || end-start-1 < len(key) {
			continue
		}
		buf = appendUnescaped(buf[:0], b[start+1:end])
		if !bytes.Contains(buf, key) {
			continue
		}
		masked, _ := codec.Marshal(strings.ReplaceAll(string(buf), string(key), redacted))
		out = append(append(out, b[last:start]...), masked...)
		// min: an unterminated string ends at len(b); its masked form
		// closes it.
		last = min(i+1, len(b))
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// appendUnescaped appends the JSON string content s, unescaped, to dst.
// Invalid escapes are kept as they are.
func appendUnescaped(dst, s []byte) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			dst = append(dst, c)
			continue
		}
		i++
		if c, ok := unescapeChar(s[i]); ok {
			dst = append(dst, c)
			continue
		}
		switch s[i] {
		case 'u':
			r, n := hex4(s[i+1:])
			if n == 0 {
				dst = append(dst, '\\', 'u')
				continue
			}
			i += n
			if utf16.IsSurrogate(r) {
				if i+2 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
					if r2, n2 := hex4(s[i+3:]); n2 > 0 {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							r = dec
							i += 2 + n2
						}
					}
				}
			}
			dst = utf8.AppendRune(dst, r)
		default:
			dst = append(dst, '\\', s[i])
		}
	}
	return dst
}

// unescapeChar is the character a one-character JSON escape (\" \\ \/ \b
// \f \n \r \t) stands for; ok is false for \u and anything else.
func unescapeChar(e byte) (c byte, ok bool) {
	switch e {
	case '"', '\\', '/':
		return e, true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	}
	return 0, false
}

// hex4 reads four hex digits; n is 4, or 0 when they are not there.
func hex4(s []byte) (r rune, n int) {
	if len(s) < 4 {
		return 0, 0
	}
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, 0
		}
		r = r<<4 | rune(c)
	}
	return r, 4
}

// redactParsed is called once for every *APIError, right after
// parseErrorBody; it also adds the client's hints (hints.go), which must
// never carry the key either.
//
// It masks the key in what parseErrorBody decoded: the real
// server's 422 detail is a Python repr whose own escapes ("\x2d", "\u002d")
// parseErrorBody undoes after the body was redacted.
func (c *Client) redactParsed(e *APIError) {
	c.addHints(e)
	key := string(c.cfg.apiKey)
	if key == "" {
		return
	}
	mask := func(s *string) {
		if strings.Contains(*s, key) {
			*s = strings.ReplaceAll(*s, key, redacted)
		}
	}
	mask(&e.Detail)
	mask(&e.TraceID)
	for i := range e.Examples {
		mask(&e.Examples[i])
	}
	for i := range e.Errors {
		mask(&e.Errors[i].Msg)
		mask(&e.Errors[i].Type)
		mask(&e.Errors[i].Input)
		for j := range e.Errors[i].Allowed {
			mask(&e.Errors[i].Allowed[j])
		}
		for j := range e.Errors[i].Loc {
			mask(&e.Errors[i].Loc[j])
		}
	}
}

// redactHeader is redactKey for response headers; it copies h only when
// a value holds the key.
func (c *Client) redactHeader(h http.Header) http.Header {
	key := string(c.cfg.apiKey)
	if key == "" {
		return h
	}
	var out http.Header
	for name, vals := range h {
		for i, v := range vals {
			if strings.Contains(v, key) {
				if out == nil {
					out = h.Clone()
				}
				out[name][i] = strings.ReplaceAll(v, key, redacted)
			}
		}
	}
	if out == nil {
		return h
	}
	return out
}
