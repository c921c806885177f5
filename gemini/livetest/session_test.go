package livetest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
)

func TestSessionSendInjectsMessages(t *testing.T) {
	srv := newServer(t)
	c := connect(t, srv, `{"model":"`+geminiModel+`"}`)
	sess, err := srv.WaitSession(c.ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	err = sess.Send(c.ctx,
		livetest.GoAway(50*time.Second),
		livetest.Interrupted(),
		livetest.ToolCallCancellation("call-1"),
		livetest.VoiceActivity(genai.VoiceActivityTypeActivityStart, 6680*time.Millisecond),
		livetest.ResumptionUpdate(&genai.LiveServerSessionResumptionUpdate{NewHandle: "h1", Resumable: true, LastConsumedClientMessageIndex: 3}),
		livetest.Raw([]byte(`{"custom":true}`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`{"goAway":{"timeLeft":"50s"}}`,
		`{"serverContent":{"interrupted":true}}`,
		`{"toolCallCancellation":{"ids":["call-1"]}}`,
		`{"voiceActivity":{"type":"ACTIVITY_START","audioOffset":"6.680s"}}`,
		`{"sessionResumptionUpdate":{"newHandle":"h1","resumable":true,"lastConsumedClientMessageIndex":"3"}}`,
		`{"custom":true}`,
	}
	var got []string
	for range want {
		got = append(got, string(c.recvRaw()))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("frames (-want +got):\n%s", diff)
	}
}

func TestFramesAreBinaryByDefault(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []livetest.Option
		want websocket.MessageType
	}{
		{"default", nil, websocket.MessageBinary},
		{"WithTextFrames", []livetest.Option{livetest.WithTextFrames()}, websocket.MessageText},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.opts...)
			c := dial(t, srv, geminiPath, nil)
			c.send(`{"setup":{"model":"` + geminiModel + `"}}`)
			typ, _, err := c.conn.Read(c.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if typ != tt.want {
				t.Errorf("frame type = %v, want %v", typ, tt.want)
			}
		})
	}
}

func TestCloseWith(t *testing.T) {
	srv := newServer(t)
	c := connect(t, srv, `{"model":"`+geminiModel+`"}`)
	sess, _ := srv.WaitSession(c.ctx, 0)
	if err := sess.CloseWith(websocket.StatusInternalError, "Internal error occurred."); err != nil {
		t.Fatal(err)
	}
	got := c.closeStatus()
	if got.Code != websocket.StatusInternalError || got.Reason != "Internal error occurred." {
		t.Errorf("client saw %v, want 1011 Internal error occurred.", got)
	}
	<-sess.Done()
	if cc, ok := sess.ClientClose(); ok {
		t.Errorf("ClientClose() = %v, want none: the server closed first", cc)
	}
	if sc, ok := sess.ServerClose(); !ok || sc.Code != websocket.StatusInternalError {
		t.Errorf("ServerClose() = %v, %v, want 1011", sc, ok)
	}
	if err := sess.CloseWith(websocket.StatusNormalClosure, ""); !errors.Is(err, livetest.ErrSessionEnded) {
		t.Errorf("second CloseWith = %v, want ErrSessionEnded", err)
	}
}

func TestCloseWithRejectsReservedCodes(t *testing.T) {
	srv := newServer(t)
	c := connect(t, srv, `{"model":"`+geminiModel+`"}`)
	sess, _ := srv.WaitSession(c.ctx, 0)
	if err := sess.CloseWith(websocket.StatusAbnormalClosure, ""); err == nil {
		t.Error("CloseWith(1006) succeeded, want an error: 1006 cannot be sent")
	}
}

func TestCloseWithStep(t *testing.T) {
	srv := newServer(t)
	srv.Reply(livetest.Text("bye"), livetest.CloseWith(websocket.StatusNormalClosure, "The operation was cancelled."))
	c := connect(t, srv, `{"model":"`+geminiModel+`"}`)
	c.send(`{"realtimeInput":{"text":"hi"}}`)
	if m := c.recv(); m.ServerContent == nil || m.ServerContent.ModelTurn == nil {
		t.Fatalf("got %+v, want the text", m)
	}
	got := c.closeStatus()
	if got.Code != websocket.StatusNormalClosure || got.Reason != "The operation was cancelled." {
		t.Errorf("close = %v", got)
	}
}

