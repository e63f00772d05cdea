package letta_test

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/dnaeon/go-vcr.v3/cassette"
)

// A real Letta server hands out random ids (prefix-<uuid4>) and writes the
// wall clock into every timestamp, so two recordings of one test would
// differ everywhere. The stabiliser rewrites both, consistently across a
// cassette's requests (path, query, body) and responses (kept headers,
// body), so that re-recording gives the same file and a replay still
// matches: the SDK sends back the ids it read from the rewritten responses.
//
//   - The n-th distinct id with a given prefix (in order of first
//     appearance) becomes prefix-00000000-0000-4000-8000-<n, 12 digits>; a bare
//     uuid likewise, without prefix. Ids already of that form (the server's
//     default organization and user, the tests' well-formed unknown ids) are
//     kept, and their numbers are not handed out again; so are the uuids the
//     server writes as literals (literalUUIDs).
//   - A model's tool call id (call_<20 to 40 letters and digits>, which
//     the fake model derives from its whole request, wall-clock times
//     included) becomes call_<n, 24 digits> likewise.
//   - Every timestamp becomes stableEpoch plus its rank, in seconds, among
//     the distinct instants of the cassette, so the order of events is kept;
//     its layout (separator, fraction digits, zone suffix) is kept too.
//   - Except timestamps in whole seconds (no fraction: message dates such
//     as 2026-12-02T01:45:24+00:00, the system prompt's "last recompiled"
//     time): whether two of them fall into one second, or where they fall
//     among the microsecond timestamps, changes from one recording to the
//     next, so their ranks would too. Each occurrence of one becomes
//     wholeSecondEpoch plus the number of whole-second timestamps before
//     it in the cassette, in seconds (in its own layout): stable, in the
//     order they appear, but no longer equal where the originals were.
//
// Nothing else is touched: names, texts, counts and statuses are what the
// server answered.

// stableEpoch is where rewritten timestamps start (lettatest's
// deterministic clock starts there too).
var stableEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// wholeSecondEpoch is where rewritten whole-second timestamps start, a
// day after stableEpoch so that the two kinds are told apart.
var wholeSecondEpoch = stableEpoch.AddDate(0, 0, 1)

const uuidPattern = `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`

