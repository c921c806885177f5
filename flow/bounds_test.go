package flow_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/tool"
)

func TestConnectIsBounded(t *testing.T) {
	t.Run("no setupComplete: the attempt times out", func(t *testing.T) {
		_, p := newLive(t, fastReconnect(), livetest.WithoutSetupComplete())
		p.RunConfig.ConnectTimeout = 200 * time.Millisecond
		sendText(t, p, "Hi")
		res := collect(t, flow.Run(t.Context(), p))
		if res.err == nil || !strings.Contains(res.err.Error(), "ConnectTimeout") {
			t.Errorf("run ended with %v, want an error naming RunConfig.ConnectTimeout", res.err)
		}
	})
	t.Run("closing the queue ends a run that is connecting", func(t *testing.T) {
		_, p := newLive(t, fastReconnect(), livetest.WithoutSetupComplete())
		p.RunConfig.ConnectTimeout = time.Hour
		done := make(chan result, 1)
		go func() { done <- collect(t, flow.Run(t.Context(), p)) }()
		time.Sleep(50 * time.Millisecond) // let it dial: ending it is the point
		p.Queue.Close()
		select {
		case res := <-done:
			if res.err != nil {
				t.Errorf("run ended with %v, want no error", res.err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("closing the queue did not end the connecting run")
		}
	})
}

func TestToolIgnoringCancellationIsAbandonedAfterTheGracePeriod(t *testing.T) {
	release := make(chan struct{})
	srv, p := newLive(t, fastReconnect()) // its leak check runs after release is closed
	t.Cleanup(func() { close(release) })
	p.RunConfig.ToolGracePeriod = 50 * time.Millisecond
	started := make(chan struct{})
	stubborn, err := tool.NewFunction(tool.FunctionConfig{Name: "stubborn", Description: "Ignores its context."},
		func(tool.Context, map[string]any) (map[string]any, error) {
			close(started)
			<-release
			return nil, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	p.Tools = []tool.Tool{stubborn}
	srv.Reply(livetest.ToolCall(&genai.FunctionCall{Name: "stubborn"}))
	sendText(t, p, "Go")
	go func() {
		<-started
		p.Queue.Close()
	}()

	start := time.Now()
	res := collect(t, flow.Run(t.Context(), p))

	if res.err != nil {
		t.Errorf("run ended with %v", res.err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the run took %v to end with a stuck tool", d)
	}
	var warned bool
	for _, ev := range res.events {
		warned = warned || ev.Warning != nil && ev.Warning.Code == event.WarningToolAbandoned && strings.Contains(ev.Warning.Message, "stubborn")
	}
	if !warned {
		t.Errorf("no %s warning naming the tool:\n%s", event.WarningToolAbandoned, strings.Join(describeAll(res.events), "\n"))
	}
}

func TestStuckServerIsLeftForANewConnection(t *testing.T) {
	tests := []struct {
		name  string
		write bool   // stream audio into the stuck server
		cause string // what the started event's cause names
		set   func(*runconfig.RunConfig)
	}{
		{"writes block: the write deadline", true, "WriteTimeout", func(c *runconfig.RunConfig) {
			c.WriteTimeout, c.Keepalive = 200*time.Millisecond, -1
		}},
		{"silent socket: the keepalive", false, "keepalive", func(c *runconfig.RunConfig) {
			c.Keepalive = 200 * time.Millisecond
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, p := newLive(t, fastReconnect())
			tt.set(&p.RunConfig)
			sendText(t, p, "Hi")
			stop := make(chan struct{})
			var wg sync.WaitGroup
			var rc []*event.Event
			var runErr error
			for ev, err := range flow.Run(t.Context(), p) {
				if err != nil {
					runErr = err
					continue
				}
				switch {
				case ev.TurnComplete && len(rc) == 0:
					session(t, srv).StopReading()
					// The frame the server is waiting for is still read
					// (and pings with it): one more starts the stall.
					if err := p.Queue.SendRealtime(&genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: make([]byte, 320)}); err != nil {
						t.Error(err)
					}
					if tt.write {
						wg.Add(1)
						go func() { // silence, fast: the socket's buffers fill up
							defer wg.Done()
							for {
								select {
								case <-stop:
									return
								default:
								}
								if p.Queue.SendRealtime(&genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: make([]byte, 64000)}) != nil {
									return
								}
								time.Sleep(time.Millisecond)
							}
						}()
					}
				case ev.Reconnect != nil:
					rc = append(rc, ev)
					if ev.Reconnect.State != event.ReconnectStarted {
						close(stop)
						p.Queue.Close()
					}
				}
			}
			wg.Wait()
			srv.Close() // the stuck session ends with the server
			if runErr != nil {
				t.Fatalf("run ended with %v", runErr)
			}
			if len(rc) != 2 || !strings.Contains(rc[0].Reconnect.Cause, tt.cause) || rc[1].Reconnect.State != event.ReconnectSucceeded {
				t.Fatalf("reconnect events %s, want started (cause naming %s) then succeeded", describeAll(rc), tt.cause)
			}
		})
	}
}

func TestSessionLimitWarningWithoutCompression(t *testing.T) {
	_, p := newLive(t, fastReconnect())
	p.RunConfig.SessionLimitWarning = 15*time.Minute - 200*time.Millisecond // the audio-only limit comes in 200 ms
	var warning *event.Warning
	for ev, err := range flow.Run(t.Context(), p) {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Warning != nil {
			warning = ev.Warning
			p.Queue.Close()
		}
	}
	if warning == nil || warning.Code != event.WarningSessionLimit || !strings.Contains(warning.Message, "15m0s") {
		t.Errorf("warning %+v, want %s naming the 15-minute audio limit", warning, event.WarningSessionLimit)
	}
}

func TestHeldAudioIsBoundedAndTheDropReportedOnce(t *testing.T) {
	srv, p := newLive(t, fastReconnect())
	p.RunConfig.Reconnect.InitialBackoff, p.RunConfig.Reconnect.MaxBackoff = 300*time.Millisecond, time.Second
	p.RunConfig.MaxHeldAudioBytes = 10 * 320 // ten chunks
	sendText(t, p, "Hi")
	chunk := func(n int) *genai.Blob {
		data := make([]byte, 320)
		data[0] = byte(n)
		return &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: data}
	}
	var warnings []*event.Warning
	dropped := false
	for ev, err := range flow.Run(t.Context(), p) {
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case ev.TurnComplete && !dropped:
			dropped = true
			if err := session(t, srv).Send(t.Context(), livetest.Drop()); err != nil {
				t.Fatal(err)
			}
		case ev.Reconnect != nil && ev.Reconnect.State == event.ReconnectStarted:
			for n := range 50 {
				if err := p.Queue.SendRealtime(chunk(n)); err != nil {
					t.Fatal(err)
				}
			}
			sendText(t, p, "after the outage")
		case ev.Warning != nil:
			warnings = append(warnings, ev.Warning)
		case !ev.Partial && ev.Text() == "echo: after the outage":
			p.Queue.Close()
		}
	}
	if len(warnings) != 1 || warnings[0].Code != event.WarningHeldAudioDropped ||
		!strings.Contains(warnings[0].Message, "40 audio chunks (12800 bytes)") {
		t.Fatalf("warnings %+v, want one %s saying 40 chunks (12800 bytes) were dropped", warnings, event.WarningHeldAudioDropped)
	}
	var got []int
	for _, m := range waitSession(t, srv, 1).Messages() {
		if in := m.RealtimeInput; in != nil && in.Audio != nil {
			got = append(got, int(in.Audio.Data[0]))
		}
	}
	want := []int{40, 41, 42, 43, 44, 45, 46, 47, 48, 49}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("chunks delivered after the outage (-want +got), the newest ten:\n%s", diff)
	}
}
