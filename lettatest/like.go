package lettatest

import (
	"regexp"
	"strings"
)

// likeContains reports whether s matches the SQL pattern '%' || sub || '%'
// case-insensitively, as the server's ilike and lower(...) LIKE filters do:
// in sub, "_" stands for any one character and "%" for any run of them (the
// server does not escape them).
func likeContains(s, sub string) bool {
	if !strings.ContainsAny(sub, "_%") {
		return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
	}
	var re strings.Builder
	re.WriteString("(?is)")
	for _, r := range sub {
		switch r {
		case '_':
			re.WriteString(".")
		case '%':
			re.WriteString(".*")
		default:
			re.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return regexp.MustCompile(re.String()).MatchString(s)
}
