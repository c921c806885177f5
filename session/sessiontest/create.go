package sessiontest

import (
	"errors"
	"strings"
	"testing"

	"github.com/adklive/adklive/session"
	"github.com/google/uuid"
)

func testCreate(t *testing.T, newService NewService) {
	t.Run("ReturnsTheStoredSession", func(t *testing.T) {
		svc := newService(t)
		state := session.State{"topic": "weather", "turns": 1.5, "flags": map[string]any{"beta": true}}
		s := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1", State: state})

		want := &session.Session{AppName: appName, UserID: userID, ID: "s1", State: session.State{
			"topic": "weather", "turns": 1.5, "flags": map[string]any{"beta": true},
		}}
		if diff := cmpSessionIgnoringTime(want, s); diff != "" {
			t.Errorf("Create returned (-want +got):\n%s", diff)
		}
		if s.LastUpdateTime.IsZero() {
			t.Error("Create returned a zero LastUpdateTime")
		}
		if diff := diffSession(s, mustGet(t, svc, appName, userID, "s1")); diff != "" {
			t.Errorf("Get after Create differs from what Create returned (-create +get):\n%s", diff)
		}
	})

	t.Run("EmptyIDGetsUUID", func(t *testing.T) {
		svc := newService(t)
		seen := map[string]bool{}
		for _, id := range []string{"", "   "} {
			s := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: id})
			if _, err := uuid.Parse(s.ID); err != nil {
				t.Errorf("Create with SessionID %q: ID %q is not a UUID: %v", id, s.ID, err)
			}
			if seen[s.ID] {
				t.Errorf("Create with SessionID %q reused ID %q", id, s.ID)
			}
			seen[s.ID] = true
			mustGet(t, svc, appName, userID, s.ID)
		}
	})

	t.Run("NamesAreTrimmed", func(t *testing.T) {
		svc := newService(t)
		s := mustCreate(t, svc, &session.CreateRequest{AppName: " " + appName + "\t", UserID: "\n" + userID + " ", SessionID: "  s 1 \t"})
		if s.AppName != appName || s.UserID != userID || s.ID != "s 1" {
			t.Errorf("Create returned app %q, user %q, id %q; want %q, %q, %q", s.AppName, s.UserID, s.ID, appName, userID, "s 1")
		}
		for _, id := range []string{"s 1", " s 1 "} {
			if got := mustGet(t, svc, appName, " "+userID, id); got.ID != "s 1" {
				t.Errorf("Get(%q).ID = %q, want %q", id, got.ID, "s 1")
			}
		}
	})

	t.Run("DuplicateIsErrAlreadyExists", func(t *testing.T) {
		svc := newService(t)
		first := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "dup",
			State: session.State{"k": "first", "app:k": "first", "user:k": "first"}})
		for _, id := range []string{"dup", " dup "} {
			_, err := svc.Create(t.Context(), &session.CreateRequest{AppName: appName, UserID: userID, SessionID: id,
				State: session.State{"k": "second", "app:k": "second", "user:k": "second"}})
			if !errors.Is(err, session.ErrAlreadyExists) {
				t.Errorf("second Create with SessionID %q: error %v, want ErrAlreadyExists", id, err)
			}
		}
		if diff := diffSession(first, mustGet(t, svc, appName, userID, "dup")); diff != "" {
			t.Errorf("a failed Create changed the session (-want +got):\n%s", diff)
		}
	})

	t.Run("SameIDElsewhereIsAnotherSession", func(t *testing.T) {
		svc := newService(t)
		for _, req := range []*session.CreateRequest{
			{AppName: appName, UserID: "u1", SessionID: "same", State: session.State{"owner": "u1"}},
			{AppName: appName, UserID: "u2", SessionID: "same", State: session.State{"owner": "u2"}},
			{AppName: "other-app", UserID: "u1", SessionID: "same", State: session.State{"owner": "other-app"}},
		} {
			mustCreate(t, svc, req)
		}
		for _, c := range []struct{ app, user, owner string }{
			{appName, "u1", "u1"}, {appName, "u2", "u2"}, {"other-app", "u1", "other-app"},
		} {
			if got := mustGet(t, svc, c.app, c.user, "same").State["owner"]; got != c.owner {
				t.Errorf("Get(%q, %q).State[owner] = %v, want %q", c.app, c.user, got, c.owner)
			}
		}
	})

	t.Run("MissingNameIsInvalidArgument", func(t *testing.T) {
		svc := newService(t)
		for _, c := range []struct {
			name      string
			req       *session.CreateRequest
			wantField string
		}{
			{"NoAppName", &session.CreateRequest{UserID: userID}, "AppName"},
			{"BlankAppName", &session.CreateRequest{AppName: "  ", UserID: userID}, "AppName"},
			{"NoUserID", &session.CreateRequest{AppName: appName}, "UserID"},
			{"BlankUserID", &session.CreateRequest{AppName: appName, UserID: "\t"}, "UserID"},
			{"NilRequest", nil, "CreateRequest"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := svc.Create(t.Context(), c.req)
				checkInvalidArgument(t, err, c.wantField)
			})
		}
		resp, err := svc.List(t.Context(), &session.ListRequest{AppName: appName})
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		if len(resp.Sessions) != 0 {
			t.Errorf("invalid Creates stored %d sessions", len(resp.Sessions))
		}
	})

	t.Run("InitialStateByScope", func(t *testing.T) {
		svc := newService(t)
		s := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1", State: session.State{
			"app:theme": "dark", "user:name": "Ada", "draft": "hello", "temp:scratch": "gone",
		}})
		want := session.State{"app:theme": "dark", "user:name": "Ada", "draft": "hello"}
		for _, got := range []*session.Session{s, mustGet(t, svc, appName, userID, "s1")} {
			if diff := cmpState(want, got.State); diff != "" {
				t.Errorf("state of the created session (-want +got):\n%s", diff)
			}
		}
		for _, c := range []struct {
			app, user string
			want      session.State
		}{
			{appName, userID, session.State{"app:theme": "dark", "user:name": "Ada"}},
			{appName, "user-2", session.State{"app:theme": "dark"}},
			{"other-app", userID, session.State{}},
		} {
			other := mustCreate(t, svc, &session.CreateRequest{AppName: c.app, UserID: c.user, SessionID: "s2"})
			if diff := cmpState(c.want, other.State); diff != "" {
				t.Errorf("state of a new session of app %q user %q (-want +got):\n%s", c.app, c.user, diff)
			}
		}
	})
}

// checkInvalidArgument fails t unless err wraps session.ErrInvalidArgument
// and names field.
func checkInvalidArgument(t *testing.T, err error, field string) {
	t.Helper()
	if !errors.Is(err, session.ErrInvalidArgument) {
		t.Errorf("error %v, want one wrapping ErrInvalidArgument", err)
		return
	}
	if !strings.Contains(err.Error(), field) {
		t.Errorf("error %q does not name %s", err, field)
	}
}
