package livetest

import (
	"encoding/base64"
	"testing"
	"time"

	"google.golang.org/genai"
)

// audioFrame is a 100 ms chunk of 16 kHz audio as clients send it.
func audioFrame(snake bool) []byte {
	data := base64.StdEncoding.EncodeToString(Tone(InputSampleRate, 100*time.Millisecond, 0.3))
	if snake {
		return []byte(`{"realtime_input":{"audio":{"data":"` + data + `","mime_type":"audio/pcm;rate=16000"}}}`)
	}
	return []byte(`{"realtimeInput":{"audio":{"data":"` + data + `","mimeType":"audio/pcm;rate=16000"}}}`)
}

func BenchmarkDecodeAudioFrame(b *testing.B) {
	for _, tt := range []struct {
		name  string
		snake bool
	}{{"camelCase", false}, {"snake_case", true}} {
		b.Run(tt.name, func(b *testing.B) {
			frame := audioFrame(tt.snake)
			b.SetBytes(int64(len(frame)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := decodeClientMessage(frame); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncodeAudioChunk(b *testing.B) {
	m := audioMessage(genai.BackendGeminiAPI, Tone(OutputSampleRate, 200*time.Millisecond, 0.01))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeServerMessage(genai.BackendGeminiAPI, m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVAD(b *testing.B) {
	v := newVAD(VADConfig{Threshold: defaultVADThreshold, SilenceDuration: defaultSilence}, &genai.LiveClientSetup{})
	frame := Tone(InputSampleRate, vadFrame, 0.3)
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		v.frame(frame, InputSampleRate)
	}
}
