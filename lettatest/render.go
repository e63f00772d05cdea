package lettatest

import (
	"encoding/json"
)

// The wire shapes below list every key of the spec's schemas, in the spec's
// order, without omitempty: the server serializes every field, with null for
// unset optionals. They are written from the spec on purpose, independent of
// the SDK's types.

// identityJSON is Identity plus the server-only organization_id.
type identityJSON struct {
	ID             string     `json:"id"`
	IdentifierKey  string     `json:"identifier_key"`
	Name           string     `json:"name"`
	IdentityType   string     `json:"identity_type"`
	ProjectID      *string    `json:"project_id"`
	AgentIDs       []string   `json:"agent_ids"`
	BlockIDs       []string   `json:"block_ids"`
	OrganizationID *string    `json:"organization_id"`
	Properties     []property `json:"properties"`
}

// blockJSON is Block / BlockResponse (same keys).
type blockJSON struct {
	Value               string          `json:"value"`
	Limit               int64           `json:"limit"`
	ProjectID           *string         `json:"project_id"`
	TemplateName        *string         `json:"template_name"`
	IsTemplate          bool            `json:"is_template"`
	TemplateID          *string         `json:"template_id"`
	BaseTemplateID      *string         `json:"base_template_id"`
	DeploymentID        *string         `json:"deployment_id"`
	EntityID            *string         `json:"entity_id"`
	PreserveOnMigration *bool           `json:"preserve_on_migration"`
	Label               *string         `json:"label"`
	ReadOnly            bool            `json:"read_only"`
	Description         *string         `json:"description"`
	Metadata            json.RawMessage `json:"metadata"`
	Hidden              *bool           `json:"hidden"`
	ID                  string          `json:"id"`
	CreatedByID         *string         `json:"created_by_id"`
	LastUpdatedByID     *string         `json:"last_updated_by_id"`
	Tags                []string        `json:"tags"`
}

// toolJSON is Tool.
type toolJSON struct {
	ID                      string          `json:"id"`
	ToolType                string          `json:"tool_type"`
	Description             *string         `json:"description"`
	SourceType              *string         `json:"source_type"`
	Name                    *string         `json:"name"`
	Tags                    []string        `json:"tags"`
	SourceCode              *string         `json:"source_code"`
	JSONSchema              json.RawMessage `json:"json_schema"`
	ArgsJSONSchema          json.RawMessage `json:"args_json_schema"`
	ReturnCharLimit         int64           `json:"return_char_limit"`
	PipRequirements         json.RawMessage `json:"pip_requirements"`
	NpmRequirements         json.RawMessage `json:"npm_requirements"`
	DefaultRequiresApproval *bool           `json:"default_requires_approval"`
	EnableParallelExecution *bool           `json:"enable_parallel_execution"`
	CreatedByID             *string         `json:"created_by_id"`
	LastUpdatedByID         *string         `json:"last_updated_by_id"`
	Metadata                json.RawMessage `json:"metadata_"`
	ProjectID               *string         `json:"project_id"`
}

// envJSON is AgentEnvironmentVariable.
type envJSON struct {
	CreatedByID     *string `json:"created_by_id"`
	LastUpdatedByID *string `json:"last_updated_by_id"`
	CreatedAt       *string `json:"created_at"`
	UpdatedAt       *string `json:"updated_at"`
	ID              string  `json:"id"`
	Key             string  `json:"key"`
	Value           string  `json:"value"`
	Description     *string `json:"description"`
	ValueEnc        *string `json:"value_enc"`
	AgentID         string  `json:"agent_id"`
}

// memoryJSON is Memory.
type memoryJSON struct {
	AgentType      string      `json:"agent_type"`
	GitEnabled     bool        `json:"git_enabled"`
	Blocks         []blockJSON `json:"blocks"`
	FileBlocks     []any       `json:"file_blocks"`
	PromptTemplate string      `json:"prompt_template"`
}

// agentJSON is AgentState.
type agentJSON struct {
	CreatedByID                  *string         `json:"created_by_id"`
	LastUpdatedByID              *string         `json:"last_updated_by_id"`
	CreatedAt                    *string         `json:"created_at"`
	UpdatedAt                    *string         `json:"updated_at"`
	ID                           string          `json:"id"`
	Name                         string          `json:"name"`
	ToolRules                    json.RawMessage `json:"tool_rules"`
	MessageIDs                   []string        `json:"message_ids"`
	System                       string          `json:"system"`
	AgentType                    string          `json:"agent_type"`
	LLMConfig                    map[string]any  `json:"llm_config"`
	EmbeddingConfig              map[string]any  `json:"embedding_config"`
	Model                        *string         `json:"model"`
	Embedding                    *string         `json:"embedding"`
	ModelSettings                map[string]any  `json:"model_settings"`
	CompactionSettings           json.RawMessage `json:"compaction_settings"`
	ResponseFormat               json.RawMessage `json:"response_format"`
	Description                  *string         `json:"description"`
	Metadata                     json.RawMessage `json:"metadata"`
	Memory                       memoryJSON      `json:"memory"`
	Blocks                       []blockJSON     `json:"blocks"`
	Tools                        []toolJSON      `json:"tools"`
	Sources                      []any           `json:"sources"`
	Tags                         []string        `json:"tags"`
	ToolExecEnvironmentVariables []envJSON       `json:"tool_exec_environment_variables"`
	Secrets                      []envJSON       `json:"secrets"`
	ProjectID                    *string         `json:"project_id"`
	TemplateID                   *string         `json:"template_id"`
	BaseTemplateID               *string         `json:"base_template_id"`
	DeploymentID                 *string         `json:"deployment_id"`
	EntityID                     *string         `json:"entity_id"`
	IdentityIDs                  []string        `json:"identity_ids"`
	Identities                   []identityJSON  `json:"identities"`
	PendingApproval              json.RawMessage `json:"pending_approval"`
	MessageBufferAutoclear       bool            `json:"message_buffer_autoclear"`
	EnableSleeptime              *bool           `json:"enable_sleeptime"`
	MultiAgentGroup              json.RawMessage `json:"multi_agent_group"`
	ManagedGroup                 json.RawMessage `json:"managed_group"`
	LastRunCompletion            *string         `json:"last_run_completion"`
	LastRunDurationMS            *int64          `json:"last_run_duration_ms"`
	LastStopReason               *string         `json:"last_stop_reason"`
	Timezone                     *string         `json:"timezone"`
	MaxFilesOpen                 *int64          `json:"max_files_open"`
	PerFileViewWindowCharLimit   *int64          `json:"per_file_view_window_char_limit"`
	Hidden                       *bool           `json:"hidden"`
}

// healthJSON is Health.
type healthJSON struct {
	Version string `json:"version"`
	Status  string `json:"status"`
}

// renderIdentity returns the wire form of an identity. agent_ids and
// block_ids are always empty, as on the current server (letta-api.md 3.12).
func renderIdentity(it *identity) identityJSON {
	org := defaultOrgID
	props := it.properties
	if props == nil {
		props = []property{}
	}
	return identityJSON{
		ID:             it.id,
		IdentifierKey:  it.identifierKey,
		Name:           it.name,
		IdentityType:   it.identityType,
		ProjectID:      it.projectID,
		AgentIDs:       []string{},
		BlockIDs:       []string{},
		OrganizationID: &org,
		Properties:     props,
	}
}

func strPtr(s string) *string { return &s }
