package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/lettatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validatingTransport checks every exchange the SDK makes against the spec,
// the same check the cassettes get, but live, so that a wire fault in the
// SDK shows before anything is recorded.
type validatingTransport struct {
	c    *Checker
	next http.RoundTripper

	mu    sync.Mutex
	step  string
	n     int
	vs    []Violation
	ops   map[string]bool
	query map[string]url.Values // step -> query of its first request
}

func (v *validatingTransport) at(step string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.step, v.n = step, 0
}

func (v *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := v.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))

	v.mu.Lock()
	name := fmt.Sprintf("sdk %s #%d", v.step, v.n)
	if v.n == 0 {
		v.query[v.step] = req.URL.Query()
	}
	v.n++
	v.mu.Unlock()
	vs := v.c.ValidateExchange(name, req, reqBody, resp.StatusCode, resp.Header, respBody)
	v.mu.Lock()
	v.vs = append(v.vs, vs...)
	if route, err := v.c.Route(req); err == nil {
		v.ops[route.Operation.OperationID] = true
	}
	v.mu.Unlock()
	return resp, nil
}

// TestSDKExchangesConformToSpec drives every SDK method, with every
// parameter the SDK has set, against lettatest and checks each exchange.
func TestSDKExchangesConformToSpec(t *testing.T) {
	c := checker(t)
	srv := lettatest.NewServer(lettatest.WithDeterministicIDs(1), lettatest.WithDefaultModel("openai/gpt-4o-mini"))
	defer srv.Close()
	vt := &validatingTransport{c: c, next: http.DefaultTransport, ops: make(map[string]bool), query: make(map[string]url.Values)}
	client, err := letta.NewClient(letta.WithBaseURL(srv.URL), letta.WithHTTPClient(&http.Client{Transport: vt}), letta.WithMaxRetries(0))
	require.NoError(t, err)
	ctx := context.Background()

	vt.at("Agents.Create (everything)")
	agent, err := client.Agents.Create(ctx, &letta.AgentCreateParams{
		Name:               letta.Ptr("support"),
		Description:        letta.Ptr("helps"),
		System:             letta.Ptr("You help."),
		AgentType:          letta.Ptr(letta.AgentTypeLettaV1),
		Model:              letta.Ptr("openai/gpt-4o-mini"),
		ModelSettings:      letta.OpenAIModelSettings("low"),
		ContextWindowLimit: letta.Ptr(16000),
		Embedding:          letta.Ptr("openai/text-embedding-3-small"),
		CompactionSettings: &letta.CompactionSettings{Mode: letta.Ptr(letta.CompactionModeSlidingWindow), ClipChars: letta.Ptr(1000)},
		MemoryBlocks: []letta.CreateBlock{
			{Label: "human", Value: "Caren"},
			{Label: "persona", Value: "kind", Limit: letta.Ptr(2000), Description: letta.Ptr("who I am"), ReadOnly: letta.Ptr(true),
				Metadata: map[string]any{"k": "v"}, Tags: []string{"t"}},
		},
		ToolRules:              []letta.ToolRule{letta.InitToolRule("send_message"), letta.TerminalToolRule("send_message"), letta.MaxCountPerStepToolRule("search", 2)},
		IncludeBaseTools:       letta.Ptr(true),
		Tags:                   []string{"a", "b"},
		Metadata:               map[string]any{"tier": "gold"},
		Secrets:                map[string]string{"TOKEN": "s3cr3t"},
		InitialMessageSequence: []letta.MessageCreate{{Role: letta.MessageRoleUser, Content: letta.TextContent("hi")}},
		MessageBufferAutoclear: letta.Ptr(false),
		EnableSleeptime:        letta.Ptr(false),
		Timezone:               letta.Ptr("Europe/Paris"),
		MaxFilesOpen:           letta.Ptr(3),
	})
	require.NoError(t, err)
	vt.at("Agents.Create (default model)")
	plain, err := client.Agents.Create(ctx, nil)
	require.NoError(t, err)

	vt.at("Client.Health")
	h, err := client.Health(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ok", h.Status)

	vt.at("Identities.Create")
	caren, err := client.Identities.Create(ctx, &letta.IdentityCreateParams{
		IdentifierKey: "user_1", Name: "Caren", IdentityType: letta.IdentityTypeUser, ProjectID: letta.Ptr("proj-1"),
		AgentIDs: []string{agent.ID},
		Properties: []letta.IdentityProperty{
			letta.StringProperty("plan", "pro"), letta.NumberProperty("score", 4.5), letta.IntProperty("seats", 3),
			letta.BoolProperty("beta", true), letta.JSONProperty("prefs", json.RawMessage(`{"theme":"dark"}`)),
		},
	})
	require.NoError(t, err)
	vt.at("Identities.Create (org)")
	acme, err := client.Identities.Create(ctx, &letta.IdentityCreateParams{IdentifierKey: "org_1", Name: "Acme", IdentityType: letta.IdentityTypeOrg})
	require.NoError(t, err)
	vt.at("Identities.Create (duplicate)")
	_, err = client.Identities.Create(ctx, &letta.IdentityCreateParams{IdentifierKey: "org_1", Name: "Acme", IdentityType: letta.IdentityTypeOrg})
	require.Error(t, err)

	vt.at("Identities.List (every param)")
	_, err = client.Identities.List(ctx, &letta.IdentityListParams{Name: "car", ProjectID: "proj-1", IdentifierKey: "user_1",
		IdentityType: letta.IdentityTypeUser, After: acme.ID, Limit: 10, Order: letta.OrderAsc, OrderBy: letta.IdentityOrderByCreatedAt})
	require.NoError(t, err)
	vt.at("Identities.List (before)")
	_, err = client.Identities.List(ctx, &letta.IdentityListParams{Before: acme.ID})
	require.NoError(t, err)
	vt.at("Identities.ListAll")
	n := 0
	for _, err := range client.Identities.ListAll(ctx, &letta.IdentityListParams{Limit: 1}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 2, n)
	vt.at("Identities.Get")
	_, err = client.Identities.Get(ctx, caren.ID)
	require.NoError(t, err)
	vt.at("Identities.GetByKey")
	got, err := client.Identities.GetByKey(ctx, "org_1")
	require.NoError(t, err)
	assert.Equal(t, acme.ID, got.ID)
	vt.at("Identities.GetByKey (unknown)")
	_, err = client.Identities.GetByKey(ctx, "nobody")
	require.ErrorIs(t, err, letta.ErrNotFound)
	vt.at("Identities.Get (unknown)")
	_, err = client.Identities.Get(ctx, unknownIdentity)
	require.Error(t, err)
	vt.at("Identities.Update")
	_, err = client.Identities.Update(ctx, caren.ID, &letta.IdentityUpdateParams{
		IdentifierKey: letta.Ptr("user_1"), Name: letta.Ptr("Caren B"), IdentityType: letta.Ptr(letta.IdentityTypeUser),
		AgentIDs: []string{plain.ID}, Properties: []letta.IdentityProperty{letta.IntProperty("seats", 4)},
	})
	require.NoError(t, err)
	vt.at("Identities.Update (nil)")
	_, err = client.Identities.Update(ctx, caren.ID, nil)
	require.NoError(t, err)
	vt.at("Identities.Upsert")
	_, err = client.Identities.Upsert(ctx, &letta.IdentityUpsertParams{
		IdentifierKey: "user_1", Name: "Caren C", IdentityType: letta.IdentityTypeUser, ProjectID: letta.Ptr("proj-1"),
		AgentIDs: []string{agent.ID}, Properties: []letta.IdentityProperty{},
	})
	require.NoError(t, err)
	vt.at("Identities.UpsertProperties")
	_, err = client.Identities.UpsertProperties(ctx, caren.ID, []letta.IdentityProperty{letta.StringProperty("plan", "team")})
	require.NoError(t, err)
	vt.at("Identities.UpsertProperties (clear)")
	_, err = client.Identities.UpsertProperties(ctx, caren.ID, []letta.IdentityProperty{})
	require.NoError(t, err)
	vt.at("Identities.Count")
	_, err = client.Identities.Count(ctx)
	require.NoError(t, err)
	vt.at("Identities.ListAgents")
	_, err = client.Identities.ListAgents(ctx, caren.ID, &letta.IdentityAgentListParams{Limit: 5, Order: letta.OrderAsc,
		OrderBy: letta.IdentityOrderByCreatedAt, Include: []letta.AgentInclude{letta.IncludeAgentTags, letta.IncludeAgentIdentities}})
	require.NoError(t, err)
	vt.at("Identities.ListAgentsAll")
	for _, err := range client.Identities.ListAgentsAll(ctx, caren.ID, &letta.IdentityAgentListParams{Limit: 1}) {
		require.NoError(t, err)
	}
	vt.at("Identities.ListBlocks")
	_, err = client.Identities.ListBlocks(ctx, caren.ID, &letta.IdentityBlockListParams{Limit: 5, Order: letta.OrderDesc, OrderBy: letta.IdentityOrderByCreatedAt})
	require.NoError(t, err)
	vt.at("Identities.ListBlocksAll")
	for _, err := range client.Identities.ListBlocksAll(ctx, caren.ID, nil) {
		require.NoError(t, err)
	}

	allIncludes := []letta.AgentInclude{letta.IncludeAgentBlocks, letta.IncludeAgentIdentities, letta.IncludeAgentManagedGroup,
		letta.IncludeAgentPendingApproval, letta.IncludeAgentSecrets, letta.IncludeAgentSources, letta.IncludeAgentTags, letta.IncludeAgentTools}
	vt.at("Agents.List (every param)")
	_, err = client.Agents.List(ctx, &letta.AgentListParams{Name: "support", QueryText: "sup", Tags: []string{"a", "b"},
		MatchAllTags: letta.Ptr(true), IdentityID: caren.ID, IdentifierKeys: []string{"user_1", "org_1"}, ProjectID: "p",
		TemplateID: "t", BaseTemplateID: "bt", LastStopReason: letta.StopReasonEndTurn, CreatedByID: "user-1",
		Include: allIncludes, Before: agent.ID, After: plain.ID, Limit: 10, Order: letta.OrderAsc, OrderBy: letta.AgentOrderByLastRunCompletion})
	require.NoError(t, err)
	vt.at("Agents.ListAll")
	for _, err := range client.Agents.ListAll(ctx, &letta.AgentListParams{Limit: 1, Include: allIncludes}) {
		require.NoError(t, err)
	}
	vt.at("Agents.Count (every param)")
	_, err = client.Agents.Count(ctx, &letta.AgentCountParams{Name: "support", QueryText: "sup", Tags: []string{"a"},
		MatchAllTags: letta.Ptr(false), IdentityID: caren.ID, IdentifierKeys: []string{"user_1"}, ProjectID: "p",
		TemplateID: "t", BaseTemplateID: "bt", LastStopReason: letta.StopReasonMaxSteps, CreatedByID: "user-1"})
	require.NoError(t, err)
	vt.at("Agents.Get")
	_, err = client.Agents.Get(ctx, agent.ID, &letta.AgentGetParams{Include: allIncludes})
	require.NoError(t, err)
	vt.at("Agents.Get (unknown)")
	_, err = client.Agents.Get(ctx, unknownAgent, nil)
	require.Error(t, err)
	vt.at("Agents.Update (everything)")
	_, err = client.Agents.Update(ctx, agent.ID, &letta.AgentUpdateParams{
		Name: letta.Ptr("support-2"), Description: letta.Ptr("still helps"), System: letta.Ptr("You help more."),
		Model: letta.Ptr("openai/gpt-4o"), ModelSettings: letta.OpenAIModelSettings("high"), ContextWindowLimit: letta.Ptr(32000),
		Embedding: letta.Ptr("openai/text-embedding-3-small"), Tags: []string{"c"}, IdentityIDs: []string{caren.ID, acme.ID},
		ToolRules: []letta.ToolRule{letta.ChildToolRule("a", "b")}, Metadata: map[string]any{"tier": "silver"},
		Secrets: map[string]string{"TOKEN": "n3w"}, MessageBufferAutoclear: letta.Ptr(true), EnableSleeptime: letta.Ptr(false),
		LastStopReason: letta.Ptr(letta.StopReasonEndTurn), Timezone: letta.Ptr("UTC"), MaxFilesOpen: letta.Ptr(2),
		PerFileViewWindowCharLimit: letta.Ptr(1000), Hidden: letta.Ptr(false), MaxTokens: letta.Null[int](),
	})
	require.NoError(t, err)
	vt.at("Agents.Update (clear sets)")
	_, err = client.Agents.Update(ctx, agent.ID, &letta.AgentUpdateParams{Tags: []string{}, IdentityIDs: []string{}, MaxTokens: letta.Value(256)})
	require.NoError(t, err)
	vt.at("Agents.AttachIdentity")
	require.NoError(t, client.Agents.AttachIdentity(ctx, agent.ID, acme.ID))
	vt.at("Agents.DetachIdentity")
	require.NoError(t, client.Agents.DetachIdentity(ctx, agent.ID, acme.ID))
	vt.at("Agents.Delete")
	require.NoError(t, client.Agents.Delete(ctx, plain.ID))
	vt.at("Agents.Delete (again)")
	var apiErr *letta.APIError
	err = client.Agents.Delete(ctx, plain.ID)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	vt.at("Identities.Delete")
	require.NoError(t, client.Identities.Delete(ctx, acme.ID))

	vt.mu.Lock()
	defer vt.mu.Unlock()
	// A spec validator accepts tags=a,b as one tag "a,b"; the server reads
	// repeated keys only (letta-api.md 0), so pin the encoding here.
	listed := vt.query["Agents.List (every param)"]
	assert.Equal(t, []string{"a", "b"}, listed["tags"])
	assert.Equal(t, []string{"user_1", "org_1"}, listed["identifier_keys"])
	assert.Len(t, listed["include"], len(allIncludes))
	assert.Equal(t, []string{"true"}, listed["match_all_tags"])
	assert.Equal(t, []string{"false"}, vt.query["Agents.Count (every param)"]["match_all_tags"], "an explicit false is sent")
	assert.Empty(t, vt.vs, "\n%s", render(vt.vs))
	var missed []string
	for _, op := range lettatestOperations {
		if !vt.ops[op] {
			missed = append(missed, op)
		}
	}
	assert.Empty(t, missed, "operations the SDK run never reached")
}