var (
	// idPattern matches an optional lower-case prefix and a uuid.
	idPattern = regexp.MustCompile(`\b(?:([a-z][a-z0-9_]*)-)?(` + uuidPattern + `)\b`)
	// callID matches a model's tool call id.
	callID = regexp.MustCompile(`\bcall_[0-9A-Za-z]{20,40}\b`)
	// stableCallID is the form the stabiliser writes for one.
	stableCallID = regexp.MustCompile(`^call_[0-9]{24}$`)
	// stableUUID is the form the stabiliser writes; group 1 is n.
	stableUUID = regexp.MustCompile(`^00000000-0000-4000-8000-([0-9]{12})$`)
	// literalUUIDs are written by the server's code, not generated: the
	// example id of its 422 answers. They are kept as they are.
	literalUUIDs = map[string]bool{"123e4567-e89b-42d3-8456-426614174000": true}
	// isoStamp matches an ISO 8601 date and time, with optional fraction
	// and zone.
	isoStamp = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})([T ])(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?`)
	// reprStamp matches Python's repr of a datetime, which the server puts
	// into some error texts (the actor's created_at); it leaves out a zero
	// microsecond, and a zero second with it.
	reprStamp = regexp.MustCompile(`datetime\.datetime\((\d{4}), (\d{1,2}), (\d{1,2}), (\d{1,2}), (\d{1,2})(?:, (\d{1,2}))?(?:, (\d{1,6}))?`)
)

// stampKinds are the timestamp notations the stabiliser rewrites.
var stampKinds = []struct {
	re     *regexp.Regexp
	parse  func(m []string) (time.Time, error)
	format func(m []string, t time.Time) string
}{
	{isoStamp, parseStamp, formatStamp},
	{reprStamp, parseRepr, formatRepr},
}

// stabiliser holds every interaction of one recording (captured live) and,
// from the first save on, the rewrite tables built from all of them.
type stabiliser struct {
	captured []*cassette.Interaction
	ids      map[string]string // real id -> stable id
	times    map[string]string // real timestamp text -> stable text
	// wholeSeconds counts the whole-second timestamps rewritten so far.
	wholeSeconds int
}

// wholeSecond reports whether an isoStamp match has no fraction.
func wholeSecond(m []string) bool { return m[8] == "" }

// capture is an AfterCaptureHook: it only keeps the interaction, so that
// the tables can be built from the whole recording at save time.
func (s *stabiliser) capture(i *cassette.Interaction) error {
	s.captured = append(s.captured, i)
	return nil
}

// rewrite is a BeforeSaveHook, registered after the scrubber's: it builds
// the tables on its first call and rewrites one interaction.
func (s *stabiliser) rewrite(i *cassette.Interaction) error {
	if s.ids == nil {
		if err := s.build(); err != nil {
			return err
		}
	}
	rq, rs := &i.Request, &i.Response
	rq.URL = s.apply(rq.URL)
	rq.RequestURI = s.apply(rq.RequestURI)
	rq.Body = s.apply(rq.Body)
	if rq.ContentLength > 0 {
		rq.ContentLength = int64(len(rq.Body))
	}
	rs.Body = s.apply(rs.Body)
	if rs.ContentLength >= 0 {
		rs.ContentLength = int64(len(rs.Body))
	}
	rs.Headers = s.applyHeaders(rs.Headers)
	return nil
}

// texts returns the parts of an interaction that may hold ids or
// timestamps, in a fixed order: request URL, request body, kept response
// headers, response body.
func texts(i *cassette.Interaction) []string {
	out := []string{i.Request.URL, i.Request.Body}
	for _, name := range keptResponseHeaders {
		out = append(out, i.Response.Headers.Values(name)...)
	}
	return append(out, i.Response.Body)
}

// build assigns stable ids in order of first appearance and stable
// timestamps by rank.
func (s *stabiliser) build() error {
	var all []string
	for _, i := range s.captured {
		if i.Response.Code == http.StatusTooManyRequests {
			continue // left out of the cassette (see scrubber.interaction)
		}
		all = append(all, texts(i)...)
	}

	// Numbers already taken by ids of the stable form, per prefix.
	taken := map[string]map[int]bool{}
	for _, text := range all {
		for _, m := range idPattern.FindAllStringSubmatch(text, -1) {
			if sm := stableUUID.FindStringSubmatch(m[2]); sm != nil {
				n, _ := strconv.Atoi(sm[1])
				if taken[m[1]] == nil {
					taken[m[1]] = map[int]bool{}
				}
				taken[m[1]][n] = true
			}
		}
	}
	s.ids = map[string]string{}
	next := map[string]int{}
	for _, text := range all {
		for _, m := range idPattern.FindAllStringSubmatch(text, -1) {
			id, prefix := m[0], m[1]
			if _, done := s.ids[id]; done || stableUUID.MatchString(m[2]) || literalUUIDs[m[2]] {
				continue
			}
			n := next[prefix] + 1
			for taken[prefix][n] {
				n++
			}
			next[prefix] = n
			stable := fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
			if prefix != "" {
				stable = prefix + "-" + stable
			}
			s.ids[id] = stable
		}
	}

	calls := 0
	for _, text := range all {
		for _, id := range callID.FindAllString(text, -1) {
			if _, done := s.ids[id]; done || stableCallID.MatchString(id) {
				continue
			}
			calls++
			s.ids[id] = fmt.Sprintf("call_%024d", calls)
		}
	}

	type stamp struct {
		m    []string
		kind int
		t    time.Time
	}
	stamps := map[string]stamp{}
	var distinct []time.Time
	for _, text := range all {
		for k, kind := range stampKinds {
			for _, m := range kind.re.FindAllStringSubmatch(text, -1) {
				if _, done := stamps[m[0]]; done || (kind.re == isoStamp && wholeSecond(m)) {
					continue
				}
				t, err := kind.parse(m)
				if err != nil {
					return fmt.Errorf("stabilising cassette timestamps: %q: %w", m[0], err)
				}
				stamps[m[0]] = stamp{m: m, kind: k, t: t}
				if !slices.ContainsFunc(distinct, t.Equal) {
					distinct = append(distinct, t)
				}
			}
		}
	}
	slices.SortFunc(distinct, time.Time.Compare)
	s.times = make(map[string]string, len(stamps))
	for text, st := range stamps {
		rank := slices.IndexFunc(distinct, st.t.Equal)
		s.times[text] = stampKinds[st.kind].format(st.m, stableEpoch.Add(time.Duration(rank)*time.Second))
	}
	return nil
}

// parseStamp reads a timePattern match; no zone means UTC, as the server
// writes naive UTC times.
func parseStamp(m []string) (time.Time, error) {
	layout := "2006-01-02" + m[4] + "15:04:05"
	if m[8] != "" {
		layout += "." + strings.Repeat("9", len(m[8])-1)
	}
	value := m[1] + "-" + m[2] + "-" + m[3] + m[4] + m[5] + ":" + m[6] + ":" + m[7] + m[8]
	t, err := time.Parse(layout, value)
	if err != nil {
		return time.Time{}, err
	}
	switch zone := m[9]; {
	case zone == "" || zone == "Z":
		return t, nil
	default:
		sign := 1
		if zone[0] == '-' {
			sign = -1
		}
		digits := strings.ReplaceAll(zone[1:], ":", "")
		h, _ := strconv.Atoi(digits[:2])
		mins, _ := strconv.Atoi(digits[2:])
		return t.Add(-time.Duration(sign) * (time.Duration(h)*time.Hour + time.Duration(mins)*time.Minute)), nil
	}
}

// formatStamp writes t (UTC) in the layout of the match m: the same
// separator, number of fraction digits and zone suffix.
func formatStamp(m []string, t time.Time) string {
	out := t.Format("2006-01-02") + m[4] + t.Format("15:04:05")
	if m[8] != "" {
		out += "." + strings.Repeat("0", len(m[8])-1)
	}
	// The instant is written as UTC, so an offset suffix becomes zero.
	switch zone := m[9]; {
	case zone == "" || zone == "Z":
		return out + zone
	case strings.Contains(zone, ":"):
		return out + "+00:00"
	default:
		return out + "+0000"
	}
}

// parseRepr reads a reprStamp match (the server's datetimes are UTC).
func parseRepr(m []string) (time.Time, error) {
	var n [7]int
	for i := range n {
		if m[i+1] == "" {
			continue
		}
		v, err := strconv.Atoi(m[i+1])
		if err != nil {
			return time.Time{}, err
		}
		n[i] = v
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], n[6]*1000, time.UTC)
	if t.Month() != time.Month(n[1]) || t.Day() != n[2] {
		return time.Time{}, fmt.Errorf("not a date")
	}
	return t, nil
}

// formatRepr writes t as Python's repr does, up to the point where the
// match ended (the tzinfo argument, if any, follows unchanged).
func formatRepr(_ []string, t time.Time) string {
	out := fmt.Sprintf("datetime.datetime(%d, %d, %d, %d, %d", t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute())
	if us := t.Nanosecond() / 1000; t.Second() != 0 || us != 0 {
		out += fmt.Sprintf(", %d", t.Second())
		if us != 0 {
			out += fmt.Sprintf(", %d", us)
		}
	}
	return out
}

// apply rewrites the ids and timestamps of one text.
func (s *stabiliser) apply(text string) string {
	lookup := func(id string) string {
		if stable, ok := s.ids[id]; ok {
			return stable
		}
		return id
	}
	text = idPattern.ReplaceAllStringFunc(text, lookup)
	text = callID.ReplaceAllStringFunc(text, lookup)
	for _, kind := range stampKinds {
		text = kind.re.ReplaceAllStringFunc(text, func(ts string) string {
			if kind.re == isoStamp {
				if m := isoStamp.FindStringSubmatch(ts); wholeSecond(m) {
					at := wholeSecondEpoch.Add(time.Duration(s.wholeSeconds) * time.Second)
					s.wholeSeconds++
					return formatStamp(m, at)
				}
			}
			if stable, ok := s.times[ts]; ok {
				return stable
			}
			return ts
		})
	}
	return text
}

func (s *stabiliser) applyHeaders(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for name, values := range h {
		for _, v := range values {
			out[name] = append(out[name], s.apply(v))
		}
	}
	return out
}

// TestStabiliser checks the rewrite on a small recording: ids become the
// same stable id wherever they appear, numbered per prefix by first
// appearance; timestamps keep their order and layout; what is not an id or
// a timestamp is untouched.
func TestStabiliser(t *testing.T) {
	const (
		agentA = "agent-9d75a59e-6c25-4d63-8062-36ca86648653"
		agentB = "agent-0167761d-36fd-41da-8367-05b0ff73b13a"
		ident  = "identity-79bc5bbd-067f-4913-9d17-b840fcfeb83a"
		bare   = "e205e827-fa37-4fb2-b5bd-4daf8099b01e"
		known  = "agent-00000000-0000-4000-8000-000000000001" // already stable: keeps its number
		org    = "org-00000000-0000-4000-8000-000000000000"
		sample = "identity-123e4567-e89b-42d3-8456-426614174000"
	)
	jsonCT := http.Header{"Content-Type": {"application/json"}}
	interactions := []*cassette.Interaction{
		{
			Request: cassette.Request{Method: "POST", URL: canonicalBaseURL + "/v1/agents/",
				Body: `{"identity_ids":["` + ident + `"]}`, ContentLength: 10},
			Response: cassette.Response{Code: 200, Headers: http.Header{"X-Request-Id": {"req-" + bare}},
				Body: `{"id":"` + agentA + `","created_at":"2026-12-02T01:11:34.058581Z","updated_at":"2026-12-02T01:11:34.058590Z","organization_id":"` + org + `"}`},
		},
		{
			// Left out of the cassette: its ids and times take no number.
			Request:  cassette.Request{Method: "GET", URL: canonicalBaseURL + "/v1/agents/" + agentB},
			Response: cassette.Response{Code: http.StatusTooManyRequests, Headers: jsonCT, Body: `{"at":"2020-01-01T00:00:00Z"}`},
		},
		{
			Request: cassette.Request{Method: "GET", URL: canonicalBaseURL + "/v1/agents/?after=" + agentA + "&before=" + known},
			Response: cassette.Response{Code: 200, Headers: jsonCT,
				Body: `[{"id":"` + agentB + `","created_at":"2026-12-02T01:11:33.000001Z"},{"id":"` + agentA + `","ts":"2026-12-02 01:11:34.058581"}]`},
		},
		{
			Request: cassette.Request{Method: "PUT", URL: canonicalBaseURL + "/v1/identities/"},
			Response: cassette.Response{Code: 404, Headers: jsonCT,
				Body: `{"detail":"created_at=datetime.datetime(2026, 12, 2, 1, 10, 6, 205871, tzinfo=datetime.timezone.utc)","examples":["` + sample + `"]}`},
		},
	}
	s := &stabiliser{}
	for _, i := range interactions {
		require.NoError(t, s.capture(i))
	}
	for _, i := range interactions {
		require.NoError(t, s.rewrite(i))
	}

	first := interactions[0]
	assert.Equal(t, `{"identity_ids":["identity-00000000-0000-4000-8000-000000000001"]}`, first.Request.Body)
	assert.Equal(t, int64(len(first.Request.Body)), first.Request.ContentLength)
	assert.Equal(t, []string{"req-00000000-0000-4000-8000-000000000001"}, first.Response.Headers.Values("X-Request-Id"))
	// agent-...-1 is taken by the id the test sent, so agentA gets 2; the
	// organization id is kept. 01:11:34.058581 is the third instant in time
	// (the 2020 one is left out with its interaction).
	assert.Equal(t, `{"id":"agent-00000000-0000-4000-8000-000000000002","created_at":"2025-01-01T00:00:02.000000Z",`+
		`"updated_at":"2025-01-01T00:00:03.000000Z","organization_id":"`+org+`"}`, first.Response.Body)
	assert.Equal(t, int64(len(first.Response.Body)), first.Response.ContentLength)

	list := interactions[2]
	assert.Equal(t, canonicalBaseURL+"/v1/agents/?after=agent-00000000-0000-4000-8000-000000000002&before="+known, list.Request.URL)
	// agentB first appears here (its 429 does not count): number 3. The
	// same instant written without zone keeps its layout.
	assert.Equal(t, `[{"id":"agent-00000000-0000-4000-8000-000000000003","created_at":"2025-01-01T00:00:01.000000Z"},`+
		`{"id":"agent-00000000-0000-4000-8000-000000000002","ts":"2025-01-01 00:00:02.000000"}]`, list.Response.Body)

	// The oldest instant is a repr; the example id is kept.
	assert.Equal(t, `{"detail":"created_at=datetime.datetime(2025, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)","examples":["`+sample+`"]}`,
		interactions[3].Response.Body)
}

func TestStampFormats(t *testing.T) {
	at := stableEpoch.Add(61*time.Second + 5*time.Microsecond)
	tests := []struct{ in, want string }{
		{"2026-12-02T01:11:34.058581Z", "2025-01-01T00:01:01.000000Z"},
		{"2026-12-02T01:11:34Z", "2025-01-01T00:01:01Z"},
		{"2026-12-02T01:11:34.0585+02:00", "2025-01-01T00:01:01.0000+00:00"},
		{"2026-12-02 01:11:34-0700", "2025-01-01 00:01:01+0000"},
	}
	for _, tt := range tests {
		m := isoStamp.FindStringSubmatch(tt.in)
		require.NotNil(t, m, tt.in)
		assert.Equal(t, tt.want, formatStamp(m, at.Truncate(time.Second)), tt.in)
	}
	// Offsets are honoured when ranking.
	m := isoStamp.FindStringSubmatch("2026-12-02T03:11:34+02:00")
	got, err := parseStamp(m)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 12, 2, 1, 11, 34, 0, time.UTC), got)

	for in, want := range map[string]time.Time{
		"datetime.datetime(2026, 12, 2, 1, 10, 6, 205871": time.Date(2026, 12, 2, 1, 10, 6, 205871000, time.UTC),
		"datetime.datetime(2026, 12, 2, 1, 10, 6":         time.Date(2026, 12, 2, 1, 10, 6, 0, time.UTC),
		"datetime.datetime(2026, 12, 2, 1, 10":            time.Date(2026, 12, 2, 1, 10, 0, 0, time.UTC),
	} {
		m := reprStamp.FindStringSubmatch(in)
		require.NotNil(t, m, in)
		got, err := parseRepr(m)
		require.NoError(t, err)
		assert.Equal(t, want, got, in)
		assert.Equal(t, in, formatRepr(m, want), "repr round trip")
	}
	assert.Equal(t, "datetime.datetime(2025, 1, 1, 0, 1, 1, 5", formatRepr(nil, at))
}

// TestStabiliserWholeSeconds: timestamps without a fraction (message
// dates) are numbered by occurrence in the cassette, apart from the ranked
// ones, so that which of them share a second cannot change a recording;
// tool call ids are numbered by first appearance.
func TestStabiliserWholeSeconds(t *testing.T) {
	interactions := []*cassette.Interaction{
		{Response: cassette.Response{Code: 200,
			Body: `{"created_at":"2026-12-02T01:45:20.731064Z","messages":[{"date":"2026-12-02T01:45:24+00:00"},{"date":"2026-12-02T01:45:24+00:00"}]}`}},
		{Response: cassette.Response{Code: 200,
			Body: `[{"date":"2026-12-02T01:45:24+00:00","content":"recompiled: 2026-12-02 01:45:20 AM"},{"date":"2026-12-02T01:45:25+00:00"}]`}},
		{Response: cassette.Response{Code: 200,
			Body: `{"tool_call_id":"call_d3b1b660e552c1a6a68dfa26","x":"call_7c691bd6d79479c3c007adf5","y":"call_d3b1b660e552c1a6a68dfa26"}`}},
	}
	s := &stabiliser{}
	for _, i := range interactions {
		require.NoError(t, s.capture(i))
	}
	for _, i := range interactions {
		require.NoError(t, s.rewrite(i))
	}
	assert.Equal(t, `{"created_at":"2025-01-01T00:00:00.000000Z","messages":[{"date":"2025-01-02T00:00:00+00:00"},{"date":"2025-01-02T00:00:01+00:00"}]}`,
		interactions[0].Response.Body, "the microsecond stamp is ranked alone; equal whole seconds become distinct")
	assert.Equal(t, `[{"date":"2025-01-02T00:00:02+00:00","content":"recompiled: 2025-01-02 00:00:03 AM"},{"date":"2025-01-02T00:00:04+00:00"}]`,
		interactions[1].Response.Body)
	assert.Equal(t, `{"tool_call_id":"call_000000000000000000000001","x":"call_000000000000000000000002","y":"call_000000000000000000000001"}`,
		interactions[2].Response.Body, "tool call ids are numbered by first appearance")
}
