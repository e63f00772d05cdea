package lettatest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests in this file pin behaviours that the differential test
// (differential_live_test.go) found on the real server (letta 0.16.8 on
// PostgreSQL) where lettatest answered otherwise.

func TestVerifiedTimestampsHaveSixFractionDigits(t *testing.T) {
	assert.Equal(t, "2026-12-02T01:11:09.751700Z", formatTime(time.Date(2026, 12, 2, 1, 11, 9, 751700000, time.UTC)))
	assert.Equal(t, "2026-12-02T01:11:09.000001Z", formatTime(time.Date(2026, 12, 2, 1, 11, 9, 1000, time.UTC)))
	assert.Equal(t, "2026-12-02T01:11:09Z", formatTime(time.Date(2026, 12, 2, 1, 11, 9, 0, time.UTC)))

	srv := newServer(t)
	it := createIdentity(t, srv, "k", nil)
	a := createAgent(t, srv, map[string]any{"identity_ids": []string{it["id"].(string)}})
	six := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$`)
	for _, k := range []string{"created_at", "updated_at"} {
		assert.Regexp(t, six, a[k])
	}
}

func TestVerifiedPyDatetime(t *testing.T) {
	assert.Equal(t, "datetime.datetime(2026, 12, 2, 1, 9, 59, 174176, tzinfo=datetime.timezone.utc)",
		pyDatetime(time.Date(2026, 12, 2, 1, 9, 59, 174176000, time.UTC)))
	assert.Equal(t, "datetime.datetime(2026, 12, 2, 1, 9, 59, tzinfo=datetime.timezone.utc)",
		pyDatetime(time.Date(2026, 12, 2, 1, 9, 59, 0, time.UTC)))
	assert.Equal(t, "datetime.datetime(2026, 12, 2, 1, 9, tzinfo=datetime.timezone.utc)",
		pyDatetime(time.Date(2026, 12, 2, 1, 9, 0, 0, time.UTC)))
}

// The routes that read a row with the ORM's read_async answer its text,
// with the actor's full repr; GET /v1/agents/{id} has its own text.
func TestVerifiedNotFoundTexts(t *testing.T) {
	srv := newServer(t, WithDeterministicIDs(1))
	a := createAgent(t, srv, map[string]any{})
	it := createIdentity(t, srv, "k", nil)
	unknownAgent := "agent-123e4567-e89b-42d3-8456-426614174000"
	unknownIdentity := "identity-123e4567-e89b-42d3-8456-426614174000"
	actor := "actor='id='user-00000000-0000-4000-8000-000000000000' organization_id='org-00000000-0000-4000-8000-000000000000' " +
		"name='default_user' created_at=datetime.datetime(2024, 12, 31, 23, 59, 59, tzinfo=datetime.timezone.utc) " +
		"updated_at=datetime.datetime(2024, 12, 31, 23, 59, 59, tzinfo=datetime.timezone.utc) is_deleted=False'"
	agentRead := "Agent not found with id='['" + unknownAgent + "']', access level in ['read'] for " + actor
	identityRead := "Identity not found with id='['" + unknownIdentity + "']', access level in ['read'] for " + actor
	for _, c := range []struct {
		method, path string
		body         any
		want         string
	}{
		{"GET", "/v1/agents/" + unknownAgent, nil, "Agent with ID " + unknownAgent + " not found"},
		{"PATCH", "/v1/agents/" + unknownAgent, map[string]any{"description": "x"}, agentRead},
		{"DELETE", "/v1/agents/" + unknownAgent, nil, agentRead},
		{"PATCH", "/v1/agents/" + unknownAgent + "/identities/attach/" + it["id"].(string), nil, agentRead},
		{"GET", "/v1/identities/" + unknownIdentity, nil, identityRead},
		{"PATCH", "/v1/identities/" + unknownIdentity, map[string]any{"name": "x"}, identityRead},
		{"PUT", "/v1/identities/" + unknownIdentity + "/properties", []any{}, identityRead},
		{"PATCH", "/v1/agents/" + a["id"].(string) + "/identities/attach/" + unknownIdentity, nil, identityRead},
	} {
		r := call(t, srv, c.method, c.path, c.body)
		require.Equal(t, http.StatusNotFound, r.status, "%s %s: %s", c.method, c.path, r.body)
		assert.Equal(t, c.want, r.detail(t), "%s %s", c.method, c.path)
	}
}

// Identities list with list_async's cursors: time bounds, windows answered
// by their middle slice when wider than the limit.
func TestVerifiedIdentityWindows(t *testing.T) {
	srv := newServer(t)
	var id []string
	for _, k := range []string{"k1", "k2", "k3", "k4", "k5", "k6"} {
		id = append(id, createIdentity(t, srv, k, nil)["id"].(string))
	}
	window := "?before=" + id[5] + "&after=" + id[0]
	for _, c := range []struct {
		query string
		want  []string
	}{
		{window, []string{id[4], id[3], id[2], id[1]}},
		{window + "&order=asc", []string{id[1], id[2], id[3], id[4]}},
		// 2*(1+1) rows fetched, the middle 2 kept, then trimmed to 1.
		{window + "&limit=1", []string{id[3]}},
		{window + "&limit=2&order=asc", []string{id[2], id[3]}},
		{"?before=" + id[2], []string{id[5], id[4], id[3]}},
		{"?before=" + id[2] + "&order=asc", []string{id[0], id[1]}},
		{"?after=" + id[2], []string{id[1], id[0]}},
		{"?after=" + id[2] + "&order=asc", []string{id[3], id[4], id[5]}},
	} {
		r := call(t, srv, "GET", "/v1/identities/"+c.query, nil)
		require.Equal(t, http.StatusOK, r.status, "%s: %s", c.query, r.body)
		assert.Equal(t, c.want, ids(t, r.list(t)), c.query)
	}
	r := call(t, srv, "GET", "/v1/identities/?before="+id[0]+"&after="+id[5], nil)
	require.Equal(t, http.StatusBadRequest, r.status, "body: %s", r.body)
	assert.Equal(t, "'before' reference must be later than 'after' reference", r.detail(t))
	r = call(t, srv, "GET", "/v1/identities/"+window+"&limit=0", nil)
	assert.Equal(t, http.StatusInternalServerError, r.status, "limit None * 2: body %s", r.body)
}

func TestVerifiedLimits(t *testing.T) {
	srv := newServer(t)
	it := createIdentity(t, srv, "k", nil)["id"].(string)
	for range 3 {
		createAgent(t, srv, map[string]any{"identity_ids": []string{it}})
	}
	for _, c := range []struct {
		path   string
		status int
		n      int
	}{
		{"/v1/agents/?limit=0", 200, 3},
		{"/v1/agents/?limit=-1", 500, 0},
		{"/v1/identities/?limit=0", 200, 1},
		{"/v1/identities/?limit=-1", 200, 0},
		{"/v1/identities/?limit=-2", 500, 0},
		{"/v1/identities/" + it + "/agents?limit=0", 200, 0},
		{"/v1/identities/" + it + "/agents?limit=2", 200, 2},
		{"/v1/identities/" + it + "/agents?limit=-1", 500, 0},
		{"/v1/identities/" + it + "/blocks?limit=-1", 500, 0},
	} {
		r := call(t, srv, "GET", c.path, nil)
		require.Equal(t, c.status, r.status, "%s: %s", c.path, r.body)
		if c.status == 200 {
			assert.Len(t, r.list(t), c.n, c.path)
		} else {
			assert.Equal(t, "A database error occurred.", r.detail(t), c.path)
		}
	}
}

func TestVerifiedUnknownIDsInAgentBodies(t *testing.T) {
	srv := newServer(t)
	unknownBlock := "block-123e4567-e89b-42d3-8456-426614174000"
	unknownTool := "tool-123e4567-e89b-42d3-8456-426614174000"

	// Create: unknown block_ids are dropped silently.
	a := createAgent(t, srv, map[string]any{"block_ids": []string{unknownBlock}})
	assert.Empty(t, a["blocks"])
	id := a["id"].(string)

	// Create: unknown tool_ids are a 400, identity_ids a foreign key 409
	// naming the new agent's id; nothing is stored.
	r := call(t, srv, "POST", "/v1/agents/", map[string]any{"model": "openai/x", "tool_ids": []string{unknownTool}})
	require.Equal(t, http.StatusBadRequest, r.status, "body: %s", r.body)
	assert.Equal(t, "Tools not found by id:   {'"+unknownTool+"'}", r.detail(t))
	r = call(t, srv, "POST", "/v1/agents/", map[string]any{"model": "openai/x", "identity_ids": []string{unknownIdentityID}})
	require.Equal(t, http.StatusConflict, r.status, "body: %s", r.body)
	assert.Regexp(t, `^\(sqlalchemy.dialects.postgresql.asyncpg.IntegrityError\) <class 'asyncpg.exceptions.ForeignKeyViolationError'>: `+
		`insert or update on table "identities_agents" violates foreign key constraint "identities_agents_identity_id_fkey"\n`+
		`DETAIL:  Key \(identity_id\)=\(`+unknownIdentityID+`\) is not present in table "identities".\n`+
		`\[SQL: INSERT INTO identities_agents \(identity_id, agent_id\) VALUES \(\$1::VARCHAR, \$2::VARCHAR\) ON CONFLICT DO NOTHING\]\n`+
		`\[parameters: \('`+unknownIdentityID+`', 'agent-[0-9a-f-]{36}'\)\]\n\(Background on this error at: https://sqlalche.me/e/20/gkpj\)$`, r.detail(t))
	assert.Equal(t, "1", string(call(t, srv, "GET", "/v1/agents/count", nil).body))

	// PATCH: tool_ids and identity_ids are foreign key 409s, block_ids an
	// unhandled 500; nothing changes.
	r = call(t, srv, "PATCH", "/v1/agents/"+id, map[string]any{"tool_ids": []string{unknownTool}})
	require.Equal(t, http.StatusConflict, r.status, "body: %s", r.body)
	assert.Contains(t, r.detail(t), `insert or update on table "tools_agents" violates foreign key constraint "tools_agents_tool_id_fkey"`+
		"\nDETAIL:  Key (tool_id)=("+unknownTool+`) is not present in table "tools".`)
	assert.Contains(t, r.detail(t), "[parameters: ('"+id+"', '"+unknownTool+"')]")
	r = call(t, srv, "PATCH", "/v1/agents/"+id, map[string]any{"identity_ids": []string{unknownIdentityID}})
	require.Equal(t, http.StatusConflict, r.status, "body: %s", r.body)
	assert.Contains(t, r.detail(t), "[parameters: ('"+unknownIdentityID+"', '"+id+"')]")
	r = call(t, srv, "PATCH", "/v1/agents/"+id, map[string]any{"block_ids": []string{unknownBlock}})
	require.Equal(t, http.StatusInternalServerError, r.status, "body: %s", r.body)
	assert.Equal(t, "An unknown error occurred", r.detail(t))
	got := mustOK(t, call(t, srv, "GET", "/v1/agents/"+id, nil, legacyUA))
	assert.Equal(t, a["tools"], got["tools"])
	assert.Empty(t, got["identity_ids"])
}

func TestVerifiedCreatedAgentDefaults(t *testing.T) {
	srv := newServer(t)
	a := createAgent(t, srv, map[string]any{
		"model": "letta/letta-free", "tags": []string{"t"},
		"memory_blocks": []any{
			map[string]any{"label": "human", "value": "h"},
			map[string]any{"label": "persona", "value": "p"},
			map[string]any{"label": "notes", "value": "n"},
			map[string]any{"label": "human", "value": "h2", "description": nil},
		},
	})
	assert.Equal(t, []any{}, a["tool_rules"])
	cs, isObj := a["compaction_settings"].(map[string]any)
	require.True(t, isObj, "compaction_settings: %v", a["compaction_settings"])
	assert.Equal(t, "letta/auto", cs["model"])
	assert.Equal(t, "sliding_window", cs["mode"])
	assert.Equal(t, json.Number("50000"), cs["clip_chars"])
	assert.Equal(t, json.Number("0.3"), cs["sliding_window_percentage"])
	assert.Equal(t, false, cs["prompt_acknowledgement"])
	assert.NotEmpty(t, cs["prompt"])
	assert.Contains(t, cs, "model_settings")

	blocks := a["blocks"].([]any)
	require.Len(t, blocks, 4)
	for i, want := range []any{defaultHumanDescription, defaultPersonaDescription, nil, nil} {
		b := blocks[i].(map[string]any)
		assert.Equal(t, want, b["description"], "block %d", i)
		assert.Nil(t, b["created_by_id"], "block %d", i)
		assert.Nil(t, b["last_updated_by_id"], "block %d", i)
	}

	// A model without a summariser default summarises with itself; sent
	// settings keep their values and get the rest filled in.
	b := createAgent(t, srv, map[string]any{"model": "groq/llama", "compaction_settings": map[string]any{"mode": "all", "clip_chars": 10}})
	cs = b["compaction_settings"].(map[string]any)
	assert.Equal(t, "groq/llama", cs["model"])
	assert.Equal(t, "all", cs["mode"])
	assert.Equal(t, json.Number("10"), cs["clip_chars"])
	assert.Equal(t, compactionPrompts["all"], cs["prompt"])

	// include=agent.blocks also loads the tags.
	got := mustOK(t, call(t, srv, "GET", "/v1/agents/"+a["id"].(string)+"?include=agent.blocks", nil, currentUA))
	assert.Equal(t, []any{"t"}, got["tags"])
}

func TestVerifiedLettaFreeConfig(t *testing.T) {
	srv := newServer(t)
	a := createAgent(t, srv, map[string]any{"model": "letta/letta-free", "embedding": "letta/letta-free",
		"model_settings": map[string]any{"provider_type": "openai", "parallel_tool_calls": false}})
	llm := a["llm_config"].(map[string]any)
	assert.Equal(t, "https://inference.letta.com/v1/", llm["model_endpoint"])
	assert.Nil(t, llm["display_name"])
	assert.Equal(t, json.Number("4096"), llm["max_tokens"])
	assert.Equal(t, false, llm["enable_reasoner"])
	assert.Equal(t, json.Number("1.0"), llm["temperature"])
	assert.Equal(t, "https://inference.letta.com/v1/", a["embedding_config"].(map[string]any)["embedding_endpoint"])
	// model_settings is derived from llm_config (OpenAIModelSettings), not
	// echoed: parallel_tool_calls is that model's default.
	assert.Equal(t, map[string]any{
		"provider_type": "openai", "max_output_tokens": json.Number("4096"), "parallel_tool_calls": true,
		"temperature": json.Number("1.0"), "reasoning": map[string]any{"reasoning_effort": "minimal"},
		"response_format": nil, "strict": false,
	}, a["model_settings"])
}

func TestVerifiedAgentNameAndHandleErrors(t *testing.T) {
	srv := newServer(t)
	r := call(t, srv, "POST", "/v1/agents/", map[string]any{"model": "openai/x", "name": "a/b"})
	require.Equal(t, http.StatusInternalServerError, r.status, "body: %s", r.body)
	assert.Equal(t, `Export failed: Agent name 'a/b' contains invalid characters. Only letters (any language), digits, spaces, `+
		`hyphens, underscores, and apostrophes are allowed. Please avoid filesystem-unsafe characters like: / \ : * ? " < > |`, r.detail(t))
	r = call(t, srv, "POST", "/v1/agents/", map[string]any{"model": "nohandle"})
	require.Equal(t, http.StatusBadRequest, r.status, "body: %s", r.body)
	assert.Equal(t, "INVALID_ARGUMENT: The model handle should be in the format provider/model-name", r.detail(t))

	a := createAgent(t, srv, map[string]any{})
	path := "/v1/agents/" + a["id"].(string)
	r = call(t, srv, "PATCH", path, map[string]any{"model": "nohandle"})
	require.Equal(t, http.StatusNotFound, r.status, "body: %s", r.body)
	assert.Equal(t, "NOT_FOUND: Handle nohandle not found, must be one of []", r.detail(t))
	// PATCH takes any name.
	got := mustOK(t, call(t, srv, "PATCH", path, map[string]any{"name": "a/b"}))
	assert.Equal(t, "a/b", got["name"])
}

// An agent tied to two identities whose keys are both asked for is listed,
// and counted, twice: the server joins the identities.
func TestVerifiedIdentifierKeysJoin(t *testing.T) {
	srv := newServer(t)
	i1 := createIdentity(t, srv, "k1", nil)["id"].(string)
	i2 := createIdentity(t, srv, "k2", nil)["id"].(string)
	both := createAgent(t, srv, map[string]any{"identity_ids": []string{i1, i2}})["id"].(string)
	one := createAgent(t, srv, map[string]any{"identity_ids": []string{i1}})["id"].(string)

	l := call(t, srv, "GET", "/v1/agents/?identifier_keys=k1&identifier_keys=k2", nil).list(t)
	assert.Equal(t, []string{one, both, both}, ids(t, l))
	assert.Equal(t, "3", string(call(t, srv, "GET", "/v1/agents/count?identifier_keys=k1&identifier_keys=k2", nil).body))
	l = call(t, srv, "GET", "/v1/agents/?identifier_keys=k1", nil).list(t)
	assert.Equal(t, []string{one, both}, ids(t, l))
}

func TestVerifiedUnknownLettaModel(t *testing.T) {
	srv := newServer(t)
	r := call(t, srv, "POST", "/v1/agents/", map[string]any{"model": "letta/no-such-model"})
	require.Equal(t, http.StatusNotFound, r.status, "body: %s", r.body)
	assert.Equal(t, "NOT_FOUND: Handle letta/no-such-model not found, must be one of []", r.detail(t))
	a := createAgent(t, srv, map[string]any{"model": "letta/letta-free"})
	r = call(t, srv, "PATCH", "/v1/agents/"+a["id"].(string), map[string]any{"model": "letta/nope"})
	require.Equal(t, http.StatusNotFound, r.status, "body: %s", r.body)
	assert.Equal(t, "NOT_FOUND: Handle letta/nope not found, must be one of []", r.detail(t))
}

func TestVerifiedMalformedIDTexts(t *testing.T) {
	srv := newServer(t)
	a := createAgent(t, srv, map[string]any{})
	r := call(t, srv, "PATCH", "/v1/agents/"+a["id"].(string)+"/identities/attach/identity-1", nil)
	require.Equal(t, http.StatusBadRequest, r.status, "body: %s", r.body)
	assert.Equal(t, "INVALID_ARGUMENT: Invalid identity ID format: identity-1. Expected format: 'identity-<uuid4>'", r.detail(t))
	r = call(t, srv, "GET", "/v1/identities/", nil, http.Header{"user_id": {"bob"}})
	require.Equal(t, http.StatusBadRequest, r.status, "body: %s", r.body)
	assert.Equal(t, "INVALID_ARGUMENT: Invalid user ID format: bob. Expected format: 'user-<uuid4>'", r.detail(t))
}

// The create answer has updated_at = created_at, but the server then writes
// the initial messages, which moves the stored updated_at. Attaching or
// detaching an identity writes the identity's side and leaves it.
func TestVerifiedAgentUpdatedAt(t *testing.T) {
	srv := newServer(t)
	it := createIdentity(t, srv, "k", nil)["id"].(string)
	a := createAgent(t, srv, map[string]any{})
	assert.Equal(t, a["created_at"], a["updated_at"])
	path := "/v1/agents/" + a["id"].(string)
	got := mustOK(t, call(t, srv, "GET", path, nil))
	assert.Equal(t, a["created_at"], got["created_at"])
	assert.True(t, ts(t, got["updated_at"]).After(ts(t, a["updated_at"])), "stored updated_at moved: %v", got["updated_at"])

	for _, op := range []string{"attach", "detach"} {
		r := call(t, srv, "PATCH", path+"/identities/"+op+"/"+it, nil)
		require.Equal(t, http.StatusOK, r.status, "%s: %s", op, r.body)
	}
	after := mustOK(t, call(t, srv, "GET", path, nil))
	assert.Equal(t, got["updated_at"], after["updated_at"])
}
