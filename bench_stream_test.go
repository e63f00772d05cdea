package letta_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/letta-go/letta"
)

// BenchmarkStream compares Messages.Stream with reading the same SSE bytes
// with net/http alone (a bufio.Scanner over the body, no decoding), on
// loopback, for a token stream of streamBenchEvents events shaped like the
// real server's (real-messages-wire.md), each written and flushed on its
// own. Both readers use a clone of http.DefaultTransport and its
// keep-alive (the SDK's default transport is one with a larger idle
// pool), send the same body and read to [DONE]. It reports the time to
// the first message (first-ns/op, from before the request is built to
// after the first message is decoded), the whole stream (ns/op) and the
// process's CPU time (cpu-ns/op, the loopback server's included).
//
// The sub-benchmarks sdk, raw and raw+decode run one after the other;
// paired runs the SDK and the raw reader in turns, one stream each per
// iteration (which goes first alternates), and reports the medians of
// each (sdk-ns, raw-ns, sdk-first-ns, raw-first-ns) and the SDK's
// overhead on them (overhead-%, first-overhead-ns): on a machine busy
// with other work, load that comes and goes hits both alike.
//
//	go test -run '^$' -bench '^BenchmarkStream$' -benchmem -count=6 -benchtime=400x .
func BenchmarkStream(b *testing.B) {
	body := streamBenchBody()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		f := w.(http.Flusher)
		f.Flush()
		for _, ev := range body {
			_, _ = w.Write(ev)
			f.Flush()
		}
	}))
	defer srv.Close()
	params := &letta.MessageStreamParams{MessageSendParams: *userSays("hello"), StreamTokens: letta.Ptr(true)}
	newSDK := func(b *testing.B) *letta.Client {
		c, err := letta.NewClient(letta.WithBaseURL(srv.URL), letta.WithLogger(nil))
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	newRaw := func() *http.Client {
		return &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}

	b.Run("sdk", func(b *testing.B) {
		c := newSDK(b)
		streamBenchLoop(b, func() (time.Duration, time.Duration) { return streamSDKOnce(b, c, params) })
		b.ReportMetric(float64(streamBenchEvents), "msgs/op")
	})
	b.Run("raw", func(b *testing.B) {
		hc := newRaw()
		streamBenchLoop(b, func() (time.Duration, time.Duration) { return streamRawOnce(b, hc, srv.URL, false) })
	})
	// raw+decode also decodes each event into a letta.Message with
	// encoding/json: the SDK's overhead beyond decoding.
	b.Run("raw+decode", func(b *testing.B) {
		hc := newRaw()
		streamBenchLoop(b, func() (time.Duration, time.Duration) { return streamRawOnce(b, hc, srv.URL, true) })
	})
	b.Run("paired", func(b *testing.B) {
		c, hc := newSDK(b), newRaw()
		var sdk, raw, sdkFirst, rawFirst []time.Duration
		i := 0
		for b.Loop() {
			for k := range 2 {
				if (i+k)%2 == 0 {
					first, total := streamSDKOnce(b, c, params)
					sdk, sdkFirst = append(sdk, total), append(sdkFirst, first)
				} else {
					first, total := streamRawOnce(b, hc, srv.URL, false)
					raw, rawFirst = append(raw, total), append(rawFirst, first)
				}
			}
			i++
		}
		ms, mr := median(sdk), median(raw)
		b.ReportMetric(float64(ms.Nanoseconds()), "sdk-ns")
		b.ReportMetric(float64(mr.Nanoseconds()), "raw-ns")
		b.ReportMetric(100*float64(ms-mr)/float64(mr), "overhead-%")
		b.ReportMetric(float64(median(sdkFirst).Nanoseconds()), "sdk-first-ns")
		b.ReportMetric(float64(median(rawFirst).Nanoseconds()), "raw-first-ns")
		b.ReportMetric(float64((median(sdkFirst) - median(rawFirst)).Nanoseconds()), "first-overhead-ns")
	})
}

