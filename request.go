package letta

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"

	"github.com/google/go-querystring/query"
	"github.com/letta-go/letta/internal/codec"
)

// apiCall is one API operation as the services describe it.
type apiCall struct {
	method string
	// path is the already escaped API path, starting with /v1.
	path string
	// query is a params struct with `url` tags (or nil): go-querystring
	// sends slices as repeated keys and leaves out nil/omitempty fields.
	query any
	// body is marshalled once to JSON; nil sends no body and no
	// Content-Type.
	body any
}

// do sends call, retrying as the policy says (retry.go), and decodes a 2xx
// body into out (nil: the body is drained and dropped). A call's whole path
// is in three files and the codec: a service method, do (here), the
// attempts of callState.run and callState.attempt (retry.go), the body read
// (readBody, here) and decodeInto (here, through internal/codec).
func (c *Client) do(ctx context.Context, call apiCall, out any, opts []RequestOption) error {
	cl, rc, err := c.newCall(ctx, call, out == nil, opts)
	if err != nil {
		return err
	}
	r := cl.run()
	hdr, err := c.callResult(call, cl, &rc, r)
	if err != nil {
		return err
	}
	resp := r.resp
	if err := decodeInto(r.body, out); err != nil {
		if hdr == nil {
			hdr = c.redactHeader(resp.Header)
		}
		return &DecodeError{StatusCode: resp.StatusCode, Method: call.method, URL: sanitizeURL(cl.url.String()),
			RequestID: requestID(hdr), Snippet: snippet(c.redactKey(c.snippetWindow(r.body, 120)), 120), Err: err, path: cl.path}
	}
	// Nothing decoded refers to the body's bytes (see bodyPool).
	c.bodies.put(r.body, r.holder)
	return nil
}

// newCall applies the call's options and prepares its state: the URL and
// the body, marshalled once (every attempt and redirect sends these bytes).
func (c *Client) newCall(ctx context.Context, call apiCall, discardOK bool, opts []RequestOption) (*callState, requestConfig, error) {
	var rc requestConfig
	if ctx == nil {
		return nil, rc, errNilContext()
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&rc); err != nil {
			return nil, rc, err
		}
	}
	cl := &callState{
		client:       c,
		ctx:          ctx,
		method:       call.method,
		maxRetries:   c.cfg.maxRetries,
		timeout:      c.timeout,
		okLimit:      c.cfg.maxResponseBytes,
		discardOK:    discardOK,
		tracksWrites: call.method != http.MethodGet && call.method != http.MethodHead,
	}
	if rc.maxRetries != nil {
		cl.maxRetries = *rc.maxRetries
	}
	if rc.timeout != nil {
		cl.timeout = *rc.timeout
	}

	u, logPath, err := c.requestURL(call.path, call.query)
	if err != nil {
		return nil, rc, err
	}
	cl.path = logPath
	if call.body != nil {
		if cl.body, err = codec.Marshal(call.body); err != nil {
			// Caller input (a NaN or a channel in a free-form map) that
			// JSON cannot carry.
			return nil, rc, &InvalidParamError{Param: "request body", Value: fmt.Sprintf("%T", call.body),
				Reason: "cannot be encoded as JSON: " + err.Error()}
		}
	}
	cl.url, cl.perCallHeaders = u, rc.headers
	return cl, rc, nil
}

// callResult fills the caller's ResponseInfo and turns a failed call into
// its error: a *RequestError (no answer), a *DecodeError (a body over the
// limit) or an *APIError (a non-2xx answer). hdr is the redacted response
// header when it was needed (nil otherwise).
func (c *Client) callResult(call apiCall, cl *callState, rc *requestConfig, r result) (hdr http.Header, err error) {
	resp := r.resp
	u := cl.url
	// The response headers reach the caller only through ResponseInfo and
	// errors; a plain success skips masking them.
	if resp != nil && (rc.info != nil || r.err != nil || resp.StatusCode < 200 || resp.StatusCode > 299) {
		hdr = c.redactHeader(resp.Header)
	}
	if rc.info != nil {
		*rc.info = ResponseInfo{Attempts: r.attempts}
		if resp != nil {
			rc.info.StatusCode = resp.StatusCode
			rc.info.Header = hdr
			rc.info.RequestID = requestID(hdr)
		}
	}
	if err := r.err; err != nil {
		if errors.Is(err, ErrResponseTooLarge) && resp != nil {
			return hdr, &DecodeError{StatusCode: resp.StatusCode, Method: call.method, URL: sanitizeURL(u.String()),
				RequestID: requestID(hdr), Err: ErrResponseTooLarge, path: cl.path}
		}
		if r.maybeApplied {
			err = markMaybeApplied(err)
		}
		return hdr, &RequestError{Method: call.method, URL: sanitizeURL(u.String()), Err: err, path: cl.path}
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		respBody := c.redactKey(r.body)
		apiErr := &APIError{
			StatusCode:   resp.StatusCode,
			Method:       call.method,
			URL:          sanitizeURL(u.String()),
			Body:         respBody,
			Header:       hdr,
			RequestID:    requestID(hdr),
			path:         cl.path,
			maybeApplied: r.maybeApplied,
		}
		apiErr.parseErrorBody(respBody)
		c.redactParsed(apiErr)
		return hdr, apiErr
	}
	return hdr, nil
}

