package livetest

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/coder/websocket"
	"google.golang.org/genai"
)

// Session is one client connection to a Server: its setup, the messages it
// sent, the conversation so far, and handles to act on it. All methods are
// safe for use by multiple goroutines.
type Session struct {
	srv      *Server
	id       string
	index    int
	endpoint endpoint
	path     string
	conn     *websocket.Conn
	raw      net.Conn
	log      *slog.Logger

	ctx    context.Context // ends when the session ends
	cancel context.CancelFunc
	wg     sync.WaitGroup // goroutines of this session other than serve

	writeMu sync.Mutex
	tools   toolCalls
	engine  *engine

	ready     chan struct{} // closed when the first message was handled
	readyOnce sync.Once
	done      chan struct{} // closed when the session has ended
	stalled   chan struct{} // closed by StopReading
	stallOnce sync.Once

	mu           sync.Mutex
	changed      chan struct{} // closed and replaced when messages arrive
	setup        *genai.LiveClientSetup
	messages     []ClientMessage
	conversation []*genai.Content
	resumedFrom  string
	replies      []Script
	closing      bool
	serverClose  *CloseStatus
	clientClose  *CloseStatus
	consumed     int // non-setup client messages the model has processed
}

// CloseStatus is the status code and reason of a WebSocket close frame.
type CloseStatus struct {
	Code   websocket.StatusCode
	Reason string
}

// String formats the status as code and quoted reason.
func (c CloseStatus) String() string {
	return fmt.Sprintf("%d %q", int(c.Code), c.Reason)
}

func newSession(srv *Server, index int, ep endpoint, path string, conn *websocket.Conn, raw net.Conn) *Session {
	ctx, cancel := context.WithCancel(context.Background())
	id := newUUID()
	s := &Session{
		srv:      srv,
		id:       id,
		index:    index,
		endpoint: ep,
		path:     path,
		conn:     conn,
		raw:      raw,
		log:      srv.cfg.logger.With("session", index),
		ctx:      ctx,
		cancel:   cancel,
		ready:    make(chan struct{}),
		done:     make(chan struct{}),
		stalled:  make(chan struct{}),
		changed:  make(chan struct{}),
	}
	s.tools.init()
	return s
}

// ID returns the session's id. On Vertex AI it is the sessionId sent in
// setupComplete.
func (s *Session) ID() string { return s.id }

// Backend returns the backend the client connected to, as told by the
// request path: genai.BackendGeminiAPI or genai.BackendVertexAI.
func (s *Session) Backend() genai.Backend { return s.endpoint.backend }

// Path returns the request path the client connected to (without the
// query string, which may hold an API key).
func (s *Session) Path() string { return s.path }

// Setup returns the setup message the client sent, or nil if none has
// arrived.
func (s *Session) Setup() *genai.LiveClientSetup {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.setup
}

// ResumedFrom returns the session resumption handle this session resumed
// from, or "" if it started a new conversation.
func (s *Session) ResumedFrom() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resumedFrom
}

// Messages returns every message the client sent so far, in order
// (normally starting with setup), including a frame that failed to
// decode, which has only Raw set.
func (s *Session) Messages() []ClientMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

// Conversation returns the conversation the simulated model holds: turns
// restored from a resumption handle, clientContent turns as sent, one user
// content per realtime turn (its text and the audio's transcript), tool
// responses, and the model's own output (text, output transcripts and
// function calls).
func (s *Session) Conversation() []*genai.Content {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.conversation)
}

// WaitMessage returns the first message the client sent, since the start
// of the session, for which match returns true, waiting for it if needed.
// It returns ErrSessionEnded if the session ends without one, or ctx's
// error.
func (s *Session) WaitMessage(ctx context.Context, match func(ClientMessage) bool) (ClientMessage, error) {
	next := 0
	for {
		s.mu.Lock()
		msgs := s.messages[next:]
		next = len(s.messages)
		changed := s.changed
		s.mu.Unlock()
		for _, m := range msgs {
			if match(m) {
				return m, nil
			}
		}
		select {
		case <-changed:
		case <-s.done:
			// Messages recorded just before the end were delivered
			// through changed, which closed too; scan once more.
			s.mu.Lock()
			rest := s.messages[next:]
			s.mu.Unlock()
			for _, m := range rest {
				if match(m) {
					return m, nil
				}
			}
			return ClientMessage{}, ErrSessionEnded
		case <-ctx.Done():
			return ClientMessage{}, ctx.Err()
		}
	}
}

// Reply queues a script for this session's next user turn. Session
// scripts are used before the server-wide ones queued with Server.Reply.
func (s *Session) Reply(steps ...Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies = append(s.replies, Script(steps))
}

// Send runs steps on this session at once, outside any model turn and
// concurrently with it: use it to inject goAway, interrupted,
// sessionResumptionUpdate, toolCallCancellation or any raw frame. It
// returns when the steps are done (a ToolCall step waits for its
// responses), with ctx's error if ctx ends first, or ErrSessionEnded.
func (s *Session) Send(ctx context.Context, steps ...Step) error {
	ctx, cancel := mergeContexts(ctx, s.ctx)
	defer cancel()
	e := newEmitter(s)
	defer e.flush()
	for _, st := range steps {
		if err := st.run(ctx, e); err != nil {
			if s.ctx.Err() != nil {
				return ErrSessionEnded
			}
			return err
		}
		if e.stopped {
			return nil
		}
	}
	return nil
}

