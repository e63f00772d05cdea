package contract

import (
	"fmt"
	"sort"
	"strconv"
)

// An Allowance is one known, named difference between what the real Letta
// server sends and what the spec declares. Each is applied to the spec at load
// time as a narrow schema patch, so everything around it is still checked.
// An allowance whose target has disappeared from the spec fails the load:
// the newer spec fixed (or moved) the divergence, and the entry must go.
type Allowance struct {
	Name   string
	Reason string
	apply  func(doc map[string]any) error
}

// errorStatusesServed are statuses the server sends on every route (mapped
// exceptions in app.py, the password middleware, the body limit) although
// the spec declares few of them. Their body is always {"detail": string}.
var errorStatusesServed = []int{400, 401, 404, 409, 413, 500}

// Names of the schemas the allowances add to components.schemas. The prefix
// keeps them apart from Letta's own names.
const (
	errorDetailSchema    = "ContractErrorDetail"
	validationBodySchema = "ContractServerValidationError"
)

// Allowances returns the allow list, in the order it is applied.
func Allowances() []Allowance {
	return []Allowance{
		{
			Name: "identity-organization-id",
			Reason: "The server's Identity model has organization_id and the server emits it, " +
				"but the spec generator strips it (letta-api.md 3.12). Only this one property, " +
				"typed string|null, is added to Identity; any other unknown property still fails.",
			apply: addProperty("Identity", "organization_id", map[string]any{"type": []any{"string", "null"}}),
		},
		{
			Name: "source-organization-id",
			Reason: "As for Identity: the server's Source model has organization_id and emits it " +
				"(letta-api.md 3.12); AgentState.sources carries it. Only this property is added.",
			apply: addProperty("Source", "organization_id", map[string]any{"type": []any{"string", "null"}}),
		},
		{
			Name: "agent-env-organization-id",
			Reason: "As for Identity: the server's AgentEnvironmentVariable model has organization_id " +
				"and emits it (letta-api.md 3.12); AgentState.secrets carries it. Only this property is added.",
			apply: addProperty("AgentEnvironmentVariable", "organization_id", map[string]any{"type": []any{"string", "null"}}),
		},
		{
			Name: "validation-error-body",
			Reason: "The server's RequestValidationError handler answers 422 with " +
				"{trace_id, detail: <string>, examples?}, not the spec's HTTPValidationError " +
				"(detail: array) (letta-api.md 2). Every 422 declared as HTTPValidationError " +
				"accepts either shape; nothing else.",
			apply: allowValidationBody,
		},
		{
			Name: "undeclared-error-statuses",
			Reason: "The spec declares only 200/422 on most operations, yet the server's mapped " +
				"exceptions answer 400, 401, 404, 409, 413 and 500 with {\"detail\": string} " +
				"(letta-api.md 2). Where an operation does not declare one of these statuses, " +
				"its body must be exactly that object.",
			apply: allowErrorStatuses,
		},
		{
			Name: "delete-identity-body",
			Reason: "The spec's 200 schema is {} (anything); the server returns JSON null " +
				"(letta-api.md 3.7). Pinned to null so a server double that invents a body is caught.",
			apply: pinResponse("delete_identity", "200", map[string]any{"type": "null"}),
		},
		{
			Name: "delete-agent-body",
			Reason: "The spec's 200 schema is {}; the server returns {\"message\": \"Agent id=... " +
				"successfully deleted\"} (letta-api.md 4.5). Pinned to that object.",
			apply: pinResponse("delete_agent", "200", map[string]any{
				"type":                 "object",
				"required":             []any{"message"},
				"properties":           map[string]any{"message": map[string]any{"type": "string"}},
				"additionalProperties": false,
			}),
		},
		{
			Name:   "attach-identity-body",
			Reason: "The spec's 200 schema is {}; the server returns JSON null (letta-api.md 3.11). Pinned to null.",
			apply:  pinResponse("attach_identity_to_agent", "200", map[string]any{"type": "null"}),
		},
		{
			Name:   "detach-identity-body",
			Reason: "The spec's 200 schema is {}; the server returns JSON null (letta-api.md 3.11). Pinned to null.",
			apply:  pinResponse("detach_identity_from_agent", "200", map[string]any{"type": "null"}),
		},
		{
			Name: "upsert-properties-body",
			Reason: "The spec's 200 schema is {}; the server returns the updated Identity " +
				"(letta-api.md 3.8), which the SDK decodes. Pinned to Identity.",
			apply: pinResponse("upsert_properties_for_identity", "200",
				map[string]any{"$ref": "#/components/schemas/Identity"}),
		},
	}
}

