// Command vs-official times the SDK and the official TypeScript client
// (@letta-ai/letta-client) side by side, in one run on one machine, against
// one loopback server that answers with fixed payloads and frames its bodies
// three ways: with Content-Length, chunked, and gzip-compressed chunked.
//
//	go run ./bench/vs-official            # 5 rounds of 2 s per cell (about 7 minutes)
//	go run ./bench/vs-official -rounds 1 -seconds 1
//
// It installs the Node client (node/package.json) when it is missing, starts
// the server in a process of its own, then, round after round, times every
// operation in every mode with each client in a fresh process, alternating
// which client goes first, and prints the tables README.md shows. It is not
// part of CI.
//
// The same binary is also the server and the Go driver: the comparison
// starts itself with "serve" and with "drive" (see serve.go and drive.go).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
)

func main() {
	var err error
	switch {
	case len(os.Args) > 1 && os.Args[1] == "serve":
		err = serve(os.Args[2:])
	case len(os.Args) > 1 && os.Args[1] == "drive":
		err = drive(os.Args[2:])
	default:
		err = compare(os.Args[1:])
	}
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "vs-official:", err)
		os.Exit(1)
	}
}
