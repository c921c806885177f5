package flow

import (
	"context"
	"errors"
	"fmt"
	"net"
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
	// image frames, so video/* is refused too), or an activity signal
	// while automatic activity detection is on.
	ErrorCodeInvalidArgument = "INVALID_ARGUMENT"
	// ErrorCodeSendFailed reports a request (or a tool response) the
	// connection failed to send.
	ErrorCodeSendFailed = "SEND_FAILED"
)

// send delivers every part of one request, in the order livequeue.Request
// documents. It reports false when the run is over.
func (r *liveRun) send(ctx context.Context, req livequeue.Request) bool {
	if req.ActivityStart && !r.sendActivity(ctx, &live.RealtimeInput{ActivityStart: true}, "activity start") {
		return false
	}
	if req.Content != nil && !r.sendContent(ctx, req.Content) {
		return false
	}
	if req.Blob != nil && !r.sendBlob(ctx, req.Blob) {
		return false
	}
	if req.ActivityEnd && !r.sendActivity(ctx, &live.RealtimeInput{ActivityEnd: true}, "activity end") {
		return false
	}
	if req.AudioStreamEnd {
		err := r.conn.SendRealtime(r.wireCtx, &live.RealtimeInput{AudioStreamEnd: true})
		if err != nil && !r.sendFailed(ctx, "audio stream end", err) {
			return false
		}
	}
	return true
}

// sendContent sends a user turn, then hands the user's event (its content
// without audio) on for the session. It holds turnMu across both, so the
// event precedes the model's answer, and content that was not sent leaves
// no event behind.
func (r *liveRun) sendContent(ctx context.Context, c *genai.Content) bool {
	turn := c
	if c.Role == "" {
		cc := *c // the caller's content is never modified
		cc.Role = genai.RoleUser
		turn = &cc
	}
	ok := true
	r.turnMu.Lock()
	err := r.conn.SendContent(r.wireCtx, &genai.LiveClientContent{Turns: []*genai.Content{turn}, TurnComplete: true})
	if parts := withoutAudio(turn.Parts); err == nil && len(parts) > 0 {
		ev := r.stamp.event(event.AuthorUser)
		ev.Content = &genai.Content{Role: turn.Role, Parts: parts}
		ok = r.out.put(ev)
	}
	r.turnMu.Unlock()
	if err != nil {
		return r.sendFailed(ctx, "content", err)
	}
	return ok
}

// sendBlob sends a chunk of audio, or an image as a video frame, as
// realtime input. The Live API's video input carries image frames, so
// anything else (video/* included) is reported, not sent.
func (r *liveRun) sendBlob(ctx context.Context, b *genai.Blob) bool {
	var in live.RealtimeInput
	switch {
	case event.IsAudioMIMEType(b.MIMEType):
		in.Audio = b
	case mediaType(b.MIMEType) == "image":
		in.Video = b
	default:
		return r.reject(fmt.Sprintf("flow: blob of MIME type %q not sent: realtime input takes audio/* chunks "+
			"and image/* frames (send video as a stream of image frames, for example image/jpeg)", b.MIMEType))
	}
	if err := r.conn.SendRealtime(r.wireCtx, &in); err != nil {
		return r.sendFailed(ctx, b.MIMEType+" blob", err)
	}
	return true
}

// sendActivity sends an activity signal, or reports it when automatic
// activity detection is on: the server would end the session for it.
func (r *liveRun) sendActivity(ctx context.Context, in *live.RealtimeInput, what string) bool {
	if !r.cfg.ActivitySignalsAllowed() {
		return r.reject(fmt.Sprintf("flow: %s signal not sent: activity signals need "+
			"RealtimeInputConfig.AutomaticActivityDetection.Disabled set to true (automatic activity detection is on)", what))
	}
	if err := r.conn.SendRealtime(r.wireCtx, in); err != nil {
		return r.sendFailed(ctx, what, err)
	}
	return true
}

// reject reports a request the run did not send. It reports false when
// the run is over.
func (r *liveRun) reject(msg string) bool {
	r.log.Debug(msg)
	ev := r.stamp.event(r.p.Author)
	ev.ErrorCode = ErrorCodeInvalidArgument
	ev.ErrorMessage = msg
	return r.out.put(ev)
}

// sendFailed reports a message the connection failed to send, unless the
// connection is over, which the receive loop reports. It reports false
// when the run is over.
func (r *liveRun) sendFailed(ctx context.Context, what string, err error) bool {
	if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
		return false
	}
	select {
	case <-r.recvDone:
		return false
	default:
	}
	msg := fmt.Sprintf("flow: %s not sent: %v", what, err)
	r.log.Debug(msg)
	ev := r.stamp.event(r.p.Author)
	ev.ErrorCode = ErrorCodeSendFailed
	ev.ErrorMessage = msg
	return r.out.put(ev)
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
