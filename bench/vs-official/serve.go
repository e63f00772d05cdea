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

// A payload is one fixed answer, rendered and compressed once: a JSON body,
// or for a stream its events.
type payload struct {
	body []byte // JSON
	gz   []byte // body, gzip-compressed at the default level

	events   [][]byte // a stream's events, "data: ...\n\n" each
	gzEvents [][]byte // what a gzip writer flushed after each event
}

// newPayload compresses body once.
func newPayload(body []byte) *payload {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(body) // a bytes.Buffer does not fail
	_ = zw.Close()
	return &payload{body: body, gz: buf.Bytes()}
}

// newStreamPayload compresses events once, as a compressing proxy that
// passes a stream on does: one gzip stream, flushed after every event, so
// that each event can be decompressed as soon as its piece arrives. The
// last piece carries the gzip trailer.
func newStreamPayload(events [][]byte) *payload {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	p := &payload{body: bytes.Join(events, nil), events: events}
	for i, ev := range events {
		_, _ = zw.Write(ev)
		_ = zw.Flush()
		if i == len(events)-1 {
			_ = zw.Close()
		}
		p.gzEvents = append(p.gzEvents, bytes.Clone(buf.Bytes()))
		buf.Reset()
	}
	return p
}

// newPayloads renders every operation's payload, in the order of operations.
func newPayloads() []*payload {
	ps := make([]*payload, len(operations))
	for i, op := range operations {
		if op.events != nil {
			ps[i] = newStreamPayload(op.events())
		} else {
			ps[i] = newPayload(op.payload())
		}
	}
	return ps
}

// newMux answers every operation's route with its payload (payloads is
// newPayloads'), framed as m says. Request bodies are read and dropped;
// queries are ignored. Operations that share a route (messages.send and
// messages.stream) are told apart as the real server tells them: by the
// body's "streaming". An operation not timed in m gets 404.
func newMux(m mode, payloads []*payload) *http.ServeMux {
	mux := http.NewServeMux()
	var routes []string
	byRoute := map[string][]int{}
	for i, op := range operations {
		if byRoute[op.route] == nil {
			routes = append(routes, op.route)
		}
		byRoute[op.route] = append(byRoute[op.route], i)
	}
	for _, route := range routes {
		ops := byRoute[route]
		mux.HandleFunc(route, func(w http.ResponseWriter, r *http.Request) {
			i := ops[0]
			if len(ops) > 1 {
				var body struct {
					Streaming bool `json:"streaming"`
				}
				_ = json.NewDecoder(r.Body).Decode(&body)
				for _, j := range ops {
					if (operations[j].events != nil) == body.Streaming {
						i = j
					}
				}
			}
			if !operations[i].in(m) {
				http.Error(w, fmt.Sprintf(`{"detail":"%s is not served in %s mode"}`, operations[i].name, m), http.StatusNotFound)
				return
			}
			m.write(w, r, payloads[i])
		})
	}
	return mux
}

// write answers r with p, framed as m says.
func (m mode) write(w http.ResponseWriter, r *http.Request, p *payload) {
	_, _ = io.Copy(io.Discard, r.Body)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if p.events != nil {
		h.Set("Content-Type", "text/event-stream; charset=utf-8")
	}
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
	if p.events != nil {
		// A stream: each event written and flushed on its own, as the
		// real server sends a turn (one HTTP/1.1 chunk per event).
		pieces := p.events
		if m == gzipped {
			pieces = p.gzEvents
		}
		rc := http.NewResponseController(w)
		for _, piece := range pieces {
			if _, err := w.Write(piece); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
		}
		return
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
