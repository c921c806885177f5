package livetest

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"google.golang.org/genai"
)

// emitter sends the frames of a script and keeps track of what it sent:
// the model's output for the conversation, and whether the turn was
// completed.
type emitter struct {
	s                  *Session
	turnComplete       atomic.Bool // set before the turnComplete frame leaves
	awaitingTools      atomic.Bool // a ToolCall step waits for responses
	generationComplete bool
	stopped            bool          // a step ended the connection
	model              []*genai.Part // model output not yet in the conversation
}

func newEmitter(s *Session) *emitter {
	return &emitter{s: s}
}

// send encodes and sends m. The model's output joins the conversation
// before a turnComplete or toolCall frame leaves, so a client that has
// seen it finds the model's turn in Session.Conversation.
func (e *emitter) send(m *genai.LiveServerMessage) error {
	if m.ToolCall != nil {
		for _, c := range m.ToolCall.FunctionCalls {
			e.model = append(e.model, &genai.Part{FunctionCall: c})
		}
	}
	var flags frameFlags
	if sc := m.ServerContent; sc != nil {
		if sc.ModelTurn != nil {
			for _, p := range sc.ModelTurn.Parts {
				if p != nil && p.Text != "" && !p.Thought {
					e.model = append(e.model, &genai.Part{Text: p.Text})
				}
			}
		}
		if sc.OutputTranscription != nil && sc.OutputTranscription.Text != "" {
			e.model = append(e.model, &genai.Part{Text: sc.OutputTranscription.Text})
		}
		flags = frameFlags{turnComplete: sc.TurnComplete, generationComplete: sc.GenerationComplete}
	}
	if m.ToolCall != nil {
		// The calls precede their responses in the conversation.
		e.flush()
	}
	return e.write(flags, func() error { return e.s.writeMessage(m) })
}

// sendRaw sends a frame verbatim.
func (e *emitter) sendRaw(frame []byte) error {
	return e.write(inspectFrame(frame), func() error { return e.s.writeFrame(frame) })
}

// write sends a frame with write and records its completion signals;
// after turnComplete a resumption update follows.
func (e *emitter) write(f frameFlags, write func() error) error {
	if f.turnComplete {
		e.flush()
		e.turnComplete.Store(true)
	}
	if err := write(); err != nil {
		return err
	}
	if f.generationComplete {
		e.generationComplete = true
	}
	if !f.turnComplete {
		return nil
	}
	return e.s.sendResumptionUpdate()
}

// flush appends the model's pending output to the conversation, merging
// adjacent text parts.
func (e *emitter) flush() {
	if len(e.model) == 0 {
		return
	}
	var parts []*genai.Part
	var text strings.Builder
	for _, p := range e.model {
		if p.Text != "" {
			text.WriteString(p.Text)
			continue
		}
		if text.Len() > 0 {
			parts = append(parts, &genai.Part{Text: text.String()})
			text.Reset()
		}
		parts = append(parts, p)
	}
	if text.Len() > 0 {
		parts = append(parts, &genai.Part{Text: text.String()})
	}
	e.model = nil
	e.s.appendConversation(&genai.Content{Role: genai.RoleModel, Parts: parts})
}

// toolCall sends calls, optionally a turnComplete right after, and waits
// for their responses.
func (e *emitter) toolCall(ctx context.Context, calls []*genai.FunctionCall, completeFirst bool) error {
	copied := make([]*genai.FunctionCall, len(calls))
	ids := make([]string, len(calls))
	for i, c := range calls {
		cc := *c
		if cc.ID == "" {
			cc.ID = fmt.Sprintf("function-call-%d", e.s.srv.nextSeq())
		}
		copied[i] = &cc
		ids[i] = cc.ID
	}
	// The model does not wait for the calls of NON_BLOCKING functions.
	ids = blockingIDs(e.s.Setup(), copied)
	e.s.tools.add(ids)
	e.awaitingTools.Store(true)
	defer e.awaitingTools.Store(false)
	if err := e.send(&genai.LiveServerMessage{ToolCall: &genai.LiveServerToolCall{FunctionCalls: copied}}); err != nil {
		return err
	}
	if completeFirst {
		if err := e.send(&genai.LiveServerMessage{ServerContent: &genai.LiveServerContent{TurnComplete: true}}); err != nil {
			return err
		}
	}
	if err := e.s.tools.wait(ctx, ids); err != nil {
		return err
	}
	if completeFirst {
		// What follows is the model's continuation: a new turn.
		e.turnComplete.Store(false)
		e.generationComplete = false
	}
	return nil
}

