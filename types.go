package letta

import (
	"encoding/json"
)

// Resource models as the server returns them. Always-present fields are
// values; fields the API declares nullable are pointers (nil = null). Free-form
// JSON objects (metadata, JSON schemas) are kept as json.RawMessage: lossless,
// cheap to decode, and decodable into any type with json.Unmarshal; they hold
// the literal null when the server sent null. Unknown keys are ignored.

// Identity is an end user, organisation or other principal that agents and
// blocks can belong to.
type Identity struct {
	// ID is the server-assigned id ("identity-<uuid>").
	ID string `json:"id"`
	// IdentifierKey is the caller's own key for the identity (e.g. a user id),
	// unique per project and organisation.
	IdentifierKey string `json:"identifier_key"`
	// Name is the display name.
	Name string `json:"name"`
	// IdentityType is org, user or other.
	IdentityType IdentityType `json:"identity_type"`
	// ProjectID is the project the identity belongs to, if any.
	ProjectID *string `json:"project_id"`
	// AgentIDs is always empty on current servers, even for identities with
	// agents: list them with Identities.ListAgents or AgentListParams.IdentityID.
	//
	// Deprecated: the server no longer fills it in.
	AgentIDs []string `json:"agent_ids"`
	// BlockIDs is always empty on current servers: use Identities.ListBlocks.
	//
	// Deprecated: the server no longer fills it in.
	BlockIDs []string `json:"block_ids"`
	// Properties are the identity's typed key/value properties.
	Properties []IdentityProperty `json:"properties"`
	// OrganizationID is the owning organisation. The server sends it although
	// the published spec does not list it.
	OrganizationID *string `json:"organization_id,omitempty"`
}

