package session

import (
	"fmt"
	"strings"
	"time"

	"github.com/adklive/adklive/event"
)

// Session is one conversation of a user with an app: its events, oldest
// first, and its state.
//
// A Session is a value the caller owns: services return fresh copies, and
// changing one changes nothing stored. To change a session, append an event
// with [Service.AppendEvent].
type Session struct {
	// AppName names the app the session belongs to.
	AppName string `json:"appName"`
	// UserID identifies the user within the app.
	UserID string `json:"userId"`
	// ID identifies the session among the user's sessions of the app.
	ID string `json:"id"`
	// State is the merged view of the app's, the user's and the session's
	// state; see [ScopeOf] for how keys are shared.
	State State `json:"state"`
	// Events are the stored events, oldest first. A service's Get may
	// return only some of them (see [GetRequest]); List returns none.
	Events []*event.Event `json:"events,omitempty"`
	// LastUpdateTime is when the session was created or last appended to.
	// It is the session's version for optimistic concurrency: every
	// successful append makes it strictly later, and appending through a
	// value whose LastUpdateTime is older than the stored one fails with
	// [ErrStale].
	LastUpdateTime time.Time `json:"lastUpdateTime"`
}

// applyEvent records in s an event the service has just stored: it appends
// ev to s.Events, applies every key of its state delta to s.State (temp:
// keys too, so the rest of the invocation sees them) and moves
// s.LastUpdateTime to updated.
func (s *Session) applyEvent(ev *event.Event, updated time.Time) {
	if len(ev.Actions.StateDelta) > 0 && s.State == nil {
		s.State = make(State, len(ev.Actions.StateDelta))
	}
	for k, v := range ev.Actions.StateDelta {
		s.State[k] = v
	}
	s.Events = append(s.Events, ev)
	s.LastUpdateTime = updated
}

// Key identifies one stored session: its app, user and id, trimmed of
// surrounding space. It is for implementations of [Service], which check
// every request's names the same way through [NewKey].
type Key struct {
	AppName, UserID, ID string
}

// String formats k for error messages.
func (k Key) String() string {
	return fmt.Sprintf("app %q, user %q, id %q", k.AppName, k.UserID, k.ID)
}

// NewKey trims its arguments and returns an error matching
// ErrInvalidArgument that names the missing one by the request field that
// carries it. idField names the id's field; when it is "" an empty id is
// accepted (Create generates one).
func NewKey(appName, userID, id, idField string) (Key, error) {
	k := Key{
		AppName: strings.TrimSpace(appName),
		UserID:  strings.TrimSpace(userID),
		ID:      strings.TrimSpace(id),
	}
	switch {
	case k.AppName == "":
		return Key{}, invalidArgument("AppName is required")
	case k.UserID == "":
		return Key{}, invalidArgument("UserID is required")
	case k.ID == "" && idField != "":
		return Key{}, invalidArgument("%s is required", idField)
	}
	return k, nil
}
