//go:build letta_live

package lettatest

// diffAllow names the differences between lettatest and the real server that
// TestDifferential accepts everywhere, each with its reason. Paths are
// generic: list indices are written []. lettatest's package doc lists them.
var diffAllow = []allowRule{
	rule(`^(\[\])?\.system$`, "the system prompt is the server's generated text; lettatest has a short stand-in"),
	rule(`^(\[\])?\.compaction_settings\.prompt$`, "the summariser prompt is the server's text; lettatest has a short stand-in"),
	rule(`^(\[\])?\.tools(\[\]|\.length$)`, "the built-in tools (set, descriptions, schemas) are the server's; lettatest has a simplified fixed set"),
}

// tiedBlocks allows, for blocks made by one request (equal created_at),
// which of them a page or cursor keeps: that follows their random ids,
// which differ between the servers. How many are kept is still compared.
var tiedBlocks = []allowRule{rule(`^\[\]\.(id|label|value)$`, "blocks with equal created_at are ordered by their random ids")}

const (
	model = `"model": "letta/letta-free", "embedding": "letta/letta-free"`
	// sqlText is where the server's database error texts go on with the
	// failed SQL statement and its parameters (driver internals): the
	// comparison stops there.
	sqlText = "\n[SQL:"
)

// differentialScenario is the scripted scenario: every identities and agents
// route, and the behaviours where lettatest was found (or suspected) to
// differ from the server. Identities are created i1..i5 and agents a1..a5 in
// that order, one request each, so that creation order is time order.
func differentialScenario() []step {
	idn := func(n string) step {
		return step{
			name: "create identity " + n, method: "POST", path: "/v1/identities/",
			body: `{"identifier_key": "{{run}}-k` + n + `", "name": "{{run}} Person ` + n + `", "identity_type": "user",
				"properties": [{"key": "plan", "value": "pro", "type": "string"}, {"key": "n", "value": ` + n + `, "type": "number"}]}`,
			save: map[string]string{"i" + n: "id"},
		}
	}
	list := "/v1/identities/?name={{run}}"
	agents := "/v1/agents/?tags={{run}}"
	s := []step{
		{name: "health", method: "GET", path: "/v1/health/",
			allow: []allowRule{rule(`^\.version$`, "lettatest reports the version it is verified against, marked as lettatest's")}},

		// Identities: create, and the create errors.
		idn("1"), idn("2"), idn("3"), idn("4"), idn("5"),
		{name: "create identity with a duplicate key", method: "POST", path: "/v1/identities/",
			body: `{"identifier_key": "{{run}}-k1", "name": "dup", "identity_type": "user"}`, cut: sqlText},
		{name: "create org identity", method: "POST", path: "/v1/identities/",
			body: `{"identifier_key": "{{run}}-org", "name": "{{run}} Org", "identity_type": "org", "project_id": null}`,
			save: map[string]string{"iorg": "id"}},
		{name: "create identity with an unknown field", method: "POST", path: "/v1/identities/",
			body: `{"identifier_key": "{{run}}-x", "name": "x", "identity_type": "user", "color": "red"}`},
		{name: "create identity without name", method: "POST", path: "/v1/identities/",
			body: `{"identifier_key": "{{run}}-x", "identity_type": "user"}`},
		{name: "create identity with a bad type", method: "POST", path: "/v1/identities/",
			body: `{"identifier_key": "{{run}}-x", "name": "x", "identity_type": "robot"}`},
		{name: "create identity with unknown agent_ids", method: "POST", path: "/v1/identities/",
			body: `{"identifier_key": "{{run}}-x", "name": "x", "identity_type": "user", "agent_ids": ["agent-{{uuid}}"]}`},

		// Identities: list, pagination and filters.
		{name: "list identities", method: "GET", path: list},
		{name: "list identities asc", method: "GET", path: list + "&order=asc"},
		{name: "list identities limit 2", method: "GET", path: list + "&limit=2"},
		{name: "list identities limit 0", method: "GET", path: list + "&limit=0"},
		{name: "list identities limit -1", method: "GET", path: list + "&limit=-1"},
		{name: "list identities limit -2", method: "GET", path: list + "&limit=-2"},
		{name: "list identities after (desc)", method: "GET", path: list + "&after={{i3}}"},
		{name: "list identities before (desc)", method: "GET", path: list + "&before={{i3}}"},
		{name: "list identities after (asc)", method: "GET", path: list + "&order=asc&after={{i3}}"},
		{name: "list identities before (asc)", method: "GET", path: list + "&order=asc&before={{i3}}"},
		{name: "identities window (desc)", method: "GET", path: list + "&before={{i5}}&after={{i1}}"},
		{name: "identities window (asc)", method: "GET", path: list + "&order=asc&before={{i5}}&after={{i1}}"},
		{name: "identities window larger than limit 1", method: "GET", path: list + "&before={{iorg}}&after={{i1}}&limit=1"},
		{name: "identities window larger than limit 2", method: "GET", path: list + "&order=asc&before={{iorg}}&after={{i1}}&limit=2"},
		{name: "identities window, limit 0", method: "GET", path: list + "&before={{i5}}&after={{i1}}&limit=0"},
		{name: "identities window, before older than after", method: "GET", path: list + "&before={{i1}}&after={{i5}}"},
		{name: "identities window, before older than after (asc)", method: "GET", path: list + "&order=asc&before={{i1}}&after={{i5}}"},
		{name: "list identities, unknown cursor", method: "GET", path: list + "&after=identity-{{uuid}}"},
		{name: "list identities by identifier_key", method: "GET", path: "/v1/identities/?identifier_key={{run}}-k3"},
		{name: "list identities by type", method: "GET", path: list + "&identity_type=org"},
		{name: "list identities, bad type", method: "GET", path: list + "&identity_type=robot"},
		{name: "list identities, no trailing slash", method: "GET", path: "/v1/identities?name={{run}}"},
		{name: "count identities", method: "GET", path: "/v1/identities/count", countOnly: true},
		{name: "list identities under /latest", method: "GET", path: "/latest/identities/?name={{run}}&limit=2"},
		{name: "wrong method on count", method: "POST", path: "/v1/identities/count", body: `{}`},
		{name: "create identity, body not an object", method: "POST", path: "/v1/identities/", body: `["x"]`},
		{name: "create identity, malformed JSON", method: "POST", path: "/v1/identities/", body: `{"identifier_key":`,
			allow: []allowRule{rule(`^\.detail$`, "a JSON syntax error's position and wording are Python's json module's; lettatest reports Go's (type, loc shape and body shape are compared)")}},

		// Identities: read, modify, upsert, properties.
		{name: "get identity", method: "GET", path: "/v1/identities/{{i1}}"},
		{name: "get unknown identity", method: "GET", path: "/v1/identities/identity-{{uuid}}"},
		{name: "get malformed identity id", method: "GET", path: "/v1/identities/identity-123"},
		{name: "patch identity", method: "PATCH", path: "/v1/identities/{{i1}}",
			body: `{"name": "{{run}} Person 1b", "properties": [{"key": "plan", "value": "team", "type": "string"}, {"key": "seats", "value": 3, "type": "number"}]}`},
		{name: "patch unknown identity", method: "PATCH", path: "/v1/identities/identity-{{uuid}}", body: `{"name": "nobody"}`},
		{name: "patch identity to a taken key", method: "PATCH", path: "/v1/identities/{{i2}}", body: `{"identifier_key": "{{run}}-k1"}`, cut: sqlText},
		{name: "patch identity with unknown agent_ids", method: "PATCH", path: "/v1/identities/{{i2}}", body: `{"agent_ids": ["agent-{{uuid}}"]}`},
		{name: "upsert existing identity", method: "PUT", path: "/v1/identities/",
			body: `{"identifier_key": "{{run}}-k4", "name": "{{run}} Person 4b", "identity_type": "other", "properties": [{"key": "x", "value": true, "type": "boolean"}]}`},
		{name: "upsert new identity", method: "PUT", path: "/v1/identities/",
			body: `{"identifier_key": "{{run}}-k6", "name": "{{run}} Person 6", "identity_type": "user"}`},
		{name: "list identities after upserts", method: "GET", path: list},
		{name: "put identity properties", method: "PUT", path: "/v1/identities/{{i1}}/properties",
			body: `[{"key": "tier", "value": {"a": 1}, "type": "json"}]`},
		{name: "put properties of unknown identity", method: "PUT", path: "/v1/identities/identity-{{uuid}}/properties", body: `[]`},
		{name: "put properties, not a list", method: "PUT", path: "/v1/identities/{{i1}}/properties", body: `{"key": "a"}`},
		{name: "agents of identity, none", method: "GET", path: "/v1/identities/{{i1}}/agents"},
		{name: "blocks of identity, none", method: "GET", path: "/v1/identities/{{i1}}/blocks"},
		{name: "agents of unknown identity", method: "GET", path: "/v1/identities/identity-{{uuid}}/agents"},
		{name: "blocks of unknown identity", method: "GET", path: "/v1/identities/identity-{{uuid}}/blocks"},

		// Agents: create, and the create errors.
		{name: "create agent 1", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-a1", ` + model + `, "tags": ["{{run}}", "{{run}}-a"], "identity_ids": ["{{i1}}"],
				"memory_blocks": [{"label": "human", "value": "Name: Ada"}, {"label": "persona", "value": "A helper."}],
				"metadata": {"plan": "pro", "n": 1}, "description": "first"}`,
			save: map[string]string{"a1": "id", "a1b0": "blocks.0.id", "a1b1": "blocks.1.id"}},
		{name: "create agent 2", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-a2", ` + model + `, "tags": ["{{run}}", "{{run}}-b"], "identity_ids": ["{{i1}}", "{{i2}}"]}`,
			save: map[string]string{"a2": "id"}},
		{name: "create agent 3", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-a3", ` + model + `, "tags": ["{{run}}"], "include_base_tools": false}`,
			save: map[string]string{"a3": "id"}},
		{name: "create agent 4", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-a4", ` + model + `, "tags": ["{{run}}", "{{run}}-a", "{{run}}-b"], "identity_ids": ["{{i3}}"]}`,
			save: map[string]string{"a4": "id"}},
		{name: "create agent 5", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-a5", ` + model + `, "tags": ["{{run}}"], "block_ids": ["{{a1b1}}"]}`,
			save: map[string]string{"a5": "id"}},
		{name: "create agent with a bad model handle", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-bad", "model": "nohandle", "embedding": "letta/letta-free", "tags": ["{{run}}-bad"]}`},
		{name: "create agent with an unknown model", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-bad", "model": "letta/no-such-model", "embedding": "letta/letta-free", "tags": ["{{run}}-bad"]}`},
		{name: "create agent without a model", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-bad", "embedding": "letta/letta-free", "tags": ["{{run}}-bad"]}`},
		{name: "create agent with a bad name", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}/bad", ` + model + `, "tags": ["{{run}}-bad"]}`},
		{name: "create agent with unknown tool_ids", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-bad", ` + model + `, "tags": ["{{run}}-bad"], "tool_ids": ["tool-{{uuid}}"]}`},
		{name: "create agent with unknown identity_ids", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-bad", ` + model + `, "tags": ["{{run}}-bad"], "identity_ids": ["identity-{{uuid}}"]}`},
		{name: "create agent with unknown block_ids", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-a6", ` + model + `, "tags": ["{{run}}-six"], "block_ids": ["block-{{uuid}}"]}`,
			save: map[string]string{"a6": "id"}},
		{name: "agents made by failed creates", method: "GET", path: "/v1/agents/?tags={{run}}-bad"},

		// Agents: list, pagination and filters.
		{name: "list agents", method: "GET", path: agents},
		{name: "list agents asc", method: "GET", path: agents + "&order=asc"},
		{name: "list agents limit 2", method: "GET", path: agents + "&limit=2"},
		{name: "list agents limit 0", method: "GET", path: agents + "&limit=0"},
		{name: "list agents limit -1", method: "GET", path: agents + "&limit=-1"},
		{name: "list agents after (desc)", method: "GET", path: agents + "&after={{a3}}"},
		{name: "list agents before (desc)", method: "GET", path: agents + "&before={{a3}}"},
		{name: "list agents after (asc)", method: "GET", path: agents + "&order=asc&after={{a3}}"},
		{name: "list agents before (asc)", method: "GET", path: agents + "&order=asc&before={{a3}}"},
		{name: "agents window (desc)", method: "GET", path: agents + "&before={{a5}}&after={{a1}}"},
		{name: "agents window (asc)", method: "GET", path: agents + "&order=asc&before={{a5}}&after={{a1}}"},
		{name: "agents window larger than limit", method: "GET", path: agents + "&before={{a5}}&after={{a1}}&limit=1"},
		{name: "agents window, before older than after", method: "GET", path: agents + "&before={{a1}}&after={{a5}}"},
		{name: "list agents, unknown cursor", method: "GET", path: agents + "&after=agent-{{uuid}}"},
		{name: "list agents by updated_at", method: "GET", path: agents + "&order_by=updated_at&order=asc"},
		{name: "list agents, any of two tags", method: "GET", path: "/v1/agents/?tags={{run}}-a&tags={{run}}-b"},
		{name: "list agents, all of two tags", method: "GET", path: "/v1/agents/?tags={{run}}-a&tags={{run}}-b&match_all_tags=true"},
		{name: "list agents by identifier_keys", method: "GET", path: "/v1/agents/?identifier_keys={{run}}-k1"},
		{name: "list agents by two identifier_keys of one agent", method: "GET", path: "/v1/agents/?identifier_keys={{run}}-k1&identifier_keys={{run}}-k2"},
		{name: "list agents by identity_id", method: "GET", path: "/v1/agents/?identity_id={{i1}}"},
		{name: "list agents by name", method: "GET", path: "/v1/agents/?name={{run}}-a3"},
		{name: "list agents by query_text", method: "GET", path: agents + "&query_text={{run}}-A"},
		{name: "list agents include blocks", method: "GET", path: agents + "&include=agent.blocks"},
		{name: "list agents include identities and tools", method: "GET", path: agents + "&include=agent.identities&include=agent.tools&limit=2"},
		{name: "list agents as a legacy client", method: "GET", path: agents + "&limit=2", legacy: true},
		{name: "list agents, no trailing slash", method: "GET", path: "/v1/agents?tags={{run}}"},
		{name: "count agents by tag", method: "GET", path: "/v1/agents/count?tags={{run}}"},
		{name: "count agents by two identifier_keys of one agent", method: "GET", path: "/v1/agents/count?identifier_keys={{run}}-k1&identifier_keys={{run}}-k2"},

		// Agents: read.
		{name: "get agent", method: "GET", path: "/v1/agents/{{a1}}"},
		{name: "get agent include blocks", method: "GET", path: "/v1/agents/{{a1}}?include=agent.blocks"},
		{name: "get agent include tags and identities", method: "GET", path: "/v1/agents/{{a1}}?include=agent.tags&include=agent.identities"},
		{name: "get agent as a legacy client", method: "GET", path: "/v1/agents/{{a2}}", legacy: true},
		{name: "get unknown agent", method: "GET", path: "/v1/agents/agent-{{uuid}}"},
		{name: "get malformed agent id", method: "GET", path: "/v1/agents/agent-1"},

		// Agents: modify.
		{name: "patch agent", method: "PATCH", path: "/v1/agents/{{a1}}",
			body: `{"description": "changed", "metadata": {"plan": "team"}, "tags": ["{{run}}", "{{run}}-a", "{{run}}-c"]}`},
		{name: "patch agent identity_ids", method: "PATCH", path: "/v1/agents/{{a3}}", body: `{"identity_ids": ["{{i2}}", "{{i3}}"]}`},
		{name: "patch unknown agent", method: "PATCH", path: "/v1/agents/agent-{{uuid}}", body: `{"description": "x"}`},
		{name: "patch agent with unknown tool_ids", method: "PATCH", path: "/v1/agents/{{a3}}", body: `{"tool_ids": ["tool-{{uuid}}"]}`},
		{name: "patch agent with unknown identity_ids", method: "PATCH", path: "/v1/agents/{{a3}}", body: `{"identity_ids": ["identity-{{uuid}}"]}`},
		{name: "patch agent with unknown block_ids", method: "PATCH", path: "/v1/agents/{{a3}}", body: `{"block_ids": ["block-{{uuid}}"]}`},
		{name: "patch agent block_ids", method: "PATCH", path: "/v1/agents/{{a1}}", body: `{"block_ids": ["{{a1b0}}"]}`},
		{name: "patch agent with a bad model handle", method: "PATCH", path: "/v1/agents/{{a3}}", body: `{"model": "nohandle"}`},
		{name: "patch agent with a bad name", method: "PATCH", path: "/v1/agents/{{a3}}", body: `{"name": "a/b"}`},
		{name: "agent after failed patches", method: "GET", path: "/v1/agents/{{a3}}?include=agent.tags&include=agent.identities&include=agent.blocks"},

		// Attach and detach.
		{name: "attach identity", method: "PATCH", path: "/v1/agents/{{a1}}/identities/attach/{{i4}}"},
		{name: "attach identity again", method: "PATCH", path: "/v1/agents/{{a1}}/identities/attach/{{i4}}"},
		{name: "attach unknown identity", method: "PATCH", path: "/v1/agents/{{a1}}/identities/attach/identity-{{uuid}}"},
		{name: "attach to unknown agent", method: "PATCH", path: "/v1/agents/agent-{{uuid}}/identities/attach/{{i4}}"},
		{name: "agent after attach", method: "GET", path: "/v1/agents/{{a1}}?include=agent.identities"},
		{name: "detach identity", method: "PATCH", path: "/v1/agents/{{a1}}/identities/detach/{{i1}}"},
		{name: "detach unknown identity", method: "PATCH", path: "/v1/agents/{{a1}}/identities/detach/identity-{{uuid}}"},
		{name: "agent after detach", method: "GET", path: "/v1/agents/{{a1}}?include=agent.identities"},

		// Identity sub-lists with agents.
		{name: "agents of identity", method: "GET", path: "/v1/identities/{{i2}}/agents"},
		{name: "agents of identity asc, limit 1", method: "GET", path: "/v1/identities/{{i2}}/agents?order=asc&limit=1"},
		{name: "agents of identity after", method: "GET", path: "/v1/identities/{{i2}}/agents?after={{a3}}"},
		{name: "agents of identity include tags", method: "GET", path: "/v1/identities/{{i2}}/agents?include=agent.tags"},
		{name: "blocks of identity", method: "GET", path: "/v1/identities/{{i2}}/blocks"},
		{name: "agents of identity as a legacy client", method: "GET", path: "/v1/identities/{{i2}}/agents", legacy: true},
		{name: "agents of identity, window", method: "GET", path: "/v1/identities/{{i2}}/agents?before={{a3}}&after={{a2}}"},
		{name: "agents of identity, window before older than after", method: "GET", path: "/v1/identities/{{i2}}/agents?before={{a2}}&after={{a3}}"},
		{name: "agents of identity, limit 0", method: "GET", path: "/v1/identities/{{i2}}/agents?limit=0"},
		{name: "agents of identity, limit -1", method: "GET", path: "/v1/identities/{{i2}}/agents?limit=-1"},
		{name: "agents of identity, unknown cursor", method: "GET", path: "/v1/identities/{{i2}}/agents?after=agent-{{uuid}}"},

		// Identity blocks: three blocks made by one request share created_at.
		{name: "create agent with three blocks", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-a7", ` + model + `, "tags": ["{{run}}-seven"], "include_base_tools": false,
				"memory_blocks": [{"label": "x", "value": "1"}, {"label": "y", "value": "2"}, {"label": "z", "value": "3"}]}`,
			save: map[string]string{"a7": "id", "b0": "blocks.0.id", "b1": "blocks.1.id", "b2": "blocks.2.id"}},
		{name: "create identity with block_ids", method: "POST", path: "/v1/identities/",
			body: `{"identifier_key": "{{run}}-kb", "name": "{{run}} Blocks", "identity_type": "user", "block_ids": ["{{b0}}", "{{b1}}"]}`,
			save: map[string]string{"ib": "id"}},
		{name: "patch identity with block_ids", method: "PATCH", path: "/v1/identities/{{ib}}", body: `{"block_ids": ["{{b2}}"]}`},
		{name: "blocks of identity, all", method: "GET", path: "/v1/identities/{{ib}}/blocks?order=asc", sortBy: "label"},
		{name: "blocks of identity, limit 1", method: "GET", path: "/v1/identities/{{ib}}/blocks?limit=1&order=asc", save: map[string]string{"bfirst": "0.id"},
			allow: tiedBlocks},
		{name: "blocks of identity after the first (asc)", method: "GET", path: "/v1/identities/{{ib}}/blocks?order=asc&after={{bfirst}}", sortBy: "label", allow: tiedBlocks},
		{name: "blocks of identity after the first (desc)", method: "GET", path: "/v1/identities/{{ib}}/blocks?after={{bfirst}}", sortBy: "label", allow: tiedBlocks},
		{name: "blocks of identity before the first (desc)", method: "GET", path: "/v1/identities/{{ib}}/blocks?before={{bfirst}}", sortBy: "label"},
		{name: "blocks of identity, limit -1", method: "GET", path: "/v1/identities/{{ib}}/blocks?limit=-1"},
		{name: "blocks of identity, unknown cursor", method: "GET", path: "/v1/identities/{{ib}}/blocks?before=block-{{uuid}}"},
		{name: "create identity with blocks of two agents", method: "POST", path: "/v1/identities/",
			body: `{"identifier_key": "{{run}}-kb2", "name": "{{run}} Blocks 2", "identity_type": "user", "block_ids": ["{{a1b0}}", "{{b0}}"]}`,
			save: map[string]string{"ib2": "id"}},
		{name: "blocks of two agents", method: "GET", path: "/v1/identities/{{ib2}}/blocks"},
		{name: "blocks of two agents, after (desc)", method: "GET", path: "/v1/identities/{{ib2}}/blocks?after={{b0}}"},
		{name: "blocks of two agents, after (asc)", method: "GET", path: "/v1/identities/{{ib2}}/blocks?order=asc&after={{a1b0}}"},
		{name: "blocks of two agents, before (asc)", method: "GET", path: "/v1/identities/{{ib2}}/blocks?order=asc&before={{a1b0}}"},
		{name: "blocks of two agents, limit 0", method: "GET", path: "/v1/identities/{{ib2}}/blocks?limit=0"},
		{name: "patch agent as a legacy client", method: "PATCH", path: "/v1/agents/{{a7}}", body: `{"description": "seven"}`, legacy: true},
		{name: "detach from unknown agent", method: "PATCH", path: "/v1/agents/agent-{{uuid}}/identities/detach/{{i2}}"},
		{name: "malformed user_id header", method: "GET", path: "/v1/identities/?name={{run}}", header: map[string]string{"user_id": "bob"}},
		{name: "attach a malformed identity id", method: "PATCH", path: "/v1/agents/{{a7}}/identities/attach/identity-1"},
		{name: "get identity linked to agents", method: "GET", path: "/v1/identities/{{i2}}"},

		// Identity writes that touch agents.
		{name: "upsert identity with agent_ids", method: "PUT", path: "/v1/identities/",
			body: `{"identifier_key": "{{run}}-k5", "name": "{{run}} Person 5", "identity_type": "user", "agent_ids": ["{{a5}}"]}`},
		{name: "patch identity with agent_ids", method: "PATCH", path: "/v1/identities/{{i5}}", body: `{"agent_ids": ["{{a4}}"]}`},
		{name: "agents of identity after writes", method: "GET", path: "/v1/identities/{{i5}}/agents"},

		// Deletes.
		{name: "delete agent", method: "DELETE", path: "/v1/agents/{{a5}}"},
		{name: "delete agent again", method: "DELETE", path: "/v1/agents/{{a5}}"},
		{name: "delete identity", method: "DELETE", path: "/v1/identities/{{i5}}"},
		{name: "delete identity again", method: "DELETE", path: "/v1/identities/{{i5}}"},
		{name: "agent after its identity was deleted", method: "GET", path: "/v1/agents/{{a4}}?include=agent.identities"},
		{name: "list agents after deletes", method: "GET", path: agents},
		{name: "count agents after deletes", method: "GET", path: "/v1/agents/count?tags={{run}}"},
	}
	// Clean up what the scenario made (also compared).
	for _, a := range []string{"a1", "a2", "a3", "a4", "a6", "a7"} {
		s = append(s, step{name: "clean up " + a, method: "DELETE", path: "/v1/agents/{{" + a + "}}"})
	}
	for _, i := range []string{"i1", "i2", "i3", "i4", "iorg", "ib", "ib2"} {
		s = append(s, step{name: "clean up " + i, method: "DELETE", path: "/v1/identities/{{" + i + "}}"})
	}
	s = append(s, step{name: "identities after clean-up", method: "GET", path: list})
	return s
}
