package main

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"runtime"
	"time"

	"github.com/letta-go/letta"
)

// A result is what a driver process prints, as one JSON line: node/bench.mjs
// prints the same fields but the Go-only ones.
type result struct {
	// Calls is how many calls were timed, and Seconds how long they took.
	Calls   int     `json:"calls"`
	Seconds float64 `json:"seconds"`
	// BytesPerCall, AllocsPerCall and GCsPerCall are the Go driver's heap
	// allocation and collections over the timed calls, per call
	// (runtime.MemStats: the whole process, which does nothing else).
	BytesPerCall  float64 `json:"bytes_per_call,omitempty"`
	AllocsPerCall float64 `json:"allocs_per_call,omitempty"`
	GCsPerCall    float64 `json:"gcs_per_call,omitempty"`
}

// callsPerSecond is the result's rate.
func (r result) callsPerSecond() float64 { return float64(r.Calls) / r.Seconds }

// drive is the Go driver process: a Client with the SDK's defaults makes one
// operation's call sequentially, for -warmup and then for -seconds, and the
// timed part's result is printed. The comparison starts it fresh for every
// measurement, without GOGC or GOMEMLIMIT in its environment, so that its
// heap is that of a small program making these calls.
func drive(args []string) error {
	fs := flag.NewFlagSet("drive", flag.ContinueOnError)
	base := fs.String("base", "", "the server's base URL")
	name := fs.String("op", "", "the operation")
	warmup := fs.Float64("warmup", 1, "seconds to call before timing")
	timed := fs.Float64("seconds", 2, "seconds to time calls for")
	if err := fs.Parse(args); err != nil {
		return err
	}
	op, err := lookup(*name)
	if err != nil {
		return err
	}
	c, err := letta.NewClient(letta.WithBaseURL(*base), letta.WithAPIKey(apiKey))
	if err != nil {
		return err
	}
	ctx := context.Background()
	if _, _, err := callFor(ctx, c, op, seconds(*warmup)); err != nil {
		return err
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n, elapsed, err := callFor(ctx, c, op, seconds(*timed))
	if err != nil {
		return err
	}
	runtime.ReadMemStats(&after)
	per := func(d uint64) float64 { return float64(d) / float64(n) }
	return json.NewEncoder(os.Stdout).Encode(result{
		Calls:         n,
		Seconds:       elapsed.Seconds(),
		BytesPerCall:  per(after.TotalAlloc - before.TotalAlloc),
		AllocsPerCall: per(after.Mallocs - before.Mallocs),
		GCsPerCall:    per(uint64(after.NumGC - before.NumGC)),
	})
}

// callFor calls op until d has passed (at least once) and returns how many
// calls it made and how long they took.
func callFor(ctx context.Context, c *letta.Client, op operation, d time.Duration) (int, time.Duration, error) {
	start := time.Now()
	for n := 1; ; n++ {
		if err := op.call(ctx, c); err != nil {
			return 0, 0, err
		}
		if elapsed := time.Since(start); elapsed >= d {
			return n, elapsed, nil
		}
	}
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
