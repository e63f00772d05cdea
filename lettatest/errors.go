package lettatest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// response is what a route handler produces; the Handler encodes and writes it
// (or, for DropAfterApply, throws it away).
type response struct {
	status int
	body   []byte
	header http.Header
	bare   bool // no Content-Type: the body is empty and not JSON
	// stream, when set, writes the whole answer itself (server-sent
	// events); status, body and header are then unused.
	stream func(http.ResponseWriter, *http.Request)
}

// jsonResponse encodes v as the body of a response with the given status.
func jsonResponse(status int, v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		// Only our own types are encoded here; a failure is a bug in the
		// fake, and the server's answer to bugs is a 500.
		return unknownError()
	}
	return response{status: status, body: b}
}

// ok answers 200 with v as JSON; every success of the real API is 200.
func ok(v any) response { return jsonResponse(http.StatusOK, v) }

// detailError answers {"detail": msg}, the server's generic error body.
func detailError(status int, msg string) response {
	return jsonResponse(status, map[string]string{"detail": msg})
}

// unknownError is the server's answer to an unhandled exception.
func unknownError() response {
	return response{status: http.StatusInternalServerError, body: []byte(`{"detail":"An unknown error occurred"}`)}
}

// invalidArgument is the server's 400 for LettaInvalidArgumentError.
func invalidArgument(msg string) response {
	return detailError(http.StatusBadRequest, "INVALID_ARGUMENT: "+msg)
}

// valErr is one pydantic validation error; a nil ctx is omitted from the
// rendered dict, as pydantic does.
type valErr struct {
	typ   string
	loc   []any // strings and ints
	msg   string
	input any // decoded JSON (json.Number for numbers)
	ctx   map[string]any
}

// validationResponse renders the server's real 422 body: trace_id, detail as
// the Python repr of the error list (not the spec's array), and examples for
// malformed path ids.
func validationResponse(errs []valErr, examples []string) response {
	var sb strings.Builder
	sb.WriteByte('[')
	for i, e := range errs {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("{'type': ")
		sb.WriteString(pyStr(e.typ))
		sb.WriteString(", 'loc': (")
		for j, l := range e.loc {
			if j > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(pyRepr(l))
		}
		if len(e.loc) == 1 {
			sb.WriteByte(',')
		}
		sb.WriteString("), 'msg': ")
		sb.WriteString(pyStr(e.msg))
		sb.WriteString(", 'input': ")
		sb.WriteString(pyRepr(e.input))
		if e.ctx != nil {
			sb.WriteString(", 'ctx': ")
			sb.WriteString(pyRepr(e.ctx))
		}
		sb.WriteByte('}')
	}
	sb.WriteByte(']')
	body := map[string]any{"trace_id": "", "detail": sb.String()}
	if examples != nil {
		body["examples"] = examples
	}
	return jsonResponse(http.StatusUnprocessableEntity, body)
}

// pyRepr renders decoded JSON the way Python's repr renders the equivalent
// value (dict, list, str, int/float, True/False/None).
func pyRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case string:
		return pyStr(x)
	case bool:
		if x {
			return "True"
		}
		return "False"
	case json.Number:
		return x.String()
	case int:
		return fmt.Sprint(x)
	case int64:
		return fmt.Sprint(x)
	case float64:
		return fmt.Sprint(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []string:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pyStr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case pyDict:
		parts := make([]string, len(x.keys))
		for i, k := range x.keys {
			parts[i] = pyStr(k) + ": " + pyRepr(x.vals[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = pyStr(k) + ": " + pyRepr(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	default:
		return pyStr(fmt.Sprint(x))
	}
}

// pyDict is a dict whose repr keeps its keys' order (pydantic echoes an
// input object in the order its keys came).
type pyDict struct {
	keys []string
	vals map[string]any
}

// pyStr is Python's repr of a str: single quotes unless the text contains a
// single quote and no double quote.
func pyStr(s string) string {
	q := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var sb strings.Builder
	sb.WriteByte(q)
	for _, r := range s {
		switch {
		case r == '\\':
			sb.WriteString(`\\`)
		case r == rune(q):
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r == '\t':
			sb.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&sb, `\x%02x`, r)
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteByte(q)
	return sb.String()
}

// pySet renders ids like Python's repr of a set of str (used in the
// server's "Items not found in ...: {...}" messages).
func pySet(ids []string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = pyStr(id)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
