package livetest

import (
	"context"
	"time"
	"unicode/utf8"

	"google.golang.org/genai"
)

// A Responder is the scripted model: it decides what the model does in
// reply to a user turn. It is called on its own goroutine for each turn
// for which no script was queued; ctx ends if the turn is interrupted or
// the session ends.
type Responder interface {
	Respond(ctx context.Context, turn *Turn) Script
}

// ResponderFunc adapts a function to a Responder.
type ResponderFunc func(ctx context.Context, turn *Turn) Script

// Respond calls f(ctx, turn).
func (f ResponderFunc) Respond(ctx context.Context, turn *Turn) Script { return f(ctx, turn) }

// Echo is the default Responder. It answers "echo: " followed by what the
// user said (Turn.Said).
//
// With the TEXT modality the reply comes as a few text chunks, then
// generationComplete, then turnComplete with usageMetadata in the same
// frame, as the real server sends it. With AUDIO, it comes as audio chunks
// of a quiet 24 kHz tone (EchoChunk each), each followed by its
// outputTranscription fragment when the setup asked for output
// transcription (on Vertex AI preceded by an empty one, as Vertex does),
// then generationComplete and turnComplete with usageMetadata.
//
// Token counts are rough estimates: 4 characters of text, 1/25 s of
// audio or one image (258 tokens) each.
type Echo struct{}

// EchoChunk is the duration of each audio chunk Echo sends.
const EchoChunk = 200 * time.Millisecond

// echoLevel is the peak level of Echo's tone: quiet, well under the
// default VAD threshold, so audio looped back does not count as speech.
const echoLevel = 0.01

// Respond returns the echo script for turn.
func (Echo) Respond(_ context.Context, t *Turn) Script {
	reply := "echo: " + t.Said()
	frags := fragments(reply, 3)
	var script Script
	usage := &genai.UsageMetadata{}
	promptTokens(usage, t)
	if t.Modality() == genai.ModalityText {
		for _, f := range frags {
			script = append(script, Text(f))
		}
		addTokens(&usage.ResponseTokensDetails, genai.MediaModalityText, textTokens(reply))
	} else {
		transcribe := t.Setup.OutputAudioTranscription != nil
		if transcribe && t.Session != nil && t.Session.Backend() == genai.BackendVertexAI {
			script = append(script, OutputTranscript(""))
		}
		tone := Tone(OutputSampleRate, EchoChunk, echoLevel)
		for _, f := range frags {
			script = append(script, Audio(tone))
			if transcribe {
				script = append(script, OutputTranscript(f))
			}
		}
		addTokens(&usage.ResponseTokensDetails, genai.MediaModalityAudio, audioTokens(time.Duration(len(frags))*EchoChunk))
	}
	for _, d := range usage.PromptTokensDetails {
		usage.PromptTokenCount += d.TokenCount
	}
	for _, d := range usage.ResponseTokensDetails {
		usage.ResponseTokenCount += d.TokenCount
	}
	usage.TotalTokenCount = usage.PromptTokenCount + usage.ResponseTokenCount
	return append(script,
		GenerationComplete(),
		Message(&genai.LiveServerMessage{
			ServerContent: &genai.LiveServerContent{TurnComplete: true},
			UsageMetadata: usage,
		}))
}

// promptTokens estimates the prompt of turn t.
func promptTokens(u *genai.UsageMetadata, t *Turn) {
	text := t.Text
	if text == "" {
		text = lastUserText(t.Content)
	}
	addTokens(&u.PromptTokensDetails, genai.MediaModalityText, max(1, textTokens(text)))
	if len(t.Audio) > 0 {
		addTokens(&u.PromptTokensDetails, genai.MediaModalityAudio, audioTokens(t.AudioDuration))
	}
	if n := len(t.Video); n > 0 {
		addTokens(&u.PromptTokensDetails, genai.MediaModalityImage, int32(258*n))
	}
}

func addTokens(details *[]*genai.ModalityTokenCount, m genai.MediaModality, n int32) {
	*details = append(*details, &genai.ModalityTokenCount{Modality: m, TokenCount: n})
}

func textTokens(s string) int32 {
	return int32((utf8.RuneCountInString(s) + 3) / 4)
}

func audioTokens(d time.Duration) int32 {
	return int32(max(1, d*25/time.Second))
}
