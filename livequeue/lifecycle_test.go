package livequeue_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/adklive/adklive/livequeue"
)

func TestCloseSemantics(t *testing.T) {
	q := livequeue.New()
	for i := range 3 {
		if err := q.SendRealtime(pcm(byte(i))); err != nil {
			t.Fatal(err)
		}
	}
	q.Close()
	q.Close() // idempotent

	sends := map[string]func() error{
		"SendContent":        func() error { return q.SendContent(text("late")) },
		"SendRealtime":       func() error { return q.SendRealtime(pcm(9)) },
		"SendActivityStart":  q.SendActivityStart,
		"SendActivityEnd":    q.SendActivityEnd,
		"SendAudioStreamEnd": q.SendAudioStreamEnd,
		"Send":               func() error { return q.Send(livequeue.Request{ActivityEnd: true}) },
	}
	for name, send := range sends {
		if err := send(); !errors.Is(err, livequeue.ErrClosed) {
			t.Errorf("%s after Close = %v, want ErrClosed", name, err)
		}
	}

	want := []livequeue.Request{{Blob: pcm(0)}, {Blob: pcm(1)}, {Blob: pcm(2)}}
	if diff := cmp.Diff(want, receiveAll(t, q)); diff != "" {
		t.Errorf("drained after Close (-want +got):\n%s", diff)
	}
	for range 2 { // sticky
		if _, err := q.Receive(context.Background()); !errors.Is(err, livequeue.ErrClosed) {
			t.Errorf("Receive on a drained closed queue = %v, want ErrClosed", err)
		}
	}
}

func TestCloseConcurrentWithSends(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	q := livequeue.New()
	var (
		wg       sync.WaitGroup
		accepted [4]int
	)
	for s := range accepted {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if err := q.SendActivityEnd(); err != nil {
					if !errors.Is(err, livequeue.ErrClosed) {
						t.Errorf("sender %d: %v", s, err)
					}
					return
				}
				accepted[s]++
			}
		}()
	}
	for range 100 {
		if _, err := q.Receive(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	q.Close()
	wg.Wait()
	total := 0
	for _, n := range accepted {
		total += n
	}
	if got := 100 + len(receiveAll(t, q)); got != total {
		t.Errorf("received %d requests, senders had %d accepted", got, total)
	}
}

func TestReceiveWaitsForSend(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	q := livequeue.New()
	defer q.Close()
	got := make(chan livequeue.Request)
	go func() {
		r, err := q.Receive(context.Background())
		if err != nil {
			t.Errorf("Receive: %v", err)
		}
		got <- r
	}()
	waitBlockedInReceive(t, 1)
	if err := q.SendActivityStart(); err != nil {
		t.Fatal(err)
	}
	if r := <-got; !r.ActivityStart {
		t.Errorf("Receive = %+v, want the activity start", r)
	}
}

func TestCloseUnblocksReceive(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	q := livequeue.New()
	errc := make(chan error)
	go func() {
		_, err := q.Receive(context.Background())
		errc <- err
	}()
	waitBlockedInReceive(t, 1)
	q.Close()
	if err := <-errc; !errors.Is(err, livequeue.ErrClosed) {
		t.Errorf("blocked Receive after Close = %v, want ErrClosed", err)
	}
}

func TestReceiveContextDone(t *testing.T) {
	t.Run("cancelled with requests queued", func(t *testing.T) {
		q := livequeue.New()
		if err := q.SendContent(text("keep me")); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := q.Receive(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Receive(cancelled ctx) = %v, want context.Canceled", err)
		}
		r, err := q.Receive(context.Background())
		if err != nil || r.Content == nil || r.Content.Parts[0].Text != "keep me" {
			t.Errorf("Receive after a cancelled Receive = %+v, %v; want the queued content", r, err)
		}
	})
	t.Run("cancelled while blocked", func(t *testing.T) {
		ignore := goleak.IgnoreCurrent()
		t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
		q := livequeue.New()
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error)
		go func() {
			_, err := q.Receive(ctx)
			errc <- err
		}()
		waitBlockedInReceive(t, 1)
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Fatalf("blocked Receive after cancel = %v, want context.Canceled", err)
		}
		// The queue still works and delivers what is sent next.
		if err := q.SendAudioStreamEnd(); err != nil {
			t.Fatal(err)
		}
		if r, err := q.Receive(context.Background()); err != nil || !r.AudioStreamEnd {
			t.Errorf("Receive = %+v, %v; want the audio stream end", r, err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		q := livequeue.New()
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		if _, err := q.Receive(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Receive(expired ctx) = %v, want context.DeadlineExceeded", err)
		}
	})
}
