package openaifake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"

	"github.com/letta-go/letta/lettatest/internal/fakemodel"
)

// reply is what the fake model answers to one request: some reasoning, and
// either content or one tool call.
type reply struct {
	reasoning string
	content   string
	toolCall  *ToolCall
}

func (r reply) finishReason() string {
	if r.toolCall != nil {
		return "tool_calls"
	}
	return "stop"
}

// sendMessageTool is the tool through which memgpt-style agents answer.
const sendMessageTool = "send_message"

// heartbeatParam and thinkingParam are the extra parameters Letta adds to
// tools of memgpt-style agents: whether to continue after the call, and the
// inner thoughts (when put_inner_thoughts_in_kwargs is on).
const (
	heartbeatParam = "request_heartbeat"
	thinkingParam  = "thinking"
)

// userText unwraps what Letta puts in a user message: memgpt-style agents
// send {"type": "user_message", "message": ...}; their heartbeats and
// system alerts ({"type": "heartbeat" | "system_alert" | "login", ...}) are
// not the user's words, and ok is false for them.
func userText(m ChatMessage) (text string, ok bool) {
	text = m.Text()
	trimmed := strings.TrimSpace(text)
	if !strings.HasPrefix(trimmed, "{") {
		return text, true
	}
	var packed struct {
		Type    string  `json:"type"`
		Message *string `json:"message"`
	}
	if err := json.Unmarshal([]byte(trimmed), &packed); err != nil || packed.Type == "" {
		return text, true
	}
	if packed.Type == "user_message" && packed.Message != nil {
		return *packed.Message, true
	}
	return "", false
}

// lastUserTurn finds the user's last words and the index of that message;
// index is -1 when there are none.
func lastUserTurn(msgs []ChatMessage) (text string, index int) {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role != "user" {
			continue
		}
		if t, ok := userText(msgs[i]); ok {
			return t, i
		}
	}
	return "", -1
}

// respond decides the reply: a pure function of the request, so that the
// same request always gets the same answer.
//
//   - The user's last words are found (see lastUserTurn).
//   - If they ask to remember something ("remember that X"), a memory tool
//     is offered, and no memory tool has been called since those words, the
//     reply calls the memory tool to append X to the human block.
//   - Otherwise the answer is "You said: <words>" ("I will remember that X."
//     once the memory tool has run; "I could not save that to memory." when
//     its result reports a failure). It is sent through send_message when
//     that tool is offered (memgpt-style agents), as plain content otherwise.
//   - A tool_choice naming one function gets that function called, with the
//     answer in whichever of its parameters the fake recognises.
func respond(req *ChatRequest, body []byte, withReasoning bool) reply {
	text, at := lastUserTurn(req.Messages)
	tools := map[string]Tool{}
	for _, t := range req.Tools {
		tools[t.Function.Name] = t
	}
	choice := parseToolChoice(req.ToolChoice)

	var memoryCalled, memoryFailed bool
	if at >= 0 {
		calls := map[string]bool{}
		for _, m := range req.Messages[at+1:] {
			for _, c := range m.ToolCalls {
				if isMemoryTool(c.Function.Name) {
					memoryCalled = true
					calls[c.ID] = true
				}
			}
			if m.Role == "tool" && calls[m.ToolCallID] && toolFailed(m.Text()) {
				memoryFailed = true
			}
		}
	}

	fact := fakemodel.RememberedFact(text)
	var r reply
	var args map[string]any
	callName := ""
	switch {
	case fact != "" && !memoryCalled && choice.mode != "none" && memoryToolIn(tools) != "" &&
		(choice.name == "" || isMemoryTool(choice.name)):
		callName = memoryToolIn(tools)
		if choice.name != "" {
			callName = choice.name
		}
		r.reasoning = fakemodel.RememberReasoning
		args = fakemodel.MemoryArgs(callName, fact)
		args[heartbeatParam] = true
	default:
		var answer string
		r.reasoning, answer = fakemodel.Answer(text, memoryCalled, memoryFailed)
		switch {
		case choice.mode == "none":
		case choice.name != "":
			callName = choice.name
		case tools[sendMessageTool].Function.Name != "":
			callName = sendMessageTool
		}
		if callName == "" {
			r.content = answer
			break
		}
		args = map[string]any{"message": answer, heartbeatParam: false}
	}
	if !withReasoning {
		r.reasoning = ""
	}
	if callName != "" {
		if r.reasoning != "" && hasParam(tools[callName], thinkingParam) {
			// put_inner_thoughts_in_kwargs: the thoughts travel in the call.
			args[thinkingParam] = r.reasoning
			r.reasoning = ""
		}
		r.toolCall = &ToolCall{
			ID:   "call_" + digest(body, "call")[:24],
			Type: "function",
			Function: FunctionCall{
				Name:      callName,
				Arguments: fakemodel.JSONText(fitArgs(tools[callName], args)),
			},
		}
	}
	return r
}

