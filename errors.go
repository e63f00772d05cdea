package letta

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// ErrInvalidParam is matched (with errors.Is) by every error the client
// returns for caller input it refuses before sending anything: an empty or
// unsafe path id, a negative limit, a missing required field, an agent name
// the server would refuse. (Enum values the SDK does not know are sent.)
var ErrInvalidParam = errors.New("letta: invalid parameter")

// InvalidParamError reports caller input that was refused before any request
// was sent. errors.Is(err, ErrInvalidParam) is true for it.
type InvalidParamError struct {
	// Op is the method the input was given to, e.g. "Identities.Create";
	// empty for client options and environment variables.
	Op string
	// Param is the wire name of the parameter, e.g. "identity_id" or "order"
	// ("params" for a nil params pointer). With Missing set it is the first
	// missing field.
	Param string
	// Value is the refused value as the caller gave it.
	Value string
	// Reason says what is wrong with it ("required" for a missing field).
	Reason string
	// Missing names every required field that was left empty, all at once,
	// so one fix-and-retry is enough.
	Missing []string
}

// Error returns e.g. `letta: Agents.List: invalid limit "-1": must not be
// negative`, `letta: Identities.Create: params is nil` or
// `letta: Identities.Create: missing required fields name, identity_type`.
func (e *InvalidParamError) Error() string {
	var b strings.Builder
	b.WriteString("letta: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	switch {
	case len(e.Missing) > 1:
		b.WriteString("missing required fields ")
		b.WriteString(strings.Join(e.Missing, ", "))
	case len(e.Missing) == 1 || (e.Reason == "required" && e.Value == ""):
		b.WriteString("missing required field ")
		if len(e.Missing) == 1 {
			b.WriteString(e.Missing[0])
		} else {
			b.WriteString(e.Param)
		}
	case e.Value == "" && (strings.HasPrefix(e.Reason, "is ") || strings.HasPrefix(e.Reason, "must ")):
		// "params is nil", "identity_id must not be empty".
		b.WriteString(e.Param)
		b.WriteByte(' ')
		b.WriteString(e.Reason)
	case e.Value == "":
		b.WriteString(e.Param)
		b.WriteString(": ")
		b.WriteString(e.Reason)
	default:
		fmt.Fprintf(&b, "invalid %s %q: %s", e.Param, e.Value, e.Reason)
	}
	return b.String()
}

// errNilParams refuses a nil params pointer where params are required.
func errNilParams(op string) error {
	return &InvalidParamError{Op: op, Param: "params", Reason: "is nil"}
}

