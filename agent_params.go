package letta

import (
	"strconv"
	"unicode"
)

// CreateBlock is a memory block to create with an agent
// (AgentCreateParams.MemoryBlocks). Label and Value are always sent; nil
// optional fields are not sent and the server's defaults apply.
type CreateBlock struct {
	// Label names the block in the context window, e.g. "human" or "persona"
	// (required).
	Label string `json:"label"`
	// Value is the block's text (required; "" is a valid empty block).
	Value string `json:"value"`
	// Limit is the character limit (server default 100000).
	Limit *int `json:"limit,omitzero"`
	// Description describes the block to the agent.
	Description *string `json:"description,omitzero"`
	// ReadOnly denies the agent write access (server default false).
	ReadOnly *bool `json:"read_only,omitzero"`
	// Metadata is free-form metadata.
	Metadata map[string]any `json:"metadata,omitzero"`
	// Tags are the block's tags.
	Tags []string `json:"tags,omitzero"`
	// Hidden hides the block.
	Hidden *bool `json:"hidden,omitzero"`
	// ProjectID is the block's project.
	ProjectID *string `json:"project_id,omitzero"`
	// IsTemplate marks a saved template block.
	IsTemplate *bool `json:"is_template,omitzero"`
	// TemplateName is the template's name.
	TemplateName *string `json:"template_name,omitzero"`
	// TemplateID is the template's id.
	TemplateID *string `json:"template_id,omitzero"`
	// BaseTemplateID is the base template's id.
	BaseTemplateID *string `json:"base_template_id,omitzero"`
	// DeploymentID is the deployment's id.
	DeploymentID *string `json:"deployment_id,omitzero"`
	// EntityID is the id of the entity within the template.
	EntityID *string `json:"entity_id,omitzero"`
	// PreserveOnMigration keeps the block on template migration.
	PreserveOnMigration *bool `json:"preserve_on_migration,omitzero"`
}

// validate checks a block; param prefixes the field names ("" for a
// block that is the whole body, as in Blocks.Create).
func (b *CreateBlock) validate(param string) error {
	if param != "" {
		param += "."
	}
	if b.Label == "" {
		return &InvalidParamError{Param: param + "label", Reason: "required"}
	}
	if b.Limit != nil && *b.Limit < 0 {
		return &InvalidParamError{Param: param + "limit", Value: strconv.Itoa(*b.Limit), Reason: "must not be negative"}
	}
	return nil
}

