package gemini_test

import (
	"context"
	"errors"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/auth"
	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
)

// These tests drive a Conn against the fake Live server, through the
// public API only.

var backends = []genai.Backend{genai.BackendGeminiAPI, genai.BackendVertexAI}

type tokenSource string

func (s tokenSource) Token(context.Context) (*auth.Token, error) {
	return &auth.Token{Value: string(s), Type: "Bearer"}, nil
}

// newModel returns a model pointed at srv, with explicit credentials so
// the environment plays no part.
func newModel(t *testing.T, srv *livetest.Server, backend genai.Backend, name string, cfg *gemini.Config) *gemini.Model {
	t.Helper()
	c := gemini.Config{}
	if cfg != nil {
		c = *cfg
	}
	c.Backend, c.BaseURL = backend, srv.URL
	if backend == genai.BackendVertexAI {
		c.Project, c.Location = "test-project", "us-central1"
		c.Credentials = auth.NewCredentials(&auth.CredentialsOptions{TokenProvider: tokenSource("ya29.test")})
	} else if c.APIKey == "" {
		c.APIKey = "test-key"
	}
	m, err := gemini.NewModel(context.Background(), name, &c)
	if err != nil {
		t.Fatalf("NewModel: %v", err)
	}
	return m
}

func textSetup() *genai.LiveClientSetup {
	return &genai.LiveClientSetup{GenerationConfig: &genai.GenerationConfig{ResponseModalities: []genai.Modality{genai.ModalityText}}}
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// noLeaks fails the test if goroutines started during it outlive it. Call
// it first, so its check runs after every other cleanup.
func noLeaks(t *testing.T) {
	t.Helper()
	base := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(10 * time.Second)
		for runtime.NumGoroutine() > base {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				t.Errorf("goroutines leaked: %d running, %d at the start\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// receiveTurn receives until turnComplete and returns every response.
func receiveTurn(ctx context.Context, t *testing.T, c flow.Conn) []*flow.Response {
	t.Helper()
	var out []*flow.Response
	for {
		r, err := c.Receive(ctx)
		if err != nil {
			t.Fatalf("Receive: %v", err)
		}
		out = append(out, r)
		if r.ServerContent != nil && r.ServerContent.TurnComplete {
			return out
		}
	}
}

func modelText(rs []*flow.Response) string {
	var b strings.Builder
	for _, r := range rs {
		if r.ServerContent != nil && r.ServerContent.ModelTurn != nil {
			for _, p := range r.ServerContent.ModelTurn.Parts {
				b.WriteString(p.Text)
			}
		}
	}
	return b.String()
}

func TestTextTurn(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend.String(), func(t *testing.T) {
			noLeaks(t)
			ctx := testContext(t)
			srv := livetest.NewServer()
			defer srv.Close()
			srv.Reply(livetest.Text("Hello"), livetest.Text(" there"))

			c, err := newModel(t, srv, backend, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &flow.ConnectRequest{Setup: textSetup()})
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
			noLeaks(t)
			ctx := testContext(t)
			srv := livetest.NewServer()
			defer srv.Close()
			srv.Reply(livetest.ToolCall(&genai.FunctionCall{Name: "get_weather", Args: map[string]any{"city": "Redmond"}}),
				livetest.Text("It is raining."))
			setup := textSetup()
			setup.Tools = []*genai.Tool{{FunctionDeclarations: []*genai.FunctionDeclaration{{Name: "get_weather"}}}}
			c, err := newModel(t, srv, backend, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &flow.ConnectRequest{Setup: setup})
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
	noLeaks(t)
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	setup := textSetup()
	setup.SessionResumption = &genai.SessionResumptionConfig{}
	c, err := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &flow.ConnectRequest{Setup: setup})
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

func TestSetupNeverCompletes(t *testing.T) {
	noLeaks(t)
	srv := livetest.NewServer(livetest.WithoutSetupComplete())
	defer srv.Close()
	m := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	c, err := m.Connect(ctx, &flow.ConnectRequest{Setup: textSetup()})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Connect = %v, %v; want an error wrapping context.DeadlineExceeded", c, err)
	}
	sess, err := srv.WaitSession(testContext(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	if sess.Setup() == nil {
		t.Error("the server never saw the setup")
	}
	select {
	case <-sess.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the socket stayed open after Connect gave up")
	}
}

// TestCloseCodes closes the connection from the server with every status
// of PROTOCOL.md §6 and checks the error Receive returns.
func TestCloseCodes(t *testing.T) {
	tests := []struct {
		code             websocket.StatusCode
		reason           string
		retryable, quota bool
	}{
		{1000, "The operation was cancelled.", true, false},
		{1007, "setup.generation_config.response_modalities: invalid value", false, false},
		{1007, "API key not valid. Please pass a valid API key.", false, false},
		{1007, "realtime_input.media_chunks is deprecated. Use audio, video, or text instead.", false, false},
		{1007, "Request contains an invalid argument.", false, false},
		{1008, "models/x is not found for API version v1beta, or is not supported for bidiGenerateContent", false, false},
		{1008, "The operation was aborted.", true, false},
		{1011, "Internal error occurred.", true, false},
		{1011, "The service is currently unavailable.", true, false},
		{1011, "Deadline expired before operation could complete.", true, false},
		{1011, "You exceeded your current quota, please check your plan and billing details.", false, true},
		{1011, "Resource has been exhausted (e.g. check quota).", false, true},
	}
	noLeaks(t)
	srv := livetest.NewServer()
	defer srv.Close()
	m := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil)
	for i, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			ctx := testContext(t)
			c, err := m.Connect(ctx, &flow.ConnectRequest{Setup: textSetup()})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			sess, err := srv.WaitSession(ctx, i)
			if err != nil {
				t.Fatal(err)
			}
			if err := sess.CloseWith(tt.code, tt.reason); err != nil {
				t.Fatal(err)
			}
			checkClosedWith(ctx, t, c, tt.code, tt.reason, tt.retryable, tt.quota)
		})
	}
	t.Run("drop", func(t *testing.T) {
		ctx := testContext(t)
		c, err := m.Connect(ctx, &flow.ConnectRequest{Setup: textSetup()})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		sess, err := srv.WaitSession(ctx, len(tests))
		if err != nil {
			t.Fatal(err)
		}
		sess.Drop()
		checkClosedWith(ctx, t, c, websocket.StatusAbnormalClosure, "", true, false)
	})
}

func checkClosedWith(ctx context.Context, t *testing.T, c flow.Conn, code websocket.StatusCode, reason string, retryable, quota bool) {
	t.Helper()
	var err error
	for err == nil {
		_, err = c.Receive(ctx)
	}
	var ce *gemini.CloseError
	if !errors.As(err, &ce) {
		t.Fatalf("Receive error %v (%T), want a *gemini.CloseError", err, err)
	}
	if ce.Code != code || ce.Reason != reason {
		t.Errorf("CloseError{%d, %q}, want {%d, %q}", ce.Code, ce.Reason, code, reason)
	}
	if ce.Retryable() != retryable || ce.Quota() != quota {
		t.Errorf("Retryable() = %v, Quota() = %v; want %v, %v", ce.Retryable(), ce.Quota(), retryable, quota)
	}
	// The classification is reachable through the flow's interfaces.
	var classified interface {
		Retryable() bool
		Quota() bool
	}
	if !errors.As(err, &classified) {
		t.Error("the error does not implement Retryable and Quota")
	}
	if _, again := c.Receive(ctx); !errors.Is(again, err) && again.Error() != err.Error() {
		t.Errorf("a second Receive returned %v, want the same %v", again, err)
	}
	if err := c.SendRealtime(ctx, &flow.RealtimeInput{Text: "late"}); err == nil {
		t.Error("a send after the server closed succeeded")
	}
}

func TestCloseSendsNormalClosure(t *testing.T) {
	noLeaks(t)
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	c, err := newModel(t, srv, genai.BackendVertexAI, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &flow.ConnectRequest{Setup: textSetup()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Receive(ctx); err != nil { // setupComplete
		t.Fatal(err)
	}
	received := make(chan error, 1)
	go func() {
		_, err := c.Receive(ctx)
		received <- err
	}()
	var wg sync.WaitGroup
	for range 3 { // Close is safe to call concurrently and more than once
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		}()
	}
	wg.Wait()
	if err := <-received; !errors.Is(err, net.ErrClosed) {
		t.Errorf("pending Receive returned %v, want an error wrapping net.ErrClosed", err)
	}
	if _, err := c.Receive(ctx); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Receive after Close returned %v, want net.ErrClosed", err)
	}
	if err := c.SendRealtime(ctx, &flow.RealtimeInput{ActivityStart: true}); !errors.Is(err, net.ErrClosed) {
		t.Errorf("SendRealtime after Close returned %v, want net.ErrClosed", err)
	}
	sess, err := srv.WaitSession(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	<-sess.Done()
	if st, ok := sess.ClientClose(); !ok || st.Code != websocket.StatusNormalClosure {
		t.Errorf("server saw client close %v (sent: %v), want 1000", st, ok)
	}
}

func TestReceiveContextEndsConnection(t *testing.T) {
	noLeaks(t)
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	c, err := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &flow.ConnectRequest{Setup: textSetup()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	if _, err := c.Receive(rctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Receive = %v, want context.Canceled", err)
	}
	if _, err := c.Receive(ctx); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Receive after a cancelled one = %v, want net.ErrClosed", err)
	}
	sess, _ := srv.WaitSession(ctx, 0)
	select {
	case <-sess.Done():
	case <-ctx.Done():
		t.Fatal("the server still sees the connection open")
	}
}

// TestConcurrentSends sends from many goroutines at once: every message
// arrives whole.
func TestConcurrentSends(t *testing.T) {
	noLeaks(t)
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	setup := textSetup()
	setup.RealtimeInputConfig = &genai.RealtimeInputConfig{AutomaticActivityDetection: &genai.AutomaticActivityDetection{Disabled: true}}
	c, err := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &flow.ConnectRequest{Setup: setup})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const senders, each = 8, 25
	chunk := livetest.Silence(16000, 100*time.Millisecond)
	var wg sync.WaitGroup
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if err := c.SendRealtime(ctx, &flow.RealtimeInput{Audio: &genai.Blob{Data: chunk, MIMEType: "audio/pcm;rate=16000"}}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	sess, _ := srv.WaitSession(ctx, 0)
	n := 0
	_, err = sess.WaitMessage(ctx, func(m livetest.ClientMessage) bool {
		if m.RealtimeInput != nil && m.RealtimeInput.Audio != nil {
			if len(m.RealtimeInput.Audio.Data) != len(chunk) {
				t.Errorf("an audio chunk arrived with %d bytes, want %d", len(m.RealtimeInput.Audio.Data), len(chunk))
			}
			n++
		}
		return n == senders*each
	})
	if err != nil {
		t.Fatalf("server received %d of %d audio chunks: %v", n, senders*each, err)
	}
}

func TestAPIKeyRejected(t *testing.T) {
	noLeaks(t)
	srv := livetest.NewServer(livetest.WithAPIKey("right-key"))
	defer srv.Close()
	m := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", &gemini.Config{APIKey: "wrong-key"})
	_, err := m.Connect(testContext(t), &flow.ConnectRequest{Setup: textSetup()})
	var ce *gemini.CloseError
	if !errors.As(err, &ce) || ce.Code != 1007 || ce.Retryable() {
		t.Fatalf("Connect = %v, want a fatal *CloseError 1007", err)
	}
	if strings.Contains(err.Error(), "wrong-key") {
		t.Errorf("error leaks the key: %v", err)
	}
}

func TestRealtimeInputReachesServer(t *testing.T) {
	noLeaks(t)
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	setup := textSetup()
	setup.RealtimeInputConfig = &genai.RealtimeInputConfig{AutomaticActivityDetection: &genai.AutomaticActivityDetection{Disabled: true}}
	audio := &genai.Blob{Data: livetest.Tone(16000, 40*time.Millisecond, 0.5), MIMEType: "audio/pcm;rate=16000"}
	jpeg := &genai.Blob{Data: []byte("\xff\xd8\xff\xe0 not really a jpeg"), MIMEType: "image/jpeg"}
	inputs := []*flow.RealtimeInput{
		{ActivityStart: true},
		{Audio: audio},
		{Video: jpeg},
		{ActivityEnd: true},
		{Text: "typed text"},
	}
	c, err := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &flow.ConnectRequest{Setup: setup})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, in := range inputs {
		if err := c.SendRealtime(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	want := []*livetest.RealtimeInput{{ActivityStart: true}, {Audio: audio}, {Video: jpeg}, {ActivityEnd: true}, {Text: "typed text"}}
	sess, _ := srv.WaitSession(ctx, 0)
	var got []*livetest.RealtimeInput
	if _, err := sess.WaitMessage(ctx, func(m livetest.ClientMessage) bool {
		if m.RealtimeInput != nil {
			got = append(got, m.RealtimeInput)
		}
		return len(got) == len(want)
	}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("server received (-sent +received):\n%s", diff)
	}
}

func TestMediaChunksOption(t *testing.T) {
	noLeaks(t)
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	m := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", &gemini.Config{MediaChunks: true})
	c, err := m.Connect(ctx, &flow.ConnectRequest{Setup: textSetup()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	audio := &genai.Blob{Data: []byte{1, 2, 3, 4}, MIMEType: "audio/pcm;rate=16000"}
	if err := c.SendRealtime(ctx, &flow.RealtimeInput{Audio: audio}); err != nil {
		t.Fatal(err)
	}
	sess, _ := srv.WaitSession(ctx, 0)
	msg, err := sess.WaitMessage(ctx, func(m livetest.ClientMessage) bool { return m.RealtimeInput != nil })
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&livetest.RealtimeInput{MediaChunks: []*genai.Blob{audio}}, msg.RealtimeInput); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestTextFramesAccepted(t *testing.T) {
	noLeaks(t)
	ctx := testContext(t)
	srv := livetest.NewServer(livetest.WithTextFrames())
	defer srv.Close()
	srv.Reply(livetest.Text("over text frames"))
	c, err := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &flow.ConnectRequest{Setup: textSetup()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendRealtime(ctx, &flow.RealtimeInput{Text: "hi"}); err != nil {
		t.Fatal(err)
	}
	if got := modelText(receiveTurn(ctx, t, c)); got != "over text frames" {
		t.Errorf("model text %q", got)
	}
}
