package gemini

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"

	"github.com/coder/websocket"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
)

// Conn is one live session. It implements [live.Conn]: the send methods are
// safe to call from several goroutines at once; Receive must be called
// from one goroutine at a time. A send or receive whose context ends
// closes the connection.
type Conn struct {
	ws          *websocket.Conn
	backend     genai.Backend
	family      family
	mediaChunks bool
	logger      *slog.Logger
	sessionID   string

	// Reader state, owned by the single goroutine calling Receive.
	pending *live.Response // setupComplete, handed out by the first Receive
	abort   func()         // closes the socket at once; made once, not per read

	bufs *buffers // the model's, for reading and encoding messages

	closing   atomic.Bool // Close was called, or a context ended an operation
	closeOnce sync.Once
	closeErr  error

	mu     sync.Mutex
	endErr error // why the connection ended, once the reader saw it end
}

var (
	_ live.Conn    = (*Conn)(nil)
	_ live.Pinger  = (*Conn)(nil)
	_ live.Aborter = (*Conn)(nil)

	_ live.ContentChecker = (*Conn)(nil)
)

func newConn(ws *websocket.Conn, m *Model) *Conn {
	return &Conn{
		ws:          ws,
		backend:     m.ep.backend,
		family:      m.family,
		mediaChunks: m.mediaChunks,
		logger:      m.logger,
		bufs:        m.bufs,
		abort:       func() { ws.CloseNow() },
	}
}

// Ping sends a WebSocket ping and waits for the pong, or until ctx ends.
// It implements [live.Pinger].
func (c *Conn) Ping(ctx context.Context) error {
	if err := c.ended(); err != nil {
		return err
	}
	if err := c.ws.Ping(ctx); err != nil {
		return fmt.Errorf("gemini: ping: %w", err)
	}
	return nil
}

// Abort drops the connection at once, without a closing handshake: a
// write blocked on a server that stopped reading returns. It implements
// [live.Aborter].
func (c *Conn) Abort() {
	c.closing.Store(true)
	c.ws.CloseNow()
}

// SessionID returns the id the server gave this session in setupComplete
// (Vertex AI does), or "".
func (c *Conn) SessionID() string { return c.sessionID }

// Receive blocks for the next server message. The first call returns the
// setupComplete message Connect waited for.
//
// It returns a *[CloseError] when the server closed the connection or it
// dropped, an *[APIError] for an in-band error message, a *[ProtocolError]
// for a message that does not decode, an error wrapping net.ErrClosed after
// Close, and an error wrapping ctx's error when ctx ended (which closes the
// connection).
func (c *Conn) Receive(ctx context.Context) (*live.Response, error) {
	if err := c.ended(); err != nil {
		return nil, err
	}
	if p := c.pending; p != nil {
		c.pending = nil
		return p, nil
	}
	return c.receive(ctx)
}

func (c *Conn) receive(ctx context.Context) (*live.Response, error) {
	if err := c.ended(); err != nil {
		return nil, err
	}
	// The WebSocket library watches the context of every frame read it
	// does (several per message); one watch per message is enough, and
	// ending ctx closes the connection all the same.
	if ctx.Done() != nil {
		if ctx.Err() != nil {
			c.ws.CloseNow()
			return nil, c.readFailed(ctx, ctx.Err())
		}
		stop := context.AfterFunc(ctx, c.abort)
		defer func() {
			if !stop() {
				c.closing.Store(true) // ctx ended as the message arrived
			}
		}()
	}
	_, r, err := c.ws.Reader(context.Background())
	if err != nil {
		return nil, c.readFailed(ctx, err)
	}
	buf := c.bufs.get()
	defer c.bufs.put(buf) // the decoded response copies what it keeps
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, c.readFailed(ctx, err)
	}
	return decodeServerMessage(buf.Bytes())
}

// SendContent sends a clientContent message. On gemini-3.1 live models,
// which accept mid-session content only as realtime input, a single user
// turn with TurnComplete set is sent as realtimeInput messages in the order
// of its parts: consecutive text parts as one realtimeInput.text, each
// inline audio/* part as realtimeInput.audio and each inline image/* part
// as realtimeInput.video (so put an image before the question about it).
// Any other content (function calls, file data, other MIME types, model
// turns, several turns) is rejected with an error matching
// [ErrInvalidRequest] before anything is sent.
func (c *Conn) SendContent(ctx context.Context, content *genai.LiveClientContent) error {
	if c.family.live31 {
		inputs, err := live31Inputs(content)
		if err != nil {
			return err
		}
		for i := range inputs {
			if err := c.send(ctx, func(b []byte) ([]byte, error) {
				return appendRealtimeInput(b, &inputs[i], false)
			}); err != nil {
				return err
			}
		}
		return nil
	}
	return c.send(ctx, func(b []byte) ([]byte, error) {
		return appendClientContent(b, c.backend, content)
	})
}

