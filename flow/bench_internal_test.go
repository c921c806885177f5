package flow

import (
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/runconfig"
)

// BenchmarkHandleAudio measures the mapping of one server audio message
// (200 ms of 24 kHz PCM) to its event, without the hand-off to the
// consumer.
func BenchmarkHandleAudio(b *testing.B) {
	r := &run{p: Params{Author: "assistant"}, stamp: stamper{invocationID: "e-bench"}}
	r.stamp.ids.seed()
	r.stamp.setBranch("assistant")
	l := &link{}
	r.mapper = mapper{author: "assistant", stamp: &r.stamp, emit: func(*event.Event) bool { return true }}
	resp := &live.Response{ServerContent: &genai.LiveServerContent{ModelTurn: &genai.Content{
		Role:  genai.RoleModel,
		Parts: []*genai.Part{{InlineData: &genai.Blob{MIMEType: "audio/pcm;rate=24000", Data: make([]byte, 9600)}}},
	}}}
	b.ReportAllocs()
	for b.Loop() {
		if err := r.handle(l, resp); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHandleTranscribedAudio measures an audio message followed by
// its output transcription fragment, as native-audio models send them.
func BenchmarkHandleTranscribedAudio(b *testing.B) {
	// Turns never stop it: the benchmark's turn count is not a real run's.
	cfg := runconfig.RunConfig{MaxLLMCalls: runconfig.UnlimitedLLMCalls}
	r := &run{p: Params{Author: "assistant"}, cfg: cfg, stamp: stamper{invocationID: "e-bench"}}
	r.stamp.ids.seed()
	r.stamp.setBranch("assistant")
	l := &link{}
	r.mapper = mapper{author: "assistant", stamp: &r.stamp, emit: func(*event.Event) bool { return true }}
	audio := &live.Response{ServerContent: &genai.LiveServerContent{ModelTurn: &genai.Content{
		Role:  genai.RoleModel,
		Parts: []*genai.Part{{InlineData: &genai.Blob{MIMEType: "audio/pcm;rate=24000", Data: make([]byte, 9600)}}},
	}}}
	transcript := &live.Response{ServerContent: &genai.LiveServerContent{OutputTranscription: &genai.Transcription{Text: " sunny"}}}
	done := &live.Response{ServerContent: &genai.LiveServerContent{TurnComplete: true}}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if err := r.handle(l, audio); err != nil {
			b.Fatal(err)
		}
		if err := r.handle(l, transcript); err != nil {
			b.Fatal(err)
		}
		if n++; n%50 == 0 { // a turn every 10 s of audio keeps the transcription short
			if err := r.handle(l, done); err != nil {
				b.Fatal(err)
			}
		}
	}
}
