package letta

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/letta-go/letta/lettatest"
)

// The fault suite drives the SDK against lettatest with injected faults and
// checks what a production user relies on: idempotent calls survive 429s,
// 5xx and dropped connections with the right result; nothing is lost or
// duplicated; a POST is never blindly repeated. Figures are logged with
// t.Logf (run with -v to see them; notes/reliability.md quotes them).

// relModel is the default model handle of the suite's lettatest servers.
const relModel = "openai/gpt-4o-mini"

// relClient points a client at a lettatest server with the suite's retry
// settings: 5 retries, 1..5 ms backoff, a per-attempt bound so a hang
// cannot stall the suite.
func relClient(t testing.TB, base string, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient(append([]Option{
		WithBaseURL(base),
		WithMaxRetries(5),
		WithRetryWait(time.Millisecond, 5*time.Millisecond),
		WithTimeout(10 * time.Second),
		WithLogger(nil),
	}, opts...)...)
	require.NoError(t, err)
	return c
}

func relServer(t testing.TB, opts ...lettatest.Option) *lettatest.Server {
	t.Helper()
	srv := lettatest.NewServer(append([]lettatest.Option{lettatest.WithDefaultModel(relModel)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// relFaultKind is one way a response can fail.
type relFaultKind struct {
	name  string
	fault lettatest.Fault
}

var relFaultKinds = []relFaultKind{
	{"429", lettatest.Fault{Status: http.StatusTooManyRequests}},
	{"429 retry-after-ms: 1", lettatest.Fault{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After-Ms": {"1"}}}},
	{"429 Retry-After: 0", lettatest.Fault{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"0"}}}},
	{"500", lettatest.Fault{Status: http.StatusInternalServerError}},
	{"502", lettatest.Fault{Status: http.StatusBadGateway, Body: "<html><body>502 Bad Gateway</body></html>",
		Header: http.Header{"Content-Type": {"text/html"}}}},
	{"503", lettatest.Fault{Status: http.StatusServiceUnavailable}},
	{"504", lettatest.Fault{Status: http.StatusGatewayTimeout}},
	{"drop before apply", lettatest.Fault{Drop: lettatest.DropBeforeApply}},
	{"drop after apply", lettatest.Fault{Drop: lettatest.DropAfterApply}},
}

// relOp is one planned call of the mixed workload. Identities and agents
// are referred to by creation index, resolved to ids at run time (both runs
// get the same ids from the same deterministic seed).
type relOp struct {
	kind   string
	idx    int
	key    string
	name   string
	prop   IdentityProperty
	limit  int
	order  Order
	after  int // creation index of the cursor, -1 = none
	filter string
	tags   []string
}

// relPlan is a reproducible sequence of idempotent calls, generated against
// a model of which identities and agents exist.
type relPlan struct {
	setupIdentities, setupAgents int
	ops                          []relOp
}

func countLive(m map[int]bool) int {
	n := 0
	for _, alive := range m {
		if alive {
			n++
		}
	}
	return n
}

func newRelPlan(seed uint64, n, identities, agents int) relPlan {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	p := relPlan{setupIdentities: identities, setupAgents: agents}
	var keys []string
	live := map[int]bool{}
	byKey := map[string]int{}
	for i := range identities {
		keys = append(keys, fmt.Sprintf("user-%03d", i))
		live[i], byKey[keys[i]] = true, i
	}
	agentLive := map[int]bool{}
	for i := range agents {
		agentLive[i] = true
	}
	pickLive := func(m map[int]bool, total int) int {
		var alive []int
		for i := range total {
			if m[i] {
				alive = append(alive, i)
			}
		}
		if len(alive) == 0 {
			return -1
		}
		return alive[rng.IntN(len(alive))]
	}
	orders := []Order{"", OrderAsc, OrderDesc}
	tagSets := [][]string{{}, {"a"}, {"b"}, {"a", "b"}, {"c", "a"}}
	for len(p.ops) < n {
		op := relOp{after: -1}
		switch r := rng.IntN(100); {
		case r < 20:
			op.kind, op.idx = "identity.get", rng.IntN(len(keys))
		case r < 32:
			op.kind, op.limit, op.order = "identity.list", 1+rng.IntN(15), orders[rng.IntN(3)]
			if rng.IntN(10) < 3 {
				op.after = rng.IntN(len(keys))
			}
			if rng.IntN(10) < 2 {
				op.filter = fmt.Sprintf("name-%d", rng.IntN(10))
			}
		case r < 37:
			op.kind = "identity.count"
		case r < 55:
			op.kind, op.idx = "identity.update", pickLive(live, len(keys))
			op.name = fmt.Sprintf("name-%d", rng.IntN(1000))
			op.prop = IntProperty(fmt.Sprintf("p%d", rng.IntN(4)), rng.Int64N(1000))
		case r < 70:
			op.kind = "identity.upsert"
			op.name = fmt.Sprintf("name-%d", rng.IntN(1000))
			op.prop = StringProperty("plan", fmt.Sprintf("v%d", rng.IntN(100)))
			// Upsert updates only: for a key it does not have, the real
			// server (and lettatest) answers 404.
			op.idx = pickLive(live, len(keys))
			if op.idx >= 0 {
				op.key = keys[op.idx]
			}
		case r < 75:
			op.kind, op.idx = "identity.delete", pickLive(live, len(keys))
			if countLive(live) < 2 {
				op.idx = -1 // keep one: upserts no longer create identities
			}
			if op.idx >= 0 {
				live[op.idx] = false
				delete(byKey, keys[op.idx])
			}
		case r < 83:
			op.kind, op.idx = "agent.get", rng.IntN(agents)
		case r < 89:
			op.kind, op.limit, op.order = "agent.list", 1+rng.IntN(10), orders[rng.IntN(3)]
			op.tags = tagSets[rng.IntN(len(tagSets))]
		case r < 92:
			op.kind, op.tags = "agent.count", tagSets[rng.IntN(len(tagSets))]
		case r < 99:
			op.kind, op.idx = "agent.update", pickLive(agentLive, agents)
			op.tags = tagSets[rng.IntN(len(tagSets))]
			op.name = fmt.Sprintf("description %d", rng.IntN(100))
		default:
			op.kind, op.idx = "agent.delete", pickLive(agentLive, agents)
			if op.idx >= 0 {
				agentLive[op.idx] = false
			}
		}
		if op.idx < 0 {
			continue // nothing left to update or delete
		}
		p.ops = append(p.ops, op)
	}
	return p
}

// relAgentView is what an agent call's result is compared by; timestamps
// differ between runs because a repeated write advances lettatest's clock.
type relAgentView struct {
	ID, Name    string
	Description string
	Tags        []string
}

func viewAgent(a AgentState) relAgentView {
	v := relAgentView{ID: a.ID, Name: a.Name, Tags: slices.Clone(a.Tags)}
	if a.Description != nil {
		v.Description = *a.Description
	}
	sort.Strings(v.Tags)
	return v
}

// relOutcome is a call's result in comparable form.
type relOutcome struct {
	Value any
	Err   string // "" on success, "not found", or the error text
}

func outcomeOf(v any, err error) relOutcome {
	switch {
	case err == nil:
		return relOutcome{Value: v}
	case errors.Is(err, ErrNotFound):
		return relOutcome{Err: "not found"}
	}
	return relOutcome{Err: err.Error()}
}

// relRunner executes a plan against one server.
type relRunner struct {
	t           testing.TB
	srv         *lettatest.Server
	c           *Client
	identityIDs []string
	agentIDs    []string
}

func (r *relRunner) setup(ctx context.Context, p relPlan) {
	for i := range p.setupIdentities {
		id, err := r.c.Identities.Create(ctx, &IdentityCreateParams{
			IdentifierKey: fmt.Sprintf("user-%03d", i), Name: fmt.Sprintf("name-%d", i%10),
			IdentityType: IdentityTypeUser, Properties: []IdentityProperty{IntProperty("p0", int64(i))},
		})
		require.NoError(r.t, err)
		r.identityIDs = append(r.identityIDs, id.ID)
	}
	for i := range p.setupAgents {
		a, err := r.c.Agents.Create(ctx, &AgentCreateParams{Name: Ptr(fmt.Sprintf("agent %d", i)), Tags: []string{"a"}})
		require.NoError(r.t, err)
		r.agentIDs = append(r.agentIDs, a.ID)
	}
}

// call returns the HTTP method and path op will use, and the call itself.
func (r *relRunner) call(ctx context.Context, op relOp) (method, path string, do func(...RequestOption) relOutcome) {
	idOf := func(i int) string {
		if i < len(r.identityIDs) {
			return r.identityIDs[i]
		}
		return ""
	}
	switch op.kind {
	case "identity.get":
		id := idOf(op.idx)
		return "GET", identitiesPath + id, func(o ...RequestOption) relOutcome {
			v, err := r.c.Identities.Get(ctx, id, o...)
			return outcomeOf(deref(v), err)
		}
	case "identity.list":
		params := &IdentityListParams{Limit: op.limit, Order: op.order, Name: op.filter}
		if op.after >= 0 {
			params.After = idOf(op.after)
		}
		return "GET", identitiesPath, func(o ...RequestOption) relOutcome {
			v, err := r.c.Identities.List(ctx, params, o...)
			return outcomeOf(v, err)
		}
	case "identity.count":
		return "GET", identitiesPath + "count", func(o ...RequestOption) relOutcome {
			v, err := r.c.Identities.Count(ctx, o...)
			return outcomeOf(v, err)
		}
	case "identity.update":
		id := idOf(op.idx)
		params := &IdentityUpdateParams{Name: Ptr(op.name), Properties: []IdentityProperty{op.prop}}
		return "PATCH", identitiesPath + id, func(o ...RequestOption) relOutcome {
			v, err := r.c.Identities.Update(ctx, id, params, o...)
			return outcomeOf(deref(v), err)
		}
	case "identity.upsert":
		params := &IdentityUpsertParams{IdentifierKey: op.key, Name: op.name, IdentityType: IdentityTypeOther,
			Properties: []IdentityProperty{op.prop}}
		return "PUT", identitiesPath, func(o ...RequestOption) relOutcome {
			v, err := r.c.Identities.Upsert(ctx, params, o...)
			if err == nil && op.idx == len(r.identityIDs) {
				r.identityIDs = append(r.identityIDs, v.ID)
			}
			return outcomeOf(deref(v), err)
		}
	case "identity.delete":
		id := idOf(op.idx)
		return "DELETE", identitiesPath + id, func(o ...RequestOption) relOutcome {
			return outcomeOf(nil, r.c.Identities.Delete(ctx, id, o...))
		}
	case "agent.get":
		id := r.agentIDs[op.idx]
		return "GET", agentsPath + id, func(o ...RequestOption) relOutcome {
			v, err := r.c.Agents.Get(ctx, id, &AgentGetParams{Include: []AgentInclude{IncludeAgentTags}}, o...)
			if err != nil {
				return outcomeOf(nil, err)
			}
			return outcomeOf(viewAgent(*v), nil)
		}
	case "agent.list":
		params := &AgentListParams{Limit: op.limit, Order: op.order, Tags: op.tags, Include: []AgentInclude{IncludeAgentTags}}
		return "GET", agentsPath, func(o ...RequestOption) relOutcome {
			v, err := r.c.Agents.List(ctx, params, o...)
			views := make([]relAgentView, len(v))
			for i, a := range v {
				views[i] = viewAgent(a)
			}
			return outcomeOf(views, err)
		}
	case "agent.count":
		params := &AgentCountParams{Tags: op.tags}
		return "GET", agentsPath + "count", func(o ...RequestOption) relOutcome {
			v, err := r.c.Agents.Count(ctx, params, o...)
			return outcomeOf(v, err)
		}
	case "agent.update":
		id := r.agentIDs[op.idx]
		params := &AgentUpdateParams{Tags: op.tags, Description: Ptr(op.name)}
		return "PATCH", agentsPath + id, func(o ...RequestOption) relOutcome {
			v, err := r.c.Agents.Update(ctx, id, params, o...)
			if err != nil {
				return outcomeOf(nil, err)
			}
			return outcomeOf(viewAgent(*v), nil)
		}
	case "agent.delete":
		id := r.agentIDs[op.idx]
		return "DELETE", agentsPath + id, func(o ...RequestOption) relOutcome {
			return outcomeOf(nil, r.c.Agents.Delete(ctx, id, o...))
		}
	}
	r.t.Fatalf("unknown op %q", op.kind)
	return "", "", nil
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// relStats are the figures of one run.
type relStats struct {
	calls, faults, requests, attempts int
	byKind                            map[string]int
	injected                          [][]string // per call
	elapsed                           time.Duration
}

// run executes the plan. With rng set, each attempt of a call fails with
// probability faultRate (at most 5 in a row, so 5 retries always suffice):
// the faults are queued for exactly that call's method and path before it
// runs, and the request log proves each was consumed by it.
func (r *relRunner) run(ctx context.Context, p relPlan, rng *rand.Rand, faultRate float64) ([]relOutcome, relStats) {
	st := relStats{byKind: map[string]int{}}
	out := make([]relOutcome, 0, len(p.ops))
	r.srv.ResetRequests()
	start := time.Now()
	for i, op := range p.ops {
		method, path, do := r.call(ctx, op)
		var injected []string
		for rng != nil && len(injected) < 5 && rng.Float64() < faultRate {
			k := relFaultKinds[rng.IntN(len(relFaultKinds))]
			f := k.fault
			f.Method, f.Path = method, path
			r.srv.InjectFault(f)
			injected = append(injected, k.name)
			st.byKind[k.name]++
		}
		var info ResponseInfo
		res := do(WithResponseInfo(&info))
		reqs := r.srv.Requests()
		r.srv.ResetRequests()

		// Every fault was consumed by this call's own requests, then one
		// real answer: no fault left over, no extra or missing request.
		require.Len(r.t, reqs, len(injected)+1, "call %d %s %s, faults %v: %+v", i, method, path, injected, res)
		for _, rq := range reqs {
			require.Equal(r.t, method, rq.Method)
			require.Equal(r.t, path, rq.Path)
		}
		st.injected = append(st.injected, injected)
		st.calls++
		st.faults += len(injected)
		st.requests += len(reqs)
		st.attempts += info.Attempts
		out = append(out, res)
	}
	st.elapsed = time.Since(start)
	return out, st
}

// finalState is everything the server holds, in list order.
type relFinalState struct {
	Identities     []Identity
	IdentityCount  int
	Agents         []relAgentView
	AgentCount     int
	DuplicatedKeys int
}

func (r *relRunner) finalState(ctx context.Context) relFinalState {
	var s relFinalState
	seen := map[string]int{}
	for it, err := range r.c.Identities.ListAll(ctx, &IdentityListParams{Limit: 50}) {
		require.NoError(r.t, err)
		s.Identities = append(s.Identities, it)
		seen[it.IdentifierKey]++
	}
	for _, n := range seen {
		if n > 1 {
			s.DuplicatedKeys += n - 1
		}
	}
	var err error
	s.IdentityCount, err = r.c.Identities.Count(ctx)
	require.NoError(r.t, err)
	for a, err := range r.c.Agents.ListAll(ctx, &AgentListParams{Limit: 50, Include: []AgentInclude{IncludeAgentTags}}) {
		require.NoError(r.t, err)
		s.Agents = append(s.Agents, viewAgent(a))
	}
	s.AgentCount, err = r.c.Agents.Count(ctx, nil)
	require.NoError(r.t, err)
	return s
}

// TestFaultSuiteIdempotentCalls runs 2,000 mixed idempotent calls with 20%
// of responses failing (429 with and without Retry-After, 500, 502, 503,
// 504, dropped connections before and after the server applied the
// request), and the same calls against a second server without faults.
// Every call must give the fault-free result, and both servers must end in
// the same state.
func TestFaultSuiteIdempotentCalls(t *testing.T) {
	const seed, calls, faultRate = 20250101, 2000, 0.2
	ctx := t.Context()
	plan := newRelPlan(seed, calls, 40, 12)

	clean := &relRunner{t: t, srv: relServer(t, lettatest.WithDeterministicIDs(seed))}
	clean.c = relClient(t, clean.srv.URL)
	clean.setup(ctx, plan)
	setupIDs := slices.Clone(clean.identityIDs)
	want, cleanStats := clean.run(ctx, plan, nil, 0)

	faulty := &relRunner{t: t, srv: relServer(t, lettatest.WithDeterministicIDs(seed))}
	faulty.c = relClient(t, faulty.srv.URL)
	faulty.setup(ctx, plan)
	require.Equal(t, setupIDs, faulty.identityIDs, "same seed, same ids")
	got, st := faulty.run(ctx, plan, rand.New(rand.NewPCG(seed, 7)), faultRate)

	require.Len(t, got, len(want))
	deletesSeenAsNotFound := 0
	for i := range want {
		op := plan.ops[i]
		w := want[i]
		if strings.HasSuffix(op.kind, ".delete") && w.Err == "" && got[i].Err == "not found" {
			// The server applied the delete, dropped the connection, and the
			// retry found nothing to delete: the documented outcome, and
			// only possible when a drop after apply hit this very call.
			require.Contains(t, st.injected[i], "drop after apply", "call %d (%s)", i, op.kind)
			deletesSeenAsNotFound++
			continue
		}
		require.Equal(t, w, got[i], "call %d (%s)", i, op.kind)
	}
	require.Equal(t, clean.identityIDs, faulty.identityIDs, "upserts created the same identities")

	wantState, gotState := clean.finalState(ctx), faulty.finalState(ctx)
	assert.Equal(t, wantState, gotState, "the faulty run ends in the fault-free run's state")
	assert.Zero(t, gotState.DuplicatedKeys)
	assert.Equal(t, len(gotState.Identities), gotState.IdentityCount)
	assert.NotEmpty(t, gotState.Identities)

	// The run did meet faults of every kind, at about the asked rate.
	for _, k := range relFaultKinds {
		assert.Positive(t, st.byKind[k.name], "fault kind %q was injected", k.name)
	}
	rate := float64(st.faults) / float64(st.requests)
	assert.InDelta(t, faultRate, rate, 0.03, "share of responses that were faults")

	t.Logf("fault suite: %d calls, %d responses of which %d faults (%.1f%%), %d retries (server requests - calls); "+
		"SDK attempts %d (%d replays by net/http on reused connections); %d deletes answered not found after an applied drop; "+
		"duplicates %d; faulty run %v, fault-free run %v",
		st.calls, st.requests, st.faults, 100*rate, st.requests-st.calls, st.attempts, st.requests-st.attempts,
		deletesSeenAsNotFound, gotState.DuplicatedKeys, st.elapsed.Round(time.Millisecond), cleanStats.elapsed.Round(time.Millisecond))
	kinds := make([]string, 0, len(st.byKind))
	for _, k := range relFaultKinds {
		kinds = append(kinds, fmt.Sprintf("%s=%d", k.name, st.byKind[k.name]))
	}
	t.Logf("faults by kind: %s", strings.Join(kinds, ", "))
}

// createOutcome is what the policy promises for a create whose attempts
// meet the given faults in order.
type createOutcome struct {
	requests     int  // requests the server sees
	applied      bool // the create took effect
	ok           bool // the call succeeds
	maybeApplied bool // the error matches ErrMaybeApplied
	answered     bool // the error is the final 5xx answer (an *APIError)
}

// expectCreate states the POST retry policy: 408/429/503 are retried (the
// server did not act); 500/502/504 end the call with an *APIError matching
// ErrMaybeApplied (it may have acted); a dropped connection ends it with a
// *RequestError matching ErrMaybeApplied, whether or not the server applied
// the request, since the client cannot tell.
func expectCreate(faults []string) createOutcome {
	for i, f := range faults {
		switch {
		case strings.HasPrefix(f, "429"), f == "503":
			continue
		case f == "drop before apply":
			return createOutcome{requests: i + 1, maybeApplied: true}
		case f == "drop after apply":
			return createOutcome{requests: i + 1, applied: true, maybeApplied: true}
		default: // 500, 502, 504
			return createOutcome{requests: i + 1, maybeApplied: true, answered: true}
		}
	}
	return createOutcome{requests: len(faults) + 1, applied: true, ok: true}
}

func faultByName(t testing.TB, name string) lettatest.Fault {
	t.Helper()
	for _, k := range relFaultKinds {
		if k.name == name {
			return k.fault
		}
	}
	t.Fatalf("no fault kind %q", name)
	return lettatest.Fault{}
}

// TestCreateUnderFaults: a POST lands at most once. Each create meets a
// scripted list of faults; the request log and the final state must match
// the policy exactly, for identities (whose keys are unique, so only the
// log can show a repeat) and agents (where a repeat would be a second
// agent).
func TestCreateUnderFaults(t *testing.T) {
	cases := [][]string{
		{},
		{"429"},
		{"429 retry-after-ms: 1"},
		{"429 Retry-After: 0"},
		{"503"},
		{"429", "503", "429 retry-after-ms: 1", "503", "429"},
		{"drop after apply"},
		{"drop before apply"},
		{"500"},
		{"502"},
		{"504"},
		{"503", "drop after apply"},
		{"429", "500"},
	}
	srv := relServer(t)
	c := relClient(t, srv.URL)
	ctx := t.Context()
	for i, faults := range cases {
		for _, resource := range []string{"identity", "agent"} {
			t.Run(fmt.Sprintf("%s %v", resource, faults), func(t *testing.T) {
				want := expectCreate(faults)
				name := fmt.Sprintf("create %s %d", resource, i)
				path := identitiesPath
				if resource == "agent" {
					path = agentsPath
				}
				for _, f := range faults {
					fault := faultByName(t, f)
					fault.Method, fault.Path = http.MethodPost, path
					srv.InjectFault(fault)
				}
				srv.ResetRequests()
				var info ResponseInfo
				var err error
				if resource == "identity" {
					_, err = c.Identities.Create(ctx, &IdentityCreateParams{IdentifierKey: name, Name: "n", IdentityType: IdentityTypeUser},
						WithResponseInfo(&info))
				} else {
					_, err = c.Agents.Create(ctx, &AgentCreateParams{Name: Ptr(name)}, WithResponseInfo(&info))
				}
				srv.ClearFaults()
				assert.Len(t, srv.Requests(), want.requests, "requests the server saw")
				assert.Equal(t, want.requests, info.Attempts)
				if want.ok {
					require.NoError(t, err)
				} else {
					require.Error(t, err)
					assert.Equal(t, want.maybeApplied, errors.Is(err, ErrMaybeApplied), "%v", err)
					if want.answered {
						var apiErr *APIError
						require.ErrorAs(t, err, &apiErr)
						assert.Equal(t, faults[len(faults)-1], fmt.Sprint(apiErr.StatusCode))
						assert.ErrorIs(t, err, ErrServer)
					} else {
						var reqErr *RequestError
						require.ErrorAs(t, err, &reqErr)
						assert.Contains(t, err.Error(), "may have applied it")
					}
				}
				n := countCreated(t, c, resource, name)
				assert.Equal(t, map[bool]int{true: 1, false: 0}[want.applied], n, "copies of %q on the server", name)
			})
		}
	}
}

// countCreated counts identities with key name or agents named name.
func countCreated(t testing.TB, c *Client, resource, name string) int {
	t.Helper()
	ctx := context.Background()
	if resource == "identity" {
		ids, err := c.Identities.List(ctx, &IdentityListParams{IdentifierKey: name})
		require.NoError(t, err)
		return len(ids)
	}
	agents, err := c.Agents.List(ctx, &AgentListParams{Name: name})
	require.NoError(t, err)
	return len(agents)
}

// TestCreateUnderRandomFaults: 300 creates, each attempt failing with
// probability 0.3 with any fault kind. Whatever happens, no create lands
// twice, and each lands exactly when the policy says it did.
func TestCreateUnderRandomFaults(t *testing.T) {
	const creates = 300
	srv := relServer(t)
	c := relClient(t, srv.URL)
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(5, 5))
	var faults, requests, ok, maybeApplied, apiErrs, landed, duplicates int
	start := time.Now()
	for i := range creates {
		resource := "identity"
		path := identitiesPath
		if i%3 == 2 {
			resource, path = "agent", agentsPath
		}
		var script []string
		for len(script) < 5 && rng.Float64() < 0.3 {
			k := relFaultKinds[rng.IntN(len(relFaultKinds))]
			f := k.fault
			f.Method, f.Path = http.MethodPost, path
			srv.InjectFault(f)
			script = append(script, k.name)
		}
		want := expectCreate(script)
		name := fmt.Sprintf("random %d", i)
		srv.ResetRequests()
		var err error
		if resource == "identity" {
			_, err = c.Identities.Create(ctx, &IdentityCreateParams{IdentifierKey: name, Name: "n", IdentityType: IdentityTypeOrg})
		} else {
			_, err = c.Agents.Create(ctx, &AgentCreateParams{Name: Ptr(name)})
		}
		srv.ClearFaults() // faults after the one that ended the call are unused
		got := len(srv.Requests())
		require.Equal(t, want.requests, got, "create %d, faults %v", i, script)
		require.Equal(t, want.ok, err == nil, "create %d, faults %v: %v", i, script, err)
		require.Equal(t, want.maybeApplied, errors.Is(err, ErrMaybeApplied), "create %d, faults %v: %v", i, script, err)
		n := countCreated(t, c, resource, name)
		require.Equal(t, map[bool]int{true: 1, false: 0}[want.applied], n, "create %d, faults %v", i, script)
		faults += min(len(script), want.requests)
		requests += got
		switch {
		case err == nil:
			ok++
		case want.answered:
			apiErrs++
		default:
			maybeApplied++
		}
		if n > 0 {
			landed++
		}
		if n > 1 {
			duplicates += n - 1
		}
	}
	assert.Zero(t, duplicates)
	t.Logf("POST under faults: %d creates (identities and agents), %d requests, %d faults met, %d retries; "+
		"%d succeeded, %d ended without an answer (ErrMaybeApplied, never resent), %d with a final 5xx (ErrMaybeApplied too, never resent); "+
		"%d landed, %d duplicates; %v",
		creates, requests, faults, requests-creates, ok, maybeApplied, apiErrs, landed, duplicates,
		time.Since(start).Round(time.Millisecond))
}

// A POST whose connection never got established is retried (nothing was
// sent) and lands once; when the server is unreachable for good, the error
// says the request never reached it.
func TestCreateRetriedWhenNeverConnected(t *testing.T) {
	srv := relServer(t)
	var dials atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) <= 2 {
			return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused (test dialer)")}
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	c := relClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: tr}))
	var info ResponseInfo
	id, err := c.Identities.Create(t.Context(), &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser},
		WithResponseInfo(&info))
	require.NoError(t, err)
	assert.Equal(t, "k", id.IdentifierKey)
	assert.Equal(t, 3, info.Attempts, "two failed dials, then the request")
	assert.Len(t, srv.Requests(), 1, "the server saw the create once")
	assert.Equal(t, 1, countCreated(t, c, "identity", "k"))

	down := relClient(t, closedPortURL(t))
	_, err = down.Agents.Create(t.Context(), &AgentCreateParams{Name: Ptr("a")}, WithResponseInfo(&info))
	var reqErr *RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.False(t, errors.Is(err, ErrMaybeApplied), "%v", err)
	assert.Equal(t, 6, info.Attempts, "1 + 5 retries, none of which reached a server")
}

