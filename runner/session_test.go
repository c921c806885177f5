package runner_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/artifact"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/runner"
	"github.com/adklive/adklive/session"
)

// customService is a session.Service of the application's own, here only
// to be nil.
type customService struct{ session.Service }

// customArtifacts is an artifact.Service of the application's own, here
// only to be nil.
type customArtifacts struct{ artifact.Service }

func TestNewNamesTheMissingField(t *testing.T) {
	h := newHarness(t, setup{})
	tests := []struct {
		name  string
		cfg   runner.Config
		field string
	}{
		{"no app name", runner.Config{Agent: h.agent, SessionService: h.sessions}, "AppName"},
		{"blank app name", runner.Config{AppName: "  ", Agent: h.agent, SessionService: h.sessions}, "AppName"},
		{"no agent", runner.Config{AppName: appName, SessionService: h.sessions}, "Agent"},
		{"no session service", runner.Config{AppName: appName, Agent: h.agent}, "SessionService"},
		{"typed-nil agent", runner.Config{AppName: appName, Agent: (*agent.LLMAgent)(nil), SessionService: h.sessions},
			"Agent is a nil *agent.LLMAgent"},
		{"typed-nil session service", runner.Config{AppName: appName, Agent: h.agent, SessionService: (*customService)(nil)},
			"SessionService is a nil *runner_test.customService"},
		{"typed-nil artifact service", runner.Config{AppName: appName, Agent: h.agent, SessionService: h.sessions,
			ArtifactService: (*customArtifacts)(nil)}, "ArtifactService is a nil *runner_test.customArtifacts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := runner.New(tt.cfg)
			if err == nil {
				t.Fatalf("New = %v, nil; want an error naming %s", r, tt.field)
			}
			if !errors.Is(err, runner.ErrInvalidConfig) || !strings.Contains(err.Error(), tt.field) {
				t.Errorf("New error = %q; want ErrInvalidConfig naming %s", err, tt.field)
			}
		})
	}
}

func TestNewTrimsAppName(t *testing.T) {
	h := newHarness(t, setup{})
	r, err := runner.New(runner.Config{AppName: " app ", Agent: h.agent, SessionService: h.sessions})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.AppName(); got != "app" {
		t.Errorf("AppName() = %q, want %q", got, "app")
	}
	if r.Agent() != agent.Agent(h.agent) || r.SessionService() != h.sessions {
		t.Error("Agent() or SessionService() does not return the configured value")
	}
}

func TestRunLiveMissingSession(t *testing.T) {
	h := newHarness(t, setup{})
	q := textQueue(t, "hello")
	res := h.run(t, t.Context(), "u1", "nope", q, textConfig(), nil)
	err := res.err(t)
	if !errors.Is(err, session.ErrNotFound) || !strings.Contains(err.Error(), "session not found") {
		t.Fatalf("RunLive on a missing session: err = %v; want session.ErrNotFound saying \"session not found\"", err)
	}
	if len(res.events) > 0 {
		t.Errorf("RunLive on a missing session yielded %d events", len(res.events))
	}
	if n := len(h.srv.Sessions()); n != 0 {
		t.Errorf("livetest saw %d connections; a missing session must fail before dialing", n)
	}

	// The failed attempt left the queue, and the text in it, usable.
	h.createSession(t, "u1", "nope")
	res = h.run(t, t.Context(), "u1", "nope", q, textConfig(), closeAfterTurns(q, 1))
	if err := res.err(t); err != nil {
		t.Fatalf("second RunLive: %v", err)
	}
	if got := h.stored(t, "u1", "nope"); len(got) == 0 || got[0].Text() != "hello" {
		t.Errorf("the text queued before the failed run was not delivered; stored %d events", len(got))
	}
}

func TestRunLiveRequiresIDs(t *testing.T) {
	h := newHarness(t, setup{})
	tests := []struct {
		name, userID, sessionID, want string
	}{
		{"no user", " ", "s1", "userID"},
		{"no session", "u1", "  ", "sessionID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := h.run(t, t.Context(), tt.userID, tt.sessionID, textQueue(t), textConfig(), nil)
			err := res.err(t)
			if !errors.Is(err, session.ErrInvalidArgument) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v; want session.ErrInvalidArgument naming %s", err, tt.want)
			}
		})
	}
	if n := len(h.srv.Sessions()); n != 0 {
		t.Errorf("livetest saw %d connections, want none", n)
	}
}

