package letta

// BlockCreateParams is the body of Blocks.Create (POST /v1/blocks/): the
// spec's CreateBlock, the same type an agent's MemoryBlocks take. Label and
// Value are always sent (Label is required; "" is a valid empty Value);
// nil optional fields are not sent and the server's defaults apply.
type BlockCreateParams = CreateBlock

// BlockUpdateParams is the body of Blocks.Update
// (PATCH /v1/blocks/{block_id}) and Agents.UpdateBlock
// (PATCH /v1/agents/{agent_id}/core-memory/blocks/{block_label}). Every
// field is optional: nil leaves it unchanged, and a nil
// *BlockUpdateParams sends {} and changes nothing. The server drops nulls
// before applying the update, so no field can be cleared to null; set ""
// instead where that means empty.
type BlockUpdateParams struct {
	// Value, when set, replaces the block's text ("" empties it).
	Value *string `json:"value,omitzero"`
	// Limit, when set, replaces the character limit. letta 0.16.8 takes any
	// limit, even one below the length of the block's value (the agent's
	// memory tools enforce it, not this route).
	Limit *int `json:"limit,omitzero"`
	// Label, when set, renames the block.
	Label *string `json:"label,omitzero"`
	// Description, when set, replaces the description ("" empties it).
	Description *string `json:"description,omitzero"`
	// ReadOnly, when set, grants (false) or denies (true) the agent write
	// access.
	ReadOnly *bool `json:"read_only,omitzero"`
	// Metadata, when non-nil, REPLACES the whole metadata object (no
	// merge); an empty map clears it.
	Metadata map[string]any `json:"metadata,omitzero"`
	// Tags, when non-nil, REPLACE all tags; [] removes every tag.
	Tags []string `json:"tags,omitzero"`
	// Hidden, when set, hides or shows the block (hidden blocks are left
	// out of Blocks.List).
	Hidden *bool `json:"hidden,omitzero"`
	// ProjectID, when set, moves the block to this project.
	ProjectID *string `json:"project_id,omitzero"`
	// IsTemplate, when set, marks or unmarks a saved template block.
	IsTemplate *bool `json:"is_template,omitzero"`
	// TemplateName, when set, overwrites the template's name.
	TemplateName *string `json:"template_name,omitzero"`
	// TemplateID, when set, overwrites the template's id.
	TemplateID *string `json:"template_id,omitzero"`
	// BaseTemplateID, when set, overwrites the base template's id.
	BaseTemplateID *string `json:"base_template_id,omitzero"`
	// DeploymentID, when set, overwrites the deployment's id.
	DeploymentID *string `json:"deployment_id,omitzero"`
	// EntityID, when set, overwrites the id of the entity within the template.
	EntityID *string `json:"entity_id,omitzero"`
	// PreserveOnMigration, when set, overwrites the flag.
	PreserveOnMigration *bool `json:"preserve_on_migration,omitzero"`
}

func (p *BlockUpdateParams) validate() error {
	if p == nil {
		return nil
	}
	if p.Limit != nil {
		return validateLimit(*p.Limit)
	}
	return nil
}

// BlockListParams are the query parameters of Blocks.List (GET /v1/blocks/).
// Zero fields are not sent; a nil *BlockListParams lists with the server's
// defaults: 50 blocks, OLDEST first (unlike the other lists), hidden
// blocks left out. Tags, IdentifierKeys and ConnectedToAgentsCountEq are
// sent as repeated keys (tags=a&tags=b).
type BlockListParams struct {
	// Label filters by label (exact).
	Label string `url:"label,omitempty"`
	// TemplatesOnly lists only template blocks.
	TemplatesOnly bool `url:"templates_only,omitempty"`
	// Name filters by template name (exact).
	Name string `url:"name,omitempty"`
	// IdentityID lists the blocks attached to this identity. The server
	// then sorts by block id, not created_at, while its cursors still
	// compare created_at: pages after the first skip or repeat blocks, so
	// ListAll refuses this filter (use Identities.ListBlocksAll).
	IdentityID string `url:"identity_id,omitempty"`
	// IdentifierKeys lists the blocks attached to identities with any of
	// these identifier keys (ListAll refuses it, as IdentityID).
	IdentifierKeys []string `url:"identifier_keys,omitempty"`
	// ProjectID filters by project (exact).
	ProjectID string `url:"project_id,omitempty"`
	// Tags filters by tag: blocks with any of them, or all of them with
	// MatchAllTags.
	Tags []string `url:"tags,omitempty"`
	// MatchAllTags makes Tags match blocks that have every tag.
	MatchAllTags bool `url:"match_all_tags,omitempty"`
	// LabelSearch filters by case-insensitive substring of the label
	// (ignored when Label is set).
	LabelSearch string `url:"label_search,omitempty"`
	// DescriptionSearch filters by case-insensitive substring of the
	// description.
	DescriptionSearch string `url:"description_search,omitempty"`
	// ValueSearch filters by case-insensitive substring of the value.
	ValueSearch string `url:"value_search,omitempty"`
	// ConnectedToAgentsCountGT lists blocks attached to more than this many
	// agents; nil = no filter (0 is a filter: blocks with an agent).
	// ListAll refuses the ConnectedToAgentsCount filters, as IdentityID.
	ConnectedToAgentsCountGT *int `url:"connected_to_agents_count_gt,omitempty"`
	// ConnectedToAgentsCountLT lists blocks attached to fewer than this many
	// agents; nil = no filter.
	ConnectedToAgentsCountLT *int `url:"connected_to_agents_count_lt,omitempty"`
	// ConnectedToAgentsCountEq lists blocks attached to exactly one of these
	// numbers of agents; nil or empty = no filter.
	ConnectedToAgentsCountEq []int `url:"connected_to_agents_count_eq,omitempty"`
	// ShowHiddenBlocks lists hidden blocks too. The server reads it
	// although the spec does not list it; without it hidden blocks cannot
	// be listed.
	ShowHiddenBlocks bool `url:"show_hidden_blocks,omitempty"`
	// Before returns blocks before this block id in the sort order: the
	// first Limit of them, from the top of the list, not the nearest (the
	// ListAll iterators walk back from it instead).
	Before string `url:"before,omitempty"`
	// After returns blocks after this block id in the sort order.
	After string `url:"after,omitempty"`
	// Limit is the page size; 0 = the server default (50).
	Limit int `url:"limit,omitempty"`
	// Order is asc or desc (server default asc here: oldest first).
	Order Order `url:"order,omitempty"`
	// OrderBy can only be created_at.
	OrderBy BlockOrderBy `url:"order_by,omitempty"`
}

