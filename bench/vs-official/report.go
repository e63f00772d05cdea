package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/letta-go/letta"
)

// A cell is one client's measurements of one operation in one mode.
type cell struct {
	mode   mode
	op     string
	driver string
}

// measurements are the results of every round, by cell.
type measurements map[cell][]result

func (ms measurements) add(m mode, op, driver string, r result) {
	k := cell{m, op, driver}
	ms[k] = append(ms[k], r)
}

// median returns the median over the rounds of what f takes from a result.
func (ms measurements) median(m mode, op, driver string, f func(result) float64) float64 {
	var v []float64
	for _, r := range ms[cell{m, op, driver}] {
		v = append(v, f(r))
	}
	slices.Sort(v)
	if len(v) == 0 {
		return 0
	}
	return (v[(len(v)-1)/2] + v[len(v)/2]) / 2
}

// machine describes the run: when, where, and with what.
func machine(tsVersions map[string]string) string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	node := "node ?"
	if out, err := exec.Command("node", "--version").Output(); err == nil {
		node = "node " + strings.TrimSpace(string(out))
	}
	commit := "unknown commit"
	if out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		commit = "commit " + strings.TrimSpace(string(out))
		if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
			commit += " with uncommitted changes"
		}
	}
	return fmt.Sprintf("%s · nproc %d · %s · %s %s/%s · %s\n"+
		"SDK: github.com/letta-go/letta %s (%s) · official: @letta-ai/letta-client %s (identities: %s)",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), runtime.NumCPU(), cpu,
		runtime.Version(), runtime.GOOS, runtime.GOARCH, node,
		letta.Version, commit, tsVersions["@letta-ai/letta-client"], tsVersions["letta-client-identities"])
}

// report prints the tables README.md shows.
func report(w io.Writer, ms measurements, s settings, about string) error {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	cps := result.callsPerSecond
	p("## The Go SDK and the official TypeScript client, side by side\n\n%s\n\n", about)
	p("Sequential calls/s, median of %d round(s) of %s s each (after %s s of warm-up), every measurement in a fresh process; Go with default GOGC. Each cell: Go vs TS: Go/TS.\n\n",
		s.rounds, fmtSeconds(s.seconds), fmtSeconds(s.warmup))

	head := func(first string) {
		p("| %s |", first)
		for _, op := range operations {
			p(" %s |", op.column)
		}
		p("\n|---|%s\n", strings.Repeat("---|", len(operations)))
	}
	head("the server sends bodies")
	for _, m := range modes {
		p("| %s |", m.title())
		for _, op := range operations {
			if !op.in(m) {
				p(" %s |", notTimed)
				continue
			}
			g, t := ms.median(m, op.name, "Go", cps), ms.median(m, op.name, "TS", cps)
			p(" %s vs %s: %.2fx |", fmtRate(g), fmtRate(t), g/t)
		}
		p("\n")
	}

	p("\nCPU time (user and system) each client's process uses per call, median of the rounds: the calls' cost without the time spent waiting for a core (the server's work is not in it). Each cell: Go vs TS: TS/Go.\n\n")
	head("the server sends bodies")
	for _, m := range modes {
		p("| %s |", m.title())
		for _, op := range operations {
			if !op.in(m) {
				p(" %s |", notTimed)
				continue
			}
			g, t := ms.median(m, op.name, "Go", result.cpuPerCall), ms.median(m, op.name, "TS", result.cpuPerCall)
			p(" %s vs %s: %.2fx |", fmtDuration(g), fmtDuration(t), t/g)
		}
		p("\n")
	}

	list := operations[0]
	page := newPayload(list.payload())
	p("\nBytes the Go SDK allocates per %s call, against the body's size (%s of JSON; %s gzip-compressed on the wire):\n\n",
		list.column, fmtBytes(float64(len(page.body))), fmtBytes(float64(len(page.gz))))
	p("| the server sends bodies | allocated per call | / body | allocations per call | GC cycles per call |\n|---|---|---|---|---|\n")
	for _, m := range modes {
		b := ms.median(m, list.name, "Go", func(r result) float64 { return r.BytesPerCall })
		p("| %s | %s | %.2fx | %.0f | %.2f |\n", m.title(), fmtBytes(b), b/float64(len(page.body)),
			ms.median(m, list.name, "Go", func(r result) float64 { return r.AllocsPerCall }),
			ms.median(m, list.name, "Go", func(r result) float64 { return r.GCsPerCall }))
	}

	p("\nBytes and allocations the Go SDK makes per call, every operation:\n\n")
	head("the server sends bodies")
	for _, m := range modes {
		p("| %s |", m.title())
		for _, op := range operations {
			if !op.in(m) {
				p(" %s |", notTimed)
				continue
			}
			p(" %s, %.0f allocs |", fmtBytes(ms.median(m, op.name, "Go", func(r result) float64 { return r.BytesPerCall })),
				ms.median(m, op.name, "Go", func(r result) float64 { return r.AllocsPerCall }))
		}
		p("\n")
	}

	p("\nEvery measurement, calls/s by round, and each round's Go/TS:\n\n| mode | operation | Go | TS | Go/TS |\n|---|---|---|---|---|\n")
	for _, m := range modes {
		for _, op := range operations {
			if !op.in(m) {
				continue
			}
			gs, ts := ms[cell{m, op.name, "Go"}], ms[cell{m, op.name, "TS"}]
			var g, t, q []string
			for i := range gs {
				g = append(g, fmtRate(gs[i].callsPerSecond()))
				t = append(t, fmtRate(ts[i].callsPerSecond()))
				q = append(q, fmt.Sprintf("%.2f", gs[i].callsPerSecond()/ts[i].callsPerSecond()))
			}
			p("| %s | %s | %s | %s | %s |\n", m, op.name, strings.Join(g, ", "), strings.Join(t, ", "), strings.Join(q, ", "))
		}
	}
	return nil
}

// notTimed fills the cell of an operation not timed in a mode (a stream
// has no Content-Length).
const notTimed = "—"

func fmtRate(v float64) string {
	if v < 10 {
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// fmtBytes prints a size in decimal units, as the body sizes are quoted.
func fmtBytes(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2f MB", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1f KB", v/1e3)
	}
	return fmt.Sprintf("%.0f B", v)
}

// loadAverage returns the 1-minute load average, or "?".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

// fmtDuration prints seconds in the unit that suits them.
func fmtDuration(s float64) string {
	switch {
	case s >= 1e-3:
		return fmt.Sprintf("%.2f ms", s*1e3)
	default:
		return fmt.Sprintf("%.0f µs", s*1e6)
	}
}
