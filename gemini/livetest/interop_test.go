package livetest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/auth"
	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
)

// These tests drive the server with the official genai Go client,
// unchanged: the proof that livetest speaks the real protocol.

// hermeticEnv clears the environment variables the genai client reads.
func hermeticEnv(t *testing.T) {
	for _, k := range []string{"GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_USE_ENTERPRISE",
		"GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION", "GOOGLE_CLOUD_REGION", "GOOGLE_GEMINI_BASE_URL", "GOOGLE_VERTEX_BASE_URL"} {
		t.Setenv(k, "")
	}
}

// receiver reads a genai session with a deadline: genai's Receive takes
// no context, so a stuck read is ended by closing the session.
type receiver struct {
	t       *testing.T
	ctx     context.Context
	session *genai.Session
}

func (r *receiver) next() *genai.LiveServerMessage {
	r.t.Helper()
	type result struct {
		m   *genai.LiveServerMessage
		err error
	}
	ch := make(chan result, 1)
	go func() {
		m, err := r.session.Receive()
		ch <- result{m, err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			r.t.Fatalf("Receive: %v", res.err)
		}
		return res.m
	case <-r.ctx.Done():
		r.session.Close()
		<-ch
		r.t.Fatal("Receive: timed out")
		return nil
	}
}

// until receives until match returns true and returns every message.
func (r *receiver) until(match func(*genai.LiveServerMessage) bool) []*genai.LiveServerMessage {
	r.t.Helper()
	var msgs []*genai.LiveServerMessage
	for {
		m := r.next()
		msgs = append(msgs, m)
		if match(m) {
			return msgs
		}
	}
}

