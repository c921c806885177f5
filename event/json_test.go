package event_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
)

// ts is a fixed event time with microsecond precision.
var ts = time.Date(2025, 1, 1, 0, 0, 0, 123456000, time.UTC)

// jsonCases pairs events with their JSON form. Every case round-trips
// exactly: decoding want gives back the event.
var jsonCases = []struct {
	name string
	ev   event.Event
	want string
}{
	{
		name: "zero event has no fields",
		ev:   event.Event{},
		want: `{}`,
	},
	{
		name: "identity",
		ev: event.Event{
			ID: "3f1e7c2a-5b9d-4e8f-a1c2-d3e4f5a6b7c8", InvocationID: "e-0b5e8a3c-1d2f-4a6b-9c8d-7e6f5a4b3c2d",
			Author: "search_agent", Branch: "root.search_agent", Timestamp: ts,
		},
		want: `{"id":"3f1e7c2a-5b9d-4e8f-a1c2-d3e4f5a6b7c8","invocationId":"e-0b5e8a3c-1d2f-4a6b-9c8d-7e6f5a4b3c2d",` +
			`"author":"search_agent","branch":"root.search_agent","timestamp":1735689600.123456}`,
	},
	{
		name: "partial text",
		ev: event.Event{
			Author:  "search_agent",
			Content: &genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{{Text: "Hel"}}},
			Partial: true,
		},
		want: `{"author":"search_agent","content":{"parts":[{"text":"Hel"}],"role":"model"},"partial":true}`,
	},
	{
		name: "audio bytes are base64",
		ev: event.Event{
			Content: &genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{{
				InlineData: &genai.Blob{MIMEType: "audio/pcm;rate=24000", Data: []byte{0x00, 0x01, 0xfe, 0xff}},
			}}},
		},
		want: `{"content":{"parts":[{"inlineData":{"data":"AAH+/w==","mimeType":"audio/pcm;rate=24000"}}],"role":"model"}}`,
	},
	{
		name: "transcriptions",
		ev: event.Event{
			Author:              event.AuthorUser,
			InputTranscription:  &genai.Transcription{Text: "What's the weather?", Finished: true},
			OutputTranscription: &genai.Transcription{Text: "It's"},
			Partial:             true,
		},
		want: `{"author":"user","partial":true,"inputTranscription":{"text":"What's the weather?","finished":true},` +
			`"outputTranscription":{"text":"It's"}}`,
	},
	{
		name: "control signals",
		ev:   event.Event{TurnComplete: true, Interrupted: true, GenerationComplete: true, FinishReason: genai.FinishReasonStop},
		want: `{"turnComplete":true,"interrupted":true,"generationComplete":true,"finishReason":"STOP"}`,
	},
	{
		name: "usage and grounding",
		ev: event.Event{
			UsageMetadata: &genai.UsageMetadata{PromptTokenCount: 12, ResponseTokenCount: 30, TotalTokenCount: 42},
			GroundingMetadata: &genai.GroundingMetadata{
				WebSearchQueries: []string{"weather tokyo"},
				GroundingChunks:  []*genai.GroundingChunk{{Web: &genai.GroundingChunkWeb{URI: "https://example.com", Title: "Example"}}},
			},
		},
		want: `{"usageMetadata":{"promptTokenCount":12,"responseTokenCount":30,"totalTokenCount":42},` +
			`"groundingMetadata":{"groundingChunks":[{"web":{"title":"Example","uri":"https://example.com"}}],"webSearchQueries":["weather tokyo"]}}`,
	},
	{
		name: "error",
		ev:   event.Event{ErrorCode: "MALFORMED_FUNCTION_CALL", ErrorMessage: "bad args"},
		want: `{"errorCode":"MALFORMED_FUNCTION_CALL","errorMessage":"bad args"}`,
	},
	{
		name: "function call with long-running id and metadata",
		ev: event.Event{
			Content: &genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{{
				FunctionCall: &genai.FunctionCall{ID: "call-1", Name: "book_flight", Args: map[string]any{"to": "NRT"}},
			}}},
			LongRunningToolIDs: []string{"call-1"},
			CustomMetadata:     map[string]any{"tenant": "acme", "priority": float64(2)},
		},
		want: `{"content":{"parts":[{"functionCall":{"id":"call-1","args":{"to":"NRT"},"name":"book_flight"}}],"role":"model"},` +
			`"customMetadata":{"priority":2,"tenant":"acme"},"longRunningToolIds":["call-1"]}`,
	},
	{
		name: "actions",
		ev: event.Event{Actions: event.Actions{
			StateDelta:        map[string]any{"user:name": "Ada"},
			ArtifactDelta:     map[string]int64{"audio.pcm": 3},
			TransferToAgent:   "billing_agent",
			Escalate:          true,
			SkipSummarization: true,
		}},
		want: `{"actions":{"stateDelta":{"user:name":"Ada"},"artifactDelta":{"audio.pcm":3},"transferToAgent":"billing_agent",` +
			`"escalate":true,"skipSummarization":true}}`,
	},
	{
		name: "live session signals",
		ev: event.Event{
			LiveSessionResumptionUpdate:  &genai.LiveServerSessionResumptionUpdate{NewHandle: "handle-7", Resumable: true},
			GoAway:                       &genai.LiveServerGoAway{TimeLeft: 50 * time.Second},
			ToolCallCancellation:         &genai.LiveServerToolCallCancellation{IDs: []string{"call-1", "call-2"}},
			VoiceActivity:                &genai.VoiceActivity{VoiceActivityType: genai.VoiceActivityTypeActivityStart},
			VoiceActivityDetectionSignal: &genai.VoiceActivityDetectionSignal{VADSignalType: genai.VADSignalTypeEos},
			LiveSessionID:                "session-9",
		},
		want: `{"liveSessionResumptionUpdate":{"newHandle":"handle-7","resumable":true},"goAway":{"timeLeft":"50s"},` +
			`"toolCallCancellation":{"ids":["call-1","call-2"]},"voiceActivity":{"voiceActivityType":"ACTIVITY_START"},` +
			`"voiceActivityDetectionSignal":{"vadSignalType":"VAD_SIGNAL_TYPE_EOS"},"liveSessionId":"session-9"}`,
	},
}

