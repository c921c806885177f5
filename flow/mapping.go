package flow

import (
	"strings"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
)

// mapper turns the content of server messages into events. It keeps the
// model text of the current segment and the transcription fragments of the
// current turn until they are flushed. It is owned by the receive loop.
type mapper struct {
	author string // the agent: author of model events
	stamp  *stamper
	// emit hands an event on; false means the run is over.
	emit func(*event.Event) bool

	text   strings.Builder // model text of the current segment
	input  strings.Builder // input transcription of the current turn
	output strings.Builder // output transcription of the current turn
}

// serverContent maps one serverContent message, with the usage metadata of
// the same message. It reports whether the usage went onto an event (the
// turnComplete one), and false in ok when the run is over.
func (m *mapper) serverContent(sc *genai.LiveServerContent, usage *genai.UsageMetadata) (usedUsage, ok bool) {
	if t := sc.InputTranscription; t != nil && !m.transcription(&m.input, event.AuthorUser, t, true) {
		return false, false
	}
	if mt := sc.ModelTurn; mt != nil && !m.modelTurn(mt) {
		return false, false
	}
	if t := sc.OutputTranscription; t != nil && !m.transcription(&m.output, m.author, t, false) {
		return false, false
	}
	if g := sc.GroundingMetadata; g != nil {
		ev := m.stamp.event(m.author)
		ev.GroundingMetadata = g
		if !m.emit(ev) {
			return false, false
		}
	}
	if sc.Interrupted && !m.signal(func(ev *event.Event) { ev.Interrupted = true }) {
		return false, false
	}
	if sc.GenerationComplete && !m.signal(func(ev *event.Event) { ev.GenerationComplete = true }) {
		return false, false
	}
	if sc.TurnComplete {
		if !m.signal(func(ev *event.Event) { ev.TurnComplete = true; ev.UsageMetadata = usage }) {
			return false, false
		}
		usedUsage = usage != nil
	}
	return usedUsage, true
}

// modelTurn maps the parts of a model turn.
func (m *mapper) modelTurn(c *genai.Content) bool {
	role := c.Role
	if role == "" {
		role = genai.RoleModel
	}
	// A lone part's event carries the turn itself, as decoded: nothing
	// else keeps or changes it, and audio frames, nearly all of a
	// session, then cost no content of their own.
	var whole *genai.Content
	if len(c.Parts) == 1 && c.Role != "" {
		whole = c
	}
	for _, p := range c.Parts {
		switch {
		case p == nil:
			continue
		case p.Thought:
			// Thoughts are shown as they come, never merged into the
			// answer.
			if !m.emitPart(role, whole, p, true) {
				return false
			}
		case p.Text != "" && isTextOnly(p):
			m.text.WriteString(p.Text)
			if !m.emitPart(role, whole, p, true) {
				return false
			}
		case p.InlineData != nil:
			// Audio is not a segment boundary: the model speaks and
			// writes in parallel, and each chunk is played as it comes.
			if !m.emitPart(role, whole, p, false) {
				return false
			}
		default:
			// Code, code results and anything else end the text
			// segment, so the merged text precedes them.
			if !m.flushText() || !m.emitPart(role, whole, p, false) {
				return false
			}
		}
	}
	return true
}

// isTextOnly reports whether p carries nothing but (non-thought) text.
func isTextOnly(p *genai.Part) bool {
	return p.InlineData == nil && p.FunctionCall == nil && p.FunctionResponse == nil &&
		p.ExecutableCode == nil && p.CodeExecutionResult == nil && p.FileData == nil
}

// emitPart emits one event carrying part p of role, with whole as its
// content when whole is non-nil (a content of role with p its only part).
func (m *mapper) emitPart(role string, whole *genai.Content, p *genai.Part, partial bool) bool {
	ev := m.stamp.event(m.author)
	ev.Content = whole
	if whole == nil {
		ev.Content = &genai.Content{Role: role, Parts: []*genai.Part{p}}
	}
	ev.Partial = partial
	return m.emit(ev)
}

// transcription maps one transcription message of one side: a partial
// event for a fragment with text, and the whole transcription when the
// server says it finished.
func (m *mapper) transcription(acc *strings.Builder, author string, t *genai.Transcription, input bool) bool {
	if t.Text != "" {
		acc.WriteString(t.Text)
		ev := m.stamp.event(author)
		ev.Partial = true
		// The event carries the text alone: the message's own
		// transcription when that is all it has.
		fragment := t
		if !isTextOnlyTranscription(t) {
			fragment = &genai.Transcription{Text: t.Text}
		}
		setTranscription(ev, fragment, input)
		if !m.emit(ev) {
			return false
		}
	}
	if t.Finished {
		return m.flushTranscription(acc, author, input)
	}
	return true
}

// isTextOnlyTranscription reports whether t has text and nothing else set.
func isTextOnlyTranscription(t *genai.Transcription) bool {
	return !t.Finished && t.LanguageCode == "" && t.SpeakerLabel == "" &&
		t.Words == nil && t.StartOffset == 0 && t.EndOffset == 0
}

// flushTranscription emits the pending transcription of one side as
// finished, if it is not empty, and starts a new one.
func (m *mapper) flushTranscription(acc *strings.Builder, author string, input bool) bool {
	if acc.Len() == 0 {
		return true
	}
	ev := m.stamp.event(author)
	setTranscription(ev, &genai.Transcription{Text: acc.String(), Finished: true}, input)
	acc.Reset()
	return m.emit(ev)
}

func setTranscription(ev *event.Event, t *genai.Transcription, input bool) {
	if input {
		ev.InputTranscription = t
	} else {
		ev.OutputTranscription = t
	}
}

// flushText emits the merged text of the current segment, if any, and
// starts a new segment.
func (m *mapper) flushText() bool {
	if m.text.Len() == 0 {
		return true
	}
	ev := m.stamp.event(m.author)
	ev.Content = genai.NewContentFromText(m.text.String(), genai.RoleModel)
	m.text.Reset()
	return m.emit(ev)
}

// flush emits everything pending: the input transcription, the model text,
// then the output transcription, the order in which they were said.
func (m *mapper) flush() bool {
	return m.flushTranscription(&m.input, event.AuthorUser, true) &&
		m.flushText() &&
		m.flushTranscription(&m.output, m.author, false)
}

// signal flushes everything pending, then emits a control event set up by
// set.
func (m *mapper) signal(set func(*event.Event)) bool {
	if !m.flush() {
		return false
	}
	ev := m.stamp.event(m.author)
	set(ev)
	return m.emit(ev)
}
