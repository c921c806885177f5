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

func TestTextTurn(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend.String(), func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
			ctx := testContext(t)
			srv := livetest.NewServer()
			defer srv.Close()
			srv.Reply(livetest.Text("Hello"), livetest.Text(" there"))

			c, err := newModel(t, srv, backend, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			sess, err := srv.WaitSession(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}

			first, err := c.Receive(ctx)
			if err != nil || first.SetupComplete == nil {
				t.Fatalf("first Receive = %+v, %v; want the setupComplete", first, err)
			}
			if backend == genai.BackendVertexAI && c.SessionID() != sess.ID() {
				t.Errorf("SessionID() = %q, want the server's %q", c.SessionID(), sess.ID())
			}
			wantModel := "models/gemini-live-2.5-flash-preview"
			if backend == genai.BackendVertexAI {
				wantModel = "projects/test-project/locations/us-central1/publishers/google/models/gemini-live-2.5-flash-preview"
			}
			if got := sess.Setup().Model; got != wantModel {
				t.Errorf("server saw setup.model %q, want %q", got, wantModel)
			}

			turn := &genai.LiveClientContent{Turns: []*genai.Content{genai.NewContentFromText("Hi", genai.RoleUser)}, TurnComplete: true}
			if err := c.SendContent(ctx, turn); err != nil {
				t.Fatal(err)
			}
			rs := receiveTurn(ctx, t, c)
			if got := modelText(rs); got != "Hello there" {
				t.Errorf("model text %q, want %q", got, "Hello there")
			}
			generationComplete := false
			for _, r := range rs {
				generationComplete = generationComplete || (r.ServerContent != nil && r.ServerContent.GenerationComplete)
			}
			if !generationComplete {
				t.Error("no generationComplete before turnComplete")
			}
			got, err := sess.WaitMessage(ctx, func(m livetest.ClientMessage) bool { return m.ClientContent != nil })
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(turn, got.ClientContent); diff != "" {
				t.Errorf("server received a different clientContent (-sent +received):\n%s", diff)
			}
		})
	}
}

func TestToolCallRoundTrip(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend.String(), func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
			ctx := testContext(t)
			srv := livetest.NewServer()
			defer srv.Close()
			srv.Reply(livetest.ToolCall(&genai.FunctionCall{Name: "get_weather", Args: map[string]any{"city": "Redmond"}}),
				livetest.Text("It is raining."))
			setup := textSetup()
			setup.Tools = []*genai.Tool{{FunctionDeclarations: []*genai.FunctionDeclaration{{Name: "get_weather"}}}}
			c, err := newModel(t, srv, backend, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &live.ConnectRequest{Setup: setup})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.SendContent(ctx, &genai.LiveClientContent{
				Turns: []*genai.Content{genai.NewContentFromText("Weather?", genai.RoleUser)}, TurnComplete: true}); err != nil {
				t.Fatal(err)
			}
			var call *genai.FunctionCall
			for call == nil {
				r, err := c.Receive(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if r.ToolCall != nil {
					call = r.ToolCall.FunctionCalls[0]
				}
			}
			if call.Name != "get_weather" || call.ID == "" || call.Args["city"] != "Redmond" {
				t.Fatalf("tool call %+v, want get_weather(city=Redmond) with an id", call)
			}
			resp := &genai.LiveClientToolResponse{FunctionResponses: []*genai.FunctionResponse{
				{ID: call.ID, Name: call.Name, Response: map[string]any{"output": "rain"}}}}
			if err := c.SendToolResponse(ctx, resp); err != nil {
				t.Fatal(err)
			}
			if got := modelText(receiveTurn(ctx, t, c)); got != "It is raining." {
				t.Errorf("continuation %q, want %q", got, "It is raining.")
			}
			sess, _ := srv.WaitSession(ctx, 0)
			got, err := sess.WaitMessage(ctx, func(m livetest.ClientMessage) bool { return m.ToolResponse != nil })
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(resp, got.ToolResponse); diff != "" {
				t.Errorf("server received a different toolResponse (-sent +received):\n%s", diff)
			}
		})
	}
}

