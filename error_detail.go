package letta

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/letta-go/letta/internal/codec"
)

// errorBody is the union of the error shapes Letta servers send:
// {"detail": "..."} for most errors; {"detail": [{"loc","msg","type"}]} as
// the spec declares for 422; {"trace_id", "detail": "<Python repr of the
// error list>", "examples"} as the real server's 422 handler sends; and
// {"error": {...}} / {"message": "..."} from LLM errors and proxies.
type errorBody struct {
	Detail   json.RawMessage `json:"detail"`
	TraceID  json.RawMessage `json:"trace_id"`
	Examples json.RawMessage `json:"examples"`
	Error    json.RawMessage `json:"error"`
	Message  json.RawMessage `json:"message"`
}

type jsonValidationItem struct {
	Loc   []json.RawMessage `json:"loc"`
	Msg   string            `json:"msg"`
	Type  string            `json:"type"`
	Input json.RawMessage   `json:"input"`
	Ctx   struct {
		Expected string `json:"expected"`
	} `json:"ctx"`
}

// parseErrorBody fills Detail, Errors, TraceID and Examples from body. It
// never fails: what it cannot understand stays in Body only.
func (e *APIError) parseErrorBody(body []byte) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return
	}
	var eb errorBody
	if codec.Unmarshal(trimmed, &eb) != nil {
		return
	}
	e.TraceID = rawString(eb.TraceID)
	e.Examples = rawStrings(eb.Examples)
	switch {
	case hasValue(eb.Detail):
		e.Detail, e.Errors = parseDetail(eb.Detail)
	case hasValue(eb.Error):
		e.Detail = parseNestedError(eb.Error)
	case hasValue(eb.Message):
		e.Detail = rawText(eb.Message)
	}
}

func hasValue(raw json.RawMessage) bool {
	return len(raw) > 0 && string(raw) != "null"
}

// parseDetail decodes "detail", whatever its JSON type.
func parseDetail(raw json.RawMessage) (string, []ValidationItem) {
	switch raw[0] {
	case '"':
		var s string
		if codec.Unmarshal(raw, &s) != nil {
			return string(raw), nil
		}
		if items, ok := parsePythonErrorList(s); ok {
			return joinItems(items), items
		}
		return s, nil
	case '[':
		var list []jsonValidationItem
		if codec.Unmarshal(raw, &list) == nil && len(list) > 0 {
			items := make([]ValidationItem, 0, len(list))
			for _, it := range list {
				vi := ValidationItem{Msg: it.Msg, Type: it.Type}
				for _, l := range it.Loc {
					vi.Loc = append(vi.Loc, rawText(l))
				}
				if vi.Allowed = parseExpected(it.Ctx.Expected); vi.Allowed != nil {
					vi.Input = rawText(it.Input)
				}
				items = append(items, vi)
			}
			return joinItems(items), items
		}
	}
	return compactJSON(raw), nil
}

func parseNestedError(raw json.RawMessage) string {
	if raw[0] == '{' {
		var inner struct {
			Detail  json.RawMessage `json:"detail"`
			Message json.RawMessage `json:"message"`
		}
		if codec.Unmarshal(raw, &inner) == nil {
			if hasValue(inner.Message) {
				return rawText(inner.Message)
			}
			if hasValue(inner.Detail) {
				d, _ := parseDetail(inner.Detail)
				return d
			}
		}
	}
	return rawText(raw)
}

func joinItems(items []ValidationItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = it.String()
	}
	return strings.Join(parts, "; ")
}

// rawText renders a JSON value as text: strings unquoted, the rest compact.
func rawText(raw json.RawMessage) string {
	if s := rawString(raw); s != "" {
		return s
	}
	return compactJSON(raw)
}

func rawString(raw json.RawMessage) string {
	var s string
	if len(raw) == 0 || raw[0] != '"' || codec.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

func rawStrings(raw json.RawMessage) []string {
	if len(raw) == 0 || raw[0] != '[' {
		return nil
	}
	var list []json.RawMessage
	if codec.Unmarshal(raw, &list) != nil {
		return nil
	}
	out := make([]string, 0, len(list))
	for _, v := range list {
		out = append(out, rawText(v))
	}
	return out
}

func compactJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// parsePythonErrorList reads the repr() of a list of pydantic error dicts,
// which is what the Letta server puts in "detail" of a 422:
//
//	[{'type': 'missing', 'loc': ('body', 'name'), 'msg': 'Field required', 'input': {...}}]
func parsePythonErrorList(s string) ([]ValidationItem, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "[") {
		return nil, false
	}
	p := &pyParser{s: s}
	v, err := p.value(0)
	if err != nil {
		return nil, false
	}
	p.skipSpace()
	if p.i != len(p.s) {
		return nil, false
	}
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return nil, false
	}
	items := make([]ValidationItem, 0, len(list))
	for _, el := range list {
		m, ok := el.(map[string]any)
		if !ok {
			return nil, false
		}
		msg, _ := m["msg"].(string)
		if msg == "" {
			return nil, false
		}
		typ, _ := m["type"].(string)
		vi := ValidationItem{Msg: msg, Type: typ}
		if loc, ok := m["loc"].([]any); ok {
			for _, l := range loc {
				vi.Loc = append(vi.Loc, pyText(l))
			}
		}
		if ctx, ok := m["ctx"].(map[string]any); ok {
			exp, _ := ctx["expected"].(string)
			if vi.Allowed = parseExpected(exp); vi.Allowed != nil {
				vi.Input = pyText(m["input"])
			}
		}
		items = append(items, vi)
	}
	return items, true
}

