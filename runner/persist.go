package runner

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
)

const (
	// persistGrace bounds how long the runner keeps trying to store the
	// last events of a run whose context has ended: the run produced them,
	// so they are stored, but a stuck store cannot hold the run open.
	persistGrace = 5 * time.Second

	// maxAppendAttempts bounds the appends of one event that fail because
	// another writer updated the session in between (session.ErrStale).
	maxAppendAttempts = 3
)

// persist appends ev to the run's session. If another writer appended to
// the same session meanwhile (for example a second connection on it), it
// reloads the session and appends again: a live conversation is an
// append-only log, and dropping what was said would be worse.
func (r *Runner) persist(ctx context.Context, ic *agent.InvocationContext, ev *event.Event) error {
	if ctx.Err() != nil {
		// The run is ending because ctx ended; what it produced until then
		// is still stored.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), persistGrace)
		defer cancel()
	}
	for attempt := 1; ; attempt++ {
		_, err := r.sessions.AppendEvent(ctx, ic.Session, ev)
		if err == nil {
			return nil
		}
		if !errors.Is(err, session.ErrStale) || attempt == maxAppendAttempts {
			return fmt.Errorf("runner: storing event %s in session %q: %w", ev.ID, ic.Session.ID, err)
		}
		ic.Logger.DebugContext(ctx, "session updated by another writer; reloading it", "event_id", ev.ID)
		fresh, err := r.sessions.Get(ctx, &session.GetRequest{AppName: ic.AppName, UserID: ic.UserID, SessionID: ic.Session.ID})
		if err != nil {
			return fmt.Errorf("runner: reloading session %q to store event %s: %w", ic.Session.ID, ev.ID, err)
		}
		*ic.Session = *fresh
	}
}
