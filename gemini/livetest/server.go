package livetest

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"

	"github.com/coder/websocket"
)

// maxFrameSize bounds one client frame. Real clients send audio chunks of
// a few kilobytes; the recordings hold frames of about 130 KB.
const maxFrameSize = 32 << 20

// Server is a fake Gemini Live API and Vertex AI Live API server listening
// on a local port, in the manner of net/http/httptest.Server. Point a
// client's base URL at URL, script the model with Reply or a Responder,
// inspect Sessions, and Close it when done.
//
// A Server is safe for use by multiple goroutines.
type Server struct {
	// URL is the base URL of the server, of the form ws://127.0.0.1:PORT
	// (wss://127.0.0.1:PORT for a server made by NewTLSServer), with no
	// trailing slash. Clients append the method path to it. HTTPURL
	// returns the same address with an http or https scheme, for clients
	// that want one.
	URL string

	tls  *tlsIdentity // nil for a plain server
	cfg  config
	http *http.Server
	wg   sync.WaitGroup // every goroutine the server started

	mu       sync.Mutex
	closed   bool
	sessions []*Session
	changed  chan struct{} // closed and replaced when sessions change
	replies  []Script
	handles  map[string]*resumePoint
	seq      int // tool call ids and resumption handles
}

// NewServer starts a server listening on 127.0.0.1 on a free port. It
// panics if it cannot listen, as httptest.NewServer does.
func NewServer(opts ...Option) *Server {
	return start(nil, opts)
}

// start starts a server, serving TLS with id when it is not nil.
func start(id *tlsIdentity, opts []Option) *Server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("livetest: failed to listen on a port: %v", err))
	}
	scheme := "ws://"
	if id != nil {
		ln = tls.NewListener(ln, id.serverConfig())
		scheme = "wss://"
	}
	s := &Server{
		URL:     scheme + ln.Addr().String(),
		tls:     id,
		cfg:     newConfig(opts),
		changed: make(chan struct{}),
		handles: make(map[string]*resumePoint),
	}
	s.http = &http.Server{
		Handler:  http.HandlerFunc(s.serveHTTP),
		ErrorLog: slog.NewLogLogger(s.cfg.logger.Handler(), slog.LevelDebug),
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		_ = s.http.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	return s
}

// Close stops the server: it stops listening, closes every open session
// with 1001 (going away), disconnecting clients that do not answer the
// close frame within 250 ms, and waits until every goroutine it started
// has returned. Close is idempotent.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	sessions := slices.Clone(s.sessions)
	s.mu.Unlock()

	_ = s.http.Close()
	for _, sess := range sessions {
		sess.shutdown()
	}
	s.wg.Wait()
}

// Reply queues a script for the next user turn of any session. Queued
// scripts are used in order, one per turn, before the Responder is asked.
func (s *Server) Reply(steps ...Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies = append(s.replies, Script(steps))
}

// Sessions returns every connection the server has upgraded so far, in
// the order they arrived, including those it rejected and those that
// ended.
func (s *Server) Sessions() []*Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sessions)
}

// WaitSession waits until the i-th connection (counting from 0) has been
// upgraded and its first message handled (setup accepted or rejected), or
// the connection ended first, and returns its session. It returns ctx's
// error if ctx ends first, and ErrServerClosed if the server closes first.
func (s *Server) WaitSession(ctx context.Context, i int) (*Session, error) {
	for {
		s.mu.Lock()
		var sess *Session
		if i < len(s.sessions) {
			sess = s.sessions[i]
		}
		closed := s.closed
		changed := s.changed
		s.mu.Unlock()
		if sess != nil {
			select {
			case <-sess.ready:
				return sess, nil
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		if closed {
			return nil, ErrServerClosed
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// notifyLocked wakes WaitSession callers. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// popReply takes the oldest queued server-wide script.
func (s *Server) popReply() (Script, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.replies) == 0 {
		return nil, false
	}
	r := s.replies[0]
	s.replies = s.replies[1:]
	return r, true
}

// nextSeq returns a number unique within the server.
func (s *Server) nextSeq() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return s.seq
}

// serveHTTP routes by path, upgrades, authenticates and serves one session.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	ep, ok := parseEndpoint(r.URL.Path)
	if !ok {
		s.cfg.logger.Info("livetest: unknown path", "path", r.URL.Path)
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "server closed", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	authFailure := s.cfg.authenticate(ep, r)
	hj := &hijackRecorder{ResponseWriter: w}
	conn, err := websocket.Accept(hj, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		s.cfg.logger.Info("livetest: upgrade failed", "path", r.URL.Path, "err", err)
		return
	}
	conn.SetReadLimit(maxFrameSize)

	s.mu.Lock()
	sess := newSession(s, len(s.sessions), ep, r.URL.Path, conn, hj.conn)
	s.sessions = append(s.sessions, sess)
	s.notifyLocked()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		sess.shutdown()
	}
	sess.serve(authFailure)
}

// hijackRecorder keeps the raw connection websocket.Accept hijacks, so Close
// can bound how long a closing handshake may take.
type hijackRecorder struct {
	http.ResponseWriter
	conn net.Conn
}

func (h *hijackRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	h.conn = c
	return c, rw, err
}

// newUUID returns a random version 4 UUID, the form of Vertex AI session ids.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
