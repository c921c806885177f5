package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/artifact"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/internal/nilcheck"
	"github.com/adklive/adklive/session"
)

// ErrInvalidConfig is matched (with errors.Is) by every error [New] returns.
// The error's message names the missing or invalid field.
var ErrInvalidConfig = errors.New("runner: invalid config")

// Config configures a [Runner]. AppName, Agent and SessionService are
// required.
type Config struct {
	// AppName names the application; sessions are looked up and created
	// under it. Surrounding space is trimmed.
	AppName string

	// Agent is the root agent every live run starts with.
	Agent agent.Agent

	// SessionService stores the sessions and their events, for example
	// session.InMemory().
	SessionService session.Service

	// AutoCreateSession makes RunLive create a session that does not
	// exist instead of failing with session.ErrNotFound.
	AutoCreateSession bool

	// Plugins hold callbacks for every agent of every run: their tool and
	// model callbacks run before the agent's own, in order (see
	// flow.Callbacks). A plugin's nil callbacks are skipped.
	Plugins []Plugin

	// ArtifactService, when set, stores the artifacts tools save and load
	// through tool.Context.Artifacts, under the run's app, user and
	// session (for example artifact.InMemory()). Nil: tools' artifact
	// calls fail with tool.ErrNoArtifactService.
	ArtifactService artifact.Service

	// Logger receives the runner's log records and is handed to agents.
	// Nil means slog.Default().
	Logger *slog.Logger
}

// Plugin is a named set of callbacks that applies to every agent of a
// run (see flow.Plugin).
type Plugin = flow.Plugin

// Runner runs an agent live against stored sessions. Create one with [New];
// it is safe for concurrent use, and one Runner serves every live run of a
// process.
type Runner struct {
	appName    string
	root       agent.Agent
	sessions   session.Service
	autoCreate bool
	plugins    []Plugin
	artifacts  artifact.Service
	logger     *slog.Logger
}

// New checks cfg and returns a Runner. A missing field, or an Agent or
// SessionService that is a nil pointer behind its interface, yields an
// error matching [ErrInvalidConfig] that names it.
func New(cfg Config) (*Runner, error) {
	appName := strings.TrimSpace(cfg.AppName)
	switch {
	case appName == "":
		return nil, fmt.Errorf("%w: AppName is required", ErrInvalidConfig)
	case cfg.Agent == nil:
		return nil, fmt.Errorf("%w: Agent is required", ErrInvalidConfig)
	case nilcheck.TypedNil(cfg.Agent):
		return nil, fmt.Errorf("%w: Agent is a nil %T (was the error of agent.New checked?)", ErrInvalidConfig, cfg.Agent)
	case cfg.SessionService == nil:
		return nil, fmt.Errorf("%w: SessionService is required (for example session.InMemory())", ErrInvalidConfig)
	case nilcheck.TypedNil(cfg.SessionService):
		return nil, fmt.Errorf("%w: SessionService is a nil %T", ErrInvalidConfig, cfg.SessionService)
	case cfg.ArtifactService != nil && nilcheck.TypedNil(cfg.ArtifactService):
		return nil, fmt.Errorf("%w: ArtifactService is a nil %T (leave it unset for no artifacts)", ErrInvalidConfig, cfg.ArtifactService)
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	return &Runner{
		appName:    appName,
		root:       cfg.Agent,
		sessions:   cfg.SessionService,
		autoCreate: cfg.AutoCreateSession,
		plugins:    slices.Clone(cfg.Plugins),
		artifacts:  cfg.ArtifactService,
		logger:     logger,
	}, nil
}

// AppName returns the application name sessions are stored under.
func (r *Runner) AppName() string { return r.appName }

// Agent returns the root agent.
func (r *Runner) Agent() agent.Agent { return r.root }

// ArtifactService returns the service that stores tools' artifacts, nil
// when the runner has none.
func (r *Runner) ArtifactService() artifact.Service { return r.artifacts }

// SessionService returns the service that stores the runner's sessions.
func (r *Runner) SessionService() session.Service { return r.sessions }

// GetOrCreateSession returns the user's session sessionID, creating it
// (empty) when it does not exist; an empty sessionID creates a session with
// a random UUID. Concurrent calls for the same new id all get the same
// session. It is what an application calls when a client connects, before
// RunLive, when it wants the session's id or state.
func (r *Runner) GetOrCreateSession(ctx context.Context, userID, sessionID string) (*session.Session, error) {
	userID = strings.TrimSpace(userID)
	if userID == "" {
		return nil, errUserIDRequired
	}
	s, err := session.GetOrCreate(ctx, r.sessions, r.appName, userID, strings.TrimSpace(sessionID), nil)
	if err != nil {
		return nil, fmt.Errorf("runner: get or create session: %w", err)
	}
	return s, nil
}

// errUserIDRequired reports an empty user id.
var errUserIDRequired = fmt.Errorf("runner: userID is required: %w", session.ErrInvalidArgument)
