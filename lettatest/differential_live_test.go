//go:build letta_live

package lettatest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDifferential sends one scripted scenario (differential_scenario_live_test.go)
// with plain net/http to an in-process lettatest and to the real Letta server
// at LETTA_BASE_URL, and compares the answers after normalising ids and
// timestamps: status, field set, values, item order and error bodies. A
// difference fails the test unless a rule of diffAllow names it with its
// reason. Run it with
//
//	LETTA_BASE_URL=http://127.0.0.1:8283 go test -tags letta_live -run TestDifferential -count=1 ./lettatest/
//
// Every name, key and tag carries a per-run marker and every list is filtered
// by it, so the test can run again and again against one server, alongside
// other suites using it.
func TestDifferential(t *testing.T) {
	base := strings.TrimRight(os.Getenv("LETTA_BASE_URL"), "/")
	if base == "" {
		t.Fatal("TestDifferential needs the real Letta server: set LETTA_BASE_URL (start one with scripts/letta-server start)")
	}
	runDifferential(t, base, differentialScenario())
}

// runDifferential sends the steps to an in-process lettatest and to the
// real server at base, and fails the test on any difference that no allow
// rule names.
func runDifferential(t *testing.T, base string, steps []step) {
	t.Helper()
	fake := newServer(t)

	var rb [4]byte
	_, _ = rand.Read(rb[:])
	run := "d" + hex.EncodeToString(rb[:])
	t.Logf("run %s: %d requests", run, len(steps))

	got := runScenario(t, fake.URL, run, steps)
	want := runScenario(t, base, run, steps)
	if path := os.Getenv("LETTA_DIFF_DUMP"); path != "" {
		dump(t, path, steps, got, want)
	}

	var report strings.Builder
	failed, allowed := 0, map[string]int{}
	for i, st := range steps {
		diffs := compareExchange(got[i], want[i])
		var bad []diffEntry
		for _, d := range diffs {
			if reason := allowedBy(st, d); reason != "" {
				allowed[reason]++
				continue
			}
			bad = append(bad, d)
		}
		if len(bad) == 0 {
			continue
		}
		failed++
		fmt.Fprintf(&report, "\n#%d %s: %s %s\n", i+1, st.name, st.method, want[i].target)
		if st.body != "" {
			fmt.Fprintf(&report, "    body: %s\n", clip(want[i].sent, 300))
		}
		for _, d := range bad {
			fmt.Fprintf(&report, "    %s\n", d)
		}
		fmt.Fprintf(&report, "    lettatest (%d): %s\n    real      (%d): %s\n",
			got[i].status, clip(got[i].raw, 600), want[i].status, clip(want[i].raw, 600))
	}
	reasons := make([]string, 0, len(allowed))
	for r, n := range allowed {
		reasons = append(reasons, fmt.Sprintf("%4d × %s", n, r))
	}
	sort.Strings(reasons)
	t.Logf("allowed differences:\n%s", strings.Join(reasons, "\n"))
	if failed > 0 {
		t.Fatalf("%d of %d exchanges differ between lettatest and the real server (ids as <prefix#n> by first appearance, timestamps as <ts#n frac tz> by first appearance):\n%s",
			failed, len(steps), report.String())
	}
}

// step is one request of the scenario. path and body may hold {{name}}
// placeholders: {{run}} is the run's marker, {{uuid}} a fresh uuid4 that no
// server knows, and other names are values saved by earlier steps.
type step struct {
	name   string
	method string
	path   string
	body   string
	// legacy sends the request as a pre-1.0 client (no
	// X-Stainless-Package-Version, a User-Agent with "/"), which makes the
	// server load every relationship.
	legacy bool
	// sortBy sorts a list answer by this field before the comparison, for
	// lists whose order among rows with equal timestamps follows their
	// random ids, which differ between the servers.
	sortBy string
	// header holds extra request headers.
	header map[string]string
	// save maps a placeholder name to a dotted path into the response body
	// ("id", "0.id", "blocks.1.id").
	save map[string]string
	// countOnly compares only the type of the answer (a count over rows
	// other suites also create).
	countOnly bool
	// cut cuts the error detail at this marker before the comparison: what
	// follows is the database driver's text (SQL and its parameters).
	cut string
	// allow holds per-step rules: a path regexp and its reason.
	allow []allowRule
	// stream reads the answer as server-sent events: the body compared is
	// the list of the events' data (decoded JSON, "[DONE]" as a string),
	// and any framing other than "data: <data>\n\n" is a difference.
	stream bool
}

