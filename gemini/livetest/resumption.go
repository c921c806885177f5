package livetest

import (
	"fmt"
	"slices"
	"time"

	"github.com/coder/websocket"
	"google.golang.org/genai"
)

// resumePoint is what a session resumption handle restores.
type resumePoint struct {
	owner        *Session
	conversation []*genai.Content
}

// resumeWait is how long a resuming session waits for the connection that
// issued its handle to end before giving up, as the real server refuses to
// resume a session whose previous connection is still open.
const resumeWait = time.Second

// saveHandle stores the session's conversation under a new handle.
func (srv *Server) saveHandle(s *Session) string {
	handle := fmt.Sprintf("livetest-handle-%d", srv.nextSeq())
	srv.registerHandle(handle, s)
	return handle
}

// registerHandle stores the session's conversation under handle.
func (srv *Server) registerHandle(handle string, s *Session) {
	p := &resumePoint{owner: s, conversation: s.Conversation()}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	srv.handles[handle] = p
}

func (srv *Server) lookupHandle(handle string) (*resumePoint, bool) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	p, ok := srv.handles[handle]
	return p, ok
}

// resume restores the conversation named by setup's resumption handle, if
// any, and returns how to close the connection if it cannot.
func (s *Session) resume(setup *genai.LiveClientSetup) *CloseStatus {
	sr := setup.SessionResumption
	if sr == nil || sr.Handle == "" {
		return nil
	}
	p, ok := s.srv.lookupHandle(sr.Handle)
	if !ok {
		return invalid("Invalid value at 'setup.session_resumption.handle': unknown or expired session resumption handle.")
	}
	if p.owner != s {
		timer := time.NewTimer(resumeWait)
		defer timer.Stop()
		select {
		case <-p.owner.Done():
		case <-p.owner.stalled:
		case <-timer.C:
			return &CloseStatus{Code: websocket.StatusInternalError, Reason: "Internal error occurred."}
		case <-s.ctx.Done():
			return &CloseStatus{Code: websocket.StatusGoingAway, Reason: "server closed"}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resumedFrom = sr.Handle
	s.conversation = slices.Clone(p.conversation)
	return nil
}

// sendResumptionUpdate tells the client the newest handle. While tool calls
// are outstanding the session is not resumable and the handle is empty, as
// on the real server. lastConsumedClientMessageIndex is sent only with
// transparent resumption; it counts the client messages the model has
// consumed, setup being message 0.
func (s *Session) sendResumptionUpdate() error {
	setup := s.Setup()
	if setup == nil || setup.SessionResumption == nil {
		return nil
	}
	u := &genai.LiveServerSessionResumptionUpdate{}
	if s.tools.pending() == 0 {
		u.Resumable = true
		u.NewHandle = s.srv.saveHandle(s)
	}
	if setup.SessionResumption.Transparent {
		s.mu.Lock()
		u.LastConsumedClientMessageIndex = int64(s.consumed)
		s.mu.Unlock()
	}
	return s.writeMessage(&genai.LiveServerMessage{SessionResumptionUpdate: u})
}
