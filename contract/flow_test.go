package contract

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/lettatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lettatestOperations are the identities and agents operations lettatest
// serves; the flow must exercise each, and each at least once successfully.
var lettatestOperations = []string{
	"list_identities", "create_identity", "upsert_identity", "count_identities",
	"retrieve_identity", "update_identity", "delete_identity",
	"upsert_properties_for_identity", "list_agents_for_identity", "list_blocks_for_identity",
	"list_agents", "create_agent", "count_agents", "retrieve_agent", "modify_agent",
	"delete_agent", "attach_identity_to_agent", "detach_identity_from_agent",
}

// flow sends requests to a lettatest server the way the SDK does and checks
// every exchange against the spec.
type flow struct {
	t       *testing.T
	c       *Checker
	base    string
	header  http.Header
	hc      *http.Client
	ops     map[string][]int // operationId -> statuses seen
	stepped map[string]bool
}

func newFlow(t *testing.T, c *Checker, srv *lettatest.Server) *flow {
	return &flow{
		t:    t,
		c:    c,
		base: srv.URL,
		// The SDK's identifying headers: X-Stainless-Package-Version makes the
		// server load relationships only when include asks (letta-api.md 4.3).
		header: http.Header{
			"User-Agent":                  {"letta-go/" + letta.Version},
			"X-Stainless-Package-Version": {letta.Version},
			"Accept":                      {"application/json"},
		},
		hc:      &http.Client{},
		ops:     make(map[string][]int),
		stepped: make(map[string]bool),
	}
}

// step is one scripted exchange.
type step struct {
	name   string
	method string
	path   string
	query  url.Values // encoded as repeated keys, as go-querystring does
	body   string     // raw JSON, so that deliberate faults stay exact
	header http.Header
	// status is the status lettatest must answer; 0 accepts any (the
	// exchange is still checked against the spec).
	status int
	// requestFaults, when set, are where the deliberately faulty request must
	// be flagged, and the only places it may be; a conforming request must be
	// flagged nowhere.
	requestFaults []string
}

// do sends s, checks the status and both directions, and returns the body.
func (f *flow) do(s step) []byte {
	f.t.Helper()
	require.False(f.t, f.stepped[s.name], "duplicate step name %q", s.name)
	f.stepped[s.name] = true
	u := f.base + s.path
	if len(s.query) > 0 {
		u += "?" + s.query.Encode()
	}
	var body io.Reader = http.NoBody
	if s.body != "" {
		body = strings.NewReader(s.body)
	}
	req, err := http.NewRequest(s.method, u, body)
	require.NoError(f.t, err, s.name)
	req.Header = f.header.Clone()
	if s.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range s.header {
		req.Header[k] = v
	}
	resp, err := f.hc.Do(req)
	require.NoError(f.t, err, s.name)
	defer resp.Body.Close()
	respBody, err := io.ReadAll(resp.Body)
	require.NoError(f.t, err, s.name)
	if s.status != 0 {
		require.Equal(f.t, s.status, resp.StatusCode, "%s: %s %s answered %s", s.name, s.method, u, respBody)
	}

	check, err := http.NewRequest(s.method, u, nil)
	require.NoError(f.t, err)
	check.Header = req.Header.Clone()
	vs := f.c.ValidateExchange("step "+s.name, check, []byte(s.body), resp.StatusCode, resp.Header, respBody)
	flagged := make(map[string]bool)
	var other []Violation
	for _, v := range vs {
		if v.Direction == "request" && slices.Contains(s.requestFaults, v.Where) {
			flagged[v.Where] = true
			continue
		}
		other = append(other, v)
	}
	assert.Empty(f.t, other, "\n%s", render(other))
	for _, w := range s.requestFaults {
		assert.True(f.t, flagged[w], "%s: the deliberate fault at %s was not flagged", s.name, w)
	}
	if route, err := f.c.Route(check); err == nil {
		f.ops[route.Operation.OperationID] = append(f.ops[route.Operation.OperationID], resp.StatusCode)
	}
	return respBody
}

