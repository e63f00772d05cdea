package main

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/letta-go/letta"
)

// A result is what a driver process prints, as one JSON line: node/bench.mjs
// prints calls, seconds and cpu_seconds.
type result struct {
	// Calls is how many calls were timed, and Seconds how long they took.
	Calls   int     `json:"calls"`
	Seconds float64 `json:"seconds"`
	// CPUSeconds is the CPU time (user and system) the driver process
	// used over the timed calls: unlike the calls' rate, it does not
	// count time spent waiting for a core other work on the machine holds.
	CPUSeconds float64 `json:"cpu_seconds"`
	// BytesPerCall, AllocsPerCall and GCsPerCall are the Go driver's heap
	// allocation and collections over the timed calls, per call
	// (runtime.MemStats: the whole process, which does nothing else).
	BytesPerCall  float64 `json:"bytes_per_call,omitempty"`
	AllocsPerCall float64 `json:"allocs_per_call,omitempty"`
	GCsPerCall    float64 `json:"gcs_per_call,omitempty"`
}

// callsPerSecond is the result's rate.
func (r result) callsPerSecond() float64 { return float64(r.Calls) / r.Seconds }

// cpuPerCall is the driver's CPU time per call, in seconds.
func (r result) cpuPerCall() float64 { return r.CPUSeconds / float64(r.Calls) }

// drive is the Go driver process: a Client with the SDK's defaults makes one
// operation's call sequentially, for -warmup (and at least warmupCalls
// calls) and then for -seconds, and the
// timed part's result is printed. The comparison starts it fresh for every
// measurement, without GOGC or GOMEMLIMIT in its environment, so that its
// heap is that of a small program making these calls.
func drive(args []string) error {
	fs := flag.NewFlagSet("drive", flag.ContinueOnError)
	base := fs.String("base", "", "the server's base URL")
	name := fs.String("op", "", "the operation")
	warmup := fs.Float64("warmup", 1, "seconds to call before timing")
	timed := fs.Float64("seconds", 2, "seconds to time calls for")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the timed calls to this file")
	memProfile := fs.String("memprofile", "", "write an allocation profile (every allocation, the warm-up's too) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	op, err := lookup(*name)
	if err != nil {
		return err
	}
	if *memProfile != "" {
		runtime.MemProfileRate = 1 // before the first call: every allocation
	}
	c, err := letta.NewClient(letta.WithBaseURL(*base), letta.WithAPIKey(apiKey))
	if err != nil {
		return err
	}
	ctx := context.Background()
	if _, _, err := callFor(ctx, c, op, seconds(*warmup), warmupCalls); err != nil {
		return err
	}
	stopProfiles, err := startProfiles(*cpuProfile, *memProfile)
	if err != nil {
		return err
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu := cpuSeconds()
	n, elapsed, err := callFor(ctx, c, op, seconds(*timed), 1)
	if err != nil {
		return err
	}
	cpu = cpuSeconds() - cpu
	runtime.ReadMemStats(&after)
	if err := stopProfiles(); err != nil {
		return err
	}
	per := func(d uint64) float64 { return float64(d) / float64(n) }
	return json.NewEncoder(os.Stdout).Encode(result{
		Calls:         n,
		Seconds:       elapsed.Seconds(),
		CPUSeconds:    cpu,
		BytesPerCall:  per(after.TotalAlloc - before.TotalAlloc),
		AllocsPerCall: per(after.Mallocs - before.Mallocs),
		GCsPerCall:    per(uint64(after.NumGC - before.NumGC)),
	})
}

// startProfiles starts the profiles asked for (an empty name is none) and
// returns what writes them. The figures the driver prints are not those of
// a run without profiles: profiling costs time, and an allocation profile of
// every allocation costs much more.
func startProfiles(cpu, mem string) (stop func() error, err error) {
	var cpuFile *os.File
	if cpu != "" {
		if cpuFile, err = os.Create(cpu); err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(cpuFile); err != nil {
			return nil, err
		}
	}
	return func() error {
		if cpuFile != nil {
			pprof.StopCPUProfile()
			if err := cpuFile.Close(); err != nil {
				return err
			}
		}
		if mem == "" {
			return nil
		}
		f, err := os.Create(mem)
		if err != nil {
			return err
		}
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}, nil
}

// warmupCalls is the fewest calls a warm-up makes, however long they take:
// on a loaded machine a warm-up of a fixed time can end before Node's JIT
// has compiled the calls' code. bench.mjs has the same rule.
const warmupCalls = 100

// callFor calls op until d has passed and at least minCalls calls were made,
// and returns how many calls it made and how long they took.
func callFor(ctx context.Context, c *letta.Client, op operation, d time.Duration, minCalls int) (int, time.Duration, error) {
	start := time.Now()
	for n := 1; ; n++ {
		if err := op.call(ctx, c); err != nil {
			return 0, 0, err
		}
		if elapsed := time.Since(start); elapsed >= d && n >= minCalls {
			return n, elapsed, nil
		}
	}
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
