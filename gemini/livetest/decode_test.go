package livetest_test

import (
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
)

// manualVADSetup disables automatic activity detection so activity
// signals are allowed, and asks for text so replies are small.
const manualVADSetup = `{"model":"` + geminiModel + `","generationConfig":{"responseModalities":["TEXT"]},` +
	`"realtimeInputConfig":{"automaticActivityDetection":{"disabled":true}}}`

func TestClientFramesDecodeLeniently(t *testing.T) {
	tests := []struct {
		name  string
		frame string
		want  livetest.ClientMessage
	}{
		{
			name:  "snake_case client content",
			frame: `{"client_content":{"turns":[{"role":"user","parts":[{"text":"hi"}]}],"turn_complete":true}}`,
			want: livetest.ClientMessage{ClientContent: &genai.LiveClientContent{
				Turns:        []*genai.Content{{Role: "user", Parts: []*genai.Part{{Text: "hi"}}}},
				TurnComplete: true,
			}},
		},
		{
			name:  "camelCase audio, standard padded base64",
			frame: `{"realtimeInput":{"audio":{"data":"+/8=","mimeType":"audio/pcm;rate=16000"}}}`,
			want: livetest.ClientMessage{RealtimeInput: &livetest.RealtimeInput{
				Audio: &genai.Blob{Data: []byte{0xfb, 0xff}, MIMEType: "audio/pcm;rate=16000"},
			}},
		},
		{
			name:  "snake_case audio, URL-safe unpadded base64",
			frame: `{"realtime_input":{"audio":{"data":"-_8","mime_type":"audio/pcm"}}}`,
			want: livetest.ClientMessage{RealtimeInput: &livetest.RealtimeInput{
				Audio: &genai.Blob{Data: []byte{0xfb, 0xff}, MIMEType: "audio/pcm"},
			}},
		},
		{
			name:  "standard unpadded base64",
			frame: `{"realtimeInput":{"video":{"data":"+/8","mimeType":"image/jpeg"}}}`,
			want: livetest.ClientMessage{RealtimeInput: &livetest.RealtimeInput{
				Video: &genai.Blob{Data: []byte{0xfb, 0xff}, MIMEType: "image/jpeg"},
			}},
		},
		{
			name:  "deprecated media chunks",
			frame: `{"realtime_input":{"media_chunks":[{"mime_type":"audio/pcm","data":"AAA="}]}}`,
			want: livetest.ClientMessage{RealtimeInput: &livetest.RealtimeInput{
				MediaChunks: []*genai.Blob{{MIMEType: "audio/pcm", Data: []byte{0, 0}}},
			}},
		},
		{
			name:  "activity start",
			frame: `{"realtimeInput":{"activityStart":{}}}`,
			want:  livetest.ClientMessage{RealtimeInput: &livetest.RealtimeInput{ActivityStart: true}},
		},
		{
			name:  "snake_case activity end",
			frame: `{"realtime_input":{"activity_end":{}}}`,
			want:  livetest.ClientMessage{RealtimeInput: &livetest.RealtimeInput{ActivityEnd: true}},
		},
		{
			name:  "snake_case audio stream end",
			frame: `{"realtime_input":{"audio_stream_end":true}}`,
			want:  livetest.ClientMessage{RealtimeInput: &livetest.RealtimeInput{AudioStreamEnd: true}},
		},
		{
			name:  "snake_case tool response keeps the user's keys",
			frame: `{"tool_response":{"function_responses":[{"id":"c1","name":"f","response":{"some_key":{"inner_key":1}}}]}}`,
			want: livetest.ClientMessage{ToolResponse: &genai.LiveClientToolResponse{
				FunctionResponses: []*genai.FunctionResponse{{
					ID: "c1", Name: "f", Response: map[string]any{"some_key": map[string]any{"inner_key": float64(1)}},
				}},
			}},
		},
		{
			name:  "snake_case inline data in content",
			frame: `{"client_content":{"turns":[{"parts":[{"inline_data":{"mime_type":"image/png","data":"AQI"}}]}]}}`,
			want: livetest.ClientMessage{ClientContent: &genai.LiveClientContent{
				Turns: []*genai.Content{{Parts: []*genai.Part{{InlineData: &genai.Blob{MIMEType: "image/png", Data: []byte{1, 2}}}}}},
			}},
		},
	}
	srv := newServer(t)
	c := connect(t, srv, manualVADSetup)
	sess, _ := srv.WaitSession(c.ctx, 0)
	for i, tt := range tests {
		c.send(tt.frame)
		msgs := waitMessages(t, c, sess, i+2)
		got := msgs[i+1]
		if string(got.Raw) != tt.frame {
			t.Errorf("%s: Raw = %s, want the frame as sent", tt.name, got.Raw)
		}
		if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(livetest.ClientMessage{}, "Raw")); diff != "" {
			t.Errorf("%s: decoded (-want +got):\n%s", tt.name, diff)
		}
	}
}

