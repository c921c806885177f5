package flow

import (
	"fmt"
	"strings"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/livequeue"
)

// Error codes of the events that report a request the run did not send.
// The run goes on after them.
const (
	// ErrorCodeInvalidArgument reports a request the model would refuse:
	// a blob whose MIME type is neither audio/* nor image/* (video goes as
	// image frames, so video/* is refused too), an activity signal while
	// automatic activity detection is on, or content the model family
	// does not accept mid-session.
	ErrorCodeInvalidArgument = "INVALID_ARGUMENT"
)

// messages turns one queue request into its client messages, in the order
// livequeue.Request documents, and returns the problems of the parts it
// refuses (each to be reported once). It sends nothing.
// The messages are appended to dst. The sender's goroutine calls it.
func (s *sender) messages(req livequeue.Request, dst []*message) (msgs []*message, problems []string) {
	r := s.r
	r.streams.copyInput(req) // one atomic load unless a tool takes an input stream
	msgs = dst
	if req.ActivityStart {
		msgs, problems = s.activity(msgs, problems, live.RealtimeInput{ActivityStart: true}, "activity start")
	}
	if c := req.Content; c != nil {
		m, problem := r.userTurn(c)
		if m != nil {
			msgs = append(msgs, m)
		}
		if problem != "" {
			problems = append(problems, problem)
		}
	}
	if b := req.Blob; b != nil {
		switch {
		case event.IsAudioMIMEType(b.MIMEType):
			msgs = append(msgs, s.realtime(live.RealtimeInput{Audio: b}))
		case mediaType(b.MIMEType) == "image":
			msgs = append(msgs, s.realtime(live.RealtimeInput{Video: b}))
			r.sentVideo.Store(true)
		default:
			problems = append(problems, fmt.Sprintf("flow: blob of MIME type %q not sent: realtime input takes audio/* chunks "+
				"and image/* frames (send video as a stream of image frames, for example image/jpeg)", b.MIMEType))
		}
	}
	if req.ActivityEnd {
		msgs, problems = s.activity(msgs, problems, live.RealtimeInput{ActivityEnd: true}, "activity end")
	}
	if req.AudioStreamEnd {
		msgs = append(msgs, s.realtime(live.RealtimeInput{AudioStreamEnd: true}))
	}
	return msgs, problems
}

// contentMessage makes the message of a user turn, with the user's event
// (its content without audio; none if nothing is left).
func (r *run) contentMessage(c *genai.Content) *message {
	turn := c
	if c.Role == "" {
		cc := *c // the caller's content is never modified
		cc.Role = genai.RoleUser
		turn = &cc
	}
	m := &message{content: &genai.LiveClientContent{Turns: []*genai.Content{turn}, TurnComplete: true}}
	if parts := withoutAudio(turn.Parts); len(parts) > 0 {
		m.turn = r.stamp.event(event.AuthorUser)
		m.turn.Content = &genai.Content{Role: turn.Role, Parts: parts}
	}
	return m
}

// activity adds an activity signal, or its problem when automatic
// activity detection is on: the server would end the session for it.
func (s *sender) activity(msgs []*message, problems []string, in live.RealtimeInput, what string) ([]*message, []string) {
	if !s.r.cfg.ActivitySignalsAllowed() {
		return msgs, append(problems, fmt.Sprintf("flow: %s signal not sent: activity signals need "+
			"RealtimeInputConfig.AutomaticActivityDetection.Disabled set to true (automatic activity detection is on)", what))
	}
	return append(msgs, s.realtime(in)), problems
}

// messageSlab is how many realtime messages the sender allocates at once:
// one allocation per 16 audio chunks instead of one per chunk. A slab
// lives while any of its messages is held or journaled.
const messageSlab = 16

// realtime returns a new realtime message, carved from the sender's slab.
func (s *sender) realtime(in live.RealtimeInput) *message {
	if len(s.slab) == 0 {
		s.slab = make([]message, messageSlab)
	}
	m := &s.slab[0]
	s.slab = s.slab[1:]
	m.realtime, m.isRealtime = in, true
	return m
}

// reject reports a request the run did not send. It reports false when
// the run is over.
func (r *run) reject(msg string) bool {
	r.log.Debug(msg)
	ev := r.stamp.event(r.cur().name)
	ev.ErrorCode = ErrorCodeInvalidArgument
	ev.ErrorMessage = msg
	return r.put(ev)
}

// mediaType returns the lower-case top-level type of a MIME type, "image"
// for "image/jpeg", or "" when it has none. It follows the rules of
// event.IsAudioMIMEType, which the flow uses for audio.
func mediaType(mime string) string {
	typ, _, ok := strings.Cut(mime, "/")
	if !ok {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(typ))
}

// isAudio reports whether p is inline audio.
func isAudio(p *genai.Part) bool {
	return p != nil && p.InlineData != nil && event.IsAudioMIMEType(p.InlineData.MIMEType)
}

// withoutAudio returns parts without the inline audio ones. It returns
// parts itself when there is none.
func withoutAudio(parts []*genai.Part) []*genai.Part {
	n := 0
	for _, p := range parts {
		if p != nil && !isAudio(p) {
			n++
		}
	}
	if n == len(parts) {
		return parts
	}
	kept := make([]*genai.Part, 0, n)
	for _, p := range parts {
		if p != nil && !isAudio(p) {
			kept = append(kept, p)
		}
	}
	return kept
}
