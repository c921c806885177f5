package live

import "errors"

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
