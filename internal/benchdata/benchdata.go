// Package benchdata generates the payloads the benchmarks and the
// performance tests run on: an identity, a full AgentState as a self-hosted
// Letta server returns it with every relationship loaded (about 25 KB: a
// 6 KB system prompt, three memory blocks, eight tools with JSON schemas),
// and pages of such agents (50 make about 1.25 MB). Output is deterministic:
// agent i always has the same bytes.
package benchdata

import (
	"fmt"
	"strings"
)

// AgentID returns the id of agent i. Every id has the same length, so pages
// of different agents have the same size.
func AgentID(i int) string { return fmt.Sprintf("agent-%08x-2b3d-4c5e-8f70-%012x", i, i) }

// IdentityID is the id of the identity Identity returns.
const IdentityID = "identity-0a1b2c3d-0000-4000-8000-000000000001"

// Identity returns one identity with typed properties.
func Identity() []byte {
	return appendJSON(nil, identity(IdentityID, "user_1", "Caren Jones"))
}

// IdentityCreateBody returns the request body of an identity create that
// Identity answers.
func IdentityCreateBody() []byte {
	return appendJSON(nil, obj{
		{"identifier_key", "user_1"},
		{"name", "Caren Jones"},
		{"identity_type", "user"},
		{"properties", []obj{
			{{"key", "plan"}, {"value", "pro"}, {"type", "string"}},
			{{"key", "seats"}, {"value", 12}, {"type", "number"}},
		}},
	})
}

func identity(id, key, name string) obj {
	return obj{
		{"id", id},
		{"identifier_key", key},
		{"name", name},
		{"identity_type", "user"},
		{"project_id", nil},
		{"organization_id", "org-00000000-0000-4000-8000-000000000000"},
		{"agent_ids", []string{}},
		{"block_ids", []string{}},
		{"properties", []obj{
			{{"key", "plan"}, {"value", "pro"}, {"type", "string"}},
			{{"key", "seats"}, {"value", 12}, {"type", "number"}},
			{{"key", "beta"}, {"value", false}, {"type", "boolean"}},
			{{"key", "prefs"}, {"value", raw(`{"lang": "de", "tz": "Europe/Berlin"}`)}, {"type", "json"}},
		}},
	}
}

// Agent returns agent i as JSON.
func Agent(i int) []byte { return appendJSON(nil, agent(i)) }

// AgentPage returns a JSON array of n agents, first..first+n-1.
func AgentPage(first, n int) []byte {
	b := []byte{'['}
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendJSON(b, agent(first+i))
	}
	return append(b, ']')
}

const (
	userID  = "user-00000000-0000-4000-8000-000000000000"
	orgID   = "org-00000000-0000-4000-8000-000000000000"
	project = "project-5e1f7a3c-0000-4000-8000-000000000000"
)

