package livetest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
)

func TestServerURLIsWebSocketBase(t *testing.T) {
	srv := newServer(t)
	if !strings.HasPrefix(srv.URL, "ws://127.0.0.1:") || strings.HasSuffix(srv.URL, "/") {
		t.Errorf("URL = %q, want ws://127.0.0.1:PORT", srv.URL)
	}
}

func TestPaths(t *testing.T) {
	tests := []struct {
		path    string
		backend genai.Backend
		ok      bool
	}{
		{geminiPath, genai.BackendGeminiAPI, true},
		{"/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContent", genai.BackendGeminiAPI, true},
		{"//ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", genai.BackendGeminiAPI, true},
		{"/some/proxy/prefix/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", genai.BackendGeminiAPI, true},
		{vertexPath, genai.BackendVertexAI, true},
		{"//ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent", genai.BackendVertexAI, true},
		{"/ws/google.ai.generativelanguage.v2.GenerativeService.BidiGenerateContent", 0, false},
		{"/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContentConstrained", 0, false},
		{"/ws/google.cloud.aiplatform.v1beta1.LlmBidiService.BidiGenerateContent", 0, false},
		{"/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContentX", 0, false},
		{"/", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			srv := newServer(t)
			ctx := testContext(t)
			h := http.Header{"X-Goog-Api-Key": {"k"}, "Authorization": {"Bearer tok"}}
			conn, resp, err := websocket.Dial(ctx, srv.URL+tt.path, &websocket.DialOptions{HTTPHeader: h})
			if !tt.ok {
				if err == nil {
					conn.CloseNow()
					t.Fatal("dial succeeded, want 404")
				}
				if resp == nil || resp.StatusCode != http.StatusNotFound {
					t.Fatalf("dial: %v (response %v), want 404", err, resp)
				}
				return
			}
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			defer conn.CloseNow()
			c := &client{t: t, ctx: ctx, conn: conn}
			c.send(`{"setup":{"model":"` + modelFor(tt.path) + `"}}`)
			sess, err := srv.WaitSession(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if sess.Backend() != tt.backend {
				t.Errorf("Backend() = %v, want %v", sess.Backend(), tt.backend)
			}
		})
	}
}

func TestAuthentication(t *testing.T) {
	const keyReason = "API key not valid. Please pass a valid API key."
	const credReason = "Request had invalid authentication credentials."
	tests := []struct {
		name   string
		path   string
		header http.Header
		want   websocket.StatusCode // 0: accepted
		reason string
	}{
		{"gemini key header", geminiPath, http.Header{"X-Goog-Api-Key": {"secret"}}, 0, ""},
		{"gemini key query", geminiPath + "?key=secret", http.Header{}, 0, ""},
		{"gemini wrong key", geminiPath, http.Header{"X-Goog-Api-Key": {"wrong"}}, 1007, keyReason},
		{"gemini no key", geminiPath, http.Header{}, 1007, keyReason},
		{"gemini bearer is not a key", geminiPath, http.Header{"Authorization": {"Bearer tok"}}, 1007, keyReason},
		{"ephemeral token header", "/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained", http.Header{"Authorization": {"Token auth_tokens/abc"}}, 0, ""},
		{"ephemeral token query", "/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained?access_token=auth_tokens/abc", http.Header{}, 0, ""},
		{"ephemeral no token", "/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained", http.Header{}, 1007, keyReason},
		{"vertex bearer", vertexPath, http.Header{"Authorization": {"Bearer tok"}}, 0, ""},
		{"vertex wrong bearer", vertexPath, http.Header{"Authorization": {"Bearer nope"}}, 1008, credReason},
		{"vertex express key", vertexPath, http.Header{"X-Goog-Api-Key": {"secret"}}, 0, ""},
		{"vertex wrong express key", vertexPath, http.Header{"X-Goog-Api-Key": {"nope"}}, 1007, keyReason},
		{"vertex nothing", vertexPath, http.Header{}, 1008, credReason},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, livetest.WithAPIKey("secret"), livetest.WithBearerToken("tok"))
			ctx := testContext(t)
			conn, _, err := websocket.Dial(ctx, srv.URL+tt.path, &websocket.DialOptions{HTTPHeader: tt.header})
			if err != nil {
				t.Fatalf("dial: %v (a bad key must be refused after the upgrade)", err)
			}
			defer conn.CloseNow()
			c := &client{t: t, ctx: ctx, conn: conn}
			if tt.want == 0 {
				c.send(`{"setup":{"model":"` + modelFor(tt.path) + `"}}`)
				if m := c.recv(); m.SetupComplete == nil {
					t.Fatalf("got %+v, want setupComplete", m)
				}
				return
			}
			got := c.closeStatus()
			if got.Code != tt.want || got.Reason != tt.reason {
				t.Errorf("close = %d %q, want %d %q", got.Code, got.Reason, tt.want, tt.reason)
			}
		})
	}
}

