package lettatest

import (
	crand "crypto/rand"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"sync"
	"time"
)

// idSource produces uuid4 strings, either random or from a seeded sequence.
type idSource struct {
	mu  sync.Mutex
	rng *rand.Rand // nil: crypto/rand
}

func newIDSource(deterministic bool, seed int64) *idSource {
	if !deterministic {
		return &idSource{}
	}
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], uint64(seed))
	return &idSource{rng: rand.New(rand.NewChaCha8(key))}
}

// uuid4 returns a lowercase RFC 4122 version 4 uuid.
func (s *idSource) uuid4() string {
	var b [16]byte
	if s.rng == nil {
		// crypto/rand.Read never returns an error (it crashes the program
		// instead, per its documentation).
		_, _ = crand.Read(b[:])
	} else {
		s.mu.Lock()
		binary.LittleEndian.PutUint64(b[:8], s.rng.Uint64())
		binary.LittleEndian.PutUint64(b[8:], s.rng.Uint64())
		s.mu.Unlock()
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// newID returns "<prefix>-<uuid4>", the server's id format.
func (s *idSource) newID(prefix string) string {
	return prefix + "-" + s.uuid4()
}

// uuid4Pattern is the strict form the server's path parameters require.
const uuid4Pattern = `[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`

var (
	identityIDRe = regexp.MustCompile(`^identity-` + uuid4Pattern + `$`)
	agentIDRe    = regexp.MustCompile(`^agent-` + uuid4Pattern + `$`)
	userIDRe     = regexp.MustCompile(`^user-` + uuid4Pattern + `$`)
)

// deterministicEpoch is where the deterministic clock starts.
var deterministicEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// clock hands out write timestamps. Timestamps are strictly increasing, so
// creation order and created_at order agree even for writes in the same
// microsecond.
type clock struct {
	mu            sync.Mutex
	deterministic bool
	last          time.Time
}

func newClock(deterministic bool) *clock {
	c := &clock{deterministic: deterministic}
	if deterministic {
		c.last = deterministicEpoch.Add(-time.Second)
	}
	return c
}

// tick returns the timestamp of a new write.
func (c *clock) tick() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.deterministic {
		c.last = c.last.Add(time.Second)
		return c.last
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	if !now.After(c.last) {
		now = c.last.Add(time.Microsecond)
	}
	c.last = now
	return now
}

// now returns the time of the last write (the start time before any),
// without advancing the clock.
func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.deterministic {
		return c.last.Add(time.Second)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

// formatTime renders a timestamp like Pydantic does for an aware UTC
// datetime: six fraction digits, none when the microseconds are zero.
func formatTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02T15:04:05Z07:00")
	}
	return t.Format("2006-01-02T15:04:05.000000Z07:00")
}

// pyDatetime is Python's repr of an aware UTC datetime, as it appears in
// the server's error texts: trailing zero fields (microsecond, then second)
// are left out.
func pyDatetime(t time.Time) string {
	t = t.UTC()
	fields := []int{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond() / 1000}
	n := len(fields)
	for n > 5 && fields[n-1] == 0 {
		n--
	}
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprint(fields[i])
	}
	return "datetime.datetime(" + strings.Join(parts, ", ") + ", tzinfo=datetime.timezone.utc)"
}
