package runner_test

import (
	"testing"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/runner"
)

func TestPersist(t *testing.T) {
	text := func(s string) *genai.Content { return genai.NewContentFromText(s, genai.RoleModel) }
	audio := &genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{{InlineData: &genai.Blob{MIMEType: "audio/pcm;rate=24000", Data: []byte{1}}}}}
	tests := []struct {
		name string
		ev   *event.Event
		want bool
	}{
		{"nil", nil, false},
		{"empty event", &event.Event{}, false},
		{"partial text", &event.Event{Content: text("Hel"), Partial: true}, false},
		{"partial thought", &event.Event{Content: &genai.Content{Parts: []*genai.Part{{Text: "hmm", Thought: true}}}, Partial: true}, false},
		{"merged text", &event.Event{Content: text("Hello")}, true},
		{"typed user text", &event.Event{Author: "user", Content: genai.NewContentFromText("Hi", genai.RoleUser)}, true},
		{"audio chunk", &event.Event{Content: audio}, false},
		{"input transcription fragment", &event.Event{InputTranscription: &genai.Transcription{Text: "wha"}, Partial: true}, false},
		{"unfinished transcription, not partial", &event.Event{OutputTranscription: &genai.Transcription{Text: "It"}}, false},
		{"finished input transcription", &event.Event{InputTranscription: &genai.Transcription{Text: "what", Finished: true}}, true},
		{"finished output transcription", &event.Event{OutputTranscription: &genai.Transcription{Text: "It", Finished: true}}, true},
		{"finished empty transcription", &event.Event{OutputTranscription: &genai.Transcription{Finished: true}}, false},
		{"function call", &event.Event{Content: genai.NewContentFromFunctionCall("f", nil, genai.RoleModel)}, true},
		{"function response", &event.Event{Content: genai.NewContentFromFunctionResponse("f", map[string]any{}, genai.RoleUser)}, true},
		{"code", &event.Event{Content: &genai.Content{Parts: []*genai.Part{{ExecutableCode: &genai.ExecutableCode{Code: "1"}}}}}, true},
		{"turnComplete", &event.Event{TurnComplete: true}, true},
		{"interrupted", &event.Event{Interrupted: true}, true},
		{"usage", &event.Event{UsageMetadata: &genai.UsageMetadata{TotalTokenCount: 1}}, true},
		{"grounding", &event.Event{GroundingMetadata: &genai.GroundingMetadata{}}, true},
		{"resumption update", &event.Event{LiveSessionResumptionUpdate: &genai.LiveServerSessionResumptionUpdate{NewHandle: "h"}}, true},
		{"generationComplete only", &event.Event{GenerationComplete: true}, false},
		{"goAway", &event.Event{GoAway: &genai.LiveServerGoAway{TimeLeft: time.Minute}}, false},
		{"toolCallCancellation", &event.Event{ToolCallCancellation: &genai.LiveServerToolCallCancellation{IDs: []string{"a"}}}, false},
		{"voice activity", &event.Event{VoiceActivity: &genai.VoiceActivity{}}, false},
		{"audio with an upper-case MIME type", &event.Event{Content: &genai.Content{Parts: []*genai.Part{
			{InlineData: &genai.Blob{MIMEType: "Audio/PCM", Data: []byte{1}}}}}}, false},
		{"voice activity detection signal", &event.Event{VoiceActivityDetectionSignal: &genai.VoiceActivityDetectionSignal{}}, false},
		{"error report", &event.Event{ErrorCode: flow.ErrorCodeInvalidArgument, ErrorMessage: "bad"}, false},
		{"content with no parts", &event.Event{Content: &genai.Content{Role: genai.RoleModel}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := runner.Persist(tc.ev); got != tc.want {
				t.Errorf("Persist() = %v, want %v", got, tc.want)
			}
		})
	}
}
