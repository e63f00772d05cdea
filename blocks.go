package letta

import (
	"context"
	"iter"
	"net/http"
)

// Create creates a standalone memory block and returns it. Attach it to
// agents with Agents.AttachBlock (or AgentCreateParams.BlockIDs) and to an
// identity with AttachIdentity: that is how one block is shared by all of
// a user's agents.
//
// POST /v1/blocks/. params is required (a nil params is refused before
// sending), as is its Label. The answer is the block as created, which
// later reads show slightly differently (letta 0.16.8): Tags are answered
// as sent, a repeated tag twice, but stored once; a "human" or "persona"
// block created without Description is answered with the server's default
// description, which is not stored (reads show none). Like every POST,
// Create is retried only when the server cannot have acted on it (see the
// package's retry policy), so a dropped connection is reported, not
// repeated.
func (s *BlocksService) Create(ctx context.Context, params *BlockCreateParams, opts ...RequestOption) (*Block, error) {
	if params == nil {
		return nil, errNilParams("Blocks.Create")
	}
	if err := params.validate(""); err != nil {
		return nil, withOp("Blocks.Create", err)
	}
	out := new(Block)
	if err := s.client.do(ctx, apiCall{method: http.MethodPost, path: blocksPath, body: params}, out, opts); err != nil {
		return nil, withOp("Blocks.Create", err)
	}
	return out, nil
}

// List returns one page of blocks.
//
// GET /v1/blocks/. A nil params uses the server's defaults: 50 blocks,
// oldest first (this list's default order is asc, unlike the others),
// hidden and template blocks left out (ShowHiddenBlocks, TemplatesOnly). Filters left empty are not sent; Tags,
// IdentifierKeys and ConnectedToAgentsCountEq are sent as repeated keys.
// Blocks that agents were created with are listed too (every block of the
// organisation is). Use ListAll to walk every page.
func (s *BlocksService) List(ctx context.Context, params *BlockListParams, opts ...RequestOption) ([]Block, error) {
	if err := params.validate(); err != nil {
		return nil, withOp("Blocks.List", err)
	}
	var out []Block
	if err := s.client.do(ctx, apiCall{method: http.MethodGet, path: blocksPath, query: params}, &out, opts); err != nil {
		return nil, withOp("Blocks.List", err)
	}
	return out, nil
}

// ListAll iterates over every block matching params, page by page
// (GET /v1/blocks/ with after = the last id seen; params itself is not
// modified). Limit sets the page size. A walk without concurrent changes
// makes pages + 1 requests. With params.Before set and params.After
// empty, it walks back from that block: the ones before it in
// params.Order, nearest first.
//
// It refuses (with an *InvalidParamError, before sending) the filters that
// join other tables (IdentityID, IdentifierKeys and the
// ConnectedToAgentsCount ones): with them the server sorts the blocks by
// id while its cursor still compares creation times, so the pages after
// the first skip some blocks and repeat others. Walk an identity's blocks
// with Identities.ListBlocksAll, or use List with a Limit large enough for
// one page.
//
// The server sorts by created_at then id, so blocks created together
// (an agent's blocks) page correctly. It ignores a cursor block that no
// longer exists and starts over from the top; the iterator notices (a page
// holds a block it already yielded) and skips the blocks it already
// yielded until it is back where it was, remembering a bounded window of
// recent ids as AgentsService.ListAll does. Blocks carry no creation time,
// so when every block around the walk's position was deleted it cannot
// tell where it was and yields ErrListPositionLost rather than repeat or
// skip blocks.
//
// An error is yielded once and ends the iteration; so does a cancelled
// context.
func (s *BlocksService) ListAll(ctx context.Context, params *BlockListParams, opts ...RequestOption) iter.Seq2[Block, error] {
	var p BlockListParams
	if params != nil {
		p = *params
	}
	if err := p.validate(); err != nil {
		return errSeq[Block](withOp("Blocks.ListAll", err))
	}
	if param, ok := p.sortedByID(); ok {
		return errSeq[Block](&InvalidParamError{Op: "Blocks.ListAll", Param: param,
			Reason: "the server sorts blocks by id with this filter while its cursor compares created_at, so pages would skip and repeat blocks; use List, or Identities.ListBlocksAll"})
	}
	if p.Order == "" {
		// This list's default is asc; walkBackwards needs the real
		// direction to reverse it.
		p.Order = OrderAsc
	}
	if err := walkBackwards(&p.After, &p.Before, &p.Order); err != nil {
		return errSeq[Block](withOp("Blocks.ListAll", err))
	}
	return pager[Block]{
		fetch: func(ctx context.Context, after string) ([]Block, error) {
			q := p
			q.After = after
			return s.List(ctx, &q, opts...)
		},
		id:    func(v Block) string { return v.ID },
		after: p.After,
	}.all(ctx)
}

