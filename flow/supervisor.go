package flow

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow/live"
)

// supervise opens the run's first connection and, each time the current
// link ends, decides whether the run ends or goes on over a new link:
// after a retryable drop it reconnects with backoff, after a goAway it
// hands over at once; both resume from the newest handle when there is
// one, and seed a fresh session with the history otherwise. It runs on
// the run's one long-lived goroutine, which is also the current link's
// receive loop. It returns nil for the ends the caller asked for (queue
// closed, consumer gone), callerCtx's error when that ended, and
// otherwise the error that ended the run.
func (r *run) supervise(callerCtx, ctx context.Context) error {
	conn, err := r.connect(r.req)
	if err != nil && r.getHandle() != "" && refusesHandle(err) {
		// The handle the run was started from expired: go on from the
		// history.
		r.log.Info("flow: the server refused the resumption handle; seeding a fresh session", "error", err)
		r.setHandle("")
		r.req = r.nextRequest()
		conn, err = r.connect(r.req)
	}
	if err != nil {
		if r.stopped() {
			return r.endErr(callerCtx, nil)
		}
		return fmt.Errorf("flow: connecting to model %q: %w", r.cur().model.Name(), err)
	}
	resumed, seeded := r.req.Setup.SessionResumption != nil && r.req.Setup.SessionResumption.Handle != "", len(r.req.History) > 0
	r.watchSessionLimit()
	for n := 1; ; n++ {
		l := r.install(ctx, conn, n, resumed, seeded)
		cause := r.receive(l)
		l.end(cause)
		cause = l.cause // the first cause wins: a stuck write, a keepalive
		r.uninstall(l)
		if !r.mapper.flush() || !r.tools.linkEnded(l) {
			l.conn.Close()
			return r.endErr(callerCtx, nil)
		}
		switch {
		case callerCtx.Err() != nil || r.stopped() || r.queueClosed.Load() || errors.Is(cause, errRunOver) || r.out.over():
			l.conn.Close()
			r.reportUndelivered()
			return r.endErr(callerCtx, nil)
		case errors.Is(cause, ErrLLMCallsExceeded):
			l.conn.Close()
			return cause
		}
		if sw := r.switchTo.Swap(nil); sw != nil {
			// A function response handed the run over (see leave),
			// whatever else ended the link meanwhile.
			l.conn.Close()
			if sw.end {
				r.reportUndelivered()
				return r.endErr(callerCtx, nil)
			}
			conn, seeded, err = r.moveTo(l, sw.to)
			if err != nil || conn == nil {
				r.reportUndelivered()
				return r.endErr(callerCtx, err)
			}
			resumed = false
			continue
		}
		switch {
		case !r.reconnectable(cause):
			l.conn.Close()
			return fmt.Errorf("flow: live connection to model %q ended: %w", r.cur().model.Name(), cause)
		}
		r.log.Info("flow: connection ended; reconnecting", "link", n, "cause", cause)
		l.conn.Close() // a normal closure, which a resume needs first
		conn, resumed, seeded, err = r.reconnect(l, cause)
		if err != nil || conn == nil {
			r.reportUndelivered()
			return r.endErr(callerCtx, err)
		}
	}
}

// endErr returns the error the run ends with: callerCtx's when it ended,
// else err.
func (r *run) endErr(callerCtx context.Context, err error) error {
	if e := callerCtx.Err(); e != nil {
		return e
	}
	return err
}

// reconnectable reports whether a link that ended for cause is replaced.
func (r *run) reconnectable(cause error) bool {
	if r.cfg.Reconnect.Disabled {
		return false
	}
	return errors.Is(cause, errHandover) || live.Retryable(cause) || live.Quota(cause)
}

