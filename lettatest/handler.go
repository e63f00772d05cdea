package lettatest

import (
	"context"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Handler is the fake Letta API as an http.Handler. It is safe for concurrent
// use. Create it with NewHandler; the zero value is not usable.
type Handler struct {
	cfg    *config
	store  *store
	reqIDs *idSource
	routes []route
	faults faultQueue
	log    requestLog
}

// NewHandler returns a Handler with empty state, for mounting in another
// server or calling directly. NewServer wraps one in a loopback server.
func NewHandler(opts ...Option) *Handler {
	cfg := newConfig(opts)
	h := &Handler{
		cfg:    cfg,
		store:  newStore(newIDSource(cfg.deterministic, cfg.seed), newClock(cfg.deterministic)),
		reqIDs: newIDSource(cfg.deterministic, cfg.seed^0x5eed),
		log:    requestLog{limit: cfg.logLimit},
	}
	h.store.registerBuiltinTools()
	h.routes = h.buildRoutes()
	return h
}

// request is one parsed API request as route handlers see it.
type request struct {
	r        *http.Request
	params   map[string]string
	query    url.Values
	body     []byte
	actor    string
	errs     []valErr // path parameter errors, reported with query/body ones
	examples []string // set when a path id is malformed
}

// ServeHTTP implements http.Handler. The order of steps is: request id,
// request log entry, picking a fault, body limit, fault delay, fault status
// or DropBeforeApply, auth, routing and applying, DropAfterApply, answer.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqID := h.reqIDs.newID("req")
	w.Header().Set("X-Request-Id", reqID)
	entry := h.log.add(r)

	status := h.serve(w, r, entry)

	h.log.setStatus(entry, status)
	if l := h.cfg.logger; l != nil {
		l.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("query", r.URL.RawQuery),
			slog.Int("status", status),
			slog.Duration("duration", time.Since(start)),
			slog.String("request_id", reqID),
		)
	}
}

// statusClientClosed is what the log records when the client went away
// during an injected delay (nginx's and the real server's 499).
const statusClientClosed = 499

// serve does the work of ServeHTTP and returns the status written, 0 for a
// dropped connection.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, entry int) int {
	f, hasFault := h.faults.take(r.Method, r.URL.Path)

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.maxBodyBytes))
	h.log.setBody(entry, body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return write(w, detailError(http.StatusRequestEntityTooLarge, "Request body too large"))
		}
		return write(w, detailError(http.StatusBadRequest, "Could not read request body"))
	}

	// The delay starts once the body is read: only then does net/http watch
	// the connection, so a client giving up ends the wait.
	if hasFault && f.Delay > 0 && !sleepCtx(r.Context(), f.Delay) {
		return statusClientClosed
	}

	if hasFault {
		switch {
		case f.Status != 0:
			return write(w, f.response())
		case f.Drop == DropBeforeApply:
			dropConnection(w)
			return 0
		}
	}

	resp := h.dispatch(r, body)

	if hasFault && f.Drop == DropAfterApply {
		dropConnection(w)
		return 0
	}
	if resp.stream != nil {
		resp.stream(w, r)
		return http.StatusOK
	}
	return write(w, resp)
}

// dispatch authenticates, routes and applies a request.
func (h *Handler) dispatch(r *http.Request, body []byte) response {
	p := r.URL.Path
	mount := "/v1/"
	if rest, found := strings.CutPrefix(p, "/latest/"); found {
		// The server mounts the same routes, undocumented, under /latest.
		p = "/v1/" + rest
		mount = "/latest/"
	}
	if !h.authorized(r, p) {
		return detailError(http.StatusUnauthorized, "Unauthorized")
	}
	actor := defaultUserID
	if uid := r.Header.Get("user_id"); uid != "" {
		if !userIDRe.MatchString(uid) {
			return invalidArgument("Invalid user ID format: " + uid + ". Expected format: 'user-<uuid4>'")
		}
		actor = uid
	}

	rt, params, res := h.match(r.Method, p)
	switch res {
	case matchNone:
		if alt := toggleSlash(p); alt != "" {
			if _, _, altRes := h.match(r.Method, alt); altRes != matchNone {
				return slashRedirect(r, mount+strings.TrimPrefix(alt, "/v1/"))
			}
		}
		return detailError(http.StatusNotFound, "Not Found")
	case matchMethod:
		// Starlette answers with the first route whose path matched; FastAPI
		// routes have one method each, so Allow names that one method.
		resp := detailError(http.StatusMethodNotAllowed, "Method Not Allowed")
		resp.header = http.Header{"Allow": {rt.method}}
		return resp
	}
	return rt.h(&request{r: r, params: params, query: r.URL.Query(), body: body, actor: actor})
}

// authorized applies the self-hosted server's password middleware: health
// is exempt, everything else needs the key as a Bearer token (or the
// X-BARE-PASSWORD form).
func (h *Handler) authorized(r *http.Request, p string) bool {
	if h.cfg.apiKey == "" || strings.HasPrefix(p, "/v1/health") {
		return true
	}
	want := []byte(h.cfg.apiKey)
	if tok, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); found &&
		subtle.ConstantTimeCompare([]byte(tok), want) == 1 {
		return true
	}
	if pw, found := strings.CutPrefix(r.Header.Get("X-BARE-PASSWORD"), "password "); found &&
		subtle.ConstantTimeCompare([]byte(pw), want) == 1 {
		return true
	}
	return false
}

// slashRedirect is Starlette's redirect_slashes answer: a 307 to the same
// URL with the trailing slash toggled, within the mount the request used,
// with an empty body and no Content-Type (a RedirectResponse).
func slashRedirect(r *http.Request, path string) response {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: r.Host, Path: path, RawQuery: r.URL.RawQuery}
	return response{
		status: http.StatusTemporaryRedirect,
		header: http.Header{"Location": {u.String()}, "Content-Length": {"0"}},
		bare:   true,
	}
}

func toggleSlash(p string) string {
	if p == "/" {
		return ""
	}
	if strings.HasSuffix(p, "/") {
		return strings.TrimSuffix(p, "/")
	}
	return p + "/"
}

// write sends a response and returns its status.
func write(w http.ResponseWriter, resp response) int {
	for k, vs := range resp.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if w.Header().Get("Content-Type") == "" && !resp.bare {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
	return resp.status
}

// dropConnection closes the client connection without an answer. When the
// ResponseWriter cannot be hijacked (HTTP/2, or a recorder), it aborts the
// handler with http.ErrAbortHandler, the net/http way of killing a response,
// which the server recovers without logging.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// sleepCtx waits d or until ctx is done; it reports whether d elapsed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
