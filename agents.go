package letta

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// Create creates an agent and returns it.
//
// POST /v1/agents/. A nil params sends {} (the server then needs a default
// model). The response includes the relationships set in the request
// (tags, identities, blocks, tools); the others come back empty. Like every
// POST, Create is retried only when the server cannot have acted on it (see
// the package's retry policy): a dropped connection or a 500 is reported,
// never repeated, so an agent is not created twice.
func (s *AgentsService) Create(ctx context.Context, params *AgentCreateParams, opts ...RequestOption) (*AgentState, error) {
	if err := params.validate(); err != nil {
		return nil, withOp("Agents.Create", err)
	}
	var body any = params
	if params == nil {
		body = struct{}{}
	}
	out := new(AgentState)
	if err := s.client.do(ctx, apiCall{method: http.MethodPost, path: agentsPath, body: body}, out, opts); err != nil {
		return nil, withOp("Agents.Create", err)
	}
	return out, nil
}

// List returns one page of agents.
//
// GET /v1/agents/. A nil params uses the server's defaults: 50 agents,
// newest first, no relationships loaded. Tags and IdentifierKeys are sent as
// repeated keys (tags=a&tags=b); Tags matches agents with any of the tags
// unless MatchAllTags is true. Relationship fields (Tags, Identities,
// Blocks, Tools, ...) of the returned agents are empty unless Include asks
// for them. Use ListAll to walk every page.
func (s *AgentsService) List(ctx context.Context, params *AgentListParams, opts ...RequestOption) ([]AgentState, error) {
	if err := params.validate(); err != nil {
		return nil, withOp("Agents.List", err)
	}
	var out []AgentState
	if err := s.client.do(ctx, apiCall{method: http.MethodGet, path: agentsPath, query: params}, &out, opts); err != nil {
		return nil, withOp("Agents.List", err)
	}
	return out, nil
}

// ListAll iterates over every agent matching params, page by page
// (GET /v1/agents/ with after = the last id seen; params itself is not
// modified). A walk without concurrent changes makes pages + 1 requests.
// With params.Before set and params.After empty, it walks back from that
// agent: the ones before it in params.Order, nearest first (it asks for
// those after it in the reversed order; the server answers before=X with
// the first agents of the list, not the ones next to X). That is refused
// with OrderBy last_run_completion, whose reverse is not the same list
// backwards, with an OrderBy or Order this SDK does not know (it cannot
// tell how they reverse), and an unknown Before id walks the whole list backwards (the
// server ignores unknown agent cursors). With both After and Before set, it
// walks the agents between them in params.Order: the server applies both
// cursors in the sort order on every page. It ignores a Before agent that
// no longer exists, so deleting it during the walk makes the walk go on
// past it to the end of the list.
//
// The server ignores a cursor agent that no longer exists and starts over
// from the top of the list. The iterator notices (a page holds an agent of
// its first page, one of the last ids it yielded, or, sorted by created_at,
// an agent whose created_at places it before the last one it yielded) and
// skips the agents it already yielded until it is back where it was; that
// re-reads the pages in between. It remembers the last 256 ids it yielded
// (more with pages over 64), the first page's, and O(log n) others, never
// the whole list, so its memory does not grow with the list.
//
// Sorted by created_at (the default), each agent is yielded at most once,
// in list order, and every agent that exists throughout the walk is
// yielded, as long as created_at tells apart the agents around the walk's
// position (the server's timestamps have microseconds). If the agents
// around its position were all deleted so that it cannot tell where it
// was, it yields ErrListPositionLost rather than repeat or skip agents.
// Sorted by updated_at or last_run_completion, the walk has no sort time
// to place agents by, and these guarantees do not hold: an agent that
// moves in the order while the walk runs (it was updated, or ran) can be
// missed or yielded twice, as with any cursor pagination over a changing
// order; when it reappears further on, agents ahead of it on that page can
// be skipped; and when the cursor agent is deleted and the server starts
// over, agents yielded longer ago than the window of recent ids are
// yielded again. Walk by created_at when agents change during the walk.
//
// An error is yielded once and ends the iteration; so does a cancelled
// context.
func (s *AgentsService) ListAll(ctx context.Context, params *AgentListParams, opts ...RequestOption) iter.Seq2[AgentState, error] {
	var p AgentListParams
	if params != nil {
		p = *params
	}
	if err := p.validate(); err != nil {
		return errSeq[AgentState](withOp("Agents.ListAll", err))
	}
	if p.Before != "" && p.After == "" && p.OrderBy == AgentOrderByLastRunCompletion {
		// Agents that never ran sort last in both directions, so the
		// reversed order is not this one backwards.
		return errSeq[AgentState](&InvalidParamError{Op: "Agents.ListAll", Param: "before", Value: p.Before,
			Reason: "ListAll cannot walk back with order_by=last_run_completion (agents that never ran sort last either way)"})
	}
	if p.Before != "" && p.After == "" && p.OrderBy != "" && p.OrderBy != AgentOrderByCreatedAt && p.OrderBy != AgentOrderByUpdatedAt {
		// Whether an order this SDK does not know reverses into the same
		// list backwards cannot be known.
		return errSeq[AgentState](&InvalidParamError{Op: "Agents.ListAll", Param: "order_by", Value: string(p.OrderBy),
			Reason: "ListAll walks back from Before only with order_by created_at or updated_at"})
	}
	if err := walkBackwards(&p.After, &p.Before, &p.Order); err != nil {
		return errSeq[AgentState](withOp("Agents.ListAll", err))
	}
	return pager[AgentState]{
		fetch: func(ctx context.Context, after string) ([]AgentState, error) {
			q := p
			q.After = after
			return s.List(ctx, &q, opts...)
		},
		id:      func(v AgentState) string { return v.ID },
		after:   p.After,
		created: agentCreatedAt(p.OrderBy),
		dir:     orderDir(p.Order),
	}.all(ctx)
}

