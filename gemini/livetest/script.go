package livetest

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/coder/websocket"
	"google.golang.org/genai"
)

// A Script is what the simulated model does in one turn: its steps, run in
// order. Unless a step sends turnComplete itself or ends the connection,
// the server ends the turn after the last step with generationComplete and
// turnComplete, as a real model does. A new user turn or barge-in that
// interrupts the model stops the script between steps.
type Script []Step

// A Step is one action of a Script, made by the constructors of this
// package (Text, Audio, ToolCall, Delay, ...). Steps can also be run
// outside a turn with Session.Send.
type Step struct {
	kind stepKind
	run  func(ctx context.Context, e *emitter) error
}

type stepKind int

const (
	stepOther stepKind = iota
	stepInputTranscript
)

// has reports whether the script contains a step of kind k.
func (sc Script) has(k stepKind) bool {
	return slices.ContainsFunc(sc, func(s Step) bool { return s.kind == k })
}

// content returns a step that sends one serverContent message.
func content(sc *genai.LiveServerContent) Step {
	return Message(&genai.LiveServerMessage{ServerContent: sc})
}

// modelTurn returns a step that sends one model turn part.
func modelTurn(p *genai.Part) Step {
	return content(&genai.LiveServerContent{ModelTurn: &genai.Content{Parts: []*genai.Part{p}}})
}

// Message sends m as one frame, in the session's backend's wire form. It is
// the general form of every other content step; use it to send several
// fields in one frame (turnComplete with usageMetadata, for example).
func Message(m *genai.LiveServerMessage) Step {
	return Step{run: func(_ context.Context, e *emitter) error { return e.send(m) }}
}

// Raw sends frame verbatim as one frame. It need not be valid JSON.
func Raw(frame []byte) Step {
	return Step{run: func(_ context.Context, e *emitter) error { return e.sendRaw(frame) }}
}

// Text sends one model turn text part.
func Text(s string) Step { return modelTurn(&genai.Part{Text: s}) }

// Thought sends one model turn thought part (text with thought: true).
func Thought(s string) Step { return modelTurn(&genai.Part{Text: s, Thought: true}) }

// Audio sends pcm, 16-bit little-endian mono PCM at 24 kHz, as one model
// turn inlineData part, with the backend's mimeType ("audio/pcm;rate=24000"
// on the Gemini API, "audio/pcm" on Vertex AI).
func Audio(pcm []byte) Step {
	return Step{run: func(_ context.Context, e *emitter) error {
		return e.send(audioMessage(e.s.Backend(), pcm))
	}}
}

// AudioChunks sends pcm (24 kHz PCM16LE mono) as consecutive model turn
// inlineData parts of chunk each (the last may be shorter).
func AudioChunks(pcm []byte, chunk time.Duration) Step {
	size := max(2, int(chunk*OutputSampleRate/time.Second)*2)
	return Step{run: func(ctx context.Context, e *emitter) error {
		for off := 0; off < len(pcm); off += size {
			if err := ctx.Err(); err != nil {
				return err
			}
			end := min(off+size, len(pcm))
			if err := e.send(audioMessage(e.s.Backend(), pcm[off:end])); err != nil {
				return err
			}
		}
		return nil
	}}
}

func audioMessage(backend genai.Backend, pcm []byte) *genai.LiveServerMessage {
	mime := "audio/pcm;rate=24000"
	if backend == genai.BackendVertexAI {
		mime = "audio/pcm"
	}
	return &genai.LiveServerMessage{ServerContent: &genai.LiveServerContent{ModelTurn: &genai.Content{
		Parts: []*genai.Part{{InlineData: &genai.Blob{MIMEType: mime, Data: pcm}}},
	}}}
}

// InputTranscript sends an inputTranscription fragment. A script that has
// one replaces the transcript the server would send for the turn's audio.
func InputTranscript(text string, finished bool) Step {
	st := content(&genai.LiveServerContent{InputTranscription: &genai.Transcription{Text: text, Finished: finished}})
	st.kind = stepInputTranscript
	return st
}

// OutputTranscript sends an outputTranscription fragment. An empty text
// sends {} (as Vertex AI does before the first fragment).
func OutputTranscript(text string) Step {
	return content(&genai.LiveServerContent{OutputTranscription: &genai.Transcription{Text: text}})
}

