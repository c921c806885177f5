package session_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
)

// FuzzInMemoryNames checks that any strings a client sends as app, user,
// session id and state key (they often come from a URL) are either
// rejected as missing or round-trip through Create, AppendEvent and Get.
func FuzzInMemoryNames(f *testing.F) {
	f.Add("bidi-demo", "user-1", "session-1", "topic")
	f.Add(" app ", "\tuser\n", "  ", "temp:x")
	f.Add("app", "user", "../../etc/passwd", "app:")
	f.Add("", "user", "id", "user:name")
	f.Add("app", "ユーザー", "セッション 1", "\x00")
	f.Fuzz(func(t *testing.T, appName, userID, sessionID, stateKey string) {
		ctx := t.Context()
		svc := session.InMemory()
		s, err := svc.Create(ctx, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: sessionID})
		if strings.TrimSpace(appName) == "" || strings.TrimSpace(userID) == "" {
			if !errors.Is(err, session.ErrInvalidArgument) {
				t.Fatalf("Create(%q, %q): error %v, want ErrInvalidArgument", appName, userID, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Create(%q, %q, %q): %v", appName, userID, sessionID, err)
		}
		if want := strings.TrimSpace(sessionID); want != "" && s.ID != want {
			t.Fatalf("Create(%q).ID = %q, want %q", sessionID, s.ID, want)
		}

		ev := event.New("e-fuzz", "agent")
		ev.Actions.StateDelta = map[string]any{stateKey: "v"}
		if _, err := svc.AppendEvent(ctx, s, ev); err != nil {
			t.Fatalf("AppendEvent: %v", err)
		}
		got, err := svc.Get(ctx, &session.GetRequest{AppName: appName, UserID: userID, SessionID: s.ID})
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		_, stored := got.State[stateKey]
		if want := session.ScopeOf(stateKey) != session.ScopeTemp; stored != want {
			t.Fatalf("key %q stored = %v, want %v", stateKey, stored, want)
		}
		if len(got.Events) != 1 || got.Events[0].ID != ev.ID {
			t.Fatalf("stored events %+v, want the appended one", got.Events)
		}
	})
}
