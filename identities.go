package letta

import (
	"context"
	"iter"
	"net/http"
)

// The Letta server marks every /v1/identities route deprecated (and the
// official SDKs dropped them) but still serves them; they are the only way to
// manage identities. The methods below document where the server's
// behaviour differs from what the names suggest.

// Create creates an identity.
//
// POST /v1/identities/. params is required (a nil params is refused before
// sending), as are its IdentifierKey, Name and IdentityType. The server
// answers 409 (ErrConflict) when the identifier key is already used in the
// project; that 409 is final and is not retried. Like every POST, Create is
// retried only when the server cannot have acted on it (see the package's
// retry policy), so a dropped connection is reported, not repeated.
func (s *IdentitiesService) Create(ctx context.Context, params *IdentityCreateParams, opts ...RequestOption) (*Identity, error) {
	if err := params.validate(); err != nil {
		return nil, withOp("Identities.Create", err)
	}
	out := new(Identity)
	if err := s.client.do(ctx, apiCall{method: http.MethodPost, path: identitiesPath, body: params}, out, opts); err != nil {
		return nil, withOp("Identities.Create", err)
	}
	return out, nil
}

// List returns one page of identities.
//
// GET /v1/identities/. A nil params uses the server's defaults: 50 items,
// newest first. Filters left empty are not sent. An After or Before id that
// does not exist answers 404. Use ListAll to walk every page.
func (s *IdentitiesService) List(ctx context.Context, params *IdentityListParams, opts ...RequestOption) ([]Identity, error) {
	if err := params.validate(); err != nil {
		return nil, withOp("Identities.List", err)
	}
	var out []Identity
	if err := s.client.do(ctx, apiCall{method: http.MethodGet, path: identitiesPath, query: params}, &out, opts); err != nil {
		return nil, withOp("Identities.List", err)
	}
	return out, nil
}

// ListAll iterates over every identity matching params, page by page
// (GET /v1/identities/ with after = the last id seen; params itself is not
// modified). Limit sets the page size. A walk without concurrent changes
// makes pages + 1 requests (the last one gets the empty page that ends the
// list).
//
// With params.Before set and params.After empty, it walks back from that
// identity: the ones before it in params.Order, nearest first. (It asks for
// those after it in the reversed order: the server answers before=X with
// the first identities of the list, not the ones next to X.)
//
// With both set, it walks the identities between After and Before in
// params.Order. The server reads the two together as creation-time bounds
// and answers a window larger than the limit with a slice from its middle,
// so the walk asks for the window only to learn whether less than a page
// of it is left, and otherwise reads the page after its cursor without the
// bound: up to two requests a page. An After that does not come before
// Before in params.Order is the server's 400 (ErrBadRequest); a deleted
// Before ends the walk with ErrNotFound.
//
// What it guarantees when identities are deleted during the walk: each
// identity is yielded at most once, in list order, and every identity that
// exists from the start of the walk to its end is yielded. When the cursor
// identity is deleted (the server then answers 404), the walk resumes from
// an earlier identity (the rest of the last page, then earlier ones at
// doubling distances, then the start) and skips what it already yielded,
// which it recognises by a 64-bit hash of each id it yielded. So a loop
// that deletes each identity it receives gets every identity once, and
// the walk never yields ErrListPositionLost. (Two ids sharing a hash would
// make it skip an identity: the chance is about n²/2^65 for n identities.)
//
// Memory: besides one page and a few hundred recent ids, 8 to 12 bytes per
// identity yielded (~80-120 KB per 10,000). Identities created during the walk
// may or may not be yielded, and when deletions made the walk resume from
// its start, those it yields can come out of list order (identities carry
// no creation time to place them by). If the caller's After (or Before)
// identity is deleted too, resuming from the start is impossible and the
// walk ends with ErrNotFound.
//
// An error is yielded once and ends the iteration; so does a cancelled
// context:
//
//	for id, err := range client.Identities.ListAll(ctx, nil) {
//		if err != nil {
//			return withOp("Identities.List", err)
//		}
//		fmt.Println(id.IdentifierKey)
//	}
func (s *IdentitiesService) ListAll(ctx context.Context, params *IdentityListParams, opts ...RequestOption) iter.Seq2[Identity, error] {
	var p IdentityListParams
	if params != nil {
		p = *params
	}
	if err := p.validate(); err != nil {
		return errSeq[Identity](withOp("Identities.ListAll", err))
	}
	if err := walkBackwards(&p.After, &p.Before, &p.Order); err != nil {
		return errSeq[Identity](withOp("Identities.ListAll", err))
	}
	id := func(v Identity) string { return v.ID }
	return pager[Identity]{
		fetch: boundedFetch(p.Before, p.Order, p.Limit, id, func(ctx context.Context, after, before string) ([]Identity, error) {
			q := p
			q.After, q.Before = after, before
			return s.List(ctx, &q, opts...)
		}),
		id:                   id,
		after:                p.After,
		recoverMissingCursor: true,
	}.all(ctx)
}

