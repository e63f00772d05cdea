//go:build !unix

package bench

import "time"

// cpuTime is not measured here: paired reports no CPU figures.
func cpuTime() time.Duration { return 0 }
