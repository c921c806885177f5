package database

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"
)

// fullEvent returns an event with every field set, binary data with every
// byte value among them.
func fullEvent() *event.Event {
	blob := make([]byte, 256)
	for i := range blob {
		blob[i] = byte(i)
	}
	return &event.Event{
		ID:           "ev-full",
		InvocationID: "e-full",
		Author:       "agent",
		Timestamp:    time.Date(2025, 6, 1, 12, 0, 0, 123456000, time.UTC),
		Branch:       "root.agent",
		Content: &genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{
			{Text: "héllo \u0000 wörld 🌍"},
			{InlineData: &genai.Blob{MIMEType: "audio/pcm;rate=24000", Data: blob}},
			{FunctionCall: &genai.FunctionCall{ID: "call-1", Name: "get_weather", Args: map[string]any{"city": "Madrid", "days": 3.0}}},
			{FunctionResponse: &genai.FunctionResponse{ID: "call-1", Name: "get_weather", Response: map[string]any{"forecast": []any{"sun", nil, true}}}},
		}},
		TurnComplete:        true,
		Interrupted:         true,
		GenerationComplete:  true,
		InputTranscription:  &genai.Transcription{Text: "what's the weather?", Finished: true},
		OutputTranscription: &genai.Transcription{Text: "sunny"},
		UsageMetadata:       &genai.UsageMetadata{PromptTokenCount: 10, TotalTokenCount: 42},
		ErrorCode:           "E42",
		ErrorMessage:        "something",
		FinishReason:        genai.FinishReasonStop,
		CustomMetadata:      map[string]any{"k": map[string]any{"nested": 1.5}},
		LongRunningToolIDs:  []string{"call-1"},
		Actions: event.Actions{
			StateDelta:        map[string]any{"count": 2.0, "app:x": "y", "user:z": []any{"a"}},
			ArtifactDelta:     map[string]int64{"report.pdf": 3},
			TransferToAgent:   "other",
			Escalate:          true,
			SkipSummarization: true,
		},
		LiveSessionResumptionUpdate: &genai.LiveServerSessionResumptionUpdate{NewHandle: "handle-1", Resumable: true},
		// genai's JSON keeps TimeLeft to the second, as the wire does.
		GoAway:               &genai.LiveServerGoAway{TimeLeft: 2 * time.Second},
		ToolCallCancellation: &genai.LiveServerToolCallCancellation{IDs: []string{"call-2"}},
		LiveSessionID:        "live-1",
		Reconnect:            &event.Reconnect{State: event.ReconnectState("reconnecting"), Cause: "goAway", Attempt: 2, Backoff: 250 * time.Millisecond, Resumed: true},
		Warning:              &event.Warning{Code: "W1", Message: "careful"},
	}
}

func TestEventsAreStoredWithoutLoss(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			db, _ := b.open(t)
			svc := newTestService(t, db)
			s, err := svc.Create(t.Context(), &session.CreateRequest{AppName: "app", UserID: "u", SessionID: "s"})
			if err != nil {
				t.Fatal(err)
			}
			far := fullEvent()
			far.ID = "ev-far"
			// Float seconds lose microseconds this far out; the stored
			// time must not.
			far.Timestamp = time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)
			for _, ev := range []*event.Event{fullEvent(), far} {
				if _, err := svc.AppendEvent(t.Context(), s, ev); err != nil {
					t.Fatalf("AppendEvent: %v", err)
				}
			}
			got, err := svc.Get(t.Context(), &session.GetRequest{AppName: "app", UserID: "u", SessionID: "s"})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]*event.Event{fullEvent(), far}, got.Events); diff != "" {
				t.Errorf("stored events (-appended +got):\n%s", diff)
			}
		})
	}
}

