package main

import (
	"context"
	"errors"
	"time"
)

// The server pings every browser connection to find those that vanished:
// no close frame and no FIN reach the server when a laptop's lid closes or
// its network goes away, so without pings the connection, its live run and
// the model's connection would be held until a write to it timed out, or
// for ever while the conversation is quiet. Browsers answer pings by
// themselves; nothing in the page is involved.
//
// A ping that gets no pong within pongTimeout drops the connection. A
// connection that vanished is thus found within pingInterval + pongTimeout
// (1.5 s) of its last pong, and released at once: the upstream's read
// fails, which closes the run's queue, so the live run ends. A ping that
// cannot even be written in time, because a write to the client is stuck,
// counts as unanswered.
//
// The price is that a client whose network cannot carry a pong within a
// second (a frame in flight that takes longer to arrive, such as a
// multi-megabyte image on a slow uplink, delays the pong behind it) is
// dropped too; the page reconnects to the same session.
const (
	// pingInterval is the time between the end of one ping and the next.
	pingInterval = 500 * time.Millisecond
	// pongTimeout is how long a ping waits for its pong.
	pongTimeout = time.Second
)

// startKeepalive pings the client every pingInterval, concurrently with
// the upstream's reads (which receive the pongs), and drops the connection
// when a pong does not come within pongTimeout. It returns the function
// that stops the pings, waiting for a ping in flight (at most pongTimeout),
// and reports whether the client vanished.
func (c *liveConn) startKeepalive() (stop func() (vanished bool)) {
	quit := make(chan struct{})
	result := make(chan bool, 1)
	go func() { result <- c.keepalive(quit) }()
	return func() bool {
		close(quit)
		return <-result
	}
}

// keepalive pings until quit is closed or the connection ends, and
// reports whether it dropped the connection because the client vanished.
func (c *liveConn) keepalive(quit <-chan struct{}) bool {
	t := time.NewTimer(pingInterval)
	defer t.Stop()
	for {
		select {
		case <-quit:
			return false
		case <-t.C:
		}
		// Not derived from quit: the library drops a connection whose write
		// context ends mid-write, and stopping the pings must not.
		ctx, cancel := context.WithTimeout(context.Background(), pongTimeout)
		err := c.ws.Ping(ctx)
		cancel()
		switch {
		case err == nil:
			t.Reset(pingInterval)
		case errors.Is(err, context.DeadlineExceeded):
			c.log.Info("client vanished: no pong to a ping", "timeout", pongTimeout)
			c.ws.CloseNow() // ends the upstream's read and any write in progress
			return true
		default:
			return false // the connection is closed already
		}
	}
}
