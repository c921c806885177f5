package flow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/tool"
)

// toolRunner executes the function calls of one run, each in its own
// goroutine. A call belongs to the link it came on: its response goes back
// on that link, and when the link ends first the call is cancelled and
// answered in the history with a cancellation, since the next connection
// never asked for it.
type toolRunner struct {
	ctx context.Context // the run's: cancelled when the run ends
	r   *run
	sem chan struct{} // a slot per call running at once; nil: no limit
	wg  sync.WaitGroup

	mu      sync.Mutex
	running map[string][]*runningCall // by call id (a model may reuse one)
}

// runningCall is one execution in progress. It answers the call that
// started it and the identical calls (same name, same args) of the same
// toolCall message: a model sometimes repeats a call, and the tool runs
// once for all of them.
type runningCall struct {
	call     *genai.FunctionCall   // the first of the identical calls: the one run
	calls    []*genai.FunctionCall // every call answered; guarded by toolRunner.mu
	argErr   string                // why the call's args were refused, or ""
	link     *link
	cancel   context.CancelFunc
	answered atomic.Bool // its response event was made (result or cancellation)
}

func newToolRunner(ctx context.Context, r *run) *toolRunner {
	t := &toolRunner{ctx: ctx, r: r, running: make(map[string][]*runningCall)}
	if n := r.cfg.MaxConcurrentTools; n > 0 {
		t.sem = make(chan struct{}, n)
	}
	return t
}

// start runs the calls of one toolCall message of l, each in a goroutine
// of its own, except that identical calls (same name and args) run once
// and a call repeated with its id too is answered once. argErrs holds,
// by index in calls, why a call's args were refused (see
// live.Response.ToolCallArgErrors): such a call is answered with the
// error without running.
func (t *toolRunner) start(l *link, calls []*genai.FunctionCall, argErrs map[int]string) {
	var jobs []*runningCall
	byKey := make(map[string]*runningCall)
	for i, c := range calls {
		if c == nil {
			continue
		}
		argErr := argErrs[i]
		key := ""
		if _, streaming := l.agent.funcs[c.Name].(tool.StreamingTool); argErr == "" && !streaming {
			key = callKey(c) // a streaming tool's calls each get a stream of their own
		}
		if rc := byKey[key]; key != "" && rc != nil {
			if !slices.ContainsFunc(rc.calls, func(x *genai.FunctionCall) bool { return x.ID == c.ID }) {
				rc.calls = append(rc.calls, c)
			}
			continue
		}
		rc := &runningCall{call: c, calls: []*genai.FunctionCall{c}, argErr: argErr, link: l}
		if key != "" {
			byKey[key] = rc
		}
		jobs = append(jobs, rc)
	}
	for _, rc := range jobs {
		ctx, cancel := context.WithCancel(t.ctx)
		rc.cancel = cancel
		t.mu.Lock()
		for _, c := range rc.calls {
			t.running[c.ID] = append(t.running[c.ID], rc)
		}
		t.mu.Unlock()
		t.wg.Add(1)
		go func() {
			defer t.wg.Done()
			defer t.forget(rc)
			t.run(ctx, rc)
		}()
	}
}

// callKey identifies a call by its name and args: encoding/json writes
// map keys sorted, so equal args encode equally. It returns "" for args
// that do not encode, which are never taken for duplicates.
func callKey(c *genai.FunctionCall) string {
	b, err := json.Marshal(c.Args)
	if err != nil {
		return ""
	}
	return c.Name + "\x00" + string(b)
}

// cancel withdraws the calls with the given ids that are still running:
// the server cancelled them, so they are not answered. An execution that
// also answers identical calls not cancelled goes on for them.
func (t *toolRunner) cancel(ids []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, id := range ids {
		for _, rc := range t.running[id] {
			rc.calls = slices.DeleteFunc(rc.calls, func(c *genai.FunctionCall) bool { return c.ID == id })
			if len(rc.calls) == 0 {
				rc.answered.Store(true)
				rc.cancel()
			}
		}
		delete(t.running, id)
	}
}

