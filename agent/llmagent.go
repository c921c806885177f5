package agent

import (
	"context"
	"errors"
	"iter"
	"slices"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/tool"
)

// Config configures an [LLMAgent]. Name and Model are required.
type Config struct {
	// Name identifies the agent: an identifier (a letter or underscore,
	// then letters, digits and underscores), not "user", unique within
	// the agent tree.
	Name string

	// Description says what the agent does. Optional for a root agent;
	// a parent agent's model reads it to decide on transfers.
	Description string

	// Model is the live model the agent talks through, for example a
	// *gemini.Model.
	Model live.Model

	// Instruction is the system instruction sent when the live
	// connection opens. Empty means none.
	Instruction string

	// Tools are the tools the model may call during the run. Their names
	// must be distinct.
	Tools []tool.Tool

	// SubAgents are the agents this agent can hand the conversation to.
	// Every name in the tree must be distinct.
	SubAgents []Agent
}

// LLMAgent is an [Agent] backed by a live model. Create one with [New]. It
// is immutable and safe for concurrent use: one LLMAgent serves any number
// of concurrent live runs.
type LLMAgent struct {
	name        string
	description string
	model       live.Model
	instruction string
	tools       []tool.Tool
	subAgents   []Agent
}

var _ Agent = (*LLMAgent)(nil)

// New checks cfg and returns the agent it describes. An invalid cfg yields an
// error matching [ErrInvalidConfig] that names the offending field. A
// Model, tool or sub-agent that is a nil pointer behind its interface (for
// example a (*gemini.Model)(nil) left by an unchecked error) is refused
// like a missing one.
func New(cfg Config) (*LLMAgent, error) {
	if err := validate(cfg); err != nil {
		return nil, err
	}
	return &LLMAgent{
		name:        cfg.Name,
		description: cfg.Description,
		model:       cfg.Model,
		instruction: cfg.Instruction,
		tools:       slices.Clip(slices.Clone(cfg.Tools)),
		subAgents:   slices.Clip(slices.Clone(cfg.SubAgents)),
	}, nil
}

// Name returns the agent's name.
func (a *LLMAgent) Name() string { return a.name }

// Description returns the agent's description.
func (a *LLMAgent) Description() string { return a.description }

// SubAgents returns the agent's sub-agents, or nil.
func (a *LLMAgent) SubAgents() []Agent { return a.subAgents }

// Model returns the live model the agent talks through.
func (a *LLMAgent) Model() live.Model { return a.model }

// Instruction returns the agent's system instruction.
func (a *LLMAgent) Instruction() string { return a.instruction }

// Tools returns the agent's tools. The caller must not modify the slice.
func (a *LLMAgent) Tools() []tool.Tool { return a.tools }

// errNoInvocation is yielded by RunLive when it is called without an
// invocation context.
var errNoInvocation = errors.New("agent: RunLive needs an InvocationContext")

// RunLive opens a live connection to the agent's model and runs the
// conversation on it (see [Agent.RunLive]). The model is seeded with the
// events of ic.Session as history; the agent's instruction and tools go
// into the connection's setup together with ic.RunConfig.
func (a *LLMAgent) RunLive(ctx context.Context, ic *InvocationContext) iter.Seq2[*event.Event, error] {
	if ic == nil {
		return func(yield func(*event.Event, error) bool) { yield(nil, errNoInvocation) }
	}
	var history []*event.Event
	if ic.Session != nil {
		// A copy of the slice: the runner appends to the session while the
		// flow may still be reading the history.
		history = slices.Clone(ic.Session.Events)
	}
	return flow.Run(ctx, flow.Params{
		Model:        a.model,
		Author:       a.name,
		InvocationID: ic.InvocationID,
		Branch:       ic.Branch,
		Instruction:  a.instruction,
		Tools:        a.tools,
		RunConfig:    ic.RunConfig,
		History:      history,
		Queue:        ic.Queue,
		Logger:       ic.Logger,
	})
}
