package lettatest

import (
	"encoding/json"
	"time"
)

var (
	agentTypes = []string{"memgpt_agent", "memgpt_v2_agent", "letta_v1_agent", "react_agent", "workflow_agent",
		"split_thread_agent", "sleeptime_agent", "voice_convo_agent", "voice_sleeptime_agent"}
	stopReasons = []string{"end_turn", "error", "llm_api_error", "invalid_llm_response", "invalid_tool_call",
		"max_steps", "max_tokens_exceeded", "no_tool_call", "tool_rule", "cancelled", "insufficient_credits",
		"requires_approval", "context_window_overflow_in_system_prompt"}
)

// strList is an optional list field: set is false when absent or null.
type strList struct {
	v   []string
	set bool
}

// agentInput is a parsed CreateAgentRequest or UpdateAgent. Pointers are nil
// when the field is absent or null (the server treats both as "not given").
type agentInput struct {
	name, system, agentType, description *string
	model, embedding, timezone           *string
	projectID, templateID, baseTemplate  *string
	lastRunCompletion, lastStopReason    *string

	metadata, toolRules, compaction, responseFormat json.RawMessage

	memoryBlocks []blockJSON
	toolNames    strList
	toolIDs      strList
	folderIDs    strList
	blockIDs     strList
	identityIDs  strList
	tags         strList
	messageIDs   strList

	secrets    map[string]string
	secretsSet bool

	llmConfig, embeddingConfig, modelSettings map[string]any

	contextWindowLimit, maxTokens, maxReasoningTokens, embeddingChunkSize *int64
	maxTokensNull                                                         bool
	lastRunDurationMS, maxFilesOpen, perFileViewWindowCharLimit           *int64

	enableReasoner, reasoning, parallelToolCalls *bool
	enableSleeptime, hidden, messageBufferClear  *bool

	includeBaseTools, includeMultiAgentTools bool
}

// parseAgentBody validates an agent body. Unknown fields are ignored, as the
// server's CreateAgent/UpdateAgent models do (extra="ignore").
func parseAgentBody(m map[string]any, create bool) (agentInput, []valErr) {
	o := newObj(m, "body")
	var in agentInput

	if create {
		in.name = o.nonNullStr("name")
		if o.has("agent_type") {
			if v, good := checkEnum(o, m["agent_type"], agentTypes, "agent_type"); good {
				in.agentType = &v
			}
		}
		in.includeBaseTools = o.nonNullBool("include_base_tools", true)
		in.includeMultiAgentTools = o.nonNullBool("include_multi_agent_tools", false)
		o.optBool("include_base_tool_rules")
		o.nonNullBool("include_default_source", false)
		o.nonNullBool("template", false)
		o.optStr("from_template")
		o.optStr("project")
		o.optStrMap("memory_variables")
		if arr, set := o.optList("initial_message_sequence"); set {
			validateMessageCreates(o, arr)
		}
		if b := o.nonNullBool("message_buffer_autoclear", false); b {
			in.messageBufferClear = &b
		}
		in.maxReasoningTokens = o.optInt("max_reasoning_tokens")
		in.enableReasoner = o.optBool("enable_reasoner")
		in.embeddingChunkSize = o.optInt("embedding_chunk_size")
		if arr, set := o.optList("memory_blocks"); set {
			in.memoryBlocks = parseCreateBlocks(o, arr)
		}
		in.toolNames.v, in.toolNames.set = o.optStrList("tools")
	} else {
		in.name = o.optStr("name")
		in.messageBufferClear = o.optBool("message_buffer_autoclear")
		in.messageIDs.v, in.messageIDs.set = o.optIDList("message_ids", "message")
		if s := o.optStr("last_run_completion"); s != nil {
			if t, err := time.Parse(time.RFC3339Nano, *s); err == nil {
				f := formatTime(t)
				in.lastRunCompletion = &f
			} else {
				o.fail("datetime_from_date_parsing", "Input should be a valid datetime or date, invalid character in year", *s, nil, "last_run_completion")
			}
		}
		in.lastRunDurationMS = o.optInt("last_run_duration_ms")
		in.lastStopReason = o.optEnum("last_stop_reason", stopReasons)
	}

	in.system = o.optStr("system")
	in.description = o.optStr("description")
	in.model = o.optStr("model")
	in.embedding = o.optStr("embedding")
	in.timezone = o.optStr("timezone")
	in.projectID = o.optStr("project_id")
	in.templateID = o.optStr("template_id")
	in.baseTemplate = o.optStr("base_template_id")

	if _, set := o.optObject("metadata"); set {
		in.metadata = o.optRaw("metadata")
	}
	if arr, set := o.optList("tool_rules"); set {
		validateToolRules(o, arr)
		in.toolRules = o.optRaw("tool_rules")
	}
	if _, set := o.optObject("compaction_settings"); set {
		in.compaction = o.optRaw("compaction_settings")
	}
	if rf, set := o.optObject("response_format"); set {
		validateResponseFormat(o, rf, "response_format")
		in.responseFormat = o.optRaw("response_format")
	}

	in.toolIDs.v, in.toolIDs.set = o.optIDList("tool_ids", "tool")
	in.blockIDs.v, in.blockIDs.set = o.optIDList("block_ids", "block")
	in.identityIDs.v, in.identityIDs.set = o.optIDList("identity_ids", "identity")
	in.tags.v, in.tags.set = o.optStrList("tags")
	// folder_ids is current, source_ids its deprecated alias.
	in.folderIDs.v, in.folderIDs.set = o.optIDList("source_ids", "source")
	if v, set := o.optIDList("folder_ids", "source"); set {
		in.folderIDs = strList{v: v, set: true}
	}

	// secrets is current, tool_exec_environment_variables its deprecated alias.
	in.secrets, in.secretsSet = o.optStrMap("tool_exec_environment_variables")
	if v, set := o.optStrMap("secrets"); set {
		in.secrets, in.secretsSet = v, true
	}

	if v := m["llm_config"]; v != nil {
		in.llmConfig = validateLLMConfig(o, v)
	}
	if v := m["embedding_config"]; v != nil {
		in.embeddingConfig = validateEmbeddingConfig(o, v)
	}
	if v := m["model_settings"]; v != nil {
		in.modelSettings, _ = validateModelSettings(o, v)
	}
	if in.embedding != nil {
		if _, _, good := splitHandle(*in.embedding); !good {
			o.fail("value_error", "Value error, Embedding handle must be in the format provider/model-name", *in.embedding, nil, "embedding")
		}
	}

	in.contextWindowLimit = o.optInt("context_window_limit")
	in.maxTokens = o.optInt("max_tokens")
	in.maxTokensNull = o.isNull("max_tokens")
	in.reasoning = o.optBool("reasoning")
	in.parallelToolCalls = o.optBool("parallel_tool_calls")
	in.enableSleeptime = o.optBool("enable_sleeptime")
	in.hidden = o.optBool("hidden")
	in.maxFilesOpen = o.optInt("max_files_open")
	in.perFileViewWindowCharLimit = o.optInt("per_file_view_window_char_limit")
	return in, *o.errs
}