// turnRun is the model's output for one user turn, run on its own
// goroutine so the session keeps reading (and can interrupt it).
type turnRun struct {
	e      *emitter
	turn   *Turn
	script Script
	ask    bool // no script was queued: ask the Responder
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
}

func startTurn(s *Session, t *Turn) *turnRun {
	script, queued := s.popReply()
	ctx, cancel := context.WithCancel(s.ctx)
	r := &turnRun{
		e:      newEmitter(s),
		turn:   t,
		script: script,
		ask:    !queued,
		ctx:    ctx,
		cancel: cancel,
		done:   make(chan struct{}),
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(r.done)
		r.run()
	}()
	return r
}

func (r *turnRun) run() {
	defer r.e.flush()
	s := r.e.s
	script := r.script
	if r.ask {
		script = s.srv.cfg.responder.Respond(r.ctx, r.turn)
	}
	if setup := s.Setup(); setup.InputAudioTranscription != nil && len(r.turn.Audio) > 0 && !script.has(stepInputTranscript) {
		script = append(transcriptSteps(r.turn.Transcript(), InputTranscript), script...)
	}
	for _, st := range script {
		if r.ctx.Err() != nil {
			return
		}
		if err := st.run(r.ctx, r.e); err != nil {
			if r.ctx.Err() == nil && s.ctx.Err() == nil {
				s.log.Info("livetest: script step failed", "err", err)
			}
			return
		}
		if r.e.stopped {
			return
		}
	}
	if r.ctx.Err() != nil || r.e.turnComplete.Load() {
		return
	}
	if !r.e.generationComplete {
		if r.e.send(&genai.LiveServerMessage{ServerContent: &genai.LiveServerContent{GenerationComplete: true}}) != nil {
			return
		}
	}
	_ = r.e.send(&genai.LiveServerMessage{ServerContent: &genai.LiveServerContent{TurnComplete: true}})
}

// interruptible reports whether the model is still in its turn: it has
// not completed it, or it waits for tool responses. After turnComplete,
// the remaining steps of a script run only until the next user turn.
func (r *turnRun) interruptible() bool {
	return !r.e.turnComplete.Load() || r.e.awaitingTools.Load()
}

// finished reports whether the run's goroutine has returned.
func (r *turnRun) finished() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// stop ends the run without telling the client anything.
func (r *turnRun) stop() {
	r.cancel()
	<-r.done
}

// interrupt stops the run and tells the client: interrupted, cancellation
// of the tool calls the model was waiting for, then turnComplete if the
// turn had not completed (an interrupted turn has no generationComplete).
func (r *turnRun) interrupt() {
	r.cancel()
	<-r.done
	s := r.e.s
	if s.ctx.Err() != nil || s.isClosing() {
		return
	}
	e := newEmitter(s)
	if e.send(&genai.LiveServerMessage{ServerContent: &genai.LiveServerContent{Interrupted: true}}) != nil {
		return
	}
	if ids := s.tools.cancelAll(); len(ids) > 0 {
		if e.send(&genai.LiveServerMessage{ToolCallCancellation: &genai.LiveServerToolCallCancellation{IDs: ids}}) != nil {
			return
		}
	}
	if !r.e.turnComplete.Load() {
		_ = e.send(&genai.LiveServerMessage{ServerContent: &genai.LiveServerContent{TurnComplete: true}})
	}
}

// transcriptSteps splits text into up to three fragments, sent with mk;
// the last fragment is marked finished when mk is InputTranscript.
func transcriptSteps(text string, mk func(string, bool) Step) Script {
	frags := fragments(text, 3)
	steps := make(Script, len(frags))
	for i, f := range frags {
		steps[i] = mk(f, i == len(frags)-1)
	}
	return steps
}

// fragments splits s at spaces into at most n pieces of similar length,
// keeping the spaces, so the fragments concatenate back to s.
func fragments(s string, n int) []string {
	words := strings.SplitAfter(s, " ")
	if len(words) <= n {
		n = len(words)
	}
	var out []string
	per := (len(words) + n - 1) / n
	for i := 0; i < len(words); i += per {
		out = append(out, strings.Join(words[i:min(i+per, len(words))], ""))
	}
	return out
}