// streamBenchLoop runs one stream an iteration and reports the mean time
// to the first message and the CPU time.
func streamBenchLoop(b *testing.B, once func() (first, total time.Duration)) {
	var first time.Duration
	n := 0
	b.ReportAllocs()
	cpu0, cpuOK := processCPU()
	for b.Loop() {
		f, _ := once()
		first += f
		n++
	}
	reportCPU(b, cpu0, cpuOK)
	b.ReportMetric(float64(first.Nanoseconds())/float64(n), "first-ns/op")
}

// streamSDKOnce reads one stream with Messages.Stream.
func streamSDKOnce(b *testing.B, c *letta.Client, params *letta.MessageStreamParams) (first, total time.Duration) {
	start := time.Now()
	got := 0
	for _, err := range c.Messages.Stream(b.Context(), streamAgent, params) {
		if err != nil {
			b.Fatal(err)
		}
		if got == 0 {
			first = time.Since(start)
		}
		got++
	}
	if got != streamBenchEvents {
		b.Fatalf("%d messages, want %d", got, streamBenchEvents)
	}
	return first, time.Since(start)
}

// streamRawOnce reads one stream with net/http and a bufio.Scanner.
func streamRawOnce(b *testing.B, hc *http.Client, url string, decode bool) (first, total time.Duration) {
	start := time.Now()
	req, err := http.NewRequestWithContext(b.Context(), http.MethodPost, url+"/v1/agents/"+streamAgent+"/messages",
		bytes.NewReader([]byte(`{"messages":[{"role":"user","content":"hello"}],"stream_tokens":true,"streaming":true}`)))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	got := readRawEvents(b, resp.Body, decode, func() { first = time.Since(start) })
	// Read to the end, as net/http asks for a connection to be reused (and
	// as the SDK does): closing at [DONE] loses the connection whenever
	// the chunked body's terminator has not arrived yet.
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if got != streamBenchEvents {
		b.Fatalf("%d events, want %d", got, streamBenchEvents)
	}
	return first, time.Since(start)
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// readRawEvents reads an event stream the way a hand-written net/http
// reader would: a bufio.Scanner over the body, the data lines until
// [DONE], each decoded into a letta.Message with encoding/json when
// decode is set. It calls onFirst (if not nil) after the first event and
// returns the number of events.
func readRawEvents(b *testing.B, body io.Reader, decode bool, onFirst func()) int {
	sc := bufio.NewScanner(body)
	got := 0
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, []byte("data: ")) {
			continue
		}
		if bytes.Equal(line, []byte("data: [DONE]")) {
			break
		}
		if decode {
			var m letta.Message
			if err := json.Unmarshal(line[len("data: "):], &m); err != nil {
				b.Fatal(err)
			}
		}
		if got == 0 && onFirst != nil {
			onFirst()
		}
		got++
	}
	return got
}

// streamBenchEvents is the number of messages of the benchmark's stream: a
// ping, 40 reasoning pieces, 40 assistant pieces, the stop reason and the
// usage.
const streamBenchEvents = 83

