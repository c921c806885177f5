package flow

import (
	"encoding/json"
	"fmt"
	"slices"

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

// historyFor is History as the agent named self sees it in a run that
// moves between agents: what other agents said and did reaches it as user
// text, as ADK tells it ("For context:", then "[weather_agent] said: …",
// "[coordinator] called tool `transfer_to_agent` with parameters: {…}",
// "[coordinator] `transfer_to_agent` tool returned result: {…}"), so the
// model neither takes another agent's words for its own nor meets calls of
// tools it does not have.
func historyFor(events []*event.Event, self string) []*genai.Content {
	converted := make([]*event.Event, 0, len(events))
	for _, ev := range events {
		if ev == nil || ev.Partial || ev.Author == self || ev.Author == event.AuthorUser || ev.Author == "" {
			converted = append(converted, ev)
			continue
		}
		var parts []*genai.Part
		if c := ev.Content; c != nil {
			for _, p := range c.Parts {
				if s := foreignPart(ev.Author, p); s != "" {
					parts = append(parts, &genai.Part{Text: s})
				}
			}
		}
		if t := ev.OutputTranscription; t != nil && t.Finished && t.Text != "" {
			parts = append(parts, &genai.Part{Text: fmt.Sprintf("[%s] said: %s", ev.Author, t.Text)})
		}
		c := *ev
		c.Content, c.OutputTranscription = nil, nil
		if len(parts) > 0 {
			c.Content = &genai.Content{Role: genai.RoleUser, Parts: append([]*genai.Part{{Text: "For context:"}}, parts...)}
		}
		converted = append(converted, &c)
	}
	return History(converted)
}

// foreignPart tells a part of another agent's event, or "" for a part the
// history leaves out (thoughts, audio).
func foreignPart(author string, p *genai.Part) string {
	switch {
	case p == nil || p.Thought || isAudio(p):
		return ""
	case p.Text != "":
		return fmt.Sprintf("[%s] said: %s", author, p.Text)
	case p.FunctionCall != nil:
		return fmt.Sprintf("[%s] called tool `%s` with parameters: %s", author, p.FunctionCall.Name, jsonText(p.FunctionCall.Args))
	case p.FunctionResponse != nil:
		return fmt.Sprintf("[%s] `%s` tool returned result: %s", author, p.FunctionResponse.Name, jsonText(p.FunctionResponse.Response))
	case p.ExecutableCode != nil:
		return fmt.Sprintf("[%s] ran code: %s", author, p.ExecutableCode.Code)
	case p.CodeExecutionResult != nil:
		return fmt.Sprintf("[%s] code output: %s", author, p.CodeExecutionResult.Output)
	}
	return ""
}

// jsonText renders v as compact JSON ({} when nil), or with %v if it
// cannot.
func jsonText(v map[string]any) string {
	if v == nil {
		return "{}"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// history returns the history of a connection of the agent named self:
// historyFor when the run moves between agents, History otherwise.
func (p *Params) history(events []*event.Event, self string) []*genai.Content {
	if p.Team != nil {
		return historyFor(events, self)
	}
	return History(events)
}

// seedsHistory reports whether History would use ev: not partial, with
// content other than audio or a finished transcription.
func seedsHistory(ev *event.Event) bool {
	if ev.Partial {
		return false
	}
	if c := ev.Content; c != nil {
		for _, p := range c.Parts {
			if p != nil && !isAudio(p) {
				return true
			}
		}
	}
	return ev.InputTranscription != nil && ev.InputTranscription.Finished ||
		ev.OutputTranscription != nil && ev.OutputTranscription.Finished
}

// conversation returns the session's history followed by this run's
// events so far.
func (r *run) conversation() []*event.Event {
	r.convMu.Lock()
	defer r.convMu.Unlock()
	return append(slices.Clip(r.p.History), r.conv...)
}
