package session

import (
	"context"
	"time"

	"github.com/adklive/adklive/event"
)

// Service stores sessions. Implementations are safe for concurrent use.
//
// Every method takes a context first and returns its error when it ends
// before the method is done. App names, user ids and session ids are
// arbitrary strings; services trim surrounding space from them, and an app
// name and a user id are always required.
type Service interface {
	// Create stores a new session and returns it. An empty SessionID gets
	// a random UUID. The "app:" and "user:" keys of the initial state
	// update the app's and the user's shared state; "temp:" keys are
	// dropped. If the user already has a session with that id in the app,
	// Create fails with ErrAlreadyExists.
	Create(ctx context.Context, req *CreateRequest) (*Session, error)

	// Get returns a copy of a session with its merged state and its
	// events, oldest first, filtered as req says. A missing session is
	// ErrNotFound.
	Get(ctx context.Context, req *GetRequest) (*Session, error)

	// List returns the sessions of an app, or of one user of the app,
	// with their merged state but without their events. No session is not
	// an error.
	List(ctx context.Context, req *ListRequest) (*ListResponse, error)

	// Delete removes a session and its events. The app's and the user's
	// shared state stay. A missing session is ErrNotFound.
	Delete(ctx context.Context, req *DeleteRequest) error

	// AppendEvent stores ev at the end of session s and applies its
	// Actions.StateDelta by scope, both or neither. It returns ev.
	//
	// A partial event (ev.Partial) is a chunk of a segment that a later
	// event carries whole: it is returned as is, and neither stored nor
	// applied.
	//
	// An event without an ID gets a random one and an event without a
	// Timestamp gets the current time; these are set on ev itself. The
	// stored copy shares no memory with ev and has no "temp:" keys in its
	// state delta; ev keeps them.
	//
	// s must be a value returned by this service, whose LastUpdateTime
	// tells which version of the session the caller has seen. If the
	// stored session was updated after that, AppendEvent fails with
	// ErrStale and writes nothing. On success AppendEvent updates s as
	// the stored session changed: ev is appended to s.Events, the state
	// delta (with its "temp:" keys) is applied to s.State and
	// s.LastUpdateTime is moved to the new, strictly later update time, so
	// the next append through s is not stale. Shared ("app:", "user:")
	// keys that other sessions changed since s was read are not refreshed
	// in s.State, and do not make s stale; Get returns them. A missing
	// session is ErrNotFound.
	AppendEvent(ctx context.Context, s *Session, ev *event.Event) (*event.Event, error)
}

// CreateRequest asks [Service.Create] for a new session.
type CreateRequest struct {
	// AppName names the app. Required.
	AppName string
	// UserID identifies the user. Required.
	UserID string
	// SessionID is the new session's id; empty means a random UUID.
	SessionID string
	// State is the initial state. Its "app:" and "user:" keys update the
	// app's and the user's shared state; its "temp:" keys are dropped. The
	// service copies it.
	State State
}

// GetRequest asks [Service.Get] for one session. The event filters
// combine: with both set, Get returns the events that pass both.
type GetRequest struct {
	// AppName names the app. Required.
	AppName string
	// UserID identifies the user. Required.
	UserID string
	// SessionID identifies the session. Required.
	SessionID string

	// NumRecentEvents, when positive, keeps only the most recent
	// NumRecentEvents events. Zero keeps them all; negative is an error.
	NumRecentEvents int
	// After, when not zero, keeps only the events whose Timestamp is at or
	// after it (ADK's after_timestamp).
	After time.Time
}

// ListRequest asks [Service.List] for the sessions of an app or of one of
// its users.
type ListRequest struct {
	// AppName names the app. Required.
	AppName string
	// UserID, when not empty, keeps only that user's sessions.
	UserID string
}

// ListResponse is the result of [Service.List].
type ListResponse struct {
	// Sessions are the matching sessions without their events, most
	// recently updated first; sessions updated at the same time are
	// ordered by user id, then session id.
	Sessions []*Session
}

// DeleteRequest asks [Service.Delete] to remove one session.
type DeleteRequest struct {
	// AppName names the app. Required.
	AppName string
	// UserID identifies the user. Required.
	UserID string
	// SessionID identifies the session. Required.
	SessionID string
}
