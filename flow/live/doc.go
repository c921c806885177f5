// Package live is the contract between the live engine (package flow) and
// a model backend (package gemini, or an in-process fake in tests): [Model]
// opens connections, [Conn] is one open connection, [Response] is one
// server message, and [Retryable] and [Quota] classify the errors that end
// a connection.
//
// It is a leaf: it imports nothing of this module, so a backend depends
// on the contract alone, and an application names a model type
// (live.Model) without importing the engine.
package live