// AgentCreateParams is the body of Agents.Create (POST /v1/agents/). No field
// is required by the API, but the server needs a model: set Model (e.g.
// "openai/gpt-4o-mini") unless it has a default. nil fields are not sent
// and the server's defaults apply; an empty non-nil slice or map is sent
// as [] or {}. A nil *AgentCreateParams sends {}.
type AgentCreateParams struct {
	// Name is the agent's name; nil lets the server generate one. The
	// server allows only letters and digits (any script), underscores,
	// spaces, apostrophes and hyphens, at least one (its rule is
	// ^[\w '\-]+$): "bot v2.0" or "bot:user-1" is refused before sending
	// (ErrInvalidParam); the server itself would answer 500.
	Name *string `json:"name,omitzero"`
	// Description describes the agent.
	Description *string `json:"description,omitzero"`
	// System is the system prompt; nil = the default for AgentType.
	System *string `json:"system,omitzero"`
	// AgentType is the agent architecture; nil = the server default.
	AgentType *AgentType `json:"agent_type,omitzero"`
	// Model is the model handle, "provider/model-name".
	Model *string `json:"model,omitzero"`
	// ModelSettings override provider-specific generation settings.
	ModelSettings *ModelSettings `json:"model_settings,omitzero"`
	// ContextWindowLimit caps the context window in tokens.
	ContextWindowLimit *int `json:"context_window_limit,omitzero"`
	// Embedding is the embedding model handle, "provider/model-name"; nil =
	// the server's default, if it has one.
	Embedding *string `json:"embedding,omitzero"`
	// CompactionSettings configure context compaction.
	CompactionSettings *CompactionSettings `json:"compaction_settings,omitzero"`
	// MemoryBlocks are blocks to create in the agent's memory.
	MemoryBlocks []CreateBlock `json:"memory_blocks,omitzero"`
	// BlockIDs attach existing blocks.
	BlockIDs []string `json:"block_ids,omitzero"`
	// Tools attach tools by name.
	Tools []string `json:"tools,omitzero"`
	// ToolIDs attach tools by id.
	ToolIDs []string `json:"tool_ids,omitzero"`
	// ToolRules constrain the order of tool calls.
	ToolRules []ToolRule `json:"tool_rules,omitzero"`
	// IncludeBaseTools attaches the Letta core tools (server default true).
	IncludeBaseTools *bool `json:"include_base_tools,omitzero"`
	// IncludeMultiAgentTools attaches the multi-agent tools (server default false).
	IncludeMultiAgentTools *bool `json:"include_multi_agent_tools,omitzero"`
	// IncludeBaseToolRules attaches the base tool rules.
	IncludeBaseToolRules *bool `json:"include_base_tool_rules,omitzero"`
	// FolderIDs attach folders.
	FolderIDs []string `json:"folder_ids,omitzero"`
	// Tags are the agent's tags, e.g. a user id to find the agent by.
	Tags []string `json:"tags,omitzero"`
	// IdentityIDs attach identities.
	IdentityIDs []string `json:"identity_ids,omitzero"`
	// Metadata is free-form metadata.
	Metadata map[string]any `json:"metadata,omitzero"`
	// Secrets are environment variables for tool execution.
	Secrets map[string]string `json:"secrets,omitzero"`
	// InitialMessageSequence replaces the default first messages.
	InitialMessageSequence []MessageCreate `json:"initial_message_sequence,omitzero"`
	// MessageBufferAutoclear makes the agent forget previous messages
	// (server default false).
	MessageBufferAutoclear *bool `json:"message_buffer_autoclear,omitzero"`
	// EnableSleeptime moves memory management to a background agent.
	EnableSleeptime *bool `json:"enable_sleeptime,omitzero"`
	// Timezone is the agent's IANA time zone.
	Timezone *string `json:"timezone,omitzero"`
	// MaxFilesOpen caps the files open at once.
	MaxFilesOpen *int `json:"max_files_open,omitzero"`
	// PerFileViewWindowCharLimit is the characters of each open file in view.
	PerFileViewWindowCharLimit *int `json:"per_file_view_window_char_limit,omitzero"`

	// SourceIDs attach sources.
	//
	// Deprecated: use FolderIDs.
	SourceIDs []string `json:"source_ids,omitzero"`
	// LLMConfig is a full model configuration.
	//
	// Deprecated: use Model and ModelSettings.
	LLMConfig *LLMConfig `json:"llm_config,omitzero"`
	// EmbeddingConfig is a full embedding configuration.
	//
	// Deprecated: use Embedding.
	EmbeddingConfig *EmbeddingConfig `json:"embedding_config,omitzero"`
	// ResponseFormat is the output format.
	//
	// Deprecated: use ModelSettings.ResponseFormat.
	ResponseFormat *ResponseFormat `json:"response_format,omitzero"`
	// IncludeDefaultSource creates and attaches a default source.
	//
	// Deprecated: the API marks it deprecated.
	IncludeDefaultSource *bool `json:"include_default_source,omitzero"`
	// EmbeddingChunkSize is no longer used.
	//
	// Deprecated: no longer used.
	EmbeddingChunkSize *int `json:"embedding_chunk_size,omitzero"`
	// MaxTokens caps generated tokens.
	//
	// Deprecated: use ModelSettings.MaxOutputTokens.
	MaxTokens *int `json:"max_tokens,omitzero"`
	// MaxReasoningTokens is the thinking budget.
	//
	// Deprecated: use ModelSettings.
	MaxReasoningTokens *int `json:"max_reasoning_tokens,omitzero"`
	// EnableReasoner enables extended thinking.
	//
	// Deprecated: use ModelSettings.
	EnableReasoner *bool `json:"enable_reasoner,omitzero"`
	// Reasoning enables reasoning.
	//
	// Deprecated: use ModelSettings.
	Reasoning *bool `json:"reasoning,omitzero"`
	// ParallelToolCalls enables parallel tool calls.
	//
	// Deprecated: use ModelSettings.ParallelToolCalls.
	ParallelToolCalls *bool `json:"parallel_tool_calls,omitzero"`
	// FromTemplate creates the agent from a template.
	//
	// Deprecated: use the API's create-from-template endpoint.
	FromTemplate *string `json:"from_template,omitzero"`
	// Template is no longer used.
	//
	// Deprecated: no longer used.
	Template *bool `json:"template,omitzero"`
	// Project is the project slug.
	//
	// Deprecated: use the WithProject client option (X-Project header).
	Project *string `json:"project,omitzero"`
	// ToolExecEnvironmentVariables are environment variables for tools.
	//
	// Deprecated: use Secrets.
	ToolExecEnvironmentVariables map[string]string `json:"tool_exec_environment_variables,omitzero"`
	// MemoryVariables fill a template's memory.
	//
	// Deprecated: only for templates; use the create-from-template endpoint.
	MemoryVariables map[string]string `json:"memory_variables,omitzero"`
	// ProjectID is no longer used.
	//
	// Deprecated: no longer used.
	ProjectID *string `json:"project_id,omitzero"`
	// TemplateID is no longer used.
	//
	// Deprecated: no longer used.
	TemplateID *string `json:"template_id,omitzero"`
	// BaseTemplateID is no longer used.
	//
	// Deprecated: no longer used.
	BaseTemplateID *string `json:"base_template_id,omitzero"`
	// Hidden, when true, hides the agent: List and Count leave it out
	// unless their ShowHiddenAgents is set. The API calls it no longer
	// used, but the open-source server (0.16.8) still applies it, and only
	// here: Agents.Update ignores Hidden.
	//
	// Deprecated: the API marks it deprecated.
	Hidden *bool `json:"hidden,omitzero"`
}

