package flow

import (
	"sync/atomic"
	"time"

	"github.com/adklive/adklive/event"
)

// stamper makes the events of one run.
type stamper struct {
	ids          eventIDs
	invocationID string
	branch       atomic.Pointer[string] // the current agent's
	sessionID    atomic.Pointer[string] // the current connection's
	metadata     map[string]any         // shared by every event; never modified
}

// setSessionID sets the server's session id of the current connection.
func (s *stamper) setSessionID(id string) { s.sessionID.Store(&id) }

// setBranch sets the branch of the events made from now on.
func (s *stamper) setBranch(b string) { s.branch.Store(&b) }

// event returns a new event by author with the run's identity fields set,
// a fresh ID and the current time (as event.New sets them).
func (s *stamper) event(author string) *event.Event {
	var sessionID, branch string
	if p := s.sessionID.Load(); p != nil {
		sessionID = *p
	}
	if p := s.branch.Load(); p != nil {
		branch = *p
	}
	return &event.Event{
		ID:             s.ids.next(),
		InvocationID:   s.invocationID,
		Author:         author,
		Timestamp:      time.Now().Truncate(time.Microsecond),
		Branch:         branch,
		CustomMetadata: s.metadata,
		LiveSessionID:  sessionID,
	}
}
