package benchdata

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Mode is how a Handler frames its response bodies.
type Mode int

const (
	// Sized sends Content-Length, as the open-source server does.
	Sized Mode = iota
	// Chunked sends no Content-Length (chunked transfer encoding), as most
	// proxies and HTTP/2 do.
	Chunked
	// Gzip compresses the body (Content-Encoding: gzip, chunked) when the
	// request accepts it, as a compressing CDN does; Go's transport then
	// hands the client a decompressed body of unknown length.
	Gzip
)

// Modes are the three modes with their names, for sub-benchmarks.
var Modes = []struct {
	Name string
	Mode Mode
}{{"sized", Sized}, {"chunked", Chunked}, {"gzip", Gzip}}

// Config describes the agents a Handler serves.
type Config struct {
	// Total is the number of agents the list walks over (ids 0..Total-1).
	Total int
	// PageSize is the largest page the list answers; larger limits are cut
	// to it. 0 means 50, the server's default.
	PageSize int
	// Agent renders agent i; nil means Agent. Its JSON must carry AgentID(i)
	// (the handler rewrites ids to serve any page from one rendering).
	Agent func(i int) []byte
	// Mode frames the bodies (Sized unless set).
	Mode Mode
}

// Handler is a loopback stand-in for the Letta server that answers the
// benchmarked operations with fixed payloads, as fast as it can write them:
//
//	POST /v1/identities/         Identity (the request body is read and dropped)
//	GET  /v1/identities/{id}     Identity
//	GET  /v1/agents/{id}         Agent(0)
//	GET  /v1/agents/?limit&after a page of agents in id order, after the cursor
//
// Responses carry Content-Length, as the real server's do, unless
// Config.Mode says otherwise. It counts the requests it answers, per route.
type Handler struct {
	cfg      Config
	identity []byte
	agent    []byte
	// tmpl is a rendering of agents 0..PageSize-1 joined by ", ", in
	// parts: tmpl[j] is agent j, idAt[j] the offsets of its id in it.
	tmpl [][]byte
	idAt [][]int

	creates, identityGets, agentGets, lists atomic.Int64

	// gzipped caches compressed bodies (by route and page), so that
	// compressing is not part of what is measured.
	gzipMu  sync.Mutex
	gzipped map[string][]byte
}

// NewHandler renders the payloads once.
func NewHandler(cfg Config) *Handler {
	if cfg.PageSize <= 0 {
		cfg.PageSize = 50
	}
	if cfg.Agent == nil {
		cfg.Agent = Agent
	}
	h := &Handler{cfg: cfg, identity: Identity(), agent: cfg.Agent(0)}
	for j := range cfg.PageSize {
		a := cfg.Agent(j)
		id := []byte(AgentID(j))
		var at []int
		for off := 0; ; {
			k := bytes.Index(a[off:], id)
			if k < 0 {
				break
			}
			at = append(at, off+k)
			off += k + len(id)
		}
		h.tmpl = append(h.tmpl, a)
		h.idAt = append(h.idAt, at)
	}
	return h
}

// PageBytes returns the size of a full page's body.
func (h *Handler) PageBytes() int {
	n := 2 + 2*(len(h.tmpl)-1)
	for _, a := range h.tmpl {
		n += len(a)
	}
	return n
}

