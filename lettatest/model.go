package lettatest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The built-in model answers like lettatest/openaifake does when the real
// server runs its agent loop on it (the same texts, derived from the same
// input), so that a conversation with lettatest reads like one with the real
// server on the fake: reasoning and "You said: <words>", and for
// "remember (that) X" a memory_insert call that appends X to the human
// block, then "I will remember that X.".

// rememberRe finds "remember (that) X" in the user's words (openaifake's
// rememberPattern).
var rememberRe = regexp.MustCompile(`(?is)\bremember\b(?:\s+that\b)?[\s:,]*(.*)`)

// rememberedFact returns X of "remember (that) X" without surrounding space
// and final punctuation, or "".
func rememberedFact(text string) string {
	m := rememberRe.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return strings.TrimRight(strings.TrimSpace(m[1]), ".!? \t\n")
}

// modelStep is one LLM call's answer: reasoning, and either content or one
// tool call.
type modelStep struct {
	reasoning string
	content   string
	call      *modelCall
}

// modelCall is a tool call as the model sends it: rawArgs is the model's
// own JSON text (what stream_tokens streams), args the same arguments as
// the server re-serialises them (Python's json.dumps) when it stores them.
type modelCall struct {
	id, name, rawArgs, args string
}

// memoryToolName is the memory tool the built-in model calls; letta_v1
// agents get it with their base tools.
const memoryToolName = "memory_insert"

// quoteJSON is Go's JSON string form of s, as openaifake writes it in its
// reasoning (HTML characters escaped).
func quoteJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// firstStep is the model's answer to the user's words: a memory call when
// they ask to remember something and the agent has the memory tool, else
// the echo.
func firstStep(text string, hasMemoryTool bool, callID string) modelStep {
	if fact := rememberedFact(text); fact != "" && hasMemoryTool {
		// The model's arguments: Go's json.Marshal of a map (sorted keys);
		// request_heartbeat is dropped as memory_insert does not declare it.
		raw := `{"insert_line":-1,"label":"human","new_string":` + quoteJSON(fact) + `}`
		return modelStep{
			reasoning: "The user asked me to remember something, so I am saving it to the human block.",
			call: &modelCall{
				id: callID, name: memoryToolName, rawArgs: raw,
				args: `{"insert_line": -1, "label": "human", "new_string": ` + pyJSONString(fact) + `}`,
			},
		}
	}
	return modelStep{
		reasoning: "The user wrote " + quoteJSON(text) + "; I answer by repeating it.",
		content:   "You said: " + text,
	}
}

// afterMemory is the model's answer once the memory tool has run.
func afterMemory(text string, failed bool) modelStep {
	if failed {
		return modelStep{reasoning: "The memory edit failed; I tell the user.", content: "I could not save that to memory."}
	}
	return modelStep{reasoning: "The memory edit is done; I tell the user.", content: "I will remember that " + rememberedFact(text) + "."}
}

// estimateTokens is openaifake's token count: a token per four bytes.
func estimateTokens(s string) int64 { return int64(len(s)+3) / 4 }

// completionTokens is what openaifake reports as the completion of a step.
func (st modelStep) completionTokens() int64 {
	n := estimateTokens(st.reasoning) + estimateTokens(st.content)
	if st.call != nil {
		n += estimateTokens(st.call.name) + estimateTokens(st.call.rawArgs)
	}
	return n
}

// pyJSONString is Python's json.dumps of a str (ensure_ascii: non-ASCII as
// \uXXXX escapes, surrogate pairs above the BMP).
func pyJSONString(s string) string {
	var b bytes.Buffer
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			switch {
			case r < 0x20 || r >= 0x7f && r < 0x10000:
				fmt.Fprintf(&b, `\u%04x`, r)
			case r >= 0x10000:
				r -= 0x10000
				fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			default:
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// splitWords cuts s before every word that follows white space, as
// openaifake streams reasoning and content ("You ", "said: ", ...).
func splitWords(s string) []string {
	var out []string
	start := 0
	inSpace := false
	for i, r := range s {
		space := unicode.IsSpace(r)
		if !space && inSpace {
			out = append(out, s[start:i])
			start = i
		}
		inSpace = space
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// argumentPiece is the size of the pieces openaifake streams a tool call's
// arguments in.
const argumentPiece = 16

// splitBytes cuts s into pieces of at most n bytes, never inside a UTF-8
// sequence.
func splitBytes(s string, n int) []string {
	var out []string
	for len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if cut == 0 {
			cut = n
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}