func (p *BlockListParams) validate() error {
	if p == nil {
		return nil
	}
	return validateLimit(p.Limit)
}

// sortedByID reports whether the server sorts this list by block id (a
// join filter makes it use DISTINCT ON id) while its cursors compare
// created_at, which makes cursor pages inconsistent.
func (p *BlockListParams) sortedByID() (param string, ok bool) {
	switch {
	case p.IdentityID != "":
		return "identity_id", true
	case len(p.IdentifierKeys) > 0:
		return "identifier_keys", true
	case p.ConnectedToAgentsCountGT != nil:
		return "connected_to_agents_count_gt", true
	case p.ConnectedToAgentsCountLT != nil:
		return "connected_to_agents_count_lt", true
	case len(p.ConnectedToAgentsCountEq) > 0:
		return "connected_to_agents_count_eq", true
	}
	return "", false
}

// BlockCountParams are the query parameters of Blocks.Count
// (GET /v1/blocks/count), the filters the server takes there. A nil
// *BlockCountParams counts every block.
type BlockCountParams struct {
	// Label filters by label (exact).
	Label string `url:"label,omitempty"`
	// TemplatesOnly counts only template blocks.
	TemplatesOnly bool `url:"templates_only,omitempty"`
	// Name filters by template name (exact).
	Name string `url:"name,omitempty"`
	// Tags filters by tag: blocks with any of them, or all of them with
	// MatchAllTags.
	Tags []string `url:"tags,omitempty"`
	// MatchAllTags makes Tags match blocks that have every tag.
	MatchAllTags bool `url:"match_all_tags,omitempty"`
	// ProjectID filters by project (exact).
	ProjectID string `url:"project_id,omitempty"`
}

// BlockAgentListParams are the query parameters of Blocks.ListAgents
// (GET /v1/blocks/{block_id}/agents). A nil pointer lists with the server's
// defaults (50, newest first) and no relationships loaded.
type BlockAgentListParams struct {
	// Before returns agents before this agent id in the sort order: the
	// first Limit of them, from the top of the list, not the nearest (the
	// ListAll iterators walk back from it instead).
	Before string `url:"before,omitempty"`
	// After returns agents after this agent id in the sort order.
	After string `url:"after,omitempty"`
	// Limit is the page size; 0 = the server default (50).
	Limit int `url:"limit,omitempty"`
	// Order is asc or desc (server default desc).
	Order Order `url:"order,omitempty"`
	// OrderBy can only be created_at.
	OrderBy BlockOrderBy `url:"order_by,omitempty"`
	// Include lists the relationships to load; nil or empty loads none.
	// Values the SDK does not know are sent as given.
	Include []AgentInclude `url:"include,omitempty"`
}

func (p *BlockAgentListParams) validate() error {
	if p == nil {
		return nil
	}
	if err := validateLimit(p.Limit); err != nil {
		return err
	}
	return validateInclude(p.Include)
}

// AgentBlockListParams are the query parameters of Agents.ListBlocks
// (GET /v1/agents/{agent_id}/core-memory/blocks). A nil pointer lists with
// the server's defaults: 100 blocks, newest first. The server sorts an
// agent's blocks by block id, not by creation time, whatever Order says
// (ids are random, so "newest first" is an arbitrary but stable order).
type AgentBlockListParams struct {
	// Before returns blocks before this block id in the sort order: the
	// first Limit of them, from the top of the list, not the nearest (the
	// ListAll iterators walk back from it instead).
	Before string `url:"before,omitempty"`
	// After returns blocks after this block id in the sort order.
	After string `url:"after,omitempty"`
	// Limit is the page size; 0 = the server default (100).
	Limit int `url:"limit,omitempty"`
	// Order is asc or desc (server default desc), applied to block ids.
	Order Order `url:"order,omitempty"`
	// OrderBy can only be created_at (the server sorts by id regardless).
	OrderBy BlockOrderBy `url:"order_by,omitempty"`
}

func (p *AgentBlockListParams) validate() error {
	if p == nil {
		return nil
	}
	return validateLimit(p.Limit)
}
