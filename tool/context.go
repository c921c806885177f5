package tool

import (
	"context"

	"github.com/adklive/adklive/event"
)

// Context is what a function tool's Run receives: a context.Context that is
// cancelled when the model cancels the call or the run ends, plus what the
// tool may want to know about the call and the side effects it may ask for.
type Context interface {
	context.Context
	// FunctionCallID returns the id of the call being answered.
	FunctionCallID() string
	// AgentName returns the name of the agent whose model made the call.
	AgentName() string
	// InvocationID returns the id of the live run.
	InvocationID() string
	// Actions returns the actions of the call's response event; a tool
	// sets StateDelta entries on it to update session state. The
	// returned value belongs to this call only; it must not be used after
	// Run returns.
	Actions() *event.Actions
}

// CallInfo identifies one function call, for NewContext.
type CallInfo struct {
	// FunctionCallID is the id of the call.
	FunctionCallID string
	// AgentName is the name of the agent whose model made the call.
	AgentName string
	// InvocationID is the id of the live run.
	InvocationID string
}

// NewContext returns the Context for one call, with empty Actions. The
// runtime calls it for every call; tests call it to run a tool directly.
func NewContext(ctx context.Context, info CallInfo) Context {
	return &callContext{Context: ctx, info: info}
}

// callContext is the Context the runtime hands to a function tool.
type callContext struct {
	context.Context
	info    CallInfo
	actions event.Actions
}

func (c *callContext) FunctionCallID() string  { return c.info.FunctionCallID }
func (c *callContext) AgentName() string       { return c.info.AgentName }
func (c *callContext) InvocationID() string    { return c.info.InvocationID }
func (c *callContext) Actions() *event.Actions { return &c.actions }
