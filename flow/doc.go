// Package flow runs a live conversation: it connects a request queue to a
// live model connection, runs a send loop and a receive loop concurrently,
// maps server messages to events, executes tool calls, and reconnects.
//
// The flow talks to a model only through [Model] and [Conn], so it is
// tested with an in-process fake connection, and a new backend is one more
// package implementing [Model].
package flow
