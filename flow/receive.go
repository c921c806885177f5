package flow

import (
	"errors"
	"fmt"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow/live"
)

var (
	// errRunOver is returned inside the receive loop when an event could
	// not be handed on because the run is over.
	errRunOver = errors.New("flow: run over")
	// errHandover ends a link the server is retiring (goAway) at a turn
	// boundary, or when its time is nearly up: the next link resumes.
	errHandover = errors.New("flow: the server asked to move to a new connection (goAway)")
)

// handoverMargin is how long before a goAway's timeLeft runs out the run
// switches connections even without a turn boundary.
const handoverMargin = 2 * time.Second

// receive reads l's server messages and maps them to events until the
// connection ends, and returns why it ended: the connection's error,
// errHandover, errRunOver, or an error wrapping ErrLLMCallsExceeded.
func (r *run) receive(l *link) error {
	for {
		resp, err := l.conn.Receive(r.wireCtx)
		if err != nil {
			return err
		}
		if resp == nil {
			continue
		}
		if err := r.handle(l, resp); err != nil {
			return err
		}
	}
}

// handle maps one server message to events and acts on tool calls,
// cancellations, resumption updates and goAway.
func (r *run) handle(l *link, resp *live.Response) error {
	m := &r.mapper
	usage := resp.UsageMetadata
	boundary := false
	if sc := resp.ServerContent; sc != nil {
		if sc.TurnComplete {
			boundary = true
			if r.journaling {
				l.turnCompleted()
			}
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
		if !m.flushText() || !m.emit(r.callEvent(l, tc.FunctionCalls)) {
			return errRunOver
		}
		r.tools.start(l, tc.FunctionCalls, resp.ToolCallArgErrors)
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
			r.setHandle(u.NewHandle)
			l.consumed(r.transparent, u.LastConsumedClientMessageIndex)
			if l.handoverAtUpdate {
				boundary = true
			}
		}
		if !r.emitWith(func(ev *event.Event) { ev.LiveSessionResumptionUpdate = u }) {
			return errRunOver
		}
	}
	if g := resp.GoAway; g != nil {
		r.log.Info("flow: the server is going away", "time_left", g.TimeLeft, "link", l.n)
		if !r.emitWith(func(ev *event.Event) { ev.GoAway = g }) {
			return errRunOver
		}
		r.goAway(l, g.TimeLeft)
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
	if boundary && l.handoverWanted {
		if r.resuming && !l.handoverAtUpdate && resp.SessionResumptionUpdate == nil {
			// The handle that covers this turn follows the turnComplete.
			l.handoverAtUpdate = true
			return nil
		}
		return errHandover
	}
	return nil
}

// goAway prepares the move to a new connection: at the next turn
// boundary, or handoverMargin before timeLeft runs out, whichever comes
// first. Without reconnection the connection is left to end.
func (r *run) goAway(l *link, timeLeft time.Duration) {
	if r.cfg.Reconnect.Disabled || l.handoverWanted {
		return
	}
	l.handoverWanted = true
	wait := max(timeLeft-handoverMargin, 0)
	l.handoverTimer = time.AfterFunc(wait, l.handover)
	r.predial()
}

// emitWith emits an event by the agent set up by set.
func (r *run) emitWith(set func(*event.Event)) bool {
	ev := r.stamp.event(r.cur().name)
	set(ev)
	return r.mapper.emit(ev)
}

// callEvent returns the event announcing the model's function calls.
func (r *run) callEvent(l *link, calls []*genai.FunctionCall) *event.Event {
	ev := r.stamp.event(l.agent.name)
	parts := make([]*genai.Part, 0, len(calls))
	for _, c := range calls {
		if c == nil {
			continue
		}
		parts = append(parts, &genai.Part{FunctionCall: c})
		if f, ok := l.agent.funcs[c.Name]; ok && f.IsLongRunning() {
			ev.LongRunningToolIDs = append(ev.LongRunningToolIDs, c.ID)
		}
	}
	ev.Content = &genai.Content{Role: genai.RoleModel, Parts: parts}
	return ev
}