func (p *AgentCreateParams) validate() error {
	if p == nil {
		return nil
	}
	if err := validateAgentName(p.Name); err != nil {
		return err
	}
	for i := range p.MemoryBlocks {
		if err := p.MemoryBlocks[i].validate("memory_blocks[" + strconv.Itoa(i) + "]"); err != nil {
			return err
		}
	}
	for i := range p.InitialMessageSequence {
		if err := p.InitialMessageSequence[i].validate("initial_message_sequence[" + strconv.Itoa(i) + "]"); err != nil {
			return err
		}
	}
	if err := validateAgentBody(p.ToolRules, p.ModelSettings, p.CompactionSettings, p.ResponseFormat); err != nil {
		return err
	}
	return validateCounts(p.ContextWindowLimit, p.MaxFilesOpen, p.PerFileViewWindowCharLimit, p.MaxTokens)
}

// AgentUpdateParams is the body of Agents.Update (PATCH /v1/agents/{agent_id}).
// nil fields are not sent and leave the agent unchanged (the server also
// treats null as "no change", so most fields cannot be cleared). Sets
// (ToolIDs, FolderIDs, SourceIDs, BlockIDs, IdentityIDs, Tags) REPLACE the
// whole set when non-nil, and an empty non-nil slice detaches everything.
// A nil *AgentUpdateParams sends {} and changes nothing.
type AgentUpdateParams struct {
	// Name, when set, renames the agent. It is sent as given: the server
	// checks names only when an agent is created (letta 0.16.8 stores any
	// name on PATCH), although a name outside AgentCreateParams.Name's rule
	// makes exporting the agent fail.
	Name *string `json:"name,omitzero"`
	// Description, when set, overwrites the description.
	Description *string `json:"description,omitzero"`
	// System, when set, overwrites the system prompt.
	System *string `json:"system,omitzero"`
	// Model, when set, switches to this model handle and rebuilds the LLM
	// configuration (with ContextWindowLimit and MaxTokens).
	Model *string `json:"model,omitzero"`
	// ModelSettings, when set, override parts of the model configuration.
	ModelSettings *ModelSettings `json:"model_settings,omitzero"`
	// ContextWindowLimit, when set, caps the context window.
	ContextWindowLimit *int `json:"context_window_limit,omitzero"`
	// Embedding, when set, switches the embedding model handle.
	Embedding *string `json:"embedding,omitzero"`
	// CompactionSettings, when set, overwrite the compaction settings.
	CompactionSettings *CompactionSettings `json:"compaction_settings,omitzero"`
	// ToolIDs, when non-nil, REPLACE the attached tools; [] detaches all.
	ToolIDs []string `json:"tool_ids,omitzero"`
	// FolderIDs, when non-nil, REPLACE the attached folders; [] detaches all.
	FolderIDs []string `json:"folder_ids,omitzero"`
	// BlockIDs, when non-nil, REPLACE the attached blocks; [] detaches all.
	BlockIDs []string `json:"block_ids,omitzero"`
	// Tags, when non-nil, REPLACE all tags; [] removes every tag.
	Tags []string `json:"tags,omitzero"`
	// IdentityIDs, when non-nil, REPLACE the attached identities; [] detaches
	// all. To add or remove one, use Agents.AttachIdentity / DetachIdentity.
	IdentityIDs []string `json:"identity_ids,omitzero"`
	// ToolRules, when non-nil, replace all tool rules; [] removes them.
	ToolRules []ToolRule `json:"tool_rules,omitzero"`
	// MessageIDs, when non-nil, replace the in-context message ids.
	MessageIDs []string `json:"message_ids,omitzero"`
	// Metadata, when non-nil, REPLACES the whole metadata object (no merge);
	// an empty map clears it.
	Metadata map[string]any `json:"metadata,omitzero"`
	// Secrets, when non-nil, REPLACE all of the agent's environment
	// variables; an empty map removes them.
	Secrets map[string]string `json:"secrets,omitzero"`
	// ProjectID, when set, moves the agent to this project.
	ProjectID *string `json:"project_id,omitzero"`
	// TemplateID, when set, overwrites the template id.
	TemplateID *string `json:"template_id,omitzero"`
	// BaseTemplateID, when set, overwrites the base template id.
	BaseTemplateID *string `json:"base_template_id,omitzero"`
	// MessageBufferAutoclear, when set, overwrites the flag.
	MessageBufferAutoclear *bool `json:"message_buffer_autoclear,omitzero"`
	// EnableSleeptime, when set, overwrites the flag.
	EnableSleeptime *bool `json:"enable_sleeptime,omitzero"`
	// EmbeddingConfig, when set, overwrites the embedding configuration.
	EmbeddingConfig *EmbeddingConfig `json:"embedding_config,omitzero"`
	// LastRunCompletion, when set, overwrites the last run's completion time.
	LastRunCompletion *Timestamp `json:"last_run_completion,omitzero"`
	// LastRunDurationMS, when set, overwrites the last run's duration.
	LastRunDurationMS *int64 `json:"last_run_duration_ms,omitzero"`
	// LastStopReason, when set, overwrites the last run's stop reason.
	LastStopReason *StopReasonType `json:"last_stop_reason,omitzero"`
	// Timezone, when set, overwrites the IANA time zone.
	Timezone *string `json:"timezone,omitzero"`
	// MaxFilesOpen, when set, overwrites the open-files cap.
	MaxFilesOpen *int `json:"max_files_open,omitzero"`
	// PerFileViewWindowCharLimit, when set, overwrites the per-file window.
	PerFileViewWindowCharLimit *int `json:"per_file_view_window_char_limit,omitzero"`
	// Hidden is sent when set, but the open-source server (0.16.8) ignores
	// it: an agent is hidden only at creation (AgentCreateParams.Hidden)
	// and stays so.
	Hidden *bool `json:"hidden,omitzero"`

	// MaxTokens, unlike the other fields, can be cleared: Value(n) sets it,
	// Null[int]() sends null and clears it, the zero value leaves it unchanged.
	//
	// Deprecated: use ModelSettings.MaxOutputTokens.
	MaxTokens Nullable[int] `json:"max_tokens,omitzero"`
	// SourceIDs, when non-nil, REPLACE the attached sources.
	//
	// Deprecated: use FolderIDs.
	SourceIDs []string `json:"source_ids,omitzero"`
	// ToolExecEnvironmentVariables, when non-nil, REPLACE all environment variables.
	//
	// Deprecated: use Secrets.
	ToolExecEnvironmentVariables map[string]string `json:"tool_exec_environment_variables,omitzero"`
	// LLMConfig, when set, overwrites the full model configuration.
	//
	// Deprecated: use Model and ModelSettings.
	LLMConfig *LLMConfig `json:"llm_config,omitzero"`
	// ResponseFormat, when set, overwrites the output format.
	//
	// Deprecated: use ModelSettings.ResponseFormat.
	ResponseFormat *ResponseFormat `json:"response_format,omitzero"`
	// Reasoning, when set, turns reasoning on or off.
	//
	// Deprecated: use ModelSettings.
	Reasoning *bool `json:"reasoning,omitzero"`
	// ParallelToolCalls, when set, turns parallel tool calls on or off.
	//
	// Deprecated: use ModelSettings.ParallelToolCalls.
	ParallelToolCalls *bool `json:"parallel_tool_calls,omitzero"`
}

