package livequeue_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/adklive/adklive/livequeue"
)

func TestTryReceive(t *testing.T) {
	q := livequeue.New()
	if r, ok, err := q.TryReceive(); ok || err != nil {
		t.Fatalf("TryReceive on an empty open queue = %+v, %v, %v; want nothing, false, nil", r, ok, err)
	}
	a, b := pcm(1), pcm(2)
	q.SendRealtime(a)
	q.SendRealtime(b)
	q.Close()
	var got []livequeue.Request
	for {
		r, ok, err := q.TryReceive()
		if errors.Is(err, livequeue.ErrClosed) {
			break
		}
		if err != nil || !ok {
			t.Fatalf("TryReceive = %+v, %v, %v while requests were queued", r, ok, err)
		}
		got = append(got, r)
	}
	want := []livequeue.Request{{Blob: a}, {Blob: b}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("closed queue drained by TryReceive (-want +got):\n%s", diff)
	}
}

func TestNotifyIsCalledAfterEachSendAndOnClose(t *testing.T) {
	q := livequeue.New()
	var calls []int // queue length seen by each call
	q.Notify(func() { calls = append(calls, q.Len()) })
	q.SendRealtime(pcm(1))
	q.SendContent(text("hi"))
	if err := q.SendRealtime(nil); err == nil {
		t.Fatal("SendRealtime(nil) succeeded")
	}
	q.Close()
	q.Close() // idempotent: no second call
	if err := q.SendRealtime(pcm(2)); !errors.Is(err, livequeue.ErrClosed) {
		t.Fatalf("send after Close = %v, want ErrClosed", err)
	}
	if diff := cmp.Diff([]int{1, 2, 2}, calls); diff != "" {
		t.Errorf("Notify calls, each with the queue's length (-want +got):\n%s", diff)
	}

	q2 := livequeue.New(livequeue.WithLimit(1))
	n := 0
	q2.Notify(func() { n++ })
	q2.SendRealtime(pcm(1))
	if err := q2.SendRealtime(pcm(2)); !errors.Is(err, livequeue.ErrFull) {
		t.Fatalf("send into a full queue = %v, want ErrFull", err)
	}
	q2.Notify(nil)
	q2.Close()
	if n != 1 {
		t.Errorf("Notify was called %d times for one queued request, a refused one and a close after Notify(nil); want 1", n)
	}
}

// A consumer that only runs when notified, with no goroutine of its own
// waiting, receives every request in order even when senders race with it.
func TestNotifiedConsumerMissesNothing(t *testing.T) {
	q := livequeue.New()
	var (
		mu       sync.Mutex
		running  bool
		ended    bool // the close was seen: no consumer starts again
		got      []byte
		done     = make(chan struct{})
		spawned  atomic.Int32
		consumer sync.WaitGroup
	)
	var drain func()
	drain = func() {
		defer consumer.Done()
		for {
			mu.Lock()
			r, ok, err := q.TryReceive()
			if !ok {
				running = false
				if errors.Is(err, livequeue.ErrClosed) {
					ended = true
					close(done)
				}
				mu.Unlock()
				return
			}
			mu.Unlock()
			got = append(got, r.Blob.Data[0])
		}
	}
	q.Notify(func() {
		mu.Lock()
		defer mu.Unlock()
		if !running && !ended {
			running = true
			spawned.Add(1)
			consumer.Add(1)
			go drain()
		}
	})
	const senders, each = 4, 50
	var wg sync.WaitGroup
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				q.SendRealtime(pcm(byte(s*each + i)))
			}
		}()
	}
	wg.Wait()
	q.Close()
	<-done
	consumer.Wait()
	if len(got) != senders*each {
		t.Fatalf("consumer received %d requests, want %d", len(got), senders*each)
	}
	last := make(map[int]int) // per sender, FIFO order is kept
	for _, v := range got {
		s, i := int(v)/each, int(v)%each
		if prev, ok := last[s]; ok && i <= prev {
			t.Fatalf("sender %d's request %d arrived after its request %d", s, i, prev)
		}
		last[s] = i
	}
	t.Logf("%d consumer goroutines started for %d requests", spawned.Load(), len(got))
}
