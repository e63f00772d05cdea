package bench

import (
	"encoding/json"
	"time"
)

// The impl=baseline-plain variant decodes into these structs: what a
// developer writing net/http code might declare for the same JSON. They
// have the SDK's fields and json tags, but none of its methods: time.Time
// instead of the tolerant Timestamp, and the unions (tool rules, model
// settings, response formats) as plain structs of all their variants'
// fields, with no copy of their raw JSON kept. Free-form objects are
// json.RawMessage, as in the SDK.
//
// They are not equivalent to the SDK's types, which is why the baseline
// the targets refer to decodes into the SDK's types instead: time.Time
// refuses the naive timestamps ("2025-01-02T03:04:05.123456") that
// self-hosted servers on SQLite send, so a whole page fails to decode; and
// a union variant or field the structs do not know is dropped, so an
// update that sends the rules back erases it on the server. Structs that
// keep both and still hand out typed values cost the same in any
// hand-written code: a method per value, which goccy/go-json hands a copy
// of the value's bytes, and a copy of each union's JSON (BENCHMARKS.md,
// "What the types cost").

// plainCreateProps are the properties every Create benchmark sends.
var plainCreateProps = []plainProperty{
	{Key: "plan", Value: json.RawMessage(`"pro"`), Type: "string"},
	{Key: "seats", Value: json.RawMessage(`12`), Type: "number"},
}

type plainIdentity struct {
	ID             string          `json:"id"`
	IdentifierKey  string          `json:"identifier_key"`
	Name           string          `json:"name"`
	IdentityType   string          `json:"identity_type"`
	ProjectID      *string         `json:"project_id"`
	AgentIDs       []string        `json:"agent_ids"`
	BlockIDs       []string        `json:"block_ids"`
	Properties     []plainProperty `json:"properties"`
	OrganizationID *string         `json:"organization_id,omitempty"`
}

type plainProperty struct {
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
	Type  string          `json:"type"`
}

type plainIdentityCreate struct {
	IdentifierKey string          `json:"identifier_key"`
	Name          string          `json:"name"`
	IdentityType  string          `json:"identity_type"`
	Properties    []plainProperty `json:"properties,omitempty"`
}

type plainAgent struct {
	ID                           string                `json:"id"`
	Name                         string                `json:"name"`
	System                       string                `json:"system"`
	AgentType                    string                `json:"agent_type"`
	Description                  *string               `json:"description"`
	Metadata                     json.RawMessage       `json:"metadata"`
	Model                        *string               `json:"model"`
	Embedding                    *string               `json:"embedding"`
	ModelSettings                *plainModelSettings   `json:"model_settings"`
	CompactionSettings           *plainCompaction      `json:"compaction_settings"`
	ResponseFormat               *plainResponseFormat  `json:"response_format"`
	LLMConfig                    plainLLMConfig        `json:"llm_config"`
	EmbeddingConfig              *plainEmbeddingConfig `json:"embedding_config"`
	ToolRules                    []plainToolRule       `json:"tool_rules"`
	MessageIDs                   []string              `json:"message_ids"`
	Memory                       plainMemory           `json:"memory"`
	Blocks                       []plainBlock          `json:"blocks"`
	Tools                        []plainTool           `json:"tools"`
	Sources                      []plainSource         `json:"sources"`
	Tags                         []string              `json:"tags"`
	ToolExecEnvironmentVariables []plainEnvVar         `json:"tool_exec_environment_variables"`
	Secrets                      []plainEnvVar         `json:"secrets"`
	ProjectID                    *string               `json:"project_id"`
	TemplateID                   *string               `json:"template_id"`
	BaseTemplateID               *string               `json:"base_template_id"`
	DeploymentID                 *string               `json:"deployment_id"`
	EntityID                     *string               `json:"entity_id"`
	IdentityIDs                  []string              `json:"identity_ids"`
	Identities                   []plainIdentity       `json:"identities"`
	PendingApproval              *plainApproval        `json:"pending_approval"`
	MessageBufferAutoclear       bool                  `json:"message_buffer_autoclear"`
	EnableSleeptime              *bool                 `json:"enable_sleeptime"`
	MultiAgentGroup              *plainGroup           `json:"multi_agent_group"`
	ManagedGroup                 *plainGroup           `json:"managed_group"`
	LastRunCompletion            *time.Time            `json:"last_run_completion"`
	LastRunDurationMS            *int64                `json:"last_run_duration_ms"`
	LastStopReason               *string               `json:"last_stop_reason"`
	Timezone                     *string               `json:"timezone"`
	MaxFilesOpen                 *int                  `json:"max_files_open"`
	PerFileViewWindowCharLimit   *int                  `json:"per_file_view_window_char_limit"`
	Hidden                       *bool                 `json:"hidden"`
	CreatedByID                  *string               `json:"created_by_id"`
	LastUpdatedByID              *string               `json:"last_updated_by_id"`
	CreatedAt                    *time.Time            `json:"created_at"`
	UpdatedAt                    *time.Time            `json:"updated_at"`
}

