package letta

import (
	"net/url"
	"strings"
)

// Collection roots keep their trailing slash (that is the spec's path; the
// server would answer the slash-less form with a 307 redirect).
const (
	identitiesPath = "/v1/identities/"
	agentsPath     = "/v1/agents/"
	blocksPath     = "/v1/blocks/"
)

// pathID checks a caller-supplied id and escapes it into exactly one path
// segment, so "?x", "#" or "%2F" can never change which route is hit.
// Empty, "." and ".." are refused: an empty id would turn GET /v1/agents/{id}
// into the list route, and dot segments would be resolved away by proxies.
// A "/" is refused too: escaping it is not enough, because Starlette (and
// many proxies) route on the decoded path, where %2F splits the segment and
// can reach a sibling route. No Letta id contains a slash.
func pathID(param, id string) (string, error) {
	switch id {
	case "":
		return "", &InvalidParamError{Param: param, Value: id, Reason: "must not be empty"}
	case ".", "..":
		return "", &InvalidParamError{Param: param, Value: id, Reason: "must not be a dot segment"}
	}
	if strings.Contains(id, "/") {
		return "", &InvalidParamError{Param: param, Value: id, Reason: "must not contain '/'"}
	}
	return url.PathEscape(id), nil
}
