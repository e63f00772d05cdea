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

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"

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

// do runs c through the retrying pipeline and decodes a 2xx body into out
// (nil: the body is ignored).
func (c *Client) do(ctx context.Context, call apiCall, out any, opts []RequestOption) error {
	if ctx == nil {
		return errNilContext()
	}
	ex := &exchange{
		client:    c,
		method:    call.method,
		ctx:       ctx,
		errLimit:  maxErrorBodyBytes,
		okLimit:   c.cfg.maxResponseBytes,
		discardOK: out == nil,
	}
	rc := &ex.rc
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(rc); err != nil {
			return err
		}
	}
	ex.maxRetries = c.cfg.maxRetries
	if rc.maxRetries != nil {
		ex.maxRetries = *rc.maxRetries
	}
	ex.timeout = c.hc.Timeout
	if rc.timeout != nil {
		ex.timeout = *rc.timeout
	}

	u, logPath, err := c.requestURL(call.path, call.query)
	if err != nil {
		return err
	}
	ex.path = logPath

	var body []byte
	if call.body != nil {
		// Marshalled once: every retry rewinds these bytes.
		if body, err = codec.Marshal(call.body); err != nil {
			// Caller input (a NaN or a channel in a free-form map) that
			// JSON cannot carry.
			return &InvalidParamError{Param: "request body", Value: fmt.Sprintf("%T", call.body),
				Reason: "cannot be encoded as JSON: " + err.Error()}
		}
	}

	// The request carries its first attempt as its context from the start,
	// which saves copying it to set one.
	// Given no URL, NewRequestWithContext allocates an empty one (instead
	// of parsing a string), filled here from the base URL NewClient parsed.
	hreq, err := http.NewRequestWithContext(ex.newAttempt(), call.method, "", nil)
	if err != nil {
		ex.cur.release()
		return &RequestError{Method: call.method, URL: sanitizeURL(u.String()), Err: err, path: logPath}
	}
	*hreq.URL = u
	// What NewRequestWithContext does to a parsed URL's host: an empty port
	// ("host:") is dropped.
	hreq.URL.Host = strings.TrimSuffix(u.Host, ":")
	hreq.Host = hreq.URL.Host
	req := &ex.req
	req.Request = hreq
	if body != nil {
		ex.reqBody = body
		// SetBody asks the reader for the length once: ex.probe answers.
		ex.settingBody = true
		err = req.SetBody(retryablehttp.ReaderFunc(ex.bodyReader))
		ex.settingBody = false
	} else {
		err = req.SetBody(nil)
	}
	if err != nil {
		ex.cur.release()
		return &RequestError{Method: call.method, URL: sanitizeURL(u.String()), Err: err, path: logPath}
	}
	c.setHeaders(req.Header, ex.headerVals[:0], body != nil, rc.headers)

	resp, respBody, err := ex.run()
	// The response headers reach the caller only through ResponseInfo and
	// errors; a plain success skips masking them.
	var hdr http.Header
	if resp != nil && (rc.info != nil || err != nil || resp.StatusCode < 200 || resp.StatusCode > 299) {
		hdr = c.redactHeader(resp.Header)
	}
	if rc.info != nil {
		*rc.info = ResponseInfo{Attempts: ex.attempts}
		if resp != nil {
			rc.info.StatusCode = resp.StatusCode
			rc.info.Header = hdr
			rc.info.RequestID = requestID(hdr)
		}
	}
	if err != nil {
		if errors.Is(err, ErrResponseTooLarge) && resp != nil {
			return &DecodeError{StatusCode: resp.StatusCode, Method: call.method, URL: sanitizeURL(u.String()),
				RequestID: requestID(hdr), Err: ErrResponseTooLarge, path: logPath}
		}
		var bre *bodyReadError
		if ex.maybeApplied || errors.As(err, &bre) {
			err = markMaybeApplied(err)
		}
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w: %w", ctxErr, err)
		}
		return &RequestError{Method: call.method, URL: sanitizeURL(u.String()), Err: err, path: logPath}
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		respBody = c.redactKey(respBody)
		apiErr := &APIError{
			StatusCode: resp.StatusCode,
			Method:     call.method,
			URL:        sanitizeURL(u.String()),
			Body:       respBody,
			Header:     hdr,
			RequestID:  requestID(hdr),
			path:       logPath,
		}
		apiErr.parseErrorBody(respBody)
		c.redactParsed(apiErr)
		return apiErr
	}
	if err := decodeInto(respBody, out); err != nil {
		if hdr == nil {
			hdr = c.redactHeader(resp.Header)
		}
		return &DecodeError{StatusCode: resp.StatusCode, Method: call.method, URL: sanitizeURL(u.String()),
			RequestID: requestID(hdr), Snippet: snippet(c.redactKey(c.snippetWindow(respBody, 120)), 120), Err: err, path: logPath}
	}
	// Nothing decoded refers to the body's bytes (see bodyPool).
	c.bodies.put(respBody, ex.bodyHolder)
	return nil
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
// null for a list decodes as an empty list.
func decodeInto(data []byte, out any) (err error) {
	if out == nil {
		return nil
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return ErrEmptyResponse
	}
	if string(trimmed) == "null" {
		if rv := reflect.ValueOf(out); rv.Kind() == reflect.Pointer && rv.Elem().Kind() == reflect.Slice {
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

// maxBodyPrealloc bounds the buffer readBody sizes from Content-Length
// before any byte arrived, so that a server declaring a huge length cannot
// make the client allocate it for nothing.
const maxBodyPrealloc = 8 << 20

// readBody reads at most limit bytes. A longer body is cut at limit and
// reported with tooLarge; the rest is left for the caller to discard.
// size is the declared length (-1 when unknown): a buffer of that size
// (plus the byte the final, empty Read needs) saves the doublings and
// copies of io.ReadAll, which on a 1.3 MB agent page allocated 2.6 MB more
// than the body (internal/bench, BenchmarkAgentsList).
//
// buf, when its capacity is at least bodyCapacity(size, limit), is read
// into instead of a new buffer (see bodyPool).
func readBody(r io.Reader, size, limit int64, buf []byte) (data []byte, tooLarge bool, err error) {
	// limit+1 below must not overflow (WithMaxResponseBytes(math.MaxInt64)
	// means "no limit").
	limit = min(limit, math.MaxInt64-1)
	if capacity := bodyCapacity(size, limit); int64(cap(buf)) >= capacity {
		data = buf[:0]
	} else {
		data = make([]byte, 0, capacity)
	}
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		room := min(int64(cap(data)-len(data)), limit+1-int64(len(data)))
		n, rerr := r.Read(data[len(data) : len(data)+int(room)])
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

// bodyCapacity is the buffer readBody starts with for a body of the
// declared size (-1: unknown) under limit. maxBodyPrealloc bounds it, so
// no limit can overflow it.
func bodyCapacity(size, limit int64) int64 {
	if size < 0 {
		return 512
	}
	return min(size, limit, maxBodyPrealloc) + 1
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
