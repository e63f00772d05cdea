package lettatest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// agentNotFound is GET /v1/agents/{agent_id}'s text; the other agent routes
// answer the ORM's read text (readNotFound).
func agentNotFound(id string) response {
	return detailError(http.StatusNotFound, "Agent with ID "+id+" not found")
}

// badAgentName is the server's answer to a name outside ^[\w '\-]+$ on
// create: the validator raises an export error, which maps to 500.
func badAgentName(name string) response {
	return detailError(http.StatusInternalServerError, "Export failed: Agent name '"+name+"' contains invalid characters. "+
		"Only letters (any language), digits, spaces, hyphens, underscores, and apostrophes are allowed. "+
		`Please avoid filesystem-unsafe characters like: / \ : * ? " < > |`)
}

func itemsNotFound(rel string, ids []string) response {
	return detailError(http.StatusNotFound, "Items not found in "+rel+": "+pySet(ids))
}

// fkViolation is the server's 409 for a link row whose target does not
// exist: PostgreSQL's foreign key error as SQLAlchemy words it. params are
// the INSERT's values in column order.
func fkViolation(table, column, target, id, columns string, params ...string) response {
	quoted := make([]string, len(params))
	for i, p := range params {
		quoted[i] = pyStr(p)
	}
	return detailError(http.StatusConflict, fmt.Sprintf(
		"(sqlalchemy.dialects.postgresql.asyncpg.IntegrityError) <class 'asyncpg.exceptions.ForeignKeyViolationError'>: "+
			"insert or update on table \"%[1]s\" violates foreign key constraint \"%[1]s_%[2]s_fkey\"\n"+
			"DETAIL:  Key (%[2]s)=(%[3]s) is not present in table \"%[4]s\".\n"+
			"[SQL: INSERT INTO %[1]s (%[5]s) VALUES ($1::VARCHAR, $2::VARCHAR) ON CONFLICT DO NOTHING]\n"+
			"[parameters: (%[6]s)]\n(Background on this error at: https://sqlalche.me/e/20/gkpj)",
		table, column, id, target, columns, strings.Join(quoted, ", ")))
}

// checkAgentLinks verifies the ids an agent body links to, as the server
// does; agentID is the agent's (new) id, the caller holds s.mu. On create,
// unknown tool_ids are a 400, unknown identity_ids a foreign key 409 and
// unknown block_ids are dropped (the caller filters them). On PATCH, unknown
// tool_ids and identity_ids are foreign key 409s and unknown block_ids an
// unhandled error (500). Sources/folders are not modelled: any id is
// unknown, a 404.
func (s *store) checkAgentLinks(in agentInput, agentID string, create bool) *response {
	fail := func(r response) *response { return &r }
	if in.toolIDs.set {
		if miss := missingIDs(in.toolIDs.v, func(id string) bool { return s.tools[id] != nil }); len(miss) > 0 {
			if create {
				return fail(detailError(http.StatusBadRequest, "Tools not found by id:   "+pySet(miss)))
			}
			return fail(fkViolation("tools_agents", "tool_id", "tools", miss[0], "agent_id, tool_id", agentID, miss[0]))
		}
	}
	if in.folderIDs.set {
		if miss := missingIDs(in.folderIDs.v, func(string) bool { return false }); len(miss) > 0 {
			return fail(itemsNotFound("sources", miss))
		}
	}
	if in.blockIDs.set && !create {
		if miss := missingIDs(in.blockIDs.v, func(id string) bool { return s.blocks[id] != nil }); len(miss) > 0 {
			return fail(unknownError())
		}
	}
	if in.identityIDs.set {
		if miss := missingIDs(in.identityIDs.v, func(id string) bool { return s.identities[id] != nil }); len(miss) > 0 {
			return fail(fkViolation("identities_agents", "identity_id", "identities", miss[0], "identity_id, agent_id", miss[0], agentID))
		}
	}
	return nil
}