type allowRule struct {
	path   *regexp.Regexp // matched against the generic path (indices as [])
	reason string
}

func rule(path, reason string) allowRule {
	return allowRule{path: regexp.MustCompile(path), reason: reason}
}

// exchange is one request and its normalised answer.
type exchange struct {
	target string // method-less path as sent, normalised
	sent   []byte
	status int
	raw    []byte
	body   any // normalised
	noJSON bool
}

// runScenario sends the steps in order to one server.
func runScenario(t *testing.T, base, run string, steps []step) []exchange {
	t.Helper()
	vars := map[string]string{"run": run}
	norm := newNormaliser()
	client := &http.Client{
		Timeout: 2 * time.Minute,
		// A fresh connection per request: after an unhandled exception the
		// server answers 500 and drops the connection.
		Transport:     &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	out := make([]exchange, len(steps))
	for i, st := range steps {
		path := expand(st.path, vars)
		body := expand(st.body, vars)
		var rd io.Reader
		if st.body != "" {
			rd = strings.NewReader(body)
		}
		req, err := http.NewRequest(st.method, base+path, rd)
		if err != nil {
			t.Fatalf("step %d %s: %v", i+1, st.name, err)
		}
		if rd != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if st.legacy {
			req.Header.Set("User-Agent", "curl/8.5.0")
		} else {
			req.Header.Set("User-Agent", "letta-go-differential/1.0")
			req.Header.Set("X-Stainless-Package-Version", "1.0.0")
		}
		for k, v := range st.header {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("step %d %s: %s %s: %v", i+1, st.name, st.method, base+path, err)
		}
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("step %d %s: reading the answer: %v", i+1, st.name, err)
		}
		ex := exchange{target: norm.text(path), sent: []byte(norm.text(body)), status: resp.StatusCode, raw: raw}
		var v any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if st.stream && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
			v = sseEvents(raw)
			ex.body = norm.value(normaliseMessages(v))
		} else if len(raw) == 0 || dec.Decode(&v) != nil {
			ex.noJSON = true
			ex.body = norm.text(string(raw))
		} else {
			for name, p := range st.save {
				if s, found := lookup(v, p).(string); found {
					vars[name] = s
				} else {
					vars[name] = "missing-" + name
				}
			}
			if st.countOnly {
				v = fmt.Sprintf("<%T>", v)
			}
			if m, isObj := v.(map[string]any); isObj && st.cut != "" {
				if d, isStr := m["detail"].(string); isStr {
					m["detail"], _, _ = strings.Cut(d, st.cut)
				}
			}
			if l, isList := v.([]any); isList && st.sortBy != "" {
				sort.SliceStable(l, func(i, j int) bool {
					return fmt.Sprint(lookup(l[i], st.sortBy)) < fmt.Sprint(lookup(l[j], st.sortBy))
				})
			}
			ex.body = norm.value(normaliseMessages(sortRelationships(v)))
		}
		out[i] = ex
	}
	return out
}

var placeholderRe = regexp.MustCompile(`\{\{(\w+)\}\}`)

func expand(s string, vars map[string]string) string {
	return placeholderRe.ReplaceAllStringFunc(s, func(m string) string {
		name := m[2 : len(m)-2]
		if name == "uuid" {
			var b [16]byte
			_, _ = rand.Read(b[:])
			b[6] = b[6]&0x0f | 0x40
			b[8] = b[8]&0x3f | 0x80
			return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
		}
		if v, found := vars[name]; found {
			return v
		}
		return "unset-" + name
	})
}

// lookup follows a dotted path ("0.id") into decoded JSON.
func lookup(v any, path string) any {
	for _, seg := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[seg]
		case []any:
			n, err := strconv.Atoi(seg)
			if err != nil || n < 0 || n >= len(x) {
				return nil
			}
			v = x[n]
		default:
			return nil
		}
	}
	return v
}