// newRequest builds the call's request, carrying the first attempt's
// context ctx (building it with that context saves copying it to set one).
func (c *callState) newRequest(ctx context.Context) (*http.Request, error) {
	var body io.Reader
	if c.body != nil {
		// A *bytes.Reader: net/http sets Content-Length and GetBody from
		// it, and writes it with the headers in one packet.
		body = bytes.NewReader(c.body)
	}
	// Given no URL, NewRequestWithContext allocates an empty one (instead
	// of parsing a string), filled here from the base URL NewClient parsed.
	req, err := http.NewRequestWithContext(ctx, c.method, "", body)
	if err != nil {
		return nil, err
	}
	*req.URL = c.url
	// What NewRequestWithContext does to a parsed URL's host: an empty port
	// ("host:") is dropped.
	req.URL.Host = strings.TrimSuffix(c.url.Host, ":")
	req.Host = req.URL.Host
	c.client.setHeaders(req.Header, c.headerVals[:0], c.body != nil, c.perCallHeaders)
	return req, nil
}

// errNilContext refuses a nil context: net/http would fail on it after
// the request was built, and an iterator would crash on it.
func errNilContext() error {
	return &InvalidParamError{Param: "ctx", Value: "nil", Reason: "a context is required (use context.Background())"}
}

// buildURL is requestURL as a string.
func (c *Client) buildURL(path string, q any) (full, logPath string, err error) {
	u, logPath, err := c.requestURL(path, q)
	if err != nil {
		return "", "", err
	}
	return u.String(), logPath, nil
}

// requestURL joins the base URL (with its path prefix), the escaped API path
// and the encoded query, without parsing anything: NewClient parsed the base
// URL once. It also returns the escaped path alone for logs and errors.
func (c *Client) requestURL(path string, q any) (u url.URL, logPath string, err error) {
	base := c.cfg.baseURL
	logPath = base.EscapedPath() + path
	u = url.URL{Scheme: base.Scheme, Host: base.Host, Path: logPath}
	if strings.IndexByte(logPath, '%') >= 0 {
		// Path is the decoded form; RawPath keeps the escaping, which is
		// what goes on the wire (an escaped id stays one segment).
		if u.Path, err = url.PathUnescape(logPath); err != nil {
			return url.URL{}, "", fmt.Errorf("letta: invalid escaped path %s: %w", logPath, err)
		}
		u.RawPath = logPath
	}
	if q != nil {
		v, err := query.Values(q)
		if err != nil {
			return url.URL{}, "", fmt.Errorf("letta: encoding query for %s: %w", logPath, err)
		}
		if len(v) > 0 {
			// Encode sorts the keys, so equal params give equal URLs.
			u.RawQuery = v.Encode()
		}
	}
	return u, logPath, nil
}

func (c *Client) setHeaders(h http.Header, vals []string, hasBody bool, perCall http.Header) {
	// The values share one backing array (vals, part of the exchange), and
	// the keys are written in canonical form directly: no allocation
	// instead of one per header (Header.Set allocates a slice per value),
	// on every call.
	vals = setShared(h, vals, "Accept", "application/json")
	vals = setShared(h, vals, "User-Agent", c.fixed.userAgent)
	// The server's is_1_0_sdk_version() treats a request carrying this
	// header as coming from a current (1.x) SDK. Without it, any User-Agent
	// containing "/" (ours included) gets the legacy behaviour: list and
	// retrieve load every relationship (slow), attach/detach return whole
	// agents. With it, relationships load only when Include asks for them.
	vals = setShared(h, vals, "X-Stainless-Package-Version", Version)
	vals = setShared(h, vals, "X-Stainless-Retry-Count", "0")
	if c.fixed.authorization != "" {
		vals = setShared(h, vals, "Authorization", string(c.fixed.authorization))
	}
	if c.cfg.projectID != "" {
		vals = setShared(h, vals, "X-Project-Id", c.cfg.projectID)
	}
	if c.cfg.project != "" {
		vals = setShared(h, vals, "X-Project", c.cfg.project)
	}
	if hasBody {
		setShared(h, vals, "Content-Type", "application/json")
	}
	for name, vals := range c.cfg.headers {
		h[name] = append([]string(nil), vals...)
	}
	for name, vals := range perCall {
		h[name] = append([]string(nil), vals...)
	}
}