func TestMarshalJSON(t *testing.T) {
	for _, tc := range jsonCases {
		t.Run(tc.name, func(t *testing.T) {
			// Events are marshalled both as values (in slices, maps)
			// and through pointers (as the run yields them).
			for _, v := range []any{tc.ev, &tc.ev} {
				got, err := json.Marshal(v)
				if err != nil {
					t.Fatalf("json.Marshal(%T): %v", v, err)
				}
				if diff := cmp.Diff(tc.want, string(got)); diff != "" {
					t.Errorf("json.Marshal(%T) mismatch (-want +got):\n%s", v, diff)
				}
			}
		})
	}
}

func TestUnmarshalJSONRoundTrip(t *testing.T) {
	for _, tc := range jsonCases {
		t.Run(tc.name, func(t *testing.T) {
			var got event.Event
			if err := json.Unmarshal([]byte(tc.want), &got); err != nil {
				t.Fatalf("json.Unmarshal: %v", err)
			}
			if diff := cmp.Diff(tc.ev, got); diff != "" {
				t.Errorf("decoded event mismatch (-want +got):\n%s", diff)
			}
			again, err := json.Marshal(got)
			if err != nil {
				t.Fatalf("json.Marshal: %v", err)
			}
			if !bytes.Equal(again, []byte(tc.want)) {
				t.Errorf("JSON -> Event -> JSON changed the JSON:\n got %s\nwant %s", again, tc.want)
			}
		})
	}
}