type plainLLMConfig struct {
	Model                    string               `json:"model"`
	DisplayName              *string              `json:"display_name"`
	ModelEndpointType        string               `json:"model_endpoint_type"`
	ModelEndpoint            *string              `json:"model_endpoint"`
	ProviderName             *string              `json:"provider_name"`
	ProviderCategory         *string              `json:"provider_category"`
	ModelWrapper             *string              `json:"model_wrapper"`
	ContextWindow            int                  `json:"context_window"`
	PutInnerThoughtsInKwargs *bool                `json:"put_inner_thoughts_in_kwargs"`
	Handle                   *string              `json:"handle"`
	Temperature              float64              `json:"temperature"`
	MaxTokens                *int                 `json:"max_tokens"`
	EnableReasoner           bool                 `json:"enable_reasoner"`
	ReasoningEffort          *string              `json:"reasoning_effort"`
	MaxReasoningTokens       int                  `json:"max_reasoning_tokens"`
	Effort                   *string              `json:"effort"`
	FrequencyPenalty         *float64             `json:"frequency_penalty"`
	CompatibilityType        *string              `json:"compatibility_type"`
	Verbosity                *string              `json:"verbosity"`
	Tier                     *string              `json:"tier"`
	ParallelToolCalls        *bool                `json:"parallel_tool_calls"`
	ResponseFormat           *plainResponseFormat `json:"response_format"`
	Strict                   bool                 `json:"strict"`
	ReturnLogprobs           bool                 `json:"return_logprobs"`
	TopLogprobs              *int                 `json:"top_logprobs"`
	ReturnTokenIDs           bool                 `json:"return_token_ids"`
	ToolCallParser           *string              `json:"tool_call_parser"`
}

type plainEmbeddingConfig struct {
	EmbeddingEndpointType string  `json:"embedding_endpoint_type"`
	EmbeddingEndpoint     *string `json:"embedding_endpoint"`
	EmbeddingModel        string  `json:"embedding_model"`
	EmbeddingDim          int     `json:"embedding_dim"`
	EmbeddingChunkSize    *int    `json:"embedding_chunk_size"`
	Handle                *string `json:"handle"`
	BatchSize             int     `json:"batch_size"`
	AzureEndpoint         *string `json:"azure_endpoint"`
	AzureVersion          *string `json:"azure_version"`
	AzureDeployment       *string `json:"azure_deployment"`
}

