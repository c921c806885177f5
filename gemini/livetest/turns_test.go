package livetest_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
)

// hold keeps the model talking until it is interrupted.
const hold = time.Hour

// recordingResponder answers "ok" and hands every turn to the test.
func recordingResponder(turns chan<- *livetest.Turn) livetest.Option {
	return livetest.WithResponder(livetest.ResponderFunc(func(_ context.Context, t *livetest.Turn) livetest.Script {
		turns <- t
		return livetest.Script{livetest.Text("ok")}
	}))
}

// sendAudio streams pcm (16 kHz) in 100 ms chunks, as fast as it can.
func (c *client) sendAudio(pcm []byte) {
	c.t.Helper()
	const chunk = 3200
	for off := 0; off < len(pcm); off += chunk {
		end := min(off+chunk, len(pcm))
		c.send(`{"realtimeInput":{"audio":{"data":"` + base64.StdEncoding.EncodeToString(pcm[off:end]) + `","mimeType":"audio/pcm;rate=16000"}}}`)
	}
}

func speech(d time.Duration) []byte  { return livetest.Tone(16000, d, 0.3) }
func silence(d time.Duration) []byte { return livetest.Silence(16000, d) }

// kinds summarizes messages for comparison.
func kinds(msgs []*genai.LiveServerMessage) []string {
	var out []string
	for _, m := range msgs {
		switch {
		case m.ToolCall != nil:
			out = append(out, "toolCall")
		case m.ToolCallCancellation != nil:
			out = append(out, "cancel:"+strings.Join(m.ToolCallCancellation.IDs, ","))
		case m.SessionResumptionUpdate != nil:
			out = append(out, "resumption")
		case m.ServerContent == nil:
			out = append(out, "other")
		case m.ServerContent.ModelTurn != nil:
			out = append(out, "text:"+m.ServerContent.ModelTurn.Parts[0].Text)
		case m.ServerContent.InputTranscription != nil:
			it := m.ServerContent.InputTranscription
			out = append(out, fmt.Sprintf("in:%s:%v", it.Text, it.Finished))
		case m.ServerContent.Interrupted:
			out = append(out, "interrupted")
		case m.ServerContent.GenerationComplete:
			out = append(out, "generationComplete")
		case m.ServerContent.TurnComplete:
			out = append(out, "turnComplete")
		default:
			out = append(out, "other")
		}
	}
	return out
}