// id extracts "id" from a JSON object body.
func (f *flow) id(body []byte) string {
	f.t.Helper()
	var v struct {
		ID string `json:"id"`
	}
	require.NoError(f.t, json.Unmarshal(body, &v), string(body))
	require.NotEmpty(f.t, v.ID, string(body))
	return v.ID
}

func (f *flow) count(body []byte) int {
	f.t.Helper()
	var n int
	require.NoError(f.t, json.Unmarshal(body, &n), string(body))
	return n
}

func (f *flow) length(body []byte) int {
	f.t.Helper()
	var list []json.RawMessage
	require.NoError(f.t, json.Unmarshal(body, &list), string(body))
	return len(list)
}

func q(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// Well-formed ids that lettatest never issues.
const (
	unknownIdentity = "identity-00000000-0000-4000-8000-000000000000"
	unknownAgent    = "agent-00000000-0000-4000-8000-000000000000"
)

func TestLettatestFlowConformsToSpec(t *testing.T) {
	c := checker(t)
	srv := lettatest.NewServer(lettatest.WithDeterministicIDs(1), lettatest.WithDefaultModel("openai/gpt-4o-mini"))
	defer srv.Close()
	f := newFlow(t, c, srv)

	// Identities.
	require.Equal(t, 0, f.count(f.do(step{name: "count identities, empty", method: "GET", path: "/v1/identities/count", status: 200})))
	caren := f.id(f.do(step{name: "create user identity", method: "POST", path: "/v1/identities/", status: 200,
		body: `{"identifier_key":"user_1","name":"Caren","identity_type":"user","properties":[` +
			`{"key":"plan","value":"pro","type":"string"},{"key":"seats","value":3,"type":"number"},` +
			`{"key":"beta","value":true,"type":"boolean"},{"key":"prefs","value":{"theme":"dark"},"type":"json"}]}`}))
	acme := f.id(f.do(step{name: "create org identity", method: "POST", path: "/v1/identities/", status: 200,
		body: `{"identifier_key":"org_1","name":"Acme","identity_type":"org","project_id":"proj-1"}`}))
	f.do(step{name: "create duplicate identity", method: "POST", path: "/v1/identities/", status: 409,
		body: `{"identifier_key":"user_1","name":"Again","identity_type":"user"}`})
	f.do(step{name: "create identity with a misspelt field", method: "POST", path: "/v1/identities/", status: 422,
		body: `{"identifier_key":"user_2","nmae":"Bob","identity_type":"user"}`, requestFaults: []string{"$", "$.name"}})
	f.do(step{name: "create identity with an unknown type", method: "POST", path: "/v1/identities/", status: 422,
		body: `{"identifier_key":"user_3","name":"Rob","identity_type":"robot"}`, requestFaults: []string{"$.identity_type"}})

	require.Equal(t, 2, f.length(f.do(step{name: "list identities", method: "GET", path: "/v1/identities/", status: 200})))
	f.do(step{name: "list identities, every filter", method: "GET", path: "/v1/identities/", status: 200,
		query: q("name", "car", "identifier_key", "user_1", "identity_type", "user", "limit", "10", "order", "asc", "order_by", "created_at")})
	f.do(step{name: "list identities by project", method: "GET", path: "/v1/identities/", status: 200, query: q("project_id", "proj-1")})
	f.do(step{name: "list identities after a cursor", method: "GET", path: "/v1/identities/", status: 200, query: q("after", caren, "order", "asc")})
	f.do(step{name: "list identities before a cursor", method: "GET", path: "/v1/identities/", status: 200, query: q("before", acme, "order", "asc")})
	f.do(step{name: "list identities after an unknown cursor", method: "GET", path: "/v1/identities/", status: 404, query: q("after", unknownIdentity)})
	f.do(step{name: "list identities with limit=abc", method: "GET", path: "/v1/identities/", status: 422,
		query: q("limit", "abc"), requestFaults: []string{"query.limit"}})

	f.do(step{name: "get identity", method: "GET", path: "/v1/identities/" + caren, status: 200})
	f.do(step{name: "get unknown identity", method: "GET", path: "/v1/identities/" + unknownIdentity, status: 404})
	f.do(step{name: "get identity by malformed id", method: "GET", path: "/v1/identities/identity-123", status: 422,
		requestFaults: []string{"path.identity_id"}})
	f.do(step{name: "update identity", method: "PATCH", path: "/v1/identities/" + caren, status: 200,
		body: `{"name":"Caren B","properties":[{"key":"seats","value":4.5,"type":"number"}]}`})
	f.do(step{name: "update identity with empty body", method: "PATCH", path: "/v1/identities/" + caren, status: 200, body: `{}`})
	f.do(step{name: "update unknown identity", method: "PATCH", path: "/v1/identities/" + unknownIdentity, status: 404, body: `{"name":"x"}`})
	f.do(step{name: "upsert existing identity", method: "PUT", path: "/v1/identities/", status: 200,
		body: `{"identifier_key":"user_1","name":"Caren C","identity_type":"user","properties":[]}`})
	// The last open-source server probably answers 404 here (letta-api.md
	// 3.3, unverified) where lettatest creates; either conforms.
	f.do(step{name: "upsert new identity", method: "PUT", path: "/v1/identities/", status: 0,
		body: `{"identifier_key":"user_9","name":"Nine","identity_type":"other"}`})
	f.do(step{name: "put identity properties", method: "PUT", path: "/v1/identities/" + caren + "/properties", status: 200,
		body: `[{"key":"plan","value":"team","type":"string"}]`})
	f.do(step{name: "put properties of unknown identity", method: "PUT", path: "/v1/identities/" + unknownIdentity + "/properties", status: 404,
		body: `[]`})
	f.do(step{name: "list blocks of identity", method: "GET", path: "/v1/identities/" + caren + "/blocks", status: 200,
		query: q("limit", "5", "order", "desc", "order_by", "created_at")})
	f.do(step{name: "list blocks of unknown identity", method: "GET", path: "/v1/identities/" + unknownIdentity + "/blocks", status: 404})

	// Agents.
	agent := f.id(f.do(step{name: "create agent, everything", method: "POST", path: "/v1/agents/", status: 200,
		body: `{"name":"support","description":"helps","model":"openai/gpt-4o-mini","embedding":"openai/text-embedding-3-small",` +
			`"tags":["a","b"],"identity_ids":["` + caren + `"],"memory_blocks":[{"label":"human","value":"Caren"},{"label":"persona","value":"kind","limit":2000}],` +
			`"metadata":{"tier":"gold"},"secrets":{"TOKEN":"s3cr3t"},"include_base_tools":false,"context_window_limit":16000,"timezone":"Europe/Paris"}`}))
	plain := f.id(f.do(step{name: "create agent with the default model", method: "POST", path: "/v1/agents/", status: 200, body: `{}`}))
	f.do(step{name: "create agent with a model without provider", method: "POST", path: "/v1/agents/", status: 400,
		body: `{"model":"gpt-4o-mini"}`})

	f.do(step{name: "list agents", method: "GET", path: "/v1/agents/", status: 200})
	f.do(step{name: "list agents, every filter", method: "GET", path: "/v1/agents/", status: 200,
		query: q("name", "support", "tags", "a", "tags", "b", "match_all_tags", "true", "query_text", "sup",
			"identity_id", caren, "identifier_keys", "user_1", "identifier_keys", "org_1",
			"include", "agent.tags", "include", "agent.identities", "include", "agent.blocks",
			"limit", "10", "order", "asc", "order_by", "updated_at")})
	f.do(step{name: "list agents with every include", method: "GET", path: "/v1/agents/", status: 200,
		query: q("include", "agent.blocks", "include", "agent.identities", "include", "agent.managed_group",
			"include", "agent.pending_approval", "include", "agent.secrets", "include", "agent.sources",
			"include", "agent.tags", "include", "agent.tools")})
	f.do(step{name: "list agents by project, template, stop reason, creator", method: "GET", path: "/v1/agents/", status: 200,
		query: q("project_id", "p", "template_id", "t", "base_template_id", "bt", "last_stop_reason", "end_turn", "created_by_id", "user-1")})
	f.do(step{name: "list agents after a cursor", method: "GET", path: "/v1/agents/", status: 200, query: q("after", agent, "order", "asc")})
	f.do(step{name: "list agents with include agent.bogus", method: "GET", path: "/v1/agents/", status: 422,
		query: q("include", "agent.bogus"), requestFaults: []string{"query.include[0]"}})
	f.do(step{name: "list agents with limit=abc", method: "GET", path: "/v1/agents/", status: 422,
		query: q("limit", "abc"), requestFaults: []string{"query.limit"}})
	require.Equal(t, 2, f.count(f.do(step{name: "count agents", method: "GET", path: "/v1/agents/count", status: 200})))
	f.do(step{name: "count agents, every filter", method: "GET", path: "/v1/agents/count", status: 200,
		query: q("name", "support", "tags", "a", "tags", "z", "match_all_tags", "false", "query_text", "sup",
			"identity_id", caren, "identifier_keys", "user_1", "project_id", "p", "template_id", "t",
			"base_template_id", "bt", "last_stop_reason", "end_turn", "created_by_id", "user-1")})

	f.do(step{name: "get agent", method: "GET", path: "/v1/agents/" + agent, status: 200})
	f.do(step{name: "get agent with includes", method: "GET", path: "/v1/agents/" + agent, status: 200,
		query: q("include", "agent.blocks", "include", "agent.tools", "include", "agent.tags", "include", "agent.identities",
			"include", "agent.secrets", "include", "agent.sources", "include", "agent.managed_group", "include", "agent.pending_approval")})
	f.do(step{name: "get unknown agent", method: "GET", path: "/v1/agents/" + unknownAgent, status: 404})
	f.do(step{name: "get agent by malformed id", method: "GET", path: "/v1/agents/agent-xyz", status: 422, requestFaults: []string{"path.agent_id"}})
	f.do(step{name: "update agent", method: "PATCH", path: "/v1/agents/" + agent, status: 200,
		body: `{"name":"support-2","tags":["c"],"description":"still helps","metadata":{"tier":"silver"},"max_tokens":null,` +
			`"secrets":{"TOKEN":"n3w"},"identity_ids":["` + caren + `","` + acme + `"]}`})
	f.do(step{name: "update agent with empty body", method: "PATCH", path: "/v1/agents/" + agent, status: 200, body: `{}`})
	f.do(step{name: "update unknown agent", method: "PATCH", path: "/v1/agents/" + unknownAgent, status: 404, body: `{"name":"x"}`})

	f.do(step{name: "detach identity", method: "PATCH", path: "/v1/agents/" + agent + "/identities/detach/" + acme, status: 200})
	f.do(step{name: "attach identity", method: "PATCH", path: "/v1/agents/" + plain + "/identities/attach/" + acme, status: 200})
	f.do(step{name: "attach identity again", method: "PATCH", path: "/v1/agents/" + plain + "/identities/attach/" + acme, status: 200})
	f.do(step{name: "attach identity to unknown agent", method: "PATCH", path: "/v1/agents/" + unknownAgent + "/identities/attach/" + acme, status: 404})
	// identity_id is a plain string in the spec here: the server's manager
	// refuses a malformed one with 400, not 422 (letta-api.md 1).
	f.do(step{name: "attach malformed identity id", method: "PATCH", path: "/v1/agents/" + plain + "/identities/attach/nonsense", status: 400})
	f.do(step{name: "attach unknown identity", method: "PATCH", path: "/v1/agents/" + plain + "/identities/attach/" + unknownIdentity, status: 404})

	require.Equal(t, 1, f.length(f.do(step{name: "list agents of identity", method: "GET", path: "/v1/identities/" + acme + "/agents", status: 200,
		query: q("include", "agent.identities", "include", "agent.tags", "limit", "5", "order", "asc", "order_by", "created_at")})))
	f.do(step{name: "list agents of unknown identity", method: "GET", path: "/v1/identities/" + unknownIdentity + "/agents", status: 404})

	f.do(step{name: "delete agent", method: "DELETE", path: "/v1/agents/" + agent, status: 200})
	f.do(step{name: "delete agent again", method: "DELETE", path: "/v1/agents/" + agent, status: 404})
	f.do(step{name: "delete identity", method: "DELETE", path: "/v1/identities/" + acme, status: 200})
	f.do(step{name: "delete identity again", method: "DELETE", path: "/v1/identities/" + acme, status: 404})
	f.do(step{name: "count identities", method: "GET", path: "/v1/identities/count", status: 200})

	f.assertCovered(lettatestOperations)
}

// TestLettatestErrorResponsesConformToSpec covers the statuses a default
// server does not produce: 400 without a default model, 401, 413, and an
// injected 500.
func TestLettatestErrorResponsesConformToSpec(t *testing.T) {
	c := checker(t)

	noModel := lettatest.NewServer(lettatest.WithDeterministicIDs(1))
	defer noModel.Close()
	f := newFlow(t, c, noModel)
	f.do(step{name: "create agent without any model", method: "POST", path: "/v1/agents/", status: 400, body: `{"name":"m"}`})

	secure := lettatest.NewServer(lettatest.WithDeterministicIDs(1), lettatest.WithAPIKey("contract-key"))
	defer secure.Close()
	f = newFlow(t, c, secure)
	f.do(step{name: "list identities without a key", method: "GET", path: "/v1/identities/", status: 401})
	f.do(step{name: "list identities with a wrong key", method: "GET", path: "/v1/identities/", status: 401,
		header: http.Header{"Authorization": {"Bearer wrong"}}})
	f.do(step{name: "list identities with the key", method: "GET", path: "/v1/identities/", status: 200,
		header: http.Header{"Authorization": {"Bearer contract-key"}}})

	small := lettatest.NewServer(lettatest.WithDeterministicIDs(1), lettatest.WithMaxBodyBytes(64))
	defer small.Close()
	f = newFlow(t, c, small)
	f.do(step{name: "create identity over the body limit", method: "POST", path: "/v1/identities/", status: 413,
		body: `{"identifier_key":"` + strings.Repeat("k", 100) + `","name":"n","identity_type":"user"}`})

	faulty := lettatest.NewServer(lettatest.WithDeterministicIDs(1))
	defer faulty.Close()
	faulty.InjectFault(lettatest.Fault{Method: "GET", Path: "/v1/agents/", Status: 500})
	f = newFlow(t, c, faulty)
	f.do(step{name: "list agents with an injected 500", method: "GET", path: "/v1/agents/", status: 500})
}

// assertCovered fails for each operation the flow never reached, or never
// reached with a 2xx answer.
func (f *flow) assertCovered(ops []string) {
	f.t.Helper()
	var missing, unsuccessful []string
	for _, op := range ops {
		statuses, ok := f.ops[op]
		if !ok {
			missing = append(missing, op)
			continue
		}
		success := false
		for _, s := range statuses {
			success = success || s/100 == 2
		}
		if !success {
			unsuccessful = append(unsuccessful, op)
		}
	}
	sort.Strings(missing)
	assert.Empty(f.t, missing, "operations the flow never exercised")
	assert.Empty(f.t, unsuccessful, "operations the flow never exercised successfully")
}
