package runner_test

import (
	"context"
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
)

// benchmarkForward measures what the runner adds to each event an agent
// yields: custom metadata and, for events that are persisted, the append
// to the in-memory session. The agent hands out the same prepared event
// b.N times, so only the runner's work is measured.
func benchmarkForward(b *testing.B, ev *event.Event) {
	a := &funcAgent{name: "custom", run: func(_ context.Context, _ *agent.InvocationContext, yield func(*event.Event, error) bool) {
		for range b.N {
			if !yield(ev, nil) {
				return
			}
		}
	}}
	r, _ := newCustomRunner(b, a)
	cfg := runconfig.RunConfig{CustomMetadata: map[string]any{"request_id": "r-1"}}
	b.ReportAllocs()
	b.ResetTimer()
	for _, err := range r.RunLive(b.Context(), "u1", "s1", livequeue.New(), cfg) {
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkForwardAudio is the hot path of a voice conversation: audio
// chunks, yielded and never persisted.
func BenchmarkForwardAudio(b *testing.B) {
	ev := event.New("e-bench", "custom")
	ev.Content = &genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{
		{InlineData: &genai.Blob{MIMEType: "audio/pcm;rate=24000", Data: make([]byte, 9600)}},
	}}
	benchmarkForward(b, ev)
}

// BenchmarkForwardPersisted measures events that are stored: merged text.
func BenchmarkForwardPersisted(b *testing.B) {
	ev := event.New("e-bench", "custom")
	ev.Content = genai.NewContentFromText("a merged sentence of the model's reply", genai.RoleModel)
	benchmarkForward(b, ev)
}
