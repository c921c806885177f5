package session_test

import (
	"testing"
	"time"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"
)

// richEvent returns an event that uses every kind of field a stored event
// can hold: nested pointers, byte slices, maps of any, slices of structs.
func richEvent() *event.Event {
	ev := event.New("e-rich", "agent")
	ev.Timestamp = time.Date(2025, 6, 1, 12, 0, 0, 123000, time.UTC)
	ev.Branch = "root.agent"
	ev.Content = &genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{
		{Text: "hello", ThoughtSignature: []byte{1, 2, 3}},
		{InlineData: &genai.Blob{MIMEType: "audio/pcm;rate=24000", Data: []byte{4, 5, 6}}},
		{FunctionCall: &genai.FunctionCall{ID: "call-1", Name: "search", Args: map[string]any{"q": "weather", "opts": map[string]any{"n": 3.0}}}},
		{FunctionResponse: &genai.FunctionResponse{ID: "call-1", Name: "search", Response: map[string]any{"items": []any{"a", map[string]any{"b": "c"}}}}},
	}}
	ev.OutputTranscription = &genai.Transcription{Text: "hello", Finished: true}
	ev.UsageMetadata = &genai.UsageMetadata{TotalTokenCount: 42, PromptTokensDetails: []*genai.ModalityTokenCount{{Modality: genai.MediaModalityAudio, TokenCount: 7}}}
	ev.GoAway = &genai.LiveServerGoAway{TimeLeft: 50 * time.Second}
	ev.CustomMetadata = map[string]any{"trace": map[string]any{"id": "t-1"}}
	ev.LongRunningToolIDs = []string{"call-1"}
	ev.Actions = event.Actions{StateDelta: map[string]any{"k": []any{"v"}}, ArtifactDelta: map[string]int64{"a.wav": 1}}
	return ev
}

// scribble changes every mutable place in ev that richEvent fills.
func scribble(ev *event.Event) {
	p := ev.Content.Parts
	p[0].Text = "changed"
	p[0].ThoughtSignature[0] = 9
	p[1].InlineData.Data[0] = 9
	p[2].FunctionCall.Args["q"] = "changed"
	p[2].FunctionCall.Args["opts"].(map[string]any)["n"] = 9.0
	p[3].FunctionResponse.Response["items"].([]any)[1].(map[string]any)["b"] = "changed"
	ev.Content.Parts = append(p[:1], &genai.Part{Text: "added"})
	ev.OutputTranscription.Text = "changed"
	ev.UsageMetadata.PromptTokensDetails[0].TokenCount = 9
	ev.GoAway.TimeLeft = time.Second
	ev.CustomMetadata["trace"].(map[string]any)["id"] = "changed"
	ev.LongRunningToolIDs[0] = "changed"
	ev.Actions.StateDelta["k"].([]any)[0] = "changed"
	ev.Actions.ArtifactDelta["a.wav"] = 9
}

// TestInMemoryEventsAreIsolated checks that an event with every kind of
// field survives storage unchanged, whatever the caller does to the event
// it appended and to the copies Get returns.
func TestInMemoryEventsAreIsolated(t *testing.T) {
	ctx := t.Context()
	svc := session.InMemory()
	s, err := svc.Create(ctx, &session.CreateRequest{AppName: "app", UserID: "u", SessionID: "s"})
	if err != nil {
		t.Fatal(err)
	}
	appended := richEvent()
	if _, err := svc.AppendEvent(ctx, s, appended); err != nil {
		t.Fatal(err)
	}
	want := richEvent()
	want.ID = appended.ID

	get := func() *event.Event {
		got, err := svc.Get(ctx, &session.GetRequest{AppName: "app", UserID: "u", SessionID: "s"})
		if err != nil {
			t.Fatal(err)
		}
		return got.Events[0]
	}
	first := get()
	if diff := cmp.Diff(want, first); diff != "" {
		t.Fatalf("stored event differs from the appended one (-want +got):\n%s", diff)
	}
	scribble(appended)
	scribble(first)
	if diff := cmp.Diff(want, get()); diff != "" {
		t.Errorf("changing the caller's events changed the stored one (-want +got):\n%s", diff)
	}
}
