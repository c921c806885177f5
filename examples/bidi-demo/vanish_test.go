package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/adklive/adklive/event"
)

// vanished is how many connections TestManyVanishedConnections lets
// vanish at once. BENCHMARKS.md's figures are measured with 300:
//
//	go test ./examples/bidi-demo -run TestManyVanishedConnections -v -count=1 -vanished 300
var vanished = flag.Int("vanished", 20, "connections TestManyVanishedConnections lets vanish at once")

// releaseLimit is the generous bound within which the server must release
// a vanished connection in the tests; the design bound is 2 s (see
// pingInterval and pongTimeout), and the tests print the measured time.
const releaseLimit = 5 * time.Second

// openConnections returns how many WebSocket handlers are running.
func (ts *testServer) openConnections() int {
	ts.srv.mu.Lock()
	defer ts.srv.mu.Unlock()
	return ts.srv.open
}

// waitOpen waits until at most n WebSocket handlers run, and returns how
// long that took, or fails the test after limit.
func (ts *testServer) waitOpen(t *testing.T, n int, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for ts.openConnections() > n {
		if time.Since(start) > limit {
			t.Fatalf("%d WebSocket connection(s) still held %v after they vanished, want at most %d",
				ts.openConnections(), limit, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

// A browser connection that vanishes (no close frame, no FIN: the laptop's
// lid closed) is released promptly, and its live run ends: the model's
// connection is closed too.
func TestVanishedConnectionIsReleased(t *testing.T) {
	for _, tt := range []struct {
		name  string
		model string
		// talk is what the client does before it vanishes.
		talk func(c *client)
	}{
		{"idle", audioModel, func(*client) {}},
		{"while the spoken reply streams", audioModel, func(c *client) {
			c.sendText("tell me a long story")
			c.until(isReply)
		}},
		{"after a text reply", textModel, func(c *client) {
			c.sendText("hello")
			c.until(turnComplete)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := startServer(t, tt.model)
			proxy := startDropProxy(t, strings.TrimPrefix(ts.url, "http://"))
			c := (&demo{url: proxy.url}).dial(t, "/ws/u1/s1")
			tt.talk(c)
			c.keepReading() // and so answer pings, as a browser does
			model, err := ts.backend.Server().WaitSession(t.Context(), 0)
			if err != nil {
				t.Fatal(err)
			}
			if n := ts.openConnections(); n != 1 {
				t.Fatalf("%d WebSocket handlers running, want 1", n)
			}

			proxy.freezeAll()
			took := ts.waitOpen(t, 0, releaseLimit)
			t.Logf("released %v after the connection vanished", took.Round(time.Millisecond))
			select {
			case <-model.Done():
			case <-time.After(releaseLimit):
				t.Fatal("the live run's model connection is still open after the browser connection was released")
			}
			if !strings.Contains(ts.logs.String(), "client vanished") {
				t.Error(`the server did not log "client vanished"`)
			}
		})
	}
}

// A live connection that keeps answering pings is kept however long it is
// quiet.
func TestQuietConnectionIsKept(t *testing.T) {
	ts := startServer(t, textModel)
	c := ts.dial(t, "/ws/u1/s1")
	// Read, as a browser does: the pongs are sent by the reader.
	readErr := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for {
			if _, _, err := c.ws.Read(ctx); err != nil {
				readErr <- err
				return
			}
		}
	}()
	time.Sleep(3 * (pingInterval + pongTimeout))
	if n := ts.openConnections(); n != 1 {
		t.Fatalf("%d WebSocket handlers running after %v of quiet, want 1", n, 3*(pingInterval+pongTimeout))
	}
	select {
	case err := <-readErr:
		t.Fatalf("the server ended the quiet connection: %v", err)
	default:
	}
	cancel()
	<-readErr
}

// After many connections vanish mid-reply at once, the server releases
// them all, and a new client is answered as quickly as before. The test
// logs the figures BENCHMARKS.md reports (run it with -vanished 300 for
// those): the release time, the new client's first reply before and after,
// the heap and the goroutines before and after.
func TestManyVanishedConnections(t *testing.T) {
	n := *vanished
	ts := startServer(t, audioModel)
	proxy := startDropProxy(t, strings.TrimPrefix(ts.url, "http://"))

	firstReply := func(session string) time.Duration {
		c := ts.dial(t, "/ws/fresh/"+session)
		start := time.Now()
		c.sendText("hello")
		c.until(isReply)
		took := time.Since(start)
		c.ws.CloseNow()
		return took
	}
	firstReply("warm-up")
	ts.waitOpen(t, 0, releaseLimit)
	heapBefore, goroutinesBefore := heapInUse(), runtime.NumGoroutine()
	replyBefore := firstReply("before")
	ts.waitOpen(t, 0, releaseLimit)

	// n clients through the proxy, each hearing a long spoken reply.
	through := &demo{url: proxy.url}
	replies := make([]<-chan struct{}, n)
	clients := make([]*client, n)
	for i := range n {
		clients[i] = through.dial(t, fmt.Sprintf("/ws/u%d/s1", i))
		replies[i] = clients[i].keepReading()
		clients[i].sendText("tell me a long story")
	}
	for i, r := range replies {
		select {
		case <-r:
		case <-time.After(20 * time.Second):
			t.Fatalf("client %d got no reply in 20 s", i)
		}
	}
	heapLive := heapInUse()

	proxy.freezeAll()
	vanishedAt := time.Now()
	replyAfter := firstReply("after") // directly, not through the frozen proxy
	ts.waitOpen(t, 0, 20*time.Second)
	released := time.Since(vanishedAt)
	for _, c := range clients {
		c.ws.CloseNow()
	}
	proxy.close() // its goroutines and buffers are not the server's
	replyLater := firstReply("later")
	ts.waitOpen(t, 0, releaseLimit)
	heapAfter, goroutinesAfter := heapInUse(), runtime.NumGoroutine()

	t.Logf("%d connections vanished mid-reply; all released within %v", n, released.Round(time.Millisecond))
	t.Logf("a new client's first reply: %v before, %v right after they vanished, %v once released",
		replyBefore.Round(time.Millisecond), replyAfter.Round(time.Millisecond), replyLater.Round(time.Millisecond))
	t.Logf("live heap: %.1f MiB before, %.1f MiB with %d talking, %.1f MiB after "+
		"(what stays: the %d stored sessions, and the simulator's record of every session it served)",
		mib(heapBefore), mib(heapLive), n, mib(heapAfter), n)
	t.Logf("goroutines: %d before, %d after", goroutinesBefore, goroutinesAfter)
}

// isReply reports whether ev is a piece of the agent's answer: text,
// audio, or the transcription of its speech.
func isReply(ev *event.Event) bool {
	return ev.Author == agentName && (ev.Content != nil || ev.OutputTranscription != nil)
}

// keepReading reads and discards the client's frames in a goroutine, as a
// browser reads, which also answers the server's pings, until the
// connection ends. The channel it returns is closed at the first reply.
func (c *client) keepReading() <-chan struct{} {
	replied := make(chan struct{})
	go func() {
		var once sync.Once
		for {
			_, data, err := c.ws.Read(context.Background())
			if err != nil {
				return
			}
			var ev event.Event
			if json.Unmarshal(data, &ev) == nil && isReply(&ev) {
				once.Do(func() { close(replied) })
			}
		}
	}()
	return replied
}

// heapInUse returns the bytes of live heap objects, after two garbage
// collections (the second empties what sync.Pools kept from the first).
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
