package livetest_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestSecretsNeverLogged(t *testing.T) {
	const (
		goodKey  = "GOOD-KEY-8f2a"
		badKey   = "BAD-KEY-77c1"
		badToken = "BAD-TOKEN-0d9e"
	)
	var logs syncBuffer
	srv := newServer(t,
		livetest.WithAPIKey(goodKey),
		livetest.WithBearerToken("other"),
		livetest.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))

	ok := dial(t, srv, geminiPath+"?key="+goodKey, http.Header{"X-Goog-Api-Key": {goodKey}})
	ok.send(`{"setup":{"model":"` + geminiModel + `"}}`)
	ok.recvUntil(func(m *genai.LiveServerMessage) bool { return m.SetupComplete != nil })
	for _, c := range []*client{
		dial(t, srv, geminiPath+"?key="+badKey, http.Header{"X-Goog-Api-Key": {badKey}}),
		dial(t, srv, vertexPath, http.Header{"Authorization": {"Bearer " + badToken}}),
	} {
		if got := c.closeStatus(); strings.Contains(got.Reason, "KEY") || strings.Contains(got.Reason, "TOKEN") {
			t.Errorf("close reason %q reveals a credential", got.Reason)
		}
	}
	for i := range 3 {
		sess, err := srv.WaitSession(ok.ctx, i)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(sess.Path(), "KEY") {
			t.Errorf("Path() = %q reveals the key", sess.Path())
		}
	}
	srv.Close()
	out := logs.String()
	if !strings.Contains(out, "livetest: connection") || !strings.Contains(out, "closing connection") {
		t.Fatalf("the logger saw nothing useful:\n%s", out)
	}
	for _, secret := range []string{goodKey, badKey, badToken} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
}

func TestWithVAD(t *testing.T) {
	turns := make(chan *livetest.Turn, 4)
	srv := newServer(t, recordingResponder(turns), livetest.WithVAD(livetest.VADConfig{Threshold: 0.5, SilenceDuration: 200 * time.Millisecond}))
	c := connect(t, srv, `{"model":"`+geminiModel+`","generationConfig":{"responseModalities":["TEXT"]}}`)
	// At 0.3 of full scale the tone is below the raised threshold.
	c.sendAudio(append(livetest.Tone(16000, 300*time.Millisecond, 0.3), silence(300*time.Millisecond)...))
	c.sendAudio(append(livetest.Tone(16000, 300*time.Millisecond, 0.9), silence(300*time.Millisecond)...))
	c.recvUntil(turnComplete)
	turn := <-turns
	if turn.AudioDuration != 500*time.Millisecond {
		t.Errorf("turn audio = %v, want 500ms: only the loud tone is speech, and 200ms of silence ends it", turn.AudioDuration)
	}
}

// nilResponder is a Responder with a pointer receiver, to be nil.
type nilResponder struct{}

func (*nilResponder) Respond(context.Context, *livetest.Turn) livetest.Script { return nil }

// A nil pointer given as the Responder is refused at once, naming its
// type, instead of failing at the first user turn.
func TestWithResponderRefusesTypedNil(t *testing.T) {
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "WithResponder") || !strings.Contains(msg, "nil *livetest_test.nilResponder") {
			t.Errorf("WithResponder((*nilResponder)(nil)) panicked with %q, want a message naming the nil *livetest_test.nilResponder", msg)
		}
	}()
	livetest.WithResponder((*nilResponder)(nil))
}
