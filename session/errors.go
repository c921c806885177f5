package session

import (
	"errors"
	"fmt"
)

var (
	// ErrNotFound reports that no session has the requested app, user and
	// id. Its message contains "session not found".
	ErrNotFound = errors.New("session not found")

	// ErrAlreadyExists reports that Create was asked for an id the user
	// already has in the app.
	ErrAlreadyExists = errors.New("session already exists")

	// ErrStale reports that an append went through a Session value older
	// than the stored session: someone else appended since the caller read
	// it. Nothing was written. Get the session again and retry.
	ErrStale = errors.New("session is stale")

	// ErrInvalidArgument reports a request the service cannot act on, such
	// as a missing app name. The wrapping error names what was wrong.
	ErrInvalidArgument = errors.New("session: invalid argument")
)

// invalidArgument returns an error wrapping ErrInvalidArgument that says
// what was wrong.
func invalidArgument(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidArgument, fmt.Sprintf(format, args...))
}

// notFound returns an error wrapping ErrNotFound that names the session.
func notFound(k Key) error {
	return fmt.Errorf("%w: %v", ErrNotFound, k)
}

// alreadyExists returns an error wrapping ErrAlreadyExists that names the
// session.
func alreadyExists(k Key) error {
	return fmt.Errorf("%w: %v", ErrAlreadyExists, k)
}
