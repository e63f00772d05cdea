package contract

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	identityID = "identity-123e4567-e89b-42d3-8456-426614174000"
	agentID    = "agent-123e4567-e89b-42d3-8456-426614174000"
)

// identityJSON is a complete Identity as the real server sends it.
const identityJSON = `{"id":"` + identityID + `","identifier_key":"user_1","name":"Caren",` +
	`"identity_type":"user","project_id":null,"agent_ids":[],"block_ids":[],` +
	`"organization_id":"org-00000000-0000-4000-8000-000000000000",` +
	`"properties":[{"key":"plan","value":"pro","type":"string"}]}`

// agentJSON is a minimal AgentState: its required fields only.
const agentJSON = `{"id":"` + agentID + `","name":"a","system":"s","agent_type":"letta_v1_agent",` +
	`"llm_config":{"model":"gpt-4o-mini","model_endpoint_type":"openai","context_window":128000},` +
	`"memory":{"blocks":[]},"blocks":[],"tools":[],"sources":[],"tags":[]}`

// secretJSON and sourceJSON are an AgentEnvironmentVariable and a Source
// as the server sends them, organization_id included.
const (
	secretJSON = `{"id":"agent-env-123e4567-e89b-42d3-8456-426614174000","key":"TOKEN","value":"x","agent_id":"` + agentID + `",` +
		`"value_enc":null,"organization_id":"org-00000000-0000-4000-8000-000000000000"}`
	sourceJSON = `{"id":"source-123e4567-e89b-42d3-8456-426614174000","name":"docs",` +
		`"embedding_config":{"embedding_endpoint_type":"openai","embedding_model":"text-embedding-3-small","embedding_dim":1536},` +
		`"organization_id":"org-00000000-0000-4000-8000-000000000000"}`
)

// exchange is one request/response pair for a checker self-test.
type exchange struct {
	method, url, reqBody string
	status               int
	respBody             string
}

func (x exchange) validate(t *testing.T, c *Checker, name string) []Violation {
	t.Helper()
	req, err := http.NewRequest(x.method, "http://localhost:8283"+x.url, nil)
	require.NoError(t, err)
	if x.reqBody != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	h := http.Header{"Content-Type": {"application/json"}}
	return c.ValidateExchange(name, req, []byte(x.reqBody), x.status, h, []byte(x.respBody))
}

