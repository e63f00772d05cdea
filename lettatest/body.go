package lettatest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"mime"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// decodeJSON parses a request body like FastAPI does before validation:
// numbers stay exact (json.Number), an empty body is "missing", and a syntax
// error is a json_invalid validation error.
func decodeJSON(raw []byte) (any, *valErr) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, &valErr{typ: "missing", loc: []any{"body"}, msg: "Field required", input: nil}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = errors.New("Extra data")
		}
	}
	if err != nil {
		pos := int(dec.InputOffset())
		var se *json.SyntaxError
		if errors.As(err, &se) {
			pos = int(se.Offset)
		}
		return nil, &valErr{
			typ:   "json_invalid",
			loc:   []any{"body", pos},
			msg:   "JSON decode error",
			input: map[string]any{},
			ctx:   map[string]any{"error": err.Error()},
		}
	}
	return v, nil
}

// decodeBody reads the body as FastAPI does: as JSON when the request has
// no Content-Type or an application/json (or +json) one, and otherwise as
// the raw text, which then fails validation as a value of the wrong type
// (a text/plain body is a 422 on the server, however valid its JSON).
func (rq *request) decodeBody() (any, *valErr) {
	if ct := rq.r.Header.Get("Content-Type"); ct != "" && len(bytes.TrimSpace(rq.body)) > 0 {
		// Only the media type counts, as in FastAPI: a malformed parameter
		// ("application/json; charset") still leaves a JSON body JSON.
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) || !(mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
			return string(rq.body), nil
		}
	}
	return decodeJSON(rq.body)
}

// objectBody decodes a body that must be a JSON object (a Pydantic model).
// On failure it returns the validation errors (non-nil).
func (rq *request) objectBody() (map[string]any, []valErr) {
	v, ve := rq.decodeBody()
	if ve != nil {
		return nil, []valErr{*ve}
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		return nil, []valErr{{
			typ: "model_attributes_type", loc: []any{"body"},
			msg: "Input should be a valid dictionary or object to extract fields from", input: v,
		}}
	}
	return m, nil
}

// obj reads typed fields out of a decoded JSON object, collecting pydantic
// style validation errors instead of failing on the first one.
type obj struct {
	m    map[string]any
	loc  []any
	errs *[]valErr
}

func newObj(m map[string]any, loc ...any) obj {
	return obj{m: m, loc: loc, errs: &[]valErr{}}
}

// child reads a nested object at loc+elems, sharing the error list.
func (o obj) child(m map[string]any, elems ...any) obj {
	return obj{m: m, loc: o.at(elems...), errs: o.errs}
}

func (o obj) at(elems ...any) []any {
	l := make([]any, 0, len(o.loc)+len(elems))
	l = append(l, o.loc...)
	return append(l, elems...)
}

func (o obj) fail(typ, msg string, input any, ctx map[string]any, elems ...any) {
	*o.errs = append(*o.errs, valErr{typ: typ, loc: o.at(elems...), msg: msg, input: input, ctx: ctx})
}

func (o obj) failed() bool { return len(*o.errs) > 0 }

// has reports whether the key is present, even with a null value.
func (o obj) has(name string) bool {
	_, ok := o.m[name]
	return ok
}

// isNull reports whether the key is present with a null value.
func (o obj) isNull(name string) bool {
	v, ok := o.m[name]
	return ok && v == nil
}

func (o obj) missing(name string) {
	o.fail("missing", "Field required", o.m, nil, name)
}

// forbidExtra reports every key not in allowed, as extra="forbid" models do.
func (o obj) forbidExtra(allowed ...string) {
	set := make(map[string]bool, len(allowed))
	for _, a := range allowed {
		set[a] = true
	}
	keys := sortedKeys(o.m)
	for _, k := range keys {
		if !set[k] {
			o.fail("extra_forbidden", "Extra inputs are not permitted", o.m[k], nil, k)
		}
	}
}

func checkString(o obj, v any, elems ...any) (string, bool) {
	s, isStr := v.(string)
	if !isStr {
		o.fail("string_type", "Input should be a valid string", v, nil, elems...)
	}
	return s, isStr
}

// reqStr reads a required, non-null string.
func (o obj) reqStr(name string) string {
	v, present := o.m[name]
	if !present {
		o.missing(name)
		return ""
	}
	s, _ := checkString(o, v, name)
	return s
}