// A POST cut off mid-flight, by the caller's context or by the per-attempt
// timeout, is not resent and its error says it may have been applied.
func TestCreateCutOffInFlight(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration // per attempt
		ctxWait time.Duration // context deadline
		want    error
	}{
		{"context deadline", 0, 100 * time.Millisecond, context.DeadlineExceeded},
		{"per-attempt timeout", 100 * time.Millisecond, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := relServer(t)
			srv.InjectFault(lettatest.Fault{Method: http.MethodPost, Delay: time.Minute, Times: 10})
			c := relClient(t, srv.URL, WithTimeout(tt.timeout))
			ctx := t.Context()
			if tt.ctxWait > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.ctxWait)
				defer cancel()
			}
			var info ResponseInfo
			_, err := c.Identities.Create(ctx, &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser},
				WithResponseInfo(&info))
			var reqErr *RequestError
			require.ErrorAs(t, err, &reqErr)
			assert.ErrorIs(t, err, ErrMaybeApplied)
			if tt.want != nil {
				assert.ErrorIs(t, err, tt.want)
			}
			assert.Equal(t, 1, info.Attempts)
			srv.ClearFaults()
			assert.Eventually(t, func() bool {
				reqs := srv.Requests()
				return len(reqs) == 1 && reqs[0].Status == 499
			}, 5*time.Second, 5*time.Millisecond, "one request, abandoned by the client")
			assert.Equal(t, 0, countCreated(t, c, "identity", "k"))
		})
	}
}

