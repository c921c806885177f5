package livequeue_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/livequeue"
)

// checkNoLeak fails the test if goroutines started during it are still
// running when it ends (after a grace period for them to exit).
func checkNoLeak(t *testing.T) {
	t.Helper()
	base := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > base {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				t.Errorf("goroutines leaked: %d running, %d before the test\n%s",
					runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(time.Millisecond)
		}
	})
}

// waitBlockedInReceive waits until n goroutines are parked inside
// Queue.Receive, so a test exercises the blocked path rather than racing
// past it.
func waitBlockedInReceive(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	buf := make([]byte, 1<<20)
	for {
		stacks := string(buf[:runtime.Stack(buf, true)])
		blocked := 0
		for _, g := range strings.Split(stacks, "\n\n") {
			if strings.Contains(g, "[select") && strings.Contains(g, "livequeue.(*Queue).Receive") {
				blocked++
			}
		}
		if blocked >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines blocked in Receive, want %d:\n%s", blocked, n, stacks)
		}
		runtime.Gosched()
	}
}

func text(s string) *genai.Content { return genai.NewContentFromText(s, genai.RoleUser) }

func pcm(b ...byte) *genai.Blob { return &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: b} }

// receiveAll receives until the queue reports ErrClosed.
func receiveAll(t *testing.T, q *livequeue.Queue) []livequeue.Request {
	t.Helper()
	var got []livequeue.Request
	for {
		r, err := q.Receive(context.Background())
		if errors.Is(err, livequeue.ErrClosed) {
			return got
		}
		if err != nil {
			t.Fatalf("Receive: %v", err)
		}
		got = append(got, r)
	}
}

