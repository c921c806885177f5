package flow

import (
	"fmt"
	"runtime/debug"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/tool"
)

// Tool callbacks on the calls of streaming tools (see Callbacks): the
// before callbacks run once, before the stream starts; when one answers
// the call (a result or an error), that answer, after the after
// callbacks, is the call's only response and no stream starts. The error
// callbacks run on the error a stream yields or its panic; a result one
// gives, after the after callbacks, is the call's last response instead
// of the error. The stream's own results go to the model as they come:
// the after callbacks do not see them.

// beforeStream runs the before callbacks of a streaming call and, when one
// answered it, the after callbacks on that answer. It returns the answer
// and true when the call is answered and must not be streamed.
func (t *toolRunner) beforeStream(tc tool.Context, cbs *Callbacks, st tool.StreamingTool, args map[string]any) (res map[string]any, answered bool) {
	defer func() {
		if v := recover(); v != nil {
			t.r.log.Error("flow: tool callback panicked", "tool", st.Name(), "call_id", tc.FunctionCallID(), "panic", v, "stack", string(debug.Stack()))
			*tc.Actions() = event.Actions{}
			res, answered = errorResponse(fmt.Sprintf("tool %q failed: a callback panicked: %v", st.Name(), v)), true
		}
	}()
	res, err := t.r.beforeTool(tc, cbs, st, args)
	if err != nil {
		return errorResponse(err.Error()), true
	}
	if res == nil {
		return nil, false
	}
	if res, err = t.r.afterTool(tc, cbs, st, args, res); err != nil {
		return errorResponse(err.Error()), true
	}
	return res, true
}

// streamFailed runs the error callbacks on the error a stream ended with
// (a *panicError for a panic), then the after callbacks on a result one
// gave, and returns the call's last response: that result or the error.
func (t *toolRunner) streamFailed(tc tool.Context, cbs *Callbacks, st tool.StreamingTool, args map[string]any, err error) (res map[string]any) {
	defer func() {
		if v := recover(); v != nil {
			t.r.log.Error("flow: tool callback panicked", "tool", st.Name(), "call_id", tc.FunctionCallID(), "panic", v, "stack", string(debug.Stack()))
			res = errorResponse(fmt.Sprintf("tool %q failed: a callback panicked: %v", st.Name(), v))
		}
	}()
	t.r.log.Debug("flow: streaming tool failed", "tool", st.Name(), "call_id", tc.FunctionCallID(), "error", err)
	if res, err = t.r.onToolError(tc, cbs, st, args, err); err != nil {
		return errorResponse(err.Error())
	}
	if res, err = t.r.afterTool(tc, cbs, st, args, res); err != nil {
		return errorResponse(err.Error())
	}
	return res
}
