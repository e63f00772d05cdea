package lettatest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
)

var (
	identityTypes         = []string{"org", "user", "other"}
	identityPropertyTypes = []string{"string", "number", "boolean", "json"}
)

// pathID validates a path id against the server's strict pattern; a mismatch
// is a 422 with the server's rewritten message and an examples list.
func (rq *request) pathID(name string, re *regexp.Regexp, prefix string) string {
	id := rq.params[name]
	if !re.MatchString(id) {
		rq.errs = append(rq.errs, valErr{
			typ:   "string_pattern_mismatch",
			loc:   []any{"path", name},
			msg:   "String should match pattern '" + prefix + "-{uuid4}'",
			input: id,
			ctx:   map[string]any{"pattern": re.String()},
		})
		rq.examples = []string{prefix + "-123e4567-e89b-42d3-8456-426614174000"}
	}
	return id
}

// identityParam reads the identity_id path parameter of the routes that
// attach an identity to an agent or a block. Upstream it has no path
// pattern: the identity manager refuses a malformed id, with a 400 (not
// pathID's 422), once the other path parameters have passed.
func (rq *request) identityParam() (string, *response) {
	id := rq.params["identity_id"]
	if !identityIDRe.MatchString(id) {
		r := invalidArgument("Invalid identity ID format: " + id + ". Expected format: 'identity-<uuid4>'")
		return id, &r
	}
	return id, nil
}

// invalid returns the 422 for the path errors plus more, or nil when there
// are none. FastAPI reports path, query and body errors together.
func (rq *request) invalid(more ...[]valErr) *response {
	errs := append([]valErr(nil), rq.errs...)
	for _, m := range more {
		errs = append(errs, m...)
	}
	if len(errs) == 0 {
		return nil
	}
	r := validationResponse(errs, rq.examples)
	return &r
}

// identityNotFound is the ORM's NoResultFound text for a read by id.
func (s *store) identityNotFound(id, actor string) response {
	return s.readNotFound("Identity", id, actor)
}

// readNotFound is the ORM's NoResultFound text for a read by id (read_async),
// with the server's repr of the actor.
func (s *store) readNotFound(model, id, actor string) response {
	return detailError(http.StatusNotFound, fmt.Sprintf(
		"%s not found with id='[%s]', access level in ['read'] for actor='%s'", model, pyStr(id), s.actorRepr(actor)))
}

// identityInput is a parsed IdentityCreate / IdentityUpsert / IdentityUpdate.
type identityInput struct {
	identifierKey, name, identityType, projectID *string

	agentIDs, blockIDs       []string
	agentIDsSet, blockIDsSet bool
	properties               []property
	propertiesSet            bool
}

// parseIdentityBody validates an identity body; full is true for create and
// upsert (required key/name/type, project_id allowed) and false for PATCH.
func parseIdentityBody(m map[string]any, full bool) (identityInput, []valErr) {
	o := newObj(m, "body")
	var in identityInput
	allowed := []string{"identifier_key", "name", "identity_type", "agent_ids", "block_ids", "properties"}
	if full {
		allowed = append(allowed, "project_id")
		k, n := o.reqStr("identifier_key"), o.reqStr("name")
		t := o.reqEnum("identity_type", identityTypes)
		in.identifierKey, in.name, in.identityType = &k, &n, &t
		in.projectID = o.optStr("project_id")
	} else {
		in.identifierKey = o.optStr("identifier_key")
		in.name = o.optStr("name")
		in.identityType = o.optEnum("identity_type", identityTypes)
	}
	in.agentIDs, in.agentIDsSet = o.optIDList("agent_ids", "agent")
	in.blockIDs, in.blockIDsSet = o.optIDList("block_ids", "block")
	if arr, set := o.optList("properties"); set {
		in.properties, in.propertiesSet = parseProperties(o, arr, "properties"), true
	}
	o.forbidExtra(allowed...)
	return in, *o.errs
}

// parseProperties validates a list of IdentityProperty at o.loc+elems.
func parseProperties(o obj, arr []any, elems ...any) []property {
	props := make([]property, 0, len(arr))
	for i, item := range arr {
		at := append(append([]any(nil), elems...), i)
		m, isObj := item.(map[string]any)
		if !isObj {
			o.fail("model_type", "Input should be a valid dictionary or instance of IdentityProperty", item,
				map[string]any{"class_name": "IdentityProperty"}, at...)
			continue
		}
		po := o.child(m, at...)
		p := property{Key: po.reqStr("key"), Type: po.reqEnum("type", identityPropertyTypes)}
		if v, present := m["value"]; !present {
			po.missing("value")
		} else if checkPropertyValue(po, v) {
			p.Value = v
		}
		po.forbidExtra("key", "value", "type")
		props = append(props, p)
	}
	return props
}

