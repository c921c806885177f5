package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"
)

func TestRunConfigFollowsTheModelNameInAnyCase(t *testing.T) {
	tests := []struct {
		model string
		want  genai.Modality
	}{
		{"gemini-2.5-flash-native-audio-preview-12-2025", genai.ModalityAudio},
		{"Gemini-2.5-Flash-Native-Audio-Latest", genai.ModalityAudio},
		{"gemini-live-2.5-flash-preview", genai.ModalityText},
	}
	for _, tt := range tests {
		cfg := runConfigFor(tt.model)
		if diff := cmp.Diff([]genai.Modality{tt.want}, cfg.ResponseModalities); diff != "" {
			t.Errorf("%s: response modalities (-want +got):\n%s", tt.model, diff)
		}
		if transcribed := cfg.OutputAudioTranscription != nil; transcribed != (tt.want == genai.ModalityAudio) {
			t.Errorf("%s: output transcription %v; want it exactly for audio answers", tt.model, transcribed)
		}
	}
}
