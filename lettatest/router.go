package lettatest

import (
	"strings"
)

// route is one API operation. Patterns use the exact spec paths: collection
// roots end in "/", items and sub-routes do not; "{name}" matches one
// non-empty path segment.
type route struct {
	method  string
	pattern []string
	h       func(*request) response
}

type matchResult int

const (
	matchNone   matchResult = iota
	matchMethod             // the path matched some route, the method none
	matchFull
)

func (h *Handler) buildRoutes() []route {
	// Order matters as in Starlette: the first full match wins, so literal
	// routes (count) come before their parameterised siblings.
	defs := []struct {
		method, path string
		h            func(*request) response
	}{
		{"GET", "/v1/health/", h.health},

		{"GET", "/v1/identities/", h.listIdentities},
		{"POST", "/v1/identities/", h.createIdentity},
		{"PUT", "/v1/identities/", h.upsertIdentity},
		{"GET", "/v1/identities/count", h.countIdentities},
		{"GET", "/v1/identities/{identity_id}", h.getIdentity},
		{"PATCH", "/v1/identities/{identity_id}", h.updateIdentity},
		{"DELETE", "/v1/identities/{identity_id}", h.deleteIdentity},
		{"PUT", "/v1/identities/{identity_id}/properties", h.putIdentityProperties},
		{"GET", "/v1/identities/{identity_id}/agents", h.listIdentityAgents},
		{"GET", "/v1/identities/{identity_id}/blocks", h.listIdentityBlocks},

		{"GET", "/v1/agents/", h.listAgents},
		{"POST", "/v1/agents/", h.createAgent},
		{"GET", "/v1/agents/count", h.countAgents},
		{"GET", "/v1/agents/{agent_id}", h.getAgent},
		{"PATCH", "/v1/agents/{agent_id}", h.updateAgent},
		{"DELETE", "/v1/agents/{agent_id}", h.deleteAgent},
		{"PATCH", "/v1/agents/{agent_id}/identities/attach/{identity_id}", h.attachIdentity},
		{"PATCH", "/v1/agents/{agent_id}/identities/detach/{identity_id}", h.detachIdentity},
		{"GET", "/v1/agents/{agent_id}/core-memory/blocks/{block_label}", h.getCoreMemoryBlock},
		{"GET", "/v1/agents/{agent_id}/core-memory/blocks", h.listCoreMemoryBlocks},
		{"PATCH", "/v1/agents/{agent_id}/core-memory/blocks/{block_label}", h.updateCoreMemoryBlock},
		{"PATCH", "/v1/agents/{agent_id}/core-memory/blocks/attach/{block_id}", h.attachCoreMemoryBlock},
		{"PATCH", "/v1/agents/{agent_id}/core-memory/blocks/detach/{block_id}", h.detachCoreMemoryBlock},

		{"GET", "/v1/blocks/", h.listBlocks},
		{"GET", "/v1/blocks/count", h.countBlocks},
		{"POST", "/v1/blocks/", h.createBlock},
		{"PATCH", "/v1/blocks/{block_id}", h.updateBlock},
		{"DELETE", "/v1/blocks/{block_id}", h.deleteBlock},
		{"GET", "/v1/blocks/{block_id}", h.getBlock},
		{"GET", "/v1/blocks/{block_id}/agents", h.listBlockAgents},
		{"PATCH", "/v1/blocks/{block_id}/identities/attach/{identity_id}", h.attachBlockIdentity},
		{"PATCH", "/v1/blocks/{block_id}/identities/detach/{identity_id}", h.detachBlockIdentity},

		{"GET", "/v1/agents/{agent_id}/messages", h.listMessages},
		{"POST", "/v1/agents/{agent_id}/messages", h.sendMessage},
		{"POST", "/v1/agents/{agent_id}/messages/cancel", h.cancelMessages},
		{"PATCH", "/v1/agents/{agent_id}/reset-messages", h.resetMessages},
	}
	routes := make([]route, len(defs))
	for i, d := range defs {
		routes[i] = route{method: d.method, pattern: strings.Split(d.path, "/"), h: d.h}
	}
	return routes
}

// match finds the route for a decoded path (Starlette matches the decoded
// path, so an escaped "/" inside an id splits the segment, as upstream).
// With matchMethod the route returned is the first whose path matched: its
// method is what Starlette's 405 puts in Allow.
func (h *Handler) match(method, path string) (route, map[string]string, matchResult) {
	segs := strings.Split(path, "/")
	var partial *route
	for i, rt := range h.routes {
		params, ok := matchPattern(rt.pattern, segs)
		if !ok {
			continue
		}
		if rt.method == method {
			return rt, params, matchFull
		}
		if partial == nil {
			partial = &h.routes[i]
		}
	}
	if partial != nil {
		return *partial, nil, matchMethod
	}
	return route{}, nil, matchNone
}

func matchPattern(pattern, segs []string) (map[string]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var params map[string]string
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if segs[i] == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[p[1:len(p)-1]] = segs[i]
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}
