package lettatest

import (
	"bytes"
	"fmt"

	"github.com/letta-go/letta/lettatest/internal/fakemodel"
)

// The built-in model answers like lettatest/openaifake does when the real
// server runs its agent loop on it (the same texts, derived from the same
// input, from the package both take them from, fakemodel), so that a
// conversation with lettatest reads like one with the real server on the
// fake: reasoning and "You said: <words>", and for "remember (that) X" a
// memory_insert call that appends X to the human block, then "I will
// remember that X.".

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

// firstStep is the model's answer to the user's words: a memory call when
// they ask to remember something and the agent has the memory tool
// (memory_insert, which letta_v1 agents get with their base tools), else
// the echo.
func firstStep(text string, hasMemoryTool bool, callID string) modelStep {
	if fact := fakemodel.RememberedFact(text); fact != "" && hasMemoryTool {
		// The model's arguments: Go's json.Marshal of a map (sorted keys);
		// request_heartbeat is dropped as memory_insert does not declare it.
		raw := fakemodel.JSONText(fakemodel.MemoryArgs(fakemodel.MemoryInsert, fact))
		return modelStep{
			reasoning: fakemodel.RememberReasoning,
			call: &modelCall{
				id: callID, name: fakemodel.MemoryInsert, rawArgs: raw,
				args: `{"insert_line": -1, "label": "human", "new_string": ` + pyJSONString(fact) + `}`,
			},
		}
	}
	reasoning, content := fakemodel.Answer(text, false, false)
	return modelStep{reasoning: reasoning, content: content}
}

// afterMemory is the model's answer once the memory tool has run.
func afterMemory(text string, failed bool) modelStep {
	reasoning, content := fakemodel.Answer(text, true, failed)
	return modelStep{reasoning: reasoning, content: content}
}

// completionTokens is what openaifake reports as the completion of a step.
func (st modelStep) completionTokens() int64 {
	var name, args string
	if st.call != nil {
		name, args = st.call.name, st.call.rawArgs
	}
	return int64(fakemodel.CompletionTokens(st.reasoning, st.content, name, args))
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
