package letta

import (
	"fmt"
	"net/http"
	"time"
)

// RequestOption changes one call, e.g.
//
//	var info letta.ResponseInfo
//	id, err := client.Identities.Get(ctx, idStr, letta.WithResponseInfo(&info))
//	log.Println(info.RequestID, info.Attempts)
type RequestOption func(*requestConfig) error

type requestConfig struct {
	headers    http.Header
	maxRetries *int
	timeout    *time.Duration
	info       *ResponseInfo
}

// ResponseInfo describes the HTTP response of a call. Pass a pointer with
// WithResponseInfo; it is filled when a response arrived, on success and
// on an *APIError alike (Attempts is set even when no response arrived).
type ResponseInfo struct {
	// StatusCode is the HTTP status of the final attempt.
	StatusCode int
	// Header is the final response's header.
	Header http.Header
	// RequestID is the server's request id (X-Request-Id or Request-Id).
	RequestID string
	// Attempts is how many times the request was sent (1 + retries).
	Attempts int
}

// WithRequestHeader sets a header on this call only, overriding the client's
// headers of the same name.
func WithRequestHeader(name, value string) RequestOption {
	return func(rc *requestConfig) error {
		if err := checkHeader(name, value); err != nil {
			return err
		}
		if rc.headers == nil {
			rc.headers = http.Header{}
		}
		rc.headers.Set(name, value)
		return nil
	}
}

// WithRequestMaxRetries overrides WithMaxRetries for this call; 0 disables
// retries.
func WithRequestMaxRetries(n int) RequestOption {
	return func(rc *requestConfig) error {
		if n < 0 {
			return &InvalidParamError{Param: "max retries", Value: fmt.Sprint(n), Reason: "must not be negative"}
		}
		rc.maxRetries = &n
		return nil
	}
}

// WithRequestTimeout overrides the per-attempt timeout for this call (see
// WithTimeout and ErrAttemptTimeout); 0 means no per-attempt limit. Use the
// context for a limit on the whole call.
func WithRequestTimeout(d time.Duration) RequestOption {
	return func(rc *requestConfig) error {
		if d < 0 {
			return &InvalidParamError{Param: "timeout", Value: d.String(), Reason: "must not be negative"}
		}
		rc.timeout = &d
		return nil
	}
}

// WithResponseInfo makes the call fill *info with the status, headers,
// request id and attempt count of its response. A nil info is ignored.
func WithResponseInfo(info *ResponseInfo) RequestOption {
	return func(rc *requestConfig) error {
		rc.info = info
		return nil
	}
}
