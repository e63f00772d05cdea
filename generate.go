package letta

// accessors.go holds a GetX method for every pointer field of the response
// types; TestAccessorsUpToDate (internal/genaccessors) fails when it is stale.
//go:generate go run ./internal/genaccessors .