func TestMarshalJSONOmitsEmptyActions(t *testing.T) {
	ev := event.Event{Author: "a", Actions: event.Actions{StateDelta: map[string]any{}, ArtifactDelta: map[string]int64{}}}
	got, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"author":"a"}`; string(got) != want {
		t.Errorf("json.Marshal = %s, want %s", got, want)
	}
}

// TestUnmarshalJSONFromADKPython decodes an event as ADK Python writes it
// (Event.model_dump_json(by_alias=True, exclude_none=True)): empty action
// maps, fields this package does not model, fields in ADK's order.
func TestUnmarshalJSONFromADKPython(t *testing.T) {
	const adk = `{"modelVersion":"gemini-2.5-flash","content":{"parts":[{"text":"Sunny, 25 degrees."}],"role":"model"},` +
		`"partial":false,"turnComplete":true,"invocationId":"e-6c0f4a0e-2b8e-4a43-9d1c-5f6b7a8c9d0e","author":"search_agent",` +
		`"actions":{"stateDelta":{},"artifactDelta":{},"requestedAuthConfigs":{},"requestedToolConfirmations":{}},` +
		`"id":"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d","timestamp":1735689600.123456}`
	want := event.Event{
		ID:           "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
		InvocationID: "e-6c0f4a0e-2b8e-4a43-9d1c-5f6b7a8c9d0e",
		Author:       "search_agent",
		Timestamp:    ts,
		Content:      &genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{{Text: "Sunny, 25 degrees."}}},
		TurnComplete: true,
		Actions:      event.Actions{StateDelta: map[string]any{}, ArtifactDelta: map[string]int64{}},
	}
	var got event.Event
	if err := json.Unmarshal([]byte(adk), &got); err != nil {
		t.Fatalf("json.Unmarshal: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded event mismatch (-want +got):\n%s", diff)
	}
}

func TestTimestampJSON(t *testing.T) {
	tests := []struct {
		name string
		time time.Time
		json string
	}{
		{"epoch", time.Unix(0, 0), `0`},
		{"whole seconds", time.Unix(1735689600, 0), `1735689600`},
		{"microseconds", time.UnixMicro(1735689600000001), `1735689600.000001`},
		{"before epoch", time.UnixMicro(-1500000), `-1.5`},
		{"year 2100", time.Date(2100, 12, 31, 23, 59, 59, 999999000, time.UTC), `4133980799.999999`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(event.Event{Timestamp: tc.time})
			if err != nil {
				t.Fatal(err)
			}
			want := `{"timestamp":` + tc.json + `}`
			if string(b) != want {
				t.Errorf("json.Marshal = %s, want %s", b, want)
			}
			var got event.Event
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if !got.Timestamp.Equal(tc.time) {
				t.Errorf("decoded timestamp = %v, want %v", got.Timestamp, tc.time)
			}
		})
	}
}

func TestTimestampRoundsToMicroseconds(t *testing.T) {
	var got event.Event
	if err := json.Unmarshal([]byte(`{"timestamp":1735689600.1234567}`), &got); err != nil {
		t.Fatal(err)
	}
	if want := time.UnixMicro(1735689600123457); !got.Timestamp.Equal(want) {
		t.Errorf("Timestamp = %v, want %v", got.Timestamp, want)
	}
}

func TestUnmarshalJSONErrors(t *testing.T) {
	tests := []struct {
		name, json, wantInErr string
	}{
		{"timestamp not a number", `{"timestamp":"yesterday"}`, "timestamp"},
		{"timestamp out of range", `{"timestamp":1e300}`, "timestamp 1e+300 is out of range"},
		{"partial not a bool", `{"partial":"yes"}`, "partial"},
		{"content not an object", `{"content":[1]}`, "content"},
		{"bytes not base64", `{"content":{"parts":[{"inlineData":{"data":"***"}}]}}`, "base64"},
		{"not an object", `[]`, "event"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ev event.Event
			err := json.Unmarshal([]byte(tc.json), &ev)
			if err == nil {
				t.Fatalf("json.Unmarshal(%s) succeeded, want an error mentioning %q", tc.json, tc.wantInErr)
			}
			if !strings.Contains(err.Error(), tc.wantInErr) {
				t.Errorf("json.Unmarshal(%s) error = %q, want it to mention %q", tc.json, err, tc.wantInErr)
			}
		})
	}
}

func BenchmarkMarshalJSONAudio(b *testing.B) {
	ev := event.New(event.NewInvocationID(), "search_agent")
	ev.Content = &genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{{
		InlineData: &genai.Blob{MIMEType: "audio/pcm;rate=24000", Data: make([]byte, 4800)}, // 100 ms at 24 kHz
	}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(ev); err != nil {
			b.Fatal(err)
		}
	}
}
