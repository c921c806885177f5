package simulator

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/gemini/livetest"
)

func TestTextTurnIsAnsweredWithStreamedText(t *testing.T) {
	conn := dial(t, fast, textSetup())
	sendText(t, conn, "hello there")

	got := receiveTurn(t, conn, false)
	want := "You said: “hello there”. I am the local simulator: ask me what time it is to see a tool call."
	if got.text.String() != want {
		t.Errorf("reply = %q, want %q", got.text.String(), want)
	}
	if len(got.audio) != 0 {
		t.Errorf("TEXT reply carried %d bytes of audio", len(got.audio))
	}
	if !got.generationEnd {
		t.Error("no generationComplete before turnComplete")
	}
	if got.usage == nil || got.usage.TotalTokenCount == 0 {
		t.Errorf("usage = %+v, want token counts with turnComplete", got.usage)
	}
}

func TestTextRepliesStreamInSeveralChunks(t *testing.T) {
	conn := dial(t, fast, textSetup())
	sendText(t, conn, "one two three four five")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	chunks := 0
	for {
		r, err := conn.Receive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sc := r.ServerContent; sc != nil {
			if sc.ModelTurn != nil {
				chunks++
			}
			if sc.TurnComplete {
				break
			}
		}
	}
	if chunks < 3 {
		t.Errorf("reply came in %d chunks, want it streamed in several", chunks)
	}
}

func TestAudioTurnIsSpokenWithMatchingTranscription(t *testing.T) {
	conn := dial(t, fast, audioSetup())
	sendText(t, conn, "hi")

	got := receiveTurn(t, conn, false)
	wantText := "You said: “hi”. I am the local simulator: ask me what time it is to see a tool call."
	if got.transcript.String() != wantText {
		t.Errorf("output transcription = %q, want %q", got.transcript.String(), wantText)
	}
	if got.text.Len() != 0 {
		t.Errorf("AUDIO reply carried text parts %q", got.text.String())
	}
	if got.audioMIME != "audio/pcm;rate=24000" {
		t.Errorf("audio mimeType = %q, want audio/pcm;rate=24000", got.audioMIME)
	}
	// The audio is the transcript spoken word by word: as long as the
	// words rendered on their own, and clearly audible.
	var want time.Duration
	for i, w := range strings.SplitAfter(wantText, " ") {
		want += Duration(SpeakWord(w, i))
	}
	if d := Duration(got.audio); d != want {
		t.Errorf("audio lasts %v, want %v (the words of the transcript)", d, want)
	}
	if level := rms(got.audio); level < 0.05 {
		t.Errorf("audio RMS level %.3f: too quiet to hear", level)
	}
}

func TestInputAudioIsReportedByItsDuration(t *testing.T) {
	conn := dial(t, fast, audioSetup())
	ctx := context.Background()
	// 1.2 s of speech-level tone then silence long enough to end the turn.
	for _, pcm := range [][]byte{
		livetest.Tone(16000, 1200*time.Millisecond, 0.3),
		livetest.Silence(16000, 800*time.Millisecond),
	} {
		err := conn.SendRealtime(ctx, &live.RealtimeInput{Audio: &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: pcm}})
		if err != nil {
			t.Fatal(err)
		}
	}
	got := receiveTurn(t, conn, false)
	if !strings.Contains(got.inputText.String(), "s of audio]") {
		t.Errorf("input transcription = %q, want the audio's duration", got.inputText.String())
	}
	if !strings.HasPrefix(got.transcript.String(), "I heard 1.") || !strings.Contains(got.transcript.String(), "seconds of audio") {
		t.Errorf("reply = %q, want it to report the duration it heard", got.transcript.String())
	}
}

func TestTimeRequestCallsTheDeclaredTool(t *testing.T) {
	conn := dial(t, fast, withTimeTool(textSetup()))
	sendText(t, conn, "What time is it?")

	first := receiveTurn(t, conn, true)
	if len(first.calls) != 1 || first.calls[0].Name != TimeToolName {
		t.Fatalf("tool calls = %+v, want one call of %s", first.calls, TimeToolName)
	}
	if first.text.String() != "Let me check the clock." {
		t.Errorf("text before the call = %q", first.text.String())
	}
	err := conn.SendToolResponse(context.Background(), &genai.LiveClientToolResponse{
		FunctionResponses: []*genai.FunctionResponse{{
			ID: first.calls[0].ID, Name: TimeToolName,
			Response: map[string]any{"time": "12:34:56", "timezone": "UTC"},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	rest := receiveTurn(t, conn, false)
	want := " The get_current_time tool says: time 12:34:56, timezone UTC."
	if rest.text.String() != want {
		t.Errorf("reply after the tool = %q, want %q", rest.text.String(), want)
	}
}

func TestTimeRequestWithoutTheToolIsJustText(t *testing.T) {
	conn := dial(t, fast, textSetup())
	sendText(t, conn, "What time is it?")
	got := receiveTurn(t, conn, false)
	if len(got.calls) != 0 {
		t.Errorf("called %+v although the setup declares no tool", got.calls)
	}
	if !strings.HasPrefix(got.text.String(), "You said: “What time is it?”.") {
		t.Errorf("reply = %q", got.text.String())
	}
}

func TestSpeakingOverTheReplyInterruptsIt(t *testing.T) {
	conn := dial(t, Options{}, audioSetup()) // paced, as in the demo
	sendText(t, conn, "tell me something long")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	// Wait for the reply to start, then talk over it.
	for {
		r, err := conn.Receive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sc := r.ServerContent; sc != nil && sc.ModelTurn != nil {
			break
		}
	}
	speech := livetest.Tone(16000, 300*time.Millisecond, 0.3)
	if err := conn.SendRealtime(ctx, &live.RealtimeInput{Audio: &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: speech}}); err != nil {
		t.Fatal(err)
	}
	got := receiveTurn(t, conn, false)
	if !got.interrupted {
		t.Fatal("the reply was not interrupted")
	}
	if got.generationEnd {
		t.Error("an interrupted reply sent generationComplete")
	}
	if full := Duration(SpeakWord("x", 0)) * 15; Duration(got.audio) >= full {
		t.Errorf("got %v of audio after barge-in: the reply was not cut", Duration(got.audio))
	}
}

func TestRepliesRememberEarlierTurns(t *testing.T) {
	t.Run("same connection", func(t *testing.T) {
		conn := dial(t, fast, textSetup())
		sendText(t, conn, "my name is Ada")
		receiveTurn(t, conn, false)
		sendText(t, conn, "who am I?")
		got := receiveTurn(t, conn, false)
		want := "You said: “who am I?”. Earlier you said: “my name is Ada”."
		if got.text.String() != want {
			t.Errorf("reply = %q, want %q", got.text.String(), want)
		}
	})
	t.Run("history seeded on connect", func(t *testing.T) {
		conn := dial(t, fast, textSetup(),
			genai.NewContentFromText("I like tea", genai.RoleUser),
			genai.NewContentFromText("Noted.", genai.RoleModel))
		sendText(t, conn, "what do I like?")
		got := receiveTurn(t, conn, false)
		if !strings.HasSuffix(got.text.String(), "Earlier you said: “I like tea”.") {
			t.Errorf("reply = %q, want it to recall the seeded history", got.text.String())
		}
	})
}
