package livetest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
)

// nonBlockingSetup declares notify NON_BLOCKING.
const nonBlockingSetup = `{"model":"` + geminiModel + `","generationConfig":{"responseModalities":["TEXT"]},` +
	`"tools":[{"functionDeclarations":[{"name":"notify","behavior":"NON_BLOCKING"}]}]}`

func notifyResponse(scheduling string) map[string]any {
	return map[string]any{"toolResponse": map[string]any{"functionResponses": []map[string]any{
		{"id": "n1", "name": "notify", "response": map[string]any{"done": true}, "willContinue": true, "scheduling": scheduling},
	}}}
}

// The model does not wait for a NON_BLOCKING call, and a response to it
// is scheduled as it says.
func TestNonBlockingCallsAndScheduling(t *testing.T) {
	turns := make(chan *livetest.Turn, 4)
	srv := newServer(t, recordingResponder(turns))
	srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "n1", Name: "notify"}), livetest.Text("Going on."))
	c := connect(t, srv, nonBlockingSetup)
	c.send(`{"clientContent":{"turns":[{"role":"user","parts":[{"text":"Notify me"}]}],"turnComplete":true}}`)
	if diff := cmp.Diff([]string{"toolCall", "text:Going on.", "generationComplete", "turnComplete"}, kinds(c.recvUntil(turnComplete))); diff != "" {
		t.Fatalf("the model waited for the NON_BLOCKING call (-want +got):\n%s", diff)
	}

	// SILENT: in the conversation, no turn.
	c.sendJSON(notifyResponse("SILENT"))
	select {
	case turn := <-turns:
		t.Fatalf("a SILENT response started a turn: %+v", turn)
	case <-time.After(100 * time.Millisecond):
	}
	// WHEN_IDLE: a turn, the model being quiet.
	c.sendJSON(notifyResponse("WHEN_IDLE"))
	if diff := cmp.Diff([]string{"text:ok", "generationComplete", "turnComplete"}, kinds(c.recvUntil(turnComplete))); diff != "" {
		t.Errorf("WHEN_IDLE (-want +got):\n%s", diff)
	}
	// The SILENT and the WHEN_IDLE responses are both in the turn's input.
	if turn := <-turns; turn.Trigger != livetest.TriggerToolResponse || len(turn.ToolResponses) != 1 {
		t.Errorf("WHEN_IDLE turn = %+v, want one started by the response", turn)
	}
	s, err := srv.WaitSession(testContext(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range s.Conversation() {
		for _, p := range c.Parts {
			if p.FunctionResponse != nil && p.FunctionResponse.ID == "n1" {
				n++
			}
		}
	}
	if n != 2 {
		t.Errorf("the conversation holds %d responses of n1, want the SILENT one and the WHEN_IDLE one", n)
	}
}

// An INTERRUPT response interrupts the model and starts a turn at once.
func TestNonBlockingInterrupt(t *testing.T) {
	turns := make(chan *livetest.Turn, 4)
	srv := newServer(t, recordingResponder(turns))
	srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "n1", Name: "notify"}), livetest.Text("A long story"),
		livetest.Delay(time.Minute), livetest.Text(" that never ends"))
	c := connect(t, srv, nonBlockingSetup)
	c.send(`{"clientContent":{"turns":[{"role":"user","parts":[{"text":"Notify me"}]}],"turnComplete":true}}`)
	c.recvUntil(func(m *genai.LiveServerMessage) bool {
		return m.ServerContent != nil && m.ServerContent.ModelTurn != nil
	})
	c.sendJSON(notifyResponse("INTERRUPT"))
	got := kinds(c.recvUntil(func(m *genai.LiveServerMessage) bool {
		return m.ServerContent != nil && m.ServerContent.ModelTurn != nil && m.ServerContent.ModelTurn.Parts[0].Text == "ok"
	}))
	if diff := cmp.Diff([]string{"interrupted", "turnComplete", "text:ok"}, got); diff != "" {
		t.Errorf("INTERRUPT (-want +got):\n%s", diff)
	}
}

// Vertex AI and gemini-3.1 live models refuse the responses of
// NON_BLOCKING functions with 1007.
func TestNonBlockingFieldsRefusedOnVertexAndLive31(t *testing.T) {
	for _, tc := range []struct{ name, path, setup string }{
		{"vertex", vertexPath, `{"model":"` + vertexModel + `"}`},
		{"3.1", geminiPath, `{"model":"models/gemini-3.1-flash-live-preview"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			c := dial(t, srv, tc.path, nil)
			c.send(`{"setup":` + tc.setup + `}`)
			c.recv() // setupComplete
			c.sendJSON(notifyResponse("SILENT"))
			st := c.closeStatus()
			if st.Code != websocket.StatusInvalidFramePayloadData || !strings.Contains(st.Reason, "will_continue") {
				t.Errorf("close = %v, want 1007 naming will_continue", st)
			}
		})
	}
}
