package letta

import "strconv"

// IdentityCreateParams is the body of Identities.Create (POST /v1/identities/).
// The server refuses unknown fields and answers 409 when IdentifierKey is
// already used in the project.
type IdentityCreateParams struct {
	// IdentifierKey is the caller's own key for the identity, e.g. a user id
	// (required).
	IdentifierKey string `json:"identifier_key"`
	// Name is the display name (required).
	Name string `json:"name"`
	// IdentityType is org, user or other (required).
	IdentityType IdentityType `json:"identity_type"`
	// ProjectID puts the identity in a project; nil = none.
	ProjectID *string `json:"project_id,omitzero"`
	// AgentIDs attaches these agents; nil = none. Every id must exist.
	//
	// Deprecated: attach with AgentCreateParams.IdentityIDs or Agents.AttachIdentity.
	AgentIDs []string `json:"agent_ids,omitzero"`
	// BlockIDs attaches these blocks; nil = none. Every id must exist.
	//
	// Deprecated: the API marks it deprecated.
	BlockIDs []string `json:"block_ids,omitzero"`
	// Properties are the initial properties; nil = none.
	Properties []IdentityProperty `json:"properties,omitzero"`
}

func (p *IdentityCreateParams) validate() error {
	if p == nil {
		return errNilParams("Identities.Create")
	}
	return validateIdentityBody("Identities.Create", p.IdentifierKey, p.Name, p.IdentityType, p.Properties)
}

// IdentityUpsertParams is the body of Identities.Upsert (PUT /v1/identities/),
// which looks the identity up by IdentifierKey and ProjectID. For an existing
// identity, Name and IdentityType are overwritten, and Properties and
// AgentIDs, when non-nil, replace the whole list ([] clears it); BlockIDs is
// ignored. (The open-source server, 0.16.8, answers 404 instead of creating
// an identity whose key is new, and creates nothing; use Create.)
type IdentityUpsertParams struct {
	// IdentifierKey selects the identity (required).
	IdentifierKey string `json:"identifier_key"`
	// Name is the display name (required; overwrites).
	Name string `json:"name"`
	// IdentityType is org, user or other (required; overwrites).
	IdentityType IdentityType `json:"identity_type"`
	// ProjectID selects the project the identity is looked up in; an existing
	// identity's project is not changed.
	ProjectID *string `json:"project_id,omitzero"`
	// AgentIDs, when non-nil, replaces the set of attached agents; [] detaches
	// all; nil leaves it unchanged.
	//
	// Deprecated: use Agents.AttachIdentity / DetachIdentity or AgentUpdateParams.IdentityIDs.
	AgentIDs []string `json:"agent_ids,omitzero"`
	// BlockIDs is ignored by the server when the identity exists; on create it
	// attaches these blocks.
	//
	// Deprecated: the API marks it deprecated.
	BlockIDs []string `json:"block_ids,omitzero"`
	// Properties, when non-nil, replaces the whole property list; [] clears
	// it; nil leaves it unchanged.
	Properties []IdentityProperty `json:"properties,omitzero"`
}

func (p *IdentityUpsertParams) validate() error {
	if p == nil {
		return errNilParams("Identities.Upsert")
	}
	return validateIdentityBody("Identities.Upsert", p.IdentifierKey, p.Name, p.IdentityType, p.Properties)
}

// validateIdentityBody names every missing required field at once. An
// identity type the SDK does not know is sent as given: a newer server may
// accept it, and an older one answers 422 with the values it allows.
func validateIdentityBody(op, key, name string, typ IdentityType, props []IdentityProperty) error {
	if err := missingFields(op, [2]string{"identifier_key", key}, [2]string{"name", name},
		[2]string{"identity_type", string(typ)}); err != nil {
		return err
	}
	return validateProperties("properties", props)
}

// IdentityUpdateParams is the body of Identities.Update
// (PATCH /v1/identities/{identity_id}). Every field is optional: nil leaves
// it unchanged. A nil *IdentityUpdateParams sends {} and changes nothing.
type IdentityUpdateParams struct {
	// IdentifierKey, when set, overwrites the identity's key.
	IdentifierKey *string `json:"identifier_key,omitzero"`
	// Name, when set, overwrites the display name.
	Name *string `json:"name,omitzero"`
	// IdentityType, when set, overwrites the type.
	IdentityType *IdentityType `json:"identity_type,omitzero"`
	// AgentIDs are APPENDED to the attached agents (ids already attached are
	// skipped); nil or [] changes nothing, and nothing can be removed here.
	// Every id must exist.
	//
	// Deprecated: use Agents.AttachIdentity / DetachIdentity.
	AgentIDs []string `json:"agent_ids,omitzero"`
	// BlockIDs are APPENDED to the attached blocks; nil or [] changes nothing.
	//
	// Deprecated: the API marks it deprecated.
	BlockIDs []string `json:"block_ids,omitzero"`
	// Properties are MERGED by key: existing keys are overwritten, new keys
	// added, keys not mentioned kept; nil or [] changes nothing. To replace or
	// clear the whole list use Identities.UpsertProperties.
	Properties []IdentityProperty `json:"properties,omitzero"`
}

func (p *IdentityUpdateParams) validate() error {
	if p == nil {
		return nil
	}
	return validateProperties("properties", p.Properties)
}

