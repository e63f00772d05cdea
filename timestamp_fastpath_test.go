package letta

import (
	"reflect"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// decodeTimestampTolerant is Timestamp.UnmarshalJSON without its fast path:
// the tolerant parse every input used to take.
func decodeTimestampTolerant(data []byte) (Timestamp, error) {
	var t Timestamp
	if string(data) == "null" {
		return t, nil
	}
	s, err := timestampString(data)
	if err != nil {
		return t, err
	}
	return ParseTimestamp(s)
}

// FuzzTimestampFastPath checks that the allocation-free path for zoned
// RFC 3339 decodes every input exactly as the tolerant parse does.
func FuzzTimestampFastPath(f *testing.F) {
	for _, s := range []string{
		"2025-06-01T09:30:00.123456Z", "2025-06-02T10:45:12.5+00:00", "2025-05-01T00:00:00+02:00",
		"2025-05-01T00:00:00-07:30", "2025-06-01 09:30:00Z", "2025-06-01T09:30:00.123456", "2025-06-01",
		"2025-06-01T24:00:00Z", "2025-06-01T09:30:00,5Z", "2025-06-01T09:30:00+24:00", "2025-06-01T9:30:00Z",
		"2025-06-01T09:30:00z", "2025-13-01T09:30:00Z", "\\u0032025-06-01T09:30:00Z", "", "Z", "+00:00",
	} {
		f.Add([]byte(strconv.Quote(s)))
	}
	f.Add([]byte("null"))
	f.Add([]byte(`"2025-06-01T09:30:00Z`))
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantErr := decodeTimestampTolerant(data)
		var got Timestamp
		gotErr := got.UnmarshalJSON(data)
		if wantErr != nil {
			require.Error(t, gotErr)
			require.Equal(t, wantErr.Error(), gotErr.Error())
			return
		}
		require.NoError(t, gotErr)
		require.True(t, reflect.DeepEqual(want, got), "%q: tolerant %v, fast %v", data, want, got)
	})
}
