package letta

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Default values of the client options.
const (
	// DefaultMaxRetries is how many times a failed request is retried unless
	// WithMaxRetries says otherwise (so at most three attempts).
	DefaultMaxRetries = 2
	// DefaultRetryWaitMin is the first backoff step; it doubles per retry.
	DefaultRetryWaitMin = 500 * time.Millisecond
	// DefaultRetryWaitMax caps the exponential backoff.
	DefaultRetryWaitMax = 8 * time.Second
	// DefaultTimeout bounds one attempt (connect, send, headers and body)
	// when the client builds its own http.Client. The context deadline bounds
	// the whole call, retries included.
	DefaultTimeout = 60 * time.Second
	// DefaultMaxResponseBytes limits a successful response body.
	DefaultMaxResponseBytes int64 = 64 << 20
	// maxErrorBodyBytes limits how much of an error body is read and kept:
	// error bodies are only ever messages, and a proxy can answer with
	// megabytes of HTML.
	maxErrorBodyBytes int64 = 1 << 20
	// maxRetryAfter caps a server-requested wait.
	maxRetryAfter = 60 * time.Second
)

// Option configures a Client in NewClient and NewClientFromEnv. An option
// given an invalid value makes the constructor return an error.
type Option func(*config) error

// config is the client's settings. It is written only while the client is
// constructed and read-only afterwards, which makes a Client safe for
// concurrent use.
type config struct {
	apiKey           secret
	baseURL          *url.URL
	projectID        string
	project          string
	httpClient       *http.Client
	timeout          time.Duration
	timeoutSet       bool
	maxRetries       int
	retryWaitMin     time.Duration
	retryWaitMax     time.Duration
	headers          http.Header
	userAgent        string
	logger           *slog.Logger
	loggerSet        bool
	maxResponseBytes int64
}

func defaultConfig() *config {
	u, _ := url.Parse(CloudBaseURL)
	return &config{
		baseURL:          u,
		maxRetries:       DefaultMaxRetries,
		retryWaitMin:     DefaultRetryWaitMin,
		retryWaitMax:     DefaultRetryWaitMax,
		timeout:          DefaultTimeout,
		headers:          http.Header{},
		maxResponseBytes: DefaultMaxResponseBytes,
	}
}

// String describes the settings without the API key. config is never
// exported, but this keeps a debugging dump of it from printing the key:
// fmt does not call the methods of secret on an unexported field.
func (c config) String() string {
	key := "unset"
	if c.apiKey != "" {
		key = redacted
	}
	base := ""
	if c.baseURL != nil {
		base = c.baseURL.String()
	}
	return fmt.Sprintf("letta.config{BaseURL: %q, APIKey: %s, MaxRetries: %d}", base, key, c.maxRetries)
}

// GoString keeps the key out of %#v.
func (c config) GoString() string { return c.String() }

// Format makes every verb print String.
func (c config) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue keeps the key out of slog records.
func (c config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// secret holds the API key. Every formatting path prints a placeholder, so
// a config or key that ends up in a log line or a %#v dump never shows it.
type secret string

const redacted = "[REDACTED]"

// String keeps the key out of %v and %s.
func (s secret) String() string { return s.mask() }

// GoString keeps the key out of %#v.
func (s secret) GoString() string { return s.mask() }

// LogValue keeps the key out of slog output.
func (s secret) LogValue() slog.Value { return slog.StringValue(s.mask()) }

// Format covers every other verb (%x, %q, ...).
func (s secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.mask())) }

// MarshalText keeps the key out of JSON and text encodings.
func (s secret) MarshalText() ([]byte, error) { return []byte(s.mask()), nil }

func (s secret) mask() string {
	if s == "" {
		return ""
	}
	return redacted
}

// WithAPIKey sets the key sent as "Authorization: Bearer <key>". An empty key
// sends no Authorization header (self-hosted servers without a password).
// The key never appears in logs, errors or formatted output of the client.
func WithAPIKey(key string) Option {
	return func(c *config) error {
		if !validHeaderValue(key) {
			// The key itself must not be echoed in the error.
			return &InvalidParamError{Param: "api key", Value: redacted, Reason: "contains characters not allowed in an HTTP header"}
		}
		c.apiKey = secret(key)
		return nil
	}
}

