package flow

import (
	"context"
	"errors"
	"iter"
	"log/slog"

	"github.com/adklive/adklive/agent/tool"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
)

// ErrLLMCallsExceeded is wrapped by the error that ends a run whose model
// completed more turns than RunConfig.MaxLLMCalls allows.
var ErrLLMCallsExceeded = errors.New("flow: LLM call limit exceeded")

// Params is one live run of one agent.
type Params struct {
	// Model is the live model to connect to.
	Model Model
	// Author is the agent's name: the author of the model's events.
	Author string
	// InvocationID is shared by every event of the run.
	InvocationID string
	// Branch is copied onto every event.
	Branch string
	// Instruction is the system instruction; "" sends none.
	Instruction string
	// Tools are declared to the model; function tools are executed when
	// the model calls them.
	Tools []tool.Tool
	// RunConfig is the run's settings.
	RunConfig runconfig.RunConfig
	// History is the session's events, oldest first, used to seed the
	// conversation.
	History []*event.Event
	// Queue is the run's input, already claimed by the caller.
	Queue *livequeue.Queue
	// Logger receives debug records; nil discards them.
	Logger *slog.Logger
}

// Run runs one live conversation and yields its events.
func Run(ctx context.Context, p Params) iter.Seq2[*event.Event, error] {
	return func(yield func(*event.Event, error) bool) {
		yield(nil, errors.New("flow: not implemented yet"))
	}
}

// Persist reports whether ev belongs in the session.
func Persist(ev *event.Event) bool { return false }