// POST /v1/agents/
func (h *Handler) createAgent(rq *request) response {
	m, errs := rq.objectBody()
	if errs != nil {
		return *rq.invalid(errs)
	}
	in, errs := parseAgentBody(m, true)
	if bad := rq.invalid(errs); bad != nil {
		return *bad
	}
	if in.name != nil && !validAgentName(*in.name) {
		return badAgentName(*in.name)
	}
	model := in.model
	if model == nil && in.llmConfig == nil {
		if h.cfg.defaultModel == "" {
			return invalidArgument("Must specify either model or llm_config in request")
		}
		model = &h.cfg.defaultModel
	}
	if model != nil {
		if _, _, good := splitHandle(*model); !good {
			return badHandle()
		}
		if unknownModel(*model) {
			return handleNotFound(*model)
		}
	}

	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.ids.newID("agent")
	if bad := s.checkAgentLinks(in, id, true); bad != nil {
		return *bad
	}
	now := s.clock.tick()
	a := &agent{
		id:          id,
		agentType:   "letta_v1_agent",
		createdAt:   now,
		updatedAt:   now,
		createdByID: rq.actor,
		updatedByID: rq.actor,
		messageIDs:  []string{},
		tags:        dedupe(in.tags.v),
		identityIDs: dedupe(in.identityIDs.v),
		timezone:    strPtr("UTC"),
	}
	if in.agentType != nil {
		a.agentType = *in.agentType
	}
	if in.name != nil {
		a.name = *in.name
	} else {
		a.name = s.randomAgentName()
	}
	a.system = defaultSystemPrompt(a.agentType)
	if in.system != nil {
		a.system = *in.system
	}

	if model != nil {
		a.llmConfig = llmConfigFromHandle(*model, in.contextWindowLimit)
	} else {
		a.llmConfig = llmConfigFromRequest(in.llmConfig)
		if in.contextWindowLimit != nil {
			a.llmConfig["context_window"] = *in.contextWindowLimit
		}
	}
	if in.maxTokens != nil {
		a.llmConfig["max_tokens"] = *in.maxTokens
	}
	if in.maxReasoningTokens != nil {
		a.llmConfig["max_reasoning_tokens"] = *in.maxReasoningTokens
	}
	if in.enableReasoner != nil {
		a.llmConfig["enable_reasoner"] = *in.enableReasoner
	}
	if in.parallelToolCalls != nil {
		a.llmConfig["parallel_tool_calls"] = *in.parallelToolCalls
	}
	if in.modelSettings != nil {
		applyModelSettings(a.llmConfig, in.modelSettings)
		a.modelSettings = in.modelSettings
	}
	switch {
	case in.embedding != nil:
		a.embeddingConfig = embeddingConfigFromHandle(*in.embedding, in.embeddingChunkSize)
	case in.embeddingConfig != nil:
		a.embeddingConfig = embeddingConfigFromRequest(in.embeddingConfig)
	}

	for _, b := range in.memoryBlocks {
		b.ID = s.ids.newID("block")
		// The server leaves the creator of memory_blocks unset.
		b.CreatedByID, b.LastUpdatedByID = nil, nil
		s.blocks[b.ID] = &block{json: b, createdAt: now}
		a.blockIDs = append(a.blockIDs, b.ID)
	}
	// Unknown block_ids are dropped on create, as upstream.
	for _, bid := range in.blockIDs.v {
		if s.blocks[bid] != nil {
			a.blockIDs = appendUnique(a.blockIDs, bid)
		}
	}

	var toolNames []string
	if in.includeBaseTools {
		toolNames = append(toolNames, baseToolNames(a.agentType)...)
	}
	if in.includeMultiAgentTools {
		toolNames = append(toolNames, multiAgentToolNames...)
	}
	// Unknown tool names are skipped, as the server looks tools up by name
	// without checking that all were found.
	for _, n := range append(toolNames, in.toolNames.v...) {
		if id, found := s.toolsByName[n]; found {
			a.toolIDs = appendUnique(a.toolIDs, id)
		}
	}
	a.toolIDs = appendUnique(a.toolIDs, in.toolIDs.v...)
	s.setSecrets(a, in.secrets, now)

	a.description = in.description
	a.metadata = in.metadata
	a.toolRules = in.toolRules
	if a.toolRules == nil {
		a.toolRules = json.RawMessage("[]")
	}
	a.compactionSettings = compactionFor(in.compaction, a.llmConfig)
	a.responseFormat = in.responseFormat
	a.projectID, a.templateID, a.baseTemplateID = in.projectID, in.templateID, in.baseTemplate
	if in.messageBufferClear != nil {
		a.messageBufferAutoclear = *in.messageBufferClear
	}
	a.enableSleeptime = in.enableSleeptime
	a.hidden = in.hidden
	if in.timezone != nil {
		a.timezone = in.timezone
	}
	cw, _ := intOf(a.llmConfig["context_window"])
	files, window := fileLimitsFor(cw)
	a.maxFilesOpen, a.perFileViewWindowCharLimit = &files, &window
	if in.maxFilesOpen != nil {
		a.maxFilesOpen = in.maxFilesOpen
	}
	if in.perFileViewWindowCharLimit != nil {
		a.perFileViewWindowCharLimit = in.perFileViewWindowCharLimit
	}

	s.agents[a.id] = a
	// The server writes the agent's initial message (the compiled system
	// prompt) before it answers, with the agent's id in message_ids; then
	// its final write moves the stored updated_at past the one answered.
	s.startHistory(a, now)
	res := ok(s.renderAgent(a, includeAll))
	a.updatedAt = s.clock.tick()
	return res
}

