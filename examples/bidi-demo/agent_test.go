package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/tool"
)

func TestRunConfigFollowsTheModel(t *testing.T) {
	on := genai.Ptr(true)
	tests := []struct {
		name        string
		model       string
		backend     genai.Backend
		opts        liveOptions
		want        runconfig.RunConfig
		wantIgnored []string
	}{
		{"native audio", audioModel, genai.BackendGeminiAPI, liveOptions{},
			runconfig.RunConfig{
				ResponseModalities:       []genai.Modality{genai.ModalityAudio},
				InputAudioTranscription:  &genai.AudioTranscriptionConfig{},
				OutputAudioTranscription: &genai.AudioTranscriptionConfig{},
				SessionResumption:        &genai.SessionResumptionConfig{},
			}, nil},
		{"native audio with both options", "Gemini-2.5-Flash-Native-Audio-Latest", genai.BackendGeminiAPI, liveOptions{true, true},
			runconfig.RunConfig{
				ResponseModalities:       []genai.Modality{genai.ModalityAudio},
				InputAudioTranscription:  &genai.AudioTranscriptionConfig{},
				OutputAudioTranscription: &genai.AudioTranscriptionConfig{},
				SessionResumption:        &genai.SessionResumptionConfig{},
				Proactivity:              &genai.ProactivityConfig{ProactiveAudio: on},
				EnableAffectiveDialog:    on,
			}, nil},
		{"affective dialog on Vertex AI", audioModel, genai.BackendVertexAI, liveOptions{affectiveDialog: true},
			runconfig.RunConfig{
				ResponseModalities:       []genai.Modality{genai.ModalityAudio},
				InputAudioTranscription:  &genai.AudioTranscriptionConfig{},
				OutputAudioTranscription: &genai.AudioTranscriptionConfig{},
				SessionResumption:        &genai.SessionResumptionConfig{},
			}, []string{"affective_dialog"}},
		{"half cascade", textModel, genai.BackendGeminiAPI, liveOptions{true, true},
			runconfig.RunConfig{
				ResponseModalities: []genai.Modality{genai.ModalityText},
				SessionResumption:  &genai.SessionResumptionConfig{},
			}, []string{"proactivity", "affective_dialog"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ignored := runConfigFor(tt.model, tt.backend, tt.opts)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("run config (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantIgnored, ignored); diff != "" {
				t.Errorf("ignored (-want +got):\n%s", diff)
			}
			if err := got.Validate(tt.backend); err != nil {
				t.Errorf("the run config is invalid: %v", err)
			}
		})
	}
}

func TestTimeTool(t *testing.T) {
	now := func() time.Time { return time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC) }
	fn, err := newTimeTool(now)
	if err != nil {
		t.Fatal(err)
	}
	call := func(args map[string]any) (map[string]any, error) {
		return fn.Run(tool.NewContext(context.Background(), tool.CallInfo{FunctionCallID: "1"}), args)
	}
	got, err := call(map[string]any{"timezone": "Asia/Tokyo"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"date": "Saturday, 15 March 2025", "time": "00:09", "timezone": "Asia/Tokyo (JST)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Asia/Tokyo (-want +got):\n%s", diff)
	}
	if _, err := call(map[string]any{"timezone": "Mars/Olympus"}); err == nil || !strings.Contains(err.Error(), `"Mars/Olympus"`) {
		t.Errorf("unknown zone: error %v, want it named", err)
	}
	if _, err := call(map[string]any{"timezone": 5}); err == nil {
		t.Error("a numeric zone was accepted")
	}
	if got, err := call(nil); err != nil || got["time"] == nil {
		t.Errorf("no arguments: %v, %v; want the local time", got, err)
	}
}

func TestAgentDeclaresSearchAndTheLocalTool(t *testing.T) {
	model, err := gemini.NewModel(context.Background(), audioModel, &gemini.Config{Backend: genai.BackendGeminiAPI, APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	ag, err := newAgent(model, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tl := range ag.Tools() {
		names = append(names, tl.Name())
	}
	if diff := cmp.Diff([]string{"google_search", "get_current_time"}, names); diff != "" {
		t.Errorf("tools (-want +got):\n%s", diff)
	}
	if ag.Instruction() != "You are a helpful assistant that can search the web." {
		t.Errorf("instruction = %q", ag.Instruction())
	}
}
