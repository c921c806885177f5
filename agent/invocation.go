package agent

import (
	"log/slog"

	"github.com/adklive/adklive/artifact"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/session"
)

// InvocationContext describes one live run (one invocation) to the agent
// that executes it. The runner builds it; an agent reads it and must not
// modify it, except that the runner updates Session as it persists the
// run's events.
type InvocationContext struct {
	// InvocationID identifies the run: "e-" followed by a UUID, shared by
	// every event of the run (see event.NewInvocationID).
	InvocationID string

	// Branch is the dot-separated path of agent names from the root agent
	// to the agent running, used to keep sub-agents' histories apart. It
	// is "" for the root agent, as in ADK.
	Branch string

	// AppName names the application the session belongs to.
	AppName string

	// UserID identifies the user the run talks to.
	UserID string

	// Session is the session of the run as it was when the run started:
	// its Events are the conversation so far. The runner appends the
	// run's persisted events to it from the goroutine that ranges over
	// the run; an agent that reads it must do so before yielding its
	// first event.
	Session *session.Session

	// SessionService stores Session.
	SessionService session.Service

	// ArtifactService stores the artifacts tools save and load through
	// tool.Context.Artifacts; nil when the runner has none.
	ArtifactService artifact.Service

	// Queue carries the user's input into the run. The runner has already
	// claimed it for this run.
	Queue *livequeue.Queue

	// RunConfig holds the run's live settings, with defaults applied and
	// validated.
	RunConfig runconfig.RunConfig

	// Agent is the agent the run executes.
	Agent Agent

	// Plugins are the runner's plugins: callbacks for every agent of the
	// run, which run before the agent's own (see flow.Callbacks).
	Plugins []flow.Plugin

	// Logger receives the run's log records. It is never nil in a context
	// built by the runner.
	Logger *slog.Logger
}
