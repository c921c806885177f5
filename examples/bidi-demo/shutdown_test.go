package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"
)

func TestShutdownClosesEveryOpenConnection(t *testing.T) {
	d := startDemo(t) // audio model: replies are still streaming at shutdown
	talking := d.dial(t, "/ws/u1/s1")
	talking.sendText("say something long")
	talking.next() // the run is live
	idle := d.dial(t, "/ws/u2/s1")

	// The clients keep reading, as a browser does, so they answer the
	// server's close frame.
	ended := map[string]chan error{}
	for name, c := range map[string]*client{"talking": talking, "idle": idle} {
		ch := make(chan error, 1)
		ended[name] = ch
		go func() {
			for {
				if _, _, err := c.ws.Read(context.Background()); err != nil {
					ch <- err
					return
				}
			}
		}()
	}

	if err := d.stop(t); err != nil {
		t.Fatalf("run returned %v after a graceful shutdown", err)
	}
	for name, ch := range ended {
		err := <-ch
		var ce websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != websocket.StatusGoingAway || ce.Reason != "server shutting down" {
			t.Errorf("%s client: read ended with %v, want close 1001 \"server shutting down\"", name, err)
		}
	}
	if _, _, err := d.tryDial("/ws/u3/s1", nil); err == nil {
		t.Error("a new connection was accepted after shutdown")
	}
	if !strings.Contains(d.logs.String(), "shutting down") {
		t.Error("the shutdown was not logged")
	}
}

func TestClosedConnectionsLeaveNoGoroutines(t *testing.T) {
	d := startDemo(t, "-model", textModel)
	talk := func() {
		c := d.dial(t, "/ws/u1/s1")
		c.sendText("hi")
		c.until(turnComplete)
		c.ws.Close(websocket.StatusNormalClosure, "")
	}
	talk() // warm up the server's shared goroutines
	before := goleak.IgnoreCurrent()
	for range 5 {
		talk()
	}
	goleak.VerifyNone(t, before)
}

// A WebSocket that arrives while the server shuts down is refused, or
// closed with 1001 (going away) if it got in just before; never failed as
// an internal error.
func TestConnectionsArrivingDuringShutdownAreNotFailures(t *testing.T) {
	t.Run("accepted as the runs end", func(t *testing.T) {
		ts := startServer(t, textModel)
		ts.srv.endRuns() // the shutdown has begun, but after this connection was let in
		c := ts.dial(t, "/ws/u1/s1")
		for {
			f, err := c.tryNext()
			if err != nil {
				var ce websocket.CloseError
				if !errors.As(err, &ce) || ce.Code != websocket.StatusGoingAway {
					t.Errorf("read ended with %v, want close 1001 (going away)", err)
				}
				return
			}
			if isError(f.ev) {
				t.Errorf("the client got the error frame %s; want only the close 1001", f.raw)
			}
		}
	})
	t.Run("arriving after the shutdown began", func(t *testing.T) {
		ts := startServer(t, textModel)
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		if err := ts.srv.shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		c, resp, err := ts.tryDial("/ws/u1/s1", nil)
		if err == nil {
			c.CloseNow()
			t.Fatal("a WebSocket was accepted after the shutdown began")
		}
		if resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("dial during shutdown: %v, want HTTP 503", err)
		}
	})
}

func TestShutdownGivesUpAtItsDeadline(t *testing.T) {
	ts := startServer(t, textModel)
	c := ts.dial(t, "/ws/u1/s1")
	// The client never reads, so it never answers the server's close frame:
	// the handler waits for it, past the shutdown's deadline.
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	err := ts.srv.shutdown(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "1 WebSocket connection") {
		t.Errorf("shutdown with a client that does not answer = %v, want a deadline error naming 1 open connection", err)
	}
	c.ws.CloseNow() // lets the handler end
}
