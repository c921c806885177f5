package livetest_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
)

func TestToolCallWaitsForResponse(t *testing.T) {
	srv := newServer(t)
	srv.Reply(
		livetest.ToolCall(&genai.FunctionCall{Name: "get_weather", Args: map[string]any{"city": "Paris"}}),
		livetest.Text("It is sunny."),
	)
	c := connect(t, srv, `{"model":"`+geminiModel+`","generationConfig":{"responseModalities":["TEXT"]}}`)
	c.send(`{"realtimeInput":{"text":"weather?"}}`)

	m := c.recv()
	if m.ToolCall == nil || len(m.ToolCall.FunctionCalls) != 1 {
		t.Fatalf("got %+v, want a toolCall", m)
	}
	call := m.ToolCall.FunctionCalls[0]
	if call.ID == "" || call.Name != "get_weather" || call.Args["city"] != "Paris" {
		t.Errorf("call = %+v, want get_weather(Paris) with an id", call)
	}
	// Nothing more comes until the tool answers: a message injected now
	// is the next one the client sees.
	sess, _ := srv.WaitSession(c.ctx, 0)
	if err := sess.Send(c.ctx, livetest.Raw([]byte(`{"marker":1}`))); err != nil {
		t.Fatal(err)
	}
	if raw := c.recvRaw(); string(raw) != `{"marker":1}` {
		t.Fatalf("model went on before the tool response: %s", raw)
	}
	c.sendJSON(map[string]any{"toolResponse": map[string]any{"functionResponses": []any{
		map[string]any{"id": call.ID, "name": call.Name, "response": map[string]any{"output": "sunny"}},
	}}})
	msgs := c.recvUntil(turnComplete)
	if got := msgs[0].ServerContent.ModelTurn.Parts[0].Text; got != "It is sunny." {
		t.Errorf("continuation = %q", got)
	}

	conv := sess.Conversation()
	var roles []string
	for _, c := range conv {
		roles = append(roles, c.Role)
	}
	// user text, model call, user tool response, model text.
	if diff := cmp.Diff([]string{"user", "model", "user", "model"}, roles); diff != "" {
		t.Errorf("conversation roles (-want +got):\n%s", diff)
	}
	if fr := conv[2].Parts[0].FunctionResponse; fr == nil || fr.ID != call.ID {
		t.Errorf("conversation[2] = %+v, want the function response", conv[2])
	}
}

func TestToolCallThenTurnComplete(t *testing.T) {
	srv := newServer(t)
	srv.Reply(
		livetest.ToolCallThenTurnComplete(&genai.FunctionCall{ID: "c1", Name: "f"}),
		livetest.Text("done"),
	)
	c := connect(t, srv, `{"model":"`+geminiModel+`","generationConfig":{"responseModalities":["TEXT"]}}`)
	c.send(`{"realtimeInput":{"text":"go"}}`)
	if m := c.recv(); m.ToolCall == nil || m.ToolCall.FunctionCalls[0].ID != "c1" {
		t.Fatalf("got %+v, want toolCall c1", m)
	}
	if m := c.recv(); !turnComplete(m) {
		t.Fatalf("got %+v, want turnComplete before the tool response", m)
	}
	c.send(`{"toolResponse":{"functionResponses":[{"id":"c1","name":"f","response":{}}]}}`)
	msgs := c.recvUntil(turnComplete)
	if got := msgs[0].ServerContent.ModelTurn.Parts[0].Text; got != "done" {
		t.Errorf("continuation = %q", got)
	}
}