func TestSendMethodsDeliverInOrder(t *testing.T) {
	q := livequeue.New()
	hello, chunk, frame := text("hello"), pcm(1, 2), &genai.Blob{MIMEType: "image/jpeg", Data: []byte{0xff, 0xd8}}
	both := livequeue.Request{Content: text("look at this"), Blob: frame}
	for i, send := range []func() error{
		q.SendActivityStart,
		func() error { return q.SendContent(hello) },
		func() error { return q.SendRealtime(chunk) },
		q.SendActivityEnd,
		q.SendAudioStreamEnd,
		func() error { return q.Send(both) },
	} {
		if err := send(); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if got, want := q.Len(), 6; got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
	q.Close()

	want := []livequeue.Request{
		{ActivityStart: true},
		{Content: hello},
		{Blob: chunk},
		{ActivityEnd: true},
		{AudioStreamEnd: true},
		both, // content and blob arrive together
	}
	if diff := cmp.Diff(want, receiveAll(t, q)); diff != "" {
		t.Errorf("received requests mismatch (-want +got):\n%s", diff)
	}
	if got := q.Len(); got != 0 {
		t.Errorf("Len() after draining = %d, want 0", got)
	}
}

func TestSendRejectsInvalidRequests(t *testing.T) {
	tests := []struct {
		name      string
		send      func(*livequeue.Queue) error
		wantInErr string
	}{
		{"nil content", func(q *livequeue.Queue) error { return q.SendContent(nil) }, "nil content"},
		{"content without parts", func(q *livequeue.Queue) error { return q.SendContent(&genai.Content{Role: genai.RoleUser}) }, "content has no parts"},
		{"nil part", func(q *livequeue.Queue) error {
			return q.SendContent(&genai.Content{Parts: []*genai.Part{{Text: "a"}, nil}})
		}, "content part 1 is nil"},
		{"nil blob", func(q *livequeue.Queue) error { return q.SendRealtime(nil) }, "nil blob"},
		{"blob without MIME type", func(q *livequeue.Queue) error { return q.SendRealtime(&genai.Blob{Data: []byte{1}}) }, "blob has no MIME type"},
		{"empty request", func(q *livequeue.Queue) error { return q.Send(livequeue.Request{}) }, "no content, blob or signal"},
		{"request with blob without MIME type", func(q *livequeue.Queue) error {
			return q.Send(livequeue.Request{Content: text("hi"), Blob: &genai.Blob{Data: []byte{1}}})
		}, "blob has no MIME type"},
		{"request with empty content", func(q *livequeue.Queue) error {
			return q.Send(livequeue.Request{Content: &genai.Content{}, ActivityEnd: true})
		}, "content has no parts"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := livequeue.New()
			first := text("accepted before")
			if err := q.SendContent(first); err != nil {
				t.Fatal(err)
			}
			err := tc.send(q)
			if !errors.Is(err, livequeue.ErrInvalidRequest) {
				t.Fatalf("send error = %v, want ErrInvalidRequest", err)
			}
			if !strings.Contains(err.Error(), tc.wantInErr) {
				t.Errorf("send error = %q, want it to say %q", err, tc.wantInErr)
			}
			// The rejected request is not queued and nothing queued is lost.
			q.Close()
			if diff := cmp.Diff([]livequeue.Request{{Content: first}}, receiveAll(t, q)); diff != "" {
				t.Errorf("queue after a rejected send (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRequestValidateAccepts(t *testing.T) {
	for _, r := range []livequeue.Request{
		{Content: text("hi")},
		{Blob: pcm()},
		{Content: text("hi"), Blob: pcm(1)},
		{ActivityStart: true},
		{ActivityEnd: true},
		{AudioStreamEnd: true},
		{ActivityStart: true, Blob: pcm(1), ActivityEnd: true},
	} {
		if err := r.Validate(); err != nil {
			t.Errorf("%+v.Validate() = %v, want nil", r, err)
		}
	}
}

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
	checkNoLeak(t)
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
	checkNoLeak(t)
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
	checkNoLeak(t)
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
		checkNoLeak(t)
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

func TestClaim(t *testing.T) {
	q := livequeue.New()
	if err := q.Claim(); err != nil {
		t.Fatalf("first Claim = %v, want nil", err)
	}
	if err := q.Claim(); !errors.Is(err, livequeue.ErrClaimed) {
		t.Errorf("second Claim = %v, want ErrClaimed", err)
	}
	q.Close()
	if err := q.Claim(); !errors.Is(err, livequeue.ErrClosed) {
		t.Errorf("Claim of a closed, claimed queue = %v, want ErrClosed", err)
	}

	unused := livequeue.New()
	unused.Close()
	if err := unused.Claim(); !errors.Is(err, livequeue.ErrClosed) {
		t.Errorf("Claim of a closed queue = %v, want ErrClosed", err)
	}
}

func TestWithLimit(t *testing.T) {
	q := livequeue.New(livequeue.WithLimit(2))
	for i := range 2 {
		if err := q.SendRealtime(pcm(byte(i))); err != nil {
			t.Fatalf("send %d into a queue with room: %v", i, err)
		}
	}
	if err := q.SendRealtime(pcm(2)); !errors.Is(err, livequeue.ErrFull) {
		t.Fatalf("send into a full queue = %v, want ErrFull", err)
	}
	if err := q.SendActivityEnd(); !errors.Is(err, livequeue.ErrFull) {
		t.Fatalf("signal into a full queue = %v, want ErrFull", err)
	}
	if r, err := q.Receive(context.Background()); err != nil || !cmp.Equal(r, livequeue.Request{Blob: pcm(0)}) {
		t.Fatalf("Receive = %+v, %v; want the first chunk", r, err)
	}
	if err := q.SendRealtime(pcm(3)); err != nil {
		t.Fatalf("send after making room: %v", err)
	}
	q.Close()
	if err := q.SendRealtime(pcm(4)); !errors.Is(err, livequeue.ErrClosed) {
		t.Errorf("send into a full closed queue = %v, want ErrClosed", err)
	}
	// The rejected chunk 2 is absent; everything accepted is kept, in order.
	want := []livequeue.Request{{Blob: pcm(1)}, {Blob: pcm(3)}}
	if diff := cmp.Diff(want, receiveAll(t, q)); diff != "" {
		t.Errorf("requests kept by a bounded queue (-want +got):\n%s", diff)
	}
}

func TestWithLimitZeroIsUnbounded(t *testing.T) {
	q := livequeue.New(livequeue.WithLimit(0))
	for i := range 5000 {
		if err := q.SendActivityEnd(); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
}

func TestWithLimitNegativePanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "WithLimit(-1)") {
			t.Errorf("WithLimit(-1) recovered %v, want a panic naming the call", r)
		}
	}()
	livequeue.WithLimit(-1)
}

// TestOrderAcrossGrowth interleaves sends and receives so the ring wraps
// around, grows while wrapped, and is released after a large burst.
func TestOrderAcrossGrowth(t *testing.T) {
	q := livequeue.New()
	var next, want int
	send := func(n int) {
		for range n {
			if err := q.SendContent(text(fmt.Sprint(next))); err != nil {
				t.Fatal(err)
			}
			next++
		}
	}
	recv := func(n int) {
		for range n {
			r, err := q.Receive(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Content.Parts[0].Text; got != fmt.Sprint(want) {
				t.Fatalf("received %s, want %d", got, want)
			}
			want++
		}
	}
	send(10)
	recv(7)
	send(30) // wraps, then grows while wrapped
	recv(20)
	send(3000) // a burst far beyond the first allocation
	recv(3013)
	send(5)
	recv(5)
	if got := q.Len(); got != 0 {
		t.Errorf("Len() = %d, want 0", got)
	}
}

// TestConcurrentSendersKeepOrder checks under -race that requests from
// many senders are all delivered once, each sender's in its own order.
func TestConcurrentSendersKeepOrder(t *testing.T) {
	checkNoLeak(t)
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
	checkNoLeak(t)
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
	checkNoLeak(t)
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