// AgentState is an agent as the server returns it. Relationship fields
// (Blocks, Tools, Sources, Tags, Identities, Secrets, ManagedGroup,
// PendingApproval, and Memory's blocks) are empty unless the request's
// include asked for them. Create returns the relationships it set (tools,
// sources, blocks, identities, tags); Update returns the agent with every
// relationship loaded.
type AgentState struct {
	// ID is the agent id ("agent-<uuid>").
	ID string `json:"id"`
	// Name is the agent's name.
	Name string `json:"name"`
	// System is the system prompt.
	System string `json:"system"`
	// AgentType is the agent architecture.
	AgentType AgentType `json:"agent_type"`
	// Description is the agent's description.
	Description *string `json:"description"`
	// Metadata is the agent's free-form metadata object.
	Metadata json.RawMessage `json:"metadata"`
	// Model is the model handle ("provider/model-name"), derived from LLMConfig.
	Model *string `json:"model"`
	// Embedding is the embedding model handle ("provider/model-name").
	Embedding *string `json:"embedding"`
	// ModelSettings are the provider-specific generation settings, derived
	// from LLMConfig.
	ModelSettings *ModelSettings `json:"model_settings"`
	// CompactionSettings configure how the context is compacted.
	CompactionSettings *CompactionSettings `json:"compaction_settings"`
	// ResponseFormat is the agent's output format.
	ResponseFormat *ResponseFormat `json:"response_format"`
	// LLMConfig is the full model configuration.
	//
	// Deprecated: use Model and ModelSettings.
	LLMConfig LLMConfig `json:"llm_config"`
	// EmbeddingConfig is the full embedding configuration.
	//
	// Deprecated: use Embedding.
	EmbeddingConfig *EmbeddingConfig `json:"embedding_config"`
	// ToolRules constrain the order in which tools are called.
	ToolRules []ToolRule `json:"tool_rules"`
	// MessageIDs are the ids of the messages in the agent's context.
	MessageIDs []string `json:"message_ids"`
	// Memory is the in-context memory.
	//
	// Deprecated: use Blocks.
	Memory Memory `json:"memory"`
	// Blocks are the memory blocks (include IncludeAgentBlocks).
	Blocks []Block `json:"blocks"`
	// Tools are the attached tools (include IncludeAgentTools).
	Tools []Tool `json:"tools"`
	// Sources are the attached folders (include IncludeAgentSources).
	//
	// Deprecated: the API renames sources to folders.
	Sources []Source `json:"sources"`
	// Tags are the agent's tags (include IncludeAgentTags).
	Tags []string `json:"tags"`
	// ToolExecEnvironmentVariables duplicates Secrets.
	//
	// Deprecated: use Secrets.
	ToolExecEnvironmentVariables []AgentEnvironmentVariable `json:"tool_exec_environment_variables"`
	// Secrets are the environment variables for tool execution (include
	// IncludeAgentSecrets).
	Secrets []AgentEnvironmentVariable `json:"secrets"`
	// ProjectID is the project the agent belongs to.
	ProjectID *string `json:"project_id"`
	// TemplateID is the template the agent belongs to.
	TemplateID *string `json:"template_id"`
	// BaseTemplateID is the base template of the agent.
	BaseTemplateID *string `json:"base_template_id"`
	// DeploymentID is the deployment the agent belongs to.
	DeploymentID *string `json:"deployment_id"`
	// EntityID is the id of the entity within the template.
	EntityID *string `json:"entity_id"`
	// IdentityIDs are the ids of the agent's identities.
	//
	// Deprecated: use Identities.
	IdentityIDs []string `json:"identity_ids"`
	// Identities are the agent's identities (include IncludeAgentIdentities).
	Identities []Identity `json:"identities"`
	// PendingApproval is the latest approval request waiting for an answer
	// (include IncludeAgentPendingApproval).
	PendingApproval *ApprovalRequestMessage `json:"pending_approval"`
	// MessageBufferAutoclear makes the agent forget previous messages (its
	// memory blocks still persist).
	MessageBufferAutoclear bool `json:"message_buffer_autoclear"`
	// EnableSleeptime moves memory management to a background agent.
	EnableSleeptime *bool `json:"enable_sleeptime"`
	// MultiAgentGroup duplicates ManagedGroup.
	//
	// Deprecated: use ManagedGroup.
	MultiAgentGroup *Group `json:"multi_agent_group"`
	// ManagedGroup is the multi-agent group this agent manages (include
	// IncludeAgentManagedGroup).
	ManagedGroup *Group `json:"managed_group"`
	// LastRunCompletion is when the agent last completed a run.
	LastRunCompletion *Timestamp `json:"last_run_completion"`
	// LastRunDurationMS is the duration of the last run in milliseconds.
	LastRunDurationMS *int64 `json:"last_run_duration_ms"`
	// LastStopReason is why the last run stopped.
	LastStopReason *StopReasonType `json:"last_stop_reason"`
	// Timezone is the agent's IANA time zone.
	Timezone *string `json:"timezone"`
	// MaxFilesOpen is how many files may be open at once.
	MaxFilesOpen *int `json:"max_files_open"`
	// PerFileViewWindowCharLimit is the characters of each open file in view.
	PerFileViewWindowCharLimit *int `json:"per_file_view_window_char_limit"`
	// Hidden marks an agent hidden from lists.
	Hidden *bool `json:"hidden"`
	// CreatedByID is the user that created the agent.
	CreatedByID *string `json:"created_by_id"`
	// LastUpdatedByID is the user that last updated the agent.
	LastUpdatedByID *string `json:"last_updated_by_id"`
	// CreatedAt is when the agent was created.
	CreatedAt *Timestamp `json:"created_at"`
	// UpdatedAt is when the agent was last updated.
	UpdatedAt *Timestamp `json:"updated_at"`
}

