package livetest

import "errors"

// ErrServerClosed is returned by Server.WaitSession when the server closes
// before the session it waits for arrives.
var ErrServerClosed = errors.New("livetest: server closed")

// ErrSessionEnded is returned by Session methods that wait or send when
// the session's connection has ended.
var ErrSessionEnded = errors.New("livetest: session ended")
