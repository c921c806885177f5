package sessiontest

import (
	"context"
	"testing"
	"time"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/genai"
)

// NewService returns a fresh, empty service for one test. It may register
// cleanup with t.Cleanup.
type NewService func(t *testing.T) session.Service

// Run runs the conformance suite against the services newService returns,
// each test with a fresh one.
func Run(t *testing.T, newService NewService) {
	t.Helper()
	t.Run("Create", func(t *testing.T) { testCreate(t, newService) })
	t.Run("Get", func(t *testing.T) { testGet(t, newService) })
	t.Run("List", func(t *testing.T) { testList(t, newService) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, newService) })
	t.Run("AppendEvent", func(t *testing.T) { testAppendEvent(t, newService) })
	t.Run("State", func(t *testing.T) { testState(t, newService) })
	t.Run("Stale", func(t *testing.T) { testStale(t, newService) })
	t.Run("Copies", func(t *testing.T) { testCopies(t, newService) })
	t.Run("Context", func(t *testing.T) { testContext(t, newService) })
	t.Run("GetOrCreate", func(t *testing.T) { testGetOrCreate(t, newService) })
	t.Run("Concurrency", func(t *testing.T) { testConcurrency(t, newService) })
}

// Names used throughout the suite.
const (
	appName      = "conformance-app"
	userID       = "user-1"
	invocationID = "e-conformance"
)

// equateEmpty treats nil and empty maps and slices alike: whether a backend
// returns an empty session's Events as nil or empty is not behaviour a
// caller can rely on.
var equateEmpty = cmpopts.EquateEmpty()

// mustCreate creates a session or fails the test.
func mustCreate(t *testing.T, svc session.Service, req *session.CreateRequest) *session.Session {
	t.Helper()
	s, err := svc.Create(t.Context(), req)
	if err != nil {
		t.Fatalf("Create(%+v): %v", req, err)
	}
	return s
}

// mustGet gets a session with all its events or fails the test.
func mustGet(t *testing.T, svc session.Service, appName, userID, id string) *session.Session {
	t.Helper()
	s, err := svc.Get(t.Context(), &session.GetRequest{AppName: appName, UserID: userID, SessionID: id})
	if err != nil {
		t.Fatalf("Get(%q, %q, %q): %v", appName, userID, id, err)
	}
	return s
}

// mustAppend appends ev through s or fails the test.
func mustAppend(t *testing.T, svc session.Service, s *session.Session, ev *event.Event) *event.Event {
	t.Helper()
	got, err := svc.AppendEvent(t.Context(), s, ev)
	if err != nil {
		t.Fatalf("AppendEvent(%s, %q): %v", s.ID, ev.Text(), err)
	}
	return got
}

// textEvent returns a new event by author carrying text, with a fresh ID
// and the current time.
func textEvent(author, text string) *event.Event {
	ev := event.New(invocationID, author)
	role := genai.RoleModel
	if author == event.AuthorUser {
		role = genai.RoleUser
	}
	ev.Content = &genai.Content{Role: role, Parts: []*genai.Part{{Text: text}}}
	return ev
}

// deltaEvent returns a model event carrying text and a state delta.
func deltaEvent(text string, delta map[string]any) *event.Event {
	ev := textEvent("agent", text)
	ev.Actions.StateDelta = delta
	return ev
}

// texts returns the text of each event, in order.
func texts(events []*event.Event) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		out[i] = ev.Text()
	}
	return out
}

// diffSession compares two sessions as a caller sees them.
func diffSession(want, got *session.Session) string {
	return cmp.Diff(want, got, equateEmpty)
}

// microsecond is the precision of event timestamps in the suite.
const microsecond = time.Microsecond

// cancelledContext returns a context that is already cancelled.
func cancelledContext(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	return ctx
}

// cmpState compares two states, nil and empty alike.
func cmpState(want, got session.State) string {
	return cmp.Diff(want, got, equateEmpty)
}

// cmpSessionIgnoringTime compares two sessions except their
// LastUpdateTime, which the service chooses.
func cmpSessionIgnoringTime(want, got *session.Session) string {
	return cmp.Diff(want, got, equateEmpty, cmpopts.IgnoreFields(session.Session{}, "LastUpdateTime"))
}