func TestRunLiveAutoCreatesTrimmedSession(t *testing.T) {
	h := newHarness(t, setup{autoCreate: true})
	q := textQueue(t, "hello")
	res := h.run(t, t.Context(), "  u1 ", " s1\t", q, textConfig(), closeAfterTurns(q, 1))
	if err := res.err(t); err != nil {
		t.Fatalf("RunLive: %v", err)
	}
	stored := h.stored(t, "u1", "s1")
	if len(stored) == 0 {
		t.Fatal("the auto-created session u1/s1 holds no events")
	}
	list, err := h.sessions.List(t.Context(), &session.ListRequest{AppName: appName})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Sessions) != 1 {
		t.Errorf("the app has %d sessions, want exactly the trimmed u1/s1", len(list.Sessions))
	}
}

func TestRunLiveAutoCreateEmptyIDIsUUID(t *testing.T) {
	h := newHarness(t, setup{autoCreate: true})
	q := textQueue(t, "hello")
	res := h.run(t, t.Context(), "u1", "", q, textConfig(), closeAfterTurns(q, 1))
	if err := res.err(t); err != nil {
		t.Fatalf("RunLive: %v", err)
	}
	list, err := h.sessions.List(t.Context(), &session.ListRequest{AppName: appName, UserID: "u1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Sessions) != 1 {
		t.Fatalf("user u1 has %d sessions, want 1", len(list.Sessions))
	}
	id := list.Sessions[0].ID
	if _, err := uuid.Parse(id); err != nil {
		t.Errorf("auto-created session id %q is not a UUID: %v", id, err)
	}
	if got := h.stored(t, "u1", id); len(got) == 0 {
		t.Error("the run's events were not stored in the auto-created session")
	}
}

func TestRunLiveSeesExistingSession(t *testing.T) {
	h := newHarness(t, setup{autoCreate: true})
	h.createSession(t, "u1", "s1")
	q := textQueue(t, "hello")
	res := h.run(t, t.Context(), "u1", "s1", q, textConfig(), closeAfterTurns(q, 1))
	if err := res.err(t); err != nil {
		t.Fatalf("RunLive: %v", err)
	}
	list, err := h.sessions.List(t.Context(), &session.ListRequest{AppName: appName})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Sessions) != 1 {
		t.Errorf("the app has %d sessions; auto-create must reuse the existing one", len(list.Sessions))
	}
}

func TestGetOrCreateSession(t *testing.T) {
	h := newHarness(t, setup{})
	ctx := t.Context()

	created, err := h.runner.GetOrCreateSession(ctx, " u1 ", " s1 ")
	if err != nil {
		t.Fatalf("GetOrCreateSession: %v", err)
	}
	if created.AppName != appName || created.UserID != "u1" || created.ID != "s1" {
		t.Errorf("created session %s/%s/%s, want %s/u1/s1", created.AppName, created.UserID, created.ID, appName)
	}
	if _, err := h.sessions.AppendEvent(ctx, created, &event.Event{Author: event.AuthorUser, InvocationID: "e-1"}); err != nil {
		t.Fatal(err)
	}
	again, err := h.runner.GetOrCreateSession(ctx, "u1", "s1")
	if err != nil {
		t.Fatalf("GetOrCreateSession of an existing session: %v", err)
	}
	if len(again.Events) != 1 {
		t.Errorf("GetOrCreateSession returned a session with %d events, want the existing one with 1", len(again.Events))
	}

	fresh, err := h.runner.GetOrCreateSession(ctx, "u1", "")
	if err != nil {
		t.Fatalf("GetOrCreateSession with an empty id: %v", err)
	}
	if _, err := uuid.Parse(fresh.ID); err != nil {
		t.Errorf("GetOrCreateSession with an empty id made id %q, not a UUID", fresh.ID)
	}

	if _, err := h.runner.GetOrCreateSession(ctx, "", "s1"); !errors.Is(err, session.ErrInvalidArgument) || !strings.Contains(err.Error(), "userID") {
		t.Errorf("GetOrCreateSession without a user: err = %v; want ErrInvalidArgument naming userID", err)
	}
}
