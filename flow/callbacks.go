package flow

import (
	"fmt"
	"runtime/debug"

	"github.com/adklive/adklive/tool"
)

// Callbacks are an agent's hooks into its live run. The runner's plugins
// (Params.Plugins) run first, then the agent's callbacks, each list in
// order.
//
// Tool callbacks run around each call of a function tool (see
// tool.BeforeCallback, tool.AfterCallback and tool.ErrorCallback): the
// first before callback that returns a result or an error ends the
// before chain; the tool runs only if none did; on failure (an error or a
// panic) the error callbacks run until one returns a result or an error;
// the after callbacks then run on the result (the tool's, or the one a
// before or error callback gave) until one replaces it. A callback that
// panics fails the call like a tool that panics. Calls the runtime
// answers without running a tool (no such tool, args that are not an
// object) skip the callbacks. A streaming tool's call runs the before
// callbacks once, before its stream starts (an answer from one is the
// call's only response, and no stream starts), and the error callbacks
// on the error the stream yields or its panic; the after callbacks see
// only a result a before or error callback gave, not the streamed results.
//
// Model callbacks run on each model turn; see BeforeModelCallback and
// AfterModelCallback for what they see and may do in a live run.
type Callbacks struct {
	// BeforeTool run before each call of a function tool.
	BeforeTool []tool.BeforeCallback
	// AfterTool run on each call's result.
	AfterTool []tool.AfterCallback
	// OnToolError run when a tool fails.
	OnToolError []tool.ErrorCallback
	// BeforeModel run before each user turn reaches the model.
	BeforeModel []BeforeModelCallback
	// AfterModel run on each piece of the model's turn.
	AfterModel []AfterModelCallback
}

// Plugin is a set of callbacks for every agent of a run, set on the
// runner (runner.Config.Plugins). Its callbacks run before the agent's
// (see Callbacks); nil ones are skipped.
type Plugin struct {
	// Name identifies the plugin in logs.
	Name string
	// BeforeTool runs before each call of a function tool.
	BeforeTool tool.BeforeCallback
	// AfterTool runs on each call's result.
	AfterTool tool.AfterCallback
	// OnToolError runs when a tool fails.
	OnToolError tool.ErrorCallback
	// BeforeModel runs before each user turn reaches the model.
	BeforeModel BeforeModelCallback
	// AfterModel runs on each piece of the model's turn.
	AfterModel AfterModelCallback
}

// callTool runs f for one call with the plugins' and ag's tool callbacks
// around it (see Callbacks), and returns the call's result or error.
func (r *run) callTool(tc tool.Context, cbs *Callbacks, f tool.FunctionTool, args map[string]any) (map[string]any, error) {
	res, err := r.beforeTool(tc, cbs, f, args)
	if err != nil {
		return nil, err
	}
	if res == nil {
		res, err = runTool(tc, f, args)
		if err != nil {
			r.log.Debug("flow: tool failed", "tool", f.Name(), "call_id", tc.FunctionCallID(), "error", err)
			if res, err = r.onToolError(tc, cbs, f, args, err); err != nil {
				return nil, err
			}
		}
	}
	return r.afterTool(tc, cbs, f, args, res)
}

func (r *run) beforeTool(tc tool.Context, cbs *Callbacks, f tool.FunctionTool, args map[string]any) (map[string]any, error) {
	for _, p := range r.p.Plugins {
		if p.BeforeTool == nil {
			continue
		}
		if res, err := p.BeforeTool(tc, f, args); res != nil || err != nil {
			return res, err
		}
	}
	for _, cb := range cbs.BeforeTool {
		if res, err := cb(tc, f, args); res != nil || err != nil {
			return res, err
		}
	}
	return nil, nil
}

func (r *run) onToolError(tc tool.Context, cbs *Callbacks, f tool.FunctionTool, args map[string]any, err error) (map[string]any, error) {
	for _, p := range r.p.Plugins {
		if p.OnToolError == nil {
			continue
		}
		if res, e := p.OnToolError(tc, f, args, err); res != nil || e != nil {
			return res, e
		}
	}
	for _, cb := range cbs.OnToolError {
		if res, e := cb(tc, f, args, err); res != nil || e != nil {
			return res, e
		}
	}
	return nil, err
}

func (r *run) afterTool(tc tool.Context, cbs *Callbacks, f tool.FunctionTool, args, res map[string]any) (map[string]any, error) {
	if res == nil {
		res = map[string]any{}
	}
	for _, p := range r.p.Plugins {
		if p.AfterTool == nil {
			continue
		}
		if out, err := p.AfterTool(tc, f, args, res); out != nil || err != nil {
			return out, err
		}
	}
	for _, cb := range cbs.AfterTool {
		if out, err := cb(tc, f, args, res); out != nil || err != nil {
			return out, err
		}
	}
	return res, nil
}

// runTool runs f, turning a panic into an error.
func runTool(tc tool.Context, f tool.FunctionTool, args map[string]any) (res map[string]any, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{tool: f.Name(), value: v, stack: debug.Stack()}
		}
	}()
	return f.Run(tc, args)
}

// panicError is a tool's panic, as the error the callbacks and the model
// see.
type panicError struct {
	tool  string
	value any
	stack []byte
}

func (e *panicError) Error() string {
	return fmt.Sprintf("tool %q failed: it panicked: %v", e.tool, e.value)
}
