package lettatest

import (
	"net/http"
	"strings"
)

var agentIncludeValues = []string{"agent.blocks", "agent.identities", "agent.managed_group",
	"agent.pending_approval", "agent.secrets", "agent.sources", "agent.tags", "agent.tools"}

// include says which AgentState relationships are loaded; the others are
// rendered empty (letta-api.md 4.3).
type include struct {
	blocks, identities, secrets, sources, tags, tools bool
}

var includeAll = include{blocks: true, identities: true, secrets: true, sources: true, tags: true, tools: true}

// readInclude parses the include=agent.* list.
func readInclude(q query) include {
	var inc include
	for _, v := range q.literalList("include", agentIncludeValues) {
		inc.add(v)
	}
	return inc
}

func (inc *include) add(v string) {
	switch strings.TrimPrefix(v, "agent.") {
	case "blocks", "memory":
		inc.blocks = true
	case "identities", "identity_ids":
		inc.identities = true
	case "secrets", "tool_exec_environment_variables":
		inc.secrets = true
	case "sources":
		inc.sources = true
	case "tags":
		inc.tags = true
	case "tools":
		inc.tools = true
	}
}

// readAgentInclude decides relationship loading for GET /v1/agents/ and
// GET /v1/agents/{id}: the deprecated include_relationships wins when sent;
// otherwise a legacy client gets everything and a current (1.x) client only
// what include asks for.
func readAgentInclude(q query, hdr http.Header) include {
	inc := readInclude(q)
	if rels, sent := q.v["include_relationships"]; sent {
		for _, r := range rels {
			inc.add(r)
		}
		return inc
	}
	if !isCurrentClient(hdr) {
		return includeAll
	}
	return inc
}

// isCurrentClient is the server's is_1_0_sdk_version heuristic.
func isCurrentClient(hdr http.Header) bool {
	if hdr.Get("X-Stainless-Package-Version") != "" {
		return true
	}
	ua := hdr.Get("User-Agent")
	if ua == "" {
		return true
	}
	if strings.HasPrefix(ua, "letta-client/1.") || strings.HasPrefix(ua, "@letta-ai/letta-client/1.") {
		return true
	}
	return !strings.Contains(ua, "/")
}

// renderAgent returns the AgentState wire form; the caller holds s.mu.
func (s *store) renderAgent(a *agent, inc include) agentJSON {
	created, updated := formatTime(a.createdAt), formatTime(a.updatedAt)
	out := agentJSON{
		CreatedByID:                  strPtr(a.createdByID),
		LastUpdatedByID:              strPtr(a.updatedByID),
		CreatedAt:                    &created,
		UpdatedAt:                    &updated,
		ID:                           a.id,
		Name:                         a.name,
		ToolRules:                    a.toolRules,
		MessageIDs:                   a.messageIDs,
		System:                       a.system,
		AgentType:                    a.agentType,
		LLMConfig:                    a.llmConfig,
		EmbeddingConfig:              a.embeddingConfig,
		Model:                        handleOf(a.llmConfig, "model_endpoint_type", "model"),
		Embedding:                    handleOf(a.embeddingConfig, "embedding_endpoint_type", "embedding_model"),
		ModelSettings:                modelSettingsFor(a.llmConfig, a.modelSettings),
		CompactionSettings:           a.compactionSettings,
		ResponseFormat:               a.responseFormat,
		Description:                  a.description,
		Metadata:                     a.metadata,
		Blocks:                       []blockJSON{},
		Tools:                        []toolJSON{},
		Sources:                      []any{},
		Tags:                         []string{},
		ToolExecEnvironmentVariables: []envJSON{},
		Secrets:                      []envJSON{},
		ProjectID:                    a.projectID,
		TemplateID:                   a.templateID,
		BaseTemplateID:               a.baseTemplateID,
		DeploymentID:                 a.deploymentID,
		EntityID:                     a.entityID,
		IdentityIDs:                  []string{},
		Identities:                   []identityJSON{},
		PendingApproval:              nil,
		MessageBufferAutoclear:       a.messageBufferAutoclear,
		EnableSleeptime:              a.enableSleeptime,
		LastRunCompletion:            a.lastRunCompletion,
		LastRunDurationMS:            a.lastRunDurationMS,
		LastStopReason:               a.lastStopReason,
		Timezone:                     a.timezone,
		MaxFilesOpen:                 a.maxFilesOpen,
		PerFileViewWindowCharLimit:   a.perFileViewWindowCharLimit,
		Hidden:                       a.hidden,
	}
	if inc.blocks {
		for _, id := range a.blockIDs {
			if b := s.blocks[id]; b != nil {
				// An agent's blocks are loaded without their tags.
				bj := renderBlock(b)
				bj.Tags = []string{}
				out.Blocks = append(out.Blocks, bj)
			}
		}
	}
	out.Memory = memoryJSON{AgentType: a.agentType, Blocks: out.Blocks, FileBlocks: []any{}}
	if inc.tools {
		for _, id := range a.toolIDs {
			if t := s.tools[id]; t != nil {
				out.Tools = append(out.Tools, t.json)
			}
		}
	}
	// Tags also load with the blocks: the server reads them for memory's
	// git_enabled.
	if inc.tags || inc.blocks {
		out.Tags = append(out.Tags, a.tags...)
	}
	if inc.identities {
		for _, id := range a.identityIDs {
			if it := s.identities[id]; it != nil {
				out.IdentityIDs = append(out.IdentityIDs, id)
				out.Identities = append(out.Identities, renderIdentity(it))
			}
		}
	}
	if inc.secrets {
		for _, e := range a.secrets {
			ts := formatTime(e.createdAt)
			ej := envJSON{
				CreatedByID: strPtr(a.createdByID), LastUpdatedByID: strPtr(a.updatedByID),
				CreatedAt: &ts, UpdatedAt: &ts, ID: e.id, Key: e.key, Value: e.value, AgentID: a.id,
			}
			out.Secrets = append(out.Secrets, ej)
			out.ToolExecEnvironmentVariables = append(out.ToolExecEnvironmentVariables, ej)
		}
	}
	return out
}