// badHandle is create's answer to a model handle without "/".
func badHandle() response {
	return invalidArgument("The model handle should be in the format provider/model-name")
}

// lettaModels are the models of the "letta" provider, which every server
// has. Other providers depend on the server's configuration, so lettatest
// accepts any of their model names.
var lettaModels = []string{"letta-free"}

// unknownModel reports a letta/ handle that the server does not have.
func unknownModel(handle string) bool {
	provider, name, _ := splitHandle(handle)
	return provider == "letta" && !containsStr(lettaModels, name)
}

// handleNotFound is PATCH's answer to a model handle without "/": the
// server looks it up among the provider's models and finds none.
func handleNotFound(handle string) response {
	return detailError(http.StatusNotFound, "NOT_FOUND: Handle "+handle+" not found, must be one of []")
}

// setSecrets replaces the agent's environment variables (nil map: none).
func (s *store) setSecrets(a *agent, secrets map[string]string, now time.Time) {
	a.secrets = nil
	for _, k := range sortedKeys(secrets) {
		a.secrets = append(a.secrets, envVar{id: s.ids.newID("agent-env"), key: k, value: secrets[k], createdAt: now})
	}
}

// agentFilters are the list/count filters of GET /v1/agents/ and /count.
type agentFilters struct {
	name, projectID, templateID, baseTemplateID *string
	// queryText is the query_text filter (nil: none).
	queryText                               func(name string) bool
	identityID, lastStopReason, createdByID *string
	tags, identifierKeys                    []string
	matchAllTags, showHidden                bool
}

func readAgentFilters(q query) agentFilters {
	f := agentFilters{
		name:           q.str("name"),
		projectID:      q.str("project_id"),
		templateID:     q.str("template_id"),
		baseTemplateID: q.str("base_template_id"),
		identityID:     q.str("identity_id"),
		createdByID:    q.str("created_by_id"),
		tags:           q.list("tags"),
		identifierKeys: q.list("identifier_keys"),
		matchAllTags:   q.boolean("match_all_tags", false),
		showHidden:     q.boolean("show_hidden_agents", false),
	}
	if r := q.enum("last_stop_reason", stopReasons, ""); r != "" {
		f.lastStopReason = &r
	}
	if t := q.str("query_text"); t != nil && *t != "" {
		f.queryText = likeMatcher(*t)
	}
	return f
}

// matches applies the filters; the caller holds s.mu. Empty strings are
// "not given", as in the server's truthiness checks.
func (s *store) matches(a *agent, f agentFilters) bool {
	if !f.showHidden && a.hidden != nil && *a.hidden {
		return false
	}
	eq := func(want, have *string) bool { return want == nil || *want == "" || equalPtr(want, have) }
	if !eq(f.name, &a.name) || !eq(f.projectID, a.projectID) || !eq(f.templateID, a.templateID) ||
		!eq(f.baseTemplateID, a.baseTemplateID) || !eq(f.lastStopReason, a.lastStopReason) ||
		!eq(f.createdByID, &a.createdByID) {
		return false
	}
	if f.queryText != nil && !f.queryText(a.name) {
		return false
	}
	if f.identityID != nil && *f.identityID != "" && !containsStr(a.identityIDs, *f.identityID) {
		return false
	}
	if len(f.tags) > 0 {
		hits := 0
		for _, t := range f.tags {
			if containsStr(a.tags, t) {
				hits++
			}
		}
		if hits == 0 || (f.matchAllTags && hits < len(dedupe(f.tags))) {
			return false
		}
	}
	return s.rows(a, f) > 0
}

// rows is how many rows the server's query yields for a matching agent: the
// identifier_keys filter joins the agent's identities, so an agent with two
// identities whose keys are asked for is listed (and counted) twice.
func (s *store) rows(a *agent, f agentFilters) int {
	if len(f.identifierKeys) == 0 {
		return 1
	}
	n := 0
	for _, id := range a.identityIDs {
		if it := s.identities[id]; it != nil && containsStr(f.identifierKeys, it.identifierKey) {
			n++
		}
	}
	return n
}