// TestRetryAfterBeyondDeadline: a server asking for a wait that would end
// after the caller's deadline gets no retry; the call returns the server's
// answer at once. Had the client slept, the call would have ended with
// context.DeadlineExceeded instead of the APIError.
func TestRetryAfterBeyondDeadline(t *testing.T) {
	date := time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name   string
		method string
		status int
		header http.Header
		want   error
	}{
		{"GET 429 Retry-After: 30", http.MethodGet, 429, http.Header{"Retry-After": {"30"}}, ErrRateLimited},
		{"GET 503 retry-after-ms: 30000", http.MethodGet, 503, http.Header{"Retry-After-Ms": {"30000"}}, ErrServer},
		{"GET 429 Retry-After: <date in 30 s>", http.MethodGet, 429, http.Header{"Retry-After": {date}}, ErrRateLimited},
		{"GET 503 Retry-After: 3600 (capped, still too long)", http.MethodGet, 503, http.Header{"Retry-After": {"3600"}}, ErrServer},
		{"POST 429 Retry-After: 30", http.MethodPost, 429, http.Header{"Retry-After": {"30"}}, ErrRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := relServer(t)
			srv.InjectFault(lettatest.Fault{Method: tt.method, Status: tt.status, Header: tt.header, Times: 10})
			c := relClient(t, srv.URL)
			ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
			defer cancel()
			var info ResponseInfo
			var err error
			if tt.method == http.MethodGet {
				_, err = c.Identities.List(ctx, nil, WithResponseInfo(&info))
			} else {
				_, err = c.Identities.Create(ctx, &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser},
					WithResponseInfo(&info))
			}
			require.ErrorIs(t, err, tt.want)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.NotErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, 1, info.Attempts)
			assert.Len(t, srv.Requests(), 1)
		})
	}
}

