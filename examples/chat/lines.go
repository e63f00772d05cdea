package main

import (
	"bufio"
	"io"
)

// readLines reads r line by line in a goroutine, so that the chat can wait
// for a line and for Ctrl-C at once. The channel is closed at the end of
// r; stop ends the goroutine early (a terminal's read is only abandoned:
// the program is about to exit).
func readLines(r io.Reader) (lines <-chan string, stop func()) {
	ch := make(chan string)
	done := make(chan struct{})
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 4096), 1<<20) // a pasted paragraph is one line
		for sc.Scan() {
			select {
			case ch <- sc.Text():
			case <-done:
				return
			}
		}
	}()
	return ch, func() { close(done) }
}

// scriptLines gives the built-in script as lines.
func scriptLines() <-chan string {
	ch := make(chan string, len(script))
	for _, l := range script {
		ch <- l
	}
	close(ch)
	return ch
}
