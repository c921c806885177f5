package gemini_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/internal/leaktest"
)

var history = []*genai.Content{
	genai.NewContentFromText("My name is Ada.", genai.RoleUser),
	genai.NewContentFromText("Nice to meet you, Ada.", genai.RoleModel),
}

// TestHistorySeeding checks the clientContent that seeds history after
// setup: every turn, turnComplete only when the last turn is the user's,
// and on gemini-3.1 live models the historyConfig those models require.
func TestHistorySeeding(t *testing.T) {
	tests := []struct {
		name              string
		model             string
		history           []*genai.Content
		wantTurnComplete  bool
		wantHistoryConfig *genai.HistoryConfig
	}{
		{"2.5, last turn the model's", "gemini-live-2.5-flash-preview", history, false, nil},
		{"2.5, last turn the user's", "gemini-live-2.5-flash-preview",
			append(history[:2:2], genai.NewContentFromText("What is my name?", genai.RoleUser)), true, nil},
		{"3.1", "gemini-3.1-flash-live-preview", history, false, &genai.HistoryConfig{InitialHistoryInClientContent: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaktest.Check(t)
			ctx := testContext(t)
			srv := livetest.NewServer()
			defer srv.Close()
			c, err := newModel(t, srv, genai.BackendGeminiAPI, tt.model, nil).Connect(ctx, &flow.ConnectRequest{Setup: textSetup(), History: tt.history})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			sess, err := srv.WaitSession(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantHistoryConfig, sess.Setup().HistoryConfig); diff != "" {
				t.Errorf("setup.historyConfig (-want +got):\n%s", diff)
			}
			msg, err := sess.WaitMessage(ctx, func(m livetest.ClientMessage) bool { return m.ClientContent != nil })
			if err != nil {
				t.Fatal(err)
			}
			want := &genai.LiveClientContent{Turns: tt.history, TurnComplete: tt.wantTurnComplete}
			if diff := cmp.Diff(want, msg.ClientContent); diff != "" {
				t.Errorf("history message (-want +got):\n%s", diff)
			}
			if msgs := sess.Messages(); len(msgs) != 2 {
				t.Errorf("server received %d messages, want setup and one history message", len(msgs))
			}
		})
	}
}

