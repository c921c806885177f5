package flow

import (
	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
)

// History returns the conversation recorded by a session's events, oldest
// first, in the form a live connection is seeded with:
//
//   - the content of each event, with inline audio parts removed (events
//     left without parts are dropped); content without a role gets "user"
//     when the event's author is "user" and "model" otherwise;
//   - a finished, non-empty input transcription as a user text turn and a
//     finished, non-empty output transcription as a model text turn;
//   - function calls and responses as they are;
//   - consecutive turns of the same role merged into one.
//
// Partial events, unfinished transcriptions and events with nothing else
// (control signals, metadata) are skipped. The events are not modified:
// the returned contents are new, though they share their parts with the
// events.
func History(events []*event.Event) []*genai.Content {
	var out []*genai.Content
	add := func(role string, parts []*genai.Part) {
		if len(parts) == 0 {
			return
		}
		if n := len(out); n > 0 && out[n-1].Role == role {
			out[n-1].Parts = append(out[n-1].Parts, parts...)
			return
		}
		out = append(out, &genai.Content{Role: role, Parts: append([]*genai.Part(nil), parts...)})
	}
	for _, ev := range events {
		if ev == nil || ev.Partial {
			continue
		}
		if t := ev.InputTranscription; t != nil && t.Finished && t.Text != "" {
			add(genai.RoleUser, []*genai.Part{{Text: t.Text}})
		}
		if c := ev.Content; c != nil {
			role := c.Role
			if role == "" {
				role = genai.RoleModel
				if ev.Author == event.AuthorUser {
					role = genai.RoleUser
				}
			}
			add(role, withoutAudio(c.Parts))
		}
		if t := ev.OutputTranscription; t != nil && t.Finished && t.Text != "" {
			add(genai.RoleModel, []*genai.Part{{Text: t.Text}})
		}
	}
	return out
}
