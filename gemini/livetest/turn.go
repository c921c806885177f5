package livetest

import (
	"fmt"
	"strings"
	"time"

	"google.golang.org/genai"
)

// A Turn is what the user did in one turn, handed to the Responder.
type Turn struct {
	// Session is the session the turn belongs to.
	Session *Session
	// Setup is the session's setup (response modality, tools, ...).
	Setup *genai.LiveClientSetup
	// Index counts the session's turns from 0.
	Index int
	// Trigger says what ended the user's turn.
	Trigger Trigger
	// Content holds the clientContent turns received since the previous
	// turn, as sent.
	Content []*genai.Content
	// Text is what the user typed: the realtimeInput.text messages of the
	// turn joined by newlines or, if there were none, the text of the last
	// user content in Content.
	Text string
	// Audio is the user's audio in this turn, PCM16LE mono at
	// AudioSampleRate (with the default turn coverage, from the start of
	// speech to the end of the turn).
	Audio []byte
	// AudioSampleRate is the sample rate of Audio, in Hz.
	AudioSampleRate int
	// AudioDuration is how long Audio lasts.
	AudioDuration time.Duration
	// Video holds the images and video frames received since the
	// previous turn (the last 32 at most).
	Video []*genai.Blob
	// ToolResponses holds the function responses of a toolResponse that
	// answered no outstanding call (an unsolicited response, or one
	// without an id), which started this turn (TriggerToolResponse). A
	// response to an outstanding call continues the turn that made the
	// call instead.
	ToolResponses []*genai.FunctionResponse
}

// Trigger says what ended a user turn.
type Trigger int

const (
	// TriggerClientContent is a clientContent message with turnComplete.
	TriggerClientContent Trigger = iota + 1
	// TriggerText is a realtimeInput.text message.
	TriggerText
	// TriggerSilence is the end of speech found by automatic activity
	// detection.
	TriggerSilence
	// TriggerActivityEnd is an activityEnd signal (manual activity
	// detection).
	TriggerActivityEnd
	// TriggerAudioStreamEnd is an audioStreamEnd signal during speech.
	TriggerAudioStreamEnd
	// TriggerToolResponse is a toolResponse that answered no outstanding
	// function call: the real service treats it as new input and answers
	// it.
	TriggerToolResponse
)

// String returns the name of the client message or signal that ended the
// turn, as spelled on the wire (for example "clientContent").
func (t Trigger) String() string {
	switch t {
	case TriggerClientContent:
		return "clientContent"
	case TriggerText:
		return "text"
	case TriggerSilence:
		return "silence"
	case TriggerActivityEnd:
		return "activityEnd"
	case TriggerAudioStreamEnd:
		return "audioStreamEnd"
	case TriggerToolResponse:
		return "toolResponse"
	}
	return fmt.Sprintf("Trigger(%d)", int(t))
}

// Modality returns the response modality the setup asked for: TEXT or
// AUDIO (the default when setup names none).
func (t *Turn) Modality() genai.Modality {
	if gc := t.Setup.GenerationConfig; gc != nil && len(gc.ResponseModalities) > 0 {
		return gc.ResponseModalities[0]
	}
	return genai.ModalityAudio
}

// Transcript returns what the server uses as the transcript of the turn's
// audio: an honest description such as "[1.2 s of audio]", or "" when the
// turn had no audio. A Responder that knows better sends its own
// InputTranscript steps.
func (t *Turn) Transcript() string {
	if len(t.Audio) == 0 {
		return ""
	}
	return fmt.Sprintf("[%.1f s of audio]", t.AudioDuration.Seconds())
}

// Said returns a one-line account of the user's input: the text, the
// audio transcript, the number of images and the names of the function
// responses, or "[no input]".
func (t *Turn) Said() string {
	var parts []string
	if t.Text != "" {
		parts = append(parts, t.Text)
	}
	for _, r := range t.ToolResponses {
		if r != nil {
			parts = append(parts, "[response of "+r.Name+"]")
		}
	}
	if tr := t.Transcript(); tr != "" {
		parts = append(parts, tr)
	}
	switch n := len(t.Video); n {
	case 0:
	case 1:
		parts = append(parts, "[1 image]")
	default:
		parts = append(parts, fmt.Sprintf("[%d images]", n))
	}
	if len(parts) == 0 {
		return "[no input]"
	}
	return strings.Join(parts, " ")
}

// lastUserText returns the text of the last user content in cs.
func lastUserText(cs []*genai.Content) string {
	for i := len(cs) - 1; i >= 0; i-- {
		c := cs[i]
		if c == nil || (c.Role != "" && c.Role != genai.RoleUser) {
			continue
		}
		var b strings.Builder
		for _, p := range c.Parts {
			if p != nil {
				b.WriteString(p.Text)
			}
		}
		return b.String()
	}
	return ""
}