// checkPropertyValue accepts str | int | float | bool | dict and otherwise
// reports one error per union member, as pydantic does.
func checkPropertyValue(o obj, v any) bool {
	switch v.(type) {
	case string, json.Number, bool, map[string]any:
		return true
	}
	o.fail("string_type", "Input should be a valid string", v, nil, "value", "str")
	o.fail("int_type", "Input should be a valid integer", v, nil, "value", "int")
	o.fail("float_type", "Input should be a valid number", v, nil, "value", "float")
	o.fail("bool_type", "Input should be a valid boolean", v, nil, "value", "bool")
	o.fail("dict_type", "Input should be a valid dictionary", v, nil, "value", "dict[str,any]")
	return false
}

// readIdentityBody decodes and validates, returning the 422 to send if any.
func (rq *request) readIdentityBody(full bool) (identityInput, *response) {
	m, errs := rq.objectBody()
	if errs != nil {
		return identityInput{}, rq.invalid(errs)
	}
	in, errs := parseIdentityBody(m, full)
	return in, rq.invalid(errs)
}

// duplicateIdentity is the server's 409 for a taken (identifier_key,
// project_id): PostgreSQL's unique violation as SQLAlchemy words it, up to
// its DETAIL line. The server goes on with the failed statement and its
// parameters ("[SQL: ...]"), which lettatest leaves out.
func duplicateIdentity(key string, projectID *string) response {
	pid := "null"
	if projectID != nil {
		pid = *projectID
	}
	return detailError(http.StatusConflict, fmt.Sprintf(
		"A unique constraint was violated for Identity. Check your input for duplicates: "+
			"(sqlalchemy.dialects.postgresql.asyncpg.IntegrityError) <class 'asyncpg.exceptions.UniqueViolationError'>: "+
			"duplicate key value violates unique constraint \"unique_identifier_key_project_id_organization_id\"\n"+
			"DETAIL:  Key (identifier_key, project_id, organization_id)=(%s, %s, %s) already exists.",
		key, pid, defaultOrgID))
}

// itemsNotFound is the server's answer when agent_ids/block_ids name unknown
// rows: sqlalchemy's NoResultFound has no handler, so the client sees a 500.
func (s *store) checkIdentityLinks(in identityInput, withBlocks bool) *response {
	if in.agentIDsSet {
		if miss := missingIDs(in.agentIDs, func(id string) bool { return s.agents[id] != nil }); len(miss) > 0 {
			r := unknownError()
			return &r
		}
	}
	if withBlocks && in.blockIDsSet {
		if miss := missingIDs(in.blockIDs, func(id string) bool { return s.blocks[id] != nil }); len(miss) > 0 {
			r := unknownError()
			return &r
		}
	}
	return nil
}

// createIdentityLocked creates an identity; the caller holds s.mu.
func (s *store) createIdentityLocked(in identityInput) (*identity, *response) {
	if s.identityByKey(*in.identifierKey, in.projectID) != nil {
		r := duplicateIdentity(*in.identifierKey, in.projectID)
		return nil, &r
	}
	if bad := s.checkIdentityLinks(in, true); bad != nil {
		return nil, bad
	}
	it := &identity{
		id:            s.ids.newID("identity"),
		identifierKey: *in.identifierKey,
		name:          *in.name,
		identityType:  *in.identityType,
		projectID:     in.projectID,
		properties:    in.properties,
		blockIDs:      dedupe(in.blockIDs),
		createdAt:     s.clock.tick(),
	}
	s.identities[it.id] = it
	for _, aid := range in.agentIDs {
		a := s.agents[aid]
		a.identityIDs = appendUnique(a.identityIDs, it.id)
	}
	return it, nil
}

// setIdentityAgents makes exactly agentIDs carry the identity (upsert's
// replace of the agent set).
func (s *store) setIdentityAgents(it *identity, agentIDs []string) {
	for _, a := range s.agents {
		has := containsStr(a.identityIDs, it.id)
		want := containsStr(agentIDs, a.id)
		switch {
		case has && !want:
			a.identityIDs = removeStr(a.identityIDs, it.id)
		case !has && want:
			a.identityIDs = append(a.identityIDs, it.id)
		}
	}
}

