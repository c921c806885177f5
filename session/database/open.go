package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/adklive/adklive/session"
	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"       // registers the "pgx" driver
	_ "github.com/ncruces/go-sqlite3/driver" // registers the "sqlite3" driver
)

// SQLiteDSN returns the github.com/ncruces/go-sqlite3 data source name [Open] uses for
// the database file at path: write-ahead logging, so that readers do not
// wait for a writer, and a busy timeout of ten seconds, so that writers
// from several connections or processes wait for each other instead of
// failing.
func SQLiteDSN(path string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
}

// Open returns the session service that spec names, and the function that
// releases what Open opened. spec is one of:
//
//   - "memory": [session.InMemory], which keeps nothing after the process;
//   - "sqlite:PATH": SQLite in the file PATH, created with its directory
//     when missing (see [SQLiteDSN]);
//   - "postgres://…" or "postgresql://…": PostgreSQL, with a pgx connection
//     string;
//   - "mysql://USER:PASSWORD@HOST[:PORT]/DATABASE[?PARAMS]": MySQL or
//     MariaDB, PARAMS being go-sql-driver/mysql's.
//
// Open connects and migrates the tables before it returns, so a malformed
// or unreachable database fails here, with an error that names the
// backend and the problem but never the password. cfg.Dialect is ignored.
func Open(ctx context.Context, spec string, cfg Config) (session.Service, func() error, error) {
	scheme, rest, _ := strings.Cut(spec, ":")
	var (
		db      *sql.DB
		dialect Dialect
		err     error
	)
	switch strings.ToLower(scheme) {
	case "memory":
		if rest != "" {
			return nil, nil, fmt.Errorf("session/database: %q: memory takes nothing after it", spec)
		}
		return session.InMemory(), func() error { return nil }, nil
	case "sqlite":
		dialect = SQLite
		db, err = openSQLite(rest)
	case "postgres", "postgresql":
		dialect = PostgreSQL
		db, err = sql.Open("pgx", spec)
	case "mysql":
		dialect = MySQL
		db, err = openMySQL(spec)
	default:
		return nil, nil, fmt.Errorf("session/database: sessions %q: want memory, sqlite:PATH, postgres://… or mysql://…", redact(spec, spec))
	}
	if err != nil {
		return nil, nil, fmt.Errorf("session/database: %s: %s", dialect, redact(spec, err.Error()))
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, nil, openError(ctx, dialect, spec, "cannot connect", err)
	}
	cfg.Dialect = dialect
	svc, err := New(ctx, db, cfg)
	if err != nil {
		db.Close()
		return nil, nil, openError(ctx, dialect, spec, "cannot set up the tables", err)
	}
	return svc, db.Close, nil
}

// openError returns the error of an Open of spec that failed at what,
// without spec's password. It wraps ctx's error when ctx ended, and no
// other: the driver's error may carry the password.
func openError(ctx context.Context, d Dialect, spec, what string, err error) error {
	msg := fmt.Sprintf("session/database: %s: %s: %s", d, what, redact(spec, err.Error()))
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s: %w", msg, ctxErr)
	}
	return errors.New(msg)
}

// redact returns s with the password of the URL spec, if any, replaced.
func redact(spec, s string) string {
	u, err := url.Parse(spec)
	if err != nil || u.User == nil {
		return s
	}
	if p, ok := u.User.Password(); ok && p != "" {
		s = strings.ReplaceAll(s, p, "xxxxx")
		if esc := url.QueryEscape(p); esc != p {
			s = strings.ReplaceAll(s, esc, "xxxxx")
		}
		if esc := url.PathEscape(p); esc != p {
			s = strings.ReplaceAll(s, esc, "xxxxx")
		}
	}
	return s
}

// openSQLite opens the SQLite database file at path, creating its
// directory.
func openSQLite(path string) (*sql.DB, error) {
	path = strings.TrimPrefix(path, "//")
	if path == "" {
		return nil, errors.New("wants a file path, as in sqlite:/var/lib/app/sessions.db")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("creating the directory of %s: %w", path, err)
		}
	}
	return sql.Open("sqlite3", SQLiteDSN(path))
}

// openMySQL opens the MySQL database a mysql:// URL names.
func openMySQL(spec string) (*sql.DB, error) {
	u, err := url.Parse(spec)
	if err != nil {
		return nil, errors.New("malformed URL: want mysql://USER:PASSWORD@HOST[:PORT]/DATABASE")
	}
	c := mysql.NewConfig()
	if u.User != nil {
		c.User = u.User.Username()
		c.Passwd, _ = u.User.Password()
	}
	c.Net = "tcp"
	c.Addr = u.Host
	if u.Port() == "" && u.Host != "" {
		c.Addr = net.JoinHostPort(u.Hostname(), "3306")
	}
	c.DBName = strings.TrimPrefix(u.Path, "/")
	if c.Addr == "" || c.DBName == "" {
		return nil, errors.New("want mysql://USER:PASSWORD@HOST[:PORT]/DATABASE: the host or the database is missing")
	}
	dsn := c.FormatDSN()
	if u.RawQuery != "" {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + u.RawQuery
	}
	if c, err = mysql.ParseDSN(dsn); err != nil {
		return nil, fmt.Errorf("bad parameters: %w", err)
	}
	conn, err := mysql.NewConnector(c)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(conn), nil
}
