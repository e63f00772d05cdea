package lettatest

import (
	"encoding/json"
	"unicode"
)

// builtinTool is one of the server's built-in tools. The fake knows only
// names, types and one-line descriptions; it never runs tools.
type builtinTool struct {
	name, toolType, description string
}

// builtinTools are registered (with ids) the first time an agent is created.
var builtinTools = []builtinTool{
	{"send_message", "letta_core", "Sends a message to the human user."},
	{"conversation_search", "letta_core", "Search prior conversation history."},
	{"archival_memory_insert", "letta_core", "Add information to long-term archival memory."},
	{"archival_memory_search", "letta_core", "Search archival memory."},
	{"core_memory_append", "letta_memory_core", "Append to the contents of a core memory block."},
	{"core_memory_replace", "letta_memory_core", "Replace text in a core memory block."},
	{"memory_insert", "letta_memory_core", "Insert text at a line of a memory block."},
	{"memory_replace", "letta_memory_core", "Replace a string in a memory block."},
	{"send_message_to_agent_and_wait_for_reply", "letta_multi_agent_core", "Send a message to another agent and wait for its reply."},
	{"send_message_to_agents_matching_tags", "letta_multi_agent_core", "Send a message to every agent with the given tags."},
	{"send_message_to_agent_async", "letta_multi_agent_core", "Send a message to another agent without waiting."},
}

// baseToolNames is the simplified set include_base_tools attaches per agent
// type (the real server's lists vary between versions).
func baseToolNames(agentType string) []string {
	switch agentType {
	case "letta_v1_agent":
		return []string{"conversation_search", "memory_insert", "memory_replace"}
	case "memgpt_v2_agent":
		return []string{"send_message", "conversation_search", "archival_memory_insert", "archival_memory_search", "memory_insert", "memory_replace"}
	default:
		return []string{"send_message", "conversation_search", "archival_memory_insert", "archival_memory_search", "core_memory_append", "core_memory_replace"}
	}
}

var multiAgentToolNames = []string{"send_message_to_agent_and_wait_for_reply", "send_message_to_agents_matching_tags", "send_message_to_agent_async"}

// registerBuiltinTools creates the built-in tools, as the server does at
// startup. It runs before any request, so tools take the first ids of the
// sequence and no clock tick.
func (s *store) registerBuiltinTools() {
	created := s.clock.now()
	for _, bt := range builtinTools {
		schema, _ := json.Marshal(map[string]any{
			"name":        bt.name,
			"description": bt.description,
			"parameters":  map[string]any{"type": "object", "properties": map[string]any{}, "required": []string{}},
		})
		f := false
		t := &tool{createdAt: created, json: toolJSON{
			ID:                      s.ids.newID("tool"),
			ToolType:                bt.toolType,
			Description:             strPtr(bt.description),
			SourceType:              strPtr("python"),
			Name:                    strPtr(bt.name),
			Tags:                    []string{bt.toolType},
			JSONSchema:              schema,
			ReturnCharLimit:         50000,
			EnableParallelExecution: &f,
			CreatedByID:             strPtr(defaultUserID),
			LastUpdatedByID:         strPtr(defaultUserID),
			Metadata:                json.RawMessage(`{}`),
		}}
		s.tools[t.json.ID] = t
		s.toolsByName[bt.name] = t.json.ID
	}
}

// validAgentName applies the server's ^[\w '\-]+$ with Python's Unicode \w.
func validAgentName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' || r == ' ' || r == '\'' || r == '-') {
			return false
		}
	}
	return true
}

var (
	nameAdjectives = []string{"Amber", "Brave", "Calm", "Daring", "Eager", "Fuzzy", "Gentle", "Happy", "Icy",
		"Jolly", "Kind", "Lucky", "Mellow", "Nimble", "Olive", "Proud", "Quiet", "Rapid", "Sunny", "Tidy"}
	nameNouns = []string{"Otter", "Falcon", "Maple", "River", "Comet", "Badger", "Willow", "Harbor", "Pebble",
		"Lantern", "Meadow", "Fox", "Canyon", "Sparrow", "Glacier", "Orchid", "Thunder", "Heron", "Cedar", "Tulip"}
)

// randomAgentName is the default name: an adjective and a noun, like the
// server's create_random_username. It draws from the id source so that it
// is deterministic under WithDeterministicIDs.
func (s *store) randomAgentName() string {
	u := s.ids.uuid4()
	a := int(u[0]) + int(u[1])*7
	n := int(u[2]) + int(u[3])*11
	return nameAdjectives[a%len(nameAdjectives)] + nameNouns[n%len(nameNouns)]
}

// defaultSystemPrompt stands in for the server's long per-type prompts.
func defaultSystemPrompt(agentType string) string {
	return "You are a helpful assistant with persistent memory. (lettatest stand-in for the " + agentType + " system prompt)"
}