// optStr reads an optional string; absent and null give nil.
func (o obj) optStr(name string) *string {
	v := o.m[name]
	if v == nil {
		return nil
	}
	s, good := checkString(o, v, name)
	if !good {
		return nil
	}
	return &s
}

// nonNullStr reads a string that has a default but may not be null.
func (o obj) nonNullStr(name string) *string {
	v, present := o.m[name]
	if !present {
		return nil
	}
	s, good := checkString(o, v, name)
	if !good {
		return nil
	}
	return &s
}

// enumMsg renders pydantic's "Input should be 'a', 'b' or 'c'".
func enumExpected(allowed []string) string {
	quoted := make([]string, len(allowed))
	for i, a := range allowed {
		quoted[i] = "'" + a + "'"
	}
	if len(quoted) == 1 {
		return quoted[0]
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

func checkEnum(o obj, v any, allowed []string, elems ...any) (string, bool) {
	return checkOneOf(o, v, allowed, "enum", elems...)
}

// checkOneOf checks that v is one of the allowed strings, failing with the
// error type pydantic uses for the field's kind (enum, literal_error).
func checkOneOf(o obj, v any, allowed []string, errType string, elems ...any) (string, bool) {
	if s, isStr := v.(string); isStr && slices.Contains(allowed, s) {
		return s, true
	}
	exp := enumExpected(allowed)
	o.fail(errType, "Input should be "+exp, v, map[string]any{"expected": exp}, elems...)
	return "", false
}

// reqEnum reads a required enum value.
func (o obj) reqEnum(name string, allowed []string) string {
	v, present := o.m[name]
	if !present {
		o.missing(name)
		return ""
	}
	s, _ := checkEnum(o, v, allowed, name)
	return s
}

// optEnum reads an optional (nullable) enum value.
func (o obj) optEnum(name string, allowed []string) *string {
	v := o.m[name]
	if v == nil {
		return nil
	}
	s, good := checkEnum(o, v, allowed, name)
	if !good {
		return nil
	}
	return &s
}

// optStrList reads an optional list of strings. set is false when the key is
// absent or null (both mean "unchanged" on the server); an empty list gives a
// non-nil empty slice.
func (o obj) optStrList(name string) (list []string, set bool) {
	v := o.m[name]
	if v == nil {
		return nil, false
	}
	arr, isArr := v.([]any)
	if !isArr {
		o.fail("list_type", "Input should be a valid list", v, nil, name)
		return nil, false
	}
	out := make([]string, 0, len(arr))
	good := true
	for i, e := range arr {
		s, isStr := checkString(o, e, name, i)
		good = good && isStr
		out = append(out, s)
	}
	if !good {
		return nil, false
	}
	return out, true
}

// optList reads an optional list of anything.
func (o obj) optList(name string) ([]any, bool) {
	v := o.m[name]
	if v == nil {
		return nil, false
	}
	arr, isArr := v.([]any)
	if !isArr {
		o.fail("list_type", "Input should be a valid list", v, nil, name)
		return nil, false
	}
	return arr, true
}

// optObject reads an optional JSON object.
func (o obj) optObject(name string) (map[string]any, bool) {
	v := o.m[name]
	if v == nil {
		return nil, false
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		o.fail("dict_type", "Input should be a valid dictionary", v, nil, name)
		return nil, false
	}
	return m, true
}

// optStrMap reads an optional object<string,string>.
func (o obj) optStrMap(name string) (map[string]string, bool) {
	m, set := o.optObject(name)
	if !set {
		return nil, false
	}
	out := make(map[string]string, len(m))
	good := true
	for _, k := range sortedKeys(m) {
		s, isStr := checkString(o, m[k], name, k)
		good = good && isStr
		out[k] = s
	}
	return out, good
}

func checkBool(o obj, v any, elems ...any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		if b, good := parseLaxBool(x); good {
			return b, true
		}
		o.fail("bool_parsing", "Input should be a valid boolean, unable to interpret input", v, nil, elems...)
		return false, false
	case json.Number:
		// Whole numbers other than 0 and 1 fail to parse; fractions are
		// the wrong type.
		if f, err := strconv.ParseFloat(x.String(), 64); err == nil && f == math.Trunc(f) {
			switch f {
			case 0:
				return false, true
			case 1:
				return true, true
			}
			o.fail("bool_parsing", "Input should be a valid boolean, unable to interpret input", v, nil, elems...)
			return false, false
		}
	}
	o.fail("bool_type", "Input should be a valid boolean", v, nil, elems...)
	return false, false
}

// parseLaxBool accepts what pydantic accepts for a bool given as a string.
func parseLaxBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "1", "yes", "y", "on", "t":
		return true, true
	case "false", "0", "no", "n", "off", "f":
		return false, true
	}
	return false, false
}

