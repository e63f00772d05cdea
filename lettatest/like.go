package lettatest

import (
	"regexp"
	"strings"
)

// likeMatcher returns a test for the SQL pattern '%' || sub || '%', case
// insensitive, as the server's ilike and lower(...) LIKE filters apply it:
// in sub, "_" stands for any one character and "%" for any run of them
// (the server does not escape them). Built once per request, used per item.
func likeMatcher(sub string) func(string) bool {
	if !strings.ContainsAny(sub, "_%") {
		lower := strings.ToLower(sub)
		return func(s string) bool { return strings.Contains(strings.ToLower(s), lower) }
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
	return regexp.MustCompile(re.String()).MatchString
}
