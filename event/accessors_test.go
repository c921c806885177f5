package event_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
)

func content(parts ...*genai.Part) *genai.Content {
	return &genai.Content{Role: genai.RoleModel, Parts: parts}
}

var (
	callA      = &genai.FunctionCall{ID: "a", Name: "get_weather", Args: map[string]any{"city": "Tokyo"}}
	callB      = &genai.FunctionCall{ID: "b", Name: "get_time"}
	respA      = &genai.FunctionResponse{ID: "a", Name: "get_weather", Response: map[string]any{"output": "sunny"}}
	audio      = &genai.Blob{MIMEType: "audio/pcm;rate=24000", Data: []byte{1, 2}}
	image      = &genai.Blob{MIMEType: "image/jpeg", Data: []byte{0xff, 0xd8}}
	codeResult = &genai.CodeExecutionResult{Outcome: genai.OutcomeOK, Output: "4"}
)

func TestIsFinalResponse(t *testing.T) {
	tests := []struct {
		name string
		ev   event.Event
		want bool
	}{
		{"empty event", event.Event{}, true},
		{"merged text", event.Event{Content: content(&genai.Part{Text: "Hello"})}, true},
		{"partial text", event.Event{Content: content(&genai.Part{Text: "Hel"}), Partial: true}, false},
		{"function call", event.Event{Content: content(&genai.Part{FunctionCall: callA})}, false},
		{"function response", event.Event{Content: content(&genai.Part{FunctionResponse: respA})}, false},
		{"text then function call", event.Event{Content: content(&genai.Part{Text: "Let me check."}, &genai.Part{FunctionCall: callA})}, false},
		{"trailing code execution result", event.Event{Content: content(&genai.Part{Text: "2+2"}, &genai.Part{CodeExecutionResult: codeResult})}, false},
		{"code execution result then text", event.Event{Content: content(&genai.Part{CodeExecutionResult: codeResult}, &genai.Part{Text: "It is 4."})}, true},
		{"skip summarization overrides function response", event.Event{
			Content: content(&genai.Part{FunctionResponse: respA}), Actions: event.Actions{SkipSummarization: true},
		}, true},
		{"long-running tool call", event.Event{
			Content: content(&genai.Part{FunctionCall: callA}), LongRunningToolIDs: []string{"a"},
		}, true},
		{"long-running overrides partial", event.Event{Partial: true, LongRunningToolIDs: []string{"a"}}, true},
		{"turn complete control event", event.Event{TurnComplete: true}, true},
		{"nil part ignored", event.Event{Content: content(nil, &genai.Part{Text: "ok"})}, true},
		{"trailing nil part", event.Event{Content: content(&genai.Part{Text: "ok"}, nil)}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.ev.IsFinalResponse(); got != tc.want {
				t.Errorf("IsFinalResponse() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFunctionCallsAndResponses(t *testing.T) {
	tests := []struct {
		name          string
		ev            event.Event
		wantCalls     []*genai.FunctionCall
		wantResponses []*genai.FunctionResponse
	}{
		{"no content", event.Event{}, nil, nil},
		{"text only", event.Event{Content: content(&genai.Part{Text: "hi"})}, nil, nil},
		{
			"calls in order among other parts",
			event.Event{Content: content(&genai.Part{FunctionCall: callB}, &genai.Part{Text: "and"}, nil, &genai.Part{FunctionCall: callA})},
			[]*genai.FunctionCall{callB, callA}, nil,
		},
		{
			"responses",
			event.Event{Content: content(&genai.Part{FunctionResponse: respA})},
			nil, []*genai.FunctionResponse{respA},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.wantCalls, tc.ev.FunctionCalls()); diff != "" {
				t.Errorf("FunctionCalls() mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantResponses, tc.ev.FunctionResponses()); diff != "" {
				t.Errorf("FunctionResponses() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name string
		ev   event.Event
		want string
	}{
		{"no content", event.Event{}, ""},
		{"one part", event.Event{Content: content(&genai.Part{Text: "Hello"})}, "Hello"},
		{"parts concatenated", event.Event{Content: content(&genai.Part{Text: "Hello, "}, &genai.Part{Text: "world"})}, "Hello, world"},
		{"thoughts left out", event.Event{Content: content(&genai.Part{Text: "planning...", Thought: true}, &genai.Part{Text: "Hi"})}, "Hi"},
		{"single thought left out", event.Event{Content: content(&genai.Part{Text: "planning...", Thought: true})}, ""},
		{"non-text parts and nil parts skipped", event.Event{Content: content(&genai.Part{InlineData: audio}, nil, &genai.Part{Text: "x"})}, "x"},
		{"transcription is not text", event.Event{OutputTranscription: &genai.Transcription{Text: "spoken"}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.ev.Text(); got != tc.want {
				t.Errorf("Text() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestHasAudio(t *testing.T) {
	tests := []struct {
		name string
		ev   event.Event
		want bool
	}{
		{"no content", event.Event{}, false},
		{"text", event.Event{Content: content(&genai.Part{Text: "hi"})}, false},
		{"audio chunk", event.Event{Content: content(&genai.Part{InlineData: audio})}, true},
		{"audio after text", event.Event{Content: content(&genai.Part{Text: "hi"}, nil, &genai.Part{InlineData: audio})}, true},
		{"audio with an upper-case MIME type", event.Event{Content: content(&genai.Part{
			InlineData: &genai.Blob{MIMEType: "Audio/PCM", Data: []byte{1, 2}},
		})}, true},
		{"image", event.Event{Content: content(&genai.Part{InlineData: image})}, false},
		{"audio file reference is not inline audio", event.Event{Content: content(&genai.Part{
			FileData: &genai.FileData{FileURI: "artifact://a.pcm", MIMEType: "audio/pcm"},
		})}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.ev.HasAudio(); got != tc.want {
				t.Errorf("HasAudio() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestIsAudioMIMEType(t *testing.T) {
	tests := []struct {
		mime string
		want bool
	}{
		{"audio/pcm;rate=16000", true},
		{"Audio/PCM", true},
		{"AUDIO/L16", true},
		{" audio/wav", true},
		{"image/jpeg", false},
		{"video/mp4", false},
		{"audiox/pcm", false},
		{"audio", false}, // no subtype: not a MIME type
		{"", false},
		{"application/audio", false},
	}
	for _, tc := range tests {
		if got := event.IsAudioMIMEType(tc.mime); got != tc.want {
			t.Errorf("IsAudioMIMEType(%q) = %v, want %v", tc.mime, got, tc.want)
		}
	}
}