// fixedHeaders are the header values every call sends, built once by
// NewClient. Behind a pointer in Client, so that a dump of a Client value
// prints an address rather than the key.
type fixedHeaders struct {
	userAgent     string
	authorization secret
}

func newFixedHeaders(cfg *config) *fixedHeaders {
	f := &fixedHeaders{userAgent: "letta-go/" + Version}
	if cfg.userAgent != "" {
		f.userAgent = cfg.userAgent + " " + f.userAgent
	}
	if cfg.apiKey != "" {
		f.authorization = secret("Bearer " + string(cfg.apiKey))
	}
	return f
}

// setShared sets h[key] to the one value v, appended to vals (whose
// capacity it shares; the value slice is capped at its length, so appending
// to it never overwrites a neighbour). key must be in canonical form.
func setShared(h http.Header, vals []string, key, v string) []string {
	vals = append(vals, v)
	h[key] = vals[len(vals)-1 : len(vals) : len(vals)]
	return vals
}

// requestID returns the server's request id header. Letta sends
// X-Request-Id; some proxies use Request-Id.
func requestID(h http.Header) string {
	if h == nil {
		return ""
	}
	if v := h.Get("X-Request-Id"); v != "" {
		return v
	}
	return h.Get("Request-Id")
}

// decodeInto decodes a 2xx body. An empty body (or JSON null) where an
// object or a number is expected is an error, never a silent zero value;
// null for a list decodes as an empty list, and null for a **T (a result
// the spec makes nullable) leaves the *T nil.
func decodeInto(data []byte, out any) (err error) {
	if out == nil {
		return nil
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return ErrEmptyResponse
	}
	if string(trimmed) == "null" {
		if rv := reflect.ValueOf(out); rv.Kind() == reflect.Pointer && (rv.Elem().Kind() == reflect.Slice || rv.Elem().Kind() == reflect.Pointer) {
			return nil
		}
		return ErrEmptyResponse
	}
	defer func() {
		// A decoder bug must surface as an error, never crash the caller.
		if r := recover(); r != nil {
			err = fmt.Errorf("decoder panic: %v", r)
		}
	}()
	return codec.Unmarshal(trimmed, out)
}

// readBody reads the body of o's response to its end (it is closed
// afterwards), bounded by the limit its status calls for: a success body
// by okLimit (ErrResponseTooLarge beyond), an error body by
// maxErrorBodyBytes (cut there). A success body the call does not use is
// drained and dropped. A success body goes into a buffer recycled through
// the Client's bodyPool.
func (c *callState) readBody(o *outcome) error {
	resp := o.resp
	success := resp.StatusCode >= 200 && resp.StatusCode <= 299
	if success && c.discardOK {
		drainAndClose(resp.Body)
		return nil
	}
	limit := maxErrorBodyBytes
	var buf []byte
	if success {
		limit = c.okLimit
		buf, o.holder = c.client.bodies.get(bodyCapacity(resp.ContentLength, limit))
	}
	data, tooLarge, err := readAll(resp.Body, resp.ContentLength, limit, buf)
	switch {
	case tooLarge && success:
		// Closed without draining: the rest may be huge.
		_ = resp.Body.Close()
		return ErrResponseTooLarge
	case err != nil:
		_ = resp.Body.Close()
		return fmt.Errorf("reading response body: %w", err)
	case tooLarge:
		// An oversized error body is cut at its limit; the rest is
		// discarded.
		drainAndClose(resp.Body)
	default:
		// Read to the end: nothing is left to drain.
		_ = resp.Body.Close()
	}
	o.body = data
	return nil
}

// maxBodyPrealloc bounds the buffer readAll sizes from Content-Length
// before any byte arrived, so that a server declaring a huge length cannot
// make the client allocate it for nothing.
const maxBodyPrealloc = 8 << 20

// minBodyBuffer is the buffer readAll starts a body of unknown length with
// when it is given none.
const minBodyBuffer = 16 << 10