func agentSortKey(orderBy string) func(*agent) sortKey {
	return func(a *agent) sortKey {
		switch orderBy {
		case "updated_at":
			return sortKey{t: a.updatedAt, id: a.id}
		case "last_run_completion":
			if a.lastRunCompletion == nil {
				return sortKey{null: true, id: a.id}
			}
			t, _ := time.Parse(time.RFC3339Nano, *a.lastRunCompletion)
			return sortKey{t: t, id: a.id}
		}
		return sortKey{t: a.createdAt, id: a.id}
	}
}

func (s *store) agentCursor(orderBy string) func(string) (sortKey, bool) {
	key := agentSortKey(orderBy)
	return func(id string) (sortKey, bool) {
		a := s.agents[id]
		if a == nil {
			return sortKey{}, false
		}
		return key(a), true
	}
}

// GET /v1/agents/
func (h *Handler) listAgents(rq *request) response {
	q := newQuery(rq.query)
	f := readAgentFilters(q)
	p := readPageParams(q, []string{"created_at", "updated_at", "last_run_completion"}, pageAgents, "Agent")
	inc := readAgentInclude(q, rq.r.Header)
	q.boolean("ascending", false) // deprecated and ignored, but still validated
	if bad := rq.invalid(q.errs()); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	var items []*agent
	for _, a := range s.agents {
		if s.matches(a, f) {
			for range s.rows(a, f) {
				items = append(items, a)
			}
		}
	}
	return s.agentPage(items, p, inc)
}

// agentPage answers a list of agents: items paged as p asks (ordered by
// p.orderBy), each rendered with the relationships inc loads. The caller
// holds s.mu.
func (s *store) agentPage(items []*agent, p pageParams, inc include) response {
	page, bad := paginate(items, p, agentSortKey(p.orderBy), s.agentCursor(p.orderBy))
	if bad != nil {
		return *bad
	}
	out := make([]agentJSON, len(page))
	for i, a := range page {
		out[i] = s.renderAgent(a, inc)
	}
	return ok(out)
}

// GET /v1/agents/count
func (h *Handler) countAgents(rq *request) response {
	q := newQuery(rq.query)
	f := readAgentFilters(q)
	if bad := rq.invalid(q.errs()); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, a := range s.agents {
		if s.matches(a, f) {
			n += s.rows(a, f)
		}
	}
	return ok(n)
}

// GET /v1/agents/{agent_id}
func (h *Handler) getAgent(rq *request) response {
	id := rq.pathID("agent_id", agentIDRe, "agent")
	q := newQuery(rq.query)
	inc := readAgentInclude(q, rq.r.Header)
	if bad := rq.invalid(q.errs()); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[id]
	if a == nil {
		return agentNotFound(id)
	}
	return ok(s.renderAgent(a, inc))
}