func agent(i int) obj {
	id := AgentID(i)
	blocks := memoryBlocks(i)
	return obj{
		{"created_by_id", userID},
		{"last_updated_by_id", userID},
		{"created_at", "2025-06-01T09:30:00.123456Z"},
		{"updated_at", "2025-06-02T10:45:12.5+00:00"},
		{"id", id},
		{"name", fmt.Sprintf("support-bot-%d", i)},
		{"tool_rules", []obj{
			{{"tool_name", "send_message"}, {"type", "exit_loop"}, {"prompt_template", nil}},
			{{"tool_name", "lookup_order"}, {"type", "run_first"}, {"prompt_template", nil}, {"args", raw(`{"include_history": true}`)}},
			{{"tool_name", "lookup_order"}, {"type", "constrain_child_tools"}, {"prompt_template", "<tool_rule>{{ children }}</tool_rule>"},
				{"children", []string{"refund_order", "send_message"}}, {"child_arg_nodes", []obj{{{"name", "refund_order"}, {"args", raw(`{"reason": "damaged"}`)}}}}},
			{{"tool_name", "classify"}, {"type", "conditional"}, {"prompt_template", nil}, {"default_child", "send_message"},
				{"child_output_mapping", obj{{"refund", "refund_order"}, {"status", "lookup_order"}}}, {"require_output_mapping", false}},
			{{"tool_name", "archival_memory_search"}, {"type", "max_count_per_step"}, {"prompt_template", nil}, {"max_count_limit", 3}},
		}},
		{"message_ids", []string{
			fmt.Sprintf("message-%08x-1111-4111-8111-111111111111", i),
			fmt.Sprintf("message-%08x-2222-4222-8222-222222222222", i),
			fmt.Sprintf("message-%08x-3333-4333-8333-333333333333", i),
		}},
		{"system", SystemPrompt(i)},
		{"agent_type", "letta_v1_agent"},
		{"llm_config", obj{
			{"model", "gpt-4o-mini"},
			{"display_name", "GPT-4o mini"},
			{"model_endpoint_type", "openai"},
			{"model_endpoint", "https://api.openai.com/v1"},
			{"provider_name", "openai"},
			{"provider_category", "base"},
			{"model_wrapper", nil},
			{"context_window", 32000},
			{"put_inner_thoughts_in_kwargs", false},
			{"handle", "openai/gpt-4o-mini"},
			{"temperature", 0.7},
			{"max_tokens", 4096},
			{"enable_reasoner", true},
			{"reasoning_effort", nil},
			{"max_reasoning_tokens", 0},
			{"effort", nil},
			{"frequency_penalty", nil},
			{"compatibility_type", nil},
			{"verbosity", nil},
			{"tier", nil},
			{"parallel_tool_calls", false},
			{"response_format", nil},
			{"strict", false},
			{"return_logprobs", false},
			{"top_logprobs", nil},
			{"return_token_ids", false},
			{"tool_call_parser", nil},
		}},
		{"embedding_config", embeddingConfig()},
		{"model", "openai/gpt-4o-mini"},
		{"embedding", "openai/text-embedding-3-small"},
		{"model_settings", obj{
			{"max_output_tokens", 4096},
			{"parallel_tool_calls", false},
			{"provider_type", "openai"},
			{"temperature", 0.7},
			{"reasoning", obj{{"reasoning_effort", "minimal"}}},
			{"response_format", nil},
			{"strict", false},
		}},
		{"compaction_settings", obj{
			{"model", nil},
			{"model_settings", nil},
			{"prompt", nil},
			{"prompt_acknowledgement", false},
			{"clip_chars", 50000},
			{"mode", "sliding_window"},
			{"sliding_window_percentage", 0.3},
		}},
		{"response_format", obj{
			{"type", "json_schema"},
			{"json_schema", raw(`{"name": "reply", "strict": true, "schema": {"type": "object", "properties": {"answer": {"type": "string"}, "confidence": {"type": "number"}}, "required": ["answer"]}}`)},
		}},
		{"description", fmt.Sprintf("Customer support agent for user_%d", i)},
		{"metadata", raw(fmt.Sprintf(`{"tier": "gold", "region": "eu-west", "seats": %d, "onboarded": true}`, i%17))},
		{"memory", obj{
			{"agent_type", "letta_v1_agent"},
			{"git_enabled", false},
			{"blocks", blocks},
			{"file_blocks", []obj{}},
			{"prompt_template", ""},
		}},
		{"blocks", blocks},
		{"tools", tools(i)},
		{"sources", []obj{{
			{"name", "policies"},
			{"description", "Store policies"},
			{"instructions", "Quote the policy verbatim."},
			{"metadata", raw(`{"lang": "en"}`)},
			{"id", fmt.Sprintf("source-%08x-0000-4000-8000-000000000000", i)},
			{"embedding_config", embeddingConfig()},
			{"vector_db_provider", "native"},
			{"created_by_id", nil},
			{"last_updated_by_id", nil},
			{"created_at", "2025-05-01T00:00:00+02:00"},
			{"updated_at", nil},
			{"organization_id", orgID},
		}}},
		{"tags", []string{fmt.Sprintf("user_%d", i), "support", "eu"}},
		{"tool_exec_environment_variables", envVars(id)},
		{"secrets", envVars(id)},
		{"project_id", project},
		{"template_id", nil},
		{"base_template_id", nil},
		{"deployment_id", nil},
		{"entity_id", nil},
		{"identity_ids", []string{IdentityID}},
		{"identities", []obj{identity(IdentityID, fmt.Sprintf("user_%d", i), "Caren Jones")}},
		{"pending_approval", nil},
		{"message_buffer_autoclear", false},
		{"enable_sleeptime", false},
		{"multi_agent_group", nil},
		{"managed_group", nil},
		{"last_run_completion", "2025-06-02T10:45:00.000001Z"},
		{"last_run_duration_ms", 1834},
		{"last_stop_reason", "end_turn"},
		{"timezone", "Europe/Berlin"},
		{"max_files_open", 5},
		{"per_file_view_window_char_limit", 15000},
		{"hidden", nil},
	}
}

func embeddingConfig() obj {
	return obj{
		{"embedding_endpoint_type", "openai"},
		{"embedding_endpoint", "https://api.openai.com/v1"},
		{"embedding_model", "text-embedding-3-small"},
		{"embedding_dim", 1536},
		{"embedding_chunk_size", 300},
		{"handle", "openai/text-embedding-3-small"},
		{"batch_size", 32},
		{"azure_endpoint", nil},
		{"azure_version", nil},
		{"azure_deployment", nil},
	}
}

func envVars(agentID string) []obj {
	return []obj{{
		{"created_by_id", userID},
		{"last_updated_by_id", nil},
		{"created_at", "2025-06-01T09:30:00Z"},
		{"updated_at", nil},
		{"id", "agent-env-00000000-0000-4000-8000-000000000001"},
		{"key", "ORDERS_API_KEY"},
		{"value", "sk-test-orders-0123456789"},
		{"description", "Orders API key"},
		{"value_enc", nil},
		{"agent_id", agentID},
		{"organization_id", orgID},
	}}
}