// Count returns the number of blocks matching params.
//
// GET /v1/blocks/count. A nil params counts every block of the
// organisation, hidden and template ones included; with any filter set,
// templates count only with TemplatesOnly (hidden blocks still count).
func (s *BlocksService) Count(ctx context.Context, params *BlockCountParams, opts ...RequestOption) (int, error) {
	var n int
	if err := s.client.do(ctx, apiCall{method: http.MethodGet, path: blocksPath + "count", query: params}, &n, opts); err != nil {
		return 0, withOp("Blocks.Count", err)
	}
	return n, nil
}

// Get returns one block.
//
// GET /v1/blocks/{block_id}. 404 (ErrNotFound) when it does not exist.
func (s *BlocksService) Get(ctx context.Context, blockID string, opts ...RequestOption) (*Block, error) {
	id, err := pathID("block_id", blockID)
	if err != nil {
		return nil, withOp("Blocks.Get", err)
	}
	out := new(Block)
	if err := s.client.do(ctx, apiCall{method: http.MethodGet, path: blocksPath + id}, out, opts); err != nil {
		return nil, withOp("Blocks.Get", err)
	}
	return out, nil
}

// Update changes a block and returns it. Every agent the block is
// attached to sees the change (the server rebuilds their system prompts).
//
// PATCH /v1/blocks/{block_id}. Fields left nil are unchanged (see
// BlockUpdateParams); a nil params sends {} and changes nothing.
func (s *BlocksService) Update(ctx context.Context, blockID string, params *BlockUpdateParams, opts ...RequestOption) (*Block, error) {
	id, err := pathID("block_id", blockID)
	if err != nil {
		return nil, withOp("Blocks.Update", err)
	}
	if err := params.validate(); err != nil {
		return nil, withOp("Blocks.Update", err)
	}
	var body any = params
	if params == nil {
		body = struct{}{}
	}
	out := new(Block)
	if err := s.client.do(ctx, apiCall{method: http.MethodPatch, path: blocksPath + id, body: body}, out, opts); err != nil {
		return nil, withOp("Blocks.Update", err)
	}
	return out, nil
}

// Delete deletes a block and detaches it from its agents (the agents are
// kept).
//
// DELETE /v1/blocks/{block_id}. 404 (ErrNotFound) when it does not exist;
// a retried delete whose first attempt succeeded therefore reports
// ErrNotFound.
func (s *BlocksService) Delete(ctx context.Context, blockID string, opts ...RequestOption) error {
	id, err := pathID("block_id", blockID)
	if err != nil {
		return withOp("Blocks.Delete", err)
	}
	return withOp("Blocks.Delete", s.client.do(ctx, apiCall{method: http.MethodDelete, path: blocksPath + id}, nil, opts))
}

