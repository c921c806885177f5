package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/session"
)

const (
	// maxQueued bounds the requests of one connection waiting for the
	// model: about a minute and a half of 100 ms audio chunks. A frame
	// beyond it is refused with an error frame; nothing queued is dropped.
	maxQueued = 1000
	// writeTimeout bounds one write to a client, so a client that stops
	// reading cannot hold its run (or a shutdown) forever.
	writeTimeout = 10 * time.Second
	// maxIDLength bounds user and session ids.
	maxIDLength = 128
)

// serveWebSocket runs one live conversation over a WebSocket (see the
// package documentation for the protocol).
func (s *server) serveWebSocket(w http.ResponseWriter, r *http.Request) {
	userID := strings.TrimSpace(r.PathValue("user_id"))
	sessionID := strings.TrimSpace(r.PathValue("session_id"))
	for _, p := range [...]struct{ name, id string }{{"user_id", userID}, {"session_id", sessionID}} {
		if p.id == "" || len(p.id) > maxIDLength || !utf8.ValidString(p.id) {
			http.Error(w, fmt.Sprintf("%s must be 1 to %d bytes of UTF-8", p.name, maxIDLength), http.StatusBadRequest)
			return
		}
	}
	opts, err := parseLiveOptions(r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if !s.enter() {
		http.Error(w, "the server is shutting down", http.StatusServiceUnavailable)
		return
	}
	defer s.leave()

	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: s.allowedOrigins})
	if err != nil {
		// Accept has answered (403 for a foreign origin).
		s.logger.Warn("WebSocket refused", "origin", r.Header.Get("Origin"), "host", r.Host, "err", err)
		return
	}
	ws.SetReadLimit(s.maxFrame)
	c := &liveConn{
		s:         s,
		ws:        ws,
		userID:    userID,
		sessionID: sessionID,
		opts:      opts,
		log:       s.logger.With("user_id", userID, "session_id", sessionID, "remote", r.RemoteAddr),
	}
	c.serve()
}

// liveConn is one WebSocket client and its live run.
type liveConn struct {
	s         *server
	ws        *websocket.Conn
	userID    string
	sessionID string
	opts      liveOptions
	log       *slog.Logger
}

// serve gets or creates the session, then runs the upstream (client to
// queue) and the downstream (run to client) concurrently until either ends.
// The queue is closed on every path; when serve returns, the run and the
// upstream goroutine have ended and the WebSocket is closed.
func (c *liveConn) serve() {
	start := time.Now()
	// The run ends at shutdown; reads and writes do not take that context,
	// since the WebSocket library drops a connection whose read or write
	// context ends, and a shutdown should close it with 1001 instead.
	runCtx, cancelRun := context.WithCancel(c.s.ctx)
	defer cancelRun()

	q := livequeue.New(livequeue.WithLimit(maxQueued))
	defer q.Close()

	if _, err := c.s.runner.GetOrCreateSession(runCtx, c.userID, c.sessionID); err != nil {
		if runCtx.Err() != nil {
			// The server began shutting down after it accepted this
			// connection: that is not a failure of the session.
			c.close(websocket.StatusGoingAway, "server shutting down")
			return
		}
		code := codeInternal
		if errors.Is(err, session.ErrInvalidArgument) {
			code = codeInvalidArgument
		}
		c.log.Error("get or create session failed", "err", err)
		c.writeFrame(errorFrame(code, err.Error()))
		c.close(websocket.StatusInternalError, "session unavailable")
		return
	}
	cfg, ignored := runConfigFor(c.s.model, c.s.backend, c.opts)
	if len(ignored) > 0 {
		c.log.Warn("query options ignored: only native-audio models on the Gemini API support them "+
			"(affective dialog is Gemini API only)", "ignored", ignored, "model", c.s.model)
	}
	c.log.Info("client connected", "modality", string(cfg.ResponseModality()),
		"proactivity", cfg.Proactivity != nil, "affective_dialog", cfg.EnableAffectiveDialog != nil)

	upstreamDone := make(chan struct{})
	go func() {
		defer close(upstreamDone)
		c.upstream(q)
	}()
	stopKeepalive := c.startKeepalive()
	status, reason := c.downstream(runCtx, q, cfg)
	vanished := stopKeepalive() // before the close, which a failing ping would cut short
	if !vanished {
		c.close(status, reason)
	}
	<-upstreamDone
	c.log.Info("client disconnected", "duration", time.Since(start).Round(time.Millisecond),
		"close", int(status), "reason", reason, "vanished", vanished)
}

