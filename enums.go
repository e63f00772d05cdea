package letta

// Enumerations of the Letta API. Each is an open string type: values the SDK
// does not know yet decode from responses, and are sent as given in request
// params (a server that adds a value does not wait for an SDK release; one
// that does not know a value answers 422 naming the values it allows, see
// APIError.Allowed). Only an empty value where one is required is refused
// before sending. The valid methods below list the values this SDK version
// knows (the spec tests check that they cover the published spec).

// Order is the sort direction of a list.
type Order string

// Sort directions. The server default is OrderDesc (newest first).
const (
	OrderAsc  Order = "asc"
	OrderDesc Order = "desc"
)

func (o Order) valid() bool { return o == OrderAsc || o == OrderDesc }

// AgentOrderBy is the field an agent list is sorted by.
type AgentOrderBy string

// Agent sort fields. The server default is AgentOrderByCreatedAt.
const (
	AgentOrderByCreatedAt AgentOrderBy = "created_at"
	AgentOrderByUpdatedAt AgentOrderBy = "updated_at"
	// AgentOrderByLastRunCompletion sorts agents that never ran last.
	AgentOrderByLastRunCompletion AgentOrderBy = "last_run_completion"
)

func (o AgentOrderBy) valid() bool {
	switch o {
	case AgentOrderByCreatedAt, AgentOrderByUpdatedAt, AgentOrderByLastRunCompletion:
		return true
	}
	return false
}

// IdentityOrderBy is the order_by of the identities routes (identities, and
// an identity's agents and blocks); the API knows only created_at.
type IdentityOrderBy string

// IdentityOrderByCreatedAt is the only sort field the identities routes accept.
const IdentityOrderByCreatedAt IdentityOrderBy = "created_at"

func (o IdentityOrderBy) valid() bool { return o == IdentityOrderByCreatedAt }

// BlockOrderBy is the order_by of the blocks routes (blocks, a block's
// agents, and an agent's core memory blocks); the API knows only created_at.
type BlockOrderBy string

// BlockOrderByCreatedAt is the only sort field the blocks routes accept.
const BlockOrderByCreatedAt BlockOrderBy = "created_at"

func (o BlockOrderBy) valid() bool { return o == BlockOrderByCreatedAt }

// AgentInclude names a relationship of AgentState to load. Current clients
// (this one included) get every relationship field empty unless it is asked
// for with include.
type AgentInclude string

// Relationships that include can load.
const (
	IncludeAgentBlocks          AgentInclude = "agent.blocks"
	IncludeAgentIdentities      AgentInclude = "agent.identities"
	IncludeAgentManagedGroup    AgentInclude = "agent.managed_group"
	IncludeAgentPendingApproval AgentInclude = "agent.pending_approval"
	IncludeAgentSecrets         AgentInclude = "agent.secrets"
	IncludeAgentSources         AgentInclude = "agent.sources"
	IncludeAgentTags            AgentInclude = "agent.tags"
	IncludeAgentTools           AgentInclude = "agent.tools"
)

func (i AgentInclude) valid() bool {
	switch i {
	case IncludeAgentBlocks, IncludeAgentIdentities, IncludeAgentManagedGroup, IncludeAgentPendingApproval,
		IncludeAgentSecrets, IncludeAgentSources, IncludeAgentTags, IncludeAgentTools:
		return true
	}
	return false
}

// IdentityType is the kind of an identity.
type IdentityType string

// Identity kinds.
const (
	IdentityTypeOrg   IdentityType = "org"
	IdentityTypeUser  IdentityType = "user"
	IdentityTypeOther IdentityType = "other"
)

func (t IdentityType) valid() bool {
	return t == IdentityTypeOrg || t == IdentityTypeUser || t == IdentityTypeOther
}

// IdentityPropertyType declares the JSON type of an identity property's value.
// The server does not check that the value matches it.
type IdentityPropertyType string

// Identity property value types.
const (
	IdentityPropertyTypeString  IdentityPropertyType = "string"
	IdentityPropertyTypeNumber  IdentityPropertyType = "number"
	IdentityPropertyTypeBoolean IdentityPropertyType = "boolean"
	IdentityPropertyTypeJSON    IdentityPropertyType = "json"
)

func (t IdentityPropertyType) valid() bool {
	switch t {
	case IdentityPropertyTypeString, IdentityPropertyTypeNumber, IdentityPropertyTypeBoolean, IdentityPropertyTypeJSON:
		return true
	}
	return false
}

// AgentType is the architecture of an agent.
type AgentType string

// Agent types.
const (
	AgentTypeMemGPT         AgentType = "memgpt_agent"
	AgentTypeMemGPTV2       AgentType = "memgpt_v2_agent"
	AgentTypeLettaV1        AgentType = "letta_v1_agent"
	AgentTypeReact          AgentType = "react_agent"
	AgentTypeWorkflow       AgentType = "workflow_agent"
	AgentTypeSplitThread    AgentType = "split_thread_agent"
	AgentTypeSleeptime      AgentType = "sleeptime_agent"
	AgentTypeVoiceConvo     AgentType = "voice_convo_agent"
	AgentTypeVoiceSleeptime AgentType = "voice_sleeptime_agent"
)

