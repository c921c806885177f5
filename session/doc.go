// Package session stores the conversations of users with an app: each
// [Session] holds the events of a conversation and its key-value [State].
//
// A [Service] creates, reads, lists and deletes sessions and appends events
// to them. [InMemory] is the default service, for tests and single-process
// deployments; persistent services live in sub-packages, and every service
// passes the shared conformance suite in package sessiontest.
//
// # State scopes
//
// A state key's prefix says who shares it (see [ScopeOf]):
//
//   - "app:" keys are shared by every user and session of the app;
//   - "user:" keys are shared by every session of one user of the app;
//   - "temp:" keys are never stored: they live only in the event that set
//     them and in the caller's Session value, for the rest of the
//     invocation;
//   - keys without a prefix belong to one session.
//
// [Service.Get] returns the merged view: the app's, the user's and the
// session's keys together, each with its prefix.
//
// # Changing state
//
// State changes travel in events: [Service.AppendEvent] applies the event's
// Actions.StateDelta and stores the event in one step, so the history and
// the state never disagree. Writing to a Session's State map directly
// changes only that copy.
//
// # Concurrency
//
// Appends use optimistic concurrency. A Session value remembers when it was
// last updated ([Session.LastUpdateTime]); appending through a value that is
// older than the stored session fails with [ErrStale] instead of overwriting
// an update the caller has not seen. Get the session again and retry.
// AppendEvent refreshes the caller's value, so a run that appends through
// one value only ever sees ErrStale when someone else wrote in between.
package session