// CheckContent reports the error SendContent would return for content
// before anything is sent: on gemini-3.1 live models, content that cannot
// be expressed as realtime input. It implements [live.ContentChecker].
func (c *Conn) CheckContent(content *genai.LiveClientContent) error {
	if c.family.live31 {
		_, err := live31Inputs(content)
		return err
	}
	return nil
}

// SendRealtime sends one realtimeInput message. Exactly one field of in
// must be set; audio must have an audio/* MIME type and video an image/*
// one.
func (c *Conn) SendRealtime(ctx context.Context, in *live.RealtimeInput) error {
	return c.send(ctx, func(b []byte) ([]byte, error) {
		return appendRealtimeInput(b, in, c.mediaChunks)
	})
}

// SendToolResponse sends a toolResponse message. Every response must carry
// the ID of the call it answers. On Vertex AI and gemini-3.1 live models a
// response with scheduling or willContinue is refused before it is sent
// (see Model.CheckNonBlocking).
func (c *Conn) SendToolResponse(ctx context.Context, r *genai.LiveClientToolResponse) error {
	if c.backend == genai.BackendVertexAI || c.family.live31 {
		if err := checkNonBlockingFields(r); err != nil {
			return err
		}
	}
	return c.send(ctx, func(b []byte) ([]byte, error) {
		return appendToolResponse(b, c.backend, r)
	})
}

// Close ends the connection with a normal closure (status 1000). It is safe
// to call more than once and from any goroutine; it unblocks a pending
// Receive, which then returns an error wrapping net.ErrClosed. Close waits
// (a few seconds at most) for the server to acknowledge the closure.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		c.closing.Store(true)
		err := c.ws.Close(websocket.StatusNormalClosure, "")
		c.mu.Lock()
		serverEnded := c.endErr != nil
		c.mu.Unlock()
		if err != nil && !errors.Is(err, net.ErrClosed) && !serverEnded {
			// The connection is closed either way; the error says the
			// closing handshake did not complete.
			c.closeErr = fmt.Errorf("gemini: close: %w", err)
		}
		c.logger.Debug("gemini: connection closed by the client", "session_id", c.sessionID)
	})
	return c.closeErr
}

// send encodes a message into a pooled buffer and writes it as one text
// frame.
func (c *Conn) send(ctx context.Context, encode func([]byte) ([]byte, error)) error {
	buf := c.bufs.get()
	defer c.bufs.put(buf)
	b, err := encode(buf.AvailableBuffer())
	if err != nil {
		return err
	}
	if cap(b) > buf.Available() {
		// encode outgrew buf: keep its array for the next message
		// rather than copy the message into buf.
		*buf = *bytes.NewBuffer(b[:0])
	}
	return c.writeFrame(ctx, b)
}

func (c *Conn) writeFrame(ctx context.Context, frame []byte) error {
	if err := c.ended(); err != nil {
		return err
	}
	if err := c.ws.Write(ctx, websocket.MessageText, frame); err != nil {
		return c.writeFailed(ctx, err)
	}
	return nil
}

// ended returns the error every operation returns once the connection is
// over, or nil while it is open.
func (c *Conn) ended() error {
	if c.closing.Load() {
		return errClosed
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.endErr
}

// errClosed is returned by every operation after Close.
var errClosed = fmt.Errorf("gemini: connection closed: %w", net.ErrClosed)

// readFailed classifies the error that ended a read and records it, so
// later operations return the same error.
func (c *Conn) readFailed(ctx context.Context, err error) error {
	if e := c.interrupted(ctx); e != nil {
		return e
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.endErr != nil {
		return c.endErr
	}
	var wsClose websocket.CloseError
	switch {
	case errors.As(err, &wsClose):
		c.endErr = &CloseError{Code: wsClose.Code, Reason: wsClose.Reason}
	case errors.Is(err, websocket.ErrMessageTooBig):
		c.endErr = &CloseError{Code: websocket.StatusMessageTooBig,
			Reason: "a server message exceeded the read limit (Config.ReadLimit)", Err: err}
	default:
		c.endErr = &CloseError{Code: websocket.StatusAbnormalClosure, Err: err}
	}
	c.logger.Debug("gemini: connection ended", "session_id", c.sessionID, "error", c.endErr)
	return c.endErr
}

// writeFailed classifies the error that ended a write. It does not record
// it: when the server closed the connection, the reader is about to see
// why, and that reason must win.
func (c *Conn) writeFailed(ctx context.Context, err error) error {
	if e := c.interrupted(ctx); e != nil {
		return e
	}
	if e := c.ended(); e != nil {
		return e
	}
	return &CloseError{Code: websocket.StatusAbnormalClosure, Err: err}
}

// interrupted returns the error for an operation cut short by Close or by
// its context (the WebSocket library closes the connection when an
// operation's context ends), or nil.
func (c *Conn) interrupted(ctx context.Context) error {
	if c.closing.Load() {
		return errClosed
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		c.closing.Store(true)
		return fmt.Errorf("gemini: connection closed: %w", ctxErr)
	}
	return nil
}