// retryWaitProbe returns a logger that reports the wait of the first retry
// decision and then cancels the call's context, so a long server-requested
// wait can be checked without sleeping through it.
func retryWaitProbe(cancel context.CancelFunc, waits chan<- time.Duration) *slog.Logger {
	return slog.New(signalHandler{onRecord: func(r slog.Record) {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "wait" {
				select {
				case waits <- a.Value.Duration():
				default:
				}
				cancel()
			}
			return true
		})
	}})
}

// TestRetryAfterHonouredAndCapped: the wait before a retry is exactly what
// the server asked, retry-after-ms first, capped at 60 s; cancelling the
// context during that wait ends the call at once with context.Canceled and
// no further request.
func TestRetryAfterHonouredAndCapped(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{"Retry-After: 7", http.Header{"Retry-After": {"7"}}, 7 * time.Second},
		{"Retry-After: 1.5", http.Header{"Retry-After": {"1.5"}}, 1500 * time.Millisecond},
		{"retry-after-ms: 2500", http.Header{"Retry-After-Ms": {"2500"}}, 2500 * time.Millisecond},
		{"retry-after-ms wins", http.Header{"Retry-After-Ms": {"40"}, "Retry-After": {"9"}}, 40 * time.Millisecond},
		{"Retry-After: 3600 capped", http.Header{"Retry-After": {"3600"}}, time.Minute},
		{"retry-after-ms: 3600000 capped", http.Header{"Retry-After-Ms": {"3600000"}}, time.Minute},
	}
	var latencies []time.Duration
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := relServer(t)
			srv.InjectFault(lettatest.Fault{Status: 429, Header: tt.header, Times: 10})
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
			defer cancel()
			var cancelledAt time.Time
			waits := make(chan time.Duration, 1)
			c := relClient(t, srv.URL, WithLogger(retryWaitProbe(func() { cancelledAt = time.Now(); cancel() }, waits)))
			var info ResponseInfo
			_, err := c.Identities.Get(ctx, "identity-00000000-0000-4000-8000-000000000000", WithResponseInfo(&info))
			returned := time.Now()
			require.ErrorIs(t, err, context.Canceled)
			var reqErr *RequestError
			require.ErrorAs(t, err, &reqErr)
			assert.NotErrorIs(t, err, ErrMaybeApplied, "the 429 was an answer: nothing is in doubt")
			require.Len(t, waits, 1)
			assert.Equal(t, tt.want, <-waits)
			assert.Equal(t, 1, info.Attempts)
			assert.Len(t, srv.Requests(), 1)
			latencies = append(latencies, returned.Sub(cancelledAt))
		})
	}
	t.Logf("cancel during a backoff wait: call returned %v after the cancel (max of %d)",
		slices.Max(latencies).Round(10*time.Microsecond), len(latencies))
}