// TestLive31Input checks mid-session input on a gemini-3.1 live model: a
// text-only user turn goes as realtimeInput.text, other content is refused
// before it is sent, and audio goes as audio.
func TestLive31Input(t *testing.T) {
	leaktest.Check(t)
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	srv.Reply(livetest.Text("Hi Ada"))
	c, err := newModel(t, srv, genai.BackendGeminiAPI, "gemini-3.1-flash-live-preview", nil).Connect(ctx, &flow.ConnectRequest{Setup: textSetup()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	refused := []*genai.LiveClientContent{
		{Turns: []*genai.Content{{Role: genai.RoleUser, Parts: []*genai.Part{{InlineData: &genai.Blob{MIMEType: "image/png", Data: []byte{1}}}}}}, TurnComplete: true},
		{Turns: []*genai.Content{genai.NewContentFromText("earlier answer", genai.RoleModel)}, TurnComplete: true},
		{Turns: []*genai.Content{genai.NewContentFromText("a", genai.RoleUser), genai.NewContentFromText("b", genai.RoleUser)}, TurnComplete: true},
		{Turns: []*genai.Content{genai.NewContentFromText("not done", genai.RoleUser)}},
	}
	for _, content := range refused {
		err := c.SendContent(ctx, content)
		var re *gemini.RequestError
		if !errors.As(err, &re) || !errors.Is(err, gemini.ErrInvalidRequest) {
			t.Errorf("SendContent(%+v) = %v, want a *RequestError", content, err)
		}
	}

	turn := &genai.LiveClientContent{Turns: []*genai.Content{{Role: genai.RoleUser,
		Parts: []*genai.Part{{Text: "Hello, "}, {Text: "I am Ada."}}}}, TurnComplete: true}
	if err := c.SendContent(ctx, turn); err != nil {
		t.Fatal(err)
	}
	if got := modelText(receiveTurn(ctx, t, c)); got != "Hi Ada" {
		t.Errorf("reply %q", got)
	}
	audio := &genai.Blob{Data: livetest.Silence(16000, 20*time.Millisecond), MIMEType: "audio/pcm;rate=16000"}
	if err := c.SendRealtime(ctx, &flow.RealtimeInput{Audio: audio}); err != nil {
		t.Fatal(err)
	}

	sess, _ := srv.WaitSession(ctx, 0)
	var got []*livetest.RealtimeInput
	if _, err := sess.WaitMessage(ctx, func(m livetest.ClientMessage) bool {
		if m.ClientContent != nil {
			t.Errorf("a clientContent reached the server: %+v", m.ClientContent)
		}
		if m.RealtimeInput != nil {
			got = append(got, m.RealtimeInput)
		}
		return len(got) == 2
	}); err != nil {
		t.Fatal(err)
	}
	want := []*livetest.RealtimeInput{{Text: "Hello, I am Ada."}, {Audio: audio}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("server received (-want +got):\n%s", diff)
	}
}

// TestInvalidInputIsRefused checks that malformed input never reaches the
// wire and says what was wrong.
func TestInvalidInputIsRefused(t *testing.T) {
	leaktest.Check(t)
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	c, err := newModel(t, srv, genai.BackendVertexAI, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &flow.ConnectRequest{Setup: textSetup()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tests := []struct {
		name  string
		send  func() error
		field string
	}{
		{"no realtime field", func() error { return c.SendRealtime(ctx, &flow.RealtimeInput{}) }, "realtimeInput"},
		{"two realtime fields", func() error {
			return c.SendRealtime(ctx, &flow.RealtimeInput{Text: "x", ActivityEnd: true})
		}, "realtimeInput"},
		{"nil realtime input", func() error { return c.SendRealtime(ctx, nil) }, "realtimeInput"},
		{"audio with a video MIME type", func() error {
			return c.SendRealtime(ctx, &flow.RealtimeInput{Audio: &genai.Blob{MIMEType: "image/jpeg", Data: []byte{1}}})
		}, "realtimeInput.audio.mimeType"},
		{"video that is not an image", func() error {
			return c.SendRealtime(ctx, &flow.RealtimeInput{Video: &genai.Blob{MIMEType: "video/mp4", Data: []byte{1}}})
		}, "realtimeInput.video.mimeType"},
		{"tool response without id", func() error {
			return c.SendToolResponse(ctx, &genai.LiveClientToolResponse{FunctionResponses: []*genai.FunctionResponse{{Name: "f"}}})
		}, "toolResponse.functionResponses[0].id"},
		{"empty tool response", func() error { return c.SendToolResponse(ctx, &genai.LiveClientToolResponse{}) },
			"toolResponse.functionResponses"},
		{"willContinue on Vertex AI", func() error {
			return c.SendToolResponse(ctx, &genai.LiveClientToolResponse{FunctionResponses: []*genai.FunctionResponse{
				{ID: "1", Name: "f", WillContinue: genai.Ptr(true)}}})
		}, "toolResponse.functionResponses[0].willContinue"},
		{"nil turn", func() error {
			return c.SendContent(ctx, &genai.LiveClientContent{Turns: []*genai.Content{nil}})
		}, "clientContent.turns[0]"},
	}
	for _, tt := range tests {
		err := tt.send()
		var re *gemini.RequestError
		if !errors.As(err, &re) || re.Field != tt.field {
			t.Errorf("%s: err = %v, want a *RequestError naming %q", tt.name, err, tt.field)
		}
	}
	sess, _ := srv.WaitSession(ctx, 0)
	if msgs := sess.Messages(); len(msgs) != 1 {
		t.Errorf("the server received %d messages after setup; refused input must not be sent", len(msgs)-1)
	}
	// The connection is still usable.
	if err := c.SendRealtime(ctx, &flow.RealtimeInput{Text: "still here"}); err != nil {
		t.Errorf("a valid send after refused ones failed: %v", err)
	}
}