// LLMConfig is the full configuration of an agent's language model. Fields
// with a server default are values; when sending a config (deprecated),
// start from one the server returned so they keep their values.
type LLMConfig struct {
	// Model is the model name (without provider).
	Model string `json:"model"`
	// DisplayName is a human-friendly model name.
	DisplayName *string `json:"display_name"`
	// ModelEndpointType is the provider API kind ("openai", "anthropic", ...).
	ModelEndpointType string `json:"model_endpoint_type"`
	// ModelEndpoint is the provider endpoint URL.
	ModelEndpoint *string `json:"model_endpoint"`
	// ProviderName is the configured provider's name.
	ProviderName *string `json:"provider_name"`
	// ProviderCategory is base or byok.
	ProviderCategory *ProviderCategory `json:"provider_category"`
	// ModelWrapper is the prompt wrapper of local models.
	ModelWrapper *string `json:"model_wrapper"`
	// ContextWindow is the context window size in tokens.
	ContextWindow int `json:"context_window"`
	// PutInnerThoughtsInKwargs puts inner thoughts into function call arguments.
	PutInnerThoughtsInKwargs *bool `json:"put_inner_thoughts_in_kwargs"`
	// Handle is "provider/model-name".
	Handle *string `json:"handle"`
	// Temperature is the sampling temperature (server default 1).
	Temperature float64 `json:"temperature"`
	// MaxTokens caps the tokens generated; nil = the model's default.
	MaxTokens *int `json:"max_tokens"`
	// EnableReasoner enables extended thinking on reasoning models (server default true).
	EnableReasoner bool `json:"enable_reasoner"`
	// ReasoningEffort is "none", "minimal", "low", "medium", "high" or "xhigh".
	ReasoningEffort *string `json:"reasoning_effort"`
	// MaxReasoningTokens is the thinking budget.
	MaxReasoningTokens int `json:"max_reasoning_tokens"`
	// Effort is the Anthropic effort level ("low", "medium", "high", "max").
	Effort *string `json:"effort"`
	// FrequencyPenalty penalises repeated tokens.
	FrequencyPenalty *float64 `json:"frequency_penalty"`
	// CompatibilityType is "gguf" or "mlx" for local models.
	CompatibilityType *string `json:"compatibility_type"`
	// Verbosity is "low", "medium" or "high" (GPT-5 models).
	Verbosity *string `json:"verbosity"`
	// Tier is the cost tier (cloud only).
	Tier *string `json:"tier"`
	// ParallelToolCalls enables parallel tool calls.
	//
	// Deprecated: use ModelSettings.ParallelToolCalls.
	ParallelToolCalls *bool `json:"parallel_tool_calls"`
	// ResponseFormat is the model's output format.
	ResponseFormat *ResponseFormat `json:"response_format"`
	// Strict enables strict tool schemas.
	Strict bool `json:"strict"`
	// ReturnLogprobs returns log probabilities of output tokens.
	ReturnLogprobs bool `json:"return_logprobs"`
	// TopLogprobs is how many likely tokens to return per position (0-20).
	TopLogprobs *int `json:"top_logprobs"`
	// ReturnTokenIDs returns token ids (SGLang).
	ReturnTokenIDs bool `json:"return_token_ids"`
	// ToolCallParser is SGLang's tool call parser name.
	ToolCallParser *string `json:"tool_call_parser"`
}

// EmbeddingConfig is the full configuration of an embedding model. When
// sending one, the optional fields left nil (or zero) are not sent, so the
// server applies its defaults (a chunk size of 300, batches of 32) instead
// of storing null or 0; the server replaces the whole stored config.
type EmbeddingConfig struct {
	// EmbeddingEndpointType is the provider API kind ("openai", ...).
	EmbeddingEndpointType string `json:"embedding_endpoint_type"`
	// EmbeddingEndpoint is the provider endpoint URL (nil if local).
	EmbeddingEndpoint *string `json:"embedding_endpoint,omitzero"`
	// EmbeddingModel is the model name.
	EmbeddingModel string `json:"embedding_model"`
	// EmbeddingDim is the embedding dimension.
	EmbeddingDim int `json:"embedding_dim"`
	// EmbeddingChunkSize is the chunk size (server default 300).
	EmbeddingChunkSize *int `json:"embedding_chunk_size,omitzero"`
	// Handle is "provider/model-name".
	Handle *string `json:"handle,omitzero"`
	// BatchSize is the maximum batch size (server default 32).
	BatchSize int `json:"batch_size,omitzero"`
	// AzureEndpoint is the Azure endpoint.
	AzureEndpoint *string `json:"azure_endpoint,omitzero"`
	// AzureVersion is the Azure API version.
	AzureVersion *string `json:"azure_version,omitzero"`
	// AzureDeployment is the Azure deployment.
	AzureDeployment *string `json:"azure_deployment,omitzero"`
}

