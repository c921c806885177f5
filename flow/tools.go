package flow

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/tool"
)

// toolRunner executes the function calls of one run, each in its own
// goroutine.
type toolRunner struct {
	ctx context.Context // the run's: cancelled when the run ends
	r   *liveRun
	sem chan struct{} // a slot per call running at once; nil: no limit
	wg  sync.WaitGroup

	mu      sync.Mutex
	running map[string][]*runningCall // by call id (a model may reuse one)
}

// runningCall is one call in progress.
type runningCall struct {
	cancel context.CancelFunc
}

func newToolRunner(ctx context.Context, r *liveRun) *toolRunner {
	t := &toolRunner{ctx: ctx, r: r, running: make(map[string][]*runningCall)}
	if n := r.cfg.MaxConcurrentTools; n > 0 {
		t.sem = make(chan struct{}, n)
	}
	return t
}

// start runs each call in a goroutine of its own.
func (t *toolRunner) start(calls []*genai.FunctionCall) {
	for _, c := range calls {
		if c == nil {
			continue
		}
		ctx, cancel := context.WithCancel(t.ctx)
		rc := &runningCall{cancel: cancel}
		t.mu.Lock()
		t.running[c.ID] = append(t.running[c.ID], rc)
		t.mu.Unlock()
		t.wg.Add(1)
		go func() {
			defer t.wg.Done()
			defer t.forget(c.ID, rc)
			t.call(ctx, c)
		}()
	}
}

// cancel cancels the calls with the given ids that are still running.
func (t *toolRunner) cancel(ids []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, id := range ids {
		for _, rc := range t.running[id] {
			rc.cancel()
		}
		delete(t.running, id)
	}
}

// forget drops a call that returned.
func (t *toolRunner) forget(id string, rc *runningCall) {
	rc.cancel()
	t.mu.Lock()
	defer t.mu.Unlock()
	rest := slices.DeleteFunc(t.running[id], func(x *runningCall) bool { return x == rc })
	if len(rest) == 0 {
		delete(t.running, id)
	} else {
		t.running[id] = rest
	}
}

// wait returns when every call has returned.
func (t *toolRunner) wait() { t.wg.Wait() }

// call runs one call and answers it, unless it was cancelled.
func (t *toolRunner) call(ctx context.Context, c *genai.FunctionCall) {
	log := t.r.log.With("tool", c.Name, "call_id", c.ID)
	if t.sem != nil {
		select {
		case t.sem <- struct{}{}:
			defer func() { <-t.sem }()
		case <-ctx.Done():
			return
		}
	}
	response, actions := t.execute(ctx, c)
	if ctx.Err() != nil {
		log.Debug("flow: tool call cancelled; not answering it")
		return
	}
	fr := &genai.FunctionResponse{ID: c.ID, Name: c.Name, Response: response}
	ev := t.r.stamp.event(t.r.p.Author)
	ev.Content = &genai.Content{Role: genai.RoleUser, Parts: []*genai.Part{{FunctionResponse: fr}}}
	ev.Actions = actions
	// The event goes out before the response, so it precedes the model's
	// follow-up, which can only come after the response.
	if !t.r.out.put(ev) {
		return
	}
	err := t.r.conn.SendToolResponse(t.r.wireCtx, &genai.LiveClientToolResponse{FunctionResponses: []*genai.FunctionResponse{fr}})
	if err != nil {
		t.r.sendFailed(t.ctx, fmt.Sprintf("tool response for call %q of %q", c.ID, c.Name), err)
	}
}

// execute runs the tool a call names and returns its response, or an
// {"error": ...} response when there is no such tool, it failed or it
// panicked.
func (t *toolRunner) execute(ctx context.Context, c *genai.FunctionCall) (response map[string]any, actions event.Actions) {
	f, ok := t.r.funcs[c.Name]
	if !ok {
		return errorResponse(fmt.Sprintf("there is no tool named %q; the available tools are: %s",
			c.Name, strings.Join(t.r.funcNames(), ", "))), event.Actions{}
	}
	tc := tool.NewContext(ctx, tool.CallInfo{
		FunctionCallID: c.ID,
		AgentName:      t.r.p.Author,
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

// funcNames returns the names of the run's function tools, sorted.
func (r *liveRun) funcNames() []string {
	names := make([]string, 0, len(r.funcs))
	for name := range r.funcs {
		names = append(names, name)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return []string{"(none)"}
	}
	return names
}
