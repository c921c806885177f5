package agent

import (
	"context"
	"iter"
	"slices"

	"github.com/adklive/adklive/event"
)

// SequentialConfig configures a [SequentialAgent]. Name and at least one
// sub-agent are required.
type SequentialConfig struct {
	// Name identifies the agent, with the rules of Config.Name.
	Name string

	// Description says what the sequence does; a parent agent's model
	// reads it to decide on transfers.
	Description string

	// SubAgents are the steps, run in this order. Every name in the tree
	// must be distinct.
	SubAgents []Agent
}

// SequentialAgent runs its sub-agents one after the other. Create one with
// [NewSequential]. It has no model of its own: its steps talk. It is
// immutable and safe for concurrent use.
type SequentialAgent struct {
	name        string
	description string
	subAgents   []Agent
}

var _ Agent = (*SequentialAgent)(nil)

// NewSequential checks cfg and returns the sequential agent it describes.
// An invalid cfg yields an error matching [ErrInvalidConfig] that names the
// offending field.
func NewSequential(cfg SequentialConfig) (*SequentialAgent, error) {
	if err := ValidateName(cfg.Name); err != nil {
		return nil, invalid("Name", "%v", err)
	}
	if len(cfg.SubAgents) == 0 {
		return nil, invalid("SubAgents", "a sequential agent needs at least one sub-agent (its steps)")
	}
	if err := validateTree(cfg.Name, cfg.SubAgents); err != nil {
		return nil, err
	}
	return &SequentialAgent{
		name:        cfg.Name,
		description: cfg.Description,
		subAgents:   slices.Clip(slices.Clone(cfg.SubAgents)),
	}, nil
}

// Name returns the agent's name.
func (a *SequentialAgent) Name() string { return a.name }

// Description returns the agent's description.
func (a *SequentialAgent) Description() string { return a.description }

// SubAgents returns the steps, in order.
func (a *SequentialAgent) SubAgents() []Agent { return a.subAgents }

// RunLive runs the steps in order on one live run (see [Agent.RunLive]).
// In a live conversation nothing says when a step is done, so each step
// that is an [LLMAgent] gets the task_completed tool (tool.TaskCompleted)
// and a paragraph of instruction saying to call it when its task is done,
// as ADK does. When the model calls it, the call and its response
// (Actions.Escalate set) are yielded and recorded, and the run moves to
// the next step on a new connection of the same run, seeded with the
// whole conversation, so the next step starts at once; input sent during
// the switch is delivered to it once, in order. After the last step the
// run ends without an error when the sequential agent is the root, and
// otherwise goes back to its parent (or on to the step after it, when the
// parent is sequential too).
//
// A step may itself have sub-agents and transfer to them (see
// [LLMAgent.RunLive]); a step that is a custom [Agent] is skipped.
// Transcriptions are turned on and the run config is checked against
// every step's model, as for an LLMAgent with sub-agents.
func (a *SequentialAgent) RunLive(ctx context.Context, ic *InvocationContext) iter.Seq2[*event.Event, error] {
	return runLive(ctx, a, ic)
}
