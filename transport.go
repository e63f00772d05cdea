package letta

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"
)

// maxRedirects matches net/http's default limit.
const maxRedirects = 10

// newHTTPClient returns the client's own copy of the http.Client every
// attempt goes through, its Timeout the per-attempt timeout (NewClient moves
// it to the Client and leaves 0 in the copy). Copying keeps the caller's
// Transport and Jar but lets the SDK put its redirect policy in place
// without mutating the caller's value.
func newHTTPClient(cfg *config) *http.Client {
	var hc http.Client
	if cfg.httpClient != nil {
		hc = *cfg.httpClient
		if cfg.timeoutSet {
			hc.Timeout = cfg.timeout
		}
	} else {
		hc = http.Client{Transport: defaultTransport(), Timeout: cfg.timeout}
	}
	userCheck := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := checkRedirect(req, via); err != nil {
			return err
		}
		if userCheck != nil {
			return userCheck(req, via)
		}
		return nil
	}
	return &hc
}

// checkRedirect refuses a redirect to another host (or from https to http):
// the request carries the API key and any custom headers, and net/http only
// strips a few well-known credential headers (and keeps them for subdomains).
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) == 0 {
		return nil
	}
	if len(via) >= maxRedirects {
		return &RedirectError{From: sanitizeURL(via[len(via)-1].URL.String()), To: sanitizeURL(req.URL.String()),
			Reason: fmt.Sprintf("stopped after %d redirects", maxRedirects)}
	}
	orig := via[0].URL
	if !sameOrigin(orig.Scheme, orig.Host, req.URL.Scheme, req.URL.Host) {
		return &RedirectError{From: sanitizeURL(via[len(via)-1].URL.String()), To: sanitizeURL(req.URL.String()),
			Reason: "another host or a downgrade to http"}
	}
	return nil
}

// sameOrigin is true for the same host and port, allowing an http to https
// upgrade but not the reverse. The upgrade keeps the host and goes from the
// default http port to the default https one, or keeps an explicit port:
// another port may be another server, which must not get the key.
func sameOrigin(scheme1, host1, scheme2, host2 string) bool {
	if scheme1 == "https" && scheme2 != "https" {
		return false
	}
	if canonicalHostPort(scheme1, host1) == canonicalHostPort(scheme2, host2) {
		return true
	}
	if scheme1 != "http" || scheme2 != "https" || hostOnly(host1) != hostOnly(host2) {
		return false
	}
	return portOf(scheme1, host1) == portOf(scheme2, host2) ||
		portOf(scheme1, host1) == "80" && portOf(scheme2, host2) == "443"
}

// portOf returns host's port, or the scheme's default.
func portOf(scheme, host string) string {
	_, port, _ := net.SplitHostPort(canonicalHostPort(scheme, host))
	return port
}

func canonicalHostPort(scheme, host string) string {
	if _, _, err := net.SplitHostPort(host); err == nil {
		return host
	}
	if scheme == "https" {
		return host + ":443"
	}
	return host + ":80"
}

func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}

// maxConnsPerHost caps the connections the default transport holds open to
// one host at once (dialing or dialed, not yet closed). Without a cap,
// net/http dials a connection for every request that finds none idle, and
// while those dials are in flight, connections that free up are handed to
// the waiting requests: under a burst of concurrent calls the surplus dials
// end up as extra idle connections (64 goroutines opened 72 to 83
// connections instead of 64). With the cap, calls beyond it wait for a
// connection to free up (within their timeout) rather than dial. It bounds
// the connections open at once, not those dialed over a client's life: a
// connection net/http closes (see connReuseBound in connections_test.go)
// frees its place for a new one.
const maxConnsPerHost = 64

// defaultTransport is a clone of http.DefaultTransport that keeps enough
// idle connections per host for many goroutines sharing one Client (the
// stdlib default of 2 would make most concurrent calls dial anew) and opens
// at most maxConnsPerHost to each host.
func defaultTransport() http.RoundTripper {
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		t := dt.Clone()
		t.MaxIdleConns = 100
		t.MaxIdleConnsPerHost = 100
		t.MaxConnsPerHost = maxConnsPerHost
		return t
	}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   100,
		MaxConnsPerHost:       maxConnsPerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// sanitizeURL drops credentials from a URL string before it goes into an
// error or a log record.
func sanitizeURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<invalid URL>"
	}
	u.User = nil
	return u.String()
}
