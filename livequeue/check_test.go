package livequeue_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/livequeue"
)

// noActivitySignals is a run's check that refuses activity signals, as a
// run with automatic activity detection on does.
func noActivitySignals(r livequeue.Request) error {
	if r.ActivityStart || r.ActivityEnd {
		return errors.New("activity signals need automatic activity detection disabled")
	}
	return nil
}

func TestClaimWithCheckRefusesAtSend(t *testing.T) {
	tests := []struct {
		name string
		send func(*livequeue.Queue) error
	}{
		{"SendActivityStart", (*livequeue.Queue).SendActivityStart},
		{"SendActivityEnd", (*livequeue.Queue).SendActivityEnd},
		{"Send with a signal and a blob", func(q *livequeue.Queue) error {
			return q.Send(livequeue.Request{ActivityStart: true, Blob: pcm(1)})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := livequeue.New()
			before := text("queued before the claim")
			if err := q.SendContent(before); err != nil {
				t.Fatal(err)
			}
			if err := q.Claim(livequeue.WithCheck(noActivitySignals)); err != nil {
				t.Fatal(err)
			}
			err := tt.send(q)
			if !errors.Is(err, livequeue.ErrInvalidRequest) || !strings.Contains(err.Error(), "activity signals need automatic activity detection disabled") {
				t.Fatalf("%s = %v, want an ErrInvalidRequest carrying the check's reason", tt.name, err)
			}
			// What the check accepts still goes through.
			chunk := pcm(7)
			if err := q.SendRealtime(chunk); err != nil {
				t.Fatalf("SendRealtime after a refusal: %v", err)
			}
			if err := q.SendAudioStreamEnd(); err != nil {
				t.Fatalf("SendAudioStreamEnd after a refusal: %v", err)
			}
			q.Close()
			want := []livequeue.Request{{Content: before}, {Blob: chunk}, {AudioStreamEnd: true}}
			if diff := cmp.Diff(want, receiveAll(t, q)); diff != "" {
				t.Errorf("queue (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClaimWithCheckErrors(t *testing.T) {
	t.Run("an error that already matches ErrInvalidRequest is returned as is", func(t *testing.T) {
		own := fmt.Errorf("%w: not now", livequeue.ErrInvalidRequest)
		q := livequeue.New()
		defer q.Close()
		if err := q.Claim(livequeue.WithCheck(func(livequeue.Request) error { return own })); err != nil {
			t.Fatal(err)
		}
		if err := q.SendContent(text("hi")); err != own {
			t.Errorf("SendContent = %v, want the check's own error %v", err, own)
		}
	})
	t.Run("the request's own validation comes first", func(t *testing.T) {
		q := livequeue.New()
		defer q.Close()
		called := false
		if err := q.Claim(livequeue.WithCheck(func(livequeue.Request) error { called = true; return nil })); err != nil {
			t.Fatal(err)
		}
		err := q.SendRealtime(&genai.Blob{MIMEType: "video/mp4", Data: []byte{1}})
		if !errors.Is(err, livequeue.ErrInvalidRequest) || !strings.Contains(err.Error(), "video/mp4") {
			t.Errorf("SendRealtime(video/mp4) = %v, want the MIME type refused", err)
		}
		if called {
			t.Error("the check saw a request that failed validation")
		}
	})
	t.Run("a closed queue says so rather than refusing", func(t *testing.T) {
		q := livequeue.New()
		if err := q.Claim(livequeue.WithCheck(noActivitySignals)); err != nil {
			t.Fatal(err)
		}
		q.Close()
		if err := q.SendActivityStart(); !errors.Is(err, livequeue.ErrClosed) {
			t.Errorf("SendActivityStart on a closed queue = %v, want ErrClosed: the sender learns the run is over", err)
		}
	})
	t.Run("a failed claim installs nothing", func(t *testing.T) {
		q := livequeue.New()
		defer q.Close()
		if err := q.Claim(); err != nil {
			t.Fatal(err)
		}
		if err := q.Claim(livequeue.WithCheck(noActivitySignals)); !errors.Is(err, livequeue.ErrClaimed) {
			t.Fatalf("second Claim = %v, want ErrClaimed", err)
		}
		if err := q.SendActivityStart(); err != nil {
			t.Errorf("SendActivityStart after a refused claim = %v, want nil: the refused run's check must not apply", err)
		}
	})
}

// BenchmarkSendRealtimeChecked measures the send of an audio chunk on a
// queue whose run installed a check, as the runner does.
func BenchmarkSendRealtimeChecked(b *testing.B) {
	q := livequeue.New()
	defer q.Close()
	if err := q.Claim(livequeue.WithCheck(noActivitySignals)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := q.SendRealtime(chunk); err != nil {
			b.Fatal(err)
		}
		if _, ok, err := q.TryReceive(); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
