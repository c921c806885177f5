package flow_test

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/gemini/livetest"
)

// flowGoroutines returns the stacks of the goroutines the flow package
// started.
func flowGoroutines() []string {
	buf := make([]byte, 1<<20)
	var out []string
	for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
		if strings.Contains(g, "created by github.com/adklive/adklive/flow.") {
			out = append(out, g)
		}
	}
	return out
}

// waitFlowGoroutines waits until the flow runs want goroutines, and fails
// the test with their stacks if it does not within a few seconds.
func waitFlowGoroutines(t *testing.T, want int, when string) {
	t.Helper()
	var got []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if got = flowGoroutines(); len(got) == want {
			return
		}
	}
	t.Fatalf("%s: the run has %d goroutines of its own, want %d:\n%s", when, len(got), want, strings.Join(got, "\n\n"))
}

// An idle run costs one goroutine, its receive loop: requests are sent by
// a goroutine that exists only while the queue holds some, however many
// turns the run has had.
func TestLiveIdleRunKeepsOneGoroutine(t *testing.T) {
	srv, p := newLive(t, textConfig)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := make(chan *event.Event)
	ended := make(chan error, 1)
	go func() {
		var err error
		for ev, e := range flow.Run(ctx, p) {
			if e != nil {
				err = e
				break
			}
			events <- ev
		}
		close(events)
		ended <- err
	}()
	turn := func(text string) {
		t.Helper()
		srv.Reply(livetest.Text("ok"))
		if err := p.Queue.SendContent(genai.NewContentFromText(text, genai.RoleUser)); err != nil {
			t.Fatal(err)
		}
		for ev := range events {
			if ev.TurnComplete {
				return
			}
		}
	}

	session(t, srv)
	waitFlowGoroutines(t, 1, "connected, nothing sent")
	for i := range 3 {
		turn("hello")
		waitFlowGoroutines(t, 1, "after turn "+string(rune('1'+i)))
	}
	for range 50 { // a burst of audio, then silence
		if err := p.Queue.SendRealtime(&genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: make([]byte, 320)}); err != nil {
			t.Fatal(err)
		}
	}
	turn("and now?")
	waitFlowGoroutines(t, 1, "after a burst of audio and a turn")

	p.Queue.Close()
	go func() {
		for range events {
		}
	}()
	if err := <-ended; err != nil {
		t.Fatalf("run ended with %v after the queue closed", err)
	}
	waitFlowGoroutines(t, 0, "after the run ended")
}
