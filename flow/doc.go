// Package flow runs a live conversation: it connects a request queue to a
// live model connection, sends the queue's requests while it receives the
// model's messages, maps server messages to events, and executes tool
// calls.
//
// [Run] is the entry point; the agent package calls it for each live run.
// [History] builds the conversation a connection is seeded with from a
// session's events.
//
// The flow talks to a model only through the contract of package
// [github.com/adklive/adklive/flow/live], so it is tested with an
// in-process fake connection, and a new backend is one more package
// implementing [live.Model].
package flow
