package sessiontest

import (
	"testing"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"github.com/google/go-cmp/cmp"
)

func testGetOrCreate(t *testing.T, newService NewService) {
	t.Run("CreatesWhenMissing", func(t *testing.T) {
		svc := newService(t)
		s, err := session.GetOrCreate(t.Context(), svc, appName, userID, " s1 ", session.State{"k": "v"})
		if err != nil {
			t.Fatalf("GetOrCreate: %v", err)
		}
		if s.ID != "s1" {
			t.Errorf("ID = %q, want %q", s.ID, "s1")
		}
		if diff := diffSession(s, mustGet(t, svc, appName, userID, "s1")); diff != "" {
			t.Errorf("stored session differs from the one returned (-returned +stored):\n%s", diff)
		}
		if diff := cmpState(session.State{"k": "v"}, s.State); diff != "" {
			t.Errorf("state (-want +got):\n%s", diff)
		}
	})

	t.Run("ReturnsExisting", func(t *testing.T) {
		svc := newService(t)
		created := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1", State: session.State{"k": "first"}})
		mustAppend(t, svc, created, textEvent(event.AuthorUser, "hello"))
		s, err := session.GetOrCreate(t.Context(), svc, appName, userID, "s1", session.State{"k": "second", "app:k": "second"})
		if err != nil {
			t.Fatalf("GetOrCreate: %v", err)
		}
		if diff := diffSession(created, s); diff != "" {
			t.Errorf("GetOrCreate of an existing session (-want +got):\n%s", diff)
		}
	})

	t.Run("EmptyIDCreatesEachTime", func(t *testing.T) {
		svc := newService(t)
		a, errA := session.GetOrCreate(t.Context(), svc, appName, userID, "", nil)
		b, errB := session.GetOrCreate(t.Context(), svc, appName, userID, "  ", nil)
		if errA != nil || errB != nil {
			t.Fatalf("GetOrCreate: %v, %v", errA, errB)
		}
		if a.ID == "" || a.ID == b.ID {
			t.Errorf("GetOrCreate with empty ids returned ids %q and %q, want two new ones", a.ID, b.ID)
		}
		resp, err := svc.List(t.Context(), &session.ListRequest{AppName: appName, UserID: userID})
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		var ids []string
		for _, s := range resp.Sessions {
			ids = append(ids, s.ID)
		}
		if diff := cmp.Diff([]string{b.ID, a.ID}, ids); diff != "" {
			t.Errorf("listed ids (-want +got):\n%s", diff)
		}
	})

	t.Run("InvalidArgument", func(t *testing.T) {
		svc := newService(t)
		_, err := session.GetOrCreate(t.Context(), svc, "", userID, "s1", nil)
		checkInvalidArgument(t, err, "AppName")
		_, err = session.GetOrCreate(t.Context(), svc, appName, " ", "", nil)
		checkInvalidArgument(t, err, "UserID")
	})
}