func schemas(doc map[string]any) (map[string]any, error) {
	comps, _ := doc["components"].(map[string]any)
	s, _ := comps["schemas"].(map[string]any)
	if s == nil {
		return nil, fmt.Errorf("spec has no components.schemas")
	}
	return s, nil
}

func addProperty(schema, prop string, def map[string]any) func(map[string]any) error {
	return func(doc map[string]any) error {
		all, err := schemas(doc)
		if err != nil {
			return err
		}
		s, _ := all[schema].(map[string]any)
		props, _ := s["properties"].(map[string]any)
		if props == nil {
			return fmt.Errorf("schema %s not found", schema)
		}
		if _, ok := props[prop]; ok {
			return fmt.Errorf("%s.%s is now in the spec: remove the allowance", schema, prop)
		}
		props[prop] = def
		return nil
	}
}

func allowValidationBody(doc map[string]any) error {
	all, err := schemas(doc)
	if err != nil {
		return err
	}
	all[validationBodySchema] = map[string]any{
		"type":     "object",
		"required": []any{"detail"},
		"properties": map[string]any{
			"trace_id": map[string]any{"type": "string"},
			"detail":   map[string]any{"type": "string"},
			"examples": map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
		},
		"additionalProperties": false,
	}
	const spec422 = "#/components/schemas/HTTPValidationError"
	n := 0
	forEachOperation(doc, func(_, _ string, op map[string]any) {
		schema := jsonSchemaOf(op, "422")
		if schema == nil || schema["$ref"] != spec422 || len(schema) != 1 {
			return
		}
		delete(schema, "$ref")
		schema["anyOf"] = []any{
			map[string]any{"$ref": spec422},
			map[string]any{"$ref": "#/components/schemas/" + validationBodySchema},
		}
		n++
	})
	if n == 0 {
		return fmt.Errorf("no operation declares 422 as HTTPValidationError any more")
	}
	return nil
}

func allowErrorStatuses(doc map[string]any) error {
	all, err := schemas(doc)
	if err != nil {
		return err
	}
	all[errorDetailSchema] = map[string]any{
		"type":                 "object",
		"required":             []any{"detail"},
		"properties":           map[string]any{"detail": map[string]any{"type": "string"}},
		"additionalProperties": false,
	}
	forEachOperation(doc, func(_, _ string, op map[string]any) {
		resp, _ := op["responses"].(map[string]any)
		if resp == nil {
			return
		}
		for _, st := range errorStatusesServed {
			code := strconv.Itoa(st)
			if _, declared := resp[code]; declared {
				continue
			}
			resp[code] = map[string]any{
				"description": "Error (contract allowance undeclared-error-statuses)",
				"content": map[string]any{"application/json": map[string]any{
					"schema": map[string]any{"$ref": "#/components/schemas/" + errorDetailSchema},
				}},
			}
		}
	})
	return nil
}

func pinResponse(operationID, status string, schema map[string]any) func(map[string]any) error {
	return func(doc map[string]any) error {
		found := false
		var patchErr error
		forEachOperation(doc, func(_, _ string, op map[string]any) {
			if op["operationId"] != operationID {
				return
			}
			found = true
			s := jsonSchemaOf(op, status)
			if s == nil {
				patchErr = fmt.Errorf("%s has no application/json %s response", operationID, status)
				return
			}
			if len(s) != 0 {
				patchErr = fmt.Errorf("%s %s schema is no longer {}: review the allowance", operationID, status)
				return
			}
			for k, v := range schema {
				s[k] = v
			}
		})
		if !found {
			return fmt.Errorf("operation %s not found", operationID)
		}
		return patchErr
	}
}

// forEachOperation calls fn for every operation, in a stable order.
func forEachOperation(doc map[string]any, fn func(path, method string, op map[string]any)) {
	paths, _ := doc["paths"].(map[string]any)
	keys := make([]string, 0, len(paths))
	for p := range paths {
		keys = append(keys, p)
	}
	sort.Strings(keys)
	for _, p := range keys {
		for _, m := range httpMethods {
			if op, ok := operations(paths[p])[m]; ok {
				fn(p, m, op)
			}
		}
	}
}

// jsonSchemaOf returns the application/json schema object of a response status.
func jsonSchemaOf(op map[string]any, status string) map[string]any {
	resp, _ := op["responses"].(map[string]any)
	r, _ := resp[status].(map[string]any)
	content, _ := r["content"].(map[string]any)
	mt, _ := content["application/json"].(map[string]any)
	s, _ := mt["schema"].(map[string]any)
	return s
}