// reconnect opens the link that replaces old, which ended for cause:
// after a backoff (none for a goAway handover's first attempt), at most
// RunConfig.Reconnect.MaxAttempts times. It resumes from the newest
// handle when there is one; a handle the server refuses is dropped and
// the next attempt seeds a fresh session with the history. It returns a
// nil connection and nil error when the run was stopped meanwhile.
func (r *run) reconnect(old *link, cause error) (conn live.Conn, resumed, seeded bool, err error) {
	handover := errors.Is(cause, errHandover)
	reason := causeText(cause)
	last := cause
	for attempt := 1; ; attempt++ {
		if !r.cfg.Reconnect.AttemptAllowed(attempt) {
			r.putReconnect(event.Reconnect{State: event.ReconnectGaveUp, Cause: reason, Attempt: attempt - 1})
			return nil, false, false, fmt.Errorf("flow: live connection to model %q ended and %d reconnection attempts failed: %w",
				r.cur().model.Name(), attempt-1, last)
		}
		var wait time.Duration
		switch {
		case handover && attempt == 1:
		case live.Quota(last):
			wait = r.cfg.Reconnect.QuotaBackoff(attempt, nil)
		default:
			wait = r.cfg.Reconnect.Backoff(attempt, nil)
		}
		if !r.putReconnect(event.Reconnect{State: event.ReconnectStarted, Cause: reason, Attempt: attempt, Backoff: wait}) || !r.sleep(wait) {
			return nil, false, false, nil
		}
		req := r.nextRequest()
		var conn live.Conn
		var err error
		if d := r.takePredialed(); d != nil && handover && attempt == 1 {
			if conn, err = r.connectDialed(d, req); err != nil {
				r.log.Info("flow: the connection dialled early failed its setup; dialling again", "error", err)
				conn, err = r.connect(req)
			}
		} else {
			if d != nil {
				d.Close()
			}
			conn, err = r.connect(req)
		}
		if err == nil {
			resumed = req.Setup.SessionResumption != nil && req.Setup.SessionResumption.Handle != ""
			r.carryOver(old, resumed)
			r.log.Info("flow: reconnected", "attempt", attempt, "resumed", resumed)
			if !r.putReconnect(event.Reconnect{State: event.ReconnectSucceeded, Cause: reason, Attempt: attempt, Resumed: resumed}) {
				conn.Close()
				return nil, false, false, nil
			}
			return conn, resumed, len(req.History) > 0, nil
		}
		if r.stopped() {
			return nil, false, false, nil
		}
		r.log.Info("flow: reconnection attempt failed", "attempt", attempt, "error", err)
		last = err
		if !live.Retryable(err) && !live.Quota(err) {
			if h := r.getHandle(); h != "" && refusesHandle(err) {
				// The server refused the handle (expired, unknown): the
				// conversation goes on from the history instead.
				r.log.Info("flow: the server refused the resumption handle; seeding a fresh session", "error", err)
				r.setHandle("")
				continue
			}
			r.putReconnect(event.Reconnect{State: event.ReconnectGaveUp, Cause: causeText(err), Attempt: attempt})
			return nil, false, false, fmt.Errorf("flow: reconnecting to model %q: %w", r.cur().model.Name(), err)
		}
	}
}

// carryOver moves what the old link owed the session to the new one: on a
// resumed session, the messages the server did not consume (transparent
// resumption) or sent after the handle, which go first; on a fresh
// session, nothing of the journal, and no user turn that was already
// yielded, since the history holds it.
func (r *run) carryOver(old *link, resumed bool) {
	old.waitWrites(r.cfg.WriteTimeout)
	lacked := old.unconsumed() // seals the journal: a late write is held instead
	if resumed {
		r.held.prepend(lacked)
		return
	}
	r.held.filter(func(m *message) bool { return m.content == nil || !m.announced })
}

// nextRequest returns the connect request of the next link: the current
// agent's setup, resuming from the newest handle when there is one, and
// otherwise with the whole conversation as history.
func (r *run) nextRequest() *live.ConnectRequest {
	setup := *r.cur().setup
	req := &live.ConnectRequest{Setup: &setup}
	h := r.getHandle()
	if sr := setup.SessionResumption; sr != nil {
		c := *sr
		c.Handle = h
		setup.SessionResumption = &c
	}
	if h == "" {
		req.History = r.p.history(r.conversation(), r.cur().name)
	}
	return req
}

