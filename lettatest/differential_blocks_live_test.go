//go:build letta_live

package lettatest

import (
	"os"
	"strings"
	"testing"
)

// TestDifferentialBlocks is TestDifferential for the /v1/blocks routes and
// an agent's core memory (/v1/agents/{agent_id}/core-memory/blocks...):
// every route, its errors, and the list filters and orders. Run it with
//
//	LETTA_BASE_URL=http://127.0.0.1:8283 go test -tags letta_live -run '^TestDifferential' -count=1 ./lettatest/
func TestDifferentialBlocks(t *testing.T) {
	base := strings.TrimRight(os.Getenv("LETTA_BASE_URL"), "/")
	if base == "" {
		t.Fatal("TestDifferentialBlocks needs the real Letta server: set LETTA_BASE_URL (start one with scripts/letta-server start)")
	}
	runDifferential(t, base, blocksScenario())
}

// byBlockID allows, for lists the server sorts by block id (an agent's core
// memory, and the blocks list with a filter that joins another table),
// which blocks a page or cursor keeps and in what order: the ids are random
// and differ between the servers. How many are kept is still compared, and
// lettatest's id order is checked by its unit tests.
var byBlockID = []allowRule{rule(`^\[\]\.`, "this list is sorted by the blocks' random ids, which differ between the servers")}

