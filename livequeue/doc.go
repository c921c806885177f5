// Package livequeue provides [Queue], the request queue that carries user
// input into one live run: text turns, realtime audio and video chunks, and
// activity signals.
//
// Any number of goroutines may send into a queue; a send never blocks
// waiting for the run and requests are delivered in the order they were
// sent. The run receives requests with [Queue.Receive], or with
// [Queue.TryReceive] when [Queue.Notify] tells it requests are waiting.
// Closing the queue ends the run: requests already queued are still
// delivered, then the receive methods report [ErrClosed].
//
// Input the run could not send is refused by the send itself, with an
// error matching [ErrInvalidRequest] that says what was wrong: a blob
// that is neither audio nor an image, PCM audio with an odd number of
// bytes, and, once a run has claimed the queue with its own check
// ([WithCheck]), what that run refuses, such as activity signals while
// automatic activity detection is on.
//
// A queue serves exactly one live run: the run claims it with [Queue.Claim],
// and a queue that a run claimed cannot start another run, even once that
// run has ended. A queue closed before any run claimed it can still be
// claimed: the run receives what was queued before the close, then ends
// normally. Make a new queue for every connection.
package livequeue
