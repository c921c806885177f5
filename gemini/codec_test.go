package gemini

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
)

// clientFrame is a client message as the server reads it, for tests.
type clientFrame struct {
	Setup         *genai.LiveClientSetup        `json:"setup"`
	ClientContent *genai.LiveClientContent      `json:"clientContent"`
	ToolResponse  *genai.LiveClientToolResponse `json:"toolResponse"`
	RealtimeInput *realtimeFrame                `json:"realtimeInput"`
}

type realtimeFrame struct {
	Audio          *genai.Blob   `json:"audio"`
	Video          *genai.Blob   `json:"video"`
	Text           string        `json:"text"`
	ActivityStart  *struct{}     `json:"activityStart"`
	ActivityEnd    *struct{}     `json:"activityEnd"`
	AudioStreamEnd bool          `json:"audioStreamEnd"`
	MediaChunks    []*genai.Blob `json:"mediaChunks"`
}

// decodeClientFrame decodes one client frame strictly: exactly one
// top-level key, and valid JSON.
func decodeClientFrame(t testing.TB, data []byte) clientFrame {
	t.Helper()
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		t.Fatalf("client frame is not a JSON object: %v\n%s", err, data)
	}
	if len(keys) != 1 {
		t.Fatalf("client frame has %d top-level keys, want 1: %s", len(keys), data)
	}
	var f clientFrame
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("client frame: %v", err)
	}
	return f
}

func TestClientMessagesRoundTrip(t *testing.T) {
	audio := &genai.Blob{Data: []byte{0, 1, 2, 0xff, 0xfe}, MIMEType: "audio/pcm;rate=16000"}
	jpeg := &genai.Blob{Data: []byte("\xff\xd8\xff\xe0jpeg"), MIMEType: "image/jpeg"}
	content := &genai.LiveClientContent{
		Turns: []*genai.Content{
			{Role: "user", Parts: []*genai.Part{{Text: "what is the weather in Redmond?"}, {InlineData: jpeg}}},
			{Role: "model", Parts: []*genai.Part{{FunctionCall: &genai.FunctionCall{ID: "c1", Name: "get_weather", Args: map[string]any{"city": "Redmond"}}}}},
			{Role: "user", Parts: []*genai.Part{{FunctionResponse: &genai.FunctionResponse{ID: "c1", Name: "get_weather", Response: map[string]any{"output": "rain"}}}}},
		},
		TurnComplete: true,
	}
	toolResponse := &genai.LiveClientToolResponse{FunctionResponses: []*genai.FunctionResponse{
		{ID: "function-call-1", Name: "get_weather", Response: map[string]any{"output": map[string]any{"temp": 12.5}}},
		{ID: "function-call-2", Name: "lookup", Response: map[string]any{"error": "not found"},
			Scheduling: genai.FunctionResponseSchedulingWhenIdle, WillContinue: genai.Ptr(false)},
	}}
	tests := []struct {
		name   string
		encode func() ([]byte, error)
		want   clientFrame
	}{
		{"clientContent", func() ([]byte, error) { return appendClientContent(nil, genai.BackendGeminiAPI, content) },
			clientFrame{ClientContent: content}},
		{"clientContent incomplete", func() ([]byte, error) {
			return appendClientContent(nil, genai.BackendVertexAI, &genai.LiveClientContent{Turns: content.Turns[:1]})
		}, clientFrame{ClientContent: &genai.LiveClientContent{Turns: content.Turns[:1]}}},
		{"toolResponse", func() ([]byte, error) { return appendToolResponse(nil, genai.BackendGeminiAPI, toolResponse) },
			clientFrame{ToolResponse: toolResponse}},
		{"audio", func() ([]byte, error) { return appendRealtimeInput(nil, &live.RealtimeInput{Audio: audio}, false) },
			clientFrame{RealtimeInput: &realtimeFrame{Audio: audio}}},
		{"audio with display name", func() ([]byte, error) {
			return appendRealtimeInput(nil, &live.RealtimeInput{Audio: &genai.Blob{Data: []byte{1}, MIMEType: "audio/pcm", DisplayName: `mic "1"`}}, false)
		}, clientFrame{RealtimeInput: &realtimeFrame{Audio: &genai.Blob{Data: []byte{1}, MIMEType: "audio/pcm", DisplayName: `mic "1"`}}}},
		{"empty audio", func() ([]byte, error) {
			return appendRealtimeInput(nil, &live.RealtimeInput{Audio: &genai.Blob{MIMEType: "audio/pcm"}}, false)
		}, clientFrame{RealtimeInput: &realtimeFrame{Audio: &genai.Blob{MIMEType: "audio/pcm"}}}},
		{"video", func() ([]byte, error) { return appendRealtimeInput(nil, &live.RealtimeInput{Video: jpeg}, false) },
			clientFrame{RealtimeInput: &realtimeFrame{Video: jpeg}}},
		{"text", func() ([]byte, error) {
			return appendRealtimeInput(nil, &live.RealtimeInput{Text: "héllo \"there\"\n<b>&</b> \u2028 \x01"}, false)
		}, clientFrame{RealtimeInput: &realtimeFrame{Text: "héllo \"there\"\n<b>&</b> \u2028 \x01"}}},
		{"activityStart", func() ([]byte, error) {
			return appendRealtimeInput(nil, &live.RealtimeInput{ActivityStart: true}, false)
		},
			clientFrame{RealtimeInput: &realtimeFrame{ActivityStart: &struct{}{}}}},
		{"activityEnd", func() ([]byte, error) { return appendRealtimeInput(nil, &live.RealtimeInput{ActivityEnd: true}, false) },
			clientFrame{RealtimeInput: &realtimeFrame{ActivityEnd: &struct{}{}}}},
		{"audioStreamEnd", func() ([]byte, error) {
			return appendRealtimeInput(nil, &live.RealtimeInput{AudioStreamEnd: true}, false)
		},
			clientFrame{RealtimeInput: &realtimeFrame{AudioStreamEnd: true}}},
		{"audio as mediaChunks", func() ([]byte, error) { return appendRealtimeInput(nil, &live.RealtimeInput{Audio: audio}, true) },
			clientFrame{RealtimeInput: &realtimeFrame{MediaChunks: []*genai.Blob{audio}}}},
		{"video as mediaChunks", func() ([]byte, error) { return appendRealtimeInput(nil, &live.RealtimeInput{Video: jpeg}, true) },
			clientFrame{RealtimeInput: &realtimeFrame{MediaChunks: []*genai.Blob{jpeg}}}},
		{"text ignores mediaChunks", func() ([]byte, error) { return appendRealtimeInput(nil, &live.RealtimeInput{Text: "hi"}, true) },
			clientFrame{RealtimeInput: &realtimeFrame{Text: "hi"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := tt.encode()
			if err != nil {
				t.Fatal(err)
			}
			got := decodeClientFrame(t, data)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("decoded frame differs (-want +got):\n%s\nframe: %s", diff, data)
			}
		})
	}
}

func TestServerMessagesRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		resp *live.Response
	}{
		{"setupComplete", &live.Response{SetupComplete: &genai.LiveServerSetupComplete{SessionID: "f162d11d-434a-4212-8a31-f1a4843cad11"}}},
		{"setupComplete empty", &live.Response{SetupComplete: &genai.LiveServerSetupComplete{}}},
		{"audio chunk", &live.Response{ServerContent: &genai.LiveServerContent{ModelTurn: &genai.Content{Role: "model",
			Parts: []*genai.Part{{InlineData: &genai.Blob{MIMEType: "audio/pcm;rate=24000", Data: pcm(1920)}}}}}}},
		{"model turn of every part kind", &live.Response{ServerContent: &genai.LiveServerContent{ModelTurn: &genai.Content{Role: "model",
			Parts: []*genai.Part{
				{Text: "Let me think", Thought: true, ThoughtSignature: []byte{9, 8, 7}},
				{Text: "Hello"},
				{ExecutableCode: &genai.ExecutableCode{Language: genai.LanguagePython, Code: "print(1)"}},
				{CodeExecutionResult: &genai.CodeExecutionResult{Outcome: genai.OutcomeOK, Output: "1\n"}},
				{InlineData: &genai.Blob{MIMEType: "audio/pcm", Data: pcm(10)}},
			}}}}},
		{"turn flags", &live.Response{ServerContent: &genai.LiveServerContent{TurnComplete: true, Interrupted: true,
			GenerationComplete: true, WaitingForInput: true, TurnCompleteReason: genai.TurnCompleteReasonNeedMoreInput}}},
		{"transcriptions", &live.Response{ServerContent: &genai.LiveServerContent{
			InputTranscription:  &genai.Transcription{Text: " what's", Finished: true},
			OutputTranscription: &genai.Transcription{Text: "It"}}}},
		{"grounding and url context", &live.Response{ServerContent: &genai.LiveServerContent{
			GroundingMetadata: &genai.GroundingMetadata{WebSearchQueries: []string{"weather redmond"},
				GroundingChunks:  []*genai.GroundingChunk{{Web: &genai.GroundingChunkWeb{URI: "https://example.com", Title: "Example"}}},
				SearchEntryPoint: &genai.SearchEntryPoint{RenderedContent: "<div/>", SDKBlob: []byte("blob")}},
			URLContextMetadata: &genai.URLContextMetadata{URLMetadata: []*genai.URLMetadata{{RetrievedURL: "https://example.com",
				URLRetrievalStatus: genai.URLRetrievalStatusSuccess}}}}}},
		{"toolCall", &live.Response{ToolCall: &genai.LiveServerToolCall{FunctionCalls: []*genai.FunctionCall{
			{ID: "function-call-5831923424298605773", Name: "get_current_weather", Args: map[string]any{"location": "Redmond, WA", "days": 3.0}},
			{ID: "function-call-2", Name: "no_args"}}}}},
		{"toolCallCancellation", &live.Response{ToolCallCancellation: &genai.LiveServerToolCallCancellation{IDs: []string{"a", "b"}}}},
		{"goAway", &live.Response{GoAway: &genai.LiveServerGoAway{TimeLeft: 50 * time.Second}}},
		{"goAway fractional", &live.Response{GoAway: &genai.LiveServerGoAway{TimeLeft: 1500 * time.Millisecond}}},
		{"sessionResumptionUpdate", &live.Response{SessionResumptionUpdate: &genai.LiveServerSessionResumptionUpdate{
			NewHandle: "handle-1", Resumable: true, LastConsumedClientMessageIndex: 3}}},
		{"sessionResumptionUpdate not resumable", &live.Response{SessionResumptionUpdate: &genai.LiveServerSessionResumptionUpdate{}}},
		{"usageMetadata", &live.Response{UsageMetadata: &genai.UsageMetadata{PromptTokenCount: 515, CachedContentTokenCount: 4,
			ResponseTokenCount: 31, ToolUsePromptTokenCount: 2, ThoughtsTokenCount: 7, TotalTokenCount: 546,
			PromptTokensDetails:   []*genai.ModalityTokenCount{{Modality: genai.MediaModalityText, TokenCount: 515}},
			ResponseTokensDetails: []*genai.ModalityTokenCount{{Modality: genai.MediaModalityAudio, TokenCount: 31}},
			TrafficType:           genai.TrafficTypeOnDemand}}},
		{"voiceActivity", &live.Response{VoiceActivity: &genai.VoiceActivity{VoiceActivityType: genai.VoiceActivityTypeActivityStart,
			AudioOffset: 6680 * time.Millisecond}}},
		{"voiceActivityDetectionSignal", &live.Response{VoiceActivityDetectionSignal: &genai.VoiceActivityDetectionSignal{
			VADSignalType: genai.VADSignalTypeEos}}},
		{"turnComplete with usage", &live.Response{ServerContent: &genai.LiveServerContent{TurnComplete: true},
			UsageMetadata: &genai.UsageMetadata{TotalTokenCount: 9}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := encodeServerFrame(tt.resp)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeServerMessage(data)
			if err != nil {
				t.Fatalf("decode %s: %v", data, err)
			}
			if diff := cmp.Diff(tt.resp, got); diff != "" {
				t.Errorf("round trip differs (-want +got):\n%s\nframe: %s", diff, data)
			}
		})
	}
}