// normaliser maps one server's ids to <prefix#n> by order of first appearance
// (per prefix), and timestamps to their shape, so that two servers' answers
// compare equal when they mean the same. The fixed default ids (all-zero
// uuids) are kept: they must be equal as they are.
type normaliser struct {
	ids    map[string]string
	next   map[string]int
	ts     map[string]int
	tsSeen int
}

func newNormaliser() *normaliser {
	return &normaliser{ids: map[string]string{}, next: map[string]int{}, ts: map[string]int{}}
}

var (
	idRe         = regexp.MustCompile(`\b([a-z]+(?:[-_][a-z]+)*)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b`)
	callIDRe     = regexp.MustCompile(`\bcall_[0-9a-f]{24}\b`)
	pyDatetimeRe = regexp.MustCompile(`datetime\.datetime\([^)]*\)\)?`)
	tsRe         = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?`)
)

func (n *normaliser) text(s string) string {
	s = idRe.ReplaceAllStringFunc(s, func(id string) string {
		m := idRe.FindStringSubmatch(id)
		if strings.HasPrefix(m[2], "00000000-0000-4000-8000-") || m[2] == "123e4567-e89b-42d3-8456-426614174000" {
			return id
		}
		if p, seen := n.ids[id]; seen {
			return p
		}
		n.next[m[1]]++
		p := fmt.Sprintf("<%s#%d>", m[1], n.next[m[1]])
		n.ids[id] = p
		return p
	})
	s = callIDRe.ReplaceAllStringFunc(s, func(id string) string {
		if p, seen := n.ids[id]; seen {
			return p
		}
		n.next["call"]++
		p := fmt.Sprintf("<call#%d>", n.next["call"])
		n.ids[id] = p
		return p
	})
	s = pyDatetimeRe.ReplaceAllString(s, "<datetime repr>")
	return tsRe.ReplaceAllStringFunc(s, func(ts string) string {
		m := tsRe.FindStringSubmatch(ts)
		frac := "none"
		if m[1] != "" {
			frac = strconv.Itoa(len(m[1]) - 1)
		}
		sep := "T"
		if strings.Contains(ts, " ") {
			sep = "space"
			if m[2] == "" && m[1] != "" {
				// PostgreSQL's own text form (in its error texts) drops the
				// fraction's trailing zeros, so its length follows the clock.
				frac = "pg"
			}
		}
		// Numbered by first appearance like ids, so that equal and
		// different timestamps (created_at = updated_at, an update moving
		// updated_at) compare too.
		n.tsSeen++
		if _, seen := n.ts[ts]; !seen {
			n.ts[ts] = len(n.ts) + 1
		}
		return fmt.Sprintf("<ts#%d %s frac=%s tz=%s>", n.ts[ts], sep, frac, m[2])
	})
}

// sortRelationships orders the relationship lists of every AgentState in v
// (blocks by label, identities by key, tools by name, tags): the server loads
// them with SQL that has no ORDER BY, so their order carries no meaning.
// identity_ids is sorted after normalisation (see normaliser.value).
func sortRelationships(v any) any {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			sortRelationships(e)
		}
	case map[string]any:
		for _, e := range x {
			sortRelationships(e)
		}
		if _, isAgent := x["agent_type"]; !isAgent {
			if _, isMemory := x["file_blocks"]; !isMemory {
				return v
			}
		}
		for field, key := range map[string]string{"blocks": "label", "identities": "identifier_key", "tools": "name", "tags": ""} {
			list, isList := x[field].([]any)
			if !isList {
				continue
			}
			sort.SliceStable(list, func(i, j int) bool {
				return fmt.Sprint(lookupKey(list[i], key)) < fmt.Sprint(lookupKey(list[j], key))
			})
		}
	}
	return v
}

func lookupKey(v any, key string) any {
	if key == "" {
		return v
	}
	return lookup(v, key)
}

// value normalises decoded JSON, visiting object keys in sorted order so that
// both servers' ids are numbered in the same order.
func (n *normaliser) value(v any) any {
	switch x := v.(type) {
	case string:
		return n.text(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = n.value(e)
		}
		return out
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(map[string]any, len(x))
		for _, k := range keys {
			out[k] = n.value(x[k])
		}
		if ids, isList := out["identity_ids"].([]any); isList {
			sort.SliceStable(ids, func(i, j int) bool { return fmt.Sprint(ids[i]) < fmt.Sprint(ids[j]) })
		}
		return out
	}
	return v
}

// diffEntry is one difference; path is concrete ("[0].blocks[1].value").
type diffEntry struct {
	path       string
	fake, real string
}

func (d diffEntry) String() string {
	p := d.path
	if p == "" {
		p = "(body)"
	}
	return fmt.Sprintf("%s: lettatest %s, real %s", p, d.fake, d.real)
}

var indexRe = regexp.MustCompile(`\[\d+\]`)

// generic replaces indices by [] for matching allow rules.
func (d diffEntry) generic() string { return indexRe.ReplaceAllString(d.path, "[]") }

func compareExchange(fake, real exchange) []diffEntry {
	var out []diffEntry
	if fake.status != real.status {
		out = append(out, diffEntry{path: "status", fake: strconv.Itoa(fake.status), real: strconv.Itoa(real.status)})
	}
	if fake.noJSON != real.noJSON {
		return append(out, diffEntry{path: "", fake: clip(fake.raw, 200), real: clip(real.raw, 200)})
	}
	return append(out, compareValues("", fake.body, real.body)...)
}

func compareValues(path string, a, b any) []diffEntry {
	switch x := a.(type) {
	case map[string]any:
		y, isObj := b.(map[string]any)
		if !isObj {
			break
		}
		keys := map[string]bool{}
		for k := range x {
			keys[k] = true
		}
		for k := range y {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		var out []diffEntry
		for _, k := range sorted {
			av, inA := x[k]
			bv, inB := y[k]
			p := path + "." + k
			switch {
			case !inA:
				out = append(out, diffEntry{path: p, fake: "(no such field)", real: short(bv)})
			case !inB:
				out = append(out, diffEntry{path: p, fake: short(av), real: "(no such field)"})
			default:
				out = append(out, compareValues(p, av, bv)...)
			}
		}
		return out
	case []any:
		y, isArr := b.([]any)
		if !isArr {
			break
		}
		var out []diffEntry
		if len(x) != len(y) {
			out = append(out, diffEntry{path: path + ".length", fake: strconv.Itoa(len(x)), real: strconv.Itoa(len(y))})
		}
		for i := 0; i < len(x) && i < len(y); i++ {
			out = append(out, compareValues(fmt.Sprintf("%s[%d]", path, i), x[i], y[i])...)
		}
		return out
	default:
		if fmt.Sprint(a) == fmt.Sprint(b) && sameKind(a, b) {
			return nil
		}
	}
	return []diffEntry{{path: path, fake: short(a), real: short(b)}}
}

func sameKind(a, b any) bool { return fmt.Sprintf("%T", a) == fmt.Sprintf("%T", b) }

func short(v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return clip(raw, 160)
}

func clip(b []byte, n int) string {
	s := string(b)
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// allowedBy returns the reason a difference is accepted, or "".
func allowedBy(st step, d diffEntry) string {
	g := d.generic()
	for _, r := range st.allow {
		if r.path.MatchString(g) {
			return r.reason
		}
	}
	for _, r := range diffAllow {
		if r.path.MatchString(g) {
			return r.reason
		}
	}
	return ""
}

// dump writes every exchange, raw, for reading a failure in full.
func dump(t *testing.T, path string, steps []step, got, want []exchange) {
	var b strings.Builder
	for i, st := range steps {
		fmt.Fprintf(&b, "#%d %s: %s %s\n  sent: %s\n  lettatest %d: %s\n  real      %d: %s\n\n",
			i+1, st.name, st.method, want[i].target, want[i].sent, got[i].status, got[i].raw, want[i].status, want[i].raw)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Errorf("LETTA_DIFF_DUMP: %v", err)
	}
}
