package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/internal/benchdata"
	"github.com/letta-go/letta/internal/codec"
)

// totalAgents is how many agents the ListAll benchmark walks over.
const totalAgents = 10_000

const benchKey = "sk-let-bench"

// newServer starts the payload server; the caller closes it.
func newServer(tb testing.TB, cfg benchdata.Config) (*httptest.Server, *benchdata.Handler) {
	tb.Helper()
	h := benchdata.NewHandler(cfg)
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv, h
}

// newSDK returns an SDK client with its defaults (default transport,
// retries on, the default slog logger) against srv.
func newSDK(tb testing.TB, baseURL string) *letta.Client {
	tb.Helper()
	c, err := letta.NewClient(letta.WithBaseURL(baseURL), letta.WithAPIKey(benchKey))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// rawClient is the hand-written baseline: plain net/http with the idle
// connection settings a careful developer would use for one host (the same
// as the SDK's default transport), the same request as the SDK's (method,
// URL, body and headers), the whole body read, and a status check.
type rawClient struct {
	hc        *http.Client
	base      string
	unmarshal func([]byte, any) error
	// sizedRead reads the body into a buffer of its Content-Length, as the
	// SDK does, instead of io.ReadAll, which doubles its way up: a baseline
	// as careful about reading as the SDK, so that its own advantage there
	// does not flatter it.
	sizedRead bool
	// minimalHeaders leaves out the headers the SDK sends beyond the ones
	// any client needs (User-Agent stays Go's default; no X-Stainless-*):
	// a lighter request than the SDK's, to show what those headers cost.
	// On the real server it is not the same request: without
	// X-Stainless-Package-Version, agent list and retrieve answer with
	// every relationship loaded.
	minimalHeaders bool
}

func newRawClient(baseURL string, unmarshal func([]byte, any) error) *rawClient {
	t := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        100,
		MaxIdleConnsPerHost: 100,
		IdleConnTimeout:     90 * time.Second,
	}
	return &rawClient{hc: &http.Client{Transport: t}, base: baseURL, unmarshal: unmarshal}
}

// variant is one hand-written baseline: its client, and the types it
// decodes into.
type variant struct {
	name string
	c    *rawClient
	// plainTypes decodes into plain structs a developer might declare
	// instead of the SDK's types: time.Time, and the unions as plain
	// structs. They are not equivalent (see plain_test.go); the variant
	// shows what the SDK's types cost.
	plainTypes bool
}

// baselines are the hand-written variants. impl=baseline is the one the
// targets refer to: the SDK's request, decoded with the SDK's codec into
// equivalent structs (the SDK's own types: structs that decode the same
// JSON to the same values, naive timestamps and unknown union fields
// included). The others change one thing each: the body read sized from
// Content-Length, plain structs, encoding/json.
func baselines(baseURL string) []variant {
	return []variant{
		{name: "impl=baseline", c: newRawClient(baseURL, codec.Unmarshal)},
		{name: "impl=baseline-sizedread", c: newSizedRawClient(baseURL)},
		{name: "impl=baseline-plain", c: newRawClient(baseURL, codec.Unmarshal), plainTypes: true},
		{name: "impl=baseline-stdjson", c: newRawClient(baseURL, json.Unmarshal)},
	}
}

// newSizedRawClient is the baseline with a body read sized from
// Content-Length.
func newSizedRawClient(baseURL string) *rawClient {
	c := newRawClient(baseURL, codec.Unmarshal)
	c.sizedRead = true
	return c
}

// newMinimalRawClient is the baseline with the minimal request headers.
func newMinimalRawClient(baseURL string) *rawClient {
	c := newRawClient(baseURL, codec.Unmarshal)
	c.minimalHeaders = true
	return c
}

// out returns a fresh value to decode into: new(sdk) or new(plain).
func out[S, P any](v variant) any {
	if v.plainTypes {
		return new(P)
	}
	return new(S)
}

// idOf returns the ID field of a decoded resource and lenOf the length of
// a decoded list, whichever type they were decoded into.
func idOf(v any) string { return reflect.ValueOf(v).Elem().FieldByName("ID").String() }

func lenOf(v any) int { return reflect.ValueOf(v).Elem().Len() }

func (c *rawClient) do(ctx context.Context, method, path string, query url.Values, in, out any) error {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var body io.Reader
	if in != nil {
		b, err := codec.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+benchKey)
	req.Header.Set("Accept", "application/json")
	if !c.minimalHeaders {
		// The SDK's own headers (see Client.setHeaders): the server treats
		// a request with X-Stainless-Package-Version as coming from a
		// current SDK.
		req.Header.Set("User-Agent", "letta-go/"+letta.Version)
		req.Header.Set("X-Stainless-Package-Version", letta.Version)
		req.Header.Set("X-Stainless-Retry-Count", "0")
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var data []byte
	if c.sizedRead && resp.ContentLength >= 0 {
		data = make([]byte, resp.ContentLength)
		_, err = io.ReadFull(resp.Body, data)
	} else {
		data, err = io.ReadAll(resp.Body)
	}
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: status %d", method, path, resp.StatusCode)
	}
	return c.unmarshal(data, out)
}

// newTestServer serves h on loopback and returns its URL.
func newTestServer(tb testing.TB, h http.Handler) string {
	tb.Helper()
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv.URL
}
