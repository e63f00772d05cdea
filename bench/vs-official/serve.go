package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// A mode is how the server frames its bodies.
type mode string

const (
	// sized sends Content-Length, as the open-source Letta server does.
	sized mode = "sized"
	// chunked sends no Content-Length: HTTP/1.1 chunks, as most proxies
	// and HTTP/2 (which has no Content-Length of its own) deliver a body.
	chunked mode = "chunked"
	// gzipped sends the body gzip-compressed and chunked, as a compressing
	// CDN does.
	gzipped mode = "gzip"
)

// modes are the table's rows, in order.
var modes = []mode{sized, chunked, gzipped}

// title is the mode's row head.
func (m mode) title() string {
	switch m {
	case sized:
		return "with Content-Length (the open-source server)"
	case chunked:
		return "chunked, no Content-Length (HTTP/2 and most proxies)"
	default:
		return "gzip, chunked (a compressing CDN)"
	}
}

// pieceSize is the size of the writes every mode sends a body in: the
// default largest HTTP/2 DATA frame, about what a proxy forwards at a time.
// Every mode writes the same pieces, so that the modes differ in framing
// only; in the chunked modes each piece is one chunk.
const pieceSize = 16 << 10

// A payload is one fixed answer, rendered and compressed once.
type payload struct {
	body []byte // JSON
	gz   []byte // body, gzip-compressed at the default level
}

// newPayload compresses body once.
func newPayload(body []byte) *payload {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(body) // a bytes.Buffer does not fail
	_ = zw.Close()
	return &payload{body: body, gz: buf.Bytes()}
}

// newPayloads renders every operation's payload, in the order of operations.
func newPayloads() []*payload {
	ps := make([]*payload, len(operations))
	for i, op := range operations {
		ps[i] = newPayload(op.payload())
	}
	return ps
}

// newMux answers every operation's route with its payload (payloads is
// newPayloads'), framed as m says. Request bodies are read and dropped;
// queries are ignored.
func newMux(m mode, payloads []*payload) *http.ServeMux {
	mux := http.NewServeMux()
	for i, op := range operations {
		p := payloads[i]
		mux.HandleFunc(op.route, func(w http.ResponseWriter, r *http.Request) { m.write(w, r, p) })
	}
	return mux
}

// write answers r with p, framed as m says.
func (m mode) write(w http.ResponseWriter, r *http.Request, p *payload) {
	_, _ = io.Copy(io.Discard, r.Body)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	body := p.body
	switch m {
	case sized:
		h.Set("Content-Length", strconv.Itoa(len(body)))
	case gzipped:
		// A CDN compresses only for a client that asks; refusing the
		// others keeps a client that does not ask from being timed on a
		// body it was not sent.
		if !acceptsGzip(r.Header) {
			http.Error(w, `{"detail":"gzip mode: the request does not accept gzip"}`, http.StatusNotAcceptable)
			return
		}
		h.Set("Content-Encoding", "gzip")
		h.Set("Vary", "Accept-Encoding")
		body = p.gz
	}
	for i := 0; i < len(body); i += pieceSize {
		if _, err := w.Write(body[i:min(i+pieceSize, len(body))]); err != nil {
			return
		}
		if i == 0 && m != sized {
			// net/http adds a Content-Length to a small body written
			// without a Flush (http.ResponseWriter's Write); after one,
			// HTTP/1.1 sends the body in chunks.
			_ = http.NewResponseController(w).Flush()
		}
	}
}

// acceptsGzip reports whether an Accept-Encoding header lists gzip (with a
// q-value other than 0).
func acceptsGzip(h http.Header) bool {
	for _, v := range h.Values("Accept-Encoding") {
		for _, part := range strings.Split(v, ",") {
			name, params, _ := strings.Cut(part, ";")
			if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
				continue
			}
			if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
				if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
					continue
				}
			}
			return true
		}
	}
	return false
}

// serve is the server process: it listens on one loopback port per mode,
// prints {"sized": url, "chunked": url, "gzip": url} as one line, and serves
// until its stdin closes.
func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	urls, payloads := map[mode]string{}, newPayloads()
	for _, m := range modes {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		urls[m] = "http://" + ln.Addr().String()
		srv := &http.Server{Handler: newMux(m, payloads)}
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				fmt.Fprintln(os.Stderr, "vs-official serve:", err)
				os.Exit(1) // a listener that fails ends the run loudly
			}
		}()
	}
	out := bufio.NewWriter(os.Stdout)
	if err := json.NewEncoder(out).Encode(urls); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	return nil
}
