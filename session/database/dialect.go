package database

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/ncruces/go-sqlite3"
	sqlitedriver "github.com/ncruces/go-sqlite3/driver"
)

// Dialect names the SQL dialect a [Service] speaks. It is chosen from the
// *sql.DB's driver when [Config.Dialect] is empty.
type Dialect string

// The dialects a Service speaks.
const (
	// SQLite, through github.com/ncruces/go-sqlite3/driver (driver name
	// "sqlite3").
	SQLite Dialect = "sqlite"
	// PostgreSQL, through github.com/jackc/pgx/v5/stdlib (driver name "pgx").
	PostgreSQL Dialect = "postgres"
	// MySQL and MariaDB, through github.com/go-sql-driver/mysql (driver name
	// "mysql").
	MySQL Dialect = "mysql"
)

// detectDialect returns the dialect of db's driver.
func detectDialect(db *sql.DB) (Dialect, error) {
	switch d := db.Driver().(type) {
	case *sqlitedriver.SQLite:
		return SQLite, nil
	case *stdlib.Driver:
		return PostgreSQL, nil
	case *mysql.MySQLDriver:
		return MySQL, nil
	default:
		return "", fmt.Errorf("session/database: cannot tell the SQL dialect of driver %T; set Config.Dialect to %q, %q or %q",
			d, SQLite, PostgreSQL, MySQL)
	}
}

// types are the column types of one dialect.
type types struct {
	// name is an indexed string: an app name, user id, session id or state
	// key. MySQL compares VARBINARY byte for byte, as Go does, where its
	// text collations would fold case.
	name string
	// blob holds JSON: an event or a state value. PostgreSQL's text keeps
	// it as written (jsonb would refuse \u0000 and reorder keys); MySQL's
	// LONGBLOB takes it without charset conversion.
	blob string
	// int64 holds microseconds since the Unix epoch and sequence numbers.
	int64 string
	// tableSuffix ends every CREATE TABLE.
	tableSuffix string
}

// typesOf returns the column types of d.
func typesOf(d Dialect) types {
	switch d {
	case MySQL:
		return types{name: "VARBINARY(255)", blob: "LONGBLOB", int64: "BIGINT", tableSuffix: " ENGINE=InnoDB"}
	case PostgreSQL:
		return types{name: "TEXT", blob: "TEXT", int64: "BIGINT"}
	default:
		return types{name: "TEXT", blob: "TEXT", int64: "INTEGER"}
	}
}

// rebind turns the ? placeholders of query into d's: $1, $2… for
// PostgreSQL. Queries of this package never hold a literal question mark.
func rebind(d Dialect, query string) string {
	if d != PostgreSQL {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// upsert returns the statement that inserts a row into table, or replaces
// the value column of the row with the same key.
func upsert(d Dialect, table string, keys []string, value string) string {
	cols := append(append([]string(nil), keys...), value)
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", table, strings.Join(cols, ", "), marks)
	if d == MySQL {
		return q + fmt.Sprintf(" ON DUPLICATE KEY UPDATE %s = VALUES(%s)", value, value)
	}
	return q + fmt.Sprintf(" ON CONFLICT (%s) DO UPDATE SET %s = excluded.%s", strings.Join(keys, ", "), value, value)
}

// isDuplicate reports whether err is MySQL's duplicate-key error. The
// other dialects insert with ON CONFLICT DO NOTHING and count the rows.
func isDuplicate(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == 1062
}

// isRetryable reports whether err says that the database rolled the
// transaction back because of another one, so running it again may
// succeed: a deadlock or a serialization failure, or SQLite's busy or
// locked database.
func isRetryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40P01" || pe.Code == "40001"
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1213
	}
	return errors.Is(err, sqlite3.BUSY) || errors.Is(err, sqlite3.LOCKED)
}
