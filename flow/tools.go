package flow

import (
	"context"
	"fmt"
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

// runningCall is one call in progress.
type runningCall struct {
	call     *genai.FunctionCall
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

// start runs each call of l in a goroutine of its own.
func (t *toolRunner) start(l *link, calls []*genai.FunctionCall) {
	for _, c := range calls {
		if c == nil {
			continue
		}
		ctx, cancel := context.WithCancel(t.ctx)
		rc := &runningCall{call: c, link: l, cancel: cancel}
		t.mu.Lock()
		t.running[c.ID] = append(t.running[c.ID], rc)
		t.mu.Unlock()
		t.wg.Add(1)
		go func() {
			defer t.wg.Done()
			defer t.forget(rc)
			t.run(ctx, rc)
		}()
	}
}

// cancel cancels the calls with the given ids that are still running: the
// server withdrew them, so they are not answered.
func (t *toolRunner) cancel(ids []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, id := range ids {
		for _, rc := range t.running[id] {
			rc.answered.Store(true)
			rc.cancel()
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
		if !t.r.put(t.responseEvent(rc.call, errorResponse(msg), event.Actions{})) {
			return false
		}
	}
	return true
}

// forget drops a call that returned.
func (t *toolRunner) forget(rc *runningCall) {
	rc.cancel()
	t.mu.Lock()
	defer t.mu.Unlock()
	id := rc.call.ID
	rest := slices.DeleteFunc(t.running[id], func(x *runningCall) bool { return x == rc })
	if len(rest) == 0 {
		delete(t.running, id)
	} else {
		t.running[id] = rest
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
	for _, rcs := range t.running {
		for _, rc := range rcs {
			abandoned = append(abandoned, rc.call.Name)
		}
	}
	slices.Sort(abandoned)
	return abandoned
}

// run runs one call and answers it, unless it was cancelled.
func (t *toolRunner) run(ctx context.Context, rc *runningCall) {
	c := rc.call
	if st, ok := rc.link.agent.funcs[c.Name].(tool.StreamingTool); ok {
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
	response, actions := t.execute(ctx, rc.link.agent, c)
	if ctx.Err() != nil || !rc.answered.CompareAndSwap(false, true) {
		t.r.log.Debug("flow: tool call cancelled; not answering it", "tool", c.Name, "call_id", c.ID)
		return
	}
	sw, response, actions := t.r.handoff(rc.link, response, actions)
	if sw != nil {
		// The run moves to another agent (transfer_to_agent,
		// task_completed): the response is recorded, not sent.
		t.r.leave(rc.link, sw, t.responseEvent(c, response, actions))
		return
	}
	// The event goes out before the response, so it precedes the model's
	// follow-up, which can only come after the response.
	if !t.r.put(t.responseEvent(c, response, actions)) {
		return
	}
	fr := &genai.FunctionResponse{ID: c.ID, Name: c.Name, Response: response, Scheduling: rc.link.agent.tools.schedules[c.Name]}
	t.r.sender.sendTool(&message{
		tool:     &genai.LiveClientToolResponse{FunctionResponses: []*genai.FunctionResponse{fr}},
		toolLink: rc.link,
	})
}

// responseEvent returns the event of a call's response.
func (t *toolRunner) responseEvent(c *genai.FunctionCall, response map[string]any, actions event.Actions) *event.Event {
	fr := &genai.FunctionResponse{ID: c.ID, Name: c.Name, Response: response}
	ev := t.r.stamp.event(t.r.cur().name)
	ev.Content = &genai.Content{Role: genai.RoleUser, Parts: []*genai.Part{{FunctionResponse: fr}}}
	ev.Actions = actions
	return ev
}

// execute runs the tool a call names and returns its response, or an
// {"error": ...} response when there is no such tool, it failed or it
// panicked.
func (t *toolRunner) execute(ctx context.Context, ag *agentState, c *genai.FunctionCall) (response map[string]any, actions event.Actions) {
	f, ok := ag.funcs[c.Name]
	if !ok {
		return errorResponse(fmt.Sprintf("there is no tool named %q; the available tools are: %s",
			c.Name, strings.Join(ag.funcNames(), ", "))), event.Actions{}
	}
	tc := tool.NewContext(ctx, tool.CallInfo{
		FunctionCallID: c.ID,
		AgentName:      ag.name,
		InvocationID:   t.r.p.InvocationID,
	})
	defer func() {
		if v := recover(); v != nil {
			t.r.log.Error("flow: tool panicked", "tool", c.Name, "call_id", c.ID, "panic", v, "stack", string(debug.Stack()))
			response, actions = errorResponse(fmt.Sprintf("tool %q failed: it panicked: %v", c.Name, v)), event.Actions{}
		}
	}()
	out, err := f.Run(tc, c.Args)
	if err != nil {
		return errorResponse(err.Error()), *tc.Actions()
	}
	if out == nil {
		out = map[string]any{}
	}
	return out, *tc.Actions()
}

func errorResponse(msg string) map[string]any {
	return map[string]any{"error": msg}
}
