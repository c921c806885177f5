package gemini_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
)

func TestSetupNeverCompletes(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	srv := livetest.NewServer(livetest.WithoutSetupComplete())
	defer srv.Close()
	m := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	c, err := m.Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
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
// of docs/PROTOCOL.md §6 and checks the error Receive returns.
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
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	srv := livetest.NewServer()
	defer srv.Close()
	m := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil)
	for i, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			ctx := testContext(t)
			c, err := m.Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
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
		c, err := m.Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
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

func checkClosedWith(ctx context.Context, t *testing.T, c live.Conn, code websocket.StatusCode, reason string, retryable, quota bool) {
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
	if err := c.SendRealtime(ctx, &live.RealtimeInput{Text: "late"}); err == nil {
		t.Error("a send after the server closed succeeded")
	}
}

func TestCloseSendsNormalClosure(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	c, err := newModel(t, srv, genai.BackendVertexAI, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
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
	if err := c.SendRealtime(ctx, &live.RealtimeInput{ActivityStart: true}); !errors.Is(err, net.ErrClosed) {
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
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	c, err := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
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

func TestAPIKeyRejected(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	srv := livetest.NewServer(livetest.WithAPIKey("right-key"))
	defer srv.Close()
	m := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", &gemini.Config{APIKey: "wrong-key"})
	_, err := m.Connect(testContext(t), &live.ConnectRequest{Setup: textSetup()})
	var ce *gemini.CloseError
	if !errors.As(err, &ce) || ce.Code != 1007 || ce.Retryable() {
		t.Fatalf("Connect = %v, want a fatal *CloseError 1007", err)
	}
	if strings.Contains(err.Error(), "wrong-key") {
		t.Errorf("error leaks the key: %v", err)
	}
}
