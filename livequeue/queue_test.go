package livequeue_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/livequeue"
)

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
		{"text blob", func(q *livequeue.Queue) error {
			return q.SendRealtime(&genai.Blob{MIMEType: "text/plain", Data: []byte("hi")})
		}, `blob of MIME type "text/plain": realtime input takes audio/* chunks and image/* frames`},
		{"video blob", func(q *livequeue.Queue) error {
			return q.SendRealtime(&genai.Blob{MIMEType: "video/mp4", Data: []byte{0, 0, 0, 0x18}})
		}, `blob of MIME type "video/mp4": realtime input takes audio/* chunks and image/* frames (send video as a stream of image frames`},
		{"MIME type without a slash", func(q *livequeue.Queue) error {
			return q.SendRealtime(&genai.Blob{MIMEType: "pcm", Data: []byte{1, 2}})
		}, `blob of MIME type "pcm"`},
		{"odd-length PCM audio", func(q *livequeue.Queue) error {
			return q.SendRealtime(&genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: []byte{1, 2, 3}})
		}, `audio blob of MIME type "audio/pcm;rate=16000" has 3 bytes, an odd number`},
		{"odd-length PCM audio, MIME type in upper case", func(q *livequeue.Queue) error {
			return q.SendRealtime(&genai.Blob{MIMEType: "Audio/PCM", Data: []byte{1}})
		}, "has 1 bytes, an odd number"},
		{"request with a video blob", func(q *livequeue.Queue) error {
			return q.Send(livequeue.Request{Content: text("look"), Blob: &genai.Blob{MIMEType: "video/mp4", Data: []byte{0}}})
		}, `"video/mp4"`},
		{"request with odd-length PCM audio", func(q *livequeue.Queue) error {
			return q.Send(livequeue.Request{Blob: &genai.Blob{MIMEType: "audio/pcm", Data: []byte{1, 2, 3}}, AudioStreamEnd: true})
		}, "has 3 bytes, an odd number"},
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
		{Blob: &genai.Blob{MIMEType: "image/jpeg", Data: []byte{0xff, 0xd8, 0xff}}}, // images may have any length
		{Blob: &genai.Blob{MIMEType: " IMAGE/png", Data: []byte{1}}},
		{Blob: &genai.Blob{MIMEType: "audio/wav", Data: []byte{1, 2, 3}}},  // not raw PCM: the length is the container's business
		{Blob: &genai.Blob{MIMEType: "audio/pcmu", Data: []byte{1, 2, 3}}}, // μ-law: one byte a sample
	} {
		if err := r.Validate(); err != nil {
			t.Errorf("%+v.Validate() = %v, want nil", r, err)
		}
	}
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
	if err := q.Claim(); !errors.Is(err, livequeue.ErrClaimed) {
		t.Errorf("Claim of a closed, claimed queue = %v, want ErrClaimed", err)
	}
}

// A queue closed before any run claimed it is not a reused queue: the run
// that claims it receives what was queued before the close, then ErrClosed.
func TestClaimAfterCloseDeliversWhatWasQueued(t *testing.T) {
	q := livequeue.New()
	if err := q.SendContent(genai.NewContentFromText("bye", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
	q.Close()
	if err := q.Claim(); err != nil {
		t.Fatalf("Claim of a closed, unclaimed queue = %v, want nil", err)
	}
	r, err := q.Receive(t.Context())
	if err != nil || r.Content == nil || r.Content.Parts[0].Text != "bye" {
		t.Fatalf("Receive = %+v, %v; want the content queued before Close", r, err)
	}
	if _, err := q.Receive(t.Context()); !errors.Is(err, livequeue.ErrClosed) {
		t.Errorf("Receive after draining = %v, want ErrClosed", err)
	}
	if err := q.Claim(); !errors.Is(err, livequeue.ErrClaimed) {
		t.Errorf("second Claim = %v, want ErrClaimed", err)
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