// Block is a memory block, as embedded in AgentState and as the blocks
// routes return it (the spec's BlockResponse has the same fields; it marks
// the template fields, ReadOnly, Hidden and PreserveOnMigration deprecated,
// while the Block inside AgentState does not, so they are not marked here).
type Block struct {
	// ID is the block id ("block-<uuid>").
	ID string `json:"id"`
	// Label names the block in the context window (e.g. "human", "persona").
	Label *string `json:"label"`
	// Value is the block's text.
	Value string `json:"value"`
	// Limit is the character limit (server default 100000).
	Limit int `json:"limit"`
	// Description describes the block to the agent.
	Description *string `json:"description"`
	// ReadOnly denies the agent write access.
	ReadOnly bool `json:"read_only"`
	// Metadata is the block's free-form metadata object.
	Metadata json.RawMessage `json:"metadata"`
	// Tags are the block's tags.
	Tags []string `json:"tags"`
	// Hidden hides the block.
	Hidden *bool `json:"hidden"`
	// ProjectID is the block's project.
	ProjectID *string `json:"project_id"`
	// IsTemplate marks a saved template block.
	IsTemplate bool `json:"is_template"`
	// TemplateName is the template's name.
	TemplateName *string `json:"template_name"`
	// TemplateID is the template's id.
	TemplateID *string `json:"template_id"`
	// BaseTemplateID is the base template's id.
	BaseTemplateID *string `json:"base_template_id"`
	// DeploymentID is the deployment's id.
	DeploymentID *string `json:"deployment_id"`
	// EntityID is the id of the entity within the template.
	EntityID *string `json:"entity_id"`
	// PreserveOnMigration keeps the block on template migration.
	PreserveOnMigration *bool `json:"preserve_on_migration"`
	// CreatedByID is the user that created the block.
	CreatedByID *string `json:"created_by_id"`
	// LastUpdatedByID is the user that last updated the block.
	LastUpdatedByID *string `json:"last_updated_by_id"`
}

// FileBlock is an open file in an agent's memory.
type FileBlock struct {
	Block
	// FileID is the file's id.
	FileID string `json:"file_id"`
	// SourceID is the folder (source) the file belongs to.
	SourceID string `json:"source_id"`
	// IsOpen says whether the file is open in the context window.
	IsOpen bool `json:"is_open"`
	// LastAccessedAt is when the agent last accessed the file.
	LastAccessedAt *Timestamp `json:"last_accessed_at"`
}

// Memory is an agent's in-context memory.
type Memory struct {
	// AgentType controls prompt rendering.
	AgentType *AgentType `json:"agent_type"`
	// GitEnabled says whether the memory is git-backed.
	GitEnabled bool `json:"git_enabled"`
	// Blocks are the memory blocks.
	Blocks []Block `json:"blocks"`
	// FileBlocks are the open files.
	FileBlocks []FileBlock `json:"file_blocks"`
	// PromptTemplate is ignored by the server.
	PromptTemplate string `json:"prompt_template"`
}

