// Command errors shows how the SDK reports failures and how to branch on
// them: errors.Is with the sentinel errors (ErrConflict, ErrNotFound, ...)
// for the HTTP status, errors.As with *letta.APIError for the details the
// server sent, *letta.InvalidParamError for input refused before sending,
// and *letta.RequestError when no response arrived at all.
//
//	go run ./examples/errors
//
// With LETTA_API_KEY (Letta Cloud) and/or LETTA_BASE_URL set it talks to that
// server; with neither it starts an in-process lettatest server. The identity
// it creates is deleted at the end.
package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/letta-go/letta"
	"github.com/letta-go/letta/examples/internal/exampleenv"
)

func main() {
	exampleenv.Main("errors", run)
}

// unknownIdentityID is well formed (identity-<uuid4>) but names nothing.
const unknownIdentityID = "identity-00000000-0000-4000-8000-000000000000"

func run(ctx context.Context, env *exampleenv.Env) error {
	client := env.Client

	env.Step("A duplicate identifier_key is a 409: errors.Is(err, letta.ErrConflict)")
	params := &letta.IdentityCreateParams{
		IdentifierKey: env.Unique("errors-example-user"),
		Name:          "Dana",
		IdentityType:  letta.IdentityTypeUser,
	}
	first, err := client.Identities.Create(ctx, params)
	if err != nil {
		return fmt.Errorf("creating the first identity: %w", err)
	}
	env.DeleteIdentityLater(first)
	env.Printf("created %s", first.IdentifierKey)

	dup, err := client.Identities.Create(ctx, params)
	if err == nil {
		env.DeleteIdentityLater(dup)
		return errors.New("creating the same identifier_key twice succeeded; the server should answer 409")
	}
	switch {
	case errors.Is(err, letta.ErrConflict):
		env.Printf("second create: ErrConflict, so the user already exists; fetch it instead of creating it")
	default:
		return fmt.Errorf("second create: want ErrConflict, got: %w", err)
	}

	env.Step("Reading the details with errors.As(err, &apiErr)")
	var apiErr *letta.APIError
	if !errors.As(err, &apiErr) {
		return fmt.Errorf("want a *letta.APIError, got %T", err)
	}
	env.Printf("StatusCode: %d", apiErr.StatusCode)
	env.Printf("Method URL: %s %s", apiErr.Method, apiErr.URL)
	env.Printf("Detail:     %s", apiErr.Detail)
	env.Printf("RequestID:  %q (quote it when asking for support)", apiErr.RequestID)
	env.Printf("Error():    %v", err)

	env.Step("An unknown id is a 404: errors.Is(err, letta.ErrNotFound)")
	_, err = client.Identities.Get(ctx, unknownIdentityID)
	if !errors.Is(err, letta.ErrNotFound) {
		return fmt.Errorf("getting an unknown identity: want ErrNotFound, got %v", err)
	}
	env.Printf("Identities.Get(%s): ErrNotFound", unknownIdentityID)
	err = client.Agents.Delete(ctx, "agent-00000000-0000-4000-8000-000000000000")
	if !errors.Is(err, letta.ErrNotFound) {
		return fmt.Errorf("deleting an unknown agent: want ErrNotFound, got %v", err)
	}
	env.Printf("Agents.Delete of an unknown agent: ErrNotFound")

	env.Step("A malformed id is refused by the server with a 422: letta.ErrUnprocessable")
	_, err = client.Identities.Get(ctx, "user_1") // an identifier key is not an id
	if !errors.As(err, &apiErr) {
		return fmt.Errorf("getting identity %q: want a *letta.APIError, got %v", "user_1", err)
	}
	// The self-hosted server validates path ids; a proxy in front of it may
	// answer differently, so this only reports what came back.
	env.Printf("Identities.Get(%q): status %d, errors.Is(err, letta.ErrUnprocessable) = %t",
		"user_1", apiErr.StatusCode, errors.Is(err, letta.ErrUnprocessable))
	for _, item := range apiErr.Errors {
		env.Printf("  validation error at %v: %s", item.Loc, item.Msg)
	}
	if len(apiErr.Examples) > 0 {
		env.Printf("  a well-formed id looks like %s", apiErr.Examples[0])
	}

	env.Step("Input the SDK can refuse itself never reaches the server: letta.ErrInvalidParam")
	_, err = client.Agents.Get(ctx, "", nil)
	var invalid *letta.InvalidParamError
	if !errors.Is(err, letta.ErrInvalidParam) || !errors.As(err, &invalid) {
		return fmt.Errorf("getting agent \"\": want ErrInvalidParam, got %v", err)
	}
	env.Printf("Agents.Get(\"\"): ErrInvalidParam, Param=%s Reason=%q", invalid.Param, invalid.Reason)
	_, err = client.Identities.Create(ctx, &letta.IdentityCreateParams{IdentityType: letta.IdentityTypeUser})
	if !errors.As(err, &invalid) {
		return fmt.Errorf("creating an identity without key and name: want ErrInvalidParam, got %v", err)
	}
	env.Printf("every missing field at once: %v", err)

	env.Step("A value the SDK does not know is sent as given; the server names the values it accepts")
	_, err = client.Agents.List(ctx, &letta.AgentListParams{Include: []letta.AgentInclude{"tags"}})
	if !errors.Is(err, letta.ErrUnprocessable) || !errors.As(err, &apiErr) {
		return fmt.Errorf("listing with include %q: want ErrUnprocessable, got %v", "tags", err)
	}
	env.Printf("Agents.List with Include \"tags\": %v", err)
	for _, item := range apiErr.Errors {
		if len(item.Allowed) > 0 {
			env.Printf("  %q is not allowed; the server accepts %v", item.Input, item.Allowed)
		}
	}

	env.Step("No response at all is a *letta.RequestError (connection refused, timeout, cancelled context)")
	// Port 1 on loopback refuses connections; no retries, to keep it quick.
	offline, err := letta.NewClient(letta.WithBaseURL("http://127.0.0.1:1"), letta.WithMaxRetries(0))
	if err != nil {
		return err
	}
	_, err = offline.Identities.Count(ctx)
	var reqErr *letta.RequestError
	if !errors.As(err, &reqErr) {
		return fmt.Errorf("counting on a closed port: want *letta.RequestError, got %v", err)
	}
	env.Printf("RequestError: %v", reqErr)
	return nil
}
