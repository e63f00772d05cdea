package openaifake

import (
	"fmt"
	"net"
	"net/http"
	"time"
)

// Server is a Handler served over HTTP on a loopback port, like
// httptest.Server.
type Server struct {
	// URL is "http://127.0.0.1:<port>", without a trailing slash.
	URL string

	srv  *http.Server
	done chan struct{}
}

// NewServer starts a fake on a random loopback port. Call Close when done.
// Like httptest.NewServer it panics if no loopback port can be opened,
// because it is meant for tests; NewServerAt returns an error instead.
func NewServer(opts ...Option) *Server {
	s, err := NewServerAt("127.0.0.1:0", opts...)
	if err != nil {
		s, err = NewServerAt("[::1]:0", opts...)
	}
	if err != nil {
		panic(fmt.Sprintf("openaifake: failed to listen on a loopback port: %v", err))
	}
	return s
}

// NewServerAt starts a fake listening on addr (host:port; port 0 picks a
// free one).
func NewServerAt(addr string, opts ...Option) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{
		URL:  "http://" + ln.Addr().String(),
		srv:  &http.Server{Handler: NewHandler(opts...), ReadHeaderTimeout: 10 * time.Second},
		done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		// Serve returns ErrServerClosed after Close; any other error ends
		// serving, and requests then fail on the client side.
		_ = s.srv.Serve(ln)
	}()
	return s, nil
}

// BaseURL is the URL an OpenAI client takes as its base: URL + "/v1"
// (OPENAI_BASE_URL for a Letta server).
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Close stops the server at once, closing open connections.
func (s *Server) Close() {
	_ = s.srv.Close()
	<-s.done
}
