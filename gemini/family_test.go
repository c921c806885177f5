package gemini_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
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
			ignore := goleak.IgnoreCurrent()
			t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
			ctx := testContext(t)
			srv := livetest.NewServer()
			defer srv.Close()
			c, err := newModel(t, srv, genai.BackendGeminiAPI, tt.model, nil).Connect(ctx, &live.ConnectRequest{Setup: textSetup(), History: tt.history})
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
// user turn goes as realtime input (its text as realtimeInput.text, its
// inline images as video and audio as audio, in the order of the parts),
// content that cannot be expressed so is refused before it is sent, and
// realtime audio goes as audio.
func TestLive31Input(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	srv.Reply(livetest.Text("Hi Ada"))
	c, err := newModel(t, srv, genai.BackendGeminiAPI, "gemini-3.1-flash-live-preview", nil).Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	userTurn := func(parts ...*genai.Part) *genai.LiveClientContent {
		return &genai.LiveClientContent{Turns: []*genai.Content{{Role: genai.RoleUser, Parts: parts}}, TurnComplete: true}
	}
	png := &genai.Blob{MIMEType: "image/png", Data: []byte{1}}
	refused := []struct {
		content *genai.LiveClientContent
		field   string
	}{
		{userTurn(&genai.Part{Text: "see", InlineData: png}), "clientContent.turns[0].parts[0]"},
		{userTurn(genai.NewPartFromText("read this"), &genai.Part{InlineData: &genai.Blob{MIMEType: "application/pdf", Data: []byte("%PDF")}}),
			"clientContent.turns[0].parts[1].inlineData.mimeType"},
		{userTurn(&genai.Part{FunctionResponse: &genai.FunctionResponse{ID: "1", Name: "f"}}), "clientContent.turns[0].parts[0]"},
		{userTurn(&genai.Part{FileData: &genai.FileData{FileURI: "gs://b/o.png", MIMEType: "image/png"}}), "clientContent.turns[0].parts[0]"},
		{userTurn(), "clientContent.turns[0].parts"},
		{&genai.LiveClientContent{Turns: []*genai.Content{genai.NewContentFromText("earlier answer", genai.RoleModel)}, TurnComplete: true},
			"clientContent.turns[0].role"},
		{&genai.LiveClientContent{Turns: []*genai.Content{genai.NewContentFromText("a", genai.RoleUser), genai.NewContentFromText("b", genai.RoleUser)}, TurnComplete: true},
			"clientContent.turns"},
		{&genai.LiveClientContent{Turns: []*genai.Content{genai.NewContentFromText("not done", genai.RoleUser)}}, "clientContent.turnComplete"},
	}
	for _, tt := range refused {
		err := c.SendContent(ctx, tt.content)
		var re *gemini.RequestError
		if !errors.As(err, &re) || !errors.Is(err, gemini.ErrInvalidRequest) || re.Field != tt.field {
			t.Errorf("SendContent(%+v) = %v, want a *RequestError naming %s", tt.content, err, tt.field)
			continue
		}
		if !strings.Contains(err.Error(), "gemini-3.1 live models take mid-session content only as realtime input") {
			t.Errorf("SendContent(%+v) = %q, want it to state the gemini-3.1 rule", tt.content, err)
		}
	}

	if err := c.SendContent(ctx, userTurn(genai.NewPartFromText("Hello, "), genai.NewPartFromText("I am Ada."))); err != nil {
		t.Fatal(err)
	}
	if got := modelText(receiveTurn(ctx, t, c)); got != "Hi Ada" {
		t.Errorf("reply %q", got)
	}
	jpeg := &genai.Blob{MIMEType: "image/jpeg", Data: []byte{0xff, 0xd8, 0xff}}
	voice := &genai.Blob{Data: livetest.Silence(16000, 20*time.Millisecond), MIMEType: "audio/pcm;rate=16000"}
	mixed := userTurn(&genai.Part{InlineData: jpeg}, genai.NewPartFromText("What is "), genai.NewPartFromText("this?"),
		&genai.Part{InlineData: voice}, &genai.Part{InlineData: png})
	if err := c.SendContent(ctx, mixed); err != nil {
		t.Fatal(err)
	}
	audio := &genai.Blob{Data: livetest.Silence(16000, 20*time.Millisecond), MIMEType: "audio/pcm;rate=16000"}
	if err := c.SendRealtime(ctx, &live.RealtimeInput{Audio: audio}); err != nil {
		t.Fatal(err)
	}

	want := []*livetest.RealtimeInput{
		{Text: "Hello, I am Ada."},
		{Video: jpeg}, {Text: "What is this?"}, {Audio: voice}, {Video: png},
		{Audio: audio},
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
		return len(got) == len(want)
	}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("server received (-want +got):\n%s", diff)
	}
}

// TestInvalidInputIsRefused checks that malformed input never reaches the
// wire and says what was wrong.
func TestInvalidInputIsRefused(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	c, err := newModel(t, srv, genai.BackendVertexAI, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tests := []struct {
		name  string
		send  func() error
		field string
	}{
		{"no realtime field", func() error { return c.SendRealtime(ctx, &live.RealtimeInput{}) }, "realtimeInput"},
		{"two realtime fields", func() error {
			return c.SendRealtime(ctx, &live.RealtimeInput{Text: "x", ActivityEnd: true})
		}, "realtimeInput"},
		{"nil realtime input", func() error { return c.SendRealtime(ctx, nil) }, "realtimeInput"},
		{"audio with a video MIME type", func() error {
			return c.SendRealtime(ctx, &live.RealtimeInput{Audio: &genai.Blob{MIMEType: "image/jpeg", Data: []byte{1}}})
		}, "realtimeInput.audio.mimeType"},
		{"video that is not an image", func() error {
			return c.SendRealtime(ctx, &live.RealtimeInput{Video: &genai.Blob{MIMEType: "video/mp4", Data: []byte{1}}})
		}, "realtimeInput.video.mimeType"},
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
	if err := c.SendRealtime(ctx, &live.RealtimeInput{Text: "still here"}); err != nil {
		t.Errorf("a valid send after refused ones failed: %v", err)
	}
}
