package database

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adklive/adklive/session"
	"github.com/adklive/adklive/session/sessiontest"
	"github.com/google/uuid"
)

// The environment variables that name the servers the tests use. CI sets
// them, and sets requireServersEnv so that a missing one fails the tests
// instead of skipping them.
const (
	postgresEnv       = "ADKLIVE_TEST_POSTGRES_DSN" // postgres://user:password@host:port/database
	mysqlEnv          = "ADKLIVE_TEST_MYSQL_DSN"    // mysql://user:password@host:port/database
	requireServersEnv = "ADKLIVE_TEST_REQUIRE_SQL"
)

// backend opens one kind of database for the tests.
type backend struct {
	name string
	// open returns the database and the Open spec of a fresh database
	// for one test, or skips t.
	open func(t testing.TB) (*sql.DB, string)
}

// backends are the databases the tests run on: SQLite always, the servers
// when their variables are set.
func backends() []backend {
	return []backend{
		{"SQLite", openSQLiteForTest},
		{"PostgreSQL", func(t testing.TB) (*sql.DB, string) { return openServer(t, postgresEnv) }},
		{"MySQL", func(t testing.TB) (*sql.DB, string) { return openServer(t, mysqlEnv) }},
	}
}

// openSQLiteForTest opens a new SQLite file in a temporary directory.
func openSQLiteForTest(t testing.TB) (*sql.DB, string) {
	path := filepath.Join(t.TempDir(), "sessions.db")
	db, err := sql.Open("sqlite3", SQLiteDSN(path))
	if err != nil {
		t.Fatalf("opening SQLite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, "sqlite:" + path
}

// openServer opens the server that the variable env names, or skips t
// (fails it when CI requires the servers).
func openServer(t testing.TB, env string) (*sql.DB, string) {
	t.Helper()
	spec := os.Getenv(env)
	if spec == "" {
		if os.Getenv(requireServersEnv) != "" {
			t.Fatalf("%s is not set, and %s requires the SQL servers", env, requireServersEnv)
		}
		t.Skipf("%s is not set: set it to a test database's URL to run these tests on that server", env)
	}
	var db *sql.DB
	var err error
	if strings.HasPrefix(spec, "mysql:") {
		db, err = openMySQL(spec)
	} else {
		db, err = sql.Open("pgx", spec)
	}
	if err != nil {
		t.Fatalf("%s: %s", env, redact(spec, err.Error()))
	}
	t.Cleanup(func() { db.Close() })
	return db, spec
}

// newTestService returns a service on fresh tables of db, dropped when t
// ends.
func newTestService(t testing.TB, db *sql.DB) *Service {
	t.Helper()
	// Random, so that tests and runs sharing a server do not collide.
	prefix := "t" + strings.ReplaceAll(uuid.NewString(), "-", "")[:16] + "_"
	svc, err := New(t.Context(), db, Config{TablePrefix: prefix})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		for _, table := range svc.tables.all() {
			if _, err := db.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+table); err != nil {
				t.Errorf("dropping %s: %v", table, err)
			}
		}
	})
	return svc
}

func TestConformance(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			if b.name == "SQLite" {
				// A fresh file for each test.
				sessiontest.Run(t, func(t *testing.T) session.Service {
					db, _ := b.open(t)
					return newTestService(t, db)
				})
				return
			}
			db, _ := b.open(t)
			sessiontest.Run(t, func(t *testing.T) session.Service { return newTestService(t, db) })
		})
	}
}
