package main

import (
	"context"
	"errors"
	"strings"
	"testing"

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
