package lettatest

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// The /v1/blocks routes (block_manager upstream).

var (
	blockIDRe = regexp.MustCompile(`^block-` + uuid4Pattern + `$`)
	// The query validators of the blocks list (letta/validators.py).
	blockLabelQueryRe = regexp.MustCompile(`^[a-zA-Z0-9_/-]+$`)
	blockNameQueryRe  = regexp.MustCompile(`^[a-zA-Z0-9 _-]+$`)
)

// blockNotFound is GET /v1/blocks/{block_id}'s text; the other block routes
// answer the ORM's read text (readNotFound).
func blockNotFound(id string) response {
	return detailError(http.StatusNotFound, "Block with id '"+id+"' not found")
}

// renderBlock returns a stored block's wire form, with its stored tags.
func renderBlock(b *block) blockJSON {
	out := b.json
	out.CreatedByID, out.LastUpdatedByID = nil, nil
	out.Tags = slices.Clone(b.json.Tags)
	if out.Tags == nil {
		out.Tags = []string{}
	}
	return out
}

// blockSortKey orders blocks by created_at, then id.
func blockSortKey(b *block) sortKey { return sortKey{t: b.createdAt, id: b.json.ID} }

// blockCursor resolves a block id used as a cursor, whatever the filters.
func (s *store) blockCursor(id string) (sortKey, bool) {
	b := s.blocks[id]
	if b == nil {
		return sortKey{}, false
	}
	return blockSortKey(b), true
}

// agentsOfBlock counts the agents a block is attached to.
func (s *store) agentsOfBlock(id string) int {
	n := 0
	for _, a := range s.agents {
		if containsStr(a.blockIDs, id) {
			n++
		}
	}
	return n
}

