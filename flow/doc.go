// Package flow runs a live conversation: it connects a request queue to a
// live model connection, sends the queue's requests while it receives the
// model's messages, maps server messages to events, and executes tool
// calls.
//
// [Run] is the entry point; the agent and runner packages call it for each
// live run, and [Persist] tells them which of its events belong in the
// session. [History] builds the conversation a connection is seeded with
// from a session's events.
//
// The flow talks to a model only through [Model] and [Conn], so it is
// tested with an in-process fake connection, and a new backend is one more
// package implementing [Model].
package flow
