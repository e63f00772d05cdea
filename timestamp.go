package letta

import (
	"bytes"
	"fmt"
	"strconv"
	"time"
)

// Timestamp is a point in time as the Letta API sends it. It decodes
// RFC 3339 with or without a zone: self-hosted servers on SQLite send naive
// times such as "2025-01-02T03:04:05.123456", which are taken as UTC. A space
// may stand in for the "T". A JSON null leaves the value unchanged (nullable
// fields are *Timestamp and become nil). It encodes as RFC 3339 with
// nanoseconds, in UTC.
type Timestamp struct {
	time.Time
}

// naiveLayouts are tried, in UTC, when a timestamp carries no zone.
var naiveLayouts = [...]string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02",
}

// ParseTimestamp parses s the way Timestamp decodes it from JSON.
func ParseTimestamp(s string) (Timestamp, error) {
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return Timestamp{t}, nil
	}
	for _, layout := range naiveLayouts {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return Timestamp{t}, nil
		}
	}
	return Timestamp{}, fmt.Errorf("letta: cannot parse timestamp %q", s)
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Timestamp) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		return nil
	}
	if hasZone(data) {
		// The common case, RFC 3339 with a zone and no escapes, parses
		// from the bytes without the string allocation below, through the
		// same parser time.Parse tries first; anything it refuses takes
		// the tolerant path.
		var tt time.Time
		if tt.UnmarshalJSON(data) == nil {
			t.Time = tt
			return nil
		}
	}
	s, err := timestampString(data)
	if err != nil {
		return err
	}
	parsed, err := ParseTimestamp(s)
	if err != nil {
		return err
	}
	*t = parsed
	return nil
}

// MarshalJSON implements json.Marshaler. Like time.Time's, it fails for a
// year outside 0-9999, which RFC 3339 cannot write.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("letta: timestamp year %d outside of range [0,9999]", y)
	}
	b := make([]byte, 0, len(time.RFC3339Nano)+2)
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}

// String formats the time as RFC 3339 with nanoseconds, in UTC.
func (t Timestamp) String() string { return t.UTC().Format(time.RFC3339Nano) }

// timestampString returns the contents of a JSON string, without the
// allocation strconv.Unquote makes in the common case of no escapes.
func timestampString(data []byte) (string, error) {
	if len(data) < 2 || data[0] != '"' || data[len(data)-1] != '"' {
		return "", fmt.Errorf("letta: timestamp is not a JSON string: %s", data)
	}
	if bytes.IndexByte(data, '\\') < 0 {
		return string(data[1 : len(data)-1]), nil
	}
	s, err := strconv.Unquote(string(data))
	if err != nil {
		return "", fmt.Errorf("letta: timestamp is not a JSON string: %s", data)
	}
	return s, nil
}

// hasZone reports whether a JSON string ends in a zone ("Z" or "+hh:mm" /
// "-hh:mm"), i.e. whether it can be strict RFC 3339.
func hasZone(data []byte) bool {
	n := len(data)
	return n >= 8 && data[n-1] == '"' && (data[n-2] == 'Z' || data[n-7] == '+' || data[n-7] == '-')
}