// strQuery reads an optional string query parameter with pydantic's length
// and pattern constraints (length first, as pydantic checks them).
func strQuery(q query, name string, minLen, maxLen int, re *regexp.Regexp) *string {
	s := q.str(name)
	if s == nil {
		return nil
	}
	n := len([]rune(*s))
	switch {
	case n < minLen:
		q.o.fail("string_too_short", fmt.Sprintf("String should have at least %d character%s", minLen, plural(minLen)), *s,
			map[string]any{"min_length": minLen}, name)
	case n > maxLen:
		q.o.fail("string_too_long", fmt.Sprintf("String should have at most %d character%s", maxLen, plural(maxLen)), *s,
			map[string]any{"max_length": maxLen}, name)
	case re != nil && !re.MatchString(*s):
		q.o.fail("string_pattern_mismatch", "String should match pattern '"+re.String()+"'", *s,
			map[string]any{"pattern": re.String()}, name)
	default:
		return s
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// intListQuery reads a repeated-key list of integers (nil when absent).
func intListQuery(q query, name string) []int64 {
	vals := q.list(name)
	if vals == nil {
		return nil
	}
	out := make([]int64, 0, len(vals))
	for i, v := range vals {
		if n, good := checkInt(q.o, v, name, i); good {
			out = append(out, n)
		}
	}
	return out
}

// intQuery reads an optional integer without a default (nil when absent).
func intQuery(q query, name string) *int64 {
	s := q.str(name)
	if s == nil {
		return nil
	}
	n, good := checkInt(q.o, *s, name)
	if !good {
		return nil
	}
	return &n
}

// tagFilter is the blocks' tags / match_all_tags filter: any of the tags,
// or (all) as many distinct matching tags as the list has entries, as the
// server's HAVING count(tag) = len(tags) does (a repeated tag never
// matches).
func tagFilter(tags []string, all bool) func(*block) bool {
	return func(b *block) bool {
		hits := 0
		for _, t := range b.json.Tags {
			if containsStr(tags, t) {
				hits++
			}
		}
		if all {
			return hits == len(tags)
		}
		return hits > 0
	}
}

// GET /v1/blocks/
func (h *Handler) listBlocks(rq *request) response {
	q := newQuery(rq.query)
	label := strQuery(q, "label", 1, 50, blockLabelQueryRe)
	templatesOnly := q.boolean("templates_only", false)
	name := strQuery(q, "name", 1, 100, blockNameQueryRe)
	identityID := strQuery(q, "identity_id", 45, 45, identityIDRe)
	identifierKeys := q.list("identifier_keys")
	projectID := q.str("project_id")
	tags := q.list("tags")
	matchAll := q.boolean("match_all_tags", false)
	p := readPageParams(q, []string{"created_at"}, pageAgents, "Block")
	if q.str("order") == nil {
		p.desc = false // this list's default order is asc
	}
	labelSearch := strQuery(q, "label_search", 1, 50, blockLabelQueryRe)
	descSearch := strQuery(q, "description_search", 1, 200, nil)
	valueSearch := strQuery(q, "value_search", 1, 200, nil)
	countGT, countLT := intQuery(q, "connected_to_agents_count_gt"), intQuery(q, "connected_to_agents_count_lt")
	countEq := intListQuery(q, "connected_to_agents_count_eq")
	showHidden := q.boolean("show_hidden_blocks", false)
	if bad := rq.invalid(q.errs()); bad != nil {
		return *bad
	}

	var filters []func(*block) bool
	add := func(f func(*block) bool) { filters = append(filters, f) }
	if label != nil && *label != "" {
		add(func(b *block) bool { return b.json.Label != nil && *b.json.Label == *label })
	}
	add(func(b *block) bool { return b.json.IsTemplate == templatesOnly })
	if name != nil && *name != "" {
		add(func(b *block) bool { return equalPtr(b.json.TemplateName, name) })
	}
	if projectID != nil && *projectID != "" {
		add(func(b *block) bool { return equalPtr(b.json.ProjectID, projectID) })
	}
	if labelSearch != nil && (label == nil || *label == "") {
		m := likeMatcher(*labelSearch)
		add(func(b *block) bool { return b.json.Label != nil && m(*b.json.Label) })
	}
	if descSearch != nil {
		m := likeMatcher(*descSearch)
		add(func(b *block) bool { return b.json.Description != nil && m(*b.json.Description) })
	}
	if valueSearch != nil {
		m := likeMatcher(*valueSearch)
		add(func(b *block) bool { return m(b.json.Value) })
	}
	if !showHidden {
		add(func(b *block) bool { return b.json.Hidden == nil || !*b.json.Hidden })
	}
	if len(tags) > 0 {
		add(tagFilter(tags, matchAll))
	}

	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	// The filters that join other tables make the server select DISTINCT
	// ON the block id, and so order by id, while its cursors still compare
	// (created_at, id).
	byID := false
	if countGT != nil || countLT != nil || countEq != nil {
		byID = true
		// Blocks without agents are joined only when a count filter can
		// match zero.
		outer := countLT != nil || slices.Contains(countEq, 0)
		add(func(b *block) bool {
			n := int64(s.agentsOfBlock(b.json.ID))
			if n == 0 && !outer {
				return false
			}
			return (countGT == nil || n > *countGT) && (countLT == nil || n < *countLT) &&
				(countEq == nil || slices.Contains(countEq, n))
		})
	}
	if len(identifierKeys) > 0 {
		byID = true
		add(func(b *block) bool {
			for _, it := range s.identities {
				if containsStr(identifierKeys, it.identifierKey) && containsStr(it.blockIDs, b.json.ID) {
					return true
				}
			}
			return false
		})
	}
	if identityID != nil && *identityID != "" {
		byID = true
		add(func(b *block) bool {
			it := s.identities[*identityID]
			return it != nil && containsStr(it.blockIDs, b.json.ID)
		})
	}

	var items []*block
	for _, b := range s.blocks {
		if !slices.ContainsFunc(filters, func(f func(*block) bool) bool { return !f(b) }) {
			items = append(items, b)
		}
	}
	if byID {
		slices.SortFunc(items, func(a, b *block) int {
			c := strings.Compare(a.json.ID, b.json.ID)
			if p.desc {
				c = -c
			}
			return c
		})
	} else {
		slices.SortFunc(items, func(a, b *block) int { return comparePos(blockSortKey(a), blockSortKey(b), p.desc) })
	}
	page, bad := paginatePositions(items, p, blockSortKey, s.blockCursor)
	if bad != nil {
		return *bad
	}
	out := make([]blockJSON, len(page))
	for i, b := range page {
		out[i] = renderBlock(b)
	}
	return ok(out)
}

// GET /v1/blocks/count: every block of the organisation when no filter is
// given (templates and hidden blocks included); with a filter, templates
// count only with templates_only, as in the list, but hidden blocks count.
func (h *Handler) countBlocks(rq *request) response {
	q := newQuery(rq.query)
	label := strQuery(q, "label", 1, 50, blockLabelQueryRe)
	templatesOnly := q.boolean("templates_only", false)
	name := strQuery(q, "name", 1, 100, blockNameQueryRe)
	tags := q.list("tags")
	matchAll := q.boolean("match_all_tags", false)
	projectID := q.str("project_id")
	if bad := rq.invalid(q.errs()); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	if label == nil && !templatesOnly && name == nil && tags == nil && projectID == nil {
		return ok(len(s.blocks))
	}
	hasTags := tagFilter(tags, matchAll)
	n := 0
	for _, b := range s.blocks {
		switch {
		case b.json.IsTemplate != templatesOnly,
			label != nil && *label != "" && (b.json.Label == nil || *b.json.Label != *label),
			name != nil && *name != "" && !equalPtr(b.json.TemplateName, name),
			projectID != nil && *projectID != "" && !equalPtr(b.json.ProjectID, projectID),
			len(tags) > 0 && !hasTags(b):
			continue
		}
		n++
	}
	return ok(n)
}

// POST /v1/blocks/: the answer is the block as created, which differs from
// what later reads show in two ways, as upstream: tags are echoed as sent
// (duplicates included; stored once each), and a human or persona block
// without a description shows the schema's default description (stored
// as null).
func (h *Handler) createBlock(rq *request) response {
	m, errs := rq.objectBody()
	if errs != nil {
		return *rq.invalid(errs)
	}
	o := newObj(m, "body")
	b := readCreateBlock(o)
	if bad := rq.invalid(*o.errs); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	b.ID = s.ids.newID("block")
	sent := b.Tags
	stored := b
	stored.Tags = dedupe(sent)
	s.blocks[b.ID] = &block{json: stored, createdAt: s.clock.tick()}
	out := renderBlock(s.blocks[b.ID])
	out.Tags = sent
	if d := defaultBlockDescription(*b.Label); out.Description == nil && d != "" {
		out.Description = strPtr(d)
	}
	return ok(out)
}

// blockUpdate is a parsed BlockUpdate: the fields sent and not null.
type blockUpdate struct {
	value, label, description, projectID, templateName, templateID *string
	baseTemplateID, deploymentID, entityID                         *string
	limit                                                          *int64
	isTemplate, readOnly, hidden, preserveOnMigration              *bool
	metadata                                                       []byte
	tags                                                           []string
	tagsSet                                                        bool
}

// readBlockUpdate validates a BlockUpdate body in the order of the schema's
// fields. Unknown fields are ignored (extra="ignore"); a null is "not
// sent", except for is_template and read_only, which may not be null.
func (rq *request) readBlockUpdate() (blockUpdate, *response) {
	m, errs := rq.objectBody()
	if errs != nil {
		return blockUpdate{}, rq.invalid(errs)
	}
	o := newObj(m, "body")
	var u blockUpdate
	u.value = o.optStr("value")
	u.limit = o.optInt("limit")
	u.projectID = o.optStr("project_id")
	u.templateName = o.optStr("template_name")
	if v, present := m["is_template"]; present {
		if b, good := checkBool(o, v, "is_template"); good {
			u.isTemplate = &b
		}
	}
	u.templateID = o.optStr("template_id")
	u.baseTemplateID = o.optStr("base_template_id")
	u.deploymentID = o.optStr("deployment_id")
	u.entityID = o.optStr("entity_id")
	u.preserveOnMigration = o.optBool("preserve_on_migration")
	u.label = o.optStr("label")
	if v, present := m["read_only"]; present {
		if b, good := checkBool(o, v, "read_only"); good {
			u.readOnly = &b
		}
	}
	u.description = o.optStr("description")
	if _, set := o.optObject("metadata"); set {
		u.metadata = o.optRaw("metadata")
	}
	u.hidden = o.optBool("hidden")
	u.tags, u.tagsSet = o.optStrList("tags")
	return u, rq.invalid(*o.errs)
}

// apply writes the update into b and reports whether a column changed.
func (u blockUpdate) apply(b *blockJSON) bool {
	changed := false
	setStr := func(dst **string, v *string) {
		if v != nil {
			changed = changed || !equalPtr(*dst, v)
			*dst = v
		}
	}
	setBool := func(dst **bool, v *bool) {
		if v != nil {
			changed = changed || !equalPtr(*dst, v)
			*dst = v
		}
	}
	if u.value != nil {
		changed = changed || b.Value != *u.value
		b.Value = *u.value
	}
	if u.limit != nil {
		changed = changed || b.Limit != *u.limit
		b.Limit = *u.limit
	}
	setStr(&b.ProjectID, u.projectID)
	setStr(&b.TemplateName, u.templateName)
	if u.isTemplate != nil {
		changed = changed || b.IsTemplate != *u.isTemplate
		b.IsTemplate = *u.isTemplate
	}
	setStr(&b.TemplateID, u.templateID)
	setStr(&b.BaseTemplateID, u.baseTemplateID)
	setStr(&b.DeploymentID, u.deploymentID)
	setStr(&b.EntityID, u.entityID)
	setBool(&b.PreserveOnMigration, u.preserveOnMigration)
	setStr(&b.Label, u.label)
	if u.readOnly != nil {
		changed = changed || b.ReadOnly != *u.readOnly
		b.ReadOnly = *u.readOnly
	}
	setStr(&b.Description, u.description)
	if u.metadata != nil {
		changed = changed || string(b.Metadata) != string(u.metadata)
		b.Metadata = u.metadata
	}
	setBool(&b.Hidden, u.hidden)
	return changed
}

// replaceTags is the server's replacement of a block's tag rows: rows
// still wanted keep their place, new ones are added after them in the
// order sent.
func replaceTags(cur, want []string) []string {
	out := []string{}
	for _, t := range cur {
		if containsStr(want, t) {
			out = append(out, t)
		}
	}
	return appendUnique(out, want...)
}

// PATCH /v1/blocks/{block_id}: the fields sent (not null) are set; tags,
// when sent, replace the block's tags and are answered as sent. An update
// that changes nothing answers the stored block, with its tags sorted when
// tags were sent (the server compares them sorted).
func (h *Handler) updateBlock(rq *request) response {
	id := rq.pathID("block_id", blockIDRe, "block")
	u, bad := rq.readBlockUpdate()
	if bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.blocks[id]
	if b == nil {
		return s.readNotFound("Block", id, rq.actor)
	}
	next := b.json
	scalars := u.apply(&next)
	tagsChanged := u.tagsSet && !slices.Equal(sortedCopy(u.tags), sortedCopy(b.json.Tags))
	if !scalars && !tagsChanged {
		out := renderBlock(b)
		if u.tagsSet {
			out.Tags = sortedCopy(out.Tags)
		}
		return ok(out)
	}
	s.clock.tick()
	if tagsChanged {
		next.Tags = replaceTags(b.json.Tags, u.tags)
	}
	b.json = next
	out := renderBlock(b)
	if u.tagsSet {
		out.Tags = u.tags
	}
	return ok(out)
}

func sortedCopy(l []string) []string {
	out := slices.Clone(l)
	slices.Sort(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// DELETE /v1/blocks/{block_id}: detaches the block from its agents and
// identities and answers null.
func (h *Handler) deleteBlock(rq *request) response {
	id := rq.pathID("block_id", blockIDRe, "block")
	if bad := rq.invalid(); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocks[id] == nil {
		return s.readNotFound("Block", id, rq.actor)
	}
	s.clock.tick()
	delete(s.blocks, id)
	for _, a := range s.agents {
		a.blockIDs = removeStr(a.blockIDs, id)
	}
	for _, it := range s.identities {
		it.blockIDs = removeStr(it.blockIDs, id)
	}
	return ok(nil)
}

// GET /v1/blocks/{block_id}
func (h *Handler) getBlock(rq *request) response {
	id := rq.pathID("block_id", blockIDRe, "block")
	if bad := rq.invalid(); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.blocks[id]
	if b == nil {
		return blockNotFound(id)
	}
	return ok(renderBlock(b))
}

// GET /v1/blocks/{block_id}/agents: agents paged like GET /v1/agents/
// (positions, unknown cursor ignored, limit 0 no limit). An unknown block
// has no agents: an empty list, not a 404. Relationships load only as
// include asks, whatever the client (the server passes no legacy default).
func (h *Handler) listBlockAgents(rq *request) response {
	id := rq.pathID("block_id", blockIDRe, "block")
	q := newQuery(rq.query)
	p := readPageParams(q, []string{"created_at"}, pageAgents, "Agent")
	inc := readInclude(q)
	if bad := rq.invalid(q.errs()); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	var items []*agent
	for _, a := range s.agents {
		if containsStr(a.blockIDs, id) {
			items = append(items, a)
		}
	}
	return s.agentPage(items, p, inc)
}

// PATCH /v1/blocks/{block_id}/identities/attach/{identity_id}
func (h *Handler) attachBlockIdentity(rq *request) response { return h.linkBlockIdentity(rq, true) }

// PATCH /v1/blocks/{block_id}/identities/detach/{identity_id}
func (h *Handler) detachBlockIdentity(rq *request) response { return h.linkBlockIdentity(rq, false) }

// linkBlockIdentity attaches or detaches (both idempotent) and answers the
// block. A malformed identity_id is a 400 (see identityParam); then the
// identity, then the block is read.
func (h *Handler) linkBlockIdentity(rq *request, attach bool) response {
	blockID := rq.pathID("block_id", blockIDRe, "block")
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
	it := s.identities[identityID]
	if it == nil {
		return s.identityNotFound(identityID, rq.actor)
	}
	b := s.blocks[blockID]
	if b == nil {
		return s.readNotFound("Block", blockID, rq.actor)
	}
	has := containsStr(it.blockIDs, blockID)
	switch {
	case attach && !has:
		s.clock.tick()
		it.blockIDs = append(it.blockIDs, blockID)
	case !attach && has:
		s.clock.tick()
		it.blockIDs = removeStr(it.blockIDs, blockID)
	}
	return ok(renderBlock(b))
}