func TestStepsWireForm(t *testing.T) {
	pcm := []byte{1, 2, 3, 4, 5, 6}
	audio := base64.StdEncoding.EncodeToString(pcm)
	usage := &genai.UsageMetadata{PromptTokenCount: 5, ResponseTokenCount: 7, TotalTokenCount: 12,
		ResponseTokensDetails: []*genai.ModalityTokenCount{{Modality: genai.MediaModalityAudio, TokenCount: 7}}}
	tests := []struct {
		name    string
		path    string
		step    livetest.Step
		want    []string
		comment string
	}{
		{"text", geminiPath, livetest.Text("hi"), []string{`{"serverContent":{"modelTurn":{"parts":[{"text":"hi"}]}}}`}, ""},
		{"text on vertex", vertexPath, livetest.Text("hi"), []string{`{"serverContent":{"modelTurn":{"parts":[{"text":"hi"}],"role":"model"}}}`}, ""},
		{"thought", geminiPath, livetest.Thought("hmm"), []string{`{"serverContent":{"modelTurn":{"parts":[{"text":"hmm","thought":true}]}}}`}, ""},
		{"audio", geminiPath, livetest.Audio(pcm), []string{`{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"data":"` + audio + `","mimeType":"audio/pcm;rate=24000"}}]}}}`}, ""},
		{"audio on vertex", vertexPath, livetest.Audio(pcm), []string{`{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"data":"` + audio + `","mimeType":"audio/pcm"}}],"role":"model"}}}`}, ""},
		{"audio chunks", geminiPath, livetest.AudioChunks(livetest.Silence(24000, 25*time.Millisecond), 10*time.Millisecond), []string{
			`{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"data":"` + zeros(480) + `","mimeType":"audio/pcm;rate=24000"}}]}}}`,
			`{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"data":"` + zeros(480) + `","mimeType":"audio/pcm;rate=24000"}}]}}}`,
			`{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"data":"` + zeros(240) + `","mimeType":"audio/pcm;rate=24000"}}]}}}`,
		}, ""},
		{"input transcript", geminiPath, livetest.InputTranscript(" what's", true), []string{`{"serverContent":{"inputTranscription":{"text":" what's","finished":true}}}`}, ""},
		{"output transcript", geminiPath, livetest.OutputTranscript("It"), []string{`{"serverContent":{"outputTranscription":{"text":"It"}}}`}, ""},
		{"empty output transcript", vertexPath, livetest.OutputTranscript(""), []string{`{"serverContent":{"outputTranscription":{}}}`}, ""},
		{"usage", geminiPath, livetest.Usage(usage), []string{`{"usageMetadata":{"promptTokenCount":5,"responseTokenCount":7,"totalTokenCount":12,"responseTokensDetails":[{"modality":"AUDIO","tokenCount":7}]}}`}, ""},
		{"usage on vertex", vertexPath, livetest.Usage(usage), []string{`{"usageMetadata":{"promptTokenCount":5,"totalTokenCount":12,"candidatesTokenCount":7,"candidatesTokensDetails":[{"modality":"AUDIO","tokenCount":7}]}}`}, ""},
		{"grounding", geminiPath, livetest.Grounding(&genai.GroundingMetadata{WebSearchQueries: []string{"q"}}), []string{`{"serverContent":{"groundingMetadata":{"webSearchQueries":["q"]}}}`}, ""},
		{"generation complete", geminiPath, livetest.GenerationComplete(), []string{`{"serverContent":{"generationComplete":true}}`}, ""},
		{"go away with fraction", geminiPath, livetest.GoAway(1500 * time.Millisecond), []string{`{"goAway":{"timeLeft":"1.500s"}}`}, ""},
		{"html is not escaped", geminiPath, livetest.Text("<a & b>"), []string{`{"serverContent":{"modelTurn":{"parts":[{"text":"<a & b>"}]}}}`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			c := dial(t, srv, tt.path, nil)
			c.send(`{"setup":{"model":"` + modelFor(tt.path) + `"}}`)
			c.recvRaw()
			sess, _ := srv.WaitSession(c.ctx, 0)
			if err := sess.Send(c.ctx, tt.step); err != nil {
				t.Fatal(err)
			}
			var got []string
			for range tt.want {
				got = append(got, string(c.recvRaw()))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("frames (-want +got):\n%s", diff)
			}
		})
	}
}

