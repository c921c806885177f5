package session

import (
	"context"
	"errors"
	"strings"
)

// GetOrCreate returns the user's session sessionID of the app, creating it
// with the given initial state when it does not exist. The state is ignored
// when the session exists.
//
// Callers racing to create the same session all get it: the one whose
// Create lost reads the winner's session instead of failing. An empty
// sessionID always creates a new session with a random id.
func GetOrCreate(ctx context.Context, svc Service, appName, userID, sessionID string, state State) (*Session, error) {
	create := &CreateRequest{AppName: appName, UserID: userID, SessionID: sessionID, State: state}
	if strings.TrimSpace(sessionID) == "" {
		return svc.Create(ctx, create)
	}
	get := &GetRequest{AppName: appName, UserID: userID, SessionID: sessionID}
	s, err := svc.Get(ctx, get)
	if !errors.Is(err, ErrNotFound) {
		return s, err
	}
	s, err = svc.Create(ctx, create)
	if !errors.Is(err, ErrAlreadyExists) {
		return s, err
	}
	return svc.Get(ctx, get)
}
