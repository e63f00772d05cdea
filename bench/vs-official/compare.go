package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"

	"github.com/letta-go/letta/internal/benchdata"
)

// settings are the comparison's flags.
type settings struct {
	rounds  int
	seconds float64 // timed per measurement
	warmup  float64 // called before timing, per measurement
}

// A driver is one client's side: it starts a fresh process that times one
// operation against one base URL and prints a result.
type driver struct {
	name    string
	command func(base, op string) *exec.Cmd
}

// compare runs the whole comparison and prints the report on stdout
// (progress goes to stderr).
func compare(args []string) error {
	fs := flag.NewFlagSet("vs-official", flag.ContinueOnError)
	var s settings
	fs.IntVar(&s.rounds, "rounds", 5, "rounds; each times every operation in every mode with both clients")
	fs.Float64Var(&s.seconds, "seconds", 2, "seconds each measurement times calls for")
	fs.Float64Var(&s.warmup, "warmup", 1, "seconds each driver calls before timing")
	nodeFlag := fs.String("node", "", "the directory of the Node driver (default: bench/vs-official/node or ./node)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if s.rounds < 1 || s.seconds <= 0 || s.warmup < 0 {
		return errors.New("-rounds must be at least 1, -seconds positive, -warmup not negative")
	}
	nodeDir, err := findNodeDir(*nodeFlag)
	if err != nil {
		return err
	}
	tsVersions, err := ensureNodeDeps(nodeDir)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	urls, stop, err := startServer(self)
	if err != nil {
		return err
	}
	defer stop()

	// The date, the commit and the load at the start of the run.
	about, loadBefore := machine(tsVersions), loadAverage()
	drivers := []driver{goDriver(self, s), tsDriver(nodeDir, s)}
	results := measurements{}
	for r := range s.rounds {
		for _, m := range modes {
			for _, op := range operations {
				if !op.in(m) {
					continue
				}
				// Alternate which client goes first, so that neither
				// always runs right after the other's load.
				order := slices.Clone(drivers)
				if r%2 == 1 {
					slices.Reverse(order)
				}
				for _, d := range order {
					res, err := measure(d.command(urls[m], op.name))
					if err != nil {
						return fmt.Errorf("%s, %s mode, %s: %w", d.name, m, op.name, err)
					}
					results.add(m, op.name, d.name, res)
					fmt.Fprintf(os.Stderr, "round %d/%d  %-7s  %-17s  %-2s  %8.1f calls/s\n",
						r+1, s.rounds, m, op.name, d.name, res.callsPerSecond())
				}
			}
		}
	}
	about += fmt.Sprintf("\nLoad average (1 min) at the start: %s, at the end: %s (other work on the machine shows here).", loadBefore, loadAverage())
	return report(os.Stdout, results, s, about)
}

// goDriver starts this binary's drive with the GOGC and GOMEMLIMIT of the
// environment removed: the SDK is timed with the runtime's defaults.
func goDriver(self string, s settings) driver {
	return driver{name: "Go", command: func(base, op string) *exec.Cmd {
		cmd := exec.Command(self, "drive", "-base", base, "-op", op,
			"-warmup", fmtSeconds(s.warmup), "-seconds", fmtSeconds(s.seconds))
		cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool {
			return strings.HasPrefix(kv, "GOGC=") || strings.HasPrefix(kv, "GOMEMLIMIT=")
		})
		return cmd
	}}
}

// tsDriver starts node/bench.mjs.
func tsDriver(nodeDir string, s settings) driver {
	return driver{name: "TS", command: func(base, op string) *exec.Cmd {
		cmd := exec.Command("node", "bench.mjs", "--base", base, "--op", op,
			"--warmup", fmtSeconds(s.warmup), "--seconds", fmtSeconds(s.seconds),
			"--agent-id", benchdata.AgentID(0), "--identity-id", benchdata.IdentityID,
			"--send-messages", strconv.Itoa(sendMessages), "--stream-messages", strconv.Itoa(streamMessages))
		cmd.Dir = nodeDir
		return cmd
	}}
}

func fmtSeconds(s float64) string { return strconv.FormatFloat(s, 'g', -1, 64) }

// measure runs a driver process and decodes the result it prints.
func measure(cmd *exec.Cmd) (result, error) {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	var res result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return result{}, fmt.Errorf("reading %q: %w", stdout.String(), err)
	}
	if res.Calls < 1 || res.Seconds <= 0 {
		return result{}, fmt.Errorf("no calls timed: %q", stdout.String())
	}
	return res, nil
}

// startServer starts this binary's serve and returns the base URL of each
// mode, and how to stop it.
func startServer(self string) (map[mode]string, func(), error) {
	cmd := exec.Command(self, "serve")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	// The server exits when its stdin closes.
	stop := func() { _ = stdin.Close(); _ = cmd.Wait() }
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	var urls map[mode]string
	if err == nil {
		err = json.Unmarshal(line, &urls)
	}
	if err == nil && len(urls) != len(modes) {
		err = fmt.Errorf("server announced %v", urls)
	}
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("starting the server: %w", err)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return urls, stop, nil
}