func TestResumptionUpdateAndGoAway(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	setup := textSetup()
	setup.SessionResumption = &genai.SessionResumptionConfig{}
	c, err := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &live.ConnectRequest{Setup: setup})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := srv.WaitSession(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	update := &genai.LiveServerSessionResumptionUpdate{NewHandle: "handle-7", Resumable: true, LastConsumedClientMessageIndex: 3}
	if err := sess.Send(ctx, livetest.ResumptionUpdate(update), livetest.GoAway(50*time.Second)); err != nil {
		t.Fatal(err)
	}
	var gotUpdate *genai.LiveServerSessionResumptionUpdate
	var gotGoAway *genai.LiveServerGoAway
	for gotGoAway == nil {
		r, err := c.Receive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r.SessionResumptionUpdate != nil {
			gotUpdate = r.SessionResumptionUpdate
		}
		gotGoAway = r.GoAway
	}
	if diff := cmp.Diff(update, gotUpdate); diff != "" {
		t.Errorf("sessionResumptionUpdate (-sent +received):\n%s", diff)
	}
	if gotGoAway.TimeLeft != 50*time.Second {
		t.Errorf("goAway timeLeft = %v, want 50s", gotGoAway.TimeLeft)
	}
}

func TestTextFramesAccepted(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx := testContext(t)
	srv := livetest.NewServer(livetest.WithTextFrames())
	defer srv.Close()
	srv.Reply(livetest.Text("over text frames"))
	c, err := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendRealtime(ctx, &live.RealtimeInput{Text: "hi"}); err != nil {
		t.Fatal(err)
	}
	if got := modelText(receiveTurn(ctx, t, c)); got != "over text frames" {
		t.Errorf("model text %q", got)
	}
}

// TestServerErrors checks what Receive returns for an in-band error, a
// frame that does not decode, and a frame over the read limit.
func TestServerErrors(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	m := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", &gemini.Config{ReadLimit: 4096})
	c, err := m.Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Receive(ctx); err != nil { // setupComplete
		t.Fatal(err)
	}
	sess, _ := srv.WaitSession(ctx, 0)

	if err := sess.Send(ctx, livetest.Raw([]byte(`{"error":{"code":400,"message":"Request contains an invalid argument.","status":"INVALID_ARGUMENT"}}`))); err != nil {
		t.Fatal(err)
	}
	_, err = c.Receive(ctx)
	var apiErr *gemini.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 400 || apiErr.Status != "INVALID_ARGUMENT" || apiErr.Message != "Request contains an invalid argument." {
		t.Errorf("Receive = %v, want the in-band *APIError", err)
	}

	if err := sess.Send(ctx, livetest.Raw([]byte(`{"serverContent": oops}`))); err != nil {
		t.Fatal(err)
	}
	_, err = c.Receive(ctx)
	var pe *gemini.ProtocolError
	if !errors.As(err, &pe) || pe.Retryable() {
		t.Errorf("Receive = %v, want a fatal *ProtocolError", err)
	}

	// Neither error ends the connection.
	if err := sess.Send(ctx, livetest.Text("still here")); err != nil {
		t.Fatal(err)
	}
	if r, err := c.Receive(ctx); err != nil || modelText([]*live.Response{r}) != "still here" {
		t.Fatalf("Receive after the errors = %+v, %v", r, err)
	}

	if err := sess.Send(ctx, livetest.Text(strings.Repeat("x", 5000))); err != nil {
		t.Fatal(err)
	}
	_, err = c.Receive(ctx)
	var ce *gemini.CloseError
	if !errors.As(err, &ce) || ce.Code != 1009 || ce.Retryable() || !strings.Contains(ce.Reason, "Config.ReadLimit") {
		t.Errorf("Receive of an oversized frame = %v, want a fatal *CloseError 1009 naming Config.ReadLimit", err)
	}
}
