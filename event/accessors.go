package event

import (
	"strings"

	"google.golang.org/genai"
)

// IsFinalResponse reports whether e is a final response of its author, by
// ADK's rule: an event that skips summarization or starts long-running tools
// is final; otherwise an event is final when it carries no function calls,
// no function responses, is not partial, and does not end with a
// code-execution result (which the model still has to answer).
func (e *Event) IsFinalResponse() bool {
	if e.Actions.SkipSummarization || len(e.LongRunningToolIDs) > 0 {
		return true
	}
	return !e.Partial &&
		!e.hasPart(func(p *genai.Part) bool { return p.FunctionCall != nil || p.FunctionResponse != nil }) &&
		!e.hasTrailingCodeExecutionResult()
}

// FunctionCalls returns the function calls in e's content, in order, or
// nil if there are none.
func (e *Event) FunctionCalls() []*genai.FunctionCall {
	var calls []*genai.FunctionCall
	for _, p := range e.parts() {
		if p != nil && p.FunctionCall != nil {
			calls = append(calls, p.FunctionCall)
		}
	}
	return calls
}

// FunctionResponses returns the function responses in e's content, in
// order, or nil if there are none.
func (e *Event) FunctionResponses() []*genai.FunctionResponse {
	var responses []*genai.FunctionResponse
	for _, p := range e.parts() {
		if p != nil && p.FunctionResponse != nil {
			responses = append(responses, p.FunctionResponse)
		}
	}
	return responses
}

// Text returns the concatenated text of e's content parts, leaving out
// thoughts. It does not include transcriptions.
func (e *Event) Text() string {
	parts := e.parts()
	if len(parts) == 1 && parts[0] != nil && !parts[0].Thought {
		return parts[0].Text
	}
	var b strings.Builder
	for _, p := range parts {
		if p != nil && !p.Thought {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// HasAudio reports whether e's content carries audio: an inline data part
// whose MIME type is an audio type (see IsAudioMIMEType; "Audio/PCM"
// counts). Such events are streamed to the caller but never stored in the
// session.
func (e *Event) HasAudio() bool {
	return e.hasPart(func(p *genai.Part) bool {
		return p.InlineData != nil && IsAudioMIMEType(p.InlineData.MIMEType)
	})
}

// parts returns e's content parts, or nil when e has no content.
func (e *Event) parts() []*genai.Part {
	if e.Content == nil {
		return nil
	}
	return e.Content.Parts
}

// hasPart reports whether any non-nil part of e's content satisfies f.
func (e *Event) hasPart(f func(*genai.Part) bool) bool {
	for _, p := range e.parts() {
		if p != nil && f(p) {
			return true
		}
	}
	return false
}

// hasTrailingCodeExecutionResult reports whether e's last content part is a
// code-execution result.
func (e *Event) hasTrailingCodeExecutionResult() bool {
	parts := e.parts()
	if len(parts) == 0 {
		return false
	}
	last := parts[len(parts)-1]
	return last != nil && last.CodeExecutionResult != nil
}
