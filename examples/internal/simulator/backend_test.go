package simulator

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/adklive/adklive/flow/live"
)

// clearCredentials unsets every variable gemini reads credentials from, for
// the duration of the test.
func clearCredentials(t *testing.T) {
	for _, k := range []string{"GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_USE_ENTERPRISE",
		"GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION", "GOOGLE_CLOUD_REGION", "GOOGLE_GEMINI_BASE_URL", "GOOGLE_VERTEX_BASE_URL"} {
		t.Setenv(k, "") // restores the variable after the test
		os.Unsetenv(k)
	}
}

func TestOpenWithoutCredentialsStartsTheSimulator(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	clearCredentials(t)
	b, err := Open(context.Background(), Config{Model: "gemini-2.5-flash-native-audio-preview-12-2025", Responder: fast})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !b.Simulated {
		t.Fatal("Simulated = false without credentials")
	}
	if !strings.Contains(b.Reason, "GOOGLE_API_KEY") {
		t.Errorf("Reason = %q, want it to name what to set", b.Reason)
	}
	// The model really talks to the simulator.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := b.Model.Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sendText(t, conn, "ping")
	if got := receiveTurn(t, conn, false); !strings.HasPrefix(got.text.String(), "You said: “ping”.") {
		t.Errorf("reply = %q", got.text.String())
	}
	// Tests can see what the simulator received.
	if sessions := b.Server().Sessions(); len(sessions) != 1 || sessions[0].Setup() == nil {
		t.Errorf("the simulator's server holds %d sessions, want the one with the setup sent", len(sessions))
	}
}

func TestOpenWithCredentialsUsesGemini(t *testing.T) {
	clearCredentials(t)
	t.Setenv("GOOGLE_API_KEY", "secret-key-123")
	b, err := Open(context.Background(), Config{Model: "gemini-2.5-flash"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Simulated || b.Reason != "" || b.Server() != nil {
		t.Errorf("Simulated = %v, Reason = %q, Server %v with an API key; want Gemini", b.Simulated, b.Reason, b.Server())
	}
}

func TestOpenForcedUsesTheSimulator(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	clearCredentials(t)
	t.Setenv("GOOGLE_API_KEY", "secret-key-123")
	b, err := Open(context.Background(), Config{Model: "gemini-2.5-flash", Force: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !b.Simulated {
		t.Error("Simulated = false with Force")
	}
	if strings.Contains(b.Reason, "secret-key-123") {
		t.Errorf("Reason %q leaks the key", b.Reason)
	}
}

func TestOpenReportsBrokenCredentials(t *testing.T) {
	clearCredentials(t)
	t.Setenv("GOOGLE_GENAI_USE_VERTEXAI", "true")
	t.Setenv("GOOGLE_CLOUD_PROJECT", "my-project")
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", t.TempDir()+"/missing.json")
	b, err := Open(context.Background(), Config{Model: "gemini-2.5-flash"})
	if err == nil {
		b.Close()
		t.Fatalf("Open succeeded (simulated %v) with unusable Vertex AI credentials; want their error", b.Simulated)
	}
}

func TestSimulatorConnectionsAreLoggedAtDebugOnly(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	clearCredentials(t)
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
		var logs bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: level}))
		b, err := Open(context.Background(), Config{Model: "m", Force: true, Logger: logger, Responder: fast})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		conn, err := b.Model.Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
		if err != nil {
			t.Fatal(err)
		}
		conn.Close()
		b.Close()
		cancel()
		got := strings.Contains(logs.String(), "livetest: connection")
		if want := level == slog.LevelDebug; got != want {
			t.Errorf("at level %v: connection logged %v, want %v\n%s", level, got, want, logs.String())
		}
	}
}

func TestIsNativeAudioIgnoresCase(t *testing.T) {
	tests := []struct {
		model string
		want  bool
	}{
		{"gemini-2.5-flash-native-audio-preview-12-2025", true},
		{"Gemini-2.5-Flash-Native-Audio-Latest", true},
		{"models/GEMINI-LIVE-NATIVE-AUDIO", true},
		{"gemini-2.5-flash", false},
		{"gemini-live-2.5-flash-preview", false},
		{"native_audio", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsNativeAudio(tt.model); got != tt.want {
			t.Errorf("IsNativeAudio(%q) = %v, want %v", tt.model, got, tt.want)
		}
	}
}
