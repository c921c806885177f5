package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"time"
)

// tables are the names of the service's tables, each with the configured
// prefix.
type tables struct {
	migrations, sessions, events, appStates, userStates, sessionStates string
}

// newTables returns the table names for prefix.
func newTables(prefix string) tables {
	return tables{
		migrations:    prefix + "schema_migrations",
		sessions:      prefix + "sessions",
		events:        prefix + "events",
		appStates:     prefix + "app_states",
		userStates:    prefix + "user_states",
		sessionStates: prefix + "session_states",
	}
}

// all returns every table, the migrations table last.
func (t tables) all() []string {
	return []string{t.events, t.sessionStates, t.sessions, t.userStates, t.appStates, t.migrations}
}

// migration is one forward step of the schema. Its statements are
// idempotent (IF NOT EXISTS), so a step that MySQL committed statement by
// statement and that stopped halfway can run again.
type migration struct {
	version int
	name    string
	stmts   func(d Dialect, t tables, prefix string) []string
}

// migrations returns every schema step, oldest first; versions count
// from 1. Never change one that has shipped: add another.
func migrations() []migration {
	return []migration{
		{version: 1, name: "sessions, events and state by scope", stmts: schemaV1},
	}
}

// schemaV1 creates the sessions, their events and the three scopes of
// state. Times are microseconds since the Unix epoch; an event is its JSON
// form from package event. A session's update_time is its version for
// optimistic concurrency and event_seq the sequence number of its last
// event.
func schemaV1(d Dialect, t tables, prefix string) []string {
	ty := typesOf(d)
	n, b, i := ty.name, ty.blob, ty.int64
	// MySQL has no CREATE INDEX IF NOT EXISTS: it gets its indexes inside
	// CREATE TABLE. Index names are per schema in PostgreSQL and SQLite,
	// so they carry the prefix.
	byUpdate, byTime := "", ""
	if d == MySQL {
		byUpdate = fmt.Sprintf(", INDEX %ssessions_by_update (app_name, update_time)", prefix)
		byTime = fmt.Sprintf(", INDEX %sevents_by_time (app_name, user_id, session_id, event_time)", prefix)
	}
	stmts := []string{
		fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
	app_name %s NOT NULL,
	user_id %s NOT NULL,
	session_id %s NOT NULL,
	create_time %s NOT NULL,
	update_time %s NOT NULL,
	event_seq %s NOT NULL,
	PRIMARY KEY (app_name, user_id, session_id)%s
)%s`, t.sessions, n, n, n, i, i, i, byUpdate, ty.tableSuffix),
		fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
	app_name %s NOT NULL,
	user_id %s NOT NULL,
	session_id %s NOT NULL,
	seq %s NOT NULL,
	event_id %s NOT NULL,
	event_time %s NOT NULL,
	data %s NOT NULL,
	PRIMARY KEY (app_name, user_id, session_id, seq)%s
)%s`, t.events, n, n, n, i, b, i, b, byTime, ty.tableSuffix),
		fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
	app_name %s NOT NULL,
	state_key %s NOT NULL,
	state_value %s NOT NULL,
	PRIMARY KEY (app_name, state_key)
)%s`, t.appStates, n, n, b, ty.tableSuffix),
		fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
	app_name %s NOT NULL,
	user_id %s NOT NULL,
	state_key %s NOT NULL,
	state_value %s NOT NULL,
	PRIMARY KEY (app_name, user_id, state_key)
)%s`, t.userStates, n, n, n, b, ty.tableSuffix),
		fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
	app_name %s NOT NULL,
	user_id %s NOT NULL,
	session_id %s NOT NULL,
	state_key %s NOT NULL,
	state_value %s NOT NULL,
	PRIMARY KEY (app_name, user_id, session_id, state_key)
)%s`, t.sessionStates, n, n, n, n, b, ty.tableSuffix),
	}
	if d != MySQL {
		stmts = append(stmts,
			fmt.Sprintf("CREATE INDEX IF NOT EXISTS %ssessions_by_update ON %s (app_name, update_time)", prefix, t.sessions),
			fmt.Sprintf("CREATE INDEX IF NOT EXISTS %sevents_by_time ON %s (app_name, user_id, session_id, event_time)", prefix, t.events),
		)
	}
	return stmts
}

// migrate brings the schema up to the newest version, recording each step
// in the migrations table. Replicas that start together may all call it:
// PostgreSQL and MySQL take a named lock for the duration, and in SQLite a
// step's transaction holds the database's write lock. It fails if the
// database was migrated by a newer version of this package.
func (s *Service) migrate(ctx context.Context) (err error) {
	t := s.tables
	ty := typesOf(s.dialect)
	create := fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (version %s NOT NULL PRIMARY KEY, name %s NOT NULL, applied_time %s NOT NULL)%s",
		t.migrations, ty.int64, ty.blob, ty.int64, ty.tableSuffix)
	if _, err := s.db.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("creating the table %s: %w", t.migrations, err)
	}

	unlock, err := s.lockSchema(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, unlock()) }()

	current, err := s.schemaVersion(ctx)
	if err != nil {
		return err
	}
	steps := migrations()
	if current > len(steps) {
		return fmt.Errorf("the database's schema is at version %d, newer than the %d this adklive knows: upgrade adklive", current, len(steps))
	}
	for _, m := range steps[current:] {
		if err := s.applyMigration(ctx, m); err != nil {
			return fmt.Errorf("schema migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// schemaVersion returns the newest version in the migrations table, 0 if
// none.
func (s *Service) schemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	q := fmt.Sprintf("SELECT MAX(version) FROM %s", s.tables.migrations)
	if err := s.db.QueryRowContext(ctx, q).Scan(&v); err != nil {
		return 0, fmt.Errorf("reading the schema version: %w", err)
	}
	return int(v.Int64), nil
}

// applyMigration runs one step and records it, in one transaction where
// the dialect's DDL is transactional. A step another process recorded
// first is skipped.
func (s *Service) applyMigration(ctx context.Context, m migration) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	// Recording first takes SQLite's write lock, so that a second process
	// waits here and then finds the step done.
	record := rebind(s.dialect, fmt.Sprintf("INSERT INTO %s (version, name, applied_time) VALUES (?, ?, ?)", s.tables.migrations))
	if s.dialect != MySQL {
		record += " ON CONFLICT (version) DO NOTHING"
		res, err := tx.ExecContext(ctx, record, m.version, m.name, time.Now().UnixMicro())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // another process applied it
		}
	}
	for _, stmt := range m.stmts(s.dialect, s.tables, s.prefix) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	if s.dialect == MySQL {
		// MySQL commits each DDL statement on its own; record the step
		// after them, so that a step cut short runs again.
		if _, err := tx.ExecContext(ctx, record, m.version, m.name, time.Now().UnixMicro()); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// lockSchema takes a lock, named after the table prefix, that keeps other
// processes from migrating the same tables at the same time, and returns
// the function that releases it. SQLite needs none.
func (s *Service) lockSchema(ctx context.Context) (unlock func() error, err error) {
	if s.dialect == SQLite {
		return func() error { return nil }, nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("taking the schema lock: %w", err)
	}
	name := s.prefix + "schema_migrations"
	switch s.dialect {
	case PostgreSQL:
		h := fnv.New64a()
		h.Write([]byte(name))
		key := int64(h.Sum64())
		if _, err = conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err == nil {
			return func() error {
				ctx, cancel := unlockContext(ctx)
				defer cancel()
				_, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", key)
				return releaseConn(conn, err)
			}, nil
		}
	case MySQL:
		var got sql.NullInt64
		// GET_LOCK waits at most its timeout; the context cancels it earlier.
		err = conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, ?)", name, 600).Scan(&got)
		if err == nil && got.Int64 != 1 {
			err = fmt.Errorf("GET_LOCK(%q) returned %v", name, got)
		}
		if err == nil {
			return func() error {
				ctx, cancel := unlockContext(ctx)
				defer cancel()
				_, err := conn.ExecContext(ctx, "SELECT RELEASE_LOCK(?)", name)
				return releaseConn(conn, err)
			}, nil
		}
	}
	conn.Close()
	return nil, fmt.Errorf("taking the schema lock: %w", err)
}

// unlockContext returns the context to release the schema lock in: ctx's
// values without its end, since the lock must go even when ctx ended, but
// bounded, since a database that does not answer must not hang New. A
// lock not released goes with its connection.
func unlockContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
}

// releaseConn returns the connection that held the schema lock to the
// pool, or, when releasing the lock failed with err, closes it, so that no
// pooled connection keeps the lock.
func releaseConn(conn *sql.Conn, err error) error {
	if err != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn }) //nolint:errcheck // it reports ErrBadConn
	}
	return errors.Join(err, conn.Close())
}