func TestGenaiClientGeminiAPI(t *testing.T) {
	hermeticEnv(t)
	srv := newServer(t, livetest.WithAPIKey("test-key"))
	ctx := testContext(t)
	client, err := genai.NewClient(ctx, &genai.ClientConfig{
		APIKey:      "test-key",
		Backend:     genai.BackendGeminiAPI,
		HTTPOptions: genai.HTTPOptions{BaseURL: srv.URL},
	})
	if err != nil {
		t.Fatal(err)
	}
	weather := &genai.FunctionDeclaration{Name: "get_weather", Description: "Weather in a city",
		Parameters: &genai.Schema{Type: genai.TypeObject, Properties: map[string]*genai.Schema{"city": {Type: genai.TypeString}}}}
	session, err := client.Live.Connect(ctx, "gemini-live-2.5-flash-preview", &genai.LiveConnectConfig{
		ResponseModalities: []genai.Modality{genai.ModalityText},
		SessionResumption:  &genai.SessionResumptionConfig{},
		Tools:              []*genai.Tool{{FunctionDeclarations: []*genai.FunctionDeclaration{weather}}},
	})
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	defer session.Close()
	r := &receiver{t: t, ctx: ctx, session: session}

	sess, err := srv.WaitSession(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := sess.Setup(); got.Model != "models/gemini-live-2.5-flash-preview" || got.Tools[0].FunctionDeclarations[0].Name != "get_weather" {
		t.Errorf("setup = model %q tools %+v", got.Model, got.Tools)
	}
	if m := r.next(); m.SetupComplete == nil {
		t.Fatalf("first message %+v, want setupComplete", m)
	}
	if m := r.next(); m.SessionResumptionUpdate == nil || !m.SessionResumptionUpdate.Resumable {
		t.Fatalf("got %+v, want a sessionResumptionUpdate", m)
	}

	// A text turn.
	if err := session.SendClientContent(genai.LiveClientContentInput{Turns: genai.Text("Hello live")}); err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	msgs := r.until(func(m *genai.LiveServerMessage) bool { return m.ServerContent != nil && m.ServerContent.TurnComplete })
	for _, m := range msgs {
		if m.ServerContent.ModelTurn != nil {
			text.WriteString(m.ServerContent.ModelTurn.Parts[0].Text)
		}
	}
	if got, want := text.String(), "echo: Hello live"; got != want {
		t.Errorf("reply = %q, want %q", got, want)
	}
	if u := msgs[len(msgs)-1].UsageMetadata; u == nil || u.ResponseTokenCount == 0 {
		t.Errorf("usage = %+v, want response tokens", u)
	}
	if m := r.next(); m.SessionResumptionUpdate == nil || m.SessionResumptionUpdate.NewHandle == "" {
		t.Fatalf("got %+v, want a sessionResumptionUpdate after turnComplete", m)
	}

	// A tool call round trip.
	srv.Reply(
		livetest.ToolCall(&genai.FunctionCall{Name: "get_weather", Args: map[string]any{"city": "Paris"}}),
		livetest.Text("Sunny in Paris."),
	)
	if err := session.SendClientContent(genai.LiveClientContentInput{Turns: genai.Text("Weather in Paris?")}); err != nil {
		t.Fatal(err)
	}
	m := r.next()
	if m.ToolCall == nil || m.ToolCall.FunctionCalls[0].Name != "get_weather" || m.ToolCall.FunctionCalls[0].Args["city"] != "Paris" {
		t.Fatalf("got %+v, want the toolCall", m)
	}
	call := m.ToolCall.FunctionCalls[0]
	err = session.SendToolResponse(genai.LiveToolResponseInput{FunctionResponses: []*genai.FunctionResponse{{
		ID: call.ID, Name: call.Name, Response: map[string]any{"output": "sunny"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	msgs = r.until(func(m *genai.LiveServerMessage) bool { return m.ServerContent != nil && m.ServerContent.TurnComplete })
	if got := msgs[0].ServerContent.ModelTurn.Parts[0].Text; got != "Sunny in Paris." {
		t.Errorf("continuation = %q", got)
	}
	r.next() // resumption update

	// goAway, injected.
	if err := sess.Send(ctx, livetest.GoAway(50*time.Second)); err != nil {
		t.Fatal(err)
	}
	if m := r.next(); m.GoAway == nil || m.GoAway.TimeLeft != 50*time.Second {
		t.Errorf("got %+v, want goAway with 50s left", m)
	}
	tr, err := sess.WaitMessage(ctx, func(m livetest.ClientMessage) bool { return m.ToolResponse != nil })
	if err != nil || tr.ToolResponse.FunctionResponses[0].ID != call.ID {
		t.Errorf("recorded tool response = %+v, %v", tr.ToolResponse, err)
	}
}

// staticToken is an auth.TokenProvider that always returns one token.
type staticToken string

func (s staticToken) Token(context.Context) (*auth.Token, error) {
	return &auth.Token{Value: string(s), Type: "Bearer", Expiry: time.Now().Add(time.Hour)}, nil
}

func TestGenaiClientVertexAI(t *testing.T) {
	hermeticEnv(t)
	srv := newServer(t, livetest.WithBearerToken("vertex-token"))
	ctx := testContext(t)
	client, err := genai.NewClient(ctx, &genai.ClientConfig{
		Backend:     genai.BackendVertexAI,
		Project:     "my-project",
		Location:    "us-central1",
		Credentials: auth.NewCredentials(&auth.CredentialsOptions{TokenProvider: staticToken("vertex-token")}),
		HTTPOptions: genai.HTTPOptions{BaseURL: srv.URL},
	})
	if err != nil {
		t.Fatal(err)
	}
	session, err := client.Live.Connect(ctx, "gemini-2.0-flash-live-preview-04-09", &genai.LiveConnectConfig{
		ResponseModalities:       []genai.Modality{genai.ModalityAudio},
		OutputAudioTranscription: &genai.AudioTranscriptionConfig{},
	})
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	defer session.Close()
	r := &receiver{t: t, ctx: ctx, session: session}

	sess, err := srv.WaitSession(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if sess.Backend() != genai.BackendVertexAI {
		t.Errorf("Backend() = %v", sess.Backend())
	}
	if got, want := sess.Setup().Model, "projects/my-project/locations/us-central1/publishers/google/models/gemini-2.0-flash-live-preview-04-09"; got != want {
		t.Errorf("setup model = %q, want %q", got, want)
	}
	if m := r.next(); m.SetupComplete == nil || m.SetupComplete.SessionID != sess.ID() {
		t.Fatalf("got %+v, want setupComplete with session id %s", m.SetupComplete, sess.ID())
	}

	if err := session.SendClientContent(genai.LiveClientContentInput{Turns: genai.Text("Hi Vertex")}); err != nil {
		t.Fatal(err)
	}
	var transcript strings.Builder
	var audio int
	msgs := r.until(func(m *genai.LiveServerMessage) bool { return m.ServerContent != nil && m.ServerContent.TurnComplete })
	for _, m := range msgs {
		sc := m.ServerContent
		if sc.ModelTurn != nil {
			if blob := sc.ModelTurn.Parts[0].InlineData; blob == nil || blob.MIMEType != "audio/pcm" || sc.ModelTurn.Role != "model" {
				t.Errorf("model turn = %+v, want audio/pcm from role model", sc.ModelTurn)
			}
			audio++
		}
		if sc.OutputTranscription != nil {
			transcript.WriteString(sc.OutputTranscription.Text)
		}
	}
	if got, want := transcript.String(), "echo: Hi Vertex"; got != want || audio == 0 {
		t.Errorf("transcript = %q with %d audio chunks, want %q with audio", got, audio, want)
	}
	// genai maps Vertex's candidatesTokenCount to ResponseTokenCount.
	if u := msgs[len(msgs)-1].UsageMetadata; u == nil || u.ResponseTokenCount == 0 || len(u.ResponseTokensDetails) == 0 {
		t.Errorf("usage = %+v, want response tokens from candidatesTokenCount", u)
	}
}