func (t AgentType) valid() bool {
	switch t {
	case AgentTypeMemGPT, AgentTypeMemGPTV2, AgentTypeLettaV1, AgentTypeReact, AgentTypeWorkflow,
		AgentTypeSplitThread, AgentTypeSleeptime, AgentTypeVoiceConvo, AgentTypeVoiceSleeptime:
		return true
	}
	return false
}

// StopReasonType is why an agent's run stopped.
type StopReasonType string

// Stop reasons.
const (
	StopReasonEndTurn                             StopReasonType = "end_turn"
	StopReasonError                               StopReasonType = "error"
	StopReasonLLMAPIError                         StopReasonType = "llm_api_error"
	StopReasonInvalidLLMResponse                  StopReasonType = "invalid_llm_response"
	StopReasonInvalidToolCall                     StopReasonType = "invalid_tool_call"
	StopReasonMaxSteps                            StopReasonType = "max_steps"
	StopReasonMaxTokensExceeded                   StopReasonType = "max_tokens_exceeded"
	StopReasonNoToolCall                          StopReasonType = "no_tool_call"
	StopReasonToolRule                            StopReasonType = "tool_rule"
	StopReasonCancelled                           StopReasonType = "cancelled"
	StopReasonInsufficientCredits                 StopReasonType = "insufficient_credits"
	StopReasonRequiresApproval                    StopReasonType = "requires_approval"
	StopReasonContextWindowOverflowInSystemPrompt StopReasonType = "context_window_overflow_in_system_prompt"
)

func (r StopReasonType) valid() bool {
	switch r {
	case StopReasonEndTurn, StopReasonError, StopReasonLLMAPIError, StopReasonInvalidLLMResponse,
		StopReasonInvalidToolCall, StopReasonMaxSteps, StopReasonMaxTokensExceeded, StopReasonNoToolCall,
		StopReasonToolRule, StopReasonCancelled, StopReasonInsufficientCredits, StopReasonRequiresApproval,
		StopReasonContextWindowOverflowInSystemPrompt:
		return true
	}
	return false
}

// ToolType is the origin of a tool.
type ToolType string

// Tool types.
const (
	ToolTypeCustom                  ToolType = "custom"
	ToolTypeLettaCore               ToolType = "letta_core"
	ToolTypeLettaMemoryCore         ToolType = "letta_memory_core"
	ToolTypeLettaMultiAgentCore     ToolType = "letta_multi_agent_core"
	ToolTypeLettaSleeptimeCore      ToolType = "letta_sleeptime_core"
	ToolTypeLettaVoiceSleeptimeCore ToolType = "letta_voice_sleeptime_core"
	ToolTypeLettaBuiltin            ToolType = "letta_builtin"
	ToolTypeLettaFilesCore          ToolType = "letta_files_core"
	ToolTypeExternalLangchain       ToolType = "external_langchain"
	ToolTypeExternalComposio        ToolType = "external_composio"
	ToolTypeExternalMCP             ToolType = "external_mcp"
)

// ProviderCategory says whose key pays for a model: the server's (base) or
// the caller's own (byok).
type ProviderCategory string

// Provider categories.
const (
	ProviderCategoryBase ProviderCategory = "base"
	ProviderCategoryBYOK ProviderCategory = "byok"
)

// ManagerType is how a multi-agent group routes turns.
type ManagerType string

// Group manager types.
const (
	ManagerTypeRoundRobin     ManagerType = "round_robin"
	ManagerTypeSupervisor     ManagerType = "supervisor"
	ManagerTypeDynamic        ManagerType = "dynamic"
	ManagerTypeSleeptime      ManagerType = "sleeptime"
	ManagerTypeVoiceSleeptime ManagerType = "voice_sleeptime"
	ManagerTypeSwarm          ManagerType = "swarm"
)

// VectorDBProvider is where a source's passages are stored.
type VectorDBProvider string

// Vector database providers.
const (
	VectorDBProviderNative   VectorDBProvider = "native"
	VectorDBProviderTPUF     VectorDBProvider = "tpuf"
	VectorDBProviderPinecone VectorDBProvider = "pinecone"
)

// MessageRole is the author role of a message sent to an agent.
type MessageRole string

// Message roles accepted in MessageCreate.
const (
	MessageRoleUser      MessageRole = "user"
	MessageRoleSystem    MessageRole = "system"
	MessageRoleAssistant MessageRole = "assistant"
)

func (r MessageRole) valid() bool {
	return r == MessageRoleUser || r == MessageRoleSystem || r == MessageRoleAssistant
}

// CompactionMode is how an agent's context is compacted when it fills up.
type CompactionMode string

// Compaction modes. The server default is CompactionModeSlidingWindow.
const (
	CompactionModeAll                      CompactionMode = "all"
	CompactionModeSlidingWindow            CompactionMode = "sliding_window"
	CompactionModeSelfCompactAll           CompactionMode = "self_compact_all"
	CompactionModeSelfCompactSlidingWindow CompactionMode = "self_compact_sliding_window"
)

func (m CompactionMode) valid() bool {
	switch m {
	case CompactionModeAll, CompactionModeSlidingWindow, CompactionModeSelfCompactAll, CompactionModeSelfCompactSlidingWindow:
		return true
	}
	return false
}