// Get returns one identity.
//
// GET /v1/identities/{identity_id}. 404 (ErrNotFound) when it does not exist
// or belongs to another organisation; 422 (ErrUnprocessable) when id is not
// of the form identity-<uuid4>.
func (s *IdentitiesService) Get(ctx context.Context, identityID string, opts ...RequestOption) (*Identity, error) {
	id, err := pathID("identity_id", identityID)
	if err != nil {
		return nil, withOp("Identities.Get", err)
	}
	out := new(Identity)
	if err := s.client.do(ctx, apiCall{method: http.MethodGet, path: identitiesPath + id}, out, opts); err != nil {
		return nil, withOp("Identities.Get", err)
	}
	return out, nil
}

// GetByKey returns the identity whose identifier_key is identifierKey (your
// own id for the user), e.g. after Create answered ErrConflict:
//
//	id, err := client.Identities.Create(ctx, params)
//	if errors.Is(err, letta.ErrConflict) {
//		id, err = client.Identities.GetByKey(ctx, params.IdentifierKey)
//	}
//
// GET /v1/identities/?identifier_key=KEY&limit=2. When no identity has the
// key it returns a *NotFoundError, which matches ErrNotFound. Keys are
// unique per project: with identities of several projects sharing the key
// (visible when the client sends no project), it returns an
// *InvalidParamError rather than pick one; scope the client with
// WithProjectID, or use List with IdentifierKey. An empty key is refused
// before sending.
func (s *IdentitiesService) GetByKey(ctx context.Context, identifierKey string, opts ...RequestOption) (*Identity, error) {
	if identifierKey == "" {
		return nil, &InvalidParamError{Op: "Identities.GetByKey", Param: "identifier_key", Reason: "must not be empty"}
	}
	var out []Identity
	q := &IdentityListParams{IdentifierKey: identifierKey, Limit: 2}
	if err := s.client.do(ctx, apiCall{method: http.MethodGet, path: identitiesPath, query: q}, &out, opts); err != nil {
		return nil, withOp("Identities.GetByKey", err)
	}
	switch len(out) {
	case 0:
		return nil, &NotFoundError{Op: "Identities.GetByKey", Resource: "identity", Param: "identifier_key", Value: identifierKey}
	case 1:
		return &out[0], nil
	}
	return nil, &InvalidParamError{Op: "Identities.GetByKey", Param: "identifier_key", Value: identifierKey,
		Reason: "several identities (in different projects) have this key; scope the client with WithProjectID or use List"}
}

// Update changes an identity and returns it.
//
// PATCH /v1/identities/{identity_id}. Fields left nil are unchanged; a nil
// params sends {} and changes nothing. The server merges: Properties are
// merged by key, and AgentIDs / BlockIDs are appended to what is attached
// ([] is a no-op; nothing can be removed here). To replace lists use Upsert
// or UpsertProperties.
func (s *IdentitiesService) Update(ctx context.Context, identityID string, params *IdentityUpdateParams, opts ...RequestOption) (*Identity, error) {
	id, err := pathID("identity_id", identityID)
	if err != nil {
		return nil, withOp("Identities.Update", err)
	}
	if err := params.validate(); err != nil {
		return nil, withOp("Identities.Update", err)
	}
	var body any = params
	if params == nil {
		body = struct{}{}
	}
	out := new(Identity)
	if err := s.client.do(ctx, apiCall{method: http.MethodPatch, path: identitiesPath + id, body: body}, out, opts); err != nil {
		return nil, withOp("Identities.Update", err)
	}
	return out, nil
}

