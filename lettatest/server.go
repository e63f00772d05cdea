package lettatest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Server is a Handler served over HTTP on a loopback port, like
// httptest.Server. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL, "http://127.0.0.1:<port>", without a trailing
	// slash; API paths (which start with /v1) are appended to it.
	URL string

	handler  *Handler
	srv      *http.Server
	listener net.Listener
	done     chan struct{}
}

// NewServer starts a server on a random loopback port and returns it ready to
// use. Call Close when done. Like httptest.NewServer it panics if no loopback
// port can be opened, because it is meant for tests; use NewServerAt to get
// an error instead.
func NewServer(opts ...Option) *Server {
	s, err := NewServerAt("127.0.0.1:0", opts...)
	if err != nil {
		s, err = NewServerAt("[::1]:0", opts...)
	}
	if err != nil {
		panic(fmt.Sprintf("lettatest: failed to listen on a loopback port: %v", err))
	}
	return s
}

// NewServerAt starts a server listening on addr (host:port, port 0 picks a
// free one) and returns it ready to use.
func NewServerAt(addr string, opts ...Option) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	h := NewHandler(opts...)
	s := &Server{
		URL:      "http://" + ln.Addr().String(),
		handler:  h,
		listener: ln,
		srv:      &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
		done:     make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		// Serve returns ErrServerClosed after Close/Shutdown; any other error
		// ends serving, and requests then fail on the client side.
		_ = s.srv.Serve(ln)
	}()
	return s, nil
}

// Handler returns the server's Handler (state, faults and request log).
func (s *Server) Handler() *Handler { return s.handler }

// Close stops the server at once, closing open connections.
func (s *Server) Close() {
	_ = s.srv.Close()
	<-s.done
}

// Shutdown stops accepting requests and waits for in-flight ones to finish,
// or for ctx to end (then it closes what is left and returns ctx's error).
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		_ = s.srv.Close()
	}
	<-s.done
	return err
}

// InjectFault queues a fault; see Handler.InjectFault.
func (s *Server) InjectFault(f Fault) { s.handler.InjectFault(f) }

// ClearFaults removes queued faults; see Handler.ClearFaults.
func (s *Server) ClearFaults() { s.handler.ClearFaults() }

// Requests returns the request log; see Handler.Requests.
func (s *Server) Requests() []Request { return s.handler.Requests() }

// ResetRequests empties the request log; see Handler.ResetRequests.
func (s *Server) ResetRequests() { s.handler.ResetRequests() }