func zeros(n int) string { return base64.StdEncoding.EncodeToString(make([]byte, n)) }

func TestResponderSeesTurn(t *testing.T) {
	turns := make(chan *livetest.Turn, 4)
	srv := newServer(t, livetest.WithResponder(livetest.ResponderFunc(func(ctx context.Context, turn *livetest.Turn) livetest.Script {
		turns <- turn
		return livetest.Script{livetest.Text("ok")}
	})))
	c := connect(t, srv, `{"model":"`+geminiModel+`","generationConfig":{"responseModalities":["TEXT"]},"tools":[{"googleSearch":{}}]}`)
	c.send(`{"clientContent":{"turns":[{"role":"user","parts":[{"text":"earlier"}]},{"role":"model","parts":[{"text":"reply"}]},{"role":"user","parts":[{"text":"now"}]}],"turnComplete":true}}`)
	c.recvUntil(turnComplete)
	c.send(`{"realtimeInput":{"video":{"data":"AQID","mimeType":"image/jpeg"}}}`)
	c.send(`{"realtimeInput":{"text":"look"}}`)
	c.recvUntil(turnComplete)

	first, second := <-turns, <-turns
	if first.Trigger != livetest.TriggerClientContent || first.Text != "now" || len(first.Content) != 3 || first.Index != 0 {
		t.Errorf("first turn = trigger %v text %q %d contents index %d", first.Trigger, first.Text, len(first.Content), first.Index)
	}
	if first.Modality() != genai.ModalityText || first.Setup.Tools[0].GoogleSearch == nil || first.Session == nil {
		t.Errorf("first turn does not carry the setup and session")
	}
	if second.Trigger != livetest.TriggerText || second.Text != "look" || len(second.Video) != 1 || second.Index != 1 {
		t.Errorf("second turn = trigger %v text %q %d video index %d", second.Trigger, second.Text, len(second.Video), second.Index)
	}
	if got, want := second.Said(), "look [1 image]"; got != want {
		t.Errorf("Said() = %q, want %q", got, want)
	}
}

func TestEchoAudioTurn(t *testing.T) {
	for _, tt := range []struct {
		name, path string
		wantEmpty  bool
		wantMIME   string
	}{
		{"gemini", geminiPath, false, "audio/pcm;rate=24000"},
		{"vertex", vertexPath, true, "audio/pcm"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			c := dial(t, srv, tt.path, nil)
			c.send(`{"setup":{"model":"` + modelFor(tt.path) + `","outputAudioTranscription":{}}}`)
			c.recvRaw()
			c.send(`{"clientContent":{"turns":[{"role":"user","parts":[{"text":"say something nice"}]}],"turnComplete":true}}`)
			var transcript strings.Builder
			var audioChunks, empties int
			msgs := c.recvUntil(turnComplete)
			for _, m := range msgs {
				sc := m.ServerContent
				if sc == nil {
					continue
				}
				if sc.ModelTurn != nil {
					blob := sc.ModelTurn.Parts[0].InlineData
					if blob == nil || blob.MIMEType != tt.wantMIME || len(blob.Data) != 2*24000/5 {
						t.Errorf("audio part = %+v, want %s, 200 ms", blob, tt.wantMIME)
					}
					audioChunks++
				}
				if ot := sc.OutputTranscription; ot != nil {
					if ot.Text == "" {
						empties++
					}
					transcript.WriteString(ot.Text)
				}
			}
			if got, want := transcript.String(), "echo: say something nice"; got != want {
				t.Errorf("output transcript = %q, want %q", got, want)
			}
			if audioChunks < 2 {
				t.Errorf("%d audio chunks, want several", audioChunks)
			}
			if (empties == 1) != tt.wantEmpty {
				t.Errorf("%d empty transcriptions; want one only on Vertex", empties)
			}
			if u := msgs[len(msgs)-1].UsageMetadata; u == nil || u.TotalTokenCount == 0 {
				t.Errorf("no usage with turnComplete")
			}
		})
	}
}