// WithBaseURL sets the server address, e.g. CloudBaseURL, LocalBaseURL or
// "https://proxy.example.com/letta". It must be an absolute http or https URL
// without query, fragment or credentials. A path prefix is kept and the API
// paths (which start with /v1) are appended to it, so a base URL ending in
// /v1 is refused with the value to write instead ("http://host:8283/v1":
// write "http://host:8283"); so is an address without a scheme
// ("127.0.0.1:8283": write "http://127.0.0.1:8283"). Errors show the URL
// without its credentials, query and fragment.
func WithBaseURL(raw string) Option {
	return func(c *config) error {
		u, err := parseBaseURL(raw)
		if err != nil {
			return err
		}
		c.baseURL = u
		return nil
	}
}

func parseBaseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	shown := displayURL(raw)
	bad := func(reason string) error {
		return &InvalidParamError{Param: "base URL", Value: shown, Reason: reason}
	}
	if !strings.Contains(raw, "://") && raw != "" && !strings.HasPrefix(raw, "/") {
		// "127.0.0.1:8283" or "localhost:8283": url.Parse fails on the
		// first and reads "localhost" as a scheme in the second.
		return nil, bad(fmt.Sprintf("no scheme: write %q (or https:// for a TLS server)", "http://"+shown))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, bad("not a valid URL")
	}
	switch {
	case u.User != nil:
		return nil, bad("credentials in the URL are not supported; use WithAPIKey or WithHeader")
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, bad("scheme must be http or https")
	case u.Host == "":
		return nil, bad("host is missing")
	case u.RawQuery != "" || u.ForceQuery:
		return nil, bad("must not have a query")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return nil, bad("must not have a fragment")
	case u.Opaque != "":
		return nil, bad("not a hierarchical URL")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	if strings.HasSuffix(u.Path, "/v1") {
		// Every API path starts with /v1: this base would send
		// /v1/v1/agents/, which answers 404.
		fixed := *u
		fixed.Path = strings.TrimSuffix(u.Path, "/v1")
		fixed.RawPath = ""
		return nil, bad(fmt.Sprintf("must not end in /v1 (the SDK adds /v1 to every path): write %q", fixed.String()))
	}
	return u, nil
}

// displayURL is raw without the parts that may hold secrets (user info,
// query, fragment), found by position so that it works on input url.Parse
// refuses too.
func displayURL(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i]
	}
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + 3
	}
	end := len(raw)
	if i := strings.IndexByte(raw[start:], '/'); i >= 0 {
		end = start + i
	}
	if at := strings.LastIndexByte(raw[start:end], '@'); at >= 0 {
		raw = raw[:start] + raw[start+at+1:]
	}
	return raw
}

// WithProjectID sends the project id in the X-Project-Id header on every
// request (Letta Cloud scopes resources by project). Empty sends nothing.
func WithProjectID(id string) Option {
	return func(c *config) error {
		if !validHeaderValue(id) {
			return &InvalidParamError{Param: "project id", Value: id, Reason: "not a valid header value"}
		}
		c.projectID = id
		return nil
	}
}

// WithProject sends the project slug in the X-Project header (deprecated by
// Letta in favour of WithProjectID; Letta Cloud still reads it). Empty sends
// nothing.
func WithProject(slug string) Option {
	return func(c *config) error {
		if !validHeaderValue(slug) {
			return &InvalidParamError{Param: "project", Value: slug, Reason: "not a valid header value"}
		}
		c.project = slug
		return nil
	}
}

// WithHTTPClient makes every attempt go through a shallow copy of hc (its
// Transport, Jar and Timeout are used; the client sets its own CheckRedirect
// in front of hc's). Without WithTimeout, hc.Timeout is kept as it is.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return &InvalidParamError{Param: "http client", Value: "nil", Reason: "must not be nil"}
		}
		c.httpClient = hc
		return nil
	}
}

