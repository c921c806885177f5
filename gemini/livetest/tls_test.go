package livetest_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	gorilla "github.com/gorilla/websocket"
	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
)

// newTLSServer starts a TLS server closed at the end of the test, after
// which no goroutine may remain.
func newTLSServer(t *testing.T, opts ...livetest.Option) *livetest.Server {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	srv := livetest.NewTLSServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

func TestTLSServerIdentity(t *testing.T) {
	srv := newTLSServer(t)
	if !strings.HasPrefix(srv.URL, "wss://127.0.0.1:") {
		t.Errorf("URL = %q, want wss://127.0.0.1:PORT", srv.URL)
	}
	if got, want := srv.HTTPURL(), "https://"+strings.TrimPrefix(srv.URL, "wss://"); got != want {
		t.Errorf("HTTPURL() = %q, want %q", got, want)
	}
	block, _ := pem.Decode(srv.CertificatePEM())
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("CertificatePEM() = %q, want one PEM certificate", srv.CertificatePEM())
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil || !cert.Equal(srv.Certificate()) {
		t.Fatalf("the PEM certificate (%v) is not Certificate()", err)
	}
	for _, host := range []string{"127.0.0.1", "::1", "localhost"} {
		if _, err := cert.Verify(x509.VerifyOptions{DNSName: host, Roots: srv.CertPool()}); err != nil {
			t.Errorf("the certificate does not verify for %s against CertPool(): %v", host, err)
		}
	}

	plain := newServer(t)
	if plain.Certificate() != nil || plain.CertificatePEM() != nil || plain.CertPool() != nil {
		t.Error("a server without TLS reports a certificate")
	}
	if got, want := plain.HTTPURL(), "http://"+strings.TrimPrefix(plain.URL, "ws://"); got != want {
		t.Errorf("plain HTTPURL() = %q, want %q", got, want)
	}
}

// The genai Go client talks to the TLS server unchanged once it trusts the
// certificate. It dials with gorilla/websocket's DefaultDialer, so that is
// where the test trusts it; without that, the handshake fails.
func TestGenaiClientOverTLS(t *testing.T) {
	hermeticEnv(t)
	srv := newTLSServer(t, livetest.WithAPIKey("test-key"))
	ctx := testContext(t)
	client, err := genai.NewClient(ctx, &genai.ClientConfig{
		APIKey:      "test-key",
		Backend:     genai.BackendGeminiAPI,
		HTTPOptions: genai.HTTPOptions{BaseURL: srv.HTTPURL()},
	})
	if err != nil {
		t.Fatal(err)
	}
	model := "gemini-live-2.5-flash-preview"
	cfg := &genai.LiveConnectConfig{ResponseModalities: []genai.Modality{genai.ModalityText}}

	if s, err := client.Live.Connect(ctx, model, cfg); err == nil {
		s.Close()
		t.Fatal("Connect succeeded without trusting the server's certificate: the server is not serving TLS")
	}

	saved := gorilla.DefaultDialer.TLSClientConfig
	gorilla.DefaultDialer.TLSClientConfig = &tls.Config{RootCAs: srv.CertPool()}
	t.Cleanup(func() { gorilla.DefaultDialer.TLSClientConfig = saved })

	session, err := client.Live.Connect(ctx, model, cfg)
	if err != nil {
		t.Fatalf("Connect over TLS: %v", err)
	}
	defer session.Close()
	r := &receiver{t: t, ctx: ctx, session: session}
	if m := r.next(); m.SetupComplete == nil {
		t.Fatalf("first message %+v, want setupComplete", m)
	}
	if err := session.SendClientContent(genai.LiveClientContentInput{Turns: genai.Text("Hello over TLS")}); err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, m := range r.until(func(m *genai.LiveServerMessage) bool { return m.ServerContent != nil && m.ServerContent.TurnComplete }) {
		if m.ServerContent != nil && m.ServerContent.ModelTurn != nil {
			text.WriteString(m.ServerContent.ModelTurn.Parts[0].Text)
		}
	}
	if got, want := text.String(), "echo: Hello over TLS"; got != want {
		t.Errorf("reply = %q, want %q", got, want)
	}
}