// linkEnded cancels the calls of l still running and records for each a
// response saying so, so the history never keeps a call without an
// answer. It reports false when the run is over.
func (t *toolRunner) linkEnded(l *link) bool {
	t.r.streams.linkEnded(l)
	t.mu.Lock()
	var orphans []*runningCall
	for _, rcs := range t.running {
		for _, rc := range rcs {
			if rc.link == l && rc.answered.CompareAndSwap(false, true) {
				rc.cancel()
				orphans = append(orphans, rc)
			}
		}
	}
	t.mu.Unlock()
	slices.SortFunc(orphans, func(a, b *runningCall) int { return strings.Compare(a.call.ID, b.call.ID) })
	for _, rc := range orphans {
		msg := fmt.Sprintf("cancelled: the connection to the model ended before tool %q returned", rc.call.Name)
		if !t.r.put(t.responsesEvent(t.answered(rc), errorResponse(msg), event.Actions{})) {
			return false
		}
	}
	return true
}

// answered returns the calls rc answers (those not cancelled).
func (t *toolRunner) answered(rc *runningCall) []*genai.FunctionCall {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(rc.calls)
}

// forget drops an execution that returned.
func (t *toolRunner) forget(rc *runningCall) {
	rc.cancel()
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range rc.calls {
		id := c.ID
		rest := slices.DeleteFunc(t.running[id], func(x *runningCall) bool { return x == rc })
		if len(rest) == 0 {
			delete(t.running, id)
		} else {
			t.running[id] = rest
		}
	}
}

