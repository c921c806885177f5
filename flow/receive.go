package flow

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow/live"
)

// errRunOver is returned inside the receive loop when an event could not
// be handed on because the run is over.
var errRunOver = errors.New("flow: run over")

// retryable is implemented by backend errors (see live.Conn.Receive).
type retryable interface {
	Retryable() bool
}

// receiveLoop reads server messages and maps them to events until the
// connection ends. It returns nil for the end the caller asked for (queue
// closed, consumer gone), ctx's error when ctx ended, and otherwise the
// error that ended the run. Whatever the end, it hands on the text and
// transcriptions still pending first.
func (r *liveRun) receiveLoop(ctx context.Context) error {
	defer r.flushPending()
	for {
		resp, err := r.conn.Receive(r.wireCtx)
		if err != nil {
			return r.receiveFailed(ctx, err)
		}
		if resp == nil {
			continue
		}
		if err := r.handle(resp); err != nil {
			if errors.Is(err, errRunOver) {
				return ctx.Err()
			}
			return err
		}
	}
}

// flushPending hands on the model text and the transcriptions still
// pending when the receive loop ends (the connection ended mid-turn, or
// the queue was closed mid-reply) as the merged text and finished
// transcription events, so that what the model said is yielded and
// persisted: after the events before it, before the error that ends the
// run. Once the run is over (ctx ended, consumer gone) they are handed on
// only if the outbox has room; a consumer still ranging then gets them.
func (r *liveRun) flushPending() {
	if !r.mapper.flush() { // emits with putReceived, which delivers while there is room
		r.log.Debug("flow: the run ended before the pending text could be handed on")
	}
}

// receiveFailed decides what a failed Receive means for the run.
func (r *liveRun) receiveFailed(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if r.queueClosed.Load() {
		return nil // the sender closed the connection: the normal end
	}
	select {
	case <-r.out.done:
		return nil // the consumer stopped ranging
	default:
	}
	// Reconnection (DESIGN.md §6) goes here: when the backend reports the
	// error as retryable, a later version redials with r.resumeHandle (or
	// the history when there is none) and carries on with the same queue
	// and tools instead of ending the run.
	var re retryable
	if errors.As(err, &re) && re.Retryable() {
		r.log.Debug("flow: connection ended with a retryable error; reconnection is not implemented yet", "error", err)
	}
	return fmt.Errorf("flow: live connection to model %q ended: %w", r.p.Model.Name(), err)
}

// handle maps one server message to events and acts on tool calls and
// cancellations. It returns errRunOver when the run is over, and an error
// wrapping ErrLLMCallsExceeded once the model completed the last turn
// RunConfig.MaxLLMCalls allows (after its turnComplete event).
func (r *liveRun) handle(resp *live.Response) error {
	m := &r.mapper
	usage := resp.UsageMetadata
	if sc := resp.ServerContent; sc != nil {
		if sc.TurnComplete {
			r.turns++
			if r.cfg.LLMCallsExceeded(r.turns + 1) {
				// The model will not be called again: nothing the user
				// sends from now on is delivered, not even what the
				// consumer sends in answer to this turnComplete.
				r.llmLimitReached.Store(true)
			}
		}
		used, ok := m.serverContent(sc, usage)
		if !ok {
			return errRunOver
		}
		if used {
			usage = nil
		}
	}
	if tc := resp.ToolCall; tc != nil && len(tc.FunctionCalls) > 0 {
		// A tool call ends the text segment; pending transcriptions stay
		// pending: tool events never wait for a transcription.
		if !m.flushText() || !m.emit(r.callEvent(tc.FunctionCalls)) {
			return errRunOver
		}
		r.tools.start(tc.FunctionCalls)
	}
	if c := resp.ToolCallCancellation; c != nil {
		r.tools.cancel(c.IDs)
		if !r.emitWith(func(ev *event.Event) { ev.ToolCallCancellation = c }) {
			return errRunOver
		}
	}
	if usage != nil && !r.emitWith(func(ev *event.Event) { ev.UsageMetadata = usage }) {
		return errRunOver
	}
	if u := resp.SessionResumptionUpdate; u != nil {
		if u.Resumable && u.NewHandle != "" {
			r.resumeHandle = u.NewHandle
		}
		if !r.emitWith(func(ev *event.Event) { ev.LiveSessionResumptionUpdate = u }) {
			return errRunOver
		}
	}
	if g := resp.GoAway; g != nil {
		// Reconnection (DESIGN.md §6) will dial the replacement here.
		r.log.Debug("flow: the server is going away", "time_left", g.TimeLeft)
		if !r.emitWith(func(ev *event.Event) { ev.GoAway = g }) {
			return errRunOver
		}
	}
	if v := resp.VoiceActivity; v != nil && !r.emitWith(func(ev *event.Event) { ev.VoiceActivity = v }) {
		return errRunOver
	}
	if v := resp.VoiceActivityDetectionSignal; v != nil && !r.emitWith(func(ev *event.Event) { ev.VoiceActivityDetectionSignal = v }) {
		return errRunOver
	}
	if r.llmLimitReached.Load() {
		return fmt.Errorf("%w: the limit RunConfig.MaxLLMCalls = %d was reached (one LLM call per model turn)",
			ErrLLMCallsExceeded, r.cfg.MaxLLMCalls)
	}
	return nil
}

// emitWith emits an event by the agent set up by set.
func (r *liveRun) emitWith(set func(*event.Event)) bool {
	ev := r.stamp.event(r.p.Author)
	set(ev)
	return r.mapper.emit(ev)
}

// callEvent returns the event announcing the model's function calls.
func (r *liveRun) callEvent(calls []*genai.FunctionCall) *event.Event {
	ev := r.stamp.event(r.p.Author)
	parts := make([]*genai.Part, 0, len(calls))
	for _, c := range calls {
		if c == nil {
			continue
		}
		parts = append(parts, &genai.Part{FunctionCall: c})
		if f, ok := r.funcs[c.Name]; ok && f.IsLongRunning() {
			ev.LongRunningToolIDs = append(ev.LongRunningToolIDs, c.ID)
		}
	}
	ev.Content = &genai.Content{Role: genai.RoleModel, Parts: parts}
	return ev
}
