package gemini_test

import (
	"context"
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
)

// The model dials a TLS endpoint (a wss:// or https:// base URL) through
// Config.HTTPClient, which is how a test trusts livetest's TLS server;
// without it the certificate is refused.
func TestConnectOverTLS(t *testing.T) {
	srv := livetest.NewTLSServer()
	defer srv.Close()
	ctx := testContext(t)
	connect := func(base string, trust bool) (live.Conn, error) {
		cfg := &gemini.Config{Backend: genai.BackendGeminiAPI, APIKey: "test-key", BaseURL: base}
		if trust {
			cfg.HTTPClient = srv.Client()
		}
		m, err := gemini.NewModel(context.Background(), "gemini-live-2.5-flash-preview", cfg)
		if err != nil {
			t.Fatalf("NewModel: %v", err)
		}
		return m.Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
	}
	for _, base := range []string{srv.URL, srv.HTTPURL()} {
		if c, err := connect(base, false); err == nil {
			c.Close()
			t.Fatalf("%s: Connect succeeded without trusting the certificate", base)
		}
		c, err := connect(base, true)
		if err != nil {
			t.Fatalf("%s: Connect: %v", base, err)
		}
		if _, err := c.Receive(ctx); err != nil { // setupComplete
			t.Fatal(err)
		}
		if err := c.SendContent(ctx, &genai.LiveClientContent{Turns: genai.Text("over TLS"), TurnComplete: true}); err != nil {
			t.Fatal(err)
		}
		if got, want := modelText(receiveTurn(ctx, t, c)), "echo: over TLS"; got != want {
			t.Errorf("%s: reply %q, want %q", base, got, want)
		}
		c.Close()
	}
}
