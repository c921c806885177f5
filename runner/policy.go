package runner

import (
	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
)

// Persist reports whether ev belongs in the session: the persistence table
// of a live run, as a pure function of the event. RunLive stores exactly
// the events it selects.
//
// Not persisted: partial events (text chunks, thoughts, transcription
// fragments), inline audio, unfinished or empty transcriptions, error
// reports, and events that carry only generationComplete, goAway,
// toolCallCancellation, voice activity or a voice activity detection
// signal.
//
// Persisted: content (merged model text, code and its results, function
// calls and responses, the user's typed turns), finished non-empty
// transcriptions, turnComplete and interrupted events, usage and grounding
// metadata, and session resumption updates.
func Persist(ev *event.Event) bool {
	if ev == nil || ev.Partial || ev.HasAudio() {
		return false
	}
	if !finished(ev.InputTranscription) || !finished(ev.OutputTranscription) {
		return false
	}
	return ev.Content != nil && len(ev.Content.Parts) > 0 ||
		ev.InputTranscription != nil || ev.OutputTranscription != nil ||
		ev.TurnComplete || ev.Interrupted ||
		ev.UsageMetadata != nil || ev.GroundingMetadata != nil ||
		ev.LiveSessionResumptionUpdate != nil
}

// finished reports whether a transcription is absent or finished and not
// empty: one that can be persisted.
func finished(t *genai.Transcription) bool {
	return t == nil || t.Finished && t.Text != ""
}