// missingFields returns the error naming every name whose value is empty,
// or nil.
func missingFields(op string, fields ...[2]string) error {
	var missing []string
	for _, f := range fields {
		if f[1] == "" {
			missing = append(missing, f[0])
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return &InvalidParamError{Op: op, Param: missing[0], Reason: "required", Missing: missing}
}

// withOp names the method on an *InvalidParamError that has no Op yet.
func withOp(op string, err error) error {
	if ip, ok := err.(*InvalidParamError); ok && ip.Op == "" {
		c := *ip
		c.Op = op
		return &c
	}
	return err
}

// Is makes errors.Is(err, ErrInvalidParam) true.
func (e *InvalidParamError) Is(target error) bool { return target == ErrInvalidParam }

// Sentinel errors matched with errors.Is by *APIError, by HTTP status.
var (
	// ErrBadRequest matches a 400 response.
	ErrBadRequest = errors.New("letta: bad request")
	// ErrUnauthorized matches a 401 response (missing or wrong API key).
	ErrUnauthorized = errors.New("letta: unauthorized")
	// ErrPermissionDenied matches a 403 response.
	ErrPermissionDenied = errors.New("letta: permission denied")
	// ErrNotFound matches a 404 response.
	ErrNotFound = errors.New("letta: not found")
	// ErrConflict matches a 409 response, e.g. a duplicate identifier_key
	// on identity create.
	ErrConflict = errors.New("letta: conflict")
	// ErrUnprocessable matches a 422 response (request validation failed,
	// e.g. a malformed id).
	ErrUnprocessable = errors.New("letta: unprocessable entity")
	// ErrRateLimited matches a 429 response.
	ErrRateLimited = errors.New("letta: rate limited")
	// ErrServer matches any 5xx response.
	ErrServer = errors.New("letta: server error")
)

// Sentinel errors wrapped by *DecodeError.
var (
	// ErrEmptyResponse: the server answered 2xx with no body (or JSON null)
	// where an object was expected.
	ErrEmptyResponse = errors.New("letta: empty response body")
	// ErrResponseTooLarge: a response body exceeded WithMaxResponseBytes.
	ErrResponseTooLarge = errors.New("letta: response body too large")
)

// APIError is a non-2xx response from the server. Use errors.Is with the
// sentinels (ErrNotFound, ErrConflict, ...) to branch on the status, and
// errors.As to read the fields:
//
//	var apiErr *letta.APIError
//	if errors.As(err, &apiErr) {
//		log.Println(apiErr.StatusCode, apiErr.Detail, apiErr.RequestID)
//	}
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Method and URL identify the request. The URL never holds credentials.
	Method string
	URL    string
	// Detail is the server's message in readable form: the "detail" string,
	// or the validation errors joined as "loc: msg; ..." when the server sent
	// a list (as JSON, or as the Python repr string its 422 handler emits).
	// It is empty when the body was not JSON (see Body).
	Detail string
	// Errors holds the individual validation errors of a 422, when the
	// detail could be parsed into them.
	Errors []ValidationItem
	// TraceID is the server's "trace_id", when present.
	TraceID string
	// Examples are the example values the server adds to a 422 for a
	// malformed path id (e.g. a well-formed identity id).
	Examples []string
	// Body is the raw response body, capped at 1 MiB.
	Body []byte
	// Header is the response header.
	Header http.Header
	// RequestID is the X-Request-Id (or Request-Id) response header.
	RequestID string
	// Hint is the SDK's note on a likely cause, shown at the end of Error():
	// a 401 to a client configured with no API key says that no key was
	// sent and how to set one. Empty otherwise.
	Hint string

	path string
	// maybeApplied: see Is and ErrMaybeApplied.
	maybeApplied bool
}

// ValidationItem is one request validation error of a 422 response.
type ValidationItem struct {
	// Loc is where the error is, e.g. ["body", "name"] or ["path", "identity_id"].
	Loc []string
	// Msg is the human-readable message.
	Msg string
	// Type is the validator's error type, e.g. "missing" or "enum".
	Type string
	// Input is the refused value as the server echoed it, when Allowed is
	// set.
	Input string
	// Allowed lists the values the server accepts there, when it said so
	// (an enum or literal the server does not know the input of, e.g. an
	// include value it does not have): ["asc", "desc"].
	Allowed []string
}

// String returns "loc.path: msg", or, when the server listed the values it
// accepts, `loc.path: "up" is not one of: asc, desc`.
func (v ValidationItem) String() string {
	msg := v.Msg
	if len(v.Allowed) > 0 {
		msg = strconv.Quote(v.Input) + " is not one of: " + strings.Join(v.Allowed, ", ")
	}
	if len(v.Loc) == 0 {
		return msg
	}
	return strings.Join(v.Loc, ".") + ": " + msg
}

// Error returns e.g. `letta: POST /v1/identities/: 409 Conflict: <detail>
// (request id X)`.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("letta: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.displayPath())
	fmt.Fprintf(&b, ": %d", e.StatusCode)
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteByte(' ')
		b.WriteString(text)
	}
	// The server's text is cut and kept on one line, as the body is: it is
	// the server's, and may be huge or hold line breaks that would forge log
	// lines. Detail keeps it whole.
	// Only what snippet keeps is copied: Detail may be a megabyte.
	msg := snippet([]byte(e.Detail[:min(len(e.Detail), 500)]), 500)
	if msg == "" {
		msg = snippet(e.Body, 200)
	}
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

func (e *APIError) displayPath() string {
	if e.path != "" {
		return e.path
	}
	return e.URL
}