// wait returns when every call has returned, or after grace (negative: at
// once) with the names of the tools still running, which are abandoned.
func (t *toolRunner) wait(grace time.Duration) (abandoned []string) {
	done := make(chan struct{})
	go func() {
		t.wg.Wait()
		close(done)
	}()
	timer := time.NewTimer(max(grace, 0))
	defer timer.Stop()
	select {
	case <-done:
		return nil
	case <-timer.C:
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	seen := make(map[*runningCall]bool)
	for _, rcs := range t.running {
		for _, rc := range rcs {
			if !seen[rc] {
				seen[rc] = true
				abandoned = append(abandoned, rc.call.Name)
			}
		}
	}
	slices.Sort(abandoned)
	return abandoned
}

// run runs one call and answers it, unless it was cancelled.
func (t *toolRunner) run(ctx context.Context, rc *runningCall) {
	c := rc.call
	if st, ok := rc.link.agent.funcs[c.Name].(tool.StreamingTool); ok && rc.argErr == "" {
		t.stream(ctx, rc, st) // it holds no MaxConcurrentTools slot: it runs until stopped
		return
	}
	if t.sem != nil {
		select {
		case t.sem <- struct{}{}:
			defer func() { <-t.sem }()
		case <-ctx.Done():
			return
		}
	}
	var response map[string]any
	var actions event.Actions
	if rc.argErr != "" {
		response = errorResponse(fmt.Sprintf("invalid arguments for tool %q: %s; call it with an object of named arguments",
			c.Name, rc.argErr))
	} else {
		response, actions = t.execute(ctx, rc.link.agent, c)
	}
	if ctx.Err() != nil || !rc.answered.CompareAndSwap(false, true) {
		t.r.log.Debug("flow: tool call cancelled; not answering it", "tool", c.Name, "call_id", c.ID)
		return
	}
	sw, response, actions := t.r.handoff(rc.link, response, actions)
	if sw != nil {
		// The run moves to another agent (transfer_to_agent,
		// task_completed): the response is recorded, not sent.
		t.r.leave(rc.link, sw, t.responsesEvent(t.answered(rc), response, actions))
		return
	}
	// The event goes out before the response, so it precedes the model's
	// follow-up, which can only come after the response.
	ev := t.responsesEvent(t.answered(rc), response, actions)
	if !t.r.put(ev) {
		return
	}
	schedule := rc.link.agent.tools.schedules[c.Name]
	frs := make([]*genai.FunctionResponse, len(ev.Content.Parts))
	for i, p := range ev.Content.Parts {
		fr := *p.FunctionResponse
		fr.Scheduling = schedule
		frs[i] = &fr
	}
	t.r.sender.sendTool(&message{
		tool:     &genai.LiveClientToolResponse{FunctionResponses: frs},
		toolLink: rc.link,
	})
}

// responseEvent returns the event of a call's response.
func (t *toolRunner) responseEvent(c *genai.FunctionCall, response map[string]any, actions event.Actions) *event.Event {
	return t.responsesEvent([]*genai.FunctionCall{c}, response, actions)
}

// responsesEvent returns the event of the response to calls: one
// FunctionResponse part per call, each echoing its call's id (empty for a
// call that had none), all with the same response.
func (t *toolRunner) responsesEvent(calls []*genai.FunctionCall, response map[string]any, actions event.Actions) *event.Event {
	parts := make([]*genai.Part, len(calls))
	for i, c := range calls {
		parts[i] = &genai.Part{FunctionResponse: &genai.FunctionResponse{ID: c.ID, Name: c.Name, Response: response}}
	}
	ev := t.r.stamp.event(t.r.cur().name)
	ev.Content = &genai.Content{Role: genai.RoleUser, Parts: parts}
	ev.Actions = actions
	return ev
}

// execute runs the tool a call names, with the callbacks around it, and
// returns its response, or an {"error": ...} response when there is no
// such tool, it failed or it (or a callback) panicked.
func (t *toolRunner) execute(ctx context.Context, ag *agentState, c *genai.FunctionCall) (response map[string]any, actions event.Actions) {
	f, ok := ag.funcs[c.Name]
	if !ok {
		return errorResponse(fmt.Sprintf("there is no tool named %q; the available tools are: %s",
			c.Name, strings.Join(ag.funcNames(), ", "))), event.Actions{}
	}
	tc := tool.NewContext(ctx, t.r.callInfo(ag, c.ID))
	defer func() {
		if v := recover(); v != nil {
			t.r.log.Error("flow: tool callback panicked", "tool", c.Name, "call_id", c.ID, "panic", v, "stack", string(debug.Stack()))
			response, actions = errorResponse(fmt.Sprintf("tool %q failed: a callback panicked: %v", c.Name, v)), event.Actions{}
		}
	}()
	// A copy: a before callback may change the arguments, and the call's
	// event, already yielded, holds the model's.
	out, err := t.r.callTool(tc, &ag.callbacks, f, maps.Clone(c.Args))
	if err != nil {
		var pe *panicError
		if errors.As(err, &pe) {
			t.r.log.Error("flow: tool panicked", "tool", c.Name, "call_id", c.ID, "panic", pe.value, "stack", string(pe.stack))
		}
		return errorResponse(err.Error()), *tc.Actions()
	}
	if out == nil {
		out = map[string]any{}
	}
	return out, *tc.Actions()
}

// callInfo returns what the tool.Context of a call by agent ag (id "" for
// a callback's context) knows: the run's ids, the session state as it is
// now and the run's artifact service.
func (r *run) callInfo(ag *agentState, callID string) tool.CallInfo {
	return tool.CallInfo{
		FunctionCallID:  callID,
		AgentName:       ag.name,
		InvocationID:    r.p.InvocationID,
		State:           r.state.snapshot(),
		ArtifactService: r.p.ArtifactService,
		AppName:         r.p.AppName,
		UserID:          r.p.UserID,
		SessionID:       r.p.SessionID,
	}
}

func errorResponse(msg string) map[string]any {
	return map[string]any{"error": msg}
}