func modelFor(path string) string {
	if strings.Contains(path, "aiplatform") {
		return vertexModel
	}
	return geminiModel
}

func TestSetupComplete(t *testing.T) {
	srv := newServer(t)

	c := connect(t, srv, `{"model":"`+geminiModel+`"}`)
	sess, err := srv.WaitSession(c.ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := sess.Setup().Model; got != geminiModel {
		t.Errorf("Setup().Model = %q", got)
	}

	v := dial(t, srv, vertexPath, http.Header{"Authorization": {"Bearer t"}})
	v.send(`{"setup":{"model":"` + vertexModel + `"}}`)
	raw := v.recvRaw()
	vs, err := srv.WaitSession(v.ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"setupComplete":{"sessionId":"` + vs.ID() + `"}}`
	if string(raw) != want {
		t.Errorf("Vertex setupComplete = %s, want %s", raw, want)
	}
}

func TestSetupValidation(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		first  string
		code   websocket.StatusCode
		reason string // substring
	}{
		{"first message not setup", geminiPath, `{"clientContent":{"turnComplete":true}}`, 1007, "first message must be setup"},
		{"bad json", geminiPath, `{"setup":`, 1007, "Invalid JSON payload received."},
		{"unknown top-level key", geminiPath, `{"setupp":{}}`, 1007, `Unknown name "setupp"`},
		{"two top-level keys", geminiPath, `{"setup":{"model":"models/x"},"clientContent":{}}`, 1007, "Only one of"},
		{"no model", geminiPath, `{"setup":{}}`, 1007, "setup.model"},
		{"gemini model without prefix", geminiPath, `{"setup":{"model":"gemini-2.0-flash"}}`, 1007, "setup.model"},
		{"vertex model in gemini form", vertexPath, `{"setup":{"model":"models/gemini-2.0-flash"}}`, 1007, "setup.model"},
		{"two modalities", geminiPath, `{"setup":{"model":"models/x","generationConfig":{"responseModalities":["TEXT","AUDIO"]}}}`, 1007, "setup.generation_config.response_modalities"},
		{"transparent on gemini", geminiPath, `{"setup":{"model":"models/x","sessionResumption":{"transparent":true}}}`, 1007, "setup.session_resumption.transparent"},
		{"explicit vad on gemini", geminiPath, `{"setup":{"model":"models/x","explicitVadSignal":true}}`, 1007, "setup.explicit_vad_signal"},
		{"unknown resumption handle", geminiPath, `{"setup":{"model":"models/x","sessionResumption":{"handle":"nope"}}}`, 1007, "setup.session_resumption.handle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			c := dial(t, srv, tt.path, http.Header{"X-Goog-Api-Key": {"k"}})
			c.send(tt.first)
			got := c.closeStatus()
			if got.Code != tt.code || !strings.Contains(got.Reason, tt.reason) {
				t.Errorf("close = %d %q, want %d containing %q", got.Code, got.Reason, tt.code, tt.reason)
			}
			sess, err := srv.WaitSession(c.ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			<-sess.Done()
			if sc, ok := sess.ServerClose(); !ok || sc.Code != tt.code {
				t.Errorf("ServerClose() = %v, %v", sc, ok)
			}
		})
	}
}

func TestSetupAcceptsModelForms(t *testing.T) {
	tests := []struct{ path, model string }{
		{geminiPath, "models/gemini-2.0-flash-live-001"},
		{geminiPath, "tunedModels/my-model"},
		{vertexPath, "projects/REDACTED/locations/REDACTED/publishers/google/models/gemini-2.0-flash-live-preview-04-09"},
		{vertexPath, "publishers/google/models/gemini-2.0-flash"},
		{vertexPath, "projects/p/locations/l/endpoints/123"},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			srv := newServer(t)
			c := dial(t, srv, tt.path, http.Header{"X-Goog-Api-Key": {"k"}})
			c.send(`{"setup":{"model":"` + tt.model + `"}}`)
			if m := c.recv(); m.SetupComplete == nil {
				t.Errorf("got %+v, want setupComplete", m)
			}
		})
	}
}

func TestEchoTextTurn(t *testing.T) {
	srv := newServer(t)
	c := connect(t, srv, `{"model":"`+geminiModel+`","generationConfig":{"responseModalities":["TEXT"]}}`)
	c.send(`{"clientContent":{"turns":[{"role":"user","parts":[{"text":"hello there friend"}]}],"turnComplete":true}}`)
	msgs := c.recvUntil(turnComplete)

	var text strings.Builder
	var chunks int
	for _, m := range msgs {
		if sc := m.ServerContent; sc != nil && sc.ModelTurn != nil {
			for _, p := range sc.ModelTurn.Parts {
				text.WriteString(p.Text)
				chunks++
			}
		}
	}
	if got, want := text.String(), "echo: hello there friend"; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	if chunks < 2 {
		t.Errorf("text came in %d chunks, want several", chunks)
	}
	n := len(msgs)
	if !msgs[n-2].ServerContent.GenerationComplete {
		t.Errorf("message before turnComplete = %+v, want generationComplete", msgs[n-2])
	}
	last := msgs[n-1]
	if last.UsageMetadata == nil || last.UsageMetadata.TotalTokenCount == 0 {
		t.Errorf("turnComplete frame has usage %+v, want usage in the same frame", last.UsageMetadata)
	}
}

func TestReplyQueue(t *testing.T) {
	srv := newServer(t)
	srv.Reply(livetest.Text("first"))
	srv.Reply(livetest.Text("second"), livetest.TurnComplete())
	c := connect(t, srv, `{"model":"`+geminiModel+`"}`)

	for _, want := range []string{"first", "second"} {
		c.send(`{"realtimeInput":{"text":"hi"}}`)
		msgs := c.recvUntil(turnComplete)
		got := msgs[0].ServerContent.ModelTurn.Parts[0].Text
		if got != want {
			t.Errorf("reply = %q, want %q", got, want)
		}
	}
	// Queue exhausted: the echo answers.
	c.send(`{"realtimeInput":{"text":"third"}}`)
	msgs := c.recvUntil(turnComplete)
	var b strings.Builder
	for _, m := range msgs {
		if m.ServerContent != nil && m.ServerContent.OutputTranscription != nil {
			b.WriteString(m.ServerContent.OutputTranscription.Text)
		}
	}
	if len(msgs) < 3 || msgs[0].ServerContent.ModelTurn.Parts[0].InlineData == nil {
		t.Errorf("echo in AUDIO modality = %+v, want audio chunks", msgs)
	}
}

func TestScriptedReplyAddsTurnComplete(t *testing.T) {
	srv := newServer(t)
	srv.Reply(livetest.Text("a"))
	c := connect(t, srv, `{"model":"`+geminiModel+`"}`)
	c.send(`{"realtimeInput":{"text":"hi"}}`)
	var got []string
	for _, m := range c.recvUntil(turnComplete) {
		got = append(got, string(mustJSON(t, m)))
	}
	want := []string{
		`{"serverContent":{"modelTurn":{"parts":[{"text":"a"}]}}}`,
		`{"serverContent":{"generationComplete":true}}`,
		`{"serverContent":{"turnComplete":true}}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("frames (-want +got):\n%s", diff)
	}
}

// BenchmarkTextTurn measures one echo turn end to end over a local
// connection: clientContent in, text chunks, generationComplete and
// turnComplete out.
func BenchmarkTextTurn(b *testing.B) {
	srv := livetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	conn, _, err := websocket.Dial(ctx, srv.URL+geminiPath+"?key=k", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.CloseNow()
	write := func(s string) {
		if err := conn.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
			b.Fatal(err)
		}
	}
	readUntilTurnComplete := func() {
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if strings.Contains(string(data), `"turnComplete":true`) {
				return
			}
		}
	}
	write(`{"setup":{"model":"` + geminiModel + `","generationConfig":{"responseModalities":["TEXT"]}}}`)
	if _, _, err := conn.Read(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		write(`{"clientContent":{"turns":[{"role":"user","parts":[{"text":"hello there"}]}],"turnComplete":true}}`)
		readUntilTurnComplete()
	}
}