// Tool is a function an agent can call.
type Tool struct {
	// ID is the tool id ("tool-<uuid>").
	ID string `json:"id"`
	// ToolType is where the tool comes from.
	ToolType ToolType `json:"tool_type"`
	// Name is the function name.
	Name *string `json:"name"`
	// Description describes the tool to the model.
	Description *string `json:"description"`
	// SourceType is the language of SourceCode (e.g. "python").
	SourceType *string `json:"source_type"`
	// SourceCode is the function's source.
	SourceCode *string `json:"source_code"`
	// JSONSchema is the function's JSON schema object.
	JSONSchema json.RawMessage `json:"json_schema"`
	// ArgsJSONSchema is the JSON schema object of the arguments.
	ArgsJSONSchema json.RawMessage `json:"args_json_schema"`
	// Tags are the tool's tags.
	Tags []string `json:"tags"`
	// ReturnCharLimit caps the characters of the tool's result.
	ReturnCharLimit int `json:"return_char_limit"`
	// PipRequirements are the pip packages the tool needs.
	PipRequirements []PipRequirement `json:"pip_requirements"`
	// NpmRequirements are the npm packages the tool needs.
	NpmRequirements []NpmRequirement `json:"npm_requirements"`
	// DefaultRequiresApproval makes calls wait for approval by default.
	DefaultRequiresApproval *bool `json:"default_requires_approval"`
	// EnableParallelExecution lets calls run concurrently.
	EnableParallelExecution *bool `json:"enable_parallel_execution"`
	// Metadata is the tool's free-form metadata object (wire name metadata_).
	Metadata json.RawMessage `json:"metadata_"`
	// ProjectID is the tool's project.
	ProjectID *string `json:"project_id"`
	// CreatedByID is the user that created the tool.
	CreatedByID *string `json:"created_by_id"`
	// LastUpdatedByID is the user that last updated the tool.
	LastUpdatedByID *string `json:"last_updated_by_id"`
}

// PipRequirement is a pip package a tool needs.
type PipRequirement struct {
	// Name is the package name.
	Name string `json:"name"`
	// Version is the version constraint, if any.
	Version *string `json:"version"`
}

// NpmRequirement is an npm package a tool needs.
type NpmRequirement struct {
	// Name is the package name.
	Name string `json:"name"`
	// Version is the version constraint, if any.
	Version *string `json:"version"`
}

// Source is a folder of files attached to an agent (the API's older name).
type Source struct {
	// ID is the source id ("source-<uuid>").
	ID string `json:"id"`
	// Name is the source's name.
	Name string `json:"name"`
	// Description describes the source.
	Description *string `json:"description"`
	// Instructions tell the agent how to use the source.
	Instructions *string `json:"instructions"`
	// Metadata is the source's free-form metadata object.
	Metadata json.RawMessage `json:"metadata"`
	// EmbeddingConfig is the embedding model of the source's passages.
	EmbeddingConfig EmbeddingConfig `json:"embedding_config"`
	// VectorDBProvider is where the passages are stored.
	VectorDBProvider VectorDBProvider `json:"vector_db_provider"`
	// CreatedByID is the user that created the source.
	CreatedByID *string `json:"created_by_id"`
	// LastUpdatedByID is the user that last updated the source.
	LastUpdatedByID *string `json:"last_updated_by_id"`
	// CreatedAt is when the source was created.
	CreatedAt *Timestamp `json:"created_at"`
	// UpdatedAt is when the source was last updated.
	UpdatedAt *Timestamp `json:"updated_at"`
	// OrganizationID is the owning organisation (sent by the server, not in the spec).
	OrganizationID *string `json:"organization_id,omitempty"`
}

