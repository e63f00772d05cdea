package letta

import (
	"context"
	"iter"
	"net/http"
)

// An agent's core memory: the blocks in its context window, addressed by
// label (/v1/agents/{agent_id}/core-memory/blocks...). A block can be
// attached to several agents; editing it through one agent changes it for
// all of them.

// ListBlocks returns one page of an agent's core memory blocks.
//
// GET /v1/agents/{agent_id}/core-memory/blocks. A nil params uses the
// server's defaults: 100 blocks, in descending order of block id (the
// server sorts this list by id, not by creation time). 404 (ErrNotFound)
// when the agent does not exist.
func (s *AgentsService) ListBlocks(ctx context.Context, agentID string, params *AgentBlockListParams, opts ...RequestOption) ([]Block, error) {
	id, err := pathID("agent_id", agentID)
	if err != nil {
		return nil, withOp("Agents.ListBlocks", err)
	}
	if err := params.validate(); err != nil {
		return nil, withOp("Agents.ListBlocks", err)
	}
	var out []Block
	call := apiCall{method: http.MethodGet, path: agentsPath + id + "/core-memory/blocks", query: params}
	if err := s.client.do(ctx, call, &out, opts); err != nil {
		return nil, withOp("Agents.ListBlocks", err)
	}
	return out, nil
}

// ListBlocksAll iterates over every core memory block of an agent, page by
// page (GET /v1/agents/{agent_id}/core-memory/blocks with after = the last
// id seen; params itself is not modified). With params.Before set and
// params.After empty, it walks back from that block, nearest first. The
// server compares the cursor with block ids directly, so a cursor block
// that was detached or deleted meanwhile still marks the position: each
// block attached throughout the walk is yielded once.
func (s *AgentsService) ListBlocksAll(ctx context.Context, agentID string, params *AgentBlockListParams, opts ...RequestOption) iter.Seq2[Block, error] {
	var p AgentBlockListParams
	if params != nil {
		p = *params
	}
	if _, err := pathID("agent_id", agentID); err != nil {
		return errSeq[Block](withOp("Agents.ListBlocksAll", err))
	}
	if err := p.validate(); err != nil {
		return errSeq[Block](withOp("Agents.ListBlocksAll", err))
	}
	if err := walkBackwards(&p.After, &p.Before, &p.Order); err != nil {
		return errSeq[Block](withOp("Agents.ListBlocksAll", err))
	}
	return pager[Block]{
		fetch: func(ctx context.Context, after string) ([]Block, error) {
			q := p
			q.After = after
			return s.ListBlocks(ctx, agentID, &q, opts...)
		},
		id:    func(v Block) string { return v.ID },
		after: p.After,
	}.all(ctx)
}

// GetBlock returns the agent's core memory block with this label (e.g.
// "human" or "persona").
//
// GET /v1/agents/{agent_id}/core-memory/blocks/{block_label}. The label is
// escaped into one path segment; an empty label, "." or "..", or one with
// a "/" is refused before sending. 404 (ErrNotFound) when the agent has no
// block with that label, or the agent does not exist.
func (s *AgentsService) GetBlock(ctx context.Context, agentID, label string, opts ...RequestOption) (*Block, error) {
	path, err := coreMemoryBlockPath(agentID, label)
	if err != nil {
		return nil, withOp("Agents.GetBlock", err)
	}
	out := new(Block)
	if err := s.client.do(ctx, apiCall{method: http.MethodGet, path: path}, out, opts); err != nil {
		return nil, withOp("Agents.GetBlock", err)
	}
	return out, nil
}

// UpdateBlock changes the agent's core memory block with this label and
// returns it; the agent's system prompt is rebuilt with the new value. The
// block is the same one other agents it is attached to see, so they see
// the change too.
//
// PATCH /v1/agents/{agent_id}/core-memory/blocks/{block_label}. Fields left
// nil are unchanged (see BlockUpdateParams); a nil params sends {} and
// changes nothing. The label is checked and escaped as in GetBlock. 404
// (ErrNotFound) when the agent has no block with that label. Set tags with
// Blocks.Update: here, non-empty Tags fail on letta 0.16.8 with a 409
// (ErrConflict) after the other fields were saved (the server writes the
// tag rows without their organization); Tags [] works and removes them.
func (s *AgentsService) UpdateBlock(ctx context.Context, agentID, label string, params *BlockUpdateParams, opts ...RequestOption) (*Block, error) {
	path, err := coreMemoryBlockPath(agentID, label)
	if err != nil {
		return nil, withOp("Agents.UpdateBlock", err)
	}
	if err := params.validate(); err != nil {
		return nil, withOp("Agents.UpdateBlock", err)
	}
	var body any = params
	if params == nil {
		body = struct{}{}
	}
	out := new(Block)
	if err := s.client.do(ctx, apiCall{method: http.MethodPatch, path: path, body: body}, out, opts); err != nil {
		return nil, withOp("Agents.UpdateBlock", err)
	}
	return out, nil
}

// AttachBlock attaches an existing block (Blocks.Create) to the agent's
// core memory and returns the agent.
//
// PATCH /v1/agents/{agent_id}/core-memory/blocks/attach/{block_id}, no
// body. Attaching a block that is already attached is a no-op. 404
// (ErrNotFound) when the agent or the block does not exist.
func (s *AgentsService) AttachBlock(ctx context.Context, agentID, blockID string, opts ...RequestOption) (*AgentState, error) {
	return s.blockLink(ctx, "Agents.AttachBlock", "attach", agentID, blockID, opts)
}

// DetachBlock detaches a block from the agent's core memory (the block
// itself is kept) and returns the agent.
//
// PATCH /v1/agents/{agent_id}/core-memory/blocks/detach/{block_id}, no
// body. 404 (ErrNotFound) when the agent does not exist.
func (s *AgentsService) DetachBlock(ctx context.Context, agentID, blockID string, opts ...RequestOption) (*AgentState, error) {
	return s.blockLink(ctx, "Agents.DetachBlock", "detach", agentID, blockID, opts)
}

func (s *AgentsService) blockLink(ctx context.Context, op, action, agentID, blockID string, opts []RequestOption) (*AgentState, error) {
	aid, err := pathID("agent_id", agentID)
	if err != nil {
		return nil, withOp(op, err)
	}
	bid, err := pathID("block_id", blockID)
	if err != nil {
		return nil, withOp(op, err)
	}
	out := new(AgentState)
	path := agentsPath + aid + "/core-memory/blocks/" + action + "/" + bid
	if err := s.client.do(ctx, apiCall{method: http.MethodPatch, path: path}, out, opts); err != nil {
		return nil, withOp(op, err)
	}
	return out, nil
}

// coreMemoryBlockPath is the path of an agent's block by label. A label is
// escaped into one segment like an id: "attach" or "detach" then stay the
// label route (one segment after blocks/), never the attach route (two).
func coreMemoryBlockPath(agentID, label string) (string, error) {
	aid, err := pathID("agent_id", agentID)
	if err != nil {
		return "", err
	}
	l, err := pathID("block_label", label)
	if err != nil {
		return "", err
	}
	return agentsPath + aid + "/core-memory/blocks/" + l, nil
}