// PATCH /v1/agents/{agent_id}: non-null fields are applied; list fields
// replace their set ([] clears); the response has every relationship loaded.
func (h *Handler) updateAgent(rq *request) response {
	id := rq.pathID("agent_id", agentIDRe, "agent")
	m, errs := rq.objectBody()
	var in agentInput
	if errs == nil {
		in, errs = parseAgentBody(m, false)
	}
	if bad := rq.invalid(errs); bad != nil {
		return *bad
	}
	// PATCH does not check the name, as upstream.
	if in.model != nil {
		if _, _, good := splitHandle(*in.model); !good || unknownModel(*in.model) {
			return handleNotFound(*in.model)
		}
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[id]
	if a == nil {
		return s.readNotFound("Agent", id, rq.actor)
	}
	if bad := s.checkAgentLinks(in, id, false); bad != nil {
		return *bad
	}
	now := s.clock.tick()
	a.updatedAt, a.updatedByID = now, rq.actor
	s.applyAgentUpdate(a, in, now)
	return ok(s.renderAgent(a, includeAll))
}

// applyAgentUpdate applies a validated UpdateAgent; the caller holds s.mu.
func (s *store) applyAgentUpdate(a *agent, in agentInput, now time.Time) {
	setStr := func(dst **string, v *string) {
		if v != nil {
			*dst = v
		}
	}
	if in.name != nil {
		a.name = *in.name
	}
	if in.system != nil {
		a.system = *in.system
	}
	setStr(&a.description, in.description)
	setStr(&a.projectID, in.projectID)
	setStr(&a.templateID, in.templateID)
	setStr(&a.baseTemplateID, in.baseTemplate)
	setStr(&a.timezone, in.timezone)
	setStr(&a.lastRunCompletion, in.lastRunCompletion)
	setStr(&a.lastStopReason, in.lastStopReason)
	if in.metadata != nil {
		a.metadata = in.metadata
	}
	if in.toolRules != nil {
		a.toolRules = in.toolRules
	}
	if in.compaction != nil {
		a.compactionSettings = in.compaction
	}
	if in.responseFormat != nil {
		a.responseFormat = in.responseFormat
	}
	if in.messageIDs.set {
		a.messageIDs = in.messageIDs.v
	}
	if in.tags.set {
		a.tags = dedupe(in.tags.v)
	}
	if in.toolIDs.set {
		a.toolIDs = dedupe(in.toolIDs.v)
	}
	if in.blockIDs.set {
		a.blockIDs = dedupe(in.blockIDs.v)
	}
	if in.identityIDs.set {
		a.identityIDs = dedupe(in.identityIDs.v)
	}
	if in.secretsSet {
		s.setSecrets(a, in.secrets, now)
	}
	if in.messageBufferClear != nil {
		a.messageBufferAutoclear = *in.messageBufferClear
	}
	for _, p := range []struct {
		dst **bool
		v   *bool
	}{
		{&a.enableSleeptime, in.enableSleeptime}, {&a.hidden, in.hidden},
	} {
		if p.v != nil {
			*p.dst = p.v
		}
	}
	for _, p := range []struct {
		dst **int64
		v   *int64
	}{
		{&a.lastRunDurationMS, in.lastRunDurationMS}, {&a.maxFilesOpen, in.maxFilesOpen},
		{&a.perFileViewWindowCharLimit, in.perFileViewWindowCharLimit},
	} {
		if p.v != nil {
			*p.dst = p.v
		}
	}

	switch {
	case in.model != nil:
		cw := in.contextWindowLimit
		if cw == nil {
			if cur, known := intOf(a.llmConfig["context_window"]); known {
				cw = &cur
			}
		}
		prevMax := a.llmConfig["max_tokens"]
		a.llmConfig = llmConfigFromHandle(*in.model, cw)
		a.llmConfig["max_tokens"] = prevMax
	case in.llmConfig != nil:
		a.llmConfig = llmConfigFromRequest(in.llmConfig)
	}
	if in.contextWindowLimit != nil {
		a.llmConfig["context_window"] = *in.contextWindowLimit
	}
	switch {
	case in.maxTokens != nil:
		a.llmConfig["max_tokens"] = *in.maxTokens
	case in.maxTokensNull:
		// The one field where an explicit null clears the value.
		a.llmConfig["max_tokens"] = nil
	}
	if in.parallelToolCalls != nil {
		a.llmConfig["parallel_tool_calls"] = *in.parallelToolCalls
	}
	if in.modelSettings != nil {
		applyModelSettings(a.llmConfig, in.modelSettings)
		a.modelSettings = in.modelSettings
	}
	switch {
	case in.embedding != nil:
		a.embeddingConfig = embeddingConfigFromHandle(*in.embedding, nil)
	case in.embeddingConfig != nil:
		a.embeddingConfig = embeddingConfigFromRequest(in.embeddingConfig)
	}
}

// DELETE /v1/agents/{agent_id}
func (h *Handler) deleteAgent(rq *request) response {
	id := rq.pathID("agent_id", agentIDRe, "agent")
	if bad := rq.invalid(); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.agents[id] == nil {
		return s.readNotFound("Agent", id, rq.actor)
	}
	s.clock.tick()
	delete(s.agents, id)
	delete(s.chats, id)
	return ok(map[string]string{"message": "Agent id=" + id + " successfully deleted"})
}

// PATCH /v1/agents/{agent_id}/identities/attach/{identity_id}
func (h *Handler) attachIdentity(rq *request) response {
	return h.linkIdentity(rq, true)
}

// PATCH /v1/agents/{agent_id}/identities/detach/{identity_id}
func (h *Handler) detachIdentity(rq *request) response {
	return h.linkIdentity(rq, false)
}

// linkIdentity attaches or detaches; both are idempotent and answer null.
// A malformed identity_id is a 400 (see identityParam).
func (h *Handler) linkIdentity(rq *request, attach bool) response {
	agentID := rq.pathID("agent_id", agentIDRe, "agent")
	if bad := rq.invalid(); bad != nil {
		return *bad
	}
	identityID, bad := rq.identityParam()
	if bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[agentID]
	if a == nil {
		return s.readNotFound("Agent", agentID, rq.actor)
	}
	if s.identities[identityID] == nil {
		return s.identityNotFound(identityID, rq.actor)
	}
	// The server writes the identity's side: the agent's updated_at stays.
	s.clock.tick()
	if attach {
		a.identityIDs = appendUnique(a.identityIDs, identityID)
	} else {
		a.identityIDs = removeStr(a.identityIDs, identityID)
	}
	return ok(nil)
}