// GET /v1/identities/
func (h *Handler) listIdentities(rq *request) response {
	q := newQuery(rq.query)
	name, projectID, key := q.str("name"), q.str("project_id"), q.str("identifier_key")
	var itype *string
	if t := q.enum("identity_type", identityTypes, ""); t != "" {
		itype = &t
	}
	p := readPageParams(q, []string{"created_at"}, pageIdentities, "Identity")
	if bad := rq.invalid(q.errs()); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	nameMatches := func(string) bool { return true }
	if name != nil && *name != "" {
		nameMatches = likeMatcher(*name)
	}
	var items []*identity
	for _, it := range s.identities {
		if !nameMatches(it.name) {
			continue
		}
		if projectID != nil && *projectID != "" && !equalPtr(it.projectID, projectID) {
			continue
		}
		if key != nil && *key != "" && it.identifierKey != *key {
			continue
		}
		if itype != nil && it.identityType != *itype {
			continue
		}
		items = append(items, it)
	}
	page, bad := paginate(items, p, identitySortKey, func(id string) (sortKey, bool) {
		it := s.identities[id]
		if it == nil {
			return sortKey{}, false
		}
		return identitySortKey(it), true
	})
	if bad != nil {
		return *bad
	}
	out := make([]identityJSON, len(page))
	for i, it := range page {
		out[i] = renderIdentity(it)
	}
	return ok(out)
}

func identitySortKey(it *identity) sortKey { return sortKey{t: it.createdAt, id: it.id} }

// POST /v1/identities/
func (h *Handler) createIdentity(rq *request) response {
	in, bad := rq.readIdentityBody(true)
	if bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	it, bad := s.createIdentityLocked(in)
	if bad != nil {
		return *bad
	}
	return ok(renderIdentity(it))
}

// PUT /v1/identities/ (upsert). Found by (identifier_key, project_id): name,
// key and type are overwritten, properties and the agent set replaced when
// given, block_ids ignored. Not found: 404, as on the real server (its code
// means to create, but its lookup raises first).
func (h *Handler) upsertIdentity(rq *request) response {
	in, bad := rq.readIdentityBody(true)
	if bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.identityByKey(*in.identifierKey, in.projectID)
	if it == nil {
		// The server reads the identity with read_async, which raises
		// instead of returning None, so its create branch is never reached.
		pid := "None"
		if in.projectID != nil {
			pid = *in.projectID
		}
		return detailError(http.StatusNotFound, fmt.Sprintf(
			"Identity not found with identifier_key='%s', project_id='%s', organization_id='%s', access level in ['read'] for actor='%s'",
			*in.identifierKey, pid, defaultOrgID, s.actorRepr(rq.actor)))
	}
	in.blockIDsSet = false
	if bad := s.checkIdentityLinks(in, false); bad != nil {
		return *bad
	}
	s.clock.tick()
	it.name, it.identifierKey, it.identityType = *in.name, *in.identifierKey, *in.identityType
	if in.propertiesSet {
		it.properties = in.properties
	}
	if in.agentIDsSet {
		s.setIdentityAgents(it, in.agentIDs)
	}
	return ok(renderIdentity(it))
}

// GET /v1/identities/count
func (h *Handler) countIdentities(rq *request) response {
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	return ok(len(s.identities))
}

// GET /v1/identities/{identity_id}
func (h *Handler) getIdentity(rq *request) response {
	id := rq.pathID("identity_id", identityIDRe, "identity")
	if bad := rq.invalid(); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.identities[id]
	if it == nil {
		return s.identityNotFound(id, rq.actor)
	}
	return ok(renderIdentity(it))
}

// PATCH /v1/identities/{identity_id}: scalars overwritten when not null,
// properties merged by key, agent_ids/block_ids appended.
func (h *Handler) updateIdentity(rq *request) response {
	id := rq.pathID("identity_id", identityIDRe, "identity")
	in, bad := rq.readIdentityBody(false)
	if bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.identities[id]
	if it == nil {
		return s.identityNotFound(id, rq.actor)
	}
	if in.identifierKey != nil && *in.identifierKey != it.identifierKey {
		if other := s.identityByKey(*in.identifierKey, it.projectID); other != nil {
			return duplicateIdentity(*in.identifierKey, it.projectID)
		}
	}
	if bad := s.checkIdentityLinks(in, true); bad != nil {
		return *bad
	}
	s.clock.tick()
	if in.identifierKey != nil {
		it.identifierKey = *in.identifierKey
	}
	if in.name != nil {
		it.name = *in.name
	}
	if in.identityType != nil {
		it.identityType = *in.identityType
	}
	if in.propertiesSet {
		it.properties = mergeProperties(it.properties, in.properties)
	}
	for _, aid := range in.agentIDs {
		a := s.agents[aid]
		a.identityIDs = appendUnique(a.identityIDs, it.id)
	}
	it.blockIDs = appendUnique(it.blockIDs, in.blockIDs...)
	return ok(renderIdentity(it))
}

