package runner_test

import (
	"context"
	"errors"
	"testing"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/livequeue"
)

func TestQueueCloseEndsRunWithoutError(t *testing.T) {
	h := newHarness(t, setup{})
	h.createSession(t, "u1", "s1")
	q := textQueue(t, "hello")
	res := h.run(t, t.Context(), "u1", "s1", q, textConfig(), closeAfterTurns(q, 1))
	if err := res.err(t); err != nil {
		t.Fatalf("RunLive after the queue closed: err = %v, want none", err)
	}
	waitClosedNormally(t, h.waitSession(t, 0))
}

func TestContextCancelEndsRunWithContextError(t *testing.T) {
	h := newHarness(t, setup{})
	h.createSession(t, "u1", "s1")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	q := textQueue(t, "hello")
	res := h.run(t, ctx, "u1", "s1", q, textConfig(), func(ev *event.Event) {
		if ev.TurnComplete {
			cancel()
		}
	})
	if err := res.err(t); !errors.Is(err, context.Canceled) {
		t.Fatalf("RunLive after cancel: err = %v, want context.Canceled", err)
	}
	if err := q.SendActivityEnd(); !errors.Is(err, livequeue.ErrClosed) {
		t.Errorf("sending into the queue of an ended run: err = %v, want livequeue.ErrClosed", err)
	}
	// The stored conversation still holds the turn completed before the
	// cancellation.
	if got := h.stored(t, "u1", "s1"); len(got) < 3 {
		t.Errorf("stored %d events, want the user text, the reply and turnComplete", len(got))
	}
}

func TestBreakEndsRun(t *testing.T) {
	h := newHarness(t, setup{})
	h.createSession(t, "u1", "s1")
	q := textQueue(t, "hello")
	seen := 0
	for ev, err := range h.runner.RunLive(t.Context(), "u1", "s1", q, textConfig()) {
		if err != nil {
			t.Fatalf("RunLive: %v", err)
		}
		seen++
		if ev.Partial {
			break // in the middle of the model's reply
		}
	}
	if seen == 0 {
		t.Fatal("the run yielded nothing before the break")
	}
	waitClosedNormally(t, h.waitSession(t, 0))
	if err := q.SendActivityEnd(); !errors.Is(err, livequeue.ErrClosed) {
		t.Errorf("sending after the break: err = %v, want livequeue.ErrClosed", err)
	}
}

func TestQueueServesOneRun(t *testing.T) {
	h := newHarness(t, setup{})
	h.createSession(t, "u1", "s1")

	t.Run("concurrent", func(t *testing.T) {
		q := textQueue(t, "hello")
		var second result
		res := h.run(t, t.Context(), "u1", "s1", q, textConfig(), func(ev *event.Event) {
			if ev.TurnComplete {
				// The queue is in use by the run being ranged over.
				second = h.run(t, t.Context(), "u1", "s1", q, textConfig(), nil)
				q.Close()
			}
		})
		if err := res.err(t); err != nil {
			t.Fatalf("first RunLive: %v", err)
		}
		if err := second.err(t); !errors.Is(err, livequeue.ErrClaimed) {
			t.Errorf("RunLive with a queue in use: err = %v, want livequeue.ErrClaimed", err)
		}
	})
	t.Run("after the run", func(t *testing.T) {
		q := textQueue(t, "hello")
		res := h.run(t, t.Context(), "u1", "s1", q, textConfig(), closeAfterTurns(q, 1))
		if err := res.err(t); err != nil {
			t.Fatalf("first RunLive: %v", err)
		}
		res = h.run(t, t.Context(), "u1", "s1", q, textConfig(), nil)
		err := res.err(t)
		if !errors.Is(err, livequeue.ErrClaimed) {
			t.Errorf("RunLive with a used queue: err = %v, want livequeue.ErrClaimed", err)
		}
	})
	if n := len(h.srv.Sessions()); n != 2 {
		t.Errorf("livetest saw %d connections, want one per successful run (2)", n)
	}
}

func TestMaxLLMCallsIsEnforced(t *testing.T) {
	h := newHarness(t, setup{})
	h.createSession(t, "u1", "s1")
	q := textQueue(t, "one")
	cfg := textConfig()
	cfg.MaxLLMCalls = 1
	turns := 0
	res := h.run(t, t.Context(), "u1", "s1", q, cfg, func(ev *event.Event) {
		if ev.TurnComplete {
			turns++
			// The user answers at once; the limit is reached, so this
			// turn must not reach the model.
			if err := q.SendContent(textContent("two")); err != nil && !errors.Is(err, livequeue.ErrClosed) {
				t.Error(err)
			}
		}
	})
	if err := res.err(t); !errors.Is(err, flow.ErrLLMCallsExceeded) {
		t.Fatalf("RunLive at MaxLLMCalls: err = %v, want flow.ErrLLMCallsExceeded", err)
	}
	if turns != 1 {
		t.Errorf("%d model turns completed, want exactly the 1 the limit allows", turns)
	}
	s := h.waitSession(t, 0)
	waitClosedNormally(t, s)
	for _, m := range s.Messages() {
		if cc := m.ClientContent; cc != nil && len(cc.Turns) > 0 && cc.Turns[0].Parts[0].Text == "two" {
			t.Error("a user turn sent after the limit was reached reached the model")
		}
	}
	stored := h.stored(t, "u1", "s1")
	if last := stored[len(stored)-1]; !last.TurnComplete {
		t.Errorf("last stored event %+v, want the turnComplete of the last allowed turn", last)
	}
}

func TestQueueClosedBeforeTheRunStillStartsIt(t *testing.T) {
	h := newHarness(t, setup{})
	h.createSession(t, "u1", "s1")
	q := textQueue(t, "sent before disconnecting")
	q.Close() // the client disconnected before the run started

	res := h.run(t, t.Context(), "u1", "s1", q, textConfig(), nil)

	if err := res.err(t); err != nil {
		t.Fatalf("RunLive with a closed, unclaimed queue: err = %v, want none", err)
	}
	s := h.waitSession(t, 0)
	waitClosedNormally(t, s)
	var sent []string
	for _, m := range s.Messages() {
		if cc := m.ClientContent; cc != nil {
			sent = append(sent, cc.Turns[0].Parts[0].Text)
		}
	}
	if len(sent) != 1 || sent[0] != "sent before disconnecting" {
		t.Errorf("the model received turns %q, want the one queued before the close", sent)
	}
	if stored := h.stored(t, "u1", "s1"); len(stored) == 0 || stored[0].Text() != "sent before disconnecting" {
		t.Errorf("stored %+v, want the user's turn first", summarize(stored))
	}
}
