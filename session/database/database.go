package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/adklive/adklive/session"
)

// DefaultTablePrefix starts the name of every table of a [Service] whose
// [Config.TablePrefix] is empty.
const DefaultTablePrefix = "adklive_"

// Config configures a [Service]. The zero value is ready to use.
type Config struct {
	// Dialect is the database's SQL dialect. Empty chooses it from the
	// *sql.DB's driver, which must then be one of those [Dialect] names.
	Dialect Dialect
	// TablePrefix starts the name of each table and index of the service,
	// so that several services, or other programs, can share one
	// database. It is letters, digits and underscores, starting with a
	// letter, at most 32 characters. Empty means [DefaultTablePrefix].
	TablePrefix string
}

// validPrefix reports whether p may be a Config.TablePrefix: table names
// are not parameters, so the prefix must be safe to write into SQL as it
// is.
func validPrefix(p string) bool {
	if len(p) == 0 || len(p) > 32 {
		return false
	}
	for i, r := range p {
		letter := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
		if !letter && (i == 0 || r != '_' && (r < '0' || r > '9')) {
			return false
		}
	}
	return true
}

// Service is a [session.Service] that stores sessions in a SQL database,
// so that they outlive the process and replicas sharing the database see
// the same sessions. It is safe for concurrent use.
//
// It uses the *sql.DB it was given as it is, never changing its pool
// settings, and never closes it.
type Service struct {
	db      *sql.DB
	dialect Dialect
	prefix  string
	tables  tables
	q       queries
}

// Service implements session.Service.
var _ session.Service = (*Service)(nil)

// New returns a service that stores sessions in db, after creating or
// migrating its tables there (see the package documentation). ctx bounds
// the migration only.
func New(ctx context.Context, db *sql.DB, cfg Config) (*Service, error) {
	if db == nil {
		return nil, errors.New("session/database: New: nil *sql.DB")
	}
	prefix := cfg.TablePrefix
	if prefix == "" {
		prefix = DefaultTablePrefix
	}
	if !validPrefix(prefix) {
		return nil, fmt.Errorf("session/database: Config.TablePrefix %q is not letters, digits and underscores starting with a letter, at most 32 long", prefix)
	}
	d := cfg.Dialect
	switch d {
	case "":
		var err error
		if d, err = detectDialect(db); err != nil {
			return nil, err
		}
	case SQLite, PostgreSQL, MySQL:
	default:
		return nil, fmt.Errorf("session/database: Config.Dialect %q is not %q, %q or %q", d, SQLite, PostgreSQL, MySQL)
	}
	s := &Service{db: db, dialect: d, prefix: prefix, tables: newTables(prefix)}
	s.q = newQueries(d, s.tables)
	if err := s.migrate(ctx); err != nil {
		return nil, fmt.Errorf("session/database: %s: %w", d, err)
	}
	return s, nil
}

// Dialect returns the SQL dialect the service speaks.
func (s *Service) Dialect() Dialect { return s.dialect }

// maxAttempts bounds how often a transaction that the database rolled back
// for a deadlock or a busy SQLite database is run again.
const maxAttempts = 8

// inTx runs f in a transaction and commits it, running it again when the
// database rolled it back because of another transaction (see
// isRetryable). f must be safe to run again.
func (s *Service) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	var opts *sql.TxOptions
	if s.dialect == MySQL {
		// InnoDB's default, REPEATABLE READ, takes gap locks that make
		// concurrent upserts of new keys deadlock.
		opts = &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	}
	for attempt := 1; ; attempt++ {
		err := s.tryTx(ctx, opts, f)
		if err == nil || !isRetryable(err) || attempt == maxAttempts {
			return err
		}
		// Back off a little, more each time, so the other transaction
		// finishes first.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt) * time.Millisecond):
		}
	}
}

// tryTx runs f in one transaction and commits it.
func (s *Service) tryTx(ctx context.Context, opts *sql.TxOptions, f func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	return tx.Commit()
}

// ignoreDone drops sql.ErrTxDone, which Rollback returns when the context's
// end already rolled the transaction back.
func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// micros returns t as microseconds since the Unix epoch, as stored.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros is the inverse of micros, in UTC.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }
