package sessiontest

import (
	"errors"
	"testing"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
)

func testDelete(t *testing.T, newService NewService) {
	t.Run("RemovesOnlyThatSession", func(t *testing.T) {
		svc := newService(t)
		gone := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "gone",
			State: session.State{"app:theme": "dark", "user:name": "Ada", "mine": "x"}})
		mustAppend(t, svc, gone, textEvent(event.AuthorUser, "hello"))
		kept := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "kept"})

		if err := svc.Delete(t.Context(), &session.DeleteRequest{AppName: appName, UserID: userID, SessionID: " gone "}); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := svc.Get(t.Context(), &session.GetRequest{AppName: appName, UserID: userID, SessionID: "gone"}); !errors.Is(err, session.ErrNotFound) {
			t.Errorf("Get after Delete: error %v, want ErrNotFound", err)
		}
		if diff := diffSession(kept, mustGet(t, svc, appName, userID, "kept")); diff != "" {
			t.Errorf("Delete changed another session (-want +got):\n%s", diff)
		}
		resp, err := svc.List(t.Context(), &session.ListRequest{AppName: appName})
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		if len(resp.Sessions) != 1 || resp.Sessions[0].ID != "kept" {
			t.Errorf("List after Delete = %v, want only %q", resp.Sessions, "kept")
		}

		// The app's and the user's shared state outlive the session.
		fresh := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "fresh"})
		if diff := cmpState(session.State{"app:theme": "dark", "user:name": "Ada"}, fresh.State); diff != "" {
			t.Errorf("shared state after Delete (-want +got):\n%s", diff)
		}
	})

	t.Run("RecreatedIsNew", func(t *testing.T) {
		svc := newService(t)
		old := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1", State: session.State{"mine": "old"}})
		mustAppend(t, svc, old, textEvent(event.AuthorUser, "old"))
		if err := svc.Delete(t.Context(), &session.DeleteRequest{AppName: appName, UserID: userID, SessionID: "s1"}); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := svc.AppendEvent(t.Context(), old, textEvent(event.AuthorUser, "into the void")); !errors.Is(err, session.ErrNotFound) {
			t.Errorf("AppendEvent to a deleted session: error %v, want ErrNotFound", err)
		}

		recreated := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1"})
		if len(recreated.Events) != 0 || len(recreated.State) != 0 {
			t.Errorf("re-created session has events %v and state %v, want none", recreated.Events, recreated.State)
		}
		// A value of the old session must not write into the new one.
		if _, err := svc.AppendEvent(t.Context(), old, textEvent(event.AuthorUser, "stale")); !errors.Is(err, session.ErrStale) {
			t.Errorf("AppendEvent through a value of the deleted session: error %v, want ErrStale", err)
		}
		if got := mustGet(t, svc, appName, userID, "s1"); len(got.Events) != 0 {
			t.Errorf("re-created session has events %q, want none", texts(got.Events))
		}
	})

	t.Run("MissingIsErrNotFound", func(t *testing.T) {
		svc := newService(t)
		err := svc.Delete(t.Context(), &session.DeleteRequest{AppName: appName, UserID: userID, SessionID: "missing"})
		if !errors.Is(err, session.ErrNotFound) {
			t.Errorf("Delete of a missing session: error %v, want ErrNotFound", err)
		}
	})

	t.Run("InvalidRequest", func(t *testing.T) {
		svc := newService(t)
		for _, c := range []struct {
			name      string
			req       *session.DeleteRequest
			wantField string
		}{
			{"NoAppName", &session.DeleteRequest{UserID: userID, SessionID: "s1"}, "AppName"},
			{"NoUserID", &session.DeleteRequest{AppName: appName, SessionID: "s1"}, "UserID"},
			{"NoSessionID", &session.DeleteRequest{AppName: appName, UserID: userID}, "SessionID"},
			{"NilRequest", nil, "DeleteRequest"},
		} {
			t.Run(c.name, func(t *testing.T) {
				checkInvalidArgument(t, svc.Delete(t.Context(), c.req), c.wantField)
			})
		}
	})
}
