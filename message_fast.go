package letta

import (
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeEventFast decodes a stream event of the common shapes (a flat
// object of strings, numbers, booleans and nulls under Message's own keys:
// pings, reasoning and assistant pieces, stop reasons, usage) into *m,
// exactly as Message.UnmarshalJSON would, and reports whether it did. On
// false *m is left partly filled and the caller decodes data again with
// UnmarshalJSON, which has the last word on anything else: objects and
// arrays (tool calls, content parts), keys Message does not have (and
// keys that match one only case-insensitively), invalid UTF-8 (which
// encoding/json replaces), numbers that are not int64s, and invalid JSON.
// FuzzDecodeEventFast checks that it decodes every input it accepts as
// UnmarshalJSON does.
//
// Why: the generic decoder was most of the CPU time the SDK spent on a
// stream beyond reading its bytes; this took the CPU of a stream served
// from memory from 258 to 160 µs (BENCHMARKS.md, "Streaming"). Every string of the event is a substring
// of one copy of the event, which Message keeps for Raw, so an event
// costs that copy and one allocation per non-null pointer field. The
// copy is a plain string(data), not a view of data: nothing decoded may
// refer to the stream's buffer, which the next event overwrites.
func decodeEventFast(data []byte, m *Message) bool {
	p := fastParser{s: string(data), b: data}
	p.ws()
	if !p.eat('{') {
		return false
	}
	p.ws()
	if !p.eat('}') {
		for {
			key, ok := p.key()
			if !ok {
				return false
			}
			p.ws()
			if !p.eat(':') {
				return false
			}
			p.ws()
			if !p.field(m, key) {
				return false
			}
			p.ws()
			if p.eat(',') {
				p.ws()
				continue
			}
			if p.eat('}') {
				break
			}
			return false
		}
	}
	p.ws()
	if p.i != len(p.s) {
		return false
	}
	m.raw = p.s
	return true
}

// fastParser reads one JSON object from s; its strings are substrings
// of s where they hold no escapes.
type fastParser struct {
	s string
	b []byte // the event itself (s is its copy)
	i int
}

func (p *fastParser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *fastParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// key reads an object key, without escapes (a key with escapes is left
// to the generic decoder).
func (p *fastParser) key() (string, bool) {
	if !p.eat('"') {
		return "", false
	}
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return p.s[start : p.i-1], true
		case c == '\\' || c < ' ' || c >= utf8.RuneSelf:
			return "", false
		}
		p.i++
	}
	return "", false
}

// null reads a null if one is next.
func (p *fastParser) null() bool {
	if len(p.s)-p.i >= 4 && p.s[p.i:p.i+4] == "null" {
		p.i += 4
		return true
	}
	return false
}

// str reads a JSON string: the text between the quotes when it has no
// escapes, else its decoded text. Invalid UTF-8 fails (encoding/json
// would replace it).
func (p *fastParser) str() (string, bool) {
	if !p.eat('"') {
		return "", false
	}
	start := p.i
	ascii := true
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			s := p.s[start:p.i]
			p.i++
			if !ascii && !utf8.ValidString(s) {
				return "", false
			}
			return s, true
		case c == '\\':
			return p.unescape(start)
		case c < ' ':
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		p.i++
	}
	return "", false
}

// unescape decodes the string that began at start and has an escape at
// p.i, as encoding/json does (a lone or mismatched surrogate becomes
// U+FFFD).
func (p *fastParser) unescape(start int) (string, bool) {
	b := make([]byte, 0, len(p.s)-start)
	b = append(b, p.s[start:p.i]...)
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(b) {
				return "", false
			}
			return string(b), true
		case c < ' ':
			return "", false
		case c != '\\':
			b = append(b, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.s) {
			return "", false
		}
		e := p.s[p.i+1]
		p.i += 2
		if c, ok := unescapeChar(e); ok {
			b = append(b, c)
			continue
		}
		switch e {
		case 'u':
			r := p.hex4()
			if r < 0 {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				save := p.i
				if p.eat('\\') && p.eat('u') {
					if r2 := p.hex4(); r2 >= 0 {
						if d := utf16.DecodeRune(r, r2); d != unicode.ReplacementChar {
							b = utf8.AppendRune(b, d)
							continue
						}
					}
				}
				// Not a pair: the second escape (if any) is read on
				// its own.
				p.i = save
				r = unicode.ReplacementChar
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", false
		}
	}
	return "", false
}

// hex4 reads four hex digits, or returns -1 (p.i then unchanged).
func (p *fastParser) hex4() rune {
	r, n := hex4(p.b[p.i:])
	if n == 0 {
		return -1
	}
	p.i += n
	return r
}

// setStr reads a string into *dst; null leaves it unchanged (as
// encoding/json does for a non-pointer string).
func (p *fastParser) setStr(dst *string) bool {
	if p.null() {
		return true
	}
	s, ok := p.str()
	if ok {
		*dst = s
	}
	return ok
}

