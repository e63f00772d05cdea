package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Violation is one way an exchange departs from the spec.
type Violation struct {
	// Exchange names the cassette interaction or the scripted step.
	Exchange string
	// Direction is "request" or "response".
	Direction string
	// OperationID, Method and PathTemplate name the spec operation; they are
	// empty when no operation matches the request.
	OperationID  string
	Method       string
	PathTemplate string
	// Status is the response status, for response violations.
	Status int
	// Where locates the fault: "$.name" (JSON body path), "query.limit",
	// "header.Content-Type", "path.identity_id", or "" for the whole exchange.
	Where string
	// Reason is a short explanation.
	Reason string
}

func (v Violation) String() string {
	op := "no operation"
	if v.OperationID != "" {
		op = fmt.Sprintf("%s (%s %s)", v.OperationID, v.Method, v.PathTemplate)
	}
	dir := v.Direction
	if v.Direction == "response" {
		dir = fmt.Sprintf("response %d", v.Status)
	}
	where := v.Where
	if where == "" {
		where = "-"
	}
	return fmt.Sprintf("%s: %s: %s at %s: %s", v.Exchange, op, dir, where, v.Reason)
}

// options are the kin-openapi settings the spec needs
// (openapi-validators.md): never write defaults into recorded traffic, accept
// any credentials (auth is not what is checked), and report every undeclared
// status and every fault rather than the first.
func options() *openapi3filter.Options {
	o := &openapi3filter.Options{
		SkipSettingDefaults:   true,
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
		MultiError:            true,
	}
	// kin's default message embeds the whole failing schema as JSON, which
	// for AgentState runs to pages.
	o.WithCustomSchemaErrorFunc(func(err *openapi3.SchemaError) string {
		return strings.Join(leafReasons(err), "; ")
	})
	return o
}

// ValidateExchange checks one request and its response against the spec.
// name identifies the exchange in the violations. reqBody replaces req's
// body (which is not read); respHeader must carry the response Content-Type.
// It returns nil when both directions conform.
func (c *Checker) ValidateExchange(name string, req *http.Request, reqBody []byte, status int, respHeader http.Header, respBody []byte) []Violation {
	base := Violation{Exchange: name, Method: req.Method}
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	r.ContentLength = int64(len(reqBody))
	if len(reqBody) == 0 {
		r.Body = http.NoBody
	}
	route, pathParams, err := c.router.FindRoute(r)
	if err != nil {
		v := base
		v.Direction = "request"
		v.Where = "path"
		v.Reason = fmt.Sprintf("no operation matches %s %s: %v", req.Method, req.URL.Path, err)
		return []Violation{v}
	}
	base.OperationID = route.Operation.OperationID
	base.PathTemplate = route.Path

	opts := options()
	in := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: pathParams,
		Route:      route,
		Options:    opts,
	}
	var out []Violation
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		out = append(out, violations(base, "request", 0, err)...)
	}

	rin := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 respHeader,
		Body:                   io.NopCloser(bytes.NewReader(respBody)),
		Options:                opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), rin); err != nil {
		out = append(out, violations(base, "response", status, err)...)
	}
	return out
}

// Route returns the operation the request matches, for callers that want to
// know what was exercised.
func (c *Checker) Route(req *http.Request) (*routers.Route, error) {
	route, _, err := c.router.FindRoute(req)
	return route, err
}

// violations flattens a kin error tree into one Violation per leaf fault.
// where is the location prefix: "query.limit" for a parameter, "$" for a body.
func violations(base Violation, dir string, status int, err error) []Violation {
	base.Direction = dir
	base.Status = status
	var out []Violation
	var walk func(err error, where string)
	walk = func(err error, where string) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, x := range e {
				walk(x, where)
			}
		case *openapi3filter.RequestError:
			w := where
			switch {
			case e.Parameter != nil:
				w = e.Parameter.In + "." + e.Parameter.Name
			case e.RequestBody != nil:
				w = "$"
			}
			if e.Err == nil {
				add(&out, base, w, e.Reason)
				return
			}
			if !containsSchemaError(e.Err) {
				add(&out, base, w, strings.TrimSpace(e.Reason+" "+shortError(e.Err)))
				return
			}
			walk(e.Err, w)
		case *openapi3filter.ResponseError:
			if e.Err == nil || !containsSchemaError(e.Err) {
				w := "$"
				if e.Err == nil {
					// Status and Content-Type faults are about the exchange, not the body.
					w = ""
				}
				add(&out, base, w, shortError(e))
				return
			}
			walk(e.Err, "$")
		case *openapi3.SchemaError:
			for _, l := range schemaLeaves(e) {
				ptr, reason := l.ptr, l.reason
				// The 2020-12 validator reports a missing property at its
				// parent, kin's own one at the property: use the latter for both.
				if m := missingOne.FindStringSubmatch(reason); m != nil {
					ptr = append(ptr, m[1])
				}
				add(&out, base, joinPath(where, ptr), reason)
			}
		default:
			if u := errors.Unwrap(err); u != nil && containsSchemaError(u) {
				walk(u, where)
				return
			}
			add(&out, base, where, shortError(err))
		}
	}
	walk(err, "")
	return out
}

var missingOne = regexp.MustCompile(`^missing property '([^']+)'$`)

func add(out *[]Violation, base Violation, where, reason string) {
	v := base
	v.Where = where
	v.Reason = reason
	*out = append(*out, v)
}

func containsSchemaError(err error) bool {
	var se *openapi3.SchemaError
	return errors.As(err, &se)
}

// shortError keeps the first line: kin appends schema dumps after it.
func shortError(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// jsonPath renders a JSON pointer's tokens as $.a.b[0].
func jsonPath(tokens []string) string { return joinPath("$", tokens) }

// joinPath appends JSON pointer tokens to a location: .name for keys, [i]
// for indexes.
func joinPath(prefix string, tokens []string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, t := range tokens {
		if t != "" && strings.Trim(t, "0123456789") == "" {
			b.WriteString("[" + t + "]")
			continue
		}
		b.WriteString("." + t)
	}
	return b.String()
}