// ToolCall sends a toolCall message with calls, then waits until the
// client has answered (or the server has cancelled) every one of them
// before the script continues, as a model does with blocking functions.
// Calls without an ID get a unique one ("function-call-N"); calls are
// copied, never modified.
func ToolCall(calls ...*genai.FunctionCall) Step {
	return Step{run: func(ctx context.Context, e *emitter) error {
		return e.toolCall(ctx, calls, false)
	}}
}

// ToolCallThenTurnComplete sends a toolCall message and, at once, a
// turnComplete, as some 2.x models do, then waits for the responses like
// ToolCall; the steps after it form the model's continuation, which the
// server ends with another turnComplete.
func ToolCallThenTurnComplete(calls ...*genai.FunctionCall) Step {
	return Step{run: func(ctx context.Context, e *emitter) error {
		return e.toolCall(ctx, calls, true)
	}}
}

// ToolCallCancellation sends toolCallCancellation for ids and stops
// waiting for their responses.
func ToolCallCancellation(ids ...string) Step {
	return Step{run: func(_ context.Context, e *emitter) error {
		e.s.tools.answer(ids)
		return e.send(&genai.LiveServerMessage{ToolCallCancellation: &genai.LiveServerToolCallCancellation{IDs: ids}})
	}}
}

// Grounding sends serverContent.groundingMetadata.
func Grounding(m *genai.GroundingMetadata) Step {
	return content(&genai.LiveServerContent{GroundingMetadata: m})
}

// Usage sends a usageMetadata message (on Vertex AI with the response
// counts spelled candidatesTokenCount and candidatesTokensDetails).
func Usage(u *genai.UsageMetadata) Step {
	return Message(&genai.LiveServerMessage{UsageMetadata: u})
}

// GenerationComplete sends serverContent.generationComplete.
func GenerationComplete() Step {
	return content(&genai.LiveServerContent{GenerationComplete: true})
}

// TurnComplete sends serverContent.turnComplete. When the setup asked for
// session resumption, a sessionResumptionUpdate follows.
func TurnComplete() Step {
	return content(&genai.LiveServerContent{TurnComplete: true})
}

// Interrupted sends serverContent.interrupted. It is only the signal: the
// script goes on. (Interruptions caused by the client stop the script.)
func Interrupted() Step {
	return content(&genai.LiveServerContent{Interrupted: true})
}

// GoAway sends goAway with timeLeft ("50s").
func GoAway(timeLeft time.Duration) Step {
	return Message(&genai.LiveServerMessage{GoAway: &genai.LiveServerGoAway{TimeLeft: timeLeft}})
}

// ResumptionUpdate sends sessionResumptionUpdate u. A resumable update's
// handle becomes valid for resuming this session's conversation.
func ResumptionUpdate(u *genai.LiveServerSessionResumptionUpdate) Step {
	return Step{run: func(_ context.Context, e *emitter) error {
		if u.Resumable && u.NewHandle != "" {
			e.s.srv.registerHandle(u.NewHandle, e.s)
		}
		return e.send(&genai.LiveServerMessage{SessionResumptionUpdate: u})
	}}
}

// VoiceActivity sends voiceActivity with the wire key "type" and the
// offset as a duration string ("6.680s").
func VoiceActivity(typ genai.VoiceActivityType, audioOffset time.Duration) Step {
	return Message(&genai.LiveServerMessage{VoiceActivity: &genai.VoiceActivity{VoiceActivityType: typ, AudioOffset: audioOffset}})
}

// Delay waits for d, or until the turn is interrupted.
func Delay(d time.Duration) Step {
	return Step{run: func(ctx context.Context, _ *emitter) error {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}}
}

// CloseWith closes the connection with a close frame carrying code and
// reason, and ends the script.
func CloseWith(code websocket.StatusCode, reason string) Step {
	return Step{run: func(_ context.Context, e *emitter) error {
		if !validCloseCode(code) {
			return fmt.Errorf("livetest: status code %d cannot be sent in a close frame", int(code))
		}
		e.s.closeWith(code, reason)
		e.stopped = true
		return nil
	}}
}

// Drop ends the connection abruptly, without a close frame (the client
// sees 1006), and ends the script.
func Drop() Step {
	return Step{run: func(_ context.Context, e *emitter) error {
		e.s.Drop()
		e.stopped = true
		return nil
	}}
}
