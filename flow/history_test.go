package flow_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow"
)

// sessionEvents is a session of one typed turn and one spoken turn with a
// tool call, as a runner would have persisted it (plus the partial and
// control events a careless caller could pass too).
func sessionEvents() []*event.Event {
	return []*event.Event{
		{Author: "user", Content: genai.NewContentFromText("Hi", genai.RoleUser)},
		{Author: "assistant", Content: genai.NewContentFromText("Hel", genai.RoleModel), Partial: true},
		{Author: "assistant", Content: genai.NewContentFromText("Hello!", genai.RoleModel)},
		{Author: "assistant", TurnComplete: true},
		{Author: "user", InputTranscription: &genai.Transcription{Text: "Weather in Tokyo?", Finished: true}},
		{Author: "assistant", Content: &genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{
			{FunctionCall: &genai.FunctionCall{ID: "c1", Name: "get_weather", Args: map[string]any{"city": "Tokyo"}}},
		}}},
		{Author: "assistant", Content: &genai.Content{Role: genai.RoleUser, Parts: []*genai.Part{
			{FunctionResponse: &genai.FunctionResponse{ID: "c1", Name: "get_weather", Response: map[string]any{"weather": "sunny"}}},
		}}},
		{Author: "assistant", OutputTranscription: &genai.Transcription{Text: "It's sunny.", Finished: true}},
		{Author: "assistant", Content: &genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{
			{InlineData: &genai.Blob{MIMEType: "audio/pcm;rate=24000", Data: []byte{1, 2}}},
		}}},
	}
}

func TestHistory(t *testing.T) {
	text := func(s string) *genai.Part { return &genai.Part{Text: s} }
	audio := &genai.Part{InlineData: &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: []byte{1, 2}}}
	image := &genai.Part{InlineData: &genai.Blob{MIMEType: "image/jpeg", Data: []byte{0xff}}}
	call := &genai.Part{FunctionCall: &genai.FunctionCall{ID: "c1", Name: "get_weather", Args: map[string]any{"city": "Tokyo"}}}
	resp := &genai.Part{FunctionResponse: &genai.FunctionResponse{ID: "c1", Name: "get_weather", Response: map[string]any{"weather": "sunny"}}}
	user := func(parts ...*genai.Part) *genai.Content { return &genai.Content{Role: genai.RoleUser, Parts: parts} }
	model := func(parts ...*genai.Part) *genai.Content { return &genai.Content{Role: genai.RoleModel, Parts: parts} }

	tests := []struct {
		name   string
		events []*event.Event
		want   []*genai.Content
	}{
		{"no events", nil, nil},
		{
			name:   "a session with typed and spoken turns and a tool call",
			events: sessionEvents(),
			want: []*genai.Content{
				user(text("Hi")),
				model(text("Hello!")),
				user(text("Weather in Tokyo?")),
				model(call),
				user(resp),
				model(text("It's sunny.")),
			},
		},
		{
			name: "audio parts removed, other inline data kept, events left empty dropped",
			events: []*event.Event{
				{Author: "user", Content: user(audio)},
				{Author: "user", Content: user(text("Look:"), image, audio)},
				{Author: "assistant", Content: model(&genai.Part{InlineData: &genai.Blob{MIMEType: "audio/pcm", Data: []byte{3}}})},
			},
			want: []*genai.Content{user(text("Look:"), image)},
		},
		{
			name: "consecutive turns of one role merged",
			events: []*event.Event{
				{Author: "user", Content: user(text("one"))},
				{Author: "user", InputTranscription: &genai.Transcription{Text: "two", Finished: true}},
				{Author: "assistant", OutputTranscription: &genai.Transcription{Text: "three", Finished: true}},
				{Author: "assistant", Content: model(text("four"))},
				{Author: "user", Content: user(text("five"))},
			},
			want: []*genai.Content{user(text("one"), text("two")), model(text("three"), text("four")), user(text("five"))},
		},
		{
			name: "unfinished, empty and partial transcriptions skipped",
			events: []*event.Event{
				{Author: "user", InputTranscription: &genai.Transcription{Text: "wha"}},
				{Author: "user", InputTranscription: &genai.Transcription{Text: "what", Finished: true}, Partial: true},
				{Author: "assistant", OutputTranscription: &genai.Transcription{Finished: true}},
			},
			want: nil,
		},
		{
			name: "content without a role takes it from the author",
			events: []*event.Event{
				{Author: "user", Content: &genai.Content{Parts: []*genai.Part{text("hi")}}},
				{Author: "assistant", Content: &genai.Content{Parts: []*genai.Part{text("hello")}}},
			},
			want: []*genai.Content{user(text("hi")), model(text("hello"))},
		},
		{
			name: "control and metadata events skipped, nil events too",
			events: []*event.Event{
				nil,
				{Author: "assistant", TurnComplete: true, UsageMetadata: &genai.UsageMetadata{TotalTokenCount: 3}},
				{Author: "assistant", Interrupted: true},
				{Author: "assistant", LiveSessionResumptionUpdate: &genai.LiveServerSessionResumptionUpdate{NewHandle: "h"}},
			},
			want: nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, flow.History(tc.events)); diff != "" {
				t.Errorf("History mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHistoryDoesNotModifyEvents(t *testing.T) {
	events := []*event.Event{
		{Author: "user", Content: genai.NewContentFromText("one", genai.RoleUser)},
		{Author: "user", Content: genai.NewContentFromText("two", genai.RoleUser)},
	}
	h := flow.History(events)
	h[0].Parts = append(h[0].Parts, &genai.Part{Text: "three"})
	if n := len(events[0].Content.Parts); n != 1 {
		t.Errorf("the first event now has %d parts, want 1", n)
	}
}
