package database

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/adklive/adklive/session"
)

func TestOpen(t *testing.T) {
	t.Run("Memory", func(t *testing.T) {
		svc, closeFn, err := Open(t.Context(), "memory", Config{})
		if err != nil {
			t.Fatal(err)
		}
		defer closeFn()
		if _, ok := svc.(*Service); ok {
			t.Errorf("Open(memory) = %T, want the in-memory service", svc)
		}
	})

	t.Run("SQLiteSurvivesReopening", func(t *testing.T) {
		// A file path is all it takes, directories included.
		path := filepath.Join(t.TempDir(), "a", "b", "sessions.db")
		svc, closeFn, err := Open(t.Context(), "sqlite:"+path, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Create(t.Context(), &session.CreateRequest{AppName: "app", UserID: "u", SessionID: "kept", State: session.State{"k": "v"}}); err != nil {
			t.Fatal(err)
		}
		if err := closeFn(); err != nil {
			t.Fatal(err)
		}
		svc, closeFn, err = Open(t.Context(), "sqlite:"+path, Config{})
		if err != nil {
			t.Fatal(err)
		}
		defer closeFn()
		got, err := svc.Get(t.Context(), &session.GetRequest{AppName: "app", UserID: "u", SessionID: "kept"})
		if err != nil || got.State["k"] != "v" {
			t.Fatalf("Get after reopening: %+v, %v; want the session with state k=v", got, err)
		}
	})

	t.Run("Servers", func(t *testing.T) {
		for _, b := range backends()[1:] {
			t.Run(b.name, func(t *testing.T) {
				_, spec := b.open(t)
				prefix := "open_" + strings.ToLower(b.name[:2]) + "_"
				svc, closeFn, err := Open(t.Context(), spec, Config{TablePrefix: prefix})
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				defer closeFn()
				defer func() {
					for _, table := range svc.(*Service).tables.all() {
						svc.(*Service).db.Exec("DROP TABLE IF EXISTS " + table)
					}
				}()
				if _, err := svc.List(t.Context(), &session.ListRequest{AppName: "app"}); err != nil {
					t.Errorf("List: %v", err)
				}
			})
		}
	})
}

func TestOpenErrors(t *testing.T) {
	// Nothing listens on port 1 of the loopback address.
	for _, c := range []struct {
		name, spec string
		want       []string
	}{
		{"UnknownScheme", "oracle://scott:s3cr3t-pw@host/db", []string{"want memory, sqlite:PATH"}},
		{"NoScheme", "sessions.db", []string{"want memory, sqlite:PATH"}},
		{"MemoryWithPath", "memory:/tmp/x", []string{"memory takes nothing"}},
		{"SQLiteWithoutPath", "sqlite:", []string{"sqlite: wants a file path"}},
		{"PostgresUnreachable", "postgres://scott:s3cr3t-pw@127.0.0.1:1/db?connect_timeout=5", []string{"postgres", "cannot connect"}},
		{"PostgresMalformed", "postgres://scott:s3cr3t-pw@127.0.0.1:notaport/db", []string{"postgres"}},
		{"MySQLUnreachable", "mysql://scott:s3cr3t-pw@127.0.0.1:1/db?timeout=5s", []string{"mysql", "cannot connect"}},
		{"MySQLNoDatabase", "mysql://scott:s3cr3t-pw@127.0.0.1:1", []string{"mysql", "database is missing"}},
		{"MySQLBadParameter", "mysql://scott:s3cr3t-pw@127.0.0.1:1/db?timeout=soon", []string{"mysql", "bad parameters"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			_, _, err := Open(ctx, c.spec, Config{})
			if err == nil {
				t.Fatalf("Open(%q) succeeded", c.spec)
			}
			t.Log(err)
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

func TestOpenSQLiteUnwritableDirectory(t *testing.T) {
	if os.Getuid() == 0 {
		// root writes anywhere: use a path under a regular file instead.
		file := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(file, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		_, _, err := Open(t.Context(), "sqlite:"+filepath.Join(file, "sessions.db"), Config{})
		if err == nil || !strings.Contains(err.Error(), "sqlite") {
			t.Errorf("Open under a file: error %v, want one naming sqlite", err)
		}
		return
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	_, _, err := Open(t.Context(), "sqlite:"+filepath.Join(dir, "sub", "sessions.db"), Config{})
	if err == nil || !strings.Contains(err.Error(), "sqlite") {
		t.Errorf("Open in an unwritable directory: error %v, want one naming sqlite", err)
	}
}