type plainModelSettings struct {
	ProviderType      string   `json:"provider_type"`
	MaxOutputTokens   *int     `json:"max_output_tokens"`
	ParallelToolCalls *bool    `json:"parallel_tool_calls"`
	Temperature       *float64 `json:"temperature"`
	Reasoning         *struct {
		ReasoningEffort string `json:"reasoning_effort"`
	} `json:"reasoning"`
	Thinking *struct {
		Type          string `json:"type"`
		BudgetTokens  *int   `json:"budget_tokens"`
		ClearThinking *bool  `json:"clear_thinking"`
	} `json:"thinking"`
	ThinkingConfig *struct {
		IncludeThoughts *bool `json:"include_thoughts"`
		ThinkingBudget  *int  `json:"thinking_budget"`
	} `json:"thinking_config"`
	ResponseFormat *plainResponseFormat `json:"response_format"`
	ResponseSchema *plainResponseFormat `json:"response_schema"`
	Strict         *bool                `json:"strict"`
	Verbosity      *string              `json:"verbosity"`
	Effort         *string              `json:"effort"`
	ToolCallParser *string              `json:"tool_call_parser"`
}

type plainResponseFormat struct {
	Type       string          `json:"type"`
	JSONSchema json.RawMessage `json:"json_schema"`
}

type plainCompaction struct {
	Model                   *string             `json:"model"`
	ModelSettings           *plainModelSettings `json:"model_settings"`
	Prompt                  *string             `json:"prompt"`
	PromptAcknowledgement   *bool               `json:"prompt_acknowledgement"`
	ClipChars               *int                `json:"clip_chars"`
	Mode                    *string             `json:"mode"`
	SlidingWindowPercentage *float64            `json:"sliding_window_percentage"`
}

type plainToolRule struct {
	Type                 string            `json:"type"`
	ToolName             string            `json:"tool_name"`
	PromptTemplate       *string           `json:"prompt_template"`
	Children             []string          `json:"children"`
	ChildArgNodes        []plainArgNode    `json:"child_arg_nodes"`
	Args                 json.RawMessage   `json:"args"`
	DefaultChild         *string           `json:"default_child"`
	ChildOutputMapping   map[string]string `json:"child_output_mapping"`
	RequireOutputMapping *bool             `json:"require_output_mapping"`
	MaxCountLimit        *int              `json:"max_count_limit"`
}

type plainArgNode struct {
	Name string          `json:"name"`
	Args json.RawMessage `json:"args"`
}

type plainMemory struct {
	AgentType      *string          `json:"agent_type"`
	GitEnabled     bool             `json:"git_enabled"`
	Blocks         []plainBlock     `json:"blocks"`
	FileBlocks     []plainFileBlock `json:"file_blocks"`
	PromptTemplate string           `json:"prompt_template"`
}

type plainBlock struct {
	ID                  string          `json:"id"`
	Label               *string         `json:"label"`
	Value               string          `json:"value"`
	Limit               int             `json:"limit"`
	Description         *string         `json:"description"`
	ReadOnly            bool            `json:"read_only"`
	Metadata            json.RawMessage `json:"metadata"`
	Tags                []string        `json:"tags"`
	Hidden              *bool           `json:"hidden"`
	ProjectID           *string         `json:"project_id"`
	IsTemplate          bool            `json:"is_template"`
	TemplateName        *string         `json:"template_name"`
	TemplateID          *string         `json:"template_id"`
	BaseTemplateID      *string         `json:"base_template_id"`
	DeploymentID        *string         `json:"deployment_id"`
	EntityID            *string         `json:"entity_id"`
	PreserveOnMigration *bool           `json:"preserve_on_migration"`
	CreatedByID         *string         `json:"created_by_id"`
	LastUpdatedByID     *string         `json:"last_updated_by_id"`
}

type plainFileBlock struct {
	plainBlock
	FileID         string     `json:"file_id"`
	SourceID       string     `json:"source_id"`
	IsOpen         bool       `json:"is_open"`
	LastAccessedAt *time.Time `json:"last_accessed_at"`
}

type plainRequirement struct {
	Name    string  `json:"name"`
	Version *string `json:"version"`
}