func TestCheckerAcceptsConformingExchanges(t *testing.T) {
	c := checker(t)
	tests := []struct {
		name string
		x    exchange
	}{
		{"create identity", exchange{"POST", "/v1/identities/",
			`{"identifier_key":"user_1","name":"Caren","identity_type":"user","properties":[{"key":"plan","value":"pro","type":"string"}]}`,
			200, identityJSON}},
		{"identity with organization_id (allowance)", exchange{"GET", "/v1/identities/" + identityID, "", 200, identityJSON}},
		{"list identities with filters", exchange{"GET", "/v1/identities/?identity_type=org&limit=10&order=asc", "", 200, "[" + identityJSON + "]"}},
		{"list agents repeated-key arrays", exchange{"GET", "/v1/agents/?tags=a&tags=b&identifier_keys=u1&include=agent.tags&include=agent.identities&limit=5", "", 200, "[" + agentJSON + "]"}},
		{"count agents", exchange{"GET", "/v1/agents/count?match_all_tags=true&tags=x", "", 200, "3"}},
		{"create agent", exchange{"POST", "/v1/agents/", `{"name":"a","model":"openai/gpt-4o-mini","tags":["x"]}`, 200, agentJSON}},
		{"secrets and sources with organization_id (allowances)", exchange{"GET", "/v1/agents/" + agentID + "?include=agent.secrets&include=agent.sources", "", 200,
			strings.Replace(agentJSON, `"sources":[]`, `"sources":[`+sourceJSON+`],"secrets":[`+secretJSON+`]`, 1)}},
		{"delete identity null body (allowance)", exchange{"DELETE", "/v1/identities/" + identityID, "", 200, "null"}},
		{"delete agent message body (allowance)", exchange{"DELETE", "/v1/agents/" + agentID, "", 200, `{"message":"Agent id=` + agentID + ` successfully deleted"}`}},
		{"attach identity null body (allowance)", exchange{"PATCH", "/v1/agents/" + agentID + "/identities/attach/" + identityID, "", 200, "null"}},
		{"properties answer an Identity (allowance)", exchange{"PUT", "/v1/identities/" + identityID + "/properties",
			`[{"key":"n","value":3,"type":"number"}]`, 200, identityJSON}},
		// A real 422 follows a faulty request; these use a valid one so that
		// only the response shape is under test.
		{"server's 422 shape (allowance)", exchange{"GET", "/v1/identities/" + identityID, "", 422,
			`{"trace_id":"","detail":"[{'type': 'string_pattern_mismatch'}]","examples":["` + identityID + `"]}`}},
		{"spec's 422 shape", exchange{"GET", "/v1/identities/" + identityID, "", 422,
			`{"detail":[{"loc":["path","identity_id"],"msg":"bad","type":"string_pattern_mismatch"}]}`}},
		// after is `type: string, nullable: true`: null passes only because
		// normalisation turned nullable into a type array.
		{"nullable field sent as null", exchange{"POST", "/v1/agents/search", `{"after":null}`, 200, `{"agents":[],"nextCursor":null}`}},
		{"undeclared 404 with detail (allowance)", exchange{"GET", "/v1/identities/" + identityID, "", 404, `{"detail":"Identity not found"}`}},
		{"undeclared 409 with detail (allowance)", exchange{"POST", "/v1/identities/",
			`{"identifier_key":"user_1","name":"Caren","identity_type":"user"}`, 409, `{"detail":"conflict"}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Empty(t, tt.x.validate(t, c, tt.name))
		})
	}
}

func TestCheckerRejectsNonConformingExchanges(t *testing.T) {
	c := checker(t)
	tests := []struct {
		name      string
		x         exchange
		direction string
		op        string
		where     string
		reason    string // a fragment of the reason
	}{
		{"misspelt field in identity body", exchange{"POST", "/v1/identities/",
			`{"identifier_key":"user_1","nmae":"Caren","identity_type":"user"}`, 200, identityJSON},
			"request", "create_identity", "$", "nmae"},
		{"misspelt field in identity update", exchange{"PATCH", "/v1/identities/" + identityID,
			`{"identity_typ":"org"}`, 200, identityJSON},
			"request", "update_identity", "$", "identity_typ"},
		// Optional body fields are anyOf [X, null]; the fault is reported
		// inside X, not at the field.
		{"memory block without label", exchange{"POST", "/v1/agents/", `{"memory_blocks":[{"value":"v"}]}`, 200, agentJSON},
			"request", "create_agent", "$.memory_blocks[0].label", "missing"},
		{"property value that is an array", exchange{"POST", "/v1/identities/",
			`{"identifier_key":"k","name":"n","identity_type":"user","properties":[{"key":"a","value":[1],"type":"json"}]}`, 200, identityJSON},
			"request", "create_identity", "$.properties[0].value", "anyOf"},
		{"limit=abc on list_agents", exchange{"GET", "/v1/agents/?limit=abc", "", 200, "[]"},
			"request", "list_agents", "query.limit", "abc"},
		{"identity_type robot in body", exchange{"POST", "/v1/identities/",
			`{"identifier_key":"k","name":"n","identity_type":"robot"}`, 200, identityJSON},
			"request", "create_identity", "$.identity_type", "allowed values"},
		{"identity_type robot in query", exchange{"GET", "/v1/identities/?identity_type=robot", "", 200, "[]"},
			"request", "list_identities", "query.identity_type", "must be one of"},
		{"include agent.bogus", exchange{"GET", "/v1/agents/?include=agent.tags&include=agent.bogus", "", 200, "[]"},
			"request", "list_agents", "query.include[1]", "must be one of"},
		{"last_stop_reason bogus", exchange{"GET", "/v1/agents/count?last_stop_reason=bogus", "", 200, "0"},
			"request", "count_agents", "query.last_stop_reason", "must be one of"},
		{"malformed identity id", exchange{"GET", "/v1/identities/identity-1", "", 200, identityJSON},
			"request", "retrieve_identity", "path.identity_id", "pattern"},
		{"Identity without name", exchange{"GET", "/v1/identities/" + identityID, "", 200,
			strings.Replace(identityJSON, `"name":"Caren",`, "", 1)},
			"response", "retrieve_identity", "$.name", "missing"},
		{"unknown field beside organization_id", exchange{"GET", "/v1/identities/" + identityID, "", 200,
			strings.Replace(identityJSON, `"organization_id"`, `"organisation":1,"organization_id"`, 1)},
			"response", "retrieve_identity", "$", "organisation"},
		{"organization_id of the wrong type", exchange{"GET", "/v1/identities/" + identityID, "", 200,
			strings.Replace(identityJSON, `"organization_id":"org-00000000-0000-4000-8000-000000000000"`, `"organization_id":7`, 1)},
			"response", "retrieve_identity", "$.organization_id", ""},
		{"unknown field beside organization_id in a secret", exchange{"GET", "/v1/agents/" + agentID, "", 200,
			strings.Replace(agentJSON, `"sources":[]`, `"sources":[],"secrets":[`+strings.Replace(secretJSON, `"organization_id"`, `"org":1,"organization_id"`, 1)+`]`, 1)},
			"response", "retrieve_agent", "$.secrets[0]", "org"},
		{"bad property type in Identity", exchange{"GET", "/v1/identities/" + identityID, "", 200,
			strings.Replace(identityJSON, `"type":"string"`, `"type":"text"`, 1)},
			"response", "retrieve_identity", "$.properties[0].type", "allowed values"},
		{"AgentState without tags", exchange{"GET", "/v1/agents/" + agentID, "", 200,
			strings.Replace(agentJSON, `,"tags":[]`, "", 1)},
			"response", "retrieve_agent", "$.tags", "missing"},
		{"AgentState with unknown field", exchange{"GET", "/v1/agents/" + agentID, "", 200,
			strings.Replace(agentJSON, `"tags":[]`, `"tags":[],"llm":"x"`, 1)},
			"response", "retrieve_agent", "$", "llm"},
		{"count is not an integer", exchange{"GET", "/v1/identities/count", "", 200, `{"count":3}`},
			"response", "count_identities", "$", ""},
		{"422 with a numeric detail", exchange{"GET", "/v1/identities/" + identityID, "", 422, `{"detail":3}`},
			"response", "retrieve_identity", "$", "anyOf"},
		{"404 with more than detail", exchange{"GET", "/v1/identities/" + identityID, "", 404, `{"detail":"x","code":1}`},
			"response", "retrieve_identity", "$", "code"},
		{"status the server does not use", exchange{"GET", "/v1/identities/" + identityID, "", 403, `{"detail":"Forbidden"}`},
			"response", "retrieve_identity", "", "status"},
		{"delete identity with an object body", exchange{"DELETE", "/v1/identities/" + identityID, "", 200, `{}`},
			"response", "delete_identity", "$", ""},
		{"delete agent with a null body", exchange{"DELETE", "/v1/agents/" + agentID, "", 200, `null`},
			"response", "delete_agent", "$", ""},
		{"properties answer that is not an Identity", exchange{"PUT", "/v1/identities/" + identityID + "/properties",
			`[]`, 200, `{}`},
			"response", "upsert_properties_for_identity", "$.name", "missing"},
		{"path the spec does not have", exchange{"GET", "/v1/identity/", "", 200, "[]"},
			"request", "", "path", "no operation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := tt.x.validate(t, c, tt.name)
			require.NotEmpty(t, vs, "the checker let a faulty exchange pass")
			found := false
			for _, v := range vs {
				assert.Equal(t, tt.name, v.Exchange)
				assert.Equal(t, tt.op, v.OperationID)
				if v.Direction == tt.direction && v.Where == tt.where && strings.Contains(v.Reason, tt.reason) {
					found = true
				}
			}
			assert.True(t, found, "want a %s violation at %q mentioning %q; got:\n%s", tt.direction, tt.where, tt.reason, render(vs))
		})
	}
}

// The spec's two pairs of path templates that differ only in parameter
// names must both stay reachable after normalisation.
func TestClashingTemplatesReachBothOperations(t *testing.T) {
	c := checker(t)
	tests := []struct{ method, path, op string }{
		{"GET", "/v1/environments/dev-1", "environments.getConnection"},
		{"DELETE", "/v1/environments/dev-1", "environments.deleteEnvironment"},
		{"POST", "/v1/templates/proj-1", "templates.createTemplate"},
		{"DELETE", "/v1/templates/tmpl-1", "templates.deleteTemplateNoProject"},
		{"PATCH", "/v1/templates/tmpl-1", "templates.updateCurrentTemplateFromAgentFileNoProject"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, "https://api.letta.com"+tt.path, nil)
			require.NoError(t, err)
			route, err := c.Route(req)
			require.NoError(t, err)
			assert.Equal(t, tt.op, route.Operation.OperationID)
			// The moved operation's path parameter was renamed with the
			// template; otherwise kin reports it missing.
			for _, v := range c.ValidateExchange(tt.path, req, nil, 500, http.Header{"Content-Type": {"application/json"}}, []byte(`{"detail":"x"}`)) {
				assert.NotEqual(t, "request", v.Direction, v.String())
			}
		})
	}
}

func TestViolationNamesExchangeOperationAndPath(t *testing.T) {
	c := checker(t)
	vs := exchange{"GET", "/v1/identities/" + identityID, "", 200,
		strings.Replace(identityJSON, `"name":"Caren",`, "", 1)}.validate(t, c, "cassette identities/get.yaml #3")
	require.Len(t, vs, 1)
	v := vs[0]
	assert.Equal(t, "retrieve_identity", v.OperationID)
	assert.Equal(t, "GET", v.Method)
	assert.Equal(t, "/v1/identities/{identity_id}", v.PathTemplate)
	assert.Equal(t, 200, v.Status)
	s := v.String()
	for _, want := range []string{"cassette identities/get.yaml #3", "retrieve_identity", "/v1/identities/{identity_id}", "$.name", "name"} {
		assert.Contains(t, s, want)
	}
	assert.NotContains(t, s, "\n", "a violation is one line, not a schema dump")
}

// render lists violations one per line for failure messages.
func render(vs []Violation) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString(v.String())
		b.WriteByte('\n')
	}
	return b.String()
}