// waitMessages waits until the session has recorded n messages.
func waitMessages(t *testing.T, c *client, sess *livetest.Session, n int) []livetest.ClientMessage {
	t.Helper()
	count := 0
	_, err := sess.WaitMessage(c.ctx, func(livetest.ClientMessage) bool {
		count++
		return count == n
	})
	if err != nil {
		t.Fatalf("waiting for %d messages: %v", n, err)
	}
	return sess.Messages()
}

func TestSnakeCaseSetup(t *testing.T) {
	srv := newServer(t)
	c := dial(t, srv, geminiPath, nil)
	c.send(`{"setup":{"model":"models/x","generation_config":{"response_modalities":["TEXT"],"max_output_tokens":"64"},` +
		`"context_window_compression":{"trigger_tokens":25600,"sliding_window":{"target_tokens":"12800"}},` +
		`"realtime_input_config":{"automatic_activity_detection":{"disabled":true,"silence_duration_ms":"300"}},` +
		`"tools":[{"function_declarations":[{"name":"get_weather","parameters":{"type":"OBJECT","properties":{"city_name":{"type":"STRING"}}}}]}],` +
		`"session_resumption":{},"input_audio_transcription":{}}}`)
	if m := c.recv(); m.SetupComplete == nil {
		t.Fatalf("got %+v, want setupComplete", m)
	}
	sess, _ := srv.WaitSession(c.ctx, 0)
	s := sess.Setup()
	tokens := func(n int64) *int64 { return &n }
	ms := int32(300)
	want := &genai.LiveClientSetup{
		Model:            "models/x",
		GenerationConfig: &genai.GenerationConfig{ResponseModalities: []genai.Modality{genai.ModalityText}, MaxOutputTokens: 64},
		ContextWindowCompression: &genai.ContextWindowCompressionConfig{
			TriggerTokens: tokens(25600),
			SlidingWindow: &genai.SlidingWindow{TargetTokens: tokens(12800)},
		},
		RealtimeInputConfig: &genai.RealtimeInputConfig{AutomaticActivityDetection: &genai.AutomaticActivityDetection{Disabled: true, SilenceDurationMs: &ms}},
		Tools: []*genai.Tool{{FunctionDeclarations: []*genai.FunctionDeclaration{{
			Name: "get_weather",
			Parameters: &genai.Schema{Type: genai.TypeObject, Properties: map[string]*genai.Schema{
				"city_name": {Type: genai.TypeString},
			}},
		}}}},
		SessionResumption:       &genai.SessionResumptionConfig{},
		InputAudioTranscription: &genai.AudioTranscriptionConfig{},
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("setup (-want +got):\n%s", diff)
	}
}

func TestBadFramesClose1007(t *testing.T) {
	tests := []struct {
		name, frame, reason string
	}{
		{"not json", `hello`, "Invalid JSON payload received."},
		{"not an object", `[1,2]`, "Invalid JSON payload received."},
		{"unknown key", `{"realtimeInputs":{}}`, `Unknown name "realtimeInputs"`},
		{"empty message", `{}`, "The message is empty"},
		{"bad base64", `{"realtimeInput":{"audio":{"data":"!!!","mimeType":"audio/pcm"}}}`, "audio.data"},
		{"wrong type", `{"clientContent":{"turnComplete":"yes"}}`, "clientContent"},
		{"trailing garbage", `{"realtimeInput":{"text":"a"}} x`, "Invalid JSON payload received."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			c := connect(t, srv, `{"model":"`+geminiModel+`"}`)
			c.send(tt.frame)
			got := c.closeStatus()
			if got.Code != websocket.StatusInvalidFramePayloadData || !strings.Contains(got.Reason, tt.reason) {
				t.Errorf("close = %d %q, want 1007 naming %q", got.Code, got.Reason, tt.reason)
			}
			sess, _ := srv.WaitSession(c.ctx, 0)
			<-sess.Done()
			msgs := sess.Messages()
			if last := msgs[len(msgs)-1]; string(last.Raw) != tt.frame {
				t.Errorf("the bad frame was not recorded: last = %s", last.Raw)
			}
		})
	}
}

