package live

import "errors"

// ErrRejected is matched (errors.Is) by a send error that refuses one
// message, judged before anything was written, while the connection
// stays open: the flow reports that message and goes on. Any other send
// error means the connection failed.
var ErrRejected = errors.New("live: message rejected")

// A backend's errors classify themselves by implementing these methods;
// the flow reads them through Retryable and Quota.
type (
	retryable interface{ Retryable() bool }
	quota     interface{ Quota() bool }
)

// Retryable reports whether err, or an error it wraps, says that opening a
// new connection (resuming the session when a handle exists) can continue
// the conversation: a dropped socket, an unexpected normal closure, a
// transient server error. Errors that do not classify themselves are not
// retryable.
func Retryable(err error) bool {
	var r retryable
	return errors.As(err, &r) && r.Retryable()
}

// Quota reports whether err, or an error it wraps, says a quota or rate
// limit refused the session: it may be retried after a longer back-off.
func Quota(err error) bool {
	var q quota
	return errors.As(err, &q) && q.Quota()
}
