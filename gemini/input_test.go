package gemini_test

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
)

// TestConcurrentSends sends from many goroutines at once: every message
// arrives whole.
func TestConcurrentSends(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	setup := textSetup()
	setup.RealtimeInputConfig = &genai.RealtimeInputConfig{AutomaticActivityDetection: &genai.AutomaticActivityDetection{Disabled: true}}
	c, err := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &live.ConnectRequest{Setup: setup})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const senders, each = 8, 25
	chunk := livetest.Silence(16000, 100*time.Millisecond)
	var wg sync.WaitGroup
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if err := c.SendRealtime(ctx, &live.RealtimeInput{Audio: &genai.Blob{Data: chunk, MIMEType: "audio/pcm;rate=16000"}}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	sess, _ := srv.WaitSession(ctx, 0)
	n := 0
	_, err = sess.WaitMessage(ctx, func(m livetest.ClientMessage) bool {
		if m.RealtimeInput != nil && m.RealtimeInput.Audio != nil {
			if len(m.RealtimeInput.Audio.Data) != len(chunk) {
				t.Errorf("an audio chunk arrived with %d bytes, want %d", len(m.RealtimeInput.Audio.Data), len(chunk))
			}
			n++
		}
		return n == senders*each
	})
	if err != nil {
		t.Fatalf("server received %d of %d audio chunks: %v", n, senders*each, err)
	}
}

func TestRealtimeInputReachesServer(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	setup := textSetup()
	setup.RealtimeInputConfig = &genai.RealtimeInputConfig{AutomaticActivityDetection: &genai.AutomaticActivityDetection{Disabled: true}}
	audio := &genai.Blob{Data: livetest.Tone(16000, 40*time.Millisecond, 0.5), MIMEType: "audio/pcm;rate=16000"}
	jpeg := &genai.Blob{Data: []byte("\xff\xd8\xff\xe0 not really a jpeg"), MIMEType: "image/jpeg"}
	// MIME types are case-insensitive; the flow already treats these as audio.
	upper := &genai.Blob{Data: audio.Data, MIMEType: "Audio/PCM;rate=16000"}
	inputs := []*live.RealtimeInput{
		{ActivityStart: true},
		{Audio: audio},
		{Audio: upper},
		{Video: jpeg},
		{ActivityEnd: true},
		{Text: "typed text"},
	}
	c, err := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &live.ConnectRequest{Setup: setup})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, in := range inputs {
		if err := c.SendRealtime(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	want := []*livetest.RealtimeInput{{ActivityStart: true}, {Audio: audio}, {Audio: upper}, {Video: jpeg}, {ActivityEnd: true}, {Text: "typed text"}}
	sess, _ := srv.WaitSession(ctx, 0)
	var got []*livetest.RealtimeInput
	if _, err := sess.WaitMessage(ctx, func(m livetest.ClientMessage) bool {
		if m.RealtimeInput != nil {
			got = append(got, m.RealtimeInput)
		}
		return len(got) == len(want)
	}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("server received (-sent +received):\n%s", diff)
	}
}

func TestMediaChunksOption(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	m := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", &gemini.Config{MediaChunks: true})
	c, err := m.Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	audio := &genai.Blob{Data: []byte{1, 2, 3, 4}, MIMEType: "audio/pcm;rate=16000"}
	if err := c.SendRealtime(ctx, &live.RealtimeInput{Audio: audio}); err != nil {
		t.Fatal(err)
	}
	sess, _ := srv.WaitSession(ctx, 0)
	msg, err := sess.WaitMessage(ctx, func(m livetest.ClientMessage) bool { return m.RealtimeInput != nil })
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&livetest.RealtimeInput{MediaChunks: []*genai.Blob{audio}}, msg.RealtimeInput); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
