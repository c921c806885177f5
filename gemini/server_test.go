package gemini

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"cloud.google.com/go/auth"
	"github.com/coder/websocket"
)

// captureServer is a minimal Live endpoint for tests that need to see
// exactly what a client sends: it accepts any path, hands each session's
// first frame (the setup) and handshake request to the test, answers
// setupComplete, then records later frames until the client leaves.
type captureServer struct {
	*httptest.Server
	sessions chan *capturedSession
}

type capturedSession struct {
	Request *http.Request
	Setup   []byte
	Frames  chan []byte // frames after the setup; closed when the session ends
	Conn    *websocket.Conn
}

func newCaptureServer(t testing.TB) *captureServer {
	t.Helper()
	cs := &captureServer{sessions: make(chan *capturedSession, 16)}
	cs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.SetReadLimit(-1)
		ctx := r.Context()
		_, setup, err := c.Read(ctx)
		if err != nil {
			return
		}
		s := &capturedSession{Request: r, Setup: setup, Frames: make(chan []byte, 64), Conn: c}
		defer close(s.Frames)
		cs.sessions <- s
		if err := c.Write(ctx, websocket.MessageBinary, []byte("{\n  \"setupComplete\": {}\n}\n")); err != nil {
			return
		}
		for {
			_, b, err := c.Read(ctx)
			if err != nil {
				return
			}
			select {
			case s.Frames <- b:
			default:
			}
		}
	}))
	t.Cleanup(cs.Close)
	return cs
}

// next returns the next session's capture.
func (cs *captureServer) next(t testing.TB) *capturedSession {
	t.Helper()
	select {
	case s := <-cs.sessions:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("no session reached the capture server")
		return nil
	}
}

// clearGenaiEnv unsets every environment variable genai and this package
// read, for the duration of the test.
func clearGenaiEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{envUseVertexAI, envUseEnterprise, envGoogleAPIKey, envGeminiAPIKey, envCloudProject,
		envCloudLocation, envCloudRegion, envGeminiBaseURL, envVertexBaseURL, "GOOGLE_APPLICATION_CREDENTIALS"} {
		t.Setenv(k, "") // restores the old value after the test
		os.Unsetenv(k)
	}
}

// staticToken is a token provider that always returns the same token and
// counts how often it was asked.
type staticToken struct {
	value string
	calls chan struct{}
}

func (s *staticToken) Token(context.Context) (*auth.Token, error) {
	if s.calls != nil {
		s.calls <- struct{}{}
	}
	return &auth.Token{Value: s.value, Type: "Bearer"}, nil
}

func staticCredentials(token string) *auth.Credentials {
	return auth.NewCredentials(&auth.CredentialsOptions{TokenProvider: &staticToken{value: token}})
}