// upstream reads client frames into the queue until the client goes away
// or the run ends. A frame it cannot use is answered with an error frame
// and skipped; the connection stays up.
func (c *liveConn) upstream(q *livequeue.Queue) {
	defer q.Close() // the client is gone: the run drains what it sent, then ends
	for {
		typ, data, err := c.ws.Read(context.Background())
		if err != nil {
			if status := websocket.CloseStatus(err); status == -1 {
				c.log.Debug("read ended", "err", err)
			} else {
				c.log.Debug("client closed", "code", int(status))
			}
			return
		}
		req, err := parseClientFrame(typ, data)
		if err != nil {
			c.log.Info("bad client frame", "problem", err, "bytes", len(data))
			c.writeFrame(errorFrame(codeInvalidArgument, err.Error()))
			continue
		}
		switch err := q.Send(req); {
		case err == nil:
		case errors.Is(err, livequeue.ErrClosed):
			return // the run is over
		case errors.Is(err, livequeue.ErrFull):
			c.writeFrame(errorFrame(codeResourceExhausted,
				fmt.Sprintf("%d frames are waiting for the model: this frame was dropped, the earlier ones are kept", q.Len())))
		default:
			c.writeFrame(errorFrame(codeInvalidArgument, err.Error()))
		}
	}
}

// downstream runs the agent live and sends each event as one JSON text
// frame. It returns how to close the WebSocket.
func (c *liveConn) downstream(ctx context.Context, q *livequeue.Queue, cfg runconfig.RunConfig) (websocket.StatusCode, string) {
	for ev, err := range c.s.runner.RunLive(ctx, c.userID, c.sessionID, q, cfg) {
		if err != nil {
			if ctx.Err() != nil {
				return websocket.StatusGoingAway, "server shutting down"
			}
			code := codeUnavailable
			if errors.Is(err, runconfig.ErrInvalid) || errors.Is(err, session.ErrInvalidArgument) {
				code = codeInvalidArgument
			}
			c.log.Error("live run failed", "err", err)
			c.writeFrame(errorFrame(code, err.Error()))
			return websocket.StatusInternalError, "live run failed"
		}
		data, err := json.Marshal(ev)
		if err != nil {
			c.log.Error("encoding an event", "err", err, "event_id", ev.ID)
			continue
		}
		if !c.writeFrame(data) {
			return websocket.StatusNormalClosure, "" // the client is gone; nothing to tell it
		}
	}
	return websocket.StatusNormalClosure, ""
}

// writeFrame sends one text frame and reports whether it was sent. It is
// safe to call from the upstream and downstream goroutines at once.
func (c *liveConn) writeFrame(data []byte) bool {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, data); err != nil {
		c.log.Debug("write failed", "err", err)
		return false
	}
	return true
}

// close ends the WebSocket with a close frame, waiting (boundedly) for the
// client's reply, which also ends the upstream's read.
func (c *liveConn) close(status websocket.StatusCode, reason string) {
	if err := c.ws.Close(status, reason); err != nil {
		c.log.Debug("close", "err", err)
	}
}

// parseLiveOptions reads the query string of the WebSocket URL. The flags
// accept the spellings FastAPI accepts in ADK's demo.
func parseLiveOptions(q url.Values) (liveOptions, error) {
	var opts liveOptions
	for _, p := range [...]struct {
		name string
		dst  *bool
	}{{"proactivity", &opts.proactivity}, {"affective_dialog", &opts.affectiveDialog}} {
		switch strings.ToLower(strings.TrimSpace(q.Get(p.name))) {
		case "", "false", "0", "no", "off", "f", "n":
		case "true", "1", "yes", "on", "t", "y":
			*p.dst = true
		default:
			return liveOptions{}, fmt.Errorf("query parameter %s=%q: want true or false", p.name, q.Get(p.name))
		}
	}
	return opts, nil
}
