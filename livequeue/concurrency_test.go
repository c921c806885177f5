package livequeue_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/adklive/adklive/livequeue"
)

// TestConcurrentSendersKeepOrder checks under -race that requests from
// many senders are all delivered once, each sender's in its own order.
func TestConcurrentSendersKeepOrder(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	const senders, perSender = 8, 2000
	q := livequeue.New()

	var wg sync.WaitGroup
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perSender {
				if err := q.SendRealtime(pcm(byte(s), byte(i>>8), byte(i))); err != nil {
					t.Errorf("sender %d, chunk %d: %v", s, i, err)
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		q.Close()
	}()

	next := make([]int, senders)
	for _, r := range receiveAll(t, q) {
		d := r.Blob.Data
		s, i := int(d[0]), int(d[1])<<8|int(d[2])
		if i != next[s] {
			t.Fatalf("sender %d: received chunk %d, want %d", s, i, next[s])
		}
		next[s]++
	}
	for s, n := range next {
		if n != perSender {
			t.Errorf("sender %d: received %d chunks, want %d", s, n, perSender)
		}
	}
}

// TestConcurrentReceivers checks that with several receivers every
// request is delivered exactly once and no receiver is left waiting while
// requests are queued.
func TestConcurrentReceivers(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	const receivers, total = 4, 5000
	q := livequeue.New()

	var (
		mu   sync.Mutex
		seen = make(map[int]int)
		wg   sync.WaitGroup
	)
	for range receivers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				r, err := q.Receive(context.Background())
				if errors.Is(err, livequeue.ErrClosed) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				d := r.Blob.Data
				mu.Lock()
				seen[int(d[0])<<8|int(d[1])]++
				mu.Unlock()
			}
		}()
	}
	for i := range total {
		if err := q.SendRealtime(pcm(byte(i>>8), byte(i))); err != nil {
			t.Fatal(err)
		}
	}
	q.Close()
	wg.Wait()

	if len(seen) != total {
		t.Errorf("received %d distinct requests, want %d", len(seen), total)
	}
	for i, n := range seen {
		if n != 1 {
			t.Errorf("request %d delivered %d times", i, n)
		}
	}
}

// TestBlockedReceiversAllWake checks that when several receivers wait and
// as many requests arrive, every receiver gets one: a wake-up is never
// swallowed while requests are queued.
func TestBlockedReceiversAllWake(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	const receivers, rounds = 4, 50
	q := livequeue.New()
	defer q.Close()
	for range rounds {
		got := make(chan livequeue.Request, receivers)
		for range receivers {
			go func() {
				r, err := q.Receive(context.Background())
				if err != nil {
					t.Error(err)
				}
				got <- r
			}()
		}
		waitBlockedInReceive(t, receivers)
		for range receivers {
			if err := q.SendActivityEnd(); err != nil {
				t.Fatal(err)
			}
		}
		for i := range receivers {
			select {
			case <-got:
			case <-time.After(10 * time.Second):
				t.Fatalf("only %d of %d blocked receivers got a request; %d requests still queued", i, receivers, q.Len())
			}
		}
	}
}
