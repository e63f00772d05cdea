package letta_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/lettatest"
)

// A create answered 502 is not sent again: the server may have created the
// identity before the proxy failed. The error says so; look the identity
// up before creating it again.
func ExampleErrMaybeApplied() {
	srv := lettatest.NewServer()
	defer srv.Close()
	srv.InjectFault(lettatest.Fault{Method: http.MethodPost, Path: "/v1/identities/", Status: http.StatusBadGateway})
	client, err := letta.NewClient(letta.WithBaseURL(srv.URL), letta.WithLogger(nil))
	if err != nil {
		panic(err)
	}

	_, err = client.Identities.Create(context.Background(), &letta.IdentityCreateParams{
		IdentifierKey: "user_1", Name: "Caren", IdentityType: letta.IdentityTypeUser,
	})
	var apiErr *letta.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, errors.Is(err, letta.ErrServer), errors.Is(err, letta.ErrMaybeApplied))
	}
	// Output:
	// 502 true true
}

// The per-attempt timeout (WithTimeout, WithRequestTimeout) has its own
// sentinel, which the caller's own deadline does not match. A GET that
// timed out changed nothing, so it does not match ErrMaybeApplied.
func ExampleErrAttemptTimeout() {
	srv := lettatest.NewServer()
	defer srv.Close()
	srv.InjectFault(lettatest.Fault{Method: http.MethodGet, Times: 2, Delay: time.Second})
	client, err := letta.NewClient(letta.WithBaseURL(srv.URL), letta.WithLogger(nil))
	if err != nil {
		panic(err)
	}

	_, err = client.Identities.Count(context.Background(),
		letta.WithRequestTimeout(50*time.Millisecond), letta.WithRequestMaxRetries(1))
	fmt.Println(errors.Is(err, letta.ErrAttemptTimeout), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, letta.ErrMaybeApplied))
	// Output:
	// true true false
}