func TestClientContentInterruptsModel(t *testing.T) {
	srv := newServer(t)
	srv.Reply(livetest.Text("a"), livetest.Delay(hold), livetest.Text("never"))
	srv.Reply(livetest.Text("b"))
	c := connect(t, srv, `{"model":"`+geminiModel+`","generationConfig":{"responseModalities":["TEXT"]}}`)
	c.send(`{"clientContent":{"turns":[{"role":"user","parts":[{"text":"one"}]}],"turnComplete":true}}`)
	first := c.recv()
	c.send(`{"clientContent":{"turns":[{"role":"user","parts":[{"text":"two"}]}],"turnComplete":true}}`)
	msgs := append([]*genai.LiveServerMessage{first}, c.recvUntil(turnComplete)...)
	msgs = append(msgs, c.recvUntil(turnComplete)...)
	want := []string{"text:a", "interrupted", "turnComplete", "text:b", "generationComplete", "turnComplete"}
	if diff := cmp.Diff(want, kinds(msgs)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	sess, _ := srv.WaitSession(c.ctx, 0)
	var texts []string
	for _, content := range sess.Conversation() {
		texts = append(texts, content.Role+":"+content.Parts[0].Text)
	}
	if diff := cmp.Diff([]string{"user:one", "model:a", "user:two", "model:b"}, texts); diff != "" {
		t.Errorf("conversation (-want +got):\n%s", diff)
	}
}

func TestSpeechInterruptsModelAndCancelsToolCalls(t *testing.T) {
	srv := newServer(t)
	srv.Reply(livetest.Text("a"), livetest.ToolCall(&genai.FunctionCall{ID: "slow", Name: "f"}), livetest.Text("never"))
	c := connect(t, srv, `{"model":"`+geminiModel+`","generationConfig":{"responseModalities":["TEXT"]}}`)
	c.send(`{"realtimeInput":{"text":"start"}}`)
	msgs := []*genai.LiveServerMessage{c.recv(), c.recv()}
	c.sendAudio(speech(100 * time.Millisecond))
	msgs = append(msgs, c.recvUntil(turnComplete)...)
	want := []string{"text:a", "toolCall", "interrupted", "cancel:slow", "turnComplete"}
	if diff := cmp.Diff(want, kinds(msgs)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

func TestNoInterruptionQueuesTheTurn(t *testing.T) {
	turns := make(chan *livetest.Turn, 4)
	srv := newServer(t, recordingResponder(turns))
	srv.Reply(livetest.Text("a"), livetest.ToolCall(&genai.FunctionCall{ID: "c1", Name: "f"}), livetest.Text("b"))
	c := connect(t, srv, `{"model":"`+geminiModel+`","generationConfig":{"responseModalities":["TEXT"]},`+
		`"realtimeInputConfig":{"activityHandling":"NO_INTERRUPTION"}}`)
	c.send(`{"realtimeInput":{"text":"start"}}`)
	msgs := []*genai.LiveServerMessage{c.recv(), c.recv()}
	c.sendAudio(append(speech(300*time.Millisecond), silence(600*time.Millisecond)...))
	sess, _ := srv.WaitSession(c.ctx, 0)
	// The audio turn has ended (and waits): a user content for it is in
	// the conversation.
	waitFor(t, c.ctx, func() bool {
		conv := sess.Conversation()
		return strings.Contains(conv[len(conv)-1].Parts[0].Text, "s of audio")
	})
	c.send(`{"toolResponse":{"functionResponses":[{"id":"c1","name":"f","response":{}}]}}`)
	msgs = append(msgs, c.recvUntil(turnComplete)...)
	msgs = append(msgs, c.recvUntil(turnComplete)...)
	want := []string{"text:a", "toolCall", "text:b", "generationComplete", "turnComplete", "text:ok", "generationComplete", "turnComplete"}
	if diff := cmp.Diff(want, kinds(msgs)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if turn := <-turns; turn.Trigger != livetest.TriggerSilence {
		t.Errorf("queued turn trigger = %v, want silence", turn.Trigger)
	}
}

// waitFor polls cond until it holds or ctx ends.
func waitFor(t *testing.T, ctx context.Context, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatal("condition never held")
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func TestVADEndsTurnAfterSilenceInAudioTime(t *testing.T) {
	tests := []struct {
		name      string
		config    string
		audio     []byte
		wantAudio time.Duration
	}{
		{
			name:      "default 500 ms of silence",
			audio:     append(speech(300*time.Millisecond), silence(700*time.Millisecond)...),
			wantAudio: 800 * time.Millisecond,
		},
		{
			name:      "silenceDurationMs from setup",
			config:    `,"realtimeInputConfig":{"automaticActivityDetection":{"silenceDurationMs":200}}`,
			audio:     append(speech(300*time.Millisecond), silence(700*time.Millisecond)...),
			wantAudio: 500 * time.Millisecond,
		},
		{
			name:      "leading silence is not part of the turn",
			audio:     append(silence(1000*time.Millisecond), append(speech(300*time.Millisecond), silence(500*time.Millisecond)...)...),
			wantAudio: 800 * time.Millisecond,
		},
		{
			name:      "prefix padding keeps the speech before detection",
			config:    `,"realtimeInputConfig":{"automaticActivityDetection":{"prefixPaddingMs":50}}`,
			audio:     append(silence(1000*time.Millisecond), append(speech(300*time.Millisecond), silence(500*time.Millisecond)...)...),
			wantAudio: 800 * time.Millisecond,
		},
		{
			name:   "a blip shorter than the prefix padding is not speech",
			config: `,"realtimeInputConfig":{"automaticActivityDetection":{"prefixPaddingMs":50}}`,
			audio: append(append(speech(30*time.Millisecond), silence(1000*time.Millisecond)...),
				append(speech(300*time.Millisecond), silence(500*time.Millisecond)...)...),
			wantAudio: 800 * time.Millisecond,
		},
		{
			name:      "turn includes all input",
			config:    `,"realtimeInputConfig":{"turnCoverage":"TURN_INCLUDES_ALL_INPUT"}`,
			audio:     append(silence(1000*time.Millisecond), append(speech(300*time.Millisecond), silence(500*time.Millisecond)...)...),
			wantAudio: 1800 * time.Millisecond,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			turns := make(chan *livetest.Turn, 4)
			srv := newServer(t, recordingResponder(turns))
			c := connect(t, srv, `{"model":"`+geminiModel+`","generationConfig":{"responseModalities":["TEXT"]}`+tt.config+`}`)
			c.sendAudio(tt.audio)
			c.recvUntil(turnComplete)
			turn := <-turns
			if turn.Trigger != livetest.TriggerSilence || turn.AudioDuration != tt.wantAudio || turn.AudioSampleRate != 16000 {
				t.Errorf("turn: trigger %v, audio %v at %d Hz; want silence, %v at 16000 Hz", turn.Trigger, turn.AudioDuration, turn.AudioSampleRate, tt.wantAudio)
			}
			if len(turns) != 0 {
				t.Errorf("%d extra turns", len(turns))
			}
		})
	}
}

func TestQuietAudioIsNotSpeech(t *testing.T) {
	srv := newServer(t)
	srv.Reply(livetest.Text("should not happen"))
	c := connect(t, srv, `{"model":"`+geminiModel+`"}`)
	c.sendAudio(livetest.Tone(16000, 2*time.Second, 0.01))
	c.send(`{"realtimeInput":{"audioStreamEnd":true}}`)
	sess, _ := srv.WaitSession(c.ctx, 0)
	c.send(`{"realtimeInput":{"text":"marker"}}`)
	msgs := c.recvUntil(turnComplete)
	if got := msgs[0].ServerContent.ModelTurn.Parts[0].Text; got != "should not happen" {
		t.Fatalf("first reply = %q", got)
	}
	conv := sess.Conversation()
	if len(conv) != 2 || conv[0].Parts[0].Text != "marker" {
		t.Errorf("conversation = %v, want only the text turn: quiet audio made no turn", conv)
	}
}

func TestAudioStreamEndFlushesTurn(t *testing.T) {
	turns := make(chan *livetest.Turn, 4)
	srv := newServer(t, recordingResponder(turns))
	c := connect(t, srv, `{"model":"`+geminiModel+`","generationConfig":{"responseModalities":["TEXT"]}}`)
	c.sendAudio(speech(300 * time.Millisecond))
	c.send(`{"realtime_input":{"audio_stream_end":true}}`)
	c.recvUntil(turnComplete)
	if turn := <-turns; turn.Trigger != livetest.TriggerAudioStreamEnd || turn.AudioDuration != 300*time.Millisecond {
		t.Errorf("turn: %v, %v; want audioStreamEnd, 300ms", turn.Trigger, turn.AudioDuration)
	}
}

func TestInputTranscription(t *testing.T) {
	srv := newServer(t)
	srv.Reply(livetest.Text("ok"))
	c := connect(t, srv, `{"model":"`+geminiModel+`","generationConfig":{"responseModalities":["TEXT"]},"inputAudioTranscription":{}}`)
	c.sendAudio(append(speech(700*time.Millisecond), silence(500*time.Millisecond)...))
	msgs := c.recvUntil(turnComplete)
	want := []string{"in:[1.2 s :false", "in:of audio]:true", "text:ok", "generationComplete", "turnComplete"}
	if diff := cmp.Diff(want, kinds(msgs)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

func TestScriptedInputTranscriptReplacesDefault(t *testing.T) {
	srv := newServer(t)
	srv.Reply(livetest.InputTranscript(" hello", true), livetest.Text("hi"))
	c := connect(t, srv, `{"model":"`+geminiModel+`","generationConfig":{"responseModalities":["TEXT"]},"inputAudioTranscription":{}}`)
	c.sendAudio(append(speech(300*time.Millisecond), silence(500*time.Millisecond)...))
	msgs := c.recvUntil(turnComplete)
	want := []string{"in: hello:true", "text:hi", "generationComplete", "turnComplete"}
	if diff := cmp.Diff(want, kinds(msgs)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

func TestManualActivity(t *testing.T) {
	turns := make(chan *livetest.Turn, 4)
	srv := newServer(t, recordingResponder(turns))
	srv.Reply(livetest.Text("talking"), livetest.Delay(hold))
	c := connect(t, srv, manualVADSetup)
	c.send(`{"realtimeInput":{"text":"start"}}`)
	msgs := []*genai.LiveServerMessage{c.recv()}
	c.send(`{"realtimeInput":{"activityStart":{}}}`)
	c.sendAudio(silence(200 * time.Millisecond)) // silence does not end a manual activity
	c.send(`{"realtimeInput":{"activityEnd":{}}}`)
	msgs = append(msgs, c.recvUntil(turnComplete)...)
	msgs = append(msgs, c.recvUntil(turnComplete)...)
	want := []string{"text:talking", "interrupted", "turnComplete", "text:ok", "generationComplete", "turnComplete"}
	if diff := cmp.Diff(want, kinds(msgs)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if turn := <-turns; turn.Trigger != livetest.TriggerActivityEnd || turn.AudioDuration != 200*time.Millisecond {
		t.Errorf("turn: %v, %v; want activityEnd with 200ms of audio", turn.Trigger, turn.AudioDuration)
	}
}
