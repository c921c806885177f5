package flow

import (
	"fmt"
	"strings"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/tool"
)

// BeforeModelCallback runs in a live run before each user turn of content
// reaches the model: what livequeue's SendContent sends (text, images,
// files). Audio and video streamed as realtime input reach the model
// without a turn of their own and are not seen; nor is the history a
// connection starts with.
//
// ctx is a tool.Context without a function call id: State reads the
// session state, and what the callback writes through State or Actions
// goes into the Actions of the user turn's event. turn is a copy the
// callback may change in place: what it leaves is what the model gets
// and the session stores. It returns (nil, nil) to send the turn. A
// non-nil content answers the turn instead of the model: the turn is not
// sent, and the content is yielded (and stored) as the agent's reply
// (after the after-model callbacks, like any reply), followed by a
// turnComplete event; the model learns of the exchange only from a later
// connection's history. An error keeps the turn from the
// model and is reported as an event with ErrorCode INVALID_ARGUMENT; the
// run goes on.
type BeforeModelCallback func(ctx tool.Context, turn *genai.Content) (*genai.Content, error)

// AfterModelCallback runs in a live run on each finished piece of a model
// turn, before its event is yielded and stored: the merged text of a
// segment, executable code and its results (role "model"), and each
// finished output transcription (as a content of one text part). Partial
// text chunks and audio chunks, which are yielded as they come, are not
// seen, nor are function calls (tool callbacks see those).
//
// ctx is as for BeforeModelCallback; writes go into the Actions of the
// piece's event. It returns (nil, nil) to keep resp; a non-nil content
// replaces it (for a transcription, its text becomes the transcription's)
// and ends the chain; an error withholds the piece: its event is neither
// yielded nor stored, and the error is logged. The model has said it
// already: a callback changes what the application and the session see,
// not what the user heard.
type AfterModelCallback func(ctx tool.Context, resp *genai.Content) (*genai.Content, error)

// hasModelCallbacks reports whether the plugins or cbs have callbacks of
// the kind before (or else after) selects.
func (r *run) hasModelCallbacks(cbs *Callbacks, before bool) bool {
	for _, p := range r.p.Plugins {
		if before && p.BeforeModel != nil || !before && p.AfterModel != nil {
			return true
		}
	}
	if before {
		return len(cbs.BeforeModel) > 0
	}
	return len(cbs.AfterModel) > 0
}

// callbackContext returns the context model callbacks of agent ag get:
// it ends with the run.
func (r *run) callbackContext(ag *agentState) tool.Context {
	return tool.NewContext(r.tools.ctx, r.callInfo(ag, ""))
}

// userTurn returns the message of a user turn of content, after the
// before-model callbacks. When a callback answers the turn, it returns nil
// and puts the turn's event and the answer; when one refuses it, it
// returns nil and the problem to report.
func (r *run) userTurn(c *genai.Content) (*message, string) {
	ag := r.cur()
	if !r.hasModelCallbacks(&ag.callbacks, true) {
		return r.contentMessage(c), ""
	}
	cp := *c // the caller's content is never modified
	cp.Parts = append([]*genai.Part(nil), c.Parts...)
	tc := r.callbackContext(ag)
	reply, err := r.runBeforeModel(tc, &ag.callbacks, &cp)
	if err != nil {
		return nil, fmt.Sprintf("flow: a before-model callback kept the user's turn from the model: %v", err)
	}
	m := r.contentMessage(&cp)
	if m.turn != nil {
		m.turn.Actions = *tc.Actions()
	}
	if reply == nil {
		return m, ""
	}
	if m.turn != nil && !r.put(m.turn) {
		return nil, ""
	}
	ev := r.stamp.event(ag.name)
	ev.Content = reply
	if reply.Role == "" {
		c := *reply
		c.Role = genai.RoleModel
		ev.Content = &c
	}
	if r.put(ev) {
		done := r.stamp.event(ag.name)
		done.TurnComplete = true
		r.put(done)
	}
	return nil, ""
}

func (r *run) runBeforeModel(tc tool.Context, cbs *Callbacks, turn *genai.Content) (reply *genai.Content, err error) {
	defer func() {
		if v := recover(); v != nil {
			reply, err = nil, fmt.Errorf("it panicked: %v", v)
		}
	}()
	for _, p := range r.p.Plugins {
		if p.BeforeModel == nil {
			continue
		}
		if reply, err := p.BeforeModel(tc, turn); reply != nil || err != nil {
			return reply, err
		}
	}
	for _, cb := range cbs.BeforeModel {
		if reply, err := cb(tc, turn); reply != nil || err != nil {
			return reply, err
		}
	}
	return nil, nil
}

// afterModel runs the after-model callbacks on ev when it is a finished
// piece of a model turn (see AfterModelCallback). It reports false when
// the piece is withheld.
func (r *run) afterModel(ev *event.Event) bool {
	ag := r.cur()
	if ev.Partial || ev.Author != ag.name || !r.hasModelCallbacks(&ag.callbacks, false) {
		return true
	}
	var resp *genai.Content
	transcript := ev.OutputTranscription != nil && ev.OutputTranscription.Finished && ev.Content == nil
	switch {
	case transcript:
		resp = &genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{{Text: ev.OutputTranscription.Text}}}
	case ev.Content != nil && ev.Content.Role == genai.RoleModel && modelPiece(ev.Content):
		resp = ev.Content
	default:
		return true
	}
	tc := r.callbackContext(ag)
	out, err := r.runAfterModel(tc, &ag.callbacks, resp)
	if err != nil {
		r.log.Warn("flow: an after-model callback withheld a piece of the model's turn", "error", err)
		return false
	}
	if a := *tc.Actions(); !a.IsZero() {
		ev.Actions = a
	}
	if out == nil {
		return true
	}
	if transcript {
		var b strings.Builder
		for _, p := range out.Parts {
			b.WriteString(p.Text)
		}
		t := *ev.OutputTranscription
		t.Text = b.String()
		ev.OutputTranscription = &t
	} else {
		ev.Content = out
	}
	return true
}

// modelPiece reports whether c is text, code or a code result, with no
// audio and no function call.
func modelPiece(c *genai.Content) bool {
	for _, p := range c.Parts {
		if p == nil || p.InlineData != nil || p.FunctionCall != nil || p.Thought {
			return false
		}
	}
	return len(c.Parts) > 0
}

func (r *run) runAfterModel(tc tool.Context, cbs *Callbacks, resp *genai.Content) (out *genai.Content, err error) {
	defer func() {
		if v := recover(); v != nil {
			out, err = nil, fmt.Errorf("it panicked: %v", v)
		}
	}()
	for _, p := range r.p.Plugins {
		if p.AfterModel == nil {
			continue
		}
		if out, err := p.AfterModel(tc, resp); out != nil || err != nil {
			return out, err
		}
	}
	for _, cb := range cbs.AfterModel {
		if out, err := cb(tc, resp); out != nil || err != nil {
			return out, err
		}
	}
	return nil, nil
}
