package sessiontest

import (
	"testing"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"github.com/google/go-cmp/cmp"
)

func testList(t *testing.T, newService NewService) {
	t.Run("SessionsWithoutEvents", func(t *testing.T) {
		svc := newService(t)
		for _, req := range []*session.CreateRequest{
			{AppName: appName, UserID: "u1", SessionID: "a", State: session.State{"app:theme": "dark", "user:name": "Ada", "n": "a"}},
			{AppName: appName, UserID: "u1", SessionID: "b", State: session.State{"n": "b"}},
			{AppName: appName, UserID: "u2", SessionID: "c", State: session.State{"user:name": "Bob"}},
			{AppName: "other-app", UserID: "u1", SessionID: "d"},
		} {
			mustCreate(t, svc, req)
		}
		// Appending to "a" makes it the most recently updated.
		a := mustGet(t, svc, appName, "u1", "a")
		mustAppend(t, svc, a, textEvent(event.AuthorUser, "hi"))

		resp, err := svc.List(t.Context(), &session.ListRequest{AppName: appName, UserID: "u1"})
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		want := []*session.Session{
			{AppName: appName, UserID: "u1", ID: "a", State: session.State{"app:theme": "dark", "user:name": "Ada", "n": "a"}, LastUpdateTime: a.LastUpdateTime},
			{AppName: appName, UserID: "u1", ID: "b", State: session.State{"app:theme": "dark", "user:name": "Ada", "n": "b"}, LastUpdateTime: mustGet(t, svc, appName, "u1", "b").LastUpdateTime},
		}
		if diff := cmp.Diff(want, resp.Sessions, equateEmpty); diff != "" {
			t.Errorf("List of one user (-want +got):\n%s", diff)
		}
	})

	t.Run("WholeAppMostRecentFirst", func(t *testing.T) {
		svc := newService(t)
		for _, req := range []*session.CreateRequest{
			{AppName: appName, UserID: "u1", SessionID: "a"},
			{AppName: appName, UserID: "u2", SessionID: "b"},
			{AppName: appName, UserID: "u3", SessionID: "c"},
			{AppName: "other-app", UserID: "u1", SessionID: "d"},
		} {
			mustCreate(t, svc, req)
		}
		b := mustGet(t, svc, appName, "u2", "b")
		mustAppend(t, svc, b, textEvent(event.AuthorUser, "hi"))

		resp, err := svc.List(t.Context(), &session.ListRequest{AppName: " " + appName + " "})
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		var got []string
		for _, s := range resp.Sessions {
			got = append(got, s.UserID+"/"+s.ID)
		}
		if diff := cmp.Diff([]string{"u2/b", "u3/c", "u1/a"}, got); diff != "" {
			t.Errorf("List of the app (-want +got):\n%s", diff)
		}
	})

	t.Run("NothingIsEmpty", func(t *testing.T) {
		svc := newService(t)
		mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: "u1", SessionID: "a"})
		for _, req := range []*session.ListRequest{
			{AppName: "unknown-app"},
			{AppName: appName, UserID: "unknown-user"},
		} {
			resp, err := svc.List(t.Context(), req)
			if err != nil {
				t.Fatalf("List(%+v): %v", req, err)
			}
			if len(resp.Sessions) != 0 {
				t.Errorf("List(%+v) = %d sessions, want none", req, len(resp.Sessions))
			}
		}
	})

	t.Run("InvalidRequest", func(t *testing.T) {
		svc := newService(t)
		_, err := svc.List(t.Context(), &session.ListRequest{UserID: "u1"})
		checkInvalidArgument(t, err, "AppName")
		_, err = svc.List(t.Context(), nil)
		checkInvalidArgument(t, err, "ListRequest")
	})
}