// Counts returns how many requests each route answered.
func (h *Handler) Counts() (creates, identityGets, agentGets, lists int64) {
	return h.creates.Load(), h.identityGets.Load(), h.agentGets.Load(), h.lists.Load()
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	const identities, agents = "/v1/identities/", "/v1/agents/"
	switch p := r.URL.Path; {
	case r.Method == http.MethodPost && p == identities:
		_, _ = io.Copy(io.Discard, r.Body)
		h.creates.Add(1)
		h.writeJSON(w, r, h.identity)
	case r.Method == http.MethodGet && strings.HasPrefix(p, identities) && len(p) > len(identities):
		h.identityGets.Add(1)
		h.writeJSON(w, r, h.identity)
	case r.Method == http.MethodGet && p == agents:
		h.lists.Add(1)
		h.list(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(p, agents) && len(p) > len(agents):
		h.agentGets.Add(1)
		h.writeJSON(w, r, h.agent)
	default:
		http.Error(w, `{"detail":"Not Found"}`, http.StatusNotFound)
	}
}

// writeJSON sends body in the handler's mode.
func (h *Handler) writeJSON(w http.ResponseWriter, r *http.Request, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case h.cfg.Mode == Gzip && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip"):
		w.Header().Set("Content-Encoding", "gzip")
		body = h.gzip(string(body), func(buf *bytes.Buffer) { buf.Write(body) })
		flush(w)
	case h.cfg.Mode == Chunked || h.cfg.Mode == Gzip:
		flush(w)
	default:
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	_, _ = w.Write(body)
}

// flush sends the header before any of the body: without a length, the
// server then frames the body in chunks, small bodies included (it would
// otherwise compute a Content-Length for a body written in one go).
func flush(w http.ResponseWriter) {
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

// gzip returns the compressed body cached under key, rendering and
// compressing it with render the first time.
func (h *Handler) gzip(key string, render func(*bytes.Buffer)) []byte {
	h.gzipMu.Lock()
	defer h.gzipMu.Unlock()
	if z, ok := h.gzipped[key]; ok {
		return z
	}
	var plain, z bytes.Buffer
	render(&plain)
	zw := gzip.NewWriter(&z)
	_, _ = zw.Write(plain.Bytes())
	_ = zw.Close()
	if h.gzipped == nil {
		h.gzipped = map[string][]byte{}
	}
	h.gzipped[key] = z.Bytes()
	return z.Bytes()
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := h.cfg.PageSize
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			http.Error(w, `{"detail":"bad limit"}`, http.StatusUnprocessableEntity)
			return
		}
		limit = min(n, limit)
	}
	start := 0
	if after := q.Get("after"); after != "" {
		k, ok := parseAgentID(after)
		if !ok {
			http.Error(w, `{"detail":"bad cursor"}`, http.StatusBadRequest)
			return
		}
		start = k + 1
	}
	n := max(0, min(limit, h.cfg.Total-start))

	size := 2 + max(0, 2*(n-1))
	for j := range n {
		size += len(h.tmpl[j])
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case h.cfg.Mode == Gzip && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip"):
		w.Header().Set("Content-Encoding", "gzip")
		body := h.gzip("list "+strconv.Itoa(start)+" "+strconv.Itoa(n), func(buf *bytes.Buffer) { h.writePage(buf, start, n) })
		flush(w)
		_, _ = w.Write(body)
		return
	case h.cfg.Mode == Chunked || h.cfg.Mode == Gzip:
		flush(w)
	default:
		w.Header().Set("Content-Length", strconv.Itoa(size))
	}
	h.writePage(w, start, n)
}

// writePage writes agents start..start+n-1 as a JSON array.
func (h *Handler) writePage(w io.Writer, start, n int) {
	_, _ = w.Write([]byte{'['})
	for j := range n {
		if j > 0 {
			_, _ = w.Write([]byte(", "))
		}
		a, id := h.tmpl[j], AgentID(start+j)
		prev := 0
		for _, off := range h.idAt[j] {
			_, _ = w.Write(a[prev:off])
			_, _ = io.WriteString(w, id)
			prev = off + len(id)
		}
		_, _ = w.Write(a[prev:])
	}
	_, _ = w.Write([]byte{']'})
}

// parseAgentID inverts AgentID.
func parseAgentID(id string) (int, bool) {
	if len(id) != len(AgentID(0)) || !strings.HasPrefix(id, "agent-") {
		return 0, false
	}
	k, err := strconv.ParseUint(id[6:14], 16, 32)
	if err != nil || AgentID(int(k)) != id {
		return 0, false
	}
	return int(k), true
}