// TestDecodeLenient feeds the spellings docs/PROTOCOL.md §2 and §4 say a client
// must accept.
func TestDecodeLenient(t *testing.T) {
	tests := []struct {
		name  string
		frame string
		want  *live.Response
	}{
		{"resumption index as string", `{"sessionResumptionUpdate":{"newHandle":"h","resumable":true,"lastConsumedClientMessageIndex":"3"}}`,
			&live.Response{SessionResumptionUpdate: &genai.LiveServerSessionResumptionUpdate{NewHandle: "h", Resumable: true, LastConsumedClientMessageIndex: 3}}},
		{"resumption index as number", `{"sessionResumptionUpdate":{"lastConsumedClientMessageIndex":9007199254740993}}`,
			&live.Response{SessionResumptionUpdate: &genai.LiveServerSessionResumptionUpdate{LastConsumedClientMessageIndex: 9007199254740993}}},
		{"Vertex usage names", `{"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":"31","totalTokenCount":41,
			"candidatesTokensDetails":[{"modality":"AUDIO","tokenCount":"31"}]}}`,
			&live.Response{UsageMetadata: &genai.UsageMetadata{PromptTokenCount: 10, ResponseTokenCount: 31, TotalTokenCount: 41,
				ResponseTokensDetails: []*genai.ModalityTokenCount{{Modality: genai.MediaModalityAudio, TokenCount: 31}}}}},
		{"voiceActivity wire key", `{"voiceActivity":{"type":"ACTIVITY_END","audioOffset":"6.680s"}}`,
			&live.Response{VoiceActivity: &genai.VoiceActivity{VoiceActivityType: genai.VoiceActivityTypeActivityEnd, AudioOffset: 6680 * time.Millisecond}}},
		{"voiceActivity genai key", `{"voiceActivity":{"voiceActivityType":"ACTIVITY_START","audioOffset":2.5}}`,
			&live.Response{VoiceActivity: &genai.VoiceActivity{VoiceActivityType: genai.VoiceActivityTypeActivityStart, AudioOffset: 2500 * time.Millisecond}}},
		{"goAway", `{"goAway":{"timeLeft":"50s"}}`, &live.Response{GoAway: &genai.LiveServerGoAway{TimeLeft: 50 * time.Second}}},
		{"URL-safe unpadded base64", `{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"mimeType":"audio/pcm","data":"-_-_8A"}}]}}}`,
			audioResponse("", "audio/pcm", []byte{0xfb, 0xff, 0xbf, 0xf0})},
		{"standard unpadded base64", `{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"mimeType":"audio/pcm","data":"+/+/8A"}}]}}}`,
			audioResponse("", "audio/pcm", []byte{0xfb, 0xff, 0xbf, 0xf0})},
		{"escaped base64", `{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"mimeType":"audio\/pcm","data":"AAEC\/w==\n"}}]}}}`,
			audioResponse("", "audio/pcm", []byte{0, 1, 2, 0xff})},
		{"Vertex first outputTranscription", `{"serverContent":{"outputTranscription":{}}}`,
			&live.Response{ServerContent: &genai.LiveServerContent{OutputTranscription: &genai.Transcription{}}}},
		{"unknown fields ignored", `{"serverContent":{"turnComplete":true,"someFutureField":{"x":1}},"futureMessage":{}}`,
			&live.Response{ServerContent: &genai.LiveServerContent{TurnComplete: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeServerMessage([]byte(tt.frame))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func audioResponse(role, mime string, data []byte) *live.Response {
	return &live.Response{ServerContent: &genai.LiveServerContent{ModelTurn: &genai.Content{Role: role,
		Parts: []*genai.Part{{InlineData: &genai.Blob{MIMEType: mime, Data: data}}}}}}
}

func TestDecodeErrors(t *testing.T) {
	t.Run("in-band error", func(t *testing.T) {
		_, err := decodeServerMessage([]byte(`{"error":{"code":400,"message":"Request contains an invalid argument.","status":"INVALID_ARGUMENT"}}`))
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("err = %v, want *APIError", err)
		}
		want := &APIError{Code: 400, Status: "INVALID_ARGUMENT", Message: "Request contains an invalid argument."}
		if diff := cmp.Diff(want, apiErr); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if apiErr.Retryable() || apiErr.Quota() {
			t.Errorf("INVALID_ARGUMENT: Retryable %v Quota %v, want false false", apiErr.Retryable(), apiErr.Quota())
		}
	})
	t.Run("quota in-band error", func(t *testing.T) {
		_, err := decodeServerMessage([]byte(`{"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}}`))
		var apiErr *APIError
		if !errors.As(err, &apiErr) || !apiErr.Quota() || apiErr.Retryable() {
			t.Fatalf("err = %#v, want a quota *APIError", err)
		}
	})
	for _, frame := range []string{
		``,
		`not json`,
		`{"serverContent":`,
		`{"sessionResumptionUpdate":{"lastConsumedClientMessageIndex":"three"}}`,
		`{"sessionResumptionUpdate":{"lastConsumedClientMessageIndex":1.5}}`,
		`{"usageMetadata":{"totalTokenCount":"99999999999"}}`,
		`{"goAway":{"timeLeft":"soon"}}`,
		`{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"data":"!!!!"}}]}}}`,
		`{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"data":"+/-_"}}]}}}`,
		`{"serverContent":{"turnComplete":"yes"}}`,
	} {
		t.Run(frame, func(t *testing.T) {
			_, err := decodeServerMessage([]byte(frame))
			var pe *ProtocolError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want *ProtocolError", err)
			}
			if pe.Retryable() {
				t.Error("a protocol error is not retryable")
			}
		})
	}
}

// TestDecodeFastPath checks that the hot frame shapes take the fast path
// (so the benchmarks measure it) and that everything else is left to the
// general decoder, with the same result either way.
func TestDecodeFastPath(t *testing.T) {
	hot := []string{
		string(audioFrame(1920)),
		`{"serverContent":{"modelTurn":{"parts":[{"text":"Yes, I'"}]}}}`,
		`{"serverContent":{"modelTurn":{"role":"model","parts":[{"text":"say \"hi\"\n\u00e9","thought":true}]}}}`,
		`{"serverContent":{"outputTranscription":{"text":" could talk"}}}`,
		`{"serverContent":{"inputTranscription":{"text":" what's","finished":true}}}`,
		`{"serverContent":{"outputTranscription":{}}}`,
		`{"serverContent":{"generationComplete":true}}`,
		`{"serverContent":{"turnComplete":true,"interrupted":false,"waitingForInput":true}}`,
		"{\n  \"serverContent\": {\n    \"modelTurn\": {\n      \"parts\": []\n    }\n  }\n}\n",
		`{"serverContent":{}}`,
	}
	for _, frame := range hot {
		fast, ok := decodeFast([]byte(frame))
		if !ok {
			t.Errorf("fast path refused a hot frame: %.120s", frame)
			continue
		}
		general, err := decodeGeneral([]byte(frame))
		if err != nil {
			t.Fatalf("general decoder: %v", err)
		}
		if diff := cmp.Diff(general, fast); diff != "" {
			t.Errorf("fast path differs from the general decoder (-general +fast):\n%s", diff)
		}
	}
	cold := []string{
		`{"serverContent":{"turnComplete":true},"usageMetadata":{"totalTokenCount":3}}`,
		`{"serverContent":{"turnComplete":true,"turnComplete":false}}`,
		`{"serverContent":{"modelTurn":null}}`,
		`{"serverContent":{"ModelTurn":{}}}`,
		`{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"data":"AAE"}}]}}}`,
		`{"serverContent":{"modelTurn":{"parts":[{"executableCode":{"code":"x"}}]}}}`,
		`{"serverContent":{}} x`,
		`{"setupComplete":{}}`,
	}
	for _, frame := range cold {
		if _, ok := decodeFast([]byte(frame)); ok {
			t.Errorf("fast path accepted %s; it must leave it to the general decoder", frame)
		}
	}
}

// pcm returns n bytes of a deterministic non-silent signal.
func pcm(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/13)
	}
	return b
}

// audioFrame is a pretty-printed 24 kHz audio chunk frame like the server
// sends, with n bytes of PCM.
func audioFrame(n int) []byte {
	resp := audioResponse("model", "audio/pcm;rate=24000", pcm(n))
	data, err := json.MarshalIndent(map[string]any{"serverContent": resp.ServerContent}, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(data, '\n')
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "tab\tnewline\n", "<html>&", "é日本\u2028", "\xff invalid"} {
		var got string
		if err := json.Unmarshal(appendJSONString(nil, s), &got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		want := strings.ToValidUTF8(s, "\uFFFD")
		if got != want {
			t.Errorf("appendJSONString(%q) decodes to %q, want %q", s, got, want)
		}
	}
}