type plainTool struct {
	ID                      string             `json:"id"`
	ToolType                string             `json:"tool_type"`
	Name                    *string            `json:"name"`
	Description             *string            `json:"description"`
	SourceType              *string            `json:"source_type"`
	SourceCode              *string            `json:"source_code"`
	JSONSchema              json.RawMessage    `json:"json_schema"`
	ArgsJSONSchema          json.RawMessage    `json:"args_json_schema"`
	Tags                    []string           `json:"tags"`
	ReturnCharLimit         int                `json:"return_char_limit"`
	PipRequirements         []plainRequirement `json:"pip_requirements"`
	NpmRequirements         []plainRequirement `json:"npm_requirements"`
	DefaultRequiresApproval *bool              `json:"default_requires_approval"`
	EnableParallelExecution *bool              `json:"enable_parallel_execution"`
	Metadata                json.RawMessage    `json:"metadata_"`
	ProjectID               *string            `json:"project_id"`
	CreatedByID             *string            `json:"created_by_id"`
	LastUpdatedByID         *string            `json:"last_updated_by_id"`
}

type plainSource struct {
	ID               string               `json:"id"`
	Name             string               `json:"name"`
	Description      *string              `json:"description"`
	Instructions     *string              `json:"instructions"`
	Metadata         json.RawMessage      `json:"metadata"`
	EmbeddingConfig  plainEmbeddingConfig `json:"embedding_config"`
	VectorDBProvider string               `json:"vector_db_provider"`
	CreatedByID      *string              `json:"created_by_id"`
	LastUpdatedByID  *string              `json:"last_updated_by_id"`
	CreatedAt        *time.Time           `json:"created_at"`
	UpdatedAt        *time.Time           `json:"updated_at"`
	OrganizationID   *string              `json:"organization_id,omitempty"`
}

type plainGroup struct {
	ID                      string   `json:"id"`
	ManagerType             string   `json:"manager_type"`
	AgentIDs                []string `json:"agent_ids"`
	Description             string   `json:"description"`
	ProjectID               *string  `json:"project_id"`
	TemplateID              *string  `json:"template_id"`
	BaseTemplateID          *string  `json:"base_template_id"`
	DeploymentID            *string  `json:"deployment_id"`
	SharedBlockIDs          []string `json:"shared_block_ids"`
	ManagerAgentID          *string  `json:"manager_agent_id"`
	TerminationToken        *string  `json:"termination_token"`
	MaxTurns                *int     `json:"max_turns"`
	SleeptimeAgentFrequency *int     `json:"sleeptime_agent_frequency"`
	TurnsCounter            *int     `json:"turns_counter"`
	LastProcessedMessageID  *string  `json:"last_processed_message_id"`
	MaxMessageBufferLength  *int     `json:"max_message_buffer_length"`
	MinMessageBufferLength  *int     `json:"min_message_buffer_length"`
	Hidden                  *bool    `json:"hidden"`
}

type plainEnvVar struct {
	ID              string     `json:"id"`
	Key             string     `json:"key"`
	Value           string     `json:"value"`
	Description     *string    `json:"description"`
	ValueEnc        *string    `json:"value_enc"`
	AgentID         string     `json:"agent_id"`
	CreatedByID     *string    `json:"created_by_id"`
	LastUpdatedByID *string    `json:"last_updated_by_id"`
	CreatedAt       *time.Time `json:"created_at"`
	UpdatedAt       *time.Time `json:"updated_at"`
	OrganizationID  *string    `json:"organization_id,omitempty"`
}

type plainApproval struct {
	ID          string          `json:"id"`
	Date        time.Time       `json:"date"`
	MessageType string          `json:"message_type"`
	Name        *string         `json:"name"`
	Otid        *string         `json:"otid"`
	SenderID    *string         `json:"sender_id"`
	StepID      *string         `json:"step_id"`
	IsErr       *bool           `json:"is_err"`
	SeqID       *int64          `json:"seq_id"`
	RunID       *string         `json:"run_id"`
	ToolCall    json.RawMessage `json:"tool_call"`
	ToolCalls   json.RawMessage `json:"tool_calls"`
}