// ListAgents returns one page of the agents a block is attached to.
//
// GET /v1/blocks/{block_id}/agents. A nil params uses the server's
// defaults (50, newest first). Relationships (tags, blocks, tools, ...) are
// loaded only when params.Include asks for them. A block that does not
// exist answers an empty list, not 404 (letta 0.16.8; its docstring says
// 404).
func (s *BlocksService) ListAgents(ctx context.Context, blockID string, params *BlockAgentListParams, opts ...RequestOption) ([]AgentState, error) {
	id, err := pathID("block_id", blockID)
	if err != nil {
		return nil, withOp("Blocks.ListAgents", err)
	}
	if err := params.validate(); err != nil {
		return nil, withOp("Blocks.ListAgents", err)
	}
	var out []AgentState
	call := apiCall{method: http.MethodGet, path: blocksPath + id + "/agents", query: params}
	if err := s.client.do(ctx, call, &out, opts); err != nil {
		return nil, withOp("Blocks.ListAgents", err)
	}
	return out, nil
}

// ListAgentsAll iterates over every agent a block is attached to, page by
// page, like AgentsService.ListAll (GET /v1/blocks/{block_id}/agents;
// Before walks back as there). The server sorts by created_at then id and
// ignores a cursor agent that no longer exists, starting over from the
// top, so the iterator recovers as AgentsService.ListAll does, placing
// agents by created_at.
func (s *BlocksService) ListAgentsAll(ctx context.Context, blockID string, params *BlockAgentListParams, opts ...RequestOption) iter.Seq2[AgentState, error] {
	var p BlockAgentListParams
	if params != nil {
		p = *params
	}
	if _, err := pathID("block_id", blockID); err != nil {
		return errSeq[AgentState](withOp("Blocks.ListAgentsAll", err))
	}
	if err := p.validate(); err != nil {
		return errSeq[AgentState](withOp("Blocks.ListAgentsAll", err))
	}
	if err := walkBackwards(&p.After, &p.Before, &p.Order); err != nil {
		return errSeq[AgentState](withOp("Blocks.ListAgentsAll", err))
	}
	return pager[AgentState]{
		fetch: func(ctx context.Context, after string) ([]AgentState, error) {
			q := p
			q.After = after
			return s.ListAgents(ctx, blockID, &q, opts...)
		},
		id:      func(v AgentState) string { return v.ID },
		after:   p.After,
		created: agentCreatedAt(""),
		dir:     orderDir(p.Order),
	}.all(ctx)
}

// AttachIdentity attaches an identity to a block and returns the block.
// The block then belongs to that identity (Identities.ListBlocks lists it,
// BlockListParams.IdentityID finds it). Attaching one that is already
// attached is a no-op.
//
// PATCH /v1/blocks/{block_id}/identities/attach/{identity_id}, no body.
func (s *BlocksService) AttachIdentity(ctx context.Context, blockID, identityID string, opts ...RequestOption) (*Block, error) {
	return s.identityLink(ctx, "Blocks.AttachIdentity", "attach", blockID, identityID, opts)
}

// DetachIdentity detaches an identity from a block and returns the block.
//
// PATCH /v1/blocks/{block_id}/identities/detach/{identity_id}, no body.
func (s *BlocksService) DetachIdentity(ctx context.Context, blockID, identityID string, opts ...RequestOption) (*Block, error) {
	return s.identityLink(ctx, "Blocks.DetachIdentity", "detach", blockID, identityID, opts)
}

func (s *BlocksService) identityLink(ctx context.Context, op, action, blockID, identityID string, opts []RequestOption) (*Block, error) {
	bid, err := pathID("block_id", blockID)
	if err != nil {
		return nil, withOp(op, err)
	}
	iid, err := pathID("identity_id", identityID)
	if err != nil {
		return nil, withOp(op, err)
	}
	out := new(Block)
	path := blocksPath + bid + "/identities/" + action + "/" + iid
	if err := s.client.do(ctx, apiCall{method: http.MethodPatch, path: path}, out, opts); err != nil {
		return nil, withOp(op, err)
	}
	return out, nil
}
