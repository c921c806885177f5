package main

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
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
	before := runtime.NumGoroutine()
	for range 5 {
		talk()
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines after 5 closed connections, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
