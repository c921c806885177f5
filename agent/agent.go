package agent

import (
	"context"
	"iter"

	"github.com/adklive/adklive/event"
)

// Agent is something a live run can execute. [LLMAgent] is the agent backed
// by a live model; other implementations can compose agents.
//
// Implementations must be safe for concurrent use: one agent serves every
// live run of the process.
type Agent interface {
	// Name identifies the agent within its agent tree. It is the Author of
	// the events the agent produces.
	Name() string

	// Description says what the agent does, in a sentence a model can use
	// to decide whether to hand the conversation to it.
	Description() string

	// SubAgents returns the agents this agent can hand the conversation
	// to, or nil. The caller must not modify the slice.
	SubAgents() []Agent

	// RunLive runs the agent live for the invocation ic describes: it
	// reads user input from ic.Queue and yields the events of the run,
	// until the queue is closed (the sequence ends with no error), ctx
	// ends (it ends with ctx's error) or the run fails (it ends with that
	// error). An error is yielded at most once, as the last element.
	//
	// The caller may stop ranging early; the run then ends and leaves no
	// goroutine behind. RunLive does not persist events: the runner does.
	RunLive(ctx context.Context, ic *InvocationContext) iter.Seq2[*event.Event, error]
}