// CloseWith starts a closing handshake with the given status code and
// reason (at most 123 bytes; longer reasons are cut). It returns at once;
// Done is closed when the session has ended. It returns an error if code
// cannot be sent in a close frame (1005, 1006 and 1015 cannot) or the
// session is already closing.
func (s *Session) CloseWith(code websocket.StatusCode, reason string) error {
	if !validCloseCode(code) {
		return fmt.Errorf("livetest: status code %d cannot be sent in a close frame", int(code))
	}
	if !s.closeWith(code, reason) {
		return ErrSessionEnded
	}
	return nil
}

// Drop ends the connection abruptly, without a close frame: the client
// sees an abnormal closure (1006).
func (s *Session) Drop() {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.log.Info("livetest: dropping connection")
	_ = s.conn.CloseNow()
}

// Done returns a channel that is closed when the session has ended and
// every goroutine serving it has returned.
func (s *Session) Done() <-chan struct{} { return s.done }

// StopReading makes the server stop reading the client's frames, as a
// stuck server does: the client's writes back up until they block, and
// its pings go unanswered (a WebSocket peer answers pings as it reads).
// The read in progress goes on until the next data frame arrives (and
// answers pings meanwhile); that frame is still handled, and the stall
// starts after it. The session stays open
// until the server closes it (CloseWith, Server.Close); a later
// connection may resume its handles at once, since the client that
// gives up on a stuck connection drops it.
func (s *Session) StopReading() {
	s.stallOnce.Do(func() { close(s.stalled) })
}

// ClientClose returns the close frame with which the client ended the
// session. ok is false if the client did not end it that way: the session
// is still open, the connection was dropped, or the server closed first
// (CloseWith, a CloseWith step, a rejection, Server.Close).
func (s *Session) ClientClose() (status CloseStatus, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.clientClose == nil {
		return CloseStatus{}, false
	}
	return *s.clientClose, true
}

// ServerClose returns the close frame the server sent, and false if it
// sent none.
func (s *Session) ServerClose() (status CloseStatus, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.serverClose == nil {
		return CloseStatus{}, false
	}
	return *s.serverClose, true
}

// closeWith starts the closing handshake in the background and reports
// whether it did (false when the session was already closing).
func (s *Session) closeWith(code websocket.StatusCode, reason string) bool {
	reason = truncateReason(reason)
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return false
	}
	s.closing = true
	s.serverClose = &CloseStatus{Code: code, Reason: reason}
	// Added under s.mu: finish sets closing under s.mu before it waits,
	// so this Add cannot race with that Wait.
	s.wg.Add(1)
	s.mu.Unlock()
	s.log.Info("livetest: closing connection", "code", int(code), "reason", reason)
	go func() {
		defer s.wg.Done()
		_ = s.conn.Close(code, reason)
	}()
	return true
}

// closeGrace bounds the closing handshake of Server.Close: a client that
// does not answer the close frame in time is disconnected.
const closeGrace = 250 * time.Millisecond

// shutdown closes the session for Server.Close, bounding the handshake.
func (s *Session) shutdown() {
	if s.raw != nil {
		_ = s.raw.SetDeadline(time.Now().Add(closeGrace))
	}
	if !s.closeWith(websocket.StatusGoingAway, "server closed") {
		_ = s.conn.CloseNow()
	}
}

func (s *Session) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// record stores a received message and wakes WaitMessage callers.
func (s *Session) record(m ClientMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	close(s.changed)
	s.changed = make(chan struct{})
}

// appendConversation adds contents to the model's conversation.
func (s *Session) appendConversation(cs ...*genai.Content) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conversation = append(s.conversation, cs...)
}

// popReply takes the next queued script: this session's first, then the
// server's.
func (s *Session) popReply() (Script, bool) {
	s.mu.Lock()
	if len(s.replies) > 0 {
		r := s.replies[0]
		s.replies = s.replies[1:]
		s.mu.Unlock()
		return r, true
	}
	s.mu.Unlock()
	return s.srv.popReply()
}

// writeFrame sends one frame.
func (s *Session) writeFrame(data []byte) error {
	typ := websocket.MessageBinary
	if s.srv.cfg.textFrames {
		typ = websocket.MessageText
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.conn.Write(s.ctx, typ, data)
}

// writeMessage encodes m for this session's backend and sends it.
func (s *Session) writeMessage(m *genai.LiveServerMessage) error {
	data, err := encodeServerMessage(s.Backend(), m)
	if err != nil {
		return err
	}
	return s.writeFrame(data)
}

func (s *Session) markReady() {
	s.readyOnce.Do(func() { close(s.ready) })
}

// validCloseCode reports whether code may appear in a close frame.
func validCloseCode(code websocket.StatusCode) bool {
	switch code {
	case 1004, 1005, 1006, 1015:
		return false
	}
	return (code >= 1000 && code <= 1014) || (code >= 3000 && code <= 4999)
}

// mergeContexts returns a context that ends when either a or b ends.
func mergeContexts(a, b context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(a)
	stop := context.AfterFunc(b, cancel)
	return ctx, func() {
		stop()
		cancel()
	}
}
