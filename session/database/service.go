package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"github.com/google/uuid"
)

// Create implements [session.Service.Create].
func (s *Service) Create(ctx context.Context, req *session.CreateRequest) (*session.Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalidArgument("nil CreateRequest")
	}
	k, err := session.NewKey(req.AppName, req.UserID, req.SessionID, "")
	if err != nil {
		return nil, err
	}
	if k.ID == "" {
		k.ID = uuid.NewString()
	}
	app, user, sess, err := encodeScopes(req.State)
	if err != nil {
		return nil, err
	}

	var out *session.Session
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		now := micros(time.Now())
		res, err := tx.ExecContext(ctx, s.q.insertSession, k.AppName, k.UserID, k.ID, now, now)
		if isDuplicate(err) {
			return fmt.Errorf("%w: %v", session.ErrAlreadyExists, k)
		}
		if err != nil {
			return fmt.Errorf("storing session %v: %w", k, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("%w: %v", session.ErrAlreadyExists, k)
		}
		if err := s.writeState(ctx, tx, k, app, user, sess); err != nil {
			return err
		}
		state, err := s.mergedState(ctx, tx, k)
		if err != nil {
			return err
		}
		out = &session.Session{AppName: k.AppName, UserID: k.UserID, ID: k.ID, State: state, LastUpdateTime: fromMicros(now)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// writeState upserts the encoded keys of each scope for session k, app
// keys first, then user keys, then the session's.
func (s *Service) writeState(ctx context.Context, tx *sql.Tx, k session.Key, app, user, sess []encodedState) error {
	for _, e := range app {
		if _, err := tx.ExecContext(ctx, s.q.upsertApp, k.AppName, e.key, e.value); err != nil {
			return fmt.Errorf("storing state key %q of app %q: %w", e.key, k.AppName, err)
		}
	}
	for _, e := range user {
		if _, err := tx.ExecContext(ctx, s.q.upsertUser, k.AppName, k.UserID, e.key, e.value); err != nil {
			return fmt.Errorf("storing state key %q of user %q: %w", e.key, k.UserID, err)
		}
	}
	for _, e := range sess {
		if _, err := tx.ExecContext(ctx, s.q.upsertSession, k.AppName, k.UserID, k.ID, e.key, e.value); err != nil {
			return fmt.Errorf("storing state key %q of session %v: %w", e.key, k, err)
		}
	}
	return nil
}

// querier is what both *sql.DB and *sql.Tx offer for reading.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// mergedState reads the app's, the user's and the session's state of k.
func (s *Service) mergedState(ctx context.Context, q querier, k session.Key) (session.State, error) {
	rows, err := q.QueryContext(ctx, s.q.mergedState, k.AppName, k.AppName, k.UserID, k.AppName, k.UserID, k.ID)
	if err != nil {
		return nil, fmt.Errorf("reading the state of session %v: %w", k, err)
	}
	defer rows.Close()
	state := session.State{}
	for rows.Next() {
		var name string
		var value []byte
		if err := rows.Scan(&name, &value); err != nil {
			return nil, fmt.Errorf("reading the state of session %v: %w", k, err)
		}
		if err := decodeValue(state, name, value); err != nil {
			return nil, fmt.Errorf("session %v: %w", k, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the state of session %v: %w", k, err)
	}
	return state, nil
}

// Get implements [session.Service.Get].
func (s *Service) Get(ctx context.Context, req *session.GetRequest) (*session.Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalidArgument("nil GetRequest")
	}
	k, err := session.NewKey(req.AppName, req.UserID, req.SessionID, "SessionID")
	if err != nil {
		return nil, err
	}
	if req.NumRecentEvents < 0 {
		return nil, invalidArgument("NumRecentEvents is %d, want 0 (all) or more", req.NumRecentEvents)
	}

	var updated, last int64
	err = s.db.QueryRowContext(ctx, s.q.sessionRow, k.AppName, k.UserID, k.ID).Scan(&updated, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound(k)
	}
	if err != nil {
		return nil, fmt.Errorf("reading session %v: %w", k, err)
	}
	state, err := s.mergedState(ctx, s.db, k)
	if err != nil {
		return nil, err
	}
	// The events up to the session's last when it was read, so that they
	// match its update time even if an append lands meanwhile.
	first := int64(0)
	if req.NumRecentEvents > 0 {
		first = max(0, last-int64(req.NumRecentEvents))
	}
	after := int64(math.MinInt64)
	if !req.After.IsZero() {
		after = micros(req.After)
		if req.After.Nanosecond()%1000 != 0 {
			after++ // stored times are whole microseconds: round up
		}
	}
	events, err := s.readEvents(ctx, k, last, first, after)
	if err != nil {
		return nil, err
	}
	return &session.Session{AppName: k.AppName, UserID: k.UserID, ID: k.ID, State: state, Events: events, LastUpdateTime: fromMicros(updated)}, nil
}

// readEvents reads the events of session k whose sequence numbers are in
// (first, last] and whose times are at or after after, oldest first.
func (s *Service) readEvents(ctx context.Context, k session.Key, last, first, after int64) ([]*event.Event, error) {
	rows, err := s.db.QueryContext(ctx, s.q.selectEvents, k.AppName, k.UserID, k.ID, last, first, after)
	if err != nil {
		return nil, fmt.Errorf("reading the events of session %v: %w", k, err)
	}
	defer rows.Close()
	events := make([]*event.Event, 0, min(last-first, 1024))
	for rows.Next() {
		var us int64
		var data []byte
		if err := rows.Scan(&us, &data); err != nil {
			return nil, fmt.Errorf("reading the events of session %v: %w", k, err)
		}
		ev, err := decodeEvent(data, us)
		if err != nil {
			return nil, fmt.Errorf("session %v: %w", k, err)
		}
		events = append(events, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the events of session %v: %w", k, err)
	}
	return events, nil
}

// Delete implements [session.Service.Delete].
func (s *Service) Delete(ctx context.Context, req *session.DeleteRequest) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if req == nil {
		return invalidArgument("nil DeleteRequest")
	}
	k, err := session.NewKey(req.AppName, req.UserID, req.SessionID, "SessionID")
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q.deleteSession, k.AppName, k.UserID, k.ID)
		if err != nil {
			return fmt.Errorf("deleting session %v: %w", k, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return notFound(k)
		}
		for _, q := range []string{s.q.deleteEvents, s.q.deleteStates} {
			if _, err := tx.ExecContext(ctx, q, k.AppName, k.UserID, k.ID); err != nil {
				return fmt.Errorf("deleting session %v: %w", k, err)
			}
		}
		return nil
	})
}

// AppendEvent implements [session.Service.AppendEvent]. The update of the
// session's version, compared with the caller's in the same statement, the
// event and its state delta are written in one transaction, so that
// processes sharing the database never lose an update.
func (s *Service) AppendEvent(ctx context.Context, sess *session.Session, ev *event.Event) (*event.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if sess == nil {
		return nil, invalidArgument("nil Session")
	}
	if ev == nil {
		return nil, invalidArgument("nil Event")
	}
	if ev.Partial {
		return ev, nil
	}
	k, err := session.NewKey(sess.AppName, sess.UserID, sess.ID, "Session.ID")
	if err != nil {
		return nil, err
	}
	session.FillIdentity(ev)
	data, err := encodeEvent(ev)
	if err != nil {
		return nil, err
	}
	app, user, own, err := encodeScopes(ev.Actions.StateDelta)
	if err != nil {
		return nil, err
	}
	seen := micros(sess.LastUpdateTime)
	if sess.LastUpdateTime.IsZero() {
		seen = math.MinInt64 // a hand-made value has seen nothing
	}

	var updated int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		// Writing first takes the session's row lock (SQLite's write
		// lock), so nothing changes it between this and the commit.
		now := micros(time.Now())
		res, err := tx.ExecContext(ctx, s.q.bumpSession, now, now, k.AppName, k.UserID, k.ID, seen)
		if err != nil {
			return fmt.Errorf("updating session %v: %w", k, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return s.staleOrMissing(ctx, tx, k, sess.LastUpdateTime)
		}
		var seq int64
		if err := tx.QueryRowContext(ctx, s.q.sessionRow, k.AppName, k.UserID, k.ID).Scan(&updated, &seq); err != nil {
			return fmt.Errorf("reading session %v: %w", k, err)
		}
		if _, err := tx.ExecContext(ctx, s.q.insertEvent, k.AppName, k.UserID, k.ID, seq, ev.ID, micros(ev.Timestamp), data); err != nil {
			return fmt.Errorf("storing event %q of session %v: %w", ev.ID, k, err)
		}
		return s.writeState(ctx, tx, k, app, user, own)
	})
	if err != nil {
		return nil, err
	}
	applyEvent(sess, ev, fromMicros(updated))
	return ev, nil
}

// staleOrMissing returns the error for an append whose update matched no
// row: ErrStale if session k exists (so it was updated after seen),
// ErrNotFound if not.
func (s *Service) staleOrMissing(ctx context.Context, tx *sql.Tx, k session.Key, seen time.Time) error {
	var updated, seq int64
	err := tx.QueryRowContext(ctx, s.q.sessionRow, k.AppName, k.UserID, k.ID).Scan(&updated, &seq)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return notFound(k)
	case err != nil:
		return fmt.Errorf("reading session %v: %w", k, err)
	}
	return fmt.Errorf("%w: %v was updated at %s, after the caller's copy of %s; get it again",
		session.ErrStale, k, fromMicros(updated).Format(time.RFC3339Nano), seen.Format(time.RFC3339Nano))
}