// readAll reads r to its end, or to limit bytes: a longer body is cut at
// limit and reported with tooLarge (the rest is left unread). It reads
// into buf when buf is large enough for the declared size (-1: unknown)
// and otherwise grows its buffer by doubling, through the capacities of
// nextCapacity: a body of unknown length is copied about once in all
// (io.ReadAll, and append at these sizes, grow by about 1.25x a step and
// copy a 1.3 MB page about five times), and an oversized one allocates
// about 5/3 of the limit before tooLarge. A size
// from Content-Length saves the growth altogether, up to maxBodyPrealloc.
func readAll(r io.Reader, size, limit int64, buf []byte) (data []byte, tooLarge bool, err error) {
	// limit+1 below must not overflow (WithMaxResponseBytes(math.MaxInt64)
	// means "no limit").
	limit = min(limit, math.MaxInt64-1)
	if want := bodyCapacity(size, limit); int64(cap(buf)) >= want {
		data = buf[:0]
	} else {
		data = make([]byte, 0, want)
	}
	for {
		if len(data) == cap(data) {
			grown := make([]byte, len(data), nextCapacity(int64(cap(data)), limit))
			copy(grown, data)
			data = grown
		}
		n, rerr := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if int64(len(data)) > limit {
			return data[:limit], true, nil
		}
		if rerr == io.EOF {
			return data, false, nil
		}
		if rerr != nil {
			return data, false, rerr
		}
	}
}

// bodyCapacity is the buffer readAll starts with for a body of the
// declared size (-1: unknown) under limit: the declared size and the byte
// that lets the final, empty Read see EOF (at most maxBodyPrealloc), or for
// an unknown size the first capacity of nextCapacity's sequence from
// minBodyBuffer.
func bodyCapacity(size, limit int64) int64 {
	if size < 0 {
		return nextCapacity(minBodyBuffer-1, limit)
	}
	return min(size, maxBodyPrealloc, limit) + 1
}

// nextCapacity returns the buffer capacity that follows c on the way to
// limit+1 bytes (the most readAll holds): limit+1 once c reaches a third
// of it, and before that the smallest of (limit+1)/3, (limit+1)/6,
// (limit+1)/12, ... (each rounded up) that is larger than c, which is at
// most 2c. Buffers grown along that sequence sum to about 5/3 of limit+1
// (limit+1, then a third of it twice over), so an oversized body costs
// well under twice the limit before readAll gives up on it, whatever the
// limit: plain doubling from a fixed start could end just short of the
// limit and then allocate the limit again (three times in all), and
// doubling along limit+1, (limit+1)/2, ... sums to twice it, which the
// rounding of each step to the allocator's size classes and the
// transport's own few kilobytes put just over (2.02 times, issue 14). The
// last step triples only for bodies over a third of the limit (21 MiB
// under the default): smaller ones double their way up as before.
func nextCapacity(c, limit int64) int64 {
	n := min(limit, math.MaxInt64-1) + 1
	third := n/3 + min(n%3, 1)
	if third <= c {
		return n
	}
	n = third
	for {
		half := n/2 + n%2
		if half <= c {
			return n
		}
		n = half
	}
}

// drainAndClose discards a bounded amount of what is left of a body so the
// connection can be reused, then closes it. A body with more left than that
// is cheaper to abandon with its connection.
func drainAndClose(body io.ReadCloser) {
	if body == nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}

// bodyPool recycles the buffers that successful response bodies are read
// into, once they are decoded. Every decoded value owns its memory (the
// codec copies strings and raw JSON, the unions clone theirs, timestamps
// are parsed; checkDecode's fuzz targets overwrite the input after
// decoding to prove it), so a buffer is garbage as soon as decoding ends.
// Reusing it saves allocating and zeroing it on the next call: a 1.3 MB
// agent page a list call, the largest part of what such a call allocates.
//
// One pool per Client, not per process: nothing is shared between Clients.
// What a busy Client keeps is about one buffer per call in flight (at most
// maxPooledBody each), the size of the largest bodies it reads: a Client
// that lists agents and then only gets identities goes on reusing the
// page-sized buffer for them. The GC drops buffers the Client has not used
// for two cycles. Error bodies are never recycled: APIError.Body keeps
// them.
type bodyPool struct {
	pool sync.Pool
}

// maxPooledBody bounds the buffers kept: larger ones (bodies the size
// guess of readBody did not cover) are left to the GC.
const maxPooledBody = maxBodyPrealloc + 1

// get returns an empty buffer of at least capacity bytes, and its holder
// for put (nil when the buffer is new). A pooled buffer too small for the
// body is dropped, not put back: sync.Pool hands out the buffer last put
// on this P first, so a small one put back would be found again by every
// larger call, while the large ones piled up behind it.
func (p *bodyPool) get(capacity int64) (buf []byte, holder *[]byte) {
	if p != nil {
		if h, ok := p.pool.Get().(*[]byte); ok && int64(cap(*h)) >= capacity {
			return (*h)[:0], h
		}
	}
	return make([]byte, 0, capacity), nil
}

// put hands buf back for reuse; the caller must not use it afterwards.
// holder is what get returned with it (nil: a new one is made).
func (p *bodyPool) put(buf []byte, holder *[]byte) {
	if p == nil || cap(buf) == 0 || cap(buf) > maxPooledBody {
		return
	}
	if holder == nil {
		holder = new([]byte)
	}
	*holder = buf[:0]
	p.pool.Put(holder)
}
