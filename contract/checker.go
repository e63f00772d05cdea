// Package contract checks HTTP exchanges of the letta-go SDK and of the
// lettatest server against the official Letta OpenAPI spec.
//
// The spec is never part of this repository: Load reads it from a path (the
// tests take it from LETTA_OPENAPI_SPEC), normalises the pitfalls that make a
// validator misjudge it, applies the named Allowances, and builds a
// kin-openapi router over it.
package contract

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Checker validates requests and responses against the normalised spec.
// It is safe for concurrent use: kin builds a fresh schema validator per call.
type Checker struct {
	doc    *openapi3.T
	router routers.Router
	// Report says what the normalisation pass rewrote.
	Report NormaliseReport
	// raw is the published spec, decoded but not normalised nor patched, for
	// the field-coverage check: it must compare against what Letta publishes.
	raw map[string]any
}

// Load reads the spec at path and prepares a Checker.
func Load(path string) (*Checker, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	return LoadData(data)
}

// LoadData prepares a Checker from the spec's JSON text.
func LoadData(data []byte) (*Checker, error) {
	var raw, doc map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("decode spec: %w", err)
	}
	// A second decode is the cheapest deep copy of the published text.
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("decode spec: %w", err)
	}
	rep, err := normalise(doc)
	if err != nil {
		return nil, fmt.Errorf("normalise spec: %w", err)
	}
	for _, a := range Allowances() {
		if err := a.apply(doc); err != nil {
			return nil, fmt.Errorf("allowance %s: %w", a.Name, err)
		}
	}
	patched, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode normalised spec: %w", err)
	}
	loader := openapi3.NewLoader()
	t, err := loader.LoadFromData(patched)
	if err != nil {
		return nil, fmt.Errorf("load spec: %w", err)
	}
	// No t.Validate: the published spec fails document validation for reasons
	// that do not touch request/response checks (openapi-validators.md pitfall 6).
	router, err := gorillamux.NewRouter(t)
	if err != nil {
		return nil, fmt.Errorf("build router: %w", err)
	}
	return &Checker{doc: t, router: router, Report: rep, raw: raw}, nil
}
