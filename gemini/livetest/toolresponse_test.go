package livetest_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
)

const textSetup = `{"model":"` + geminiModel + `","generationConfig":{"responseModalities":["TEXT"]}}`

// A toolResponse that answers no outstanding call starts a model turn, as
// on Vertex AI: the Responder answers it, and the turn says why it started
// and what the responses were.
func TestUnsolicitedToolResponseStartsATurn(t *testing.T) {
	tests := []struct {
		name     string
		response string
		wantName string
	}{
		{"unknown id", `{"toolResponse":{"functionResponses":[{"id":"function-call-never-made","name":"get_weather","response":{"output":"sunny"}}]}}`, "get_weather"},
		{"no id", `{"toolResponse":{"functionResponses":[{"name":"lookup","response":{"output":42}}]}}`, "lookup"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			turns := make(chan *livetest.Turn, 1)
			srv := newServer(t, recordingResponder(turns))
			c := connect(t, srv, textSetup)
			c.send(tt.response)
			got := kinds(c.recvUntil(turnComplete))
			if diff := cmp.Diff([]string{"text:ok", "generationComplete", "turnComplete"}, got); diff != "" {
				t.Errorf("server messages (-want +got):\n%s", diff)
			}
			turn := <-turns
			if turn.Trigger != livetest.TriggerToolResponse || turn.Trigger.String() != "toolResponse" {
				t.Errorf("turn trigger = %v, want toolResponse", turn.Trigger)
			}
			if len(turn.ToolResponses) != 1 || turn.ToolResponses[0].Name != tt.wantName {
				t.Errorf("turn tool responses = %+v, want the one %s sent", turn.ToolResponses, tt.wantName)
			}
			if said := turn.Said(); !strings.Contains(said, "[response of "+tt.wantName+"]") {
				t.Errorf("Said() = %q, want it to name the response of %s", said, tt.wantName)
			}
		})
	}
}

// The default Echo responder answers an unsolicited response too.
func TestEchoAnswersUnsolicitedToolResponse(t *testing.T) {
	srv := newServer(t)
	c := connect(t, srv, textSetup)
	c.send(`{"toolResponse":{"functionResponses":[{"name":"lookup","response":{"output":42}}]}}`)
	var text strings.Builder
	for _, m := range c.recvUntil(turnComplete) {
		if m.ServerContent != nil && m.ServerContent.ModelTurn != nil {
			text.WriteString(m.ServerContent.ModelTurn.Parts[0].Text)
		}
	}
	if got, want := text.String(), "echo: [response of lookup]"; got != want {
		t.Errorf("reply = %q, want %q", got, want)
	}
}

// A response to an outstanding call continues the turn that made the
// call: it starts no turn of its own.
func TestSolicitedToolResponseContinuesTheTurn(t *testing.T) {
	turns := make(chan *livetest.Turn, 2)
	srv := newServer(t, recordingResponder(turns))
	srv.Reply(livetest.ToolCall(&genai.FunctionCall{Name: "get_weather"}), livetest.Text("Sunny."))
	c := connect(t, srv, textSetup)
	c.send(`{"clientContent":{"turns":[{"role":"user","parts":[{"text":"Weather?"}]}],"turnComplete":true}}`)
	m := c.recv()
	if m.ToolCall == nil {
		t.Fatalf("got %+v, want the toolCall", m)
	}
	c.sendJSON(map[string]any{"toolResponse": map[string]any{"functionResponses": []map[string]any{
		{"id": m.ToolCall.FunctionCalls[0].ID, "name": "get_weather", "response": map[string]any{"output": "sunny"}},
	}}})
	if diff := cmp.Diff([]string{"text:Sunny.", "generationComplete", "turnComplete"}, kinds(c.recvUntil(turnComplete))); diff != "" {
		t.Errorf("continuation (-want +got):\n%s", diff)
	}
	select {
	case turn := <-turns:
		t.Errorf("the answered call started a turn of its own: %+v", turn)
	default:
	}
}