// connect opens one connection within RunConfig.ConnectTimeout; closing
// the queue ends the attempt at once.
func (r *run) connect(req *live.ConnectRequest) (live.Conn, error) {
	ctx, cancel := context.WithTimeout(r.stopCtx, r.cfg.ConnectTimeout)
	defer cancel()
	model := r.cur().model
	conn, err := shallow(func() (live.Conn, error) { return model.Connect(ctx, req) })
	if err != nil && errors.Is(err, context.DeadlineExceeded) && r.stopCtx.Err() == nil {
		err = &linkError{msg: fmt.Sprintf("connecting took longer than RunConfig.ConnectTimeout (%v)", r.cfg.ConnectTimeout), err: err}
	}
	return conn, err
}

// predialMaxAge is how long a transport dialled early for a handover is
// used: one left unused longer may have been dropped by the server.
const predialMaxAge = 10 * time.Second

// predial dials the replacement of a connection the server is retiring,
// when the model can dial ahead of the setup (live.Dialer), so the
// handover waits only for the setup. The setup itself waits for the
// switch: it carries the newest handle, and the service refuses to resume
// a session whose previous connection is still open.
func (r *run) predial() {
	d, ok := r.cur().model.(live.Dialer)
	if !ok {
		return
	}
	r.bg.Add(1)
	go func() {
		defer r.bg.Done()
		ctx, cancel := context.WithTimeout(r.stopCtx, r.cfg.ConnectTimeout)
		defer cancel()
		dialed, err := d.Dial(ctx)
		if err != nil {
			r.log.Debug("flow: dialling the replacement early failed", "error", err)
			return
		}
		r.pdMu.Lock()
		old := r.predialed
		r.predialed, r.pdAt = dialed, time.Now()
		r.pdMu.Unlock()
		if old != nil {
			old.Close()
		}
	}()
}

// takePredialed returns the transport dialled early, if it is fresh
// enough, and forgets it; a stale one is closed.
func (r *run) takePredialed() live.Dialed {
	r.pdMu.Lock()
	d, at := r.predialed, r.pdAt
	r.predialed = nil
	r.pdMu.Unlock()
	if d != nil && time.Since(at) > predialMaxAge {
		d.Close()
		return nil
	}
	return d
}

// connectDialed sends the setup on a transport dialled early, within
// RunConfig.ConnectTimeout.
func (r *run) connectDialed(d live.Dialed, req *live.ConnectRequest) (live.Conn, error) {
	ctx, cancel := context.WithTimeout(r.stopCtx, r.cfg.ConnectTimeout)
	defer cancel()
	return shallow(func() (live.Conn, error) { return d.Connect(ctx, req) })
}

// shallow runs connect on a goroutine of its own and waits for it. A
// dial (HTTP, TLS, the WebSocket upgrade) runs deep: on the run's
// long-lived goroutine it would grow that goroutine's stack for good, and
// an idle run would keep the larger stack.
func shallow(connect func() (live.Conn, error)) (live.Conn, error) {
	type result struct {
		conn live.Conn
		err  error
	}
	done := make(chan result, 1)
	go func() {
		conn, err := connect()
		done <- result{conn, err}
	}()
	res := <-done
	return res.conn, res.err
}

// sleep waits d, or until the run is stopped; it reports false then.
func (r *run) sleep(d time.Duration) bool {
	if d <= 0 {
		return !r.stopped()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.stopCtx.Done():
		return false
	}
}

// putReconnect yields a reconnection event.
func (r *run) putReconnect(rc event.Reconnect) bool {
	ev := r.stamp.event(r.cur().name)
	ev.Reconnect = &rc
	return r.put(ev)
}

// causeText describes why a link ended, for a Reconnect event.
func causeText(cause error) string {
	if errors.Is(cause, errHandover) {
		return "goAway"
	}
	return cause.Error()
}