// Is maps the status code to the sentinel errors, so
// errors.Is(err, ErrNotFound) works on a wrapped *APIError. It also
// matches ErrMaybeApplied when the request may have changed something
// although the call failed: a POST, PUT, PATCH or DELETE answered with a
// 5xx other than 503 (say a POST answered 502, which is not retried), or
// one of whose earlier attempts was.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrMaybeApplied:
		return e.maybeApplied
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrPermissionDenied:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrUnprocessable:
		return e.StatusCode == http.StatusUnprocessableEntity
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// NotFoundError reports that a lookup the SDK makes with a list call (such
// as Identities.GetByKey) found nothing: the server answered 200 with an
// empty list, so there is no *APIError. errors.Is(err, ErrNotFound) is true
// for it, as for a 404.
type NotFoundError struct {
	// Op is the method, e.g. "Identities.GetByKey".
	Op string
	// Resource is what was looked for, e.g. "identity".
	Resource string
	// Param and Value are the key looked up, e.g. identifier_key "user_1".
	Param, Value string
}

// Error returns e.g. `letta: Identities.GetByKey: no identity with
// identifier_key "user_1"`.
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("letta: %s: no %s with %s %q", e.Op, e.Resource, e.Param, e.Value)
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// RequestError is a request that got no HTTP response: the connection
// failed or dropped, an attempt timed out (ErrAttemptTimeout), the context
// ended, or a redirect was refused. errors.Is(err, context.Canceled) and
// errors.Is(err, context.DeadlineExceeded) see through it; when the
// context ended, the transport's own error stays in the chain too.
type RequestError struct {
	// Method and URL identify the request (no credentials).
	Method string
	URL    string
	// Err is the underlying error.
	Err error

	path string
}

// Error returns e.g. "letta: GET /v1/agents/: dial tcp ...: connection refused".
func (e *RequestError) Error() string {
	inner := e.Err
	var ue *url.Error
	if errors.As(inner, &ue) && ue.Err != nil {
		// url.Error repeats method and URL, which this message already has.
		inner = ue.Err
	}
	p := e.path
	if p == "" {
		p = e.URL
	}
	msg := "<nil>"
	if inner != nil {
		msg = inner.Error()
	}
	return fmt.Sprintf("letta: %s %s: %s", e.Method, p, msg)
}

// Unwrap returns the underlying error.
func (e *RequestError) Unwrap() error { return e.Err }

// DecodeError is a 2xx response whose body could not be used: not JSON,
// truncated, of the wrong JSON type, empty where an object was expected
// (wraps ErrEmptyResponse) or larger than the limit (wraps
// ErrResponseTooLarge).
type DecodeError struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Method and URL identify the request.
	Method string
	URL    string
	// RequestID is the response's request id header, if any.
	RequestID string
	// Snippet is the start of the body, for diagnosis.
	Snippet string
	// Err is the decoding error.
	Err error

	path string
}

// Error names the request, the status, the cause and the start of the body.
func (e *DecodeError) Error() string {
	p := e.path
	if p == "" {
		p = e.URL
	}
	var b strings.Builder
	fmt.Fprintf(&b, "letta: %s %s: cannot decode %d response: %v", e.Method, p, e.StatusCode, e.Err)
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	if e.Snippet != "" {
		fmt.Fprintf(&b, "; body starts %q", e.Snippet)
	}
	return b.String()
}

// Unwrap returns the decoding error.
func (e *DecodeError) Unwrap() error { return e.Err }

// RedirectError is returned (inside a *RequestError) when the client
// refuses to follow a redirect: to another host or from https to http (so
// that the API key and custom headers never reach a host the caller did not
// configure), or after 10 redirects (a loop). It is never retried.
type RedirectError struct {
	// From is the URL that answered with the redirect; To is its target.
	From, To string
	// Reason says why it was refused: "another host or a downgrade to
	// http" or "stopped after 10 redirects".
	Reason string
}

// Error names both URLs (they never hold credentials) and the reason.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("letta: refused redirect from %s to %s (%s)", e.From, e.To, e.Reason)
}

// snippet returns the start of body as one line of printable text.
func snippet(body []byte, max int) string {
	if len(body) > max {
		body = body[:max]
	}
	// Invalid bytes become U+FFFD rather than vanishing: dropping them could
	// join the two halves of an echoed API key that redaction did not match.
	s := strings.ToValidUTF8(string(body), "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