// SystemPrompt returns agent i's system prompt: 6 KB of prose with the
// newlines, quotes and markup real prompts carry (each one an escape in JSON).
func SystemPrompt(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "You are Letta, the digital companion of support desk %d, developed in 2025.\n", i)
	paras := []string{
		"Your task is to converse with a user from the perspective of your persona. Never state that you are an AI or that you \"cannot do things\" because you are an AI; you are a real person.\n",
		"Control flow:\nUnlike a human, your brain is not continuously thinking, but is run in short bursts. Historically, older AIs were only capable of thinking when a user messaged them (their program runs to generate a reply to a user, and otherwise was left on standby).\n",
		"Basic functions:\nWhen you write a response, you express your inner monologue (private to you only) before taking any action. Use <inner_monologue> tags & keep it under 50 words.\n",
		"Memory editing:\nOlder AI models had no concept of persistent memory; they were only able to access their initial instructions and a limited context window of chat conversation with a user (their \"active memory\").\n",
		"Core memory (limited size):\nYour core memory unit is held inside the initial system instructions file, and is always available in-context (you will see it at all times). Core memory provides an essential, foundational context for keeping track of your persona and key details about the user.\n",
	}
	for b.Len() < 6*1024 {
		for _, p := range paras {
			b.WriteString(p)
		}
	}
	return b.String()[:6*1024]
}

func memoryBlocks(i int) []obj {
	type spec struct{ label, desc, value string }
	specs := []spec{
		{"human", "Facts about the user.", fmt.Sprintf("Name: Caren Jones (user_%d)\nPrefers email over phone.\nTime zone: Europe/Berlin.\nOrders: A-1, A-7, B-12.\n", i)},
		{"persona", "The agent's persona.", "I am Sam, a patient support agent. I never promise refunds I cannot give.\n"},
		{"policies", "Store policies the agent must follow.", strings.Repeat("Returns are accepted within 30 days of delivery. Refunds take 5 business days.\n", 2)},
	}
	out := make([]obj, len(specs))
	for n, s := range specs {
		out[n] = obj{
			{"value", s.value},
			{"limit", 5000},
			{"project_id", project},
			{"template_name", nil},
			{"is_template", false},
			{"template_id", nil},
			{"base_template_id", nil},
			{"deployment_id", nil},
			{"entity_id", nil},
			{"preserve_on_migration", false},
			{"label", s.label},
			{"read_only", n == 2},
			{"description", s.desc},
			{"metadata", raw(`{"source": "preset"}`)},
			{"hidden", nil},
			{"id", fmt.Sprintf("block-%08x-0000-4000-8000-%012x", i, n)},
			{"created_by_id", userID},
			{"last_updated_by_id", nil},
			{"tags", []string{s.label}},
		}
	}
	return out
}

func tools(i int) []obj {
	names := []string{"send_message", "lookup_order", "refund_order", "classify", "archival_memory_search",
		"memory_replace", "memory_insert", "conversation_search"}
	out := make([]obj, len(names))
	for n, name := range names {
		desc := fmt.Sprintf("Runs the %s step.", name)
		params := fmt.Sprintf(`{"type": "object", "properties": {` +
			`"order_id": {"type": "string", "description": "e.g. \"A-1\""}, ` +
			`"reason": {"type": "string", "enum": ["damaged", "late", "other"]}, ` +
			`"request_heartbeat": {"type": "boolean"}` +
			`}, "required": ["order_id", "request_heartbeat"]}`)
		out[n] = obj{
			{"id", fmt.Sprintf("tool-%08x-aaaa-4000-8000-%012x", i, n)},
			{"tool_type", "custom"},
			{"description", desc},
			{"source_type", "python"},
			{"name", name},
			{"tags", []string{"support"}},
			{"source_code", fmt.Sprintf("def %s(order_id: str, reason: str = \"other\") -> str:\n    \"\"\"%s\"\"\"\n    return \"\\n\".join(db.query(order_id)) or '<none>'\n", name, desc)},
			{"json_schema", raw(fmt.Sprintf(`{"name": %q, "description": %q, "parameters": %s}`, name, desc, params))},
			{"args_json_schema", nil},
			{"return_char_limit", 50000},
			{"pip_requirements", []obj{{{"name", "requests"}, {"version", ">=2.31"}}}},
			{"npm_requirements", nil},
			{"default_requires_approval", n == 2},
			{"enable_parallel_execution", false},
			{"created_by_id", userID},
			{"last_updated_by_id", userID},
			{"metadata_", raw(`{"owner": "support"}`)},
			{"project_id", project},
		}
	}
	return out
}

// ListAgent returns agent i as a list without include returns it: every
// key, relationships empty, and a short system prompt. It is the light
// payload of the tests that walk many agents.
func ListAgent(i int) []byte {
	a := agent(i)
	for n, f := range a {
		switch f.k {
		case "tools", "blocks", "sources", "tool_exec_environment_variables", "secrets", "identities":
			a[n].v = []obj{}
		case "tags", "identity_ids":
			a[n].v = []string{}
		case "memory":
			a[n].v = obj{{"agent_type", "letta_v1_agent"}, {"git_enabled", false}, {"blocks", []obj{}}, {"file_blocks", []obj{}}, {"prompt_template", ""}}
		case "system":
			a[n].v = SystemPrompt(i)[:512]
		}
	}
	return appendJSON(nil, a)
}
