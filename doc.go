// Package letta is a typed Go client for the Letta REST API: identities (one
// per end user of a multi-user application) and the agents that belong to
// them. It covers every identities route and the agents routes for creating,
// reading, listing, counting, changing and deleting agents and attaching
// identities to them.
//
// # Quick start
//
// Create a client from the environment (LETTA_API_KEY for Letta Cloud, plus
// LETTA_BASE_URL for a self-hosted server), give each of your users an
// identity, create agents attached to it, and find a user's agents by the
// identifier key you chose:
//
//	client, err := letta.NewClientFromEnv()
//	if err != nil {
//		return err
//	}
//	user, err := client.Identities.Create(ctx, &letta.IdentityCreateParams{
//		IdentifierKey: "user_1", // your own user id
//		Name:          "Caren",
//		IdentityType:  letta.IdentityTypeUser,
//	})
//	if err != nil {
//		return err
//	}
//	agent, err := client.Agents.Create(ctx, &letta.AgentCreateParams{
//		MemoryBlocks:       []letta.CreateBlock{{Label: "human", Value: "The human's name is Caren."}},
//		Model:              letta.Ptr("openai/gpt-4o-mini"),
//		ContextWindowLimit: letta.Ptr(16000),
//		Embedding:          letta.Ptr("openai/text-embedding-3-small"),
//		IdentityIDs:        []string{user.ID},
//	})
//	if err != nil {
//		return err
//	}
//	agents, err := client.Agents.List(ctx, &letta.AgentListParams{
//		IdentifierKeys: []string{"user_1"},
//	})
//
// Tagging agents with a user id (AgentCreateParams.Tags, then
// AgentListParams.Tags) is the lighter alternative to identities. The
// repository's examples directory runs both approaches end to end:
// go run ./examples/multiuser needs no account, because without LETTA_*
// variables it starts a local lettatest server.
//
// # Configuration
//
// NewClient takes options only (WithBaseURL, WithAPIKey, WithTimeout,
// WithMaxRetries, WithHTTPClient, WithLogger, ...) and defaults to Letta
// Cloud (CloudBaseURL). NewClientFromEnv first reads LETTA_API_KEY,
// LETTA_BASE_URL, LETTA_CUSTOM_HEADERS and LETTA_LOG, then applies its
// options, so explicit options win. Neither makes a network call. A Client is
// safe for concurrent use and should be reused. The API key never appears in
// errors, logs or formatted output of the client.
//
// # Requests
//
// Every method takes a context first (its deadline bounds the whole call,
// retries included), then the path ids, then a params struct, then per-call
// RequestOptions. A nil params means the server's defaults (Identities.Create
// and Upsert, whose params carry required fields, refuse nil). In params,
// optional scalars are pointers, so that unset (nil, not sent) differs from a
// zero value; Ptr makes one: letta.Ptr("Caren"), letta.Ptr(false). A nil
// slice is not sent, and an empty non-nil slice is sent as [] (in updates,
// that clears a set). Enum values (Include, Order, OrderBy, IdentityType,
// ...) are open: one the SDK does not know is sent as given, and a server
// that does not know it either answers 422 with the values it accepts,
// listed in the error (ValidationItem.Allowed). Only input that can never be
// valid is refused before sending: empty or unsafe ids, a negative limit, a
// missing required field (all of them named at once), an agent name outside
// the server's rule. Identities.GetByKey fetches an identity by its
// identifier key, e.g. after Create answered ErrConflict.
//
// Optional response fields are pointers; their GetX accessors
// (agent.GetModel(), block.GetLabel()) return the zero value for nil.
//
// Agents come back without their relationships (tags, identities, blocks,
// tools, ...) unless the request's Include asks for them, e.g.
// Include: []letta.AgentInclude{letta.IncludeAgentTags}. Create returns the
// relationships it set, and Update returns all of them.
//
// # Pagination
//
// List methods return one page (a bare array, as the API does; the server's
// default is 50, newest first). ListAll methods return an iter.Seq2 that
// follows the after cursor until a page comes back empty, fetching each page
// only when the loop gets there (with Before set, they walk back from that
// item, nearest first):
//
//	for agent, err := range client.Agents.ListAll(ctx, &letta.AgentListParams{Tags: []string{"user_1"}}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(agent.Name) // break at any time: no further page is fetched
//	}
//
// # Errors
//
// A non-2xx answer is an *APIError; errors.Is matches it against
// ErrNotFound, ErrConflict (e.g. a duplicate identifier key),
// ErrUnauthorized, ErrUnprocessable, ErrRateLimited, ErrServer and the other
// sentinels, and errors.As gives its StatusCode, Detail and RequestID. A call
// that got no answer is a *RequestError; an unusable 2xx body is a
// *DecodeError; input refused before sending is an *InvalidParamError,
// matched by ErrInvalidParam.
//
//	_, err := client.Identities.Create(ctx, params)
//	var apiErr *letta.APIError
//	switch {
//	case errors.Is(err, letta.ErrConflict):
//		// the user already has an identity
//	case errors.As(err, &apiErr):
//		log.Printf("letta: %d %s (request %s)", apiErr.StatusCode, apiErr.Detail, apiErr.RequestID)
//	}
//
// # Retries
//
// A failed call is retried up to WithMaxRetries times (default 2), waiting
// min(0.5 s * 2^n, 8 s) minus up to 25% jitter, or what the server asks for
// with retry-after-ms / Retry-After (capped at 60 s). Retried: connection
// failures, 408, 429, 500, 502, 503 and 504; a 409 only when it carries
// Retry-After (a lock conflict; a duplicate identifier_key is final);
// anything with "x-should-retry: true"; never anything with
// "x-should-retry: false". A POST creates something, so it is retried only
// when the server cannot have acted on it: the request never went out
// (connection refused, DNS or TLS failure), or the answer is 408, 429, 503
// or a Retry-After 409. After a 500, 502, 504, a dropped connection or a
// timeout once the request was written, the error is returned rather than
// risking a duplicate, and it matches ErrMaybeApplied. A 5xx the SDK knows
// as the server refusing the input ("Export failed: Agent name ...") is never
// retried. A wait that would end after the context deadline is not started
// (the last error is returned at once), and cancelling the context ends a
// wait immediately. Each attempt has its own timeout (WithTimeout); when it
// ends the call, the error matches ErrAttemptTimeout as well as
// context.DeadlineExceeded.
//
// # Testing your own code
//
// Package github.com/letta-go/letta/lettatest is a local Letta server for
// the identities and agents API, with no account, network or LLM. Start one
// per test and point a client at it:
//
//	srv := lettatest.NewServer(lettatest.WithDefaultModel("openai/gpt-4o-mini"))
//	defer srv.Close()
//	client, err := letta.NewClient(letta.WithBaseURL(srv.URL))
//
// It can also inject faults, record requests and make ids deterministic; the
// command github.com/letta-go/letta/cmd/lettatest serves it on a port.
//
// # Deprecated identities routes
//
// The Letta API marks every /v1/identities route deprecated, and the
// official SDKs no longer include them, but the server still serves them and
// they remain the way to attach agents to your users. Two current quirks:
// Identity.AgentIDs and BlockIDs always come back empty (use
// Identities.ListAgents or Agents.List with IdentityID or IdentifierKeys),
// and the open-source server (0.16.8, verified) answers Upsert of a new
// identifier key with 404 and creates nothing (use Create).
package letta