// setStrPtr reads a string or null into *dst.
func (p *fastParser) setStrPtr(dst **string) bool {
	if p.null() {
		*dst = nil
		return true
	}
	s, ok := p.str()
	if ok {
		*dst = &s
	}
	return ok
}

// setInt reads an integer that fits an int64, or null, into *dst.
func (p *fastParser) setInt(dst **int64) bool {
	if p.null() {
		*dst = nil
		return true
	}
	start := p.i
	p.eat('-')
	digits := p.i
	for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
		p.i++
	}
	// JSON has no leading zeros; a fraction or an exponent would not
	// decode into an int64.
	if p.i == digits || p.s[digits] == '0' && p.i-digits > 1 {
		return false
	}
	if p.i < len(p.s) && (p.s[p.i] == '.' || p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		return false
	}
	n, err := strconv.ParseInt(p.s[start:p.i], 10, 64)
	if err != nil {
		return false
	}
	*dst = &n
	return true
}

// setBool reads true, false or null into *dst.
func (p *fastParser) setBool(dst **bool) bool {
	switch {
	case p.null():
		*dst = nil
	case len(p.s)-p.i >= 4 && p.s[p.i:p.i+4] == "true":
		p.i += 4
		v := true
		*dst = &v
	case len(p.s)-p.i >= 5 && p.s[p.i:p.i+5] == "false":
		p.i += 5
		v := false
		*dst = &v
	default:
		return false
	}
	return true
}

// field reads the value of key into m; false for a key or a value it
// leaves to the generic decoder.
func (p *fastParser) field(m *Message, key string) bool {
	switch key {
	case "id":
		return p.setStr(&m.ID)
	case "message_type":
		s := string(m.MessageType)
		ok := p.setStr(&s)
		m.MessageType = MessageType(s)
		return ok
	case "date":
		// Timestamp.UnmarshalJSON takes the literal (null included).
		start := p.i
		if !p.null() {
			if _, ok := p.str(); !ok {
				return false
			}
		}
		return m.Date.UnmarshalJSON(p.b[start:p.i]) == nil
	case "name":
		return p.setStrPtr(&m.Name)
	case "otid":
		return p.setStrPtr(&m.Otid)
	case "sender_id":
		return p.setStrPtr(&m.SenderID)
	case "step_id":
		return p.setStrPtr(&m.StepID)
	case "run_id":
		return p.setStrPtr(&m.RunID)
	case "is_err":
		return p.setBool(&m.IsErr)
	case "seq_id":
		return p.setInt(&m.SeqID)
	case "content":
		if p.null() {
			m.Content = nil
			return true
		}
		s, ok := p.str()
		if ok {
			m.Content = &MessageContent{Text: s}
		}
		return ok
	case "source":
		return p.setStrPtr(&m.Source)
	case "reasoning":
		return p.setStrPtr(&m.Reasoning)
	case "signature":
		return p.setStrPtr(&m.Signature)
	case "state":
		return p.setStrPtr(&m.State)
	case "hidden_reasoning":
		return p.setStrPtr(&m.HiddenReasoning)
	case "tool_return":
		return p.setStrPtr(&m.ToolReturn)
	case "status":
		return p.setStrPtr(&m.Status)
	case "tool_call_id":
		return p.setStrPtr(&m.ToolCallID)
	case "approve":
		return p.setBool(&m.Approve)
	case "approval_request_id":
		return p.setStrPtr(&m.ApprovalRequestID)
	case "reason":
		return p.setStrPtr(&m.Reason)
	case "summary":
		return p.setStrPtr(&m.Summary)
	case "event_type":
		return p.setStrPtr(&m.EventType)
	case "stop_reason":
		var s *string
		ok := p.setStrPtr(&s)
		m.StopReason = nil
		if s != nil {
			v := StopReasonType(*s)
			m.StopReason = &v
		}
		return ok
	case "completion_tokens":
		return p.setInt(&m.CompletionTokens)
	case "prompt_tokens":
		return p.setInt(&m.PromptTokens)
	case "total_tokens":
		return p.setInt(&m.TotalTokens)
	case "step_count":
		return p.setInt(&m.StepCount)
	case "cached_input_tokens":
		return p.setInt(&m.CachedInputTokens)
	case "cache_write_tokens":
		return p.setInt(&m.CacheWriteTokens)
	case "reasoning_tokens":
		return p.setInt(&m.ReasoningTokens)
	case "context_tokens":
		return p.setInt(&m.ContextTokens)
	case "run_ids":
		// Only null: a list is left to the generic decoder.
		m.RunIDs = nil
		return p.null()
	case "stdout":
		m.Stdout = nil
		return p.null()
	case "stderr":
		m.Stderr = nil
		return p.null()
	case "tool_call":
		m.ToolCall = nil
		return p.null()
	}
	// tool_calls, tool_returns, approvals, compaction_stats and
	// event_data (json.RawMessage keeps a null as "null"), and keys
	// Message does not have.
	return false
}
