package tool

import (
	"context"

	"github.com/adklive/adklive/artifact"
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
	// Actions returns the actions of the call's response event: a tool
	// sets StateDelta entries (or calls State().Set) to update session
	// state, Escalate to hand the conversation back, SkipSummarization
	// to ask that the response not be summarized. The runner applies
	// them when it stores the response event. The returned value belongs
	// to this call only; it must not be used after Run returns.
	Actions() *event.Actions
	// State returns the session state as this call sees it: the state of
	// the session when the run started, with the state deltas of the
	// run's events since, and this call's own writes.
	State() State
	// Artifacts returns the artifacts of the run's session (see
	// Artifacts). Without an artifact service (runner.Config.
	// ArtifactService unset) its methods fail with ErrNoArtifactService.
	Artifacts() Artifacts
}

// State is the session state as one call sees it. Keys prefixed "app:"
// and "user:" are shared with other sessions of the app or user, and
// "temp:" keys last only for the run (see package session).
type State interface {
	// Get returns the value of key, and whether it is set: this call's
	// writes first, then the run's state.
	Get(key string) (any, bool)
	// Set sets key to value in the call's response event's
	// Actions.StateDelta, which the runner persists with the event.
	// Values should be what JSON can carry.
	Set(key string, value any)
}

// CallInfo identifies one function call, for NewContext.
type CallInfo struct {
	// FunctionCallID is the id of the call.
	FunctionCallID string
	// AgentName is the name of the agent whose model made the call.
	AgentName string
	// InvocationID is the id of the live run.
	InvocationID string
	// State is the session state the call reads (see Context.State);
	// nil reads as empty. The Context never modifies it.
	State map[string]any
	// ArtifactService stores the artifacts the call's Context.Artifacts
	// saves and loads; nil makes them fail with ErrNoArtifactService.
	ArtifactService artifact.Service
	// AppName, UserID and SessionID name the session the call runs in;
	// its artifacts are stored under them.
	AppName, UserID, SessionID string
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
func (c *callContext) State() State            { return callState{c} }
func (c *callContext) Artifacts() Artifacts    { return callArtifacts{c} }

// callState is the State of one call: its writes go to the response's
// StateDelta, its reads look there first.
type callState struct{ c *callContext }

func (s callState) Get(key string) (any, bool) {
	if v, ok := s.c.actions.StateDelta[key]; ok {
		return v, true
	}
	v, ok := s.c.info.State[key]
	return v, ok
}

func (s callState) Set(key string, value any) {
	if s.c.actions.StateDelta == nil {
		s.c.actions.StateDelta = make(map[string]any)
	}
	s.c.actions.StateDelta[key] = value
}
