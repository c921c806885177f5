package livetest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
)

func TestResumptionUpdates(t *testing.T) {
	srv := newServer(t)
	c := dial(t, srv, geminiPath, nil)
	c.send(`{"setup":{"model":"` + geminiModel + `","generationConfig":{"responseModalities":["TEXT"]},"sessionResumption":{}}}`)
	if m := c.recv(); m.SetupComplete == nil {
		t.Fatalf("got %+v, want setupComplete", m)
	}
	first := c.recv().SessionResumptionUpdate
	if first == nil || !first.Resumable || first.NewHandle == "" {
		t.Fatalf("after setupComplete got %+v, want a resumable update", first)
	}
	c.send(`{"realtimeInput":{"text":"hi"}}`)
	c.recvUntil(turnComplete)
	second := c.recv().SessionResumptionUpdate
	if second == nil || !second.Resumable || second.NewHandle == "" || second.NewHandle == first.NewHandle {
		t.Errorf("after turnComplete got %+v, want a new resumable handle", second)
	}
	if second.LastConsumedClientMessageIndex != 0 {
		t.Errorf("lastConsumedClientMessageIndex = %d on the Gemini API, want it only with transparent resumption", second.LastConsumedClientMessageIndex)
	}
}

func TestResumptionNotResumableDuringToolCalls(t *testing.T) {
	srv := newServer(t)
	srv.Reply(livetest.ToolCallThenTurnComplete(&genai.FunctionCall{ID: "c1", Name: "f"}))
	c := connect(t, srv, `{"model":"`+geminiModel+`","sessionResumption":{}}`)
	c.recv() // update after setupComplete
	c.send(`{"realtimeInput":{"text":"hi"}}`)
	c.recvUntil(turnComplete)
	u := c.recv().SessionResumptionUpdate
	if u == nil || u.Resumable || u.NewHandle != "" {
		t.Errorf("update with a pending tool call = %+v, want resumable false and no handle", u)
	}
}

func TestTransparentResumptionCountsConsumedMessages(t *testing.T) {
	srv := newServer(t)
	srv.Reply(livetest.Text("a"))
	srv.Reply(livetest.Text("b"))
	c := dial(t, srv, vertexPath, http.Header{"Authorization": {"Bearer t"}})
	c.send(`{"setup":{"model":"` + vertexModel + `","generationConfig":{"responseModalities":["TEXT"]},"sessionResumption":{"transparent":true}}}`)
	c.recv()
	c.recv()
	c.send(`{"realtimeInput":{"text":"one"}}`)
	c.recvUntil(turnComplete)
	if u := c.recv().SessionResumptionUpdate; u == nil || u.LastConsumedClientMessageIndex != 1 {
		t.Errorf("update after the first message = %+v, want lastConsumedClientMessageIndex 1", u)
	}
	c.send(`{"realtimeInput":{"text":"two"}}`)
	c.recvUntil(turnComplete)
	raw := c.recvRaw()
	var want = `"lastConsumedClientMessageIndex":"2"`
	if !strings.Contains(string(raw), want) {
		t.Errorf("update = %s, want %s (an int64 as a JSON string)", raw, want)
	}
}

func TestResumeRestoresConversation(t *testing.T) {
	srv := newServer(t)
	srv.Reply(livetest.Text("answer"))
	c := connect(t, srv, `{"model":"`+geminiModel+`","generationConfig":{"responseModalities":["TEXT"]},"sessionResumption":{}}`)
	c.recv()
	c.send(`{"realtimeInput":{"text":"question"}}`)
	c.recvUntil(turnComplete)
	handle := c.recv().SessionResumptionUpdate.NewHandle
	c.conn.Close(websocket.StatusNormalClosure, "")
	old, _ := srv.WaitSession(c.ctx, 0)
	<-old.Done()

	c2 := connect(t, srv, `{"model":"`+geminiModel+`","generationConfig":{"responseModalities":["TEXT"]},"sessionResumption":{"handle":"`+handle+`"}}`)
	resumed, _ := srv.WaitSession(c2.ctx, 1)
	if resumed.ResumedFrom() != handle {
		t.Errorf("ResumedFrom() = %q, want %q", resumed.ResumedFrom(), handle)
	}
	var got []string
	for _, content := range resumed.Conversation() {
		got = append(got, content.Role+":"+content.Parts[0].Text)
	}
	if diff := cmp.Diff([]string{"user:question", "model:answer"}, got); diff != "" {
		t.Errorf("resumed conversation (-want +got):\n%s", diff)
	}
	if fresh := srv.Sessions()[0]; fresh.ResumedFrom() != "" {
		t.Errorf("first session ResumedFrom() = %q", fresh.ResumedFrom())
	}
}

func TestResumeWhileOldConnectionOpenFails(t *testing.T) {
	srv := newServer(t)
	c := connect(t, srv, `{"model":"`+geminiModel+`","sessionResumption":{}}`)
	handle := c.recv().SessionResumptionUpdate.NewHandle

	c2 := dial(t, srv, geminiPath, nil)
	c2.send(`{"setup":{"model":"` + geminiModel + `","sessionResumption":{"handle":"` + handle + `"}}}`)
	if got := c2.closeStatus(); got.Code != websocket.StatusInternalError {
		t.Errorf("close = %v, want 1011 while the old connection is open", got)
	}
}

func TestHistorySeeding(t *testing.T) {
	srv := newServer(t)
	srv.Reply(livetest.Text("fresh"))
	c := connect(t, srv, `{"model":"models/gemini-3.1-flash-live-preview","generationConfig":{"responseModalities":["TEXT"]},"historyConfig":{"initialHistoryInClientContent":true}}`)
	c.send(`{"clientContent":{"turns":[{"role":"user","parts":[{"text":"old question"}]},{"role":"model","parts":[{"text":"old answer"}]}],"turnComplete":true}}`)
	c.send(`{"realtimeInput":{"text":"new question"}}`)
	msgs := c.recvUntil(turnComplete)
	if got := msgs[0].ServerContent.ModelTurn.Parts[0].Text; got != "fresh" {
		t.Errorf("first reply = %q: the history must not have triggered the model", got)
	}
	sess, _ := srv.WaitSession(c.ctx, 0)
	var got []string
	for _, content := range sess.Conversation() {
		got = append(got, content.Role+":"+content.Parts[0].Text)
	}
	want := []string{"user:old question", "model:old answer", "user:new question", "model:fresh"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("conversation (-want +got):\n%s", diff)
	}
}