// orderDir is the direction a created_at order runs: +1 for asc, -1 for
// desc and for the server's default, which is desc (letta-api.md 5).
func orderDir(o Order) int {
	if o == OrderAsc {
		return +1
	}
	return -1
}

// agentCreatedAt returns the sort time for a list ordered by orderBy, or
// nil when that order can change during a walk (updated_at and
// last_run_completion move an agent when it is updated or runs).
func agentCreatedAt(orderBy AgentOrderBy) func(AgentState) (time.Time, bool) {
	if orderBy != "" && orderBy != AgentOrderByCreatedAt {
		return nil
	}
	return func(a AgentState) (time.Time, bool) {
		if a.CreatedAt == nil || a.CreatedAt.IsZero() {
			return time.Time{}, false
		}
		return a.CreatedAt.Time, true
	}
}

// Get returns one agent.
//
// GET /v1/agents/{agent_id}. A nil params loads no relationships: Tags,
// Identities, Blocks, Tools and the like come back empty unless
// params.Include asks for them. 404 (ErrNotFound) when it does not exist.
func (s *AgentsService) Get(ctx context.Context, agentID string, params *AgentGetParams, opts ...RequestOption) (*AgentState, error) {
	id, err := pathID("agent_id", agentID)
	if err != nil {
		return nil, withOp("Agents.Get", err)
	}
	if err := params.validate(); err != nil {
		return nil, withOp("Agents.Get", err)
	}
	out := new(AgentState)
	if err := s.client.do(ctx, apiCall{method: http.MethodGet, path: agentsPath + id, query: params}, out, opts); err != nil {
		return nil, withOp("Agents.Get", err)
	}
	return out, nil
}

// Update changes an agent and returns it with all relationships loaded.
//
// PATCH /v1/agents/{agent_id}. Fields left nil are unchanged (the server
// also treats null as unchanged, so most fields cannot be cleared); a nil
// params sends {}. Sets replace: Tags, IdentityIDs, ToolIDs, BlockIDs and
// FolderIDs, when non-nil, replace the whole set and [] detaches everything;
// Metadata and Secrets replace the whole object.
func (s *AgentsService) Update(ctx context.Context, agentID string, params *AgentUpdateParams, opts ...RequestOption) (*AgentState, error) {
	id, err := pathID("agent_id", agentID)
	if err != nil {
		return nil, withOp("Agents.Update", err)
	}
	if err := params.validate(); err != nil {
		return nil, withOp("Agents.Update", err)
	}
	var body any = params
	if params == nil {
		body = struct{}{}
	}
	out := new(AgentState)
	if err := s.client.do(ctx, apiCall{method: http.MethodPatch, path: agentsPath + id, body: body}, out, opts); err != nil {
		return nil, withOp("Agents.Update", err)
	}
	return out, nil
}

// Delete deletes an agent. Its memory blocks are kept, even those created
// with it (AgentCreateParams.MemoryBlocks): delete them with Blocks.Delete
// when no other agent uses them.
//
// DELETE /v1/agents/{agent_id}. 404 (ErrNotFound) when it does not exist; a
// retried delete whose first attempt succeeded therefore reports
// ErrNotFound.
func (s *AgentsService) Delete(ctx context.Context, agentID string, opts ...RequestOption) error {
	id, err := pathID("agent_id", agentID)
	if err != nil {
		return withOp("Agents.Delete", err)
	}
	// The body ({"message": "..."}) carries nothing a caller needs.
	return withOp("Agents.Delete", s.client.do(ctx, apiCall{method: http.MethodDelete, path: agentsPath + id}, nil, opts))
}

// Count returns the number of agents matching params.
//
// GET /v1/agents/count, with the same filters as List (without paging). A
// nil params counts every agent.
func (s *AgentsService) Count(ctx context.Context, params *AgentCountParams, opts ...RequestOption) (int, error) {
	if err := params.validate(); err != nil {
		return 0, withOp("Agents.Count", err)
	}
	var n int
	if err := s.client.do(ctx, apiCall{method: http.MethodGet, path: agentsPath + "count", query: params}, &n, opts); err != nil {
		return 0, withOp("Agents.Count", err)
	}
	return n, nil
}

// AttachIdentity attaches an identity to an agent. Attaching one that is
// already attached is a no-op.
//
// PATCH /v1/agents/{agent_id}/identities/attach/{identity_id}, no body.
func (s *AgentsService) AttachIdentity(ctx context.Context, agentID, identityID string, opts ...RequestOption) error {
	return s.identityLink(ctx, "attach", agentID, identityID, opts)
}

// DetachIdentity detaches an identity from an agent. Detaching one that is
// not attached is a no-op.
//
// PATCH /v1/agents/{agent_id}/identities/detach/{identity_id}, no body.
func (s *AgentsService) DetachIdentity(ctx context.Context, agentID, identityID string, opts ...RequestOption) error {
	return s.identityLink(ctx, "detach", agentID, identityID, opts)
}

func (s *AgentsService) identityLink(ctx context.Context, action, agentID, identityID string, opts []RequestOption) error {
	aid, err := pathID("agent_id", agentID)
	if err != nil {
		return withOp("Agents.identityLink", err)
	}
	iid, err := pathID("identity_id", identityID)
	if err != nil {
		return withOp("Agents.identityLink", err)
	}
	// Current servers answer null; legacy ones the whole agent. Neither is
	// needed.
	path := agentsPath + aid + "/identities/" + action + "/" + iid
	return withOp("Agents.identityLink", s.client.do(ctx, apiCall{method: http.MethodPatch, path: path}, nil, opts))
}