func TestMessageRules(t *testing.T) {
	const model31 = "models/gemini-3.1-flash-live-preview"
	tests := []struct {
		name   string
		setup  string
		frames []string
		reason string // "" means the session stays open
	}{
		{
			name:   "media chunks on 3.1",
			setup:  `{"model":"` + model31 + `"}`,
			frames: []string{`{"realtimeInput":{"mediaChunks":[{"mimeType":"audio/pcm","data":"AAA="}]}}`},
			reason: "realtime_input.media_chunks is deprecated. Use audio, video, or text instead.",
		},
		{
			name:   "media chunks on 2.5",
			setup:  `{"model":"` + geminiModel + `","generationConfig":{"responseModalities":["TEXT"]}}`,
			frames: []string{`{"realtimeInput":{"mediaChunks":[{"mimeType":"audio/pcm","data":"AAA="}]}}`},
		},
		{
			name:   "client content on 3.1 without history config",
			setup:  `{"model":"` + model31 + `"}`,
			frames: []string{`{"clientContent":{"turns":[{"role":"user","parts":[{"text":"hi"}]}],"turnComplete":true}}`},
			reason: "client_content",
		},
		{
			name:  "initial history on 3.1 with history config",
			setup: `{"model":"` + model31 + `","historyConfig":{"initialHistoryInClientContent":true}}`,
			frames: []string{
				`{"clientContent":{"turns":[{"role":"user","parts":[{"text":"a"}]},{"role":"model","parts":[{"text":"b"}]}],"turnComplete":true}}`,
				`{"realtimeInput":{"text":"next"}}`,
			},
		},
		{
			name:  "client content after initial history on 3.1",
			setup: `{"model":"` + model31 + `","historyConfig":{"initialHistoryInClientContent":true}}`,
			frames: []string{
				`{"clientContent":{"turns":[{"role":"user","parts":[{"text":"a"}]}],"turnComplete":true}}`,
				`{"clientContent":{"turns":[{"role":"user","parts":[{"text":"b"}]}],"turnComplete":true}}`,
			},
			reason: "client_content",
		},
		{
			name:   "activity start with automatic detection",
			setup:  `{"model":"` + geminiModel + `"}`,
			frames: []string{`{"realtimeInput":{"activityStart":{}}}`},
			reason: "realtime_input.activity_start",
		},
		{
			name:   "activity end with automatic detection",
			setup:  `{"model":"` + geminiModel + `"}`,
			frames: []string{`{"realtimeInput":{"activityEnd":{}}}`},
			reason: "realtime_input.activity_end",
		},
		{
			name:   "activity signals with manual detection",
			setup:  manualVADSetup,
			frames: []string{`{"realtimeInput":{"activityStart":{}}}`, `{"realtimeInput":{"activityEnd":{}}}`},
		},
		{
			name:   "setup twice",
			setup:  `{"model":"` + geminiModel + `"}`,
			frames: []string{`{"setup":{"model":"` + geminiModel + `"}}`},
			reason: "setup",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			c := connect(t, srv, tt.setup)
			for _, f := range tt.frames {
				c.send(f)
			}
			if tt.reason == "" {
				// Still open: a text turn is answered.
				c.send(`{"realtimeInput":{"text":"ping"}}`)
				c.recvUntil(turnComplete)
				return
			}
			got := c.closeStatus()
			if got.Code != websocket.StatusInvalidFramePayloadData || !strings.Contains(got.Reason, tt.reason) {
				t.Errorf("close = %d %q, want 1007 naming %q", got.Code, got.Reason, tt.reason)
			}
		})
	}
}
