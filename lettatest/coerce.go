package lettatest

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Pydantic validates FastAPI bodies in lax mode after json.loads: numbers
// given as numeric strings, whole floats for ints and bools for numbers are
// converted, not refused. These helpers do the conversions pydantic-core
// does and fail with its error types where it fails.

// floatStrRe is what Rust's f64 parser (pydantic's str_as_float) reads,
// plus Python-style underscores between digits; no hex, unlike Go's.
var floatStrRe = regexp.MustCompile(`(?i)^[+-]?(?:(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:e[+-]?\d+(?:_\d+)*)?|inf|infinity|nan)$`)

// checkFloat reads a number field. A non-finite result (an "inf" string, a
// literal too large for a float) is accepted as pydantic accepts it and
// becomes nil, since JSON has no such numbers and the server's serializer
// writes them as null.
func checkFloat(o obj, v any, elems ...any) (any, bool) {
	var f float64
	switch x := v.(type) {
	case json.Number:
		// Python's json.loads turns an out-of-range literal into inf.
		f, _ = strconv.ParseFloat(x.String(), 64)
	case bool:
		if x {
			f = 1
		}
	case string:
		s := strings.TrimSpace(x)
		if !floatStrRe.MatchString(s) {
			o.fail("float_parsing", "Input should be a valid number, unable to parse string as a number", v, nil, elems...)
			return nil, false
		}
		if strings.EqualFold(strings.TrimLeft(s, "+-"), "nan") {
			return nil, true // Go's parser refuses a signed nan
		}
		f, _ = strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	default:
		o.fail("float_type", "Input should be a valid number", v, nil, elems...)
		return nil, false
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, true
	}
	return f, true
}

// parseIntStr is pydantic's str_as_int: an integer, possibly with an
// all-zero fraction ("8000.0") or underscores between digits ("8_000").
func parseIntStr(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	if head, frac, found := strings.Cut(s, "."); found {
		if strings.Trim(frac, "0") != "" {
			return 0, false
		}
		n, err := strconv.ParseInt(head, 10, 64)
		return n, err == nil
	}
	if intUnderscoreRe.MatchString(s) {
		n, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64)
		return n, err == nil
	}
	return 0, false
}

var intUnderscoreRe = regexp.MustCompile(`^[+-]?\d+(?:_\d+)+$`)

// checkLiteral checks a value against a Literal[...] of strings (an enum
// written inline in the spec), which fails as literal_error rather than the
// enum error of a named Enum class.
func checkLiteral(o obj, v any, allowed []string, elems ...any) (string, bool) {
	return checkOneOf(o, v, allowed, "literal_error", elems...)
}