// The server's default descriptions of the human and persona blocks.
const (
	defaultHumanDescription   = "The human block: Stores key details about the person you are conversing with, allowing for more personalized and friend-like conversation."
	defaultPersonaDescription = "The persona block: Stores details about your current persona, guiding how you behave and respond. This helps you to maintain consistency and personality in your interactions."
)

// defaultBlockDescription is the description the server's Human and
// Persona schemas give a block of that label that has none ("" for other
// labels).
func defaultBlockDescription(label string) string {
	switch label {
	case "human", "system/human":
		return defaultHumanDescription
	case "persona", "system/persona":
		return defaultPersonaDescription
	}
	return ""
}

// parseCreateBlocks validates memory_blocks (CreateBlock[]) into blocks
// without ids yet.
func parseCreateBlocks(o obj, arr []any) []blockJSON {
	out := make([]blockJSON, 0, len(arr))
	for i, item := range arr {
		m, isObj := item.(map[string]any)
		if !isObj {
			o.fail("model_type", "Input should be a valid dictionary or instance of CreateBlock", item,
				map[string]any{"class_name": "CreateBlock"}, "memory_blocks", i)
			continue
		}
		bo := o.child(m, "memory_blocks", i)
		b := readCreateBlock(bo)
		if d := defaultBlockDescription(*b.Label); b.Description == nil && !bo.has("description") && d != "" {
			// The server's Human and Persona blocks have default
			// descriptions, which it stores for an agent's blocks.
			b.Description = strPtr(d)
		}
		out = append(out, b)
	}
	return out
}

// readCreateBlock reads one CreateBlock in the order of the schema's fields
// (the order of pydantic's errors). A missing or null value is "" (the
// schema's before-validator), unless the object is empty.
func readCreateBlock(bo obj) blockJSON {
	value := ""
	if v := bo.m["value"]; v != nil {
		value, _ = checkString(bo, v, "value")
	} else if len(bo.m) == 0 {
		bo.missing("value")
	}
	b := blockJSON{Value: value, Limit: 100000}
	if v, present := bo.m["limit"]; present {
		if n, good := checkInt(bo, v, "limit"); good {
			b.Limit = n
		}
	}
	b.ProjectID = bo.optStr("project_id")
	b.TemplateName = bo.optStr("template_name")
	b.IsTemplate = bo.nonNullBool("is_template", false)
	b.TemplateID = bo.optStr("template_id")
	b.BaseTemplateID = bo.optStr("base_template_id")
	b.DeploymentID = bo.optStr("deployment_id")
	b.EntityID = bo.optStr("entity_id")
	f := false
	b.PreserveOnMigration = &f
	if p := bo.optBool("preserve_on_migration"); p != nil {
		b.PreserveOnMigration = p
	}
	b.Label = strPtr(bo.reqStr("label"))
	b.ReadOnly = bo.nonNullBool("read_only", false)
	b.Description = bo.optStr("description")
	b.Metadata = json.RawMessage(`{}`)
	if _, set := bo.optObject("metadata"); set {
		b.Metadata = bo.optRaw("metadata")
	}
	b.Hidden = bo.optBool("hidden")
	b.Tags = []string{}
	if tags, set := bo.optStrList("tags"); set {
		b.Tags = tags
	}
	return b
}
