package lettatest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// An agent's core memory: /v1/agents/{agent_id}/core-memory/blocks...
// (agent_manager upstream).

// noBlockWithLabel is the 404 of the label routes.
func noBlockWithLabel(label, agentID string) response {
	return detailError(http.StatusNotFound, fmt.Sprintf("No block with label '%s' found for agent '%s'", label, agentID))
}

// agentBlockByLabel returns the agent's first block with this label, in
// the order the agent holds them.
func (s *store) agentBlockByLabel(a *agent, label string) *block {
	for _, id := range a.blockIDs {
		if b := s.blocks[id]; b != nil && b.json.Label != nil && *b.json.Label == label {
			return b
		}
	}
	return nil
}

// labelledBlock is the agent's block with this label for the label routes,
// or their 404: the agent's, then the label's. The caller holds s.mu.
func (s *store) labelledBlock(agentID, label, actor string) (*block, *response) {
	a := s.agents[agentID]
	if a == nil {
		r := s.readNotFound("Agent", agentID, actor)
		return nil, &r
	}
	b := s.agentBlockByLabel(a, label)
	if b == nil {
		r := noBlockWithLabel(label, agentID)
		return nil, &r
	}
	return b, nil
}

// GET /v1/agents/{agent_id}/core-memory/blocks: sorted by block id (not by
// creation time) whatever order_by says, and the cursors are compared with
// the ids as strings, so a cursor need not exist. Default limit 100; limit
// 0 is no limit and a negative one reaches PostgreSQL (500).
func (h *Handler) listCoreMemoryBlocks(rq *request) response {
	agentID := rq.pathID("agent_id", agentIDRe, "agent")
	q := newQuery(rq.query)
	before, after := q.str("before"), q.str("after")
	limit := q.integer("limit", 100)
	desc := q.literal("order", []string{"asc", "desc"}, "desc") == "desc"
	q.literal("order_by", []string{"created_at"}, "created_at")
	if bad := rq.invalid(q.errs()); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[agentID]
	if a == nil {
		return s.readNotFound("Agent", agentID, rq.actor)
	}
	var items []*block
	for _, id := range a.blockIDs {
		if b := s.blocks[id]; b != nil {
			items = append(items, b)
		}
	}
	// In descending order "after" means a smaller id, "before" a larger one.
	keep := func(id string) bool {
		if after != nil && *after != "" {
			c := strings.Compare(id, *after)
			if desc && c >= 0 || !desc && c <= 0 {
				return false
			}
		}
		if before != nil && *before != "" {
			c := strings.Compare(id, *before)
			if desc && c <= 0 || !desc && c >= 0 {
				return false
			}
		}
		return true
	}
	items = slices.DeleteFunc(items, func(b *block) bool { return !keep(b.json.ID) })
	slices.SortFunc(items, func(x, y *block) int {
		c := strings.Compare(x.json.ID, y.json.ID)
		if desc {
			c = -c
		}
		return c
	})
	switch {
	case limit < 0:
		return dbError()
	case limit > 0 && int64(len(items)) > limit:
		items = items[:limit]
	}
	out := make([]blockJSON, len(items))
	for i, b := range items {
		out[i] = renderBlock(b)
	}
	return ok(out)
}

// GET /v1/agents/{agent_id}/core-memory/blocks/{block_label}
func (h *Handler) getCoreMemoryBlock(rq *request) response {
	agentID := rq.pathID("agent_id", agentIDRe, "agent")
	if bad := rq.invalid(); bad != nil {
		return *bad
	}
	label := rq.params["block_label"]
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	b, missing := s.labelledBlock(agentID, label, rq.actor)
	if missing != nil {
		return *missing
	}
	return ok(renderBlock(b))
}

// PATCH /v1/agents/{agent_id}/core-memory/blocks/{block_label}: unlike
// PATCH /v1/blocks/{block_id}, the fields are written even when unchanged,
// and non-empty tags fail: the server inserts the tag rows without their
// organization_id, which PostgreSQL refuses (a 409) after the other fields
// were saved. tags [] removes every tag.
func (h *Handler) updateCoreMemoryBlock(rq *request) response {
	agentID := rq.pathID("agent_id", agentIDRe, "agent")
	u, bad := rq.readBlockUpdate()
	if bad != nil {
		return *bad
	}
	label := rq.params["block_label"]
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	b, missing := s.labelledBlock(agentID, label, rq.actor)
	if missing != nil {
		return *missing
	}
	s.clock.tick()
	u.apply(&b.json)
	if u.tagsSet && len(u.tags) > 0 {
		return tagNotNullViolation(b.json.ID, u.tags[0], s.clock.tick())
	}
	if u.tagsSet {
		b.json.Tags = []string{}
	}
	return ok(renderBlock(b))
}

// tagNotNullViolation is PostgreSQL's refusal of a blocks_tags row without
// organization_id, as SQLAlchemy words it, up to its "[SQL:" part. The row
// shows the new row's created_at and updated_at, now() in PostgreSQL's text
// form.
func tagNotNullViolation(blockID, tag string, now time.Time) response {
	ts := now.UTC().Format("2006-01-02 15:04:05.999999") + "+00"
	return detailError(http.StatusConflict, fmt.Sprintf(
		"(sqlalchemy.dialects.postgresql.asyncpg.IntegrityError) <class 'asyncpg.exceptions.NotNullViolationError'>: "+
			"null value in column \"organization_id\" of relation \"blocks_tags\" violates not-null constraint\n"+
			"DETAIL:  Failing row contains (%s, %s, null, %s, %s, f, null, null).",
		blockID, tag, ts, ts))
}

// PATCH /v1/agents/{agent_id}/core-memory/blocks/attach/{block_id}: answers
// the agent with every relationship. Attaching an attached block changes
// nothing but the agent's updated_at (the server saves the agent either
// way, without recording who).
func (h *Handler) attachCoreMemoryBlock(rq *request) response {
	agentID := rq.pathID("agent_id", agentIDRe, "agent")
	blockID := rq.pathID("block_id", blockIDRe, "block")
	if bad := rq.invalid(); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[agentID]
	if a == nil {
		return s.readNotFound("Agent", agentID, rq.actor)
	}
	if s.blocks[blockID] == nil {
		return s.readNotFound("Block", blockID, rq.actor)
	}
	a.blockIDs = appendUnique(a.blockIDs, blockID)
	a.updatedAt = s.clock.tick()
	return ok(s.renderAgent(a, includeAll))
}

// PATCH /v1/agents/{agent_id}/core-memory/blocks/detach/{block_id}: answers
// the agent; a block that is not attached (or does not exist) is a 404.
func (h *Handler) detachCoreMemoryBlock(rq *request) response {
	agentID := rq.pathID("agent_id", agentIDRe, "agent")
	blockID := rq.pathID("block_id", blockIDRe, "block")
	if bad := rq.invalid(); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[agentID]
	if a == nil {
		return s.readNotFound("Agent", agentID, rq.actor)
	}
	if !containsStr(a.blockIDs, blockID) {
		return detailError(http.StatusNotFound, fmt.Sprintf("No block with id '%s' found for agent '%s' with actor id: '%s'",
			blockID, agentID, rq.actor))
	}
	a.blockIDs = removeStr(a.blockIDs, blockID)
	a.updatedAt, a.updatedByID = s.clock.tick(), rq.actor
	return ok(s.renderAgent(a, includeAll))
}