// WithTimeout bounds each attempt (connect, send, response headers and
// body); 0 means no per-attempt limit. The default is DefaultTimeout. An
// attempt that runs out of it is retried as a dropped connection is; if it
// was the last, the call's error matches ErrAttemptTimeout (and
// context.DeadlineExceeded). Use a context deadline to bound a whole call
// including its retries.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return &InvalidParamError{Param: "timeout", Value: d.String(), Reason: "must not be negative"}
		}
		c.timeout, c.timeoutSet = d, true
		return nil
	}
}

// WithMaxRetries sets how many times a failed request may be retried (the
// default is DefaultMaxRetries); 0 disables retries.
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return &InvalidParamError{Param: "max retries", Value: fmt.Sprint(n), Reason: "must not be negative"}
		}
		c.maxRetries = n
		return nil
	}
}

// WithRetryWait sets the exponential backoff: the n-th retry waits about
// min(minWait*2^n, maxWait), less up to 25% jitter. A Retry-After header
// from the server takes precedence (capped at 60 s).
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return func(c *config) error {
		if minWait < 0 || maxWait < minWait {
			return &InvalidParamError{Param: "retry wait", Value: minWait.String() + ".." + maxWait.String(),
				Reason: "need 0 <= min <= max"}
		}
		c.retryWaitMin, c.retryWaitMax = minWait, maxWait
		return nil
	}
}

// WithHeader adds a header to every request. It replaces any value set by an
// earlier WithHeader for the same name (and one from LETTA_CUSTOM_HEADERS).
// Setting a header the client itself sends (User-Agent, Authorization, ...)
// overrides the client's value.
func WithHeader(name, value string) Option {
	return func(c *config) error {
		if err := checkHeader(name, value); err != nil {
			return err
		}
		c.headers.Set(name, value)
		return nil
	}
}

// WithUserAgent puts the caller's product token (e.g. "myapp/1.2") in front
// of the client's own "letta-go/<Version>" in the User-Agent header.
func WithUserAgent(product string) Option {
	return func(c *config) error {
		if !validHeaderValue(product) {
			return &InvalidParamError{Param: "user agent", Value: product, Reason: "not a valid header value"}
		}
		c.userAgent = strings.TrimSpace(product)
		return nil
	}
}

// WithLogger sets where the client logs: one Debug record per attempt
// (method, path, status, attempt, duration) and per retry decision, and a
// Warn record when an API key would travel over plain http. Headers and the
// API key are never logged. nil silences the client. Without this option
// the client logs to slog.Default() as it is when the client is created.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger, c.loggerSet = l, true
		return nil
	}
}

// WithMaxResponseBytes limits the size of a successful response body the
// call decodes (DefaultMaxResponseBytes unless set). A larger body fails the
// call with a *DecodeError wrapping ErrResponseTooLarge. The success bodies
// of calls that return no value (Delete, AttachIdentity, DetachIdentity)
// are drained and dropped whatever their size. Error bodies are always
// capped at 1 MiB.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return &InvalidParamError{Param: "max response bytes", Value: fmt.Sprint(n), Reason: "must be positive"}
		}
		c.maxResponseBytes = n
		return nil
	}
}

// managedHeaders are the headers net/http writes itself from the request
// and drops from Header: set there, they would be accepted and not sent.
var managedHeaders = map[string]bool{
	"Host": true, "Content-Length": true, "Transfer-Encoding": true, "Connection": true, "Trailer": true,
}

func checkHeader(name, value string) error {
	if !validHeaderName(name) {
		return &InvalidParamError{Param: "header name", Value: name, Reason: "not a valid HTTP header name"}
	}
	if managedHeaders[http.CanonicalHeaderKey(name)] {
		return &InvalidParamError{Param: "header name", Value: name, Reason: "set by net/http from the request; it cannot be overridden"}
	}
	if !validHeaderValue(value) {
		// Header values can be credentials: never echo them.
		return &InvalidParamError{Param: "header " + http.CanonicalHeaderKey(name), Value: redacted,
			Reason: "contains characters not allowed in an HTTP header"}
	}
	return nil
}

// validHeaderName accepts RFC 7230 tokens.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", ch) >= 0:
		default:
			return false
		}
	}
	return true
}

// validHeaderValue refuses control characters (CR/LF would split headers).
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if ch := s[i]; (ch < ' ' && ch != '\t') || ch == 0x7f {
			return false
		}
	}
	return true
}
