package sessiontest

import (
	"testing"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"github.com/google/go-cmp/cmp"
)

func testState(t *testing.T, newService NewService) {
	t.Run("DeltaAppliesByScope", func(t *testing.T) {
		svc := newService(t)
		s1 := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: "u1", SessionID: "s1"})
		for _, req := range []*session.CreateRequest{
			{AppName: appName, UserID: "u1", SessionID: "s2"},
			{AppName: appName, UserID: "u2", SessionID: "s3"},
			{AppName: "other-app", UserID: "u1", SessionID: "s4"},
		} {
			mustCreate(t, svc, req)
		}

		ev := deltaEvent("noted", map[string]any{
			"app:theme": "dark", "user:name": "Ada", "count": 1.0, "temp:scratch": "in flight",
		})
		got := mustAppend(t, svc, s1, ev)

		wantDelta := map[string]any{"app:theme": "dark", "user:name": "Ada", "count": 1.0, "temp:scratch": "in flight"}
		if diff := cmp.Diff(wantDelta, got.Actions.StateDelta); diff != "" {
			t.Errorf("returned event's StateDelta (-want +got):\n%s", diff)
		}
		if diff := cmpState(session.State(wantDelta), s1.State); diff != "" {
			t.Errorf("caller's State, which keeps temp: keys for the invocation (-want +got):\n%s", diff)
		}
		stored := mustGet(t, svc, appName, "u1", "s1")
		if diff := cmp.Diff(map[string]any{"app:theme": "dark", "user:name": "Ada", "count": 1.0}, stored.Events[0].Actions.StateDelta); diff != "" {
			t.Errorf("stored event's StateDelta, without temp: keys (-want +got):\n%s", diff)
		}

		for _, c := range []struct {
			app, user, id string
			want          session.State
		}{
			{appName, "u1", "s1", session.State{"app:theme": "dark", "user:name": "Ada", "count": 1.0}},
			{appName, "u1", "s2", session.State{"app:theme": "dark", "user:name": "Ada"}},
			{appName, "u2", "s3", session.State{"app:theme": "dark"}},
			{"other-app", "u1", "s4", session.State{}},
		} {
			if diff := cmpState(c.want, mustGet(t, svc, c.app, c.user, c.id).State); diff != "" {
				t.Errorf("state of %s/%s/%s (-want +got):\n%s", c.app, c.user, c.id, diff)
			}
		}
		later := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: "u1", SessionID: "s5"})
		if diff := cmpState(session.State{"app:theme": "dark", "user:name": "Ada"}, later.State); diff != "" {
			t.Errorf("state of a session created later (-want +got):\n%s", diff)
		}
	})

	t.Run("TempOnlyDeltaStoresNothing", func(t *testing.T) {
		svc := newService(t)
		s := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1", State: session.State{"kept": "yes"}})
		mustAppend(t, svc, s, deltaEvent("scratch", map[string]any{"temp:a": "x", "temp:b": 2.0}))
		stored := mustGet(t, svc, appName, userID, "s1")
		if diff := cmpState(session.State{"kept": "yes"}, stored.State); diff != "" {
			t.Errorf("stored state (-want +got):\n%s", diff)
		}
		if len(stored.Events) != 1 || len(stored.Events[0].Actions.StateDelta) != 0 {
			t.Errorf("stored events %+v, want one with no state delta", stored.Events)
		}
	})

	t.Run("LaterValuesReplaceEarlier", func(t *testing.T) {
		svc := newService(t)
		s := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1",
			State: session.State{"count": 0.0, "app:version": "1"}})
		mustAppend(t, svc, s, deltaEvent("one", map[string]any{"count": 1.0, "prefs": map[string]any{"a": 1.0}}))
		mustAppend(t, svc, s, deltaEvent("two", map[string]any{"count": 2.0, "prefs": map[string]any{"b": 2.0}, "app:version": "2"}))
		want := session.State{"count": 2.0, "prefs": map[string]any{"b": 2.0}, "app:version": "2"}
		for name, got := range map[string]session.State{"caller's": s.State, "stored": mustGet(t, svc, appName, userID, "s1").State} {
			if diff := cmpState(want, got); diff != "" {
				t.Errorf("%s state (-want +got):\n%s", name, diff)
			}
		}
	})

	t.Run("SharedKeysReachOtherSessions", func(t *testing.T) {
		svc := newService(t)
		a := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "a"})
		b := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "b"})
		mustAppend(t, svc, a, deltaEvent("set", map[string]any{"user:lang": "es", "app:motd": "hola"}))
		// Shared keys changing does not make b stale: b's own history did
		// not move.
		mustAppend(t, svc, b, textEvent(event.AuthorUser, "still current"))
		if diff := cmpState(session.State{"user:lang": "es", "app:motd": "hola"}, mustGet(t, svc, appName, userID, "b").State); diff != "" {
			t.Errorf("state of the other session (-want +got):\n%s", diff)
		}
	})
}