// Upsert replaces the identity with params.IdentifierKey (and ProjectID).
//
// PUT /v1/identities/. params is required. For an existing identity the
// server replaces: Name and IdentityType are overwritten, and Properties and
// AgentIDs, when non-nil, replace the whole list ([] clears it); BlockIDs is
// ignored. The API describes PUT as create-or-update, but the open-source
// server (0.16.8, verified) answers a key it does not have with 404
// (ErrNotFound) and creates nothing: its lookup raises before the create
// branch. Create the identity with Create, e.g. on ErrNotFound.
func (s *IdentitiesService) Upsert(ctx context.Context, params *IdentityUpsertParams, opts ...RequestOption) (*Identity, error) {
	if err := params.validate(); err != nil {
		return nil, withOp("Identities.Upsert", err)
	}
	out := new(Identity)
	if err := s.client.do(ctx, apiCall{method: http.MethodPut, path: identitiesPath, body: params}, out, opts); err != nil {
		return nil, withOp("Identities.Upsert", err)
	}
	return out, nil
}

// Delete deletes an identity and detaches it from its agents and blocks
// (the agents themselves are kept).
//
// DELETE /v1/identities/{identity_id}. 404 (ErrNotFound) when it does not
// exist; a retried delete whose first attempt succeeded therefore reports
// ErrNotFound.
func (s *IdentitiesService) Delete(ctx context.Context, identityID string, opts ...RequestOption) error {
	id, err := pathID("identity_id", identityID)
	if err != nil {
		return withOp("Identities.Delete", err)
	}
	return withOp("Identities.Delete", s.client.do(ctx, apiCall{method: http.MethodDelete, path: identitiesPath + id}, nil, opts))
}

// Count returns the number of identities in the organisation.
//
// GET /v1/identities/count. The server takes no filters here.
func (s *IdentitiesService) Count(ctx context.Context, opts ...RequestOption) (int, error) {
	var n int
	if err := s.client.do(ctx, apiCall{method: http.MethodGet, path: identitiesPath + "count"}, &n, opts); err != nil {
		return 0, withOp("Identities.Count", err)
	}
	return n, nil
}

// UpsertProperties replaces the identity's whole property list with
// properties and returns the identity.
//
// PUT /v1/identities/{identity_id}/properties. Despite its name the server
// does not merge: keys not in properties are removed, and nil or empty
// properties clears the list (it is sent as []). Use Update to merge by key.
func (s *IdentitiesService) UpsertProperties(ctx context.Context, identityID string, properties []IdentityProperty, opts ...RequestOption) (*Identity, error) {
	id, err := pathID("identity_id", identityID)
	if err != nil {
		return nil, withOp("Identities.UpsertProperties", err)
	}
	if err := validateProperties("properties", properties); err != nil {
		return nil, withOp("Identities.UpsertProperties", err)
	}
	if properties == nil {
		properties = []IdentityProperty{}
	}
	out := new(Identity)
	call := apiCall{method: http.MethodPut, path: identitiesPath + id + "/properties", body: properties}
	if err := s.client.do(ctx, call, out, opts); err != nil {
		return nil, withOp("Identities.UpsertProperties", err)
	}
	return out, nil
}

// ListAgents returns one page of the agents attached to an identity.
//
// GET /v1/identities/{identity_id}/agents. A nil params uses the server's
// defaults (50, newest first). Relationships (tags, blocks, tools, ...) are
// loaded only when params.Include asks for them. 404 when the identity does
// not exist. The non-deprecated equivalent is Agents.List with IdentityID.
func (s *IdentitiesService) ListAgents(ctx context.Context, identityID string, params *IdentityAgentListParams, opts ...RequestOption) ([]AgentState, error) {
	id, err := pathID("identity_id", identityID)
	if err != nil {
		return nil, withOp("Identities.ListAgents", err)
	}
	if err := params.validate(); err != nil {
		return nil, withOp("Identities.ListAgents", err)
	}
	var out []AgentState
	call := apiCall{method: http.MethodGet, path: identitiesPath + id + "/agents", query: params}
	if err := s.client.do(ctx, call, &out, opts); err != nil {
		return nil, withOp("Identities.ListAgents", err)
	}
	return out, nil
}