func TestTwoServicesShareTheDatabase(t *testing.T) {
	// Two services on two pools stand for two replicas: what one writes
	// the other reads, and an append through an older value is stale
	// whichever replica made it.
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			db1, spec := b.open(t)
			svc1 := newTestService(t, db1)
			db2, _ := b.open(t)
			if b.name == "SQLite" {
				var err error
				if db2, err = sql.Open("sqlite3", SQLiteDSN(strings.TrimPrefix(spec, "sqlite:"))); err != nil {
					t.Fatal(err)
				}
				defer db2.Close()
			}
			svc2, err := New(t.Context(), db2, Config{TablePrefix: svc1.prefix})
			if err != nil {
				t.Fatalf("New on the second pool: %v", err)
			}

			s1, err := svc1.Create(t.Context(), &session.CreateRequest{AppName: "app", UserID: "u", SessionID: "s"})
			if err != nil {
				t.Fatal(err)
			}
			s2, err := svc2.Get(t.Context(), &session.GetRequest{AppName: "app", UserID: "u", SessionID: "s"})
			if err != nil {
				t.Fatalf("Get on the second replica: %v", err)
			}
			if _, err := svc2.AppendEvent(t.Context(), s2, benchEvent(1)); err != nil {
				t.Fatalf("AppendEvent on the second replica: %v", err)
			}
			if _, err := svc1.AppendEvent(t.Context(), s1, benchEvent(2)); !errors.Is(err, session.ErrStale) {
				t.Fatalf("AppendEvent through the first replica's older value: error %v, want ErrStale", err)
			}
			s1, err = svc1.Get(t.Context(), &session.GetRequest{AppName: "app", UserID: "u", SessionID: "s"})
			if err != nil || len(s1.Events) != 1 {
				t.Fatalf("Get on the first replica: %v events, error %v; want 1", len(s1.Events), err)
			}
		})
	}
}

func TestNew(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			db, _ := b.open(t)
			svc := newTestService(t, db)

			t.Run("AgainIsANoOp", func(t *testing.T) {
				// Replicas starting together all migrate.
				var wg sync.WaitGroup
				errs := make([]error, 4)
				for i := range errs {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, errs[i] = New(t.Context(), db, Config{TablePrefix: svc.prefix})
					}()
				}
				wg.Wait()
				if err := errors.Join(errs...); err != nil {
					t.Fatalf("New on migrated tables: %v", err)
				}
				var n int
				q := fmt.Sprintf("SELECT COUNT(*) FROM %s", svc.tables.migrations)
				if err := db.QueryRowContext(t.Context(), q).Scan(&n); err != nil || n != len(migrations()) {
					t.Errorf("%s has %d rows (error %v), want %d", svc.tables.migrations, n, err, len(migrations()))
				}
			})

			t.Run("NewerSchemaIsRefused", func(t *testing.T) {
				q := rebind(svc.dialect, fmt.Sprintf("INSERT INTO %s (version, name, applied_time) VALUES (?, ?, ?)", svc.tables.migrations))
				if _, err := db.ExecContext(t.Context(), q, 99, "from the future", 0); err != nil {
					t.Fatal(err)
				}
				_, err := New(t.Context(), db, Config{TablePrefix: svc.prefix})
				if err == nil || !strings.Contains(err.Error(), "version 99") {
					t.Errorf("New on a newer schema: error %v, want one naming version 99", err)
				}
			})

			t.Run("PoolSettingsAreKept", func(t *testing.T) {
				db.SetMaxOpenConns(3)
				if _, err := New(t.Context(), db, Config{TablePrefix: "other_" + svc.prefix[:8]}); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() {
					for _, table := range newTables("other_" + svc.prefix[:8]).all() {
						db.Exec("DROP TABLE IF EXISTS " + table)
					}
				})
				if got := db.Stats().MaxOpenConnections; got != 3 {
					t.Errorf("MaxOpenConnections = %d after New, want the caller's 3", got)
				}
			})
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	db, _ := openSQLiteForTest(t)
	for _, c := range []struct {
		name string
		db   *sql.DB
		cfg  Config
		want string
	}{
		{"NilDB", nil, Config{}, "nil *sql.DB"},
		{"PrefixWithQuote", db, Config{TablePrefix: "x'; DROP TABLE y; --"}, "TablePrefix"},
		{"PrefixStartingWithDigit", db, Config{TablePrefix: "1x"}, "TablePrefix"},
		{"LongPrefix", db, Config{TablePrefix: strings.Repeat("a", 33)}, "TablePrefix"},
		{"UnknownDialect", db, Config{Dialect: "oracle"}, "Dialect"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(t.Context(), c.db, c.cfg)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("New: error %v, want one naming %s", err, c.want)
			}
		})
	}
}