// Group is a multi-agent group.
type Group struct {
	// ID is the group id.
	ID string `json:"id"`
	// ManagerType is how the group routes turns.
	ManagerType ManagerType `json:"manager_type"`
	// AgentIDs are the member agents.
	AgentIDs []string `json:"agent_ids"`
	// Description describes the group.
	Description string `json:"description"`
	// ProjectID is the group's project.
	ProjectID *string `json:"project_id"`
	// TemplateID is the group's template.
	TemplateID *string `json:"template_id"`
	// BaseTemplateID is the group's base template.
	BaseTemplateID *string `json:"base_template_id"`
	// DeploymentID is the group's deployment.
	DeploymentID *string `json:"deployment_id"`
	// SharedBlockIDs are blocks shared by the members.
	//
	// Deprecated: the server marks it deprecated.
	SharedBlockIDs []string `json:"shared_block_ids"`
	// ManagerAgentID is the managing agent.
	ManagerAgentID *string `json:"manager_agent_id"`
	// TerminationToken ends a group conversation.
	TerminationToken *string `json:"termination_token"`
	// MaxTurns caps the turns of a conversation.
	MaxTurns *int `json:"max_turns"`
	// SleeptimeAgentFrequency is how often the sleeptime agent runs.
	SleeptimeAgentFrequency *int `json:"sleeptime_agent_frequency"`
	// TurnsCounter counts turns.
	TurnsCounter *int `json:"turns_counter"`
	// LastProcessedMessageID is the last message the group processed.
	LastProcessedMessageID *string `json:"last_processed_message_id"`
	// MaxMessageBufferLength is the voice sleeptime buffer's maximum.
	MaxMessageBufferLength *int `json:"max_message_buffer_length"`
	// MinMessageBufferLength is the voice sleeptime buffer's minimum.
	MinMessageBufferLength *int `json:"min_message_buffer_length"`
	// Hidden hides the group.
	Hidden *bool `json:"hidden"`
}

// AgentEnvironmentVariable is a secret environment variable for an agent's
// tool execution.
type AgentEnvironmentVariable struct {
	// ID is the variable's id ("agent-env-<uuid>").
	ID string `json:"id"`
	// Key is the variable name.
	Key string `json:"key"`
	// Value is the variable value.
	Value string `json:"value"`
	// Description describes the variable.
	Description *string `json:"description"`
	// ValueEnc is the encrypted value.
	ValueEnc *string `json:"value_enc"`
	// AgentID is the agent the variable belongs to.
	AgentID string `json:"agent_id"`
	// CreatedByID is the user that created the variable.
	CreatedByID *string `json:"created_by_id"`
	// LastUpdatedByID is the user that last updated the variable.
	LastUpdatedByID *string `json:"last_updated_by_id"`
	// CreatedAt is when the variable was created.
	CreatedAt *Timestamp `json:"created_at"`
	// UpdatedAt is when the variable was last updated.
	UpdatedAt *Timestamp `json:"updated_at"`
	// OrganizationID is the owning organisation (sent by the server, not in the spec).
	OrganizationID *string `json:"organization_id,omitempty"`
}

// CompactionSettings configure how an agent's context is summarised when it
// fills up. In requests, nil fields are not sent and the server's defaults
// apply.
type CompactionSettings struct {
	// Model is the handle of the summariser model; nil = the agent's model.
	Model *string `json:"model,omitzero"`
	// ModelSettings are the summariser model's settings.
	ModelSettings *ModelSettings `json:"model_settings,omitzero"`
	// Prompt is the summarisation prompt.
	Prompt *string `json:"prompt,omitzero"`
	// PromptAcknowledgement adds an acknowledgement turn after the prompt.
	PromptAcknowledgement *bool `json:"prompt_acknowledgement,omitzero"`
	// ClipChars caps the summary's characters (server default 50000).
	ClipChars *int `json:"clip_chars,omitzero"`
	// Mode is the compaction strategy (server default sliding_window).
	Mode *CompactionMode `json:"mode,omitzero"`
	// SlidingWindowPercentage is the share of messages the sliding window keeps.
	SlidingWindowPercentage *float64 `json:"sliding_window_percentage,omitzero"`
}

func (c *CompactionSettings) validate(param string) error {
	if c == nil {
		return nil
	}
	return c.ModelSettings.validate(param + ".model_settings")
}