// toolChoice is a request's tool_choice: a mode ("auto", "none",
// "required"; "" when absent) or one function's name.
type toolChoice struct {
	mode string
	name string
}

func parseToolChoice(raw json.RawMessage) toolChoice {
	var mode string
	if err := json.Unmarshal(raw, &mode); err == nil {
		return toolChoice{mode: mode}
	}
	var named struct {
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal(raw, &named); err == nil {
		if named.Function.Name != "" {
			return toolChoice{name: named.Function.Name}
		}
		return toolChoice{name: named.Name}
	}
	return toolChoice{}
}

func isMemoryTool(name string) bool {
	return slices.Contains(fakemodel.MemoryTools, name)
}

// memoryToolIn is the preferred memory tool among those offered, or "".
func memoryToolIn(tools map[string]Tool) string {
	for _, name := range fakemodel.MemoryTools {
		if _, ok := tools[name]; ok {
			return name
		}
	}
	return ""
}

// toolFailed reads Letta's tool result ({"status": "Failed", ...}).
func toolFailed(result string) bool {
	var r struct {
		Status string `json:"status"`
	}
	return json.Unmarshal([]byte(result), &r) == nil && strings.EqualFold(r.Status, "failed")
}

// schema is the part of a tool's JSON Schema parameters the fake reads.
type schema struct {
	Properties map[string]struct {
		Type json.RawMessage `json:"type"`
	} `json:"properties"`
	Required []string `json:"required"`
}

func parseSchema(t Tool) (schema, bool) {
	var s schema
	if len(t.Function.Parameters) == 0 || json.Unmarshal(t.Function.Parameters, &s) != nil || s.Properties == nil {
		return s, false
	}
	return s, true
}

func hasParam(t Tool, name string) bool {
	s, ok := parseSchema(t)
	if !ok {
		return false
	}
	_, found := s.Properties[name]
	return found
}

// fitArgs keeps the arguments the tool declares and gives every required
// parameter the fake has no value for a zero value of its type (null when
// the type allows it, as strict-mode schemas do). When the schema cannot be
// read, the arguments are sent as they are.
func fitArgs(t Tool, args map[string]any) map[string]any {
	s, ok := parseSchema(t)
	if !ok {
		return args
	}
	out := map[string]any{}
	for name := range s.Properties {
		if v, found := args[name]; found {
			out[name] = v
		}
	}
	for _, name := range s.Required {
		if _, found := out[name]; found {
			continue
		}
		out[name] = zeroOf(s.Properties[name].Type)
	}
	return out
}

// zeroOf is a zero value for a JSON Schema type ("string" or a list of
// types).
func zeroOf(raw json.RawMessage) any {
	var types []string
	var one string
	if json.Unmarshal(raw, &one) == nil {
		types = []string{one}
	} else {
		_ = json.Unmarshal(raw, &types)
	}
	for _, t := range types {
		if t == "null" {
			return nil
		}
	}
	if len(types) == 0 {
		return nil
	}
	switch types[0] {
	case "string":
		return ""
	case "integer", "number":
		return 0
	case "boolean":
		return false
	case "array":
		return []any{}
	case "object":
		return map[string]any{}
	}
	return nil
}

// digest is a hex SHA-256 of the request body and a purpose, the source of
// the fake's ids: the same request gets the same ids.
func digest(body []byte, purpose string) string {
	h := sha256.New()
	h.Write([]byte(purpose))
	h.Write([]byte{0})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}
