package flow_test

import (
	"context"
	"fmt"
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/runconfig"
)

// fuzzScript turns fuzz input into a sequence of server messages: each
// byte picks a message kind, and its high bits vary the message.
func fuzzScript(data []byte) (script []*live.Response, interrupts, turns int) {
	for i, b := range data {
		word := fmt.Sprintf("w%d ", i)
		switch b % 12 {
		case 0:
			script = append(script, modelText(word))
		case 1:
			script = append(script, content(&genai.LiveServerContent{ModelTurn: &genai.Content{Parts: []*genai.Part{{Text: word, Thought: true}}}}))
		case 2:
			script = append(script, modelAudio(b, b))
		case 3:
			script = append(script, inputTranscript(word[:int(b>>4)%len(word)], b&0x80 != 0))
		case 4:
			script = append(script, outputTranscript(word[:int(b>>4)%len(word)]))
		case 5:
			script = append(script, interrupted)
			interrupts++
		case 6:
			script = append(script, generationComplete)
		case 7:
			r := &live.Response{ServerContent: &genai.LiveServerContent{TurnComplete: true}}
			if b&0x80 != 0 {
				r.UsageMetadata = &genai.UsageMetadata{TotalTokenCount: int32(b)}
			}
			script = append(script, r)
			turns++
		case 8:
			script = append(script, content(&genai.LiveServerContent{ModelTurn: &genai.Content{Parts: []*genai.Part{
				{ExecutableCode: &genai.ExecutableCode{Code: word}}, nil, {Text: word},
			}}}))
		case 9:
			// Several fields in one message, as the server may send.
			script = append(script, content(&genai.LiveServerContent{
				InputTranscription:  &genai.Transcription{Text: word},
				ModelTurn:           &genai.Content{Parts: []*genai.Part{{Text: word}}},
				OutputTranscription: &genai.Transcription{Text: word, Finished: b&0x80 != 0},
				Interrupted:         b&0x40 != 0,
				GroundingMetadata:   &genai.GroundingMetadata{},
			}))
			if b&0x40 != 0 {
				interrupts++
			}
		case 10:
			script = append(script, &live.Response{UsageMetadata: &genai.UsageMetadata{TotalTokenCount: int32(b)}})
		case 11:
			script = append(script, &live.Response{SessionResumptionUpdate: &genai.LiveServerSessionResumptionUpdate{NewHandle: word, Resumable: b&0x80 != 0}})
		}
	}
	return script, interrupts, turns
}

// FuzzRunMapping feeds arbitrary sequences of server messages through a
// run and checks the mapping's promises: merged text and finished
// transcriptions are exactly the chunks before them, everything pending is
// flushed before a turn boundary and before the run ends, and no signal is
// lost.
func FuzzRunMapping(f *testing.F) {
	f.Add([]byte{0, 0, 7})                   // text turn
	f.Add([]byte{3, 2, 4, 2, 4, 6, 7})       // audio turn with transcriptions
	f.Add([]byte{0, 3, 4, 5, 7})             // interrupted with everything pending
	f.Add([]byte{1, 0, 8, 0, 0x87})          // thought, code, usage on turnComplete
	f.Add([]byte{0x93, 0xc9, 0x49, 10, 11})  // combined messages
	f.Add([]byte{0x83, 0x83, 0x43, 0xf3, 7}) // finished input transcriptions
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 512 {
			return
		}
		script, interrupts, turns := fuzzScript(data)
		p, m := newParams(t)
		p.RunConfig.MaxLLMCalls = runconfig.UnlimitedLLMCalls
		m.conn.reply(script...)
		m.conn.end(errServerClosed)

		res := collect(t, flow.Run(context.Background(), p))

		if !isErr(res.err, errServerClosed) || res.errs != 1 {
			t.Fatalf("run ended with %v (%d errors), want the server's error once", res.err, res.errs)
		}
		var text, in, out string
		gotInterrupts, gotTurns := 0, 0
		for _, ev := range res.events {
			switch {
			case ev.Partial && ev.Content != nil && !ev.Content.Parts[0].Thought:
				text += ev.Text()
			case ev.Partial && ev.InputTranscription != nil:
				in += ev.InputTranscription.Text
			case ev.Partial && ev.OutputTranscription != nil:
				out += ev.OutputTranscription.Text
			case ev.Content != nil && ev.Content.Parts[0].Text != "" && !ev.Partial:
				if got := ev.Text(); got != text || got == "" {
					t.Fatalf("merged text %q, want the chunks before it %q", got, text)
				}
				text = ""
			case ev.InputTranscription != nil:
				if t2 := ev.InputTranscription; !t2.Finished || t2.Text != in || in == "" {
					t.Fatalf("input transcription %+v, want finished %q", t2, in)
				}
				in = ""
			case ev.OutputTranscription != nil:
				if t2 := ev.OutputTranscription; !t2.Finished || t2.Text != out || out == "" {
					t.Fatalf("output transcription %+v, want finished %q", t2, out)
				}
				out = ""
			case ev.Interrupted || ev.GenerationComplete || ev.TurnComplete:
				if text != "" || in != "" || out != "" {
					t.Fatalf("%q with text %q, input %q, output %q still pending", describe(ev), text, in, out)
				}
				if ev.Interrupted {
					gotInterrupts++
				}
				if ev.TurnComplete {
					gotTurns++
				}
			}
		}
		if text != "" || in != "" || out != "" {
			t.Fatalf("the run ended with text %q, input %q, output %q never flushed", text, in, out)
		}
		if gotInterrupts != interrupts || gotTurns != turns {
			t.Fatalf("got %d interrupted and %d turnComplete events, want %d and %d", gotInterrupts, gotTurns, interrupts, turns)
		}
	})
}
