package livetest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
)

const (
	geminiPath = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"
	vertexPath = "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent"

	geminiModel = "models/gemini-live-2.5-flash-preview"
	vertexModel = "projects/p/locations/us-central1/publishers/google/models/gemini-live-2.5-flash"

	// testTimeout bounds every wait in a test; it is a deadline against
	// hangs, never a timing assertion.
	testTimeout = 10 * time.Second
)

// newServer starts a server closed at the end of the test, after which no
// goroutine may remain.
func newServer(t *testing.T, opts ...livetest.Option) *livetest.Server {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	srv := livetest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// client is a raw WebSocket client speaking JSON frames.
type client struct {
	t    *testing.T
	ctx  context.Context
	conn *websocket.Conn
}

// dial connects to path on srv with header h (an API key is added when h
// has no credentials).
func dial(t *testing.T, srv *livetest.Server, path string, h http.Header) *client {
	t.Helper()
	ctx := testContext(t)
	if h == nil {
		h = http.Header{}
	}
	if h.Get("x-goog-api-key") == "" && h.Get("Authorization") == "" {
		h.Set("x-goog-api-key", "test-key")
	}
	conn, resp, err := websocket.Dial(ctx, srv.URL+path, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		t.Fatalf("dial %s: %v", path, err)
	}
	if resp.Body != nil {
		resp.Body.Close()
	}
	conn.SetReadLimit(-1)
	c := &client{t: t, ctx: ctx, conn: conn}
	t.Cleanup(func() { conn.CloseNow() })
	return c
}

// connect dials the Gemini API path and completes setup.
func connect(t *testing.T, srv *livetest.Server, setup string) *client {
	t.Helper()
	c := dial(t, srv, geminiPath, nil)
	c.send(`{"setup":` + setup + `}`)
	if m := c.recv(); m.SetupComplete == nil {
		t.Fatalf("first server message = %+v, want setupComplete", m)
	}
	return c
}

func (c *client) send(frame string) {
	c.t.Helper()
	if err := c.conn.Write(c.ctx, websocket.MessageText, []byte(frame)); err != nil {
		c.t.Fatalf("write %s: %v", frame, err)
	}
}

func (c *client) sendJSON(v any) {
	c.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.send(string(b))
}

// recvRaw returns the next frame.
func (c *client) recvRaw() []byte {
	c.t.Helper()
	_, data, err := c.conn.Read(c.ctx)
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return data
}

// recv returns the next frame decoded as a Gemini API server message.
func (c *client) recv() *genai.LiveServerMessage {
	c.t.Helper()
	data := c.recvRaw()
	m := new(genai.LiveServerMessage)
	if err := json.Unmarshal(data, m); err != nil {
		c.t.Fatalf("decode %s: %v", data, err)
	}
	return m
}

// recvUntil reads messages until match returns true and returns them all.
func (c *client) recvUntil(match func(*genai.LiveServerMessage) bool) []*genai.LiveServerMessage {
	c.t.Helper()
	var msgs []*genai.LiveServerMessage
	for {
		m := c.recv()
		msgs = append(msgs, m)
		if match(m) {
			return msgs
		}
	}
}

func turnComplete(m *genai.LiveServerMessage) bool {
	return m.ServerContent != nil && m.ServerContent.TurnComplete
}

// closeStatus reads until the connection ends and returns the close frame
// the server sent (Code -1 when it sent none).
func (c *client) closeStatus() websocket.CloseError {
	c.t.Helper()
	for {
		_, _, err := c.conn.Read(c.ctx)
		if err == nil {
			continue
		}
		var ce websocket.CloseError
		if errors.As(err, &ce) {
			return ce
		}
		return websocket.CloseError{Code: -1, Reason: err.Error()}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
