package contract

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// NormaliseReport counts what the normalisation pass rewrote, so a test can
// prove that each pitfall it exists for is really present in the spec and handled.
type NormaliseReport struct {
	// Nullable is the number of schemas whose OpenAPI 3.0 `nullable: true`
	// became a JSON Schema type array with "null".
	Nullable int
	// CollapsedParams is the number of parameters whose `anyOf: [X, {type: null}]`
	// schema became X.
	CollapsedParams int
	// MergedPaths lists the path templates that differed from another one only
	// in parameter names and were folded into it ("from -> into").
	MergedPaths []string
}

// normalise rewrites the decoded spec in place so that kin-openapi's 3.1 mode
// gives the verdict the spec's authors meant (docs/openapi-validators.md,
// pitfalls 1 to 4). It changes no constraint the spec states.
func normalise(doc map[string]any) (NormaliseReport, error) {
	var rep NormaliseReport
	// 3.0's nullable is ignored by a 2020-12 validator, which would then
	// reject the nulls the server sends for 140 nullable fields.
	rep.Nullable = rewriteNullable(doc)

	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		return rep, fmt.Errorf("spec has no paths object")
	}
	// FastAPI writes optional parameters as anyOf [X, null]; a query string
	// cannot carry JSON null, and X keeps the check kin must make (integer, enum).
	for _, item := range paths {
		for _, op := range operations(item) {
			params, _ := op["parameters"].([]any)
			for _, p := range params {
				pm, _ := p.(map[string]any)
				if pm == nil {
					continue
				}
				if s, ok := pm["schema"].(map[string]any); ok {
					if c, ok := collapseNullableAnyOf(s); ok {
						pm["schema"] = c
						rep.CollapsedParams++
					}
				}
			}
		}
	}

	merged, err := mergeClashingPaths(paths)
	if err != nil {
		return rep, err
	}
	rep.MergedPaths = merged

	// Recorded traffic goes to whatever host the recorder used; kin's router
	// matches servers literally, so the spec's two hosts would hide every operation.
	delete(doc, "servers")
	return rep, nil
}

// httpMethods are the operation keys of a Path Item Object.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// operations returns the operation objects of a path item, by method.
func operations(item any) map[string]map[string]any {
	im, _ := item.(map[string]any)
	out := make(map[string]map[string]any)
	for _, m := range httpMethods {
		if op, ok := im[m].(map[string]any); ok {
			out[m] = op
		}
	}
	return out
}

// rewriteNullable walks every node and turns `type: T, nullable: true` into
// `type: [T, "null"]`, adding null to an enum. A nullable schema without a type
// already accepts null, so only the keyword goes.
func rewriteNullable(node any) int {
	n := 0
	switch v := node.(type) {
	case map[string]any:
		if nb, ok := v["nullable"].(bool); ok {
			delete(v, "nullable")
			if nb {
				n++
				switch t := v["type"].(type) {
				case string:
					if t != "null" {
						v["type"] = []any{t, "null"}
					}
				case []any:
					if !containsValue(t, "null") {
						v["type"] = append(t, "null")
					}
				}
				if e, ok := v["enum"].([]any); ok && !containsValue(e, nil) {
					v["enum"] = append(e, nil)
				}
			}
		}
		for _, child := range v {
			n += rewriteNullable(child)
		}
	case []any:
		for _, child := range v {
			n += rewriteNullable(child)
		}
	}
	return n
}

func containsValue(list []any, want any) bool {
	for _, x := range list {
		if x == want {
			return true
		}
	}
	return false
}

// collapseNullableAnyOf returns X for a schema `anyOf: [X, {type: null}]` (in
// either order), with the outer annotations (title, description, default,
// deprecated, examples) kept where X has none of its own.
func collapseNullableAnyOf(s map[string]any) (map[string]any, bool) {
	branches, ok := s["anyOf"].([]any)
	if !ok || len(branches) != 2 {
		return nil, false
	}
	var keep map[string]any
	nulls := 0
	for _, b := range branches {
		bm, _ := b.(map[string]any)
		if bm == nil {
			return nil, false
		}
		if len(bm) == 1 && bm["type"] == "null" {
			nulls++
			continue
		}
		keep = bm
	}
	if nulls != 1 || keep == nil {
		return nil, false
	}
	out := make(map[string]any, len(keep)+len(s))
	for k, v := range keep {
		out[k] = v
	}
	for k, v := range s {
		if k == "anyOf" {
			continue
		}
		if _, own := out[k]; !own {
			out[k] = v
		}
	}
	return out, true
}

var templateParam = regexp.MustCompile(`\{[^}]+\}`)

// mergeClashingPaths folds path templates that differ only in parameter names
// (e.g. /v1/environments/{id} and /v1/environments/{deviceId}) into one path
// item, because a router binds a URL to one template and the other's
// operations become unreachable. The operations moved get their path
// parameters renamed to the kept template's names.
func mergeClashingPaths(paths map[string]any) ([]string, error) {
	byShape := make(map[string][]string)
	for p := range paths {
		shape := templateParam.ReplaceAllString(p, "{}")
		byShape[shape] = append(byShape[shape], p)
	}
	var merged []string
	shapes := make([]string, 0, len(byShape))
	for s := range byShape {
		shapes = append(shapes, s)
	}
	sort.Strings(shapes)
	for _, shape := range shapes {
		group := byShape[shape]
		if len(group) < 2 {
			continue
		}
		sort.Strings(group)
		into := group[0]
		intoItem, _ := paths[into].(map[string]any)
		if intoItem == nil {
			return nil, fmt.Errorf("path %s is not an object", into)
		}
		intoNames := templateParam.FindAllString(into, -1)
		for _, from := range group[1:] {
			fromItem, _ := paths[from].(map[string]any)
			if _, shared := fromItem["parameters"]; shared {
				return nil, fmt.Errorf("path %s has path-level parameters; merging it is not implemented", from)
			}
			fromNames := templateParam.FindAllString(from, -1)
			rename := make(map[string]string, len(fromNames))
			for i, n := range fromNames {
				rename[strings.Trim(n, "{}")] = strings.Trim(intoNames[i], "{}")
			}
			for method, op := range operations(fromItem) {
				if _, clash := intoItem[method]; clash {
					return nil, fmt.Errorf("paths %s and %s both define %s", into, from, strings.ToUpper(method))
				}
				params, _ := op["parameters"].([]any)
				for _, p := range params {
					pm, _ := p.(map[string]any)
					if pm == nil || pm["in"] != "path" {
						continue
					}
					if name, ok := pm["name"].(string); ok {
						if to, ok := rename[name]; ok {
							pm["name"] = to
						}
					}
				}
				intoItem[method] = op
			}
			delete(paths, from)
			merged = append(merged, from+" -> "+into)
		}
	}
	return merged, nil
}