// blocksScenario creates blocks b1..b5 one request each (so creation order
// is time order), all tagged with the run marker, and every list filters
// by that tag or by the run's identities and agents.
func blocksScenario() []step {
	bl := "/v1/blocks/?tags={{run}}"
	create := func(name, save, body string) step {
		return step{name: name, method: "POST", path: "/v1/blocks/", body: body, save: map[string]string{save: "id"}}
	}
	s := []step{
		// Create, and its errors.
		create("create human block", "b1", `{"label": "human", "value": "Name: Ada", "tags": ["{{run}}", "{{run}}-a"]}`),
		create("create block with every field", "b2", `{"label": "{{run}}-notes", "value": "Likes jazz.", "description": "Facts",
			"limit": 5000, "metadata": {"k": 1}, "tags": ["{{run}}", "{{run}}-b"], "project_id": null, "preserve_on_migration": true}`),
		create("create persona block", "b3", `{"label": "persona", "value": "A helper.", "description": "Mine", "read_only": true,
			"tags": ["{{run}}", "{{run}}-a", "{{run}}-b"]}`),
		create("create hidden block", "b4", `{"label": "{{run}}-hidden", "value": "secret", "hidden": true, "tags": ["{{run}}"]}`),
		create("create template block", "b5", `{"label": "{{run}}-tpl", "value": "t", "is_template": true, "template_name": "{{run}} tpl", "tags": ["{{run}}"]}`),
		create("create block with a repeated tag", "b6", `{"label": "{{run}}-dup", "value": "", "tags": ["{{run}}-d", "{{run}}-d"]}`),
		create("create block without value", "b7", `{"label": "{{run}}-novalue", "tags": ["{{run}}-nv"]}`),
		create("create block with null value, lax limit, unknown field", "b8",
			`{"label": "{{run}}-lax", "value": null, "limit": "5", "color": "red", "tags": ["{{run}}-nv"]}`),
		create("create block with nulls and a project", "b9", `{"label": "persona", "value": "p", "description": null, "metadata": null,
			"tags": null, "hidden": null, "project_id": "{{run}}-proj", "preserve_on_migration": null}`),
		{name: "get block with nulls", method: "GET", path: "/v1/blocks/{{b9}}"},
		{name: "list blocks by project_id (untagged)", method: "GET", path: "/v1/blocks/?project_id={{run}}-proj"},
		{name: "count blocks by project_id", method: "GET", path: "/v1/blocks/count?project_id={{run}}-proj"},
		{name: "create block, empty body object", method: "POST", path: "/v1/blocks/", body: `{}`},
		{name: "create block, null label", method: "POST", path: "/v1/blocks/", body: `{"label": null, "value": "x"}`},
		{name: "create block, bad limit and tags", method: "POST", path: "/v1/blocks/", body: `{"label": "x", "value": "x", "limit": "many", "tags": "t"}`},
		{name: "create block, null is_template", method: "POST", path: "/v1/blocks/", body: `{"label": "x", "value": "x", "is_template": null}`},
		{name: "create block, body not an object", method: "POST", path: "/v1/blocks/", body: `["x"]`},

		// Get.
		{name: "get human block (stored description)", method: "GET", path: "/v1/blocks/{{b1}}"},
		{name: "get block with a repeated tag", method: "GET", path: "/v1/blocks/{{b6}}"},
		{name: "get unknown block", method: "GET", path: "/v1/blocks/block-{{uuid}}"},
		{name: "get malformed block id", method: "GET", path: "/v1/blocks/block-1"},
		{name: "wrong method on a block", method: "PUT", path: "/v1/blocks/{{b1}}", body: `{}`},

		// List: order, pagination, filters.
		{name: "list blocks", method: "GET", path: bl},
		{name: "list blocks desc", method: "GET", path: bl + "&order=desc"},
		{name: "list blocks limit 2", method: "GET", path: bl + "&limit=2"},
		{name: "list blocks limit 0", method: "GET", path: bl + "&limit=0"},
		{name: "list blocks limit -1", method: "GET", path: bl + "&limit=-1"},
		{name: "list blocks after (asc)", method: "GET", path: bl + "&after={{b1}}"},
		{name: "list blocks before (asc)", method: "GET", path: bl + "&before={{b3}}"},
		{name: "list blocks after (desc)", method: "GET", path: bl + "&order=desc&after={{b3}}"},
		{name: "list blocks before (desc)", method: "GET", path: bl + "&order=desc&before={{b1}}"},
		{name: "blocks window", method: "GET", path: bl + "&after={{b1}}&before={{b3}}"},
		{name: "blocks window, limit 1", method: "GET", path: bl + "&after={{b1}}&before={{b4}}&limit=1&show_hidden_blocks=true"},
		{name: "list blocks, unknown cursor", method: "GET", path: bl + "&after=block-{{uuid}}"},
		{name: "list blocks with hidden", method: "GET", path: bl + "&show_hidden_blocks=true"},
		{name: "list template blocks", method: "GET", path: bl + "&templates_only=true"},
		{name: "list template blocks by name", method: "GET", path: "/v1/blocks/?templates_only=true&name={{run}}%20tpl"},
		{name: "list blocks by label", method: "GET", path: bl + "&label=human"},
		{name: "list blocks by label_search", method: "GET", path: bl + "&label_search=NOTES"},
		{name: "list blocks by label_search, ignored with label", method: "GET", path: bl + "&label=persona&label_search=notes"},
		{name: "list blocks by value_search", method: "GET", path: bl + "&value_search=JAZZ"},
		{name: "list blocks by description_search", method: "GET", path: bl + "&description_search=fac"},
		{name: "list blocks, any of two tags", method: "GET", path: "/v1/blocks/?tags={{run}}-a&tags={{run}}-b"},
		{name: "list blocks, all of two tags", method: "GET", path: "/v1/blocks/?tags={{run}}-a&tags={{run}}-b&match_all_tags=true"},
		{name: "list blocks, all of a repeated tag", method: "GET", path: "/v1/blocks/?tags={{run}}-d&tags={{run}}-d&match_all_tags=true"},
		{name: "list blocks by project_id", method: "GET", path: bl + "&project_id=nowhere"},
		{name: "list blocks, bad label", method: "GET", path: bl + "&label=a%20b"},
		{name: "list blocks, empty label", method: "GET", path: bl + "&label="},
		{name: "list blocks, bad name and value_search", method: "GET", path: bl + "&name=a!&value_search="},
		{name: "list blocks, malformed identity_id", method: "GET", path: bl + "&identity_id=identity-1"},
		{name: "list blocks, bad order, limit and count", method: "GET", path: bl + "&order=up&limit=x&connected_to_agents_count_gt=y"},
		{name: "list blocks, bad order_by", method: "GET", path: bl + "&order_by=updated_at"},
		{name: "list blocks, no trailing slash", method: "GET", path: "/v1/blocks?tags={{run}}"},

		// Count.
		{name: "count blocks", method: "GET", path: "/v1/blocks/count", countOnly: true},
		{name: "count blocks by tag (hidden counted, templates not)", method: "GET", path: "/v1/blocks/count?tags={{run}}"},
		{name: "count template blocks by tag", method: "GET", path: "/v1/blocks/count?tags={{run}}&templates_only=true"},
		{name: "count blocks by label", method: "GET", path: "/v1/blocks/count?tags={{run}}&label=human"},
		{name: "count blocks, all of two tags", method: "GET", path: "/v1/blocks/count?tags={{run}}-a&tags={{run}}-b&match_all_tags=true"},
		{name: "count blocks by template name", method: "GET", path: "/v1/blocks/count?name={{run}}%20tpl"},
		{name: "count blocks, bad label", method: "GET", path: "/v1/blocks/count?label=a%20b"},

		// Update.
		{name: "patch block", method: "PATCH", path: "/v1/blocks/{{b2}}",
			body: `{"value": "Likes jazz and tea.", "metadata": {"k": 2}, "tags": ["{{run}}-c", "{{run}}"], "read_only": true}`},
		{name: "get patched block (tags as stored)", method: "GET", path: "/v1/blocks/{{b2}}"},
		{name: "patch block, nothing", method: "PATCH", path: "/v1/blocks/{{b2}}", body: `{}`},
		{name: "patch block, same tags in another order", method: "PATCH", path: "/v1/blocks/{{b3}}",
			body: `{"tags": ["{{run}}-b", "{{run}}", "{{run}}-a"]}`},
		{name: "patch block, nulls are not sent", method: "PATCH", path: "/v1/blocks/{{b3}}",
			body: `{"value": null, "label": null, "description": null, "tags": null, "limit": null}`},
		{name: "patch block, rename and relimit", method: "PATCH", path: "/v1/blocks/{{b1}}",
			body: `{"label": "{{run}}-person", "limit": 3, "description": "", "hidden": false, "unknown": 1}`},
		{name: "patch block, null is_template", method: "PATCH", path: "/v1/blocks/{{b1}}", body: `{"is_template": null, "limit": "x"}`},
		{name: "patch unknown block", method: "PATCH", path: "/v1/blocks/block-{{uuid}}", body: `{"value": "x"}`},
		{name: "patch malformed block id", method: "PATCH", path: "/v1/blocks/block-x", body: `{"value": "x"}`},
		{name: "patch block, body not an object", method: "PATCH", path: "/v1/blocks/{{b1}}", body: `"x"`},
		{name: "list blocks after patches", method: "GET", path: bl},

		// Identities.
		{name: "create identity 1", method: "POST", path: "/v1/identities/",
			body: `{"identifier_key": "{{run}}-k1", "name": "{{run}} One", "identity_type": "user"}`, save: map[string]string{"i1": "id"}},
		{name: "create identity 2", method: "POST", path: "/v1/identities/",
			body: `{"identifier_key": "{{run}}-k2", "name": "{{run}} Two", "identity_type": "user"}`, save: map[string]string{"i2": "id"}},
		{name: "attach identity to block", method: "PATCH", path: "/v1/blocks/{{b1}}/identities/attach/{{i1}}"},
		{name: "attach identity to block again", method: "PATCH", path: "/v1/blocks/{{b1}}/identities/attach/{{i1}}"},
		{name: "attach identity to a second block", method: "PATCH", path: "/v1/blocks/{{b2}}/identities/attach/{{i1}}"},
		{name: "attach a second identity", method: "PATCH", path: "/v1/blocks/{{b1}}/identities/attach/{{i2}}"},
		{name: "attach identity to the hidden block", method: "PATCH", path: "/v1/blocks/{{b4}}/identities/attach/{{i2}}"},
		{name: "attach a malformed identity id", method: "PATCH", path: "/v1/blocks/{{b1}}/identities/attach/bogus"},
		{name: "attach an unknown identity", method: "PATCH", path: "/v1/blocks/{{b1}}/identities/attach/identity-{{uuid}}"},
		{name: "attach identity to an unknown block", method: "PATCH", path: "/v1/blocks/block-{{uuid}}/identities/attach/{{i1}}"},
		{name: "attach identity to a malformed block id", method: "PATCH", path: "/v1/blocks/bogus/identities/attach/bogus"},
		{name: "blocks by identity_id", method: "GET", path: "/v1/blocks/?identity_id={{i1}}", sortBy: "label"},
		{name: "blocks by identity_id, limit 1", method: "GET", path: "/v1/blocks/?identity_id={{i1}}&limit=1", allow: byBlockID},
		{name: "blocks by identity_id with hidden", method: "GET", path: "/v1/blocks/?identity_id={{i2}}&show_hidden_blocks=true", sortBy: "label"},
		{name: "blocks by two identifier_keys (a block of both once)", method: "GET", path: "/v1/blocks/?identifier_keys={{run}}-k1&identifier_keys={{run}}-k2", sortBy: "label"},
		{name: "blocks of identity", method: "GET", path: "/v1/identities/{{i1}}/blocks"},
		{name: "detach identity from block", method: "PATCH", path: "/v1/blocks/{{b2}}/identities/detach/{{i1}}"},
		{name: "detach identity from block again", method: "PATCH", path: "/v1/blocks/{{b2}}/identities/detach/{{i1}}"},
		{name: "detach an unknown identity", method: "PATCH", path: "/v1/blocks/{{b2}}/identities/detach/identity-{{uuid}}"},
		{name: "blocks by identity_id after detach", method: "GET", path: "/v1/blocks/?identity_id={{i1}}"},

		// Agents of a block.
		{name: "create agent 1", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-a1", ` + model + `, "tags": ["{{run}}"], "include_base_tools": false, "block_ids": ["{{b2}}"],
				"memory_blocks": [{"label": "human", "value": "Name: Ada"}, {"label": "persona", "value": "A helper."}]}`,
			save: map[string]string{"a1": "id"}},
		{name: "create agent 2", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-a2", ` + model + `, "tags": ["{{run}}"], "include_base_tools": false, "block_ids": ["{{b2}}"]}`,
			save: map[string]string{"a2": "id"}},
		{name: "create agent 3", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-a3", ` + model + `, "tags": ["{{run}}"], "include_base_tools": false, "block_ids": ["{{b2}}", "{{b3}}"]}`,
			save: map[string]string{"a3": "id"}},
		{name: "create agent, memory block without value", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-a4", ` + model + `, "tags": ["{{run}}-four"], "include_base_tools": false, "memory_blocks": [{"label": "x"}]}`,
			save: map[string]string{"a4": "id"}},
		{name: "create agent, empty memory block", method: "POST", path: "/v1/agents/",
			body: `{"name": "{{run}}-bad", ` + model + `, "tags": ["{{run}}-bad"], "memory_blocks": [{"label": "x"}, {}]}`},
		{name: "agents of block", method: "GET", path: "/v1/blocks/{{b2}}/agents"},
		{name: "agents of block asc, limit 2", method: "GET", path: "/v1/blocks/{{b2}}/agents?order=asc&limit=2"},
		{name: "agents of block after (asc)", method: "GET", path: "/v1/blocks/{{b2}}/agents?order=asc&after={{a1}}"},
		{name: "agents of block before (desc)", method: "GET", path: "/v1/blocks/{{b2}}/agents?before={{a2}}"},
		{name: "agents of block, unknown cursor", method: "GET", path: "/v1/blocks/{{b2}}/agents?after=agent-{{uuid}}"},
		{name: "agents of block, limit 0", method: "GET", path: "/v1/blocks/{{b2}}/agents?limit=0"},
		{name: "agents of block, limit -1", method: "GET", path: "/v1/blocks/{{b2}}/agents?limit=-1"},
		{name: "agents of block include blocks and tags", method: "GET", path: "/v1/blocks/{{b2}}/agents?include=agent.blocks&include=agent.tags&limit=1"},
		{name: "agents of block as a legacy client", method: "GET", path: "/v1/blocks/{{b2}}/agents?limit=1", legacy: true},
		{name: "agents of block, bad include", method: "GET", path: "/v1/blocks/{{b2}}/agents?include=agent.nothing"},
		{name: "agents of unknown block", method: "GET", path: "/v1/blocks/block-{{uuid}}/agents"},
		{name: "agents of malformed block id", method: "GET", path: "/v1/blocks/block-1/agents"},
		{name: "blocks with more than one agent", method: "GET", path: bl + "&connected_to_agents_count_gt=1"},
		{name: "blocks with fewer than one agent", method: "GET", path: bl + "&connected_to_agents_count_lt=1", sortBy: "label"},
		{name: "blocks with exactly 0 or 1 agents", method: "GET", path: bl + "&connected_to_agents_count_eq=0&connected_to_agents_count_eq=1", sortBy: "label"},
		{name: "blocks with exactly 1 or 3 agents", method: "GET", path: bl + "&connected_to_agents_count_eq=1&connected_to_agents_count_eq=3", sortBy: "label"},

		// Core memory: list (sorted by block id), get and update by label.
		{name: "core memory blocks", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks", sortBy: "label"},
		{name: "core memory blocks asc", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks?order=asc", sortBy: "label"},
		{name: "core memory blocks, limit 1", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks?limit=1", allow: byBlockID,
			save: map[string]string{"cm1": "0.id"}},
		{name: "core memory blocks after the first", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks?after={{cm1}}", allow: byBlockID},
		{name: "core memory blocks before the first", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks?before={{cm1}}"},
		{name: "core memory blocks after the first (asc)", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks?order=asc&after={{cm1}}", allow: byBlockID},
		{name: "core memory blocks, a cursor below every id", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks?order=asc&after=block-0", sortBy: "label"},
		{name: "core memory blocks, limit 0", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks?limit=0", sortBy: "label"},
		{name: "core memory blocks, limit -1", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks?limit=-1"},
		{name: "core memory blocks, bad order", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks?order=up&order_by=id"},
		{name: "core memory blocks of unknown agent", method: "GET", path: "/v1/agents/agent-{{uuid}}/core-memory/blocks"},
		{name: "core memory blocks of malformed agent id", method: "GET", path: "/v1/agents/agent-1/core-memory/blocks"},
		{name: "core memory block by label", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks/human"},
		{name: "core memory block by a shared block's label", method: "GET", path: "/v1/agents/{{a2}}/core-memory/blocks/{{run}}-notes"},
		{name: "core memory block, unknown label", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks/nope"},
		{name: "core memory block labelled attach", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks/attach"},
		{name: "core memory block of unknown agent", method: "GET", path: "/v1/agents/agent-{{uuid}}/core-memory/blocks/human"},
		{name: "patch core memory block", method: "PATCH", path: "/v1/agents/{{a1}}/core-memory/blocks/human",
			body: `{"value": "Name: Ada Lovelace", "description": "Who"}`},
		{name: "patch core memory block, nothing", method: "PATCH", path: "/v1/agents/{{a1}}/core-memory/blocks/human", body: `{}`},
		{name: "patch core memory block, tags", method: "PATCH", path: "/v1/agents/{{a1}}/core-memory/blocks/human",
			body: `{"value": "Name: Ada L.", "tags": ["{{run}}-t"]}`, cut: sqlText},
		{name: "core memory block after the failed tags", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks/human"},
		{name: "patch core memory block, no tags", method: "PATCH", path: "/v1/agents/{{a2}}/core-memory/blocks/{{run}}-notes", body: `{"tags": []}`},
		{name: "shared block after the update through an agent", method: "GET", path: "/v1/blocks/{{b2}}"},
		{name: "rename core memory block", method: "PATCH", path: "/v1/agents/{{a1}}/core-memory/blocks/persona", body: `{"label": "{{run}}-persona"}`},
		{name: "core memory block by its new label", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks/{{run}}-persona"},
		{name: "core memory block by its old label", method: "GET", path: "/v1/agents/{{a1}}/core-memory/blocks/persona"},
		{name: "patch core memory block, unknown label", method: "PATCH", path: "/v1/agents/{{a1}}/core-memory/blocks/nope", body: `{"value": "x"}`},
		{name: "patch core memory block, bad body", method: "PATCH", path: "/v1/agents/{{a1}}/core-memory/blocks/human", body: `{"value": 5, "read_only": "maybe"}`},
		{name: "patch core memory block of unknown agent", method: "PATCH", path: "/v1/agents/agent-{{uuid}}/core-memory/blocks/human", body: `{}`},

		// Core memory: attach and detach.
		{name: "attach block", method: "PATCH", path: "/v1/agents/{{a2}}/core-memory/blocks/attach/{{b1}}"},
		{name: "attach block again", method: "PATCH", path: "/v1/agents/{{a2}}/core-memory/blocks/attach/{{b1}}"},
		{name: "agent after attach", method: "GET", path: "/v1/agents/{{a2}}?include=agent.blocks"},
		{name: "attach unknown block", method: "PATCH", path: "/v1/agents/{{a2}}/core-memory/blocks/attach/block-{{uuid}}"},
		{name: "attach block to unknown agent", method: "PATCH", path: "/v1/agents/agent-{{uuid}}/core-memory/blocks/attach/{{b1}}"},
		{name: "attach malformed block id", method: "PATCH", path: "/v1/agents/{{a2}}/core-memory/blocks/attach/block-1"},
		{name: "wrong method on attach", method: "GET", path: "/v1/agents/{{a2}}/core-memory/blocks/attach/{{b1}}"},
		{name: "agents of attached block", method: "GET", path: "/v1/blocks/{{b1}}/agents"},
		{name: "attach hidden block", method: "PATCH", path: "/v1/agents/{{a2}}/core-memory/blocks/attach/{{b4}}"},
		{name: "core memory with a hidden block", method: "GET", path: "/v1/agents/{{a2}}/core-memory/blocks", sortBy: "label"},
		{name: "hidden block by label", method: "GET", path: "/v1/agents/{{a2}}/core-memory/blocks/{{run}}-hidden"},
		{name: "agents of block with include_relationships as a legacy client", method: "GET",
			path: "/v1/blocks/{{b1}}/agents?include_relationships=tags&include_relationships=memory", legacy: true},
		{name: "detach block", method: "PATCH", path: "/v1/agents/{{a2}}/core-memory/blocks/detach/{{b2}}"},
		{name: "detach block again", method: "PATCH", path: "/v1/agents/{{a2}}/core-memory/blocks/detach/{{b2}}"},
		{name: "detach block from unknown agent", method: "PATCH", path: "/v1/agents/agent-{{uuid}}/core-memory/blocks/detach/{{b2}}"},
		{name: "agent after detach", method: "GET", path: "/v1/agents/{{a2}}?include=agent.blocks"},
		{name: "core memory after detach", method: "GET", path: "/v1/agents/{{a2}}/core-memory/blocks", sortBy: "label"},

		// Delete.
		{name: "delete block", method: "DELETE", path: "/v1/blocks/{{b2}}"},
		{name: "get deleted block", method: "GET", path: "/v1/blocks/{{b2}}"},
		{name: "delete block again", method: "DELETE", path: "/v1/blocks/{{b2}}"},
		{name: "delete malformed block id", method: "DELETE", path: "/v1/blocks/block-1"},
		{name: "agents of deleted block", method: "GET", path: "/v1/blocks/{{b2}}/agents"},
		{name: "core memory after the block was deleted", method: "GET", path: "/v1/agents/{{a3}}/core-memory/blocks"},
		{name: "agent after its block was deleted", method: "GET", path: "/v1/agents/{{a3}}?include=agent.blocks"},
		{name: "delete block attached to identities", method: "DELETE", path: "/v1/blocks/{{b1}}"},
		{name: "blocks of identity after delete", method: "GET", path: "/v1/identities/{{i2}}/blocks"},
		{name: "list blocks after deletes", method: "GET", path: bl + "&show_hidden_blocks=true"},
	}
	// Clean up what the scenario made (also compared).
	for _, a := range []string{"a1", "a2", "a3", "a4"} {
		s = append(s, step{name: "clean up " + a, method: "DELETE", path: "/v1/agents/{{" + a + "}}"})
	}
	for _, i := range []string{"i1", "i2"} {
		s = append(s, step{name: "clean up " + i, method: "DELETE", path: "/v1/identities/{{" + i + "}}"})
	}
	for _, b := range []string{"b3", "b4", "b5", "b6", "b7", "b8", "b9"} {
		s = append(s, step{name: "clean up " + b, method: "DELETE", path: "/v1/blocks/{{" + b + "}}"})
	}
	return s
}