// TestShouldRetryHeaderWithLettatest: x-should-retry overrides the status
// rules both ways, also for POST (the server knows whether it acted).
func TestShouldRetryHeaderWithLettatest(t *testing.T) {
	tests := []struct {
		name     string
		method   string
		status   int
		value    string
		requests int
		landed   int // identities created (POST)
		want     error
	}{
		{"GET 503, false: not retried", http.MethodGet, 503, "false", 1, 0, ErrServer},
		{"GET 429, false: not retried", http.MethodGet, 429, "false", 1, 0, ErrRateLimited},
		{"GET 404, true: retried", http.MethodGet, 404, "true", 2, 0, nil},
		{"POST 500, true: retried, lands once", http.MethodPost, 500, "true", 2, 1, nil},
		{"POST 400, true: retried, lands once", http.MethodPost, 400, "true", 2, 1, nil},
		{"POST 503, false: not retried", http.MethodPost, 503, "false", 1, 0, ErrServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := relServer(t)
			c := relClient(t, srv.URL)
			srv.InjectFault(lettatest.Fault{Method: tt.method, Status: tt.status, Header: http.Header{"X-Should-Retry": {tt.value}}})
			var err error
			if tt.method == http.MethodGet {
				_, err = c.Identities.Count(t.Context())
			} else {
				_, err = c.Identities.Create(t.Context(), &IdentityCreateParams{IdentifierKey: "k", Name: "n", IdentityType: IdentityTypeUser})
			}
			if tt.want == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tt.want)
			}
			assert.Len(t, srv.Requests(), tt.requests)
			if tt.method == http.MethodPost {
				assert.Equal(t, tt.landed, countCreated(t, c, "identity", "k"))
			}
		})
	}
}