// install makes conn the current link and starts sending what was held.
func (r *run) install(ctx context.Context, conn live.Conn, n int, resumed, seeded bool) *link {
	l := r.newLink(conn, n, resumed, seeded)
	r.stamp.setSessionID(conn.SessionID())
	r.link.Store(l)
	if ctx.Err() != nil || r.stopped() {
		conn.Close() // the run ended while connecting: the receive loop sees it
	} else if r.switchTo.Load() != nil {
		// A function response handed the run over while this link was
		// being opened (see leave): it ends at once.
		l.end(errAgentSwitch)
		conn.Close()
	}
	if msgs, bytes := r.held.takeDropped(); msgs > 0 {
		r.warn(event.WarningHeldAudioDropped, fmt.Sprintf(
			"%d audio chunks (%d bytes) sent while the connection was down were dropped: more than RunConfig.MaxHeldAudioBytes (%d) was held",
			msgs, bytes, r.cfg.MaxHeldAudioBytes))
	}
	r.sender.kick()
	return l
}

// uninstall makes the run hold its input until the next link.
func (r *run) uninstall(l *link) {
	r.link.CompareAndSwap(l, nil)
	l.stopTimers()
}

// current returns the link to send on, or nil while the connection is
// down.
func (r *run) current() *link {
	if l := r.link.Load(); l != nil && !l.isOver() {
		return l
	}
	return nil
}

// stopped reports whether the queue was closed (or the run ended), which
// stops connecting and reconnecting.
func (r *run) stopped() bool { return r.stopCtx.Err() != nil }

// stopConnecting ends a connection attempt or backoff in progress.
func (r *run) stopConnecting() { r.stopFn() }

// warn yields a warning event.
func (r *run) warn(code, msg string) bool {
	r.log.Warn("flow: "+msg, "code", code)
	ev := r.stamp.event(r.cur().name)
	ev.Warning = &event.Warning{Code: code, Message: msg}
	return r.put(ev)
}

// reportUndelivered warns about input still held when the run ends.
func (r *run) reportUndelivered() {
	if n := r.held.len(); n > 0 {
		r.warn(event.WarningInputNotDelivered, fmt.Sprintf(
			"%d messages sent while the connection to the model was down were not delivered: the run ended first", n))
	}
}

// Session duration limits of the Live API without context window
// compression.
const (
	geminiAudioSessionLimit = 15 * time.Minute
	geminiVideoSessionLimit = 2 * time.Minute
	vertexSessionLimit      = 10 * time.Minute
)

// watchSessionLimit arranges the warning before the session duration limit
// when context window compression is off: at the video limit if video was
// sent by then, else at the audio limit.
func (r *run) watchSessionLimit() {
	if r.cfg.ContextWindowCompression != nil || r.cfg.SessionLimitWarning < 0 {
		return
	}
	start := time.Now()
	warnAt := func(limit time.Duration) time.Duration { return max(limit-r.cfg.SessionLimitWarning, 0) }
	limit := geminiVideoSessionLimit
	if r.backend == genai.BackendVertexAI {
		limit = vertexSessionLimit
	}
	var check func()
	check = func() {
		switch {
		case r.out.over():
		case limit == geminiVideoSessionLimit && !r.sentVideo.Load():
			limit = geminiAudioSessionLimit
			r.limitTimer.Reset(max(warnAt(limit)-time.Since(start), 0))
		default:
			r.warn(event.WarningSessionLimit, fmt.Sprintf(
				"the session reaches the service's %v duration limit in about %v: context window compression (RunConfig.ContextWindowCompression) is off",
				limit, (limit-time.Since(start)).Round(time.Second)))
		}
	}
	t := time.AfterFunc(time.Hour, check)
	t.Stop()
	r.limitTimer = t // before the timer can run check
	t.Reset(warnAt(limit))
}

// refusesHandle reports whether a failed connection attempt refused its
// session resumption handle (the Live API closes with 1007 naming
// setup.session_resumption), as opposed to any other fatal error.
func refusesHandle(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "session_resumption") || strings.Contains(msg, "sessionresumption")
}
