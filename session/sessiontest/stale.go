package sessiontest

import (
	"errors"
	"testing"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"github.com/google/go-cmp/cmp"
)

func testStale(t *testing.T, newService NewService) {
	t.Run("OlderValueIsErrStale", func(t *testing.T) {
		svc := newService(t)
		mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1", State: session.State{"owner": "nobody"}})
		first := mustGet(t, svc, appName, userID, "s1")
		second := mustGet(t, svc, appName, userID, "s1")

		mustAppend(t, svc, first, deltaEvent("first wins", map[string]any{"owner": "first", "user:owner": "first"}))
		secondBefore := mustGet(t, svc, appName, userID, "s1") // what is stored now
		lost := deltaEvent("second loses", map[string]any{"owner": "second", "user:owner": "second"})
		_, err := svc.AppendEvent(t.Context(), second, lost)
		if !errors.Is(err, session.ErrStale) {
			t.Fatalf("AppendEvent through an older value: error %v, want ErrStale", err)
		}
		if diff := diffSession(secondBefore, mustGet(t, svc, appName, userID, "s1")); diff != "" {
			t.Errorf("a stale append changed the stored session (-want +got):\n%s", diff)
		}
		if len(second.Events) != 0 || second.State["owner"] != "nobody" {
			t.Errorf("a stale append changed the caller's value: events %q, state %v", texts(second.Events), second.State)
		}

		// Reading again and retrying succeeds: nothing is lost.
		retry := mustGet(t, svc, appName, userID, "s1")
		mustAppend(t, svc, retry, lost)
		got := mustGet(t, svc, appName, userID, "s1")
		if diff := cmp.Diff([]string{"first wins", "second loses"}, texts(got.Events)); diff != "" {
			t.Errorf("events after the retry (-want +got):\n%s", diff)
		}
		if got.State["owner"] != "second" {
			t.Errorf("State[owner] after the retry = %v, want %q", got.State["owner"], "second")
		}
	})

	t.Run("HandMadeValueIsErrStale", func(t *testing.T) {
		svc := newService(t)
		s := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1"})
		mustAppend(t, svc, s, textEvent(event.AuthorUser, "hello"))
		handMade := &session.Session{AppName: appName, UserID: userID, ID: "s1"}
		if _, err := svc.AppendEvent(t.Context(), handMade, textEvent(event.AuthorUser, "blind")); !errors.Is(err, session.ErrStale) {
			t.Errorf("AppendEvent through a Session without LastUpdateTime: error %v, want ErrStale", err)
		}
	})

	t.Run("FilteredGetIsCurrent", func(t *testing.T) {
		svc := newService(t)
		s := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1"})
		mustAppend(t, svc, s, textEvent(event.AuthorUser, "one"))
		mustAppend(t, svc, s, textEvent(event.AuthorUser, "two"))
		recent, err := svc.Get(t.Context(), &session.GetRequest{AppName: appName, UserID: userID, SessionID: "s1", NumRecentEvents: 1})
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		// Seeing fewer events is not being behind.
		mustAppend(t, svc, recent, textEvent(event.AuthorUser, "three"))
		if diff := cmp.Diff([]string{"one", "two", "three"}, texts(mustGet(t, svc, appName, userID, "s1").Events)); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}