// parseExpected reads pydantic's list of allowed values, as its enum and
// literal errors put it in ctx.expected: "'asc' or 'desc'",
// "'a', 'b' or 'c'". Anything else gives nil.
func parseExpected(s string) []string {
	if s == "" || (s[0] != '\'' && s[0] != '"') {
		return nil
	}
	p := &pyParser{s: s}
	var out []string
	for {
		p.skipSpace()
		if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
			return nil
		}
		v, err := p.str()
		if err != nil {
			return nil
		}
		out = append(out, v.(string))
		p.skipSpace()
		rest := p.s[p.i:]
		switch {
		case rest == "":
			return out
		case strings.HasPrefix(rest, ","):
			p.i++
		case strings.HasPrefix(rest, "or "):
			p.i += 3
		default:
			return nil
		}
	}
}

func pyText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return "None"
	default:
		return fmt.Sprint(x)
	}
}

// pyParser is a small reader for Python literal reprs: strings (with
// prefixes and escapes), numbers, True/False/None, lists, tuples, dicts and
// sets. Constructor calls such as UUID('...') and <object at 0x..> reprs are
// read as opaque text so that one odd "input" value does not spoil the rest.
type pyParser struct {
	s string
	i int
}

const pyMaxDepth = 64

var errPySyntax = fmt.Errorf("python repr syntax")

func (p *pyParser) skipSpace() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *pyParser) value(depth int) (any, error) {
	if depth > pyMaxDepth {
		return nil, errPySyntax
	}
	p.skipSpace()
	if p.i >= len(p.s) {
		return nil, errPySyntax
	}
	switch c := p.s[p.i]; {
	case c == '[':
		p.i++
		return p.sequence(']', depth)
	case c == '(':
		p.i++
		return p.sequence(')', depth)
	case c == '{':
		p.i++
		return p.dict(depth)
	case c == '\'' || c == '"':
		return p.str()
	case c == '<':
		return p.angle()
	case c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'):
		return p.number()
	case isPyIdentStart(c):
		return p.identifier()
	}
	return nil, errPySyntax
}

func (p *pyParser) sequence(end byte, depth int) (any, error) {
	out := []any{}
	for {
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == end {
			p.i++
			return out, nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, errPySyntax
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case end:
		default:
			return nil, errPySyntax
		}
	}
}

// dict reads a dict or a set (after the opening brace).
func (p *pyParser) dict(depth int) (any, error) {
	m := map[string]any{}
	var set []any
	for {
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			if set != nil {
				return set, nil
			}
			return m, nil
		}
		k, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == ':' {
			p.i++
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			m[pyText(k)] = v
		} else {
			set = append(set, k)
		}
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, errPySyntax
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case '}':
		default:
			return nil, errPySyntax
		}
	}
}

func (p *pyParser) str() (any, error) {
	q := p.s[p.i]
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == q:
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.s):
			p.i++
			e := p.s[p.i]
			p.i++
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '\\', '\'', '"':
				b.WriteByte(e)
			case 'x', 'u', 'U':
				n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
				if p.i+n > len(p.s) {
					return nil, errPySyntax
				}
				r, err := strconv.ParseUint(p.s[p.i:p.i+n], 16, 32)
				if err != nil {
					return nil, errPySyntax
				}
				b.WriteRune(rune(r))
				p.i += n
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return nil, errPySyntax
}

func (p *pyParser) number() (any, error) {
	start := p.i
	for p.i < len(p.s) && strings.IndexByte("+-.0123456789eEjxXabcdefABCDEF_", p.s[p.i]) >= 0 {
		p.i++
	}
	if p.i == start {
		return nil, errPySyntax
	}
	return p.s[start:p.i], nil
}

// angle reads an opaque <...> repr such as <object at 0x7f...>.
func (p *pyParser) angle() (any, error) {
	end := strings.IndexByte(p.s[p.i:], '>')
	if end < 0 {
		return nil, errPySyntax
	}
	v := p.s[p.i : p.i+end+1]
	p.i += end + 1
	return v, nil
}

func isPyIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isPyIdent(c byte) bool {
	return isPyIdentStart(c) || (c >= '0' && c <= '9') || c == '.'
}

// identifier reads True/False/None, a string with a prefix such as b'x',
// or a constructor call Name(...) kept as its source text.
func (p *pyParser) identifier() (any, error) {
	start := p.i
	for p.i < len(p.s) && isPyIdent(p.s[p.i]) {
		p.i++
	}
	word := p.s[start:p.i]
	if p.i < len(p.s) && (p.s[p.i] == '\'' || p.s[p.i] == '"') && len(word) <= 2 &&
		strings.Trim(strings.ToLower(word), "bruf") == "" {
		return p.str()
	}
	switch word {
	case "True":
		return true, nil
	case "False":
		return false, nil
	case "None":
		return nil, nil
	}
	if p.i < len(p.s) && p.s[p.i] == '(' {
		if err := p.skipBalanced(); err != nil {
			return nil, err
		}
		return p.s[start:p.i], nil
	}
	return word, nil
}

// skipBalanced moves past a bracketed group (arguments of a call may hold
// keyword arguments and anything else), honouring quoted strings.
func (p *pyParser) skipBalanced() error {
	level := 0
	for p.i < len(p.s) {
		switch c := p.s[p.i]; c {
		case '(', '[', '{':
			level++
			p.i++
		case ')', ']', '}':
			level--
			p.i++
			if level == 0 {
				return nil
			}
		case '\'', '"':
			if _, err := p.str(); err != nil {
				return err
			}
		default:
			p.i++
		}
	}
	return errPySyntax
}
