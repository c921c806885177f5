// Package database stores sessions in a SQL database through database/sql,
// so that conversations survive restarts and replicas that share the
// database serve the same sessions.
//
// It speaks three dialects: SQLite, through the pure-Go driver
// github.com/ncruces/go-sqlite3 (no cgo), the embedded default where a file path is
// all a user gives; PostgreSQL, through pgx's database/sql driver
// (github.com/jackc/pgx/v5/stdlib); and MySQL or MariaDB, through
// github.com/go-sql-driver/mysql. [Service] passes the conformance suite in
// package sessiontest on each, as the in-memory service does.
//
// # Opening
//
// [New] takes a *sql.DB the caller opened and keeps owning: the service
// never changes its pool settings and never closes it. [Open] opens one
// from a string such as "sqlite:/var/lib/app/sessions.db",
// "postgres://user:password@host/db" or "mysql://user:password@host/db"
// ("memory" gives [session.InMemory]), for command-line flags. For SQLite
// opened by hand, use [SQLiteDSN]: without a busy timeout, concurrent
// writers fail with "database is locked" instead of waiting.
//
// # Schema
//
// The service creates its tables, all named with [Config.TablePrefix]
// ("adklive_" by default): sessions, events, and the app's, the user's and
// the session's state, one row per key. The schema is versioned by
// forward-only migrations, recorded in the table schema_migrations; New
// applies those the database lacks. Replicas starting together are safe:
// on PostgreSQL and MySQL the migration holds a named lock (an advisory
// lock, GET_LOCK), and in SQLite each step's transaction holds the write
// lock. New refuses a database migrated by a newer version of this package.
//
// An event is stored as its JSON encoding from package event, so every
// field comes back, binary data included (as base64), beside indexed
// columns for the app, the user, the session, the event's sequence number
// and its timestamp in microseconds. State values are stored as JSON: what
// is not a JSON type comes back in its JSON form (see [session.State]).
// On MySQL, names (app, user, session, state key) are compared byte for
// byte and are at most 255 bytes long.
//
// # Concurrency
//
// A session's update time, in microseconds, is its version. An append
// moves it forward in an UPDATE whose WHERE clause compares it with the
// caller's [session.Session.LastUpdateTime], and stores the event and the
// state delta in the same transaction: an append through an outdated value
// fails with [session.ErrStale] and writes nothing, however many processes
// share the database. Shared ("app:", "user:") keys are written by upserts
// in a fixed order, so appends to different sessions never lose each
// other's keys. A transaction the database rolls back for a deadlock (or
// a busy SQLite file) is run again, a few times at most.
//
// Every statement is parameterised; only table names, checked when the
// service is made, are written into the SQL.
package database