func (p *AgentUpdateParams) validate() error {
	if p == nil {
		return nil
	}
	if err := validateAgentBody(p.ToolRules, p.ModelSettings, p.CompactionSettings, p.ResponseFormat); err != nil {
		return err
	}
	var maxTokens *int
	if v, ok := p.MaxTokens.Get(); ok {
		maxTokens = &v
	}
	return validateCounts(p.ContextWindowLimit, p.MaxFilesOpen, p.PerFileViewWindowCharLimit, maxTokens)
}

func validateAgentBody(rules []ToolRule, ms *ModelSettings, cs *CompactionSettings, rf *ResponseFormat) error {
	for i := range rules {
		if err := rules[i].validate("tool_rules[" + strconv.Itoa(i) + "]"); err != nil {
			return err
		}
	}
	if err := ms.validate("model_settings"); err != nil {
		return err
	}
	if err := cs.validate("compaction_settings"); err != nil {
		return err
	}
	return rf.validate("response_format")
}

// validateCounts refuses negative token and size limits, which the server
// would only reject later (or misbehave on).
func validateCounts(contextWindowLimit, maxFilesOpen, perFileViewWindowCharLimit, maxTokens *int) error {
	for _, c := range [...]struct {
		name string
		v    *int
	}{
		{"context_window_limit", contextWindowLimit},
		{"max_files_open", maxFilesOpen},
		{"per_file_view_window_char_limit", perFileViewWindowCharLimit},
		{"max_tokens", maxTokens},
	} {
		if c.v != nil && *c.v < 0 {
			return &InvalidParamError{Param: c.name, Value: strconv.Itoa(*c.v), Reason: "must not be negative"}
		}
	}
	return nil
}

// AgentListParams are the query parameters of Agents.List (GET /v1/agents/).
// Zero fields are not sent. A nil *AgentListParams lists with the server's
// defaults (50, newest first, no relationships loaded). The deprecated
// ascending, sort_by and include_relationships parameters are left out on
// purpose: the server ignores the first two, and the third switches it to a
// legacy loading mode that Include replaces.
type AgentListParams struct {
	// Name filters by exact name.
	Name string `url:"name,omitempty"`
	// QueryText filters by case-insensitive substring of the name.
	QueryText string `url:"query_text,omitempty"`
	// Tags filters to agents with ANY of these tags (ALL with MatchAllTags).
	Tags []string `url:"tags,omitempty"`
	// MatchAllTags, when true, requires every tag; nil = not sent (any).
	MatchAllTags *bool `url:"match_all_tags,omitempty"`
	// IdentityID filters to agents attached to this identity.
	IdentityID string `url:"identity_id,omitempty"`
	// IdentifierKeys filters to agents attached to an identity with one of
	// these identifier keys. The server lists an agent once per matching
	// identity, so an agent of two of them comes twice in a page (ListAll
	// yields it once).
	IdentifierKeys []string `url:"identifier_keys,omitempty"`
	// ProjectID filters by project (on Letta Cloud, defaults to the default project).
	ProjectID string `url:"project_id,omitempty"`
	// TemplateID filters by template.
	TemplateID string `url:"template_id,omitempty"`
	// BaseTemplateID filters by base template.
	BaseTemplateID string `url:"base_template_id,omitempty"`
	// LastStopReason filters by the last run's stop reason.
	LastStopReason StopReasonType `url:"last_stop_reason,omitempty"`
	// CreatedByID filters by the creating user.
	CreatedByID string `url:"created_by_id,omitempty"`
	// ShowHiddenAgents, when true, includes agents created with Hidden set,
	// which the server leaves out otherwise; nil = not sent (left out). The
	// server reads it without listing it in its published spec.
	ShowHiddenAgents *bool `url:"show_hidden_agents,omitempty"`
	// Include lists the relationships to load; nil or empty loads none.
	// Values the SDK does not know are sent as given.
	// (The server also loads tags with agent.blocks.)
	Include []AgentInclude `url:"include,omitempty"`
	// Before returns agents before this agent id in the sort order: the
	// first Limit of them, from the top of the list, not the nearest
	// (ListAll walks back from it instead). With After too, the first Limit
	// agents between the two in the sort order (none when After does not
	// come first). An unknown id is ignored by the server.
	Before string `url:"before,omitempty"`
	// After returns agents after this agent id in the sort order (an unknown
	// id is ignored by the server).
	After string `url:"after,omitempty"`
	// Limit is the page size; 0 is not sent (the server default, 50).
	// Negative limits are refused before sending.
	Limit int `url:"limit,omitempty"`
	// Order is asc or desc (server default desc).
	Order Order `url:"order,omitempty"`
	// OrderBy is created_at (the default), updated_at or last_run_completion.
	OrderBy AgentOrderBy `url:"order_by,omitempty"`
}

