package runner_test

import (
	"errors"
	"strings"
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/livequeue"
)

// Once a run has started, its queue refuses at the send what the run
// could not send, saying why; what it can send still goes through.
func TestRunningQueueRefusesWhatTheRunCannotSend(t *testing.T) {
	h := newHarness(t, setup{})
	h.createSession(t, "u1", "s1")
	q := textQueue(t, "hello")
	type refusal struct {
		name string
		send func() error
		want string
	}
	refusals := []refusal{
		{"activity start with automatic VAD", q.SendActivityStart,
			"activity start signal refused: activity signals need RealtimeInputConfig.AutomaticActivityDetection.Disabled set to true"},
		{"activity end with automatic VAD", q.SendActivityEnd,
			"activity end signal refused: activity signals need RealtimeInputConfig.AutomaticActivityDetection.Disabled set to true"},
		{"text blob", func() error { return q.SendRealtime(&genai.Blob{MIMEType: "text/plain", Data: []byte("hi")}) },
			`blob of MIME type "text/plain"`},
		{"video blob", func() error { return q.SendRealtime(&genai.Blob{MIMEType: "video/mp4", Data: []byte{0, 0}}) },
			`blob of MIME type "video/mp4"`},
		{"odd-length PCM audio", func() error {
			return q.SendRealtime(&genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: make([]byte, 321)})
		}, "has 321 bytes, an odd number"},
	}
	var errs []error
	turns := 0
	res := h.run(t, t.Context(), "u1", "s1", q, textConfig(), func(ev *event.Event) {
		if !ev.TurnComplete {
			return
		}
		turns++
		if turns == 1 {
			for _, r := range refusals {
				errs = append(errs, r.send())
			}
			// The run goes on: a turn sent after the refusals is answered.
			if err := q.SendContent(textContent("still there?")); err != nil {
				t.Errorf("SendContent after the refusals: %v", err)
			}
			return
		}
		q.Close()
	})
	if err := res.err(t); err != nil {
		t.Fatalf("RunLive: %v", err)
	}
	for i, r := range refusals {
		err := errs[i]
		if !errors.Is(err, livequeue.ErrInvalidRequest) || !strings.Contains(err.Error(), r.want) {
			t.Errorf("%s: send = %v, want an ErrInvalidRequest saying %q", r.name, err, r.want)
		}
	}
	for _, ev := range res.events {
		if ev.ErrorCode != "" {
			t.Errorf("the run reported %s %q: refused input must not reach the run", ev.ErrorCode, ev.ErrorMessage)
		}
	}
	if turns != 2 {
		t.Errorf("the run completed %d turns, want 2: the one before the refusals and the one after", turns)
	}
	for _, m := range h.waitSession(t, 0).Messages() {
		if ri := m.RealtimeInput; ri != nil {
			t.Errorf("the server received realtime input %+v; every realtime send was refused", ri)
		}
	}
}

// With automatic activity detection disabled the run's queue accepts
// activity signals.
func TestRunningQueueAcceptsActivitySignalsWithManualVAD(t *testing.T) {
	h := newHarness(t, setup{})
	h.createSession(t, "u1", "s1")
	q := textQueue(t, "hello")
	cfg := textConfig()
	cfg.RealtimeInputConfig = &genai.RealtimeInputConfig{
		AutomaticActivityDetection: &genai.AutomaticActivityDetection{Disabled: true},
	}
	var startErr, endErr error
	sent := false
	res := h.run(t, t.Context(), "u1", "s1", q, cfg, func(ev *event.Event) {
		// Once: the signals make a second turn, which may complete
		// before the closed queue ends the run.
		if ev.TurnComplete && !sent {
			sent = true
			startErr, endErr = q.SendActivityStart(), q.SendActivityEnd()
			q.Close()
		}
	})
	if err := res.err(t); err != nil {
		t.Fatalf("RunLive: %v", err)
	}
	if startErr != nil || endErr != nil {
		t.Errorf("SendActivityStart, SendActivityEnd = %v, %v; want both accepted with automatic activity detection disabled", startErr, endErr)
	}
}
