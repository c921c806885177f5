package livetest

import (
	"errors"
	"time"

	"github.com/coder/websocket"
	"google.golang.org/genai"
)

// serve runs the session on the handler's goroutine: it reads client
// frames until the connection ends, then tears the session down.
func (s *Session) serve(authFailure *CloseStatus) {
	defer s.finish()
	s.log.Info("livetest: connection", "path", s.path, "backend", s.Backend().String())
	switch {
	case authFailure != nil:
		s.markReady()
		s.closeWith(authFailure.Code, authFailure.Reason)
		s.discardUntilClosed()
	case s.srv.cfg.replayEnabled:
		s.serveReplay(s.srv.cfg.replay)
	default:
		s.serveLive()
	}
}

// serveLive handles setup, then feeds every message to the model engine.
func (s *Session) serveLive() {
	msg, ok, err := s.next()
	if !ok {
		return
	}
	if err != nil {
		s.reject(websocket.StatusInvalidFramePayloadData, err.Error())
		return
	}
	if msg.Setup == nil {
		s.reject(websocket.StatusInvalidFramePayloadData, "Invalid request: the first message must be setup.")
		return
	}
	s.mu.Lock()
	s.setup = msg.Setup
	s.mu.Unlock()
	if bad := checkSetup(s.Backend(), msg.Setup); bad != nil {
		s.reject(bad.Code, bad.Reason)
		return
	}
	if bad := s.resume(msg.Setup); bad != nil {
		s.reject(bad.Code, bad.Reason)
		return
	}
	s.log.Info("livetest: setup", "model", msg.Setup.Model)
	if s.srv.cfg.noSetupReply {
		s.markReady()
		s.recordUntilClosed()
		return
	}
	complete := &genai.LiveServerSetupComplete{}
	if s.Backend() == genai.BackendVertexAI {
		complete.SessionID = s.id
	}
	if err := s.writeMessage(&genai.LiveServerMessage{SetupComplete: complete}); err != nil {
		s.markReady()
		return
	}
	if msg.Setup.SessionResumption != nil {
		if err := s.sendResumptionUpdate(); err != nil {
			s.markReady()
			return
		}
	}
	s.engine = newEngine(s, msg.Setup)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.engine.run(s.ctx)
	}()
	s.markReady()

	rules := newMessageRules(s.Backend(), msg.Setup)
	for {
		msg, ok, err := s.next()
		if !ok {
			return
		}
		if err != nil {
			s.closeWith(websocket.StatusInvalidFramePayloadData, err.Error())
			continue
		}
		if bad := rules.check(msg); bad != nil {
			s.closeWith(bad.Code, bad.Reason)
			continue
		}
		s.engine.push(msg)
	}
}

// reject closes the connection after a bad first message.
func (s *Session) reject(code websocket.StatusCode, reason string) {
	s.markReady()
	s.closeWith(code, reason)
	s.discardUntilClosed()
}

// read returns the next data frame, or false when the connection has
// ended. Frames that arrive after the server started closing are dropped,
// as the real server ignores them.
func (s *Session) read() ([]byte, bool) {
	for {
		select {
		case <-s.stalled:
			s.waitClosing()
			return nil, false
		default:
		}
		_, data, err := s.conn.Read(s.ctx)
		if err != nil {
			s.noteReadError(err)
			return nil, false
		}
		if s.isClosing() {
			continue
		}
		return data, true
	}
}

// discardUntilClosed reads until the connection ends, so the closing
// handshake can complete and the client's close frame is seen.
func (s *Session) discardUntilClosed() {
	for {
		if _, ok := s.read(); !ok {
			return
		}
	}
}

// recordUntilClosed records every message until the connection ends.
func (s *Session) recordUntilClosed() {
	for {
		if _, ok, _ := s.next(); !ok {
			return
		}
	}
}

// next reads the next client message and records it. ok is false once the
// connection has ended. A frame that does not decode is recorded with only
// Raw set, and err says why it did not decode.
func (s *Session) next() (msg ClientMessage, ok bool, err error) {
	data, ok := s.read()
	if !ok {
		return ClientMessage{}, false, nil
	}
	msg, err = decodeClientMessage(data)
	if err != nil {
		msg = ClientMessage{Raw: data}
	}
	s.record(msg)
	return msg, true, err
}

// noteReadError records the close frame with which the client ended the
// session, if the read ended with one. A reply to the server's own close
// frame is not recorded: whether the reader or the closing handshake
// consumes it is up to timing.
func (s *Session) noteReadError(err error) {
	var ce websocket.CloseError
	if !errors.As(err, &ce) {
		s.log.Debug("livetest: connection ended", "err", err)
		return
	}
	s.mu.Lock()
	if s.clientClose == nil && s.serverClose == nil {
		s.clientClose = &CloseStatus{Code: ce.Code, Reason: ce.Reason}
	}
	s.mu.Unlock()
	s.log.Info("livetest: client closed", "code", int(ce.Code), "reason", ce.Reason)
}

// finish tears the session down once reading has stopped.
func (s *Session) finish() {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.cancel()
	_ = s.conn.CloseNow()
	s.wg.Wait()
	s.markReady()
	s.tools.cancelAll()
	s.mu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
	close(s.done)
	s.srv.mu.Lock()
	s.srv.notifyLocked()
	s.srv.mu.Unlock()
}

// serveReplay serves the server side of a recording.
func (s *Session) serveReplay(frames []RecordedFrame) {
	s.markReady()
	pos := 0
	sendServerFrames := func() bool {
		for pos < len(frames) && !frames[pos].FromClient {
			if err := s.writeFrame(frames[pos].Data); err != nil {
				return false
			}
			pos++
		}
		return true
	}
	if !sendServerFrames() {
		return
	}
	for {
		msg, ok, _ := s.next()
		if !ok {
			return
		}
		if msg.Setup != nil {
			s.mu.Lock()
			if s.setup == nil {
				s.setup = msg.Setup
			}
			s.mu.Unlock()
		}
		if pos < len(frames) && frames[pos].FromClient {
			pos++
			if !sendServerFrames() {
				return
			}
		}
	}
}

// waitClosing blocks a session that stopped reading until the server
// closes it or its context ends.
func (s *Session) waitClosing() {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !s.isClosing() {
		select {
		case <-s.ctx.Done():
			return
		case <-tick.C:
		}
	}
}