// ListAgentsAll iterates over every agent attached to an identity, page by
// page, like ListAll (GET /v1/identities/{identity_id}/agents; Before walks
// back, and After with Before walks the window between them, as there). This list
// answers 404 for a cursor agent that no longer exists, as the identities
// list does (unlike GET /v1/agents/, which starts over), so it recovers as
// ListAll does: a loop that deletes each agent it receives gets every agent
// once, never ErrListPositionLost, for 8 to 12 bytes per agent yielded.
func (s *IdentitiesService) ListAgentsAll(ctx context.Context, identityID string, params *IdentityAgentListParams, opts ...RequestOption) iter.Seq2[AgentState, error] {
	var p IdentityAgentListParams
	if params != nil {
		p = *params
	}
	if _, err := pathID("identity_id", identityID); err != nil {
		return errSeq[AgentState](withOp("Identities.ListAgentsAll", err))
	}
	if err := p.validate(); err != nil {
		return errSeq[AgentState](withOp("Identities.ListAgentsAll", err))
	}
	if err := walkBackwards(&p.After, &p.Before, &p.Order); err != nil {
		return errSeq[AgentState](withOp("Identities.ListAgentsAll", err))
	}
	id := func(v AgentState) string { return v.ID }
	return pager[AgentState]{
		fetch: boundedFetch(p.Before, p.Order, p.Limit, id, func(ctx context.Context, after, before string) ([]AgentState, error) {
			q := p
			q.After, q.Before = after, before
			return s.ListAgents(ctx, identityID, &q, opts...)
		}),
		id:    id,
		after: p.After,
		// The server's generic list helper raises NoResultFound (404) for
		// an unknown cursor here, unlike list_agents.
		recoverMissingCursor: true,
	}.all(ctx)
}

// ListBlocks returns one page of the blocks attached to an identity.
//
// GET /v1/identities/{identity_id}/blocks. A nil params uses the server's
// defaults (50, newest first). 404 when the identity does not exist. An
// After cursor in descending order mis-orders blocks created together (see
// ListBlocksAll).
func (s *IdentitiesService) ListBlocks(ctx context.Context, identityID string, params *IdentityBlockListParams, opts ...RequestOption) ([]Block, error) {
	id, err := pathID("identity_id", identityID)
	if err != nil {
		return nil, withOp("Identities.ListBlocks", err)
	}
	if err := params.validate(); err != nil {
		return nil, withOp("Identities.ListBlocks", err)
	}
	var out []Block
	call := apiCall{method: http.MethodGet, path: identitiesPath + id + "/blocks", query: params}
	if err := s.client.do(ctx, call, &out, opts); err != nil {
		return nil, withOp("Identities.ListBlocks", err)
	}
	return out, nil
}

// ListBlocksAll iterates over every block attached to an identity, page by
// page, like ListAll (GET /v1/identities/{identity_id}/blocks; Before and
// windows as there), with the same guarantees and memory (~8 bytes per
// block yielded); it never yields ErrListPositionLost.
//
// One exception, the server's: blocks created in one request (an agent's
// MemoryBlocks) share their creation time, and in descending order (the
// default) the server's after cursor mis-orders such ties, answering the
// tied blocks ahead of the cursor again instead of those behind it. A
// descending walk then skips blocks of that group. Walk with Order
// OrderAsc, or back from a Before block (the walk then asks for ascending
// pages), to get every block.
func (s *IdentitiesService) ListBlocksAll(ctx context.Context, identityID string, params *IdentityBlockListParams, opts ...RequestOption) iter.Seq2[Block, error] {
	var p IdentityBlockListParams
	if params != nil {
		p = *params
	}
	if _, err := pathID("identity_id", identityID); err != nil {
		return errSeq[Block](withOp("Identities.ListBlocksAll", err))
	}
	if err := p.validate(); err != nil {
		return errSeq[Block](withOp("Identities.ListBlocksAll", err))
	}
	if err := walkBackwards(&p.After, &p.Before, &p.Order); err != nil {
		return errSeq[Block](withOp("Identities.ListBlocksAll", err))
	}
	id := func(v Block) string { return v.ID }
	return pager[Block]{
		fetch: boundedFetch(p.Before, p.Order, p.Limit, id, func(ctx context.Context, after, before string) ([]Block, error) {
			q := p
			q.After, q.Before = after, before
			return s.ListBlocks(ctx, identityID, &q, opts...)
		}),
		id:    id,
		after: p.After,
		// Block cursors that no longer exist answer 404, like identities.
		recoverMissingCursor: true,
	}.all(ctx)
}

// errSeq yields err once.
func errSeq[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