// optBool reads an optional nullable boolean.
func (o obj) optBool(name string) *bool {
	v := o.m[name]
	if v == nil {
		return nil
	}
	b, good := checkBool(o, v, name)
	if !good {
		return nil
	}
	return &b
}

// nonNullBool reads a boolean with a default that may not be null.
func (o obj) nonNullBool(name string, def bool) bool {
	v, present := o.m[name]
	if !present {
		return def
	}
	b, good := checkBool(o, v, name)
	if !good {
		return def
	}
	return b
}

func checkInt(o obj, v any, elems ...any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(x.String(), 10, 64); err == nil {
			return n, true
		}
		f, _, err := big.ParseFloat(x.String(), 10, 200, big.ToNearestEven)
		if err == nil && f.IsInt() {
			if n, acc := f.Int64(); acc == big.Exact {
				return n, true
			}
		}
		o.fail("int_from_float", "Input should be a valid integer, got a number with a fractional part", v, nil, elems...)
		return 0, false
	case string:
		if n, good := parseIntStr(x); good {
			return n, true
		}
		o.fail("int_parsing", "Input should be a valid integer, unable to parse string as an integer", v, nil, elems...)
		return 0, false
	case bool:
		// Lax mode reads a bool as 0 or 1.
		if x {
			return 1, true
		}
		return 0, true
	}
	o.fail("int_type", "Input should be a valid integer", v, nil, elems...)
	return 0, false
}

// optInt reads an optional nullable integer.
func (o obj) optInt(name string) *int64 {
	v := o.m[name]
	if v == nil {
		return nil
	}
	n, good := checkInt(o, v, name)
	if !good {
		return nil
	}
	return &n
}

// optRaw returns the value of a free-form field re-encoded as JSON, or nil
// when absent or null.
func (o obj) optRaw(name string) json.RawMessage {
	v := o.m[name]
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// bodyIDRes are the patterns of the ids optIDList reads, by prefix.
var bodyIDRes = func() map[string]*regexp.Regexp {
	m := map[string]*regexp.Regexp{"agent": agentIDRe, "identity": identityIDRe}
	for _, p := range []string{"block", "message", "source", "tool"} {
		m[p] = regexp.MustCompile("^" + p + "-" + uuid4Pattern + "$")
	}
	return m
}()

// optIDList reads an optional list of ids of the form "<prefix>-<uuid4>",
// checked item by item as the request models' id types check them:
// the exact length first, then the pattern.
func (o obj) optIDList(name, prefix string) (list []string, set bool) {
	list, set = o.optStrList(name)
	if !set {
		return nil, false
	}
	re := bodyIDRes[prefix]
	if re == nil {
		// Every caller passes a prefix of the table; this only keeps a new
		// one from crashing the server.
		re = regexp.MustCompile("^" + regexp.QuoteMeta(prefix) + "-" + uuid4Pattern + "$")
	}
	want := len(prefix) + 1 + 36
	good := true
	for i, id := range list {
		switch {
		case len(id) < want:
			o.fail("string_too_short", fmt.Sprintf("String should have at least %d characters", want), id,
				map[string]any{"min_length": want}, name, i)
		case len(id) > want:
			o.fail("string_too_long", fmt.Sprintf("String should have at most %d characters", want), id,
				map[string]any{"max_length": want}, name, i)
		case !re.MatchString(id):
			o.fail("string_pattern_mismatch", "String should match pattern '"+re.String()+"'", id,
				map[string]any{"pattern": re.String()}, name, i)
		default:
			continue
		}
		good = false
	}
	if !good {
		return nil, false
	}
	return list, true
}
