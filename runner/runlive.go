package runner

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"maps"
	"strings"

	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/internal/logattr"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/session"
)

// RunLive runs the root agent live on the user's session sessionID, reading
// the user's input from q, and yields the events of the run.
//
// Before anything is dialled, RunLive trims the ids, applies cfg's defaults
// and validates it for the model's backend (an invalid cfg yields an error
// matching runconfig.ErrInvalid that names the field), looks the session up
// (a missing one yields an error matching session.ErrNotFound, unless the
// runner auto-creates sessions; an empty sessionID then creates one with a
// random UUID), and claims q (a queue that another run claimed yields an
// error matching livequeue.ErrClaimed; a queue closed before any run
// claimed it is accepted: the run sends what was queued before the close,
// then ends without an error). The run gets a fresh invocation id, shared
// by all its events.
//
// Every event carries cfg.CustomMetadata (merged under the event's own
// keys; the map is shared between events, so treat it as read-only). The
// events runner.Persist selects are appended to the session, applying their
// state deltas, before they are yielded. If another writer appended to the
// session meanwhile (session.ErrStale), the runner reloads the session and
// appends again; events the run produced before ctx ended are still stored
// (trying for at most a few seconds). An event that cannot be stored ends
// the run with the storage error.
//
// The sequence ends with no error when q is closed and the run has drained,
// with ctx's error when ctx ends, and with the run's error when it fails;
// an error is always the last element. Breaking out of the range loop ends
// the run. Either way, no goroutine of the run is left when the range
// statement finishes, and q is closed, so producers still sending learn
// from livequeue.ErrClosed that the run is over.
//
// The work starts when the sequence is ranged over, and the sequence can be
// ranged over once: q can serve only one run.
func (r *Runner) RunLive(ctx context.Context, userID, sessionID string, q *livequeue.Queue, cfg runconfig.RunConfig) iter.Seq2[*event.Event, error] {
	return func(yield func(*event.Event, error) bool) {
		ic, err := r.start(ctx, userID, sessionID, q, cfg)
		if err != nil {
			yield(nil, err)
			return
		}
		defer q.Close()
		log := ic.Logger
		log.DebugContext(ctx, "live run started", "agent", r.root.Name())
		err = r.forward(ctx, ic, yield)
		log.DebugContext(ctx, "live run ended", "agent", r.root.Name(), "err", err)
	}
}

// start does everything RunLive does before it runs the agent, and returns
// the run's invocation context.
func (r *Runner) start(ctx context.Context, userID, sessionID string, q *livequeue.Queue, cfg runconfig.RunConfig) (*agent.InvocationContext, error) {
	userID = strings.TrimSpace(userID)
	sessionID = strings.TrimSpace(sessionID)
	switch {
	case userID == "":
		return nil, errUserIDRequired
	case sessionID == "" && !r.autoCreate:
		return nil, fmt.Errorf("runner: sessionID is required unless Config.AutoCreateSession is set: %w", session.ErrInvalidArgument)
	case q == nil:
		return nil, errors.New("runner: RunLive needs a queue (livequeue.New())")
	}
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(backendOf(r.root)); err != nil {
		return nil, fmt.Errorf("runner: %w", err)
	}
	s, err := r.lookup(ctx, userID, sessionID)
	if err != nil {
		return nil, err
	}
	if err := q.Claim(queueCheck(cfg)); err != nil {
		return nil, fmt.Errorf("runner: RunLive needs a new queue per run: %w", err)
	}
	invocationID := event.NewInvocationID()
	return &agent.InvocationContext{
		InvocationID:    invocationID,
		AppName:         r.appName,
		UserID:          userID,
		Session:         s,
		SessionService:  r.sessions,
		ArtifactService: r.artifacts,
		Queue:           q,
		RunConfig:       cfg,
		Agent:           r.root,
		Plugins:         r.plugins,
		Logger: logattr.With(r.logger,
			slog.String("app", r.appName),
			slog.String("user_id", userID),
			slog.String("session_id", s.ID),
			slog.String("invocation_id", invocationID),
		),
	}, nil
}

// lookup returns the session RunLive runs on, creating it when the runner
// auto-creates sessions.
func (r *Runner) lookup(ctx context.Context, userID, sessionID string) (*session.Session, error) {
	if r.autoCreate {
		return r.GetOrCreateSession(ctx, userID, sessionID)
	}
	s, err := r.sessions.Get(ctx, &session.GetRequest{AppName: r.appName, UserID: userID, SessionID: sessionID})
	if err != nil {
		return nil, fmt.Errorf("runner: %w", err)
	}
	return s, nil
}

// forward runs the root agent and hands its events to yield. The events
// Persist selects are stored in order by a storer, off the way to the
// caller. When the caller stops ranging, the run is cancelled and ranged
// over to its end without yielding, so what it flushes as it ends (the
// text pending mid-turn) is stored too. It returns the error that ended
// the run, which it has yielded, or nil.
func (r *Runner) forward(ctx context.Context, ic *agent.InvocationContext, yield func(*event.Event, error) bool) error {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	st := newStorer(ctx, r, ic, cancel)
	metadata := ic.RunConfig.CustomMetadata
	ranging := true
	var runErr error
	for ev, err := range r.root.RunLive(runCtx, ic) {
		if err != nil {
			runErr = err
			break
		}
		if ev == nil {
			continue
		}
		addCustomMetadata(ev, metadata)
		if Persist(ev) {
			st.add(ev)
		}
		if ranging && !yield(ev, nil) {
			ranging = false
			cancel()
		}
	}
	if err := st.wait(); err != nil {
		// A storage failure cancelled the run: it is the reason it ended.
		runErr = err
	}
	if runErr != nil && ranging {
		yield(nil, runErr)
	}
	return runErr
}

// addCustomMetadata puts the run's custom metadata on ev. Keys ev already
// has win. Events without metadata of their own share md itself, and events
// that already carry every key of md (the flow stamps them) are left alone,
// so the common case allocates nothing.
func addCustomMetadata(ev *event.Event, md map[string]any) {
	switch {
	case len(md) == 0:
	case len(ev.CustomMetadata) == 0:
		ev.CustomMetadata = md
	case !hasKeys(ev.CustomMetadata, md):
		merged := make(map[string]any, len(md)+len(ev.CustomMetadata))
		maps.Copy(merged, md)
		maps.Copy(merged, ev.CustomMetadata)
		ev.CustomMetadata = merged
	}
}

// hasKeys reports whether m has every key of keys.
func hasKeys(m, keys map[string]any) bool {
	for k := range keys {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}

// backendReporter is a model that knows which backend it talks to, such as
// *gemini.Model.
type backendReporter interface {
	Backend() genai.Backend
}

// modelAgent is an agent backed by one model, such as *agent.LLMAgent.
type modelAgent interface {
	Model() live.Model
}

// backendOf returns the backend of a's model when a and its model report
// it, or genai.BackendUnspecified, which makes run config validation skip
// the backend-specific checks.
func backendOf(a agent.Agent) genai.Backend {
	if ma, ok := a.(modelAgent); ok {
		if br, ok := ma.Model().(backendReporter); ok {
			return br.Backend()
		}
	}
	return genai.BackendUnspecified
}