// IdentityListParams are the query parameters of Identities.List
// (GET /v1/identities/). Zero fields are not sent; a nil
// *IdentityListParams lists with the server's defaults (50, newest first).
type IdentityListParams struct {
	// Name filters by case-insensitive substring of the name.
	Name string `url:"name,omitempty"`
	// ProjectID filters by project (exact).
	//
	// Deprecated: the API prefers the X-Project-Id header (the open-source
	// server still reads only this parameter).
	ProjectID string `url:"project_id,omitempty"`
	// IdentifierKey filters by identifier key (exact).
	IdentifierKey string `url:"identifier_key,omitempty"`
	// IdentityType filters by type.
	IdentityType IdentityType `url:"identity_type,omitempty"`
	// Before returns identities before this identity id in the sort order: the
	// first Limit of them, from the top of the list, not the nearest
	// (the ListAll iterators walk back from it instead). With After too,
	// the server returns the identities created between the two whatever the
	// order (400 when Before is the older one; the iterators map a window
	// in the caller's order onto that), and a slice from the middle of
	// them when there are more than Limit. An unknown id answers 404.
	Before string `url:"before,omitempty"`
	// After returns identities after this identity id in the sort order. An
	// unknown id answers 404.
	After string `url:"after,omitempty"`
	// Limit is the page size; 0 is not sent (the server default, 50).
	// Negative limits are refused before sending.
	Limit int `url:"limit,omitempty"`
	// Order is asc or desc (server default desc).
	Order Order `url:"order,omitempty"`
	// OrderBy can only be created_at.
	OrderBy IdentityOrderBy `url:"order_by,omitempty"`
}

func (p *IdentityListParams) validate() error {
	if p == nil {
		return nil
	}
	return validateLimit(p.Limit)
}

// IdentityAgentListParams are the query parameters of Identities.ListAgents
// (GET /v1/identities/{identity_id}/agents). A nil pointer lists with the
// server's defaults and no relationships loaded.
type IdentityAgentListParams struct {
	// Before returns agents before this agent id in the sort order: the
	// first Limit of them, from the top of the list, not the nearest
	// (the ListAll iterators walk back from it instead). With After too,
	// the server returns the agents created between the two whatever the
	// order (400 when Before is the older one; the iterators map a window
	// in the caller's order onto that), and a slice from the middle of
	// them when there are more than Limit. An unknown id answers 404.
	Before string `url:"before,omitempty"`
	// After returns agents after this agent id in the sort order. An
	// unknown id answers 404.
	After string `url:"after,omitempty"`
	// Limit is the page size; 0 is not sent (the server default, 50).
	// Negative limits are refused before sending.
	Limit int `url:"limit,omitempty"`
	// Order is asc or desc (server default desc).
	Order Order `url:"order,omitempty"`
	// OrderBy can only be created_at.
	OrderBy IdentityOrderBy `url:"order_by,omitempty"`
	// Include lists the relationships to load; nil or empty loads none.
	// Values the SDK does not know are sent as given.
	// (The server also loads tags with agent.blocks.)
	Include []AgentInclude `url:"include,omitempty"`
}

func (p *IdentityAgentListParams) validate() error {
	if p == nil {
		return nil
	}
	if err := validateLimit(p.Limit); err != nil {
		return err
	}
	return validateInclude(p.Include)
}

// IdentityBlockListParams are the query parameters of Identities.ListBlocks
// (GET /v1/identities/{identity_id}/blocks). A nil pointer lists with the
// server's defaults.
type IdentityBlockListParams struct {
	// Before returns blocks before this block id in the sort order: the
	// first Limit of them, from the top of the list, not the nearest
	// (the ListAll iterators walk back from it instead). With After too,
	// the server returns the blocks created between the two whatever the
	// order (400 when Before is the older one; the iterators map a window
	// in the caller's order onto that), and a slice from the middle of
	// them when there are more than Limit. An unknown id answers 404.
	Before string `url:"before,omitempty"`
	// After returns blocks after this block id in the sort order. An
	// unknown id answers 404.
	After string `url:"after,omitempty"`
	// Limit is the page size; 0 is not sent (the server default, 50).
	// Negative limits are refused before sending.
	Limit int `url:"limit,omitempty"`
	// Order is asc or desc (server default desc).
	Order Order `url:"order,omitempty"`
	// OrderBy can only be created_at.
	OrderBy IdentityOrderBy `url:"order_by,omitempty"`
}

func (p *IdentityBlockListParams) validate() error {
	if p == nil {
		return nil
	}
	return validateLimit(p.Limit)
}

// validateLimit refuses only what no server can accept: a negative limit.
// Order and order_by values the SDK does not know are sent as given (a
// newer server may accept them; one that does not answers 422 naming the
// values it allows); a ListAll walking back from Before refuses one, as it
// cannot reverse it.
func validateLimit(limit int) error {
	if limit < 0 {
		return &InvalidParamError{Param: "limit", Value: strconv.Itoa(limit), Reason: "must not be negative"}
	}
	return nil
}

// validateInclude refuses only an empty value (it would be sent as
// include= and name no relationship); names the SDK does not know are sent
// as given.
func validateInclude(include []AgentInclude) error {
	for i, inc := range include {
		if inc == "" {
			return &InvalidParamError{Param: "include[" + strconv.Itoa(i) + "]", Reason: "must not be empty"}
		}
	}
	return nil
}
