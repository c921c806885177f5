package sessiontest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"github.com/google/go-cmp/cmp"
)

func testGet(t *testing.T, newService NewService) {
	t.Run("MissingIsErrNotFound", func(t *testing.T) {
		svc := newService(t)
		mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "exists"})
		for _, c := range []struct{ name, app, user, id string }{
			{"UnknownID", appName, userID, "missing"},
			{"UnknownUser", appName, "someone-else", "exists"},
			{"UnknownApp", "other-app", userID, "exists"},
		} {
			t.Run(c.name, func(t *testing.T) {
				s, err := svc.Get(t.Context(), &session.GetRequest{AppName: c.app, UserID: c.user, SessionID: c.id})
				if !errors.Is(err, session.ErrNotFound) {
					t.Fatalf("Get: session %v, error %v; want ErrNotFound", s, err)
				}
				if !strings.Contains(err.Error(), "session not found") {
					t.Errorf("error %q does not say %q", err, "session not found")
				}
			})
		}
	})

	t.Run("InvalidRequest", func(t *testing.T) {
		svc := newService(t)
		mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1"})
		for _, c := range []struct {
			name      string
			req       *session.GetRequest
			wantField string
		}{
			{"NoAppName", &session.GetRequest{UserID: userID, SessionID: "s1"}, "AppName"},
			{"NoUserID", &session.GetRequest{AppName: appName, SessionID: "s1"}, "UserID"},
			{"NoSessionID", &session.GetRequest{AppName: appName, UserID: userID}, "SessionID"},
			{"BlankSessionID", &session.GetRequest{AppName: appName, UserID: userID, SessionID: " "}, "SessionID"},
			{"NegativeNumRecentEvents", &session.GetRequest{AppName: appName, UserID: userID, SessionID: "s1", NumRecentEvents: -1}, "NumRecentEvents"},
			{"NilRequest", nil, "GetRequest"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := svc.Get(t.Context(), c.req)
				checkInvalidArgument(t, err, c.wantField)
			})
		}
	})

	t.Run("EventFilters", func(t *testing.T) {
		svc := newService(t)
		s := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1"})
		base := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
		at := func(seconds float64) time.Time {
			return base.Add(time.Duration(seconds * float64(time.Second))).Truncate(microsecond)
		}
		all := []string{"e0", "e1", "e2", "e3", "e4"}
		for i, text := range all {
			ev := textEvent(event.AuthorUser, text)
			ev.Timestamp = at(float64(i))
			mustAppend(t, svc, s, ev)
		}

		for _, c := range []struct {
			name  string
			n     int
			after time.Time
			want  []string
		}{
			{"None", 0, time.Time{}, all},
			{"RecentTwo", 2, time.Time{}, []string{"e3", "e4"}},
			{"RecentMoreThanStored", 10, time.Time{}, all},
			{"AfterIsInclusive", 0, at(2), []string{"e2", "e3", "e4"}},
			{"AfterBetweenEvents", 0, at(2.5), []string{"e3", "e4"}},
			{"AfterBeforeFirst", 0, at(-1), all},
			{"AfterLast", 0, at(4.000001), nil},
			{"BothNumberLimits", 3, at(0), []string{"e2", "e3", "e4"}},
			{"BothTimeLimits", 3, at(3), []string{"e3", "e4"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, err := svc.Get(t.Context(), &session.GetRequest{
					AppName: appName, UserID: userID, SessionID: "s1", NumRecentEvents: c.n, After: c.after,
				})
				if err != nil {
					t.Fatalf("Get: %v", err)
				}
				if diff := cmp.Diff(c.want, texts(got.Events), equateEmpty); diff != "" {
					t.Errorf("events (-want +got):\n%s", diff)
				}
			})
		}
	})
}