func (p *AgentListParams) validate() error {
	if p == nil {
		return nil
	}
	if err := validateLimit(p.Limit); err != nil {
		return err
	}
	return validateInclude(p.Include)
}

// AgentCountParams are the query parameters of Agents.Count
// (GET /v1/agents/count): the filters of AgentListParams, without paging.
// A nil *AgentCountParams counts every agent.
type AgentCountParams struct {
	// Name filters by exact name.
	Name string `url:"name,omitempty"`
	// QueryText filters by case-insensitive substring of the name.
	QueryText string `url:"query_text,omitempty"`
	// Tags filters to agents with ANY of these tags (ALL with MatchAllTags).
	Tags []string `url:"tags,omitempty"`
	// MatchAllTags, when true, requires every tag; nil = not sent (any).
	MatchAllTags *bool `url:"match_all_tags,omitempty"`
	// IdentityID filters to agents attached to this identity.
	IdentityID string `url:"identity_id,omitempty"`
	// IdentifierKeys filters to agents attached to an identity with one of
	// these identifier keys. An agent is counted once per matching
	// identity, as List lists it.
	IdentifierKeys []string `url:"identifier_keys,omitempty"`
	// ProjectID filters by project.
	ProjectID string `url:"project_id,omitempty"`
	// TemplateID filters by template.
	TemplateID string `url:"template_id,omitempty"`
	// BaseTemplateID filters by base template.
	BaseTemplateID string `url:"base_template_id,omitempty"`
	// LastStopReason filters by the last run's stop reason.
	LastStopReason StopReasonType `url:"last_stop_reason,omitempty"`
	// CreatedByID filters by the creating user.
	CreatedByID string `url:"created_by_id,omitempty"`
	// ShowHiddenAgents, when true, counts hidden agents too (see
	// AgentListParams).
	ShowHiddenAgents *bool `url:"show_hidden_agents,omitempty"`
}

// validate accepts every count filter: the string filters are sent as
// given, enum values the SDK does not know included.
func (p *AgentCountParams) validate() error { return nil }

// AgentGetParams are the query parameters of Agents.Get
// (GET /v1/agents/{agent_id}). A nil pointer loads no relationships.
type AgentGetParams struct {
	// Include lists the relationships to load; nil or empty loads none.
	// Values the SDK does not know are sent as given.
	// (The server also loads tags with agent.blocks.)
	Include []AgentInclude `url:"include,omitempty"`
}

func (p *AgentGetParams) validate() error {
	if p == nil {
		return nil
	}
	return validateInclude(p.Include)
}

// validateAgentName applies the server's rule for agent names,
// ^[\w '\-]+$ with Python's Unicode \w (letters and digits of any script,
// and the underscore). The server reports a name outside it as a 500, an
// answer that can never change, so it is refused here instead.
func validateAgentName(name *string) error {
	if name == nil {
		return nil
	}
	ok := *name != ""
	for _, r := range *name {
		if !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' || r == ' ' || r == '\'' || r == '-') {
			ok = false
			break
		}
	}
	if ok {
		return nil
	}
	return &InvalidParamError{Param: "name", Value: truncateValue(*name),
		Reason: "an agent name may only contain letters, digits, underscores, spaces, apostrophes and hyphens"}
}
