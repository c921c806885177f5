package sessiontest

import (
	"errors"
	"testing"
	"time"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
)

func testAppendEvent(t *testing.T, newService NewService) {
	t.Run("StoresAndUpdatesCallersSession", func(t *testing.T) {
		svc := newService(t)
		s := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1"})
		created := s.LastUpdateTime

		first := textEvent(event.AuthorUser, "what's the weather?")
		if got := mustAppend(t, svc, s, first); got != first {
			t.Errorf("AppendEvent returned %p, want the event passed in (%p)", got, first)
		}
		afterFirst := s.LastUpdateTime
		if !afterFirst.After(created) {
			t.Errorf("LastUpdateTime after an append = %v, want later than %v", afterFirst, created)
		}
		// The caller's value is current: appending through it again works.
		mustAppend(t, svc, s, deltaEvent("sunny", map[string]any{"forecast": "sunny"}))
		if !s.LastUpdateTime.After(afterFirst) {
			t.Errorf("LastUpdateTime after a second append = %v, want later than %v", s.LastUpdateTime, afterFirst)
		}

		if diff := cmp.Diff([]string{"what's the weather?", "sunny"}, texts(s.Events)); diff != "" {
			t.Errorf("caller's Events (-want +got):\n%s", diff)
		}
		if diff := cmpState(session.State{"forecast": "sunny"}, s.State); diff != "" {
			t.Errorf("caller's State (-want +got):\n%s", diff)
		}
		if diff := diffSession(s, mustGet(t, svc, appName, userID, "s1")); diff != "" {
			t.Errorf("stored session differs from the caller's (-caller +stored):\n%s", diff)
		}
	})

	t.Run("EveryAppendMovesLastUpdateTime", func(t *testing.T) {
		// Back-to-back appends can land within one clock tick; each must
		// still make the session newer, or a copy read between two of them
		// would not be seen as stale.
		svc := newService(t)
		s := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1"})
		prev := s.LastUpdateTime
		for i := range 100 {
			mustAppend(t, svc, s, textEvent(event.AuthorUser, "tick"))
			if !s.LastUpdateTime.After(prev) {
				t.Fatalf("append %d: LastUpdateTime %v is not after the previous %v", i, s.LastUpdateTime, prev)
			}
			prev = s.LastUpdateTime
		}
		if got := mustGet(t, svc, appName, userID, "s1").LastUpdateTime; !got.Equal(prev) {
			t.Errorf("stored LastUpdateTime = %v, want the caller's %v", got, prev)
		}
	})

	t.Run("FillsIDAndTimestamp", func(t *testing.T) {
		svc := newService(t)
		s := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1"})
		before := time.Now().Add(-time.Second)
		ev := textEvent(event.AuthorUser, "no identity")
		ev.ID, ev.Timestamp = "", time.Time{}
		mustAppend(t, svc, s, ev)
		if _, err := uuid.Parse(ev.ID); err != nil {
			t.Errorf("appended event's ID %q is not a UUID: %v", ev.ID, err)
		}
		if ev.Timestamp.Before(before) {
			t.Errorf("appended event's Timestamp = %v, want about now", ev.Timestamp)
		}
		stored := mustGet(t, svc, appName, userID, "s1").Events
		if len(stored) != 1 || stored[0].ID != ev.ID || !stored[0].Timestamp.Equal(ev.Timestamp) {
			t.Errorf("stored events %+v, want one with ID %q and Timestamp %v", stored, ev.ID, ev.Timestamp)
		}
	})

	t.Run("PartialIsNotStored", func(t *testing.T) {
		svc := newService(t)
		s := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1"})
		before := mustGet(t, svc, appName, userID, "s1")
		newPartial := func() *event.Event {
			ev := deltaEvent("sun", map[string]any{"forecast": "partial"})
			ev.ID, ev.Timestamp, ev.Partial = "p1", before.LastUpdateTime, true
			return ev
		}
		partial, want := newPartial(), newPartial()
		got, err := svc.AppendEvent(t.Context(), s, partial)
		if err != nil {
			t.Fatalf("AppendEvent(partial): %v", err)
		}
		if got != partial {
			t.Errorf("AppendEvent(partial) returned %p, want the event passed in (%p)", got, partial)
		}
		if diff := cmp.Diff(want, partial); diff != "" {
			t.Errorf("AppendEvent changed the partial event (-want +got):\n%s", diff)
		}
		if diff := diffSession(before, s); diff != "" {
			t.Errorf("AppendEvent(partial) changed the caller's session (-want +got):\n%s", diff)
		}
		if diff := diffSession(before, mustGet(t, svc, appName, userID, "s1")); diff != "" {
			t.Errorf("AppendEvent(partial) changed the stored session (-want +got):\n%s", diff)
		}
	})

	t.Run("MissingSessionIsErrNotFound", func(t *testing.T) {
		svc := newService(t)
		mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1"})
		for _, s := range []*session.Session{
			{AppName: appName, UserID: userID, ID: "missing"},
			{AppName: appName, UserID: "someone-else", ID: "s1"},
			{AppName: "other-app", UserID: userID, ID: "s1"},
		} {
			if _, err := svc.AppendEvent(t.Context(), s, textEvent(event.AuthorUser, "hi")); !errors.Is(err, session.ErrNotFound) {
				t.Errorf("AppendEvent to %s/%s/%s: error %v, want ErrNotFound", s.AppName, s.UserID, s.ID, err)
			}
		}
	})

	t.Run("InvalidArgument", func(t *testing.T) {
		svc := newService(t)
		s := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1"})
		for _, c := range []struct {
			name      string
			s         *session.Session
			ev        *event.Event
			wantField string
		}{
			{"NilSession", nil, textEvent(event.AuthorUser, "hi"), "Session"},
			{"NilEvent", s, nil, "Event"},
			{"NoAppName", &session.Session{UserID: userID, ID: "s1", LastUpdateTime: s.LastUpdateTime}, textEvent(event.AuthorUser, "hi"), "AppName"},
			{"NoUserID", &session.Session{AppName: appName, ID: "s1", LastUpdateTime: s.LastUpdateTime}, textEvent(event.AuthorUser, "hi"), "UserID"},
			{"NoID", &session.Session{AppName: appName, UserID: userID, LastUpdateTime: s.LastUpdateTime}, textEvent(event.AuthorUser, "hi"), "ID"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := svc.AppendEvent(t.Context(), c.s, c.ev)
				checkInvalidArgument(t, err, c.wantField)
			})
		}
		if got := mustGet(t, svc, appName, userID, "s1"); len(got.Events) != 0 {
			t.Errorf("invalid appends stored %q", texts(got.Events))
		}
	})
}