// mergeProperties is Python's {old by key} | {new by key}: existing keys keep
// their place with the new value, new keys are appended.
func mergeProperties(old, upd []property) []property {
	out := append([]property{}, old...)
	for _, p := range upd {
		replaced := false
		for i := range out {
			if out[i].Key == p.Key {
				out[i] = p
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, p)
		}
	}
	return out
}

// DELETE /v1/identities/{identity_id}: answers null and detaches the
// identity from its agents.
func (h *Handler) deleteIdentity(rq *request) response {
	id := rq.pathID("identity_id", identityIDRe, "identity")
	if bad := rq.invalid(); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.identities[id] == nil {
		return s.identityNotFound(id, rq.actor)
	}
	s.clock.tick()
	delete(s.identities, id)
	for _, a := range s.agents {
		a.identityIDs = removeStr(a.identityIDs, id)
	}
	return ok(nil)
}

// PUT /v1/identities/{identity_id}/properties: replaces the whole list and
// answers the Identity (the spec says {}).
func (h *Handler) putIdentityProperties(rq *request) response {
	id := rq.pathID("identity_id", identityIDRe, "identity")
	v, ve := rq.decodeBody()
	o := newObj(nil, "body")
	var props []property
	switch {
	case ve != nil:
		*o.errs = append(*o.errs, *ve)
	default:
		arr, isArr := v.([]any)
		if !isArr {
			o.fail("list_type", "Input should be a valid list", v, nil)
		} else {
			props = parseProperties(o, arr)
		}
	}
	if bad := rq.invalid(*o.errs); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.identities[id]
	if it == nil {
		return s.identityNotFound(id, rq.actor)
	}
	s.clock.tick()
	it.properties = props
	return ok(renderIdentity(it))
}

// GET /v1/identities/{identity_id}/agents
func (h *Handler) listIdentityAgents(rq *request) response {
	id := rq.pathID("identity_id", identityIDRe, "identity")
	q := newQuery(rq.query)
	p := readPageParams(q, []string{"created_at"}, pageSubList, "Agent")
	inc := readInclude(q)
	if bad := rq.invalid(q.errs()); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.identities[id] == nil {
		return s.identityNotFound(id, rq.actor)
	}
	var items []*agent
	for _, a := range s.agents {
		if containsStr(a.identityIDs, id) {
			items = append(items, a)
		}
	}
	return s.agentPage(items, p, inc)
}

// GET /v1/identities/{identity_id}/blocks
func (h *Handler) listIdentityBlocks(rq *request) response {
	id := rq.pathID("identity_id", identityIDRe, "identity")
	q := newQuery(rq.query)
	p := readPageParams(q, []string{"created_at"}, pageSubList, "Block")
	if bad := rq.invalid(q.errs()); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.identities[id]
	if it == nil {
		return s.identityNotFound(id, rq.actor)
	}
	var items []*block
	for _, bid := range it.blockIDs {
		if b := s.blocks[bid]; b != nil {
			items = append(items, b)
		}
	}
	key := func(b *block) sortKey { return sortKey{t: b.createdAt, id: b.json.ID} }
	page, bad := paginate(items, p, key, func(cid string) (sortKey, bool) {
		b := s.blocks[cid]
		if b == nil {
			return sortKey{}, false
		}
		return key(b), true
	})
	if bad != nil {
		return *bad
	}
	out := make([]blockJSON, len(page))
	for i, b := range page {
		// The identity's blocks are loaded without their tags.
		out[i] = renderBlock(b)
		out[i].Tags = []string{}
	}
	return ok(out)
}

// GET /v1/health/
func (h *Handler) health(rq *request) response {
	return ok(healthJSON{Version: serverVersion, Status: "ok"})
}

// serverVersion is what GET /v1/health/ reports: the server version
// lettatest is verified against (see differential_live_test.go), marked.
const serverVersion = "0.16.8-lettatest"