func streamBenchBody() [][]byte {
	common := `"date":"2026-12-02T01:45:24+00:00","name":null,"otid":"8a5b3c1e-0000-4000-8000-000000007e01","sender_id":null,"step_id":"step-8a5b3c1e-0000-4000-8000-000000000001","is_err":null,"seq_id":null,"run_id":"run-8a5b3c1e-0000-4000-8000-000000000001"`
	var out [][]byte
	out = append(out, []byte(`data: {"id":"ping-8a5b3c1e-0000-4000-8000-000000000001",`+common+`,"message_type":"ping"}`+"\n\n"))
	for i := range 40 {
		out = append(out, fmt.Appendf(nil, `data: {"id":"message-8a5b3c1e-0000-4000-8000-000000000002",%s,"message_type":"reasoning_message","source":"reasoner_model","reasoning":"piece %d ","signature":null}`+"\n\n", common, i))
	}
	for i := range 40 {
		out = append(out, fmt.Appendf(nil, `data: {"id":"message-8a5b3c1e-0000-4000-8000-000000000002",%s,"message_type":"assistant_message","content":"%s"}`+"\n\n", common, strings.Repeat("w", i%7+1)))
	}
	out = append(out, []byte(`data: {"message_type":"stop_reason","stop_reason":"end_turn"}`+"\n\n"))
	out = append(out, []byte(`data: {"message_type":"usage_statistics","completion_tokens":80,"prompt_tokens":2000,"total_tokens":2080,"step_count":1,"run_ids":null,"cached_input_tokens":null,"cache_write_tokens":null,"reasoning_tokens":null,"context_tokens":2000}`+"\n\n"))
	out = append(out, []byte("data: [DONE]\n\n"))
	return out
}

// BenchmarkStreamInMemory is BenchmarkStream without the network: the
// same stream is served from memory by an http.RoundTripper, so what is
// left is the CPU each reader spends on it (for the SDK: the request
// pipeline, the event reader and the decoding). On a busy machine it is
// far steadier than the loopback benchmark.
//
//	go test -run '^$' -bench BenchmarkStreamInMemory -benchmem .
func BenchmarkStreamInMemory(b *testing.B) {
	body := bytes.Join(streamBenchBody(), nil)
	rt := memStream(body)
	params := &letta.MessageStreamParams{MessageSendParams: *userSays("hello"), StreamTokens: letta.Ptr(true)}
	b.Run("sdk", func(b *testing.B) {
		c, err := letta.NewClient(letta.WithBaseURL("http://letta.invalid"), letta.WithLogger(nil),
			letta.WithHTTPClient(&http.Client{Transport: rt}))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		cpu0, cpuOK := processCPU()
		for b.Loop() {
			got := 0
			for _, err := range c.Messages.Stream(b.Context(), streamAgent, params) {
				if err != nil {
					b.Fatal(err)
				}
				got++
			}
			if got != streamBenchEvents {
				b.Fatalf("%d messages, want %d", got, streamBenchEvents)
			}
		}
		reportCPU(b, cpu0, cpuOK)
	})
	for _, decode := range []bool{false, true} {
		name := "raw"
		if decode {
			name = "raw+decode"
		}
		b.Run(name, func(b *testing.B) {
			hc := &http.Client{Transport: rt}
			reqBody := []byte(`{"messages":[{"role":"user","content":"hello"}],"stream_tokens":true,"streaming":true}`)
			b.ReportAllocs()
			cpu0, cpuOK := processCPU()
			for b.Loop() {
				req, _ := http.NewRequestWithContext(b.Context(), http.MethodPost, "http://letta.invalid/v1/agents/"+streamAgent+"/messages", bytes.NewReader(reqBody))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "text/event-stream")
				resp, err := hc.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				if got := readRawEvents(b, resp.Body, decode, nil); got != streamBenchEvents {
					b.Fatalf("%d events, want %d", got, streamBenchEvents)
				}
				_ = resp.Body.Close()
			}
			reportCPU(b, cpu0, cpuOK)
		})
	}
}

// memStream answers every request with body as a 200 event stream.
type memStream []byte

func (m memStream) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"text/event-stream; charset=utf-8"}},
		Body:   io.NopCloser(bytes.NewReader(m)), ContentLength: -1, Request: req}, nil
}

// reportCPU reports the process's CPU time per op (cpu-ns/op) since
// start, where it can be measured. It includes everything the process
// ran meanwhile: the loopback server's handler, the garbage collector.
func reportCPU(b *testing.B, start time.Duration, ok bool) {
	if end, ok2 := processCPU(); ok && ok2 && b.N > 0 {
		b.ReportMetric(float64((end-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
