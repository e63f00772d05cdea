package lettatest

import (
	"net/url"
)

// query reads typed query parameters with FastAPI's rules: a scalar takes the
// last value of a repeated key, a list takes every value of the repeated key
// (a comma is part of the value), and errors are pydantic validation errors
// located at ('query', name).
type query struct {
	v url.Values
	o obj
}

func newQuery(v url.Values) query {
	return query{v: v, o: newObj(nil, "query")}
}

func (q query) failed() bool { return q.o.failed() }

func (q query) errs() []valErr { return *q.o.errs }

// str returns the parameter's last value, or nil when absent.
func (q query) str(name string) *string {
	vals := q.v[name]
	if len(vals) == 0 {
		return nil
	}
	s := vals[len(vals)-1]
	return &s
}

// list returns every value of a repeated key, or nil when absent.
func (q query) list(name string) []string {
	return q.v[name]
}

// integer parses an optional integer with a default.
func (q query) integer(name string, def int64) int64 {
	s := q.str(name)
	if s == nil {
		return def
	}
	n, good := checkInt(q.o, *s, name)
	if !good {
		return def
	}
	return n
}

// boolean parses an optional boolean with a default.
func (q query) boolean(name string, def bool) bool {
	s := q.str(name)
	if s == nil {
		return def
	}
	b, good := checkBool(q.o, *s, name)
	if !good {
		return def
	}
	return b
}

// enum parses an optional enum with a default ("" for none).
func (q query) enum(name string, allowed []string, def string) string {
	s := q.str(name)
	if s == nil {
		return def
	}
	v, good := checkEnum(q.o, *s, allowed, name)
	if !good {
		return def
	}
	return v
}

// literal parses an optional Literal[...] parameter with a default; a bad
// value fails as literal_error (enum is for named Enum classes).
func (q query) literal(name string, allowed []string, def string) string {
	s := q.str(name)
	if s == nil {
		return def
	}
	v, good := checkLiteral(q.o, *s, allowed, name)
	if !good {
		return def
	}
	return v
}

// literalList parses a repeated-key list of Literal[...] values.
func (q query) literalList(name string, allowed []string) []string {
	vals := q.list(name)
	out := make([]string, 0, len(vals))
	for i, s := range vals {
		if v, good := checkLiteral(q.o, s, allowed, name, i); good {
			out = append(out, v)
		}
	}
	return out
}

// enumList parses a repeated-key list of values of a named Enum class (a
// bad value fails as enum, where literalList's fail as literal_error).
func (q query) enumList(name string, allowed []string) []string {
	vals := q.list(name)
	out := make([]string, 0, len(vals))
	for i, s := range vals {
		if v, good := checkEnum(q.o, s, allowed, name, i); good {
			out = append(out, v)
		}
	}
	return out
}
