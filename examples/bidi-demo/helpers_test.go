package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/examples/internal/simulator"
)

// Models for the two modalities the demo chooses between.
const (
	audioModel = "gemini-2.5-flash-native-audio-preview-12-2025"
	textModel  = "gemini-2.5-flash"
)

// demo is the program under test, started with run.
type demo struct {
	url    string // http://127.0.0.1:PORT
	cancel context.CancelFunc
	done   chan error
	logs   *syncBuffer
}

// startDemo runs the program on the local simulator (see startProgram).
func startDemo(t *testing.T, args ...string) *demo {
	t.Helper()
	return startProgram(t, append([]string{"-simulator"}, args...)...)
}

// startProgram runs the program with args (plus -addr on a free loopback
// port and -env none), waits for it to print its URL, and stops it at the
// end of the test, failing the test if it does not stop cleanly or leaves
// goroutines behind.
func startProgram(t *testing.T, args ...string) *demo {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx, cancel := context.WithCancel(context.Background())
	stdoutR, stdoutW := io.Pipe()
	d := &demo{cancel: cancel, done: make(chan error, 1), logs: &syncBuffer{}}
	args = append([]string{"-addr", "127.0.0.1:0", "-env", "none", "-v"}, args...)
	go func() {
		err := run(ctx, args, stdoutW, d.logs)
		stdoutW.Close()
		d.done <- err
	}()
	line, err := bufio.NewReader(stdoutR).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("the demo printed no URL: %v (err %v)\nlogs:\n%s", err, <-d.done, d.logs)
	}
	go io.Copy(io.Discard, stdoutR)
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "bidi-demo: serving ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line = %q, want \"bidi-demo: serving http://127.0.0.1:PORT\"", line)
	}
	d.url = url
	t.Cleanup(func() {
		if err := d.stop(t); err != nil {
			t.Errorf("run returned %v", err)
		}
		if t.Failed() {
			t.Logf("demo logs:\n%s", d.logs)
		}
	})
	return d
}

// stop cancels run's context, as SIGINT does, and returns run's error.
func (d *demo) stop(t *testing.T) error {
	d.cancel()
	select {
	case err := <-d.done:
		d.done <- err // later calls see it too
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return after its context ended")
		return nil
	}
}

// wsURL returns the WebSocket URL of path.
func (d *demo) wsURL(path string) string {
	return "ws" + strings.TrimPrefix(d.url, "http") + path
}

// client is a WebSocket client of the demo, speaking the page's protocol.
type client struct {
	t  *testing.T
	ws *websocket.Conn
}

// dial connects to path on the demo as a same-origin browser would.
func (d *demo) dial(t *testing.T, path string) *client {
	t.Helper()
	c, resp, err := d.tryDial(path, http.Header{"Origin": {d.url}})
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (HTTP %d)", path, err, status)
	}
	cl := &client{t: t, ws: c}
	t.Cleanup(func() { c.CloseNow() })
	return cl
}

func (d *demo) tryDial(path string, header http.Header) (*websocket.Conn, *http.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, resp, err := websocket.Dial(ctx, d.wsURL(path), &websocket.DialOptions{HTTPHeader: header})
	if err == nil {
		c.SetReadLimit(8 << 20)
	}
	return c, resp, err
}

func (c *client) sendText(text string) {
	c.t.Helper()
	c.sendJSON(map[string]any{"type": "text", "text": text})
}

func (c *client) sendJSON(v any) {
	c.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendFrame(websocket.MessageText, b)
}

func (c *client) sendFrame(typ websocket.MessageType, b []byte) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.ws.Write(ctx, typ, b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// frame is one server frame: its raw JSON and the event it decodes to.
type frame struct {
	raw []byte
	ev  *event.Event
}

// next returns the next frame, failing the test if none comes in time.
func (c *client) next() frame {
	c.t.Helper()
	f, err := c.tryNext()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return f
}

// tryNext returns the next frame, or the read's error (a
// websocket.CloseError when the server closed the connection). It fails
// the test if the frame is not an event.
func (c *client) tryNext() (frame, error) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	typ, data, err := c.ws.Read(ctx)
	if err != nil {
		return frame{}, err
	}
	if typ != websocket.MessageText {
		c.t.Fatalf("server sent a %v frame; every event must be a text frame", typ)
	}
	var ev event.Event
	if err := json.Unmarshal(data, &ev); err != nil {
		c.t.Fatalf("server frame is not an event: %v\n%s", err, data)
	}
	return frame{raw: data, ev: &ev}, nil
}

// until returns the frames up to and including the first that satisfies
// match.
func (c *client) until(match func(*event.Event) bool) []frame {
	c.t.Helper()
	var got []frame
	for {
		f := c.next()
		got = append(got, f)
		if match(f.ev) {
			return got
		}
	}
}

func turnComplete(ev *event.Event) bool { return ev.TurnComplete }

func isError(ev *event.Event) bool { return ev.ErrorCode != "" }

// replyText returns the agent's reply in frames: its final text for TEXT
// models, the finished output transcription for AUDIO models.
func replyText(frames []frame) string {
	var text, transcript string
	for _, f := range frames {
		if f.ev.OutputTranscription != nil && f.ev.OutputTranscription.Finished {
			transcript += f.ev.OutputTranscription.Text
		}
		if f.ev.Content != nil && !f.ev.Partial && f.ev.Author == agentName {
			for _, p := range f.ev.Content.Parts {
				text += p.Text
			}
		}
	}
	return text + transcript
}

// syncBuffer is a bytes.Buffer safe for the logger and the test at once.
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

// testServer is the demo's server on the local simulator, served by
// httptest, with the simulator at hand to inspect what the model received.
type testServer struct {
	*demo
	srv     *server
	backend *simulator.Backend
}

// startServer builds the server for model as run does and serves it. At
// the end of the test it shuts the server down and checks no goroutine is
// left behind.
func startServer(t *testing.T, model string) *testServer {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	backend, err := simulator.Open(t.Context(), simulator.Config{Model: model, Force: true, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := newServer(&config{model: model, maxFrame: defaultMaxFrame}, backend, logger)
	if err != nil {
		backend.Close()
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.handler())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := srv.shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		hs.Close()
		backend.Close()
		if t.Failed() {
			t.Logf("server logs:\n%s", logs)
		}
	})
	return &testServer{demo: &demo{url: hs.URL, logs: logs}, srv: srv, backend: backend}
}
