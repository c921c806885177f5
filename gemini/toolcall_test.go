package gemini_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/gemini/livetest"
)

// A call whose args are not a JSON object is reported on the response
// and does not end the connection; the next message still arrives.
func TestToolCallArgsThatAreNotAnObject(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	srv.Reply(livetest.Raw([]byte(`{"toolCall":{"functionCalls":[`+
		`{"id":"c1","name":"f","args":"{\"city\":\"Paris\"}"},`+
		`{"id":"c2","name":"f","args":{"city":"Rome"}},`+
		`{"id":"c3","name":"f","args":[1,2]},`+
		`{"id":"c4","name":"f","args":42},`+
		`{"id":"c5","name":"f","args":null},`+
		`{"id":"c6","name":"f","args":true}]}}`)),
		livetest.Text("still here"))
	c, err := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendContent(ctx, &genai.LiveClientContent{
		Turns: []*genai.Content{genai.NewContentFromText("go", genai.RoleUser)}, TurnComplete: true}); err != nil {
		t.Fatal(err)
	}
	var got *live.Response
	for got == nil {
		r, err := c.Receive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r.ToolCall != nil {
			got = r
		}
	}
	want := &live.Response{
		ToolCall: &genai.LiveServerToolCall{FunctionCalls: []*genai.FunctionCall{
			{ID: "c1", Name: "f"},
			{ID: "c2", Name: "f", Args: map[string]any{"city": "Rome"}},
			{ID: "c3", Name: "f"},
			{ID: "c4", Name: "f"},
			{ID: "c5", Name: "f"},
			{ID: "c6", Name: "f"},
		}},
		ToolCallArgErrors: map[int]string{
			0: `args is a JSON string, not a JSON object: "{\"city\":\"Paris\"}"`,
			2: "args is a JSON array, not a JSON object: [1,2]",
			3: "args is a JSON number, not a JSON object: 42",
			5: "args is a JSON boolean, not a JSON object: true",
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("toolCall response mismatch (-want +got):\n%s", diff)
	}
	if text := modelText(receiveTurn(ctx, t, c)); text != "still here" {
		t.Errorf("after the toolCall the model said %q, want %q", text, "still here")
	}
}

// A function response without an id answers a call that had none; it is
// sent as it is, as genai's clients send it.
func TestToolResponseWithoutID(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend.String(), func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
			ctx := testContext(t)
			srv := livetest.NewServer()
			defer srv.Close()
			c, err := newModel(t, srv, backend, "gemini-live-2.5-flash-preview", nil).Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			resp := &genai.LiveClientToolResponse{FunctionResponses: []*genai.FunctionResponse{
				{Name: "get_weather", Response: map[string]any{"output": "rain"}}}}
			if err := c.SendToolResponse(ctx, resp); err != nil {
				t.Fatalf("SendToolResponse without an id: %v", err)
			}
			sess, _ := srv.WaitSession(ctx, 0)
			got, err := sess.WaitMessage(ctx, func(m livetest.ClientMessage) bool { return m.ToolResponse != nil })
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(resp, got.ToolResponse); diff != "" {
				t.Errorf("server received a different toolResponse (-sent +received):\n%s", diff)
			}
		})
	}
}