// relIdentities creates n identities and returns their ids in the list's
// default order (newest first).
func relIdentities(t testing.TB, c *Client, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		id, err := c.Identities.Create(t.Context(), &IdentityCreateParams{
			IdentifierKey: fmt.Sprintf("walk-%02d", i), Name: "walker", IdentityType: IdentityTypeUser})
		require.NoError(t, err)
		ids[n-1-i] = id.ID
	}
	return ids
}

// TestListAllSurvivesDeletionsBetweenPages walks lettatest identities with
// ListAll and deletes, between two pages, the cursor item and others (the
// server then answers 404 for the cursor). The walk must yield every
// identity that still exists exactly once, in order, and no deleted one it
// had not reached yet.
func TestListAllSurvivesDeletionsBetweenPages(t *testing.T) {
	tests := []struct {
		name  string
		order Order
		// del returns what to delete once the walk has yielded yielded
		// items (pos is the index of the last one in the full order), or
		// nil.
		del func(pos int) []int
	}{
		{"cursor item", "", func(pos int) []int { return onPageEnd(pos, 5, []int{pos}) }},
		{"cursor and its neighbour", "", func(pos int) []int { return onPageEnd(pos, 5, []int{pos, pos - 1}) }},
		{"whole last page", "", func(pos int) []int { return onPageEnd(pos, 5, []int{pos, pos - 1, pos - 2, pos - 3, pos - 4}) }},
		{"cursor and items not reached yet", "", func(pos int) []int { return onPageEnd(pos, 5, []int{pos, pos + 1, pos + 3}) }},
		{"cursor item, ascending", OrderAsc, func(pos int) []int { return onPageEnd(pos, 5, []int{pos}) }},
		{"everything yielded so far, two pages", "", func(pos int) []int {
			if pos != 9 {
				return nil
			}
			return []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
		}},
		{"the last page and the cursor before it", "", func(pos int) []int {
			return onPageEnd(pos, 5, []int{pos, pos - 1, pos - 2, pos - 3, pos - 4, pos - 5})
		}},
		{"everything after the first page", "", func(pos int) []int {
			if pos != 4 {
				return nil
			}
			return []int{4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := relServer(t)
			c := relClient(t, srv.URL)
			all := relIdentities(t, c, 25)
			if tt.order == OrderAsc {
				slices.Reverse(all)
			}
			deleted := map[string]bool{}
			var got []string
			for it, err := range c.Identities.ListAll(t.Context(), &IdentityListParams{Limit: 5, Order: tt.order}) {
				require.NoError(t, err)
				got = append(got, it.ID)
				for _, i := range tt.del(slices.Index(all, it.ID)) {
					if i >= 0 && i < len(all) && !deleted[all[i]] {
						require.NoError(t, c.Identities.Delete(t.Context(), all[i]))
						deleted[all[i]] = true
					}
				}
			}
			assertWalk(t, all, got, deleted)
			notFound := 0
			for _, r := range srv.Requests() {
				if r.Method == http.MethodGet && r.Status == 404 {
					notFound++
				}
			}
			assert.Positive(t, notFound, "the walk did meet a missing cursor")
		})
	}
}

// onPageEnd returns del when pos ends a page of size limit.
func onPageEnd(pos, limit int, del []int) []int {
	if pos%limit == limit-1 {
		return del
	}
	return nil
}

// assertWalk: got is all in order, without the items deleted before the
// walk reached them; each item at most once; every surviving item present.
func assertWalk(t *testing.T, all, got []string, deleted map[string]bool) {
	t.Helper()
	seen := map[string]bool{}
	for _, id := range got {
		require.False(t, seen[id], "%s yielded twice", id)
		seen[id] = true
	}
	var want []string
	for _, id := range all {
		if seen[id] || !deleted[id] {
			want = append(want, id)
		}
	}
	assert.Equal(t, want, got, "in order, nothing that still exists skipped")
}

// TestListAllRandomDeletionsAndFaults: 20 walks with random deletions
// (cursor items included) at random points and 503s and dropped
// connections on the list requests.
func TestListAllRandomDeletionsAndFaults(t *testing.T) {
	const walks = 20
	rng := rand.New(rand.NewPCG(11, 12))
	var pages, notFound, faults int
	for walk := range walks {
		srv := relServer(t)
		c := relClient(t, srv.URL)
		all := relIdentities(t, c, 30)
		limit := 2 + rng.IntN(6)
		deleted := map[string]bool{}
		var got []string
		for it, err := range c.Identities.ListAll(t.Context(), &IdentityListParams{Limit: limit}) {
			require.NoError(t, err, "walk %d", walk)
			got = append(got, it.ID)
			if rng.IntN(4) == 0 {
				srv.InjectFault(lettatest.Fault{Method: http.MethodGet, Path: identitiesPath,
					Status: []int{503, 0}[rng.IntN(2)], Drop: lettatest.DropBeforeApply})
				faults++
			}
			for range rng.IntN(3) {
				// Mostly near the walk's position: the cursor and its page.
				i := max(0, slices.Index(all, it.ID)-rng.IntN(limit)+rng.IntN(3))
				if i < len(all) && !deleted[all[i]] {
					require.NoError(t, c.Identities.Delete(t.Context(), all[i]))
					deleted[all[i]] = true
				}
			}
		}
		assertWalk(t, all, got, deleted)
		for _, r := range srv.Requests() {
			if r.Method == http.MethodGet {
				pages++
				if r.Status == 404 {
					notFound++
				}
			}
		}
	}
	assert.Positive(t, notFound)
	t.Logf("ListAll: %d walks, %d page requests, %d cursors gone (404, recovered), %d list faults, nothing skipped or repeated",
		walks, pages, notFound, faults)
}

// TestListAllErrorYieldedOnceThenStops: an error the walk cannot recover
// from is yielded once, and no request follows it.
func TestListAllErrorYieldedOnceThenStops(t *testing.T) {
	tests := []struct {
		name     string
		fault    lettatest.Fault
		want     error
		requests int // list requests after the fault was queued
	}{
		{"403", lettatest.Fault{Status: 403}, ErrPermissionDenied, 1},
		{"500 until retries run out", lettatest.Fault{Status: 500, Times: 6}, ErrServer, 6},
		{"422", lettatest.Fault{Status: 422}, ErrUnprocessable, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := relServer(t)
			c := relClient(t, srv.URL)
			relIdentities(t, c, 12)
			srv.ResetRequests()
			var got []string
			var errs []error
			for it, err := range c.Identities.ListAll(t.Context(), &IdentityListParams{Limit: 3}) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				got = append(got, it.ID)
				if len(got) == 6 {
					f := tt.fault
					f.Method, f.Path = http.MethodGet, identitiesPath
					srv.InjectFault(f)
				}
			}
			assert.Len(t, got, 6, "two pages, then the failing one")
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], tt.want)
			assert.Len(t, srv.Requests(), 2+tt.requests)
		})
	}
}

// TestListAllCancelledDuringPageRequest: cancelling the context while a
// page request hangs ends the walk with context.Canceled, yielded once.
func TestListAllCancelledDuringPageRequest(t *testing.T) {
	srv := relServer(t)
	c := relClient(t, srv.URL)
	relIdentities(t, c, 9)
	srv.ResetRequests()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var got int
	var errs []error
	for _, err := range c.Identities.ListAll(ctx, &IdentityListParams{Limit: 3}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got++
		if got == 3 {
			srv.InjectFault(lettatest.Fault{Method: http.MethodGet, Delay: time.Minute})
			time.AfterFunc(20*time.Millisecond, cancel)
		}
	}
	assert.Equal(t, 3, got)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Len(t, srv.Requests(), 2, "the first page and the abandoned second one")
}
