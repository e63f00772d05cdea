package fakemodel

import (
	"encoding/json"
	"regexp"
	"strings"
)

// SlowMarker in the user's words paces the answer without changing it.
const SlowMarker = "[slow]"

// FailMarker in the user's words makes the model fail.
const FailMarker = "[fail]"

// FailMessage is the message of the error openaifake answers for
// FailMarker (Letta quotes it in its own error's detail).
const FailMessage = "openaifake: the user's words ask for a failure (" + FailMarker + ")"

// rememberPattern finds "remember (that) X" in the user's text.
var rememberPattern = regexp.MustCompile(`(?is)\bremember\b(?:\s+that\b)?[\s:,]*(.*)`)

// RememberedFact returns X of "remember (that) X", without surrounding
// space and final punctuation; "" when the text asks nothing to be
// remembered.
func RememberedFact(text string) string {
	m := rememberPattern.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return strings.TrimRight(strings.TrimSpace(m[1]), ".!? \t\n")
}

// RememberReasoning is the reasoning of the step that calls a memory tool.
const RememberReasoning = "The user asked me to remember something, so I am saving it to the human block."

// Answer is the model's reasoning and answer to the user's words text:
// "You said: <text>" before any memory edit; once a memory tool has run
// since those words, "I will remember that X." (X the remembered fact),
// or "I could not save that to memory." when the tool failed.
func Answer(text string, memoryCalled, memoryFailed bool) (reasoning, answer string) {
	switch {
	case memoryCalled && memoryFailed:
		return "The memory edit failed; I tell the user.", "I could not save that to memory."
	case memoryCalled:
		answer = "You said: " + text
		if fact := RememberedFact(text); fact != "" {
			answer = "I will remember that " + fact + "."
		}
		return "The memory edit is done; I tell the user.", answer
	}
	return "The user wrote " + JSONText(text) + "; I answer by repeating it.", "You said: " + text
}

// MemoryInsert is the memory tool of letta_v1 and memgpt_v2 agents.
const MemoryInsert = "memory_insert"

// MemoryTools are the memory-edit tools the model knows how to call, in
// the order it prefers them. Letta's agent types offer one of them: memgpt
// agents core_memory_append, letta_v1 and memgpt_v2 agents memory_insert,
// and agents with the omni tool memory.
var MemoryTools = []string{"core_memory_append", MemoryInsert, "memory"}

// MemoryArgs are the arguments of a call of the memory tool name that
// appends fact to the human block; nil for a name not in MemoryTools.
func MemoryArgs(name, fact string) map[string]any {
	switch name {
	case "core_memory_append":
		return map[string]any{"label": "human", "content": fact}
	case MemoryInsert:
		return map[string]any{"label": "human", "new_string": fact, "insert_line": -1}
	case "memory":
		return map[string]any{"command": "insert", "path": "/memories/human", "insert_text": fact, "insert_line": -1}
	}
	return nil
}

// JSONText is v as Go's encoding/json writes it (maps with sorted keys,
// HTML characters escaped): how the model quotes the user's words in its
// reasoning and writes a tool call's arguments. v is made of JSON values
// (strings, numbers, maps, slices), which always marshal ("null" is only a
// safeguard).
func JSONText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}