func TestDrop(t *testing.T) {
	srv := newServer(t)
	c := connect(t, srv, `{"model":"`+geminiModel+`"}`)
	sess, _ := srv.WaitSession(c.ctx, 0)
	sess.Drop()
	if got := c.closeStatus(); got.Code != -1 {
		t.Errorf("client saw close frame %v, want none (abnormal closure)", got)
	}
	<-sess.Done()
	if _, ok := sess.ServerClose(); ok {
		t.Error("ServerClose reports a close frame after Drop")
	}
}

func TestClientNormalClose(t *testing.T) {
	srv := newServer(t)
	c := connect(t, srv, `{"model":"`+geminiModel+`"}`)
	sess, _ := srv.WaitSession(c.ctx, 0)
	if err := c.conn.Close(websocket.StatusNormalClosure, "bye"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-sess.Done():
	case <-c.ctx.Done():
		t.Fatal("session did not end")
	}
	got, ok := sess.ClientClose()
	if want := (livetest.CloseStatus{Code: websocket.StatusNormalClosure, Reason: "bye"}); !ok || got != want {
		t.Errorf("ClientClose() = %v, %v, want %v", got, ok, want)
	}
}

func TestWithoutSetupComplete(t *testing.T) {
	srv := newServer(t, livetest.WithoutSetupComplete())
	c := dial(t, srv, geminiPath, nil)
	c.send(`{"setup":{"model":"` + geminiModel + `"}}`)
	c.send(`{"realtimeInput":{"text":"anyone?"}}`)
	sess, err := srv.WaitSession(c.ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.WaitMessage(c.ctx, func(m livetest.ClientMessage) bool { return m.RealtimeInput != nil }); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(c.ctx, 100*time.Millisecond)
	defer cancel()
	if _, _, err := c.conn.Read(ctx); err == nil {
		t.Error("the server answered setup")
	}
}

func TestWaitMessage(t *testing.T) {
	srv := newServer(t)
	srv.Reply(livetest.TurnComplete())
	c := connect(t, srv, `{"model":"`+geminiModel+`"}`)
	sess, _ := srv.WaitSession(c.ctx, 0)

	c.send(`{"realtimeInput":{"text":"one"}}`)
	c.send(`{"toolResponse":{"functionResponses":[{"id":"x","name":"f","response":{"ok":true}}]}}`)
	m, err := sess.WaitMessage(c.ctx, func(m livetest.ClientMessage) bool { return m.ToolResponse != nil })
	if err != nil {
		t.Fatal(err)
	}
	if got := m.ToolResponse.FunctionResponses[0].Response["ok"]; got != true {
		t.Errorf("response = %v", m.ToolResponse.FunctionResponses[0].Response)
	}
	msgs := sess.Messages()
	if len(msgs) != 3 || msgs[0].Setup == nil || msgs[1].RealtimeInput.Text != "one" {
		t.Errorf("Messages() = %+v", msgs)
	}

	c.conn.Close(websocket.StatusNormalClosure, "")
	_, err = sess.WaitMessage(c.ctx, func(m livetest.ClientMessage) bool { return m.ClientContent != nil })
	if !errors.Is(err, livetest.ErrSessionEnded) {
		t.Errorf("WaitMessage after the end = %v, want ErrSessionEnded", err)
	}
}

func TestWaitSessionContext(t *testing.T) {
	srv := newServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := srv.WaitSession(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("WaitSession = %v, want context.Canceled", err)
	}
}

func TestServerCloseEndsSessions(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	srv := livetest.NewServer()
	c := connect(t, srv, `{"model":"`+geminiModel+`"}`)
	sess, _ := srv.WaitSession(c.ctx, 0)
	done := make(chan websocket.CloseError)
	go func() { done <- c.closeStatus() }()
	srv.Close()
	if got := <-done; got.Code != websocket.StatusGoingAway {
		t.Errorf("client saw %v, want 1001", got)
	}
	select {
	case <-sess.Done():
	default:
		t.Error("Close returned before the session ended")
	}
	if _, err := srv.WaitSession(c.ctx, 5); !errors.Is(err, livetest.ErrServerClosed) {
		t.Errorf("WaitSession after Close = %v, want ErrServerClosed", err)
	}
	srv.Close() // idempotent
}
