package sessiontest

import (
	"testing"
	"time"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"
)

func testCopies(t *testing.T, newService NewService) {
	// initialState returns a fresh state with nested values, so that a
	// test can mutate what it passed in without touching its expectation.
	initialState := func() session.State {
		return session.State{"k": "v", "nested": map[string]any{"x": "1"}, "list": []any{"a", "b"}}
	}
	// wantEvent is the event the tests append, as it must stay stored.
	wantEvent := func() *event.Event {
		ev := deltaEvent("original", map[string]any{"d": map[string]any{"y": "2"}})
		ev.ID = "ev-1"
		return ev
	}
	wantState := func() session.State {
		s := initialState()
		s["d"] = map[string]any{"y": "2"}
		return s
	}
	// check fails t unless the stored session still holds exactly
	// wantState and the event wantEvent makes, stamped at ts.
	check := func(t *testing.T, svc session.Service, ts time.Time) {
		t.Helper()
		got := mustGet(t, svc, appName, userID, "s1")
		if diff := cmpState(wantState(), got.State); diff != "" {
			t.Errorf("stored state changed (-want +got):\n%s", diff)
		}
		want := wantEvent()
		want.Timestamp = ts
		if diff := cmp.Diff([]*event.Event{want}, got.Events, equateEmpty); diff != "" {
			t.Errorf("stored events changed (-want +got):\n%s", diff)
		}
	}
	// setUp creates s1 from a state the caller keeps and appends an event
	// the caller keeps.
	setUp := func(t *testing.T) (session.Service, session.State, *session.Session, *event.Event) {
		svc := newService(t)
		state := initialState()
		s := mustCreate(t, svc, &session.CreateRequest{AppName: appName, UserID: userID, SessionID: "s1", State: state})
		ev := wantEvent()
		mustAppend(t, svc, s, ev)
		return svc, state, s, ev
	}

	t.Run("CallersInputIsCopied", func(t *testing.T) {
		svc, state, s, ev := setUp(t)
		state["k"] = "changed"
		state["nested"].(map[string]any)["x"] = "changed"
		state["list"].([]any)[0] = "changed"
		ev.Author = "changed"
		ev.Content.Parts[0].Text = "changed"
		ev.Content.Parts = append(ev.Content.Parts, &genai.Part{Text: "added"})
		ev.Actions.StateDelta["d"].(map[string]any)["y"] = "changed"
		ev.Actions.StateDelta["added"] = "added"
		s.State["k"] = "changed"
		s.Events = nil
		check(t, svc, ev.Timestamp)
	})

	t.Run("GetResultIsACopy", func(t *testing.T) {
		svc, _, _, ev := setUp(t)
		got := mustGet(t, svc, appName, userID, "s1")
		got.State["k"] = "changed"
		got.State["nested"].(map[string]any)["x"] = "changed"
		got.State["list"].([]any)[1] = "changed"
		delete(got.State, "d")
		got.Events[0].Author = "changed"
		got.Events[0].Content.Parts[0].Text = "changed"
		got.Events[0].Actions.StateDelta["d"].(map[string]any)["y"] = "changed"
		got.Events[0] = textEvent(event.AuthorUser, "replaced")
		got.Events = append(got.Events, textEvent(event.AuthorUser, "added"))
		check(t, svc, ev.Timestamp)
	})

	t.Run("ListResultIsACopy", func(t *testing.T) {
		svc, _, _, ev := setUp(t)
		resp, err := svc.List(t.Context(), &session.ListRequest{AppName: appName, UserID: userID})
		if err != nil || len(resp.Sessions) != 1 {
			t.Fatalf("List: %v sessions, error %v; want 1", len(resp.Sessions), err)
		}
		resp.Sessions[0].State["k"] = "changed"
		resp.Sessions[0].State["nested"].(map[string]any)["x"] = "changed"
		check(t, svc, ev.Timestamp)
	})
}
