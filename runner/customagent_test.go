package runner_test

import (
	"context"
	"errors"
	"iter"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/runner"
	"github.com/adklive/adklive/session"
)

// funcAgent is a custom agent whose live run is a function: it checks that
// the runner treats any Agent, not only the LLM agent, by its contract.
type funcAgent struct {
	name string
	run  func(ctx context.Context, ic *agent.InvocationContext, yield func(*event.Event, error) bool)
}

func (a *funcAgent) Name() string             { return a.name }
func (a *funcAgent) Description() string      { return "a scripted test agent" }
func (a *funcAgent) SubAgents() []agent.Agent { return nil }
func (a *funcAgent) RunLive(ctx context.Context, ic *agent.InvocationContext) iter.Seq2[*event.Event, error] {
	return func(yield func(*event.Event, error) bool) { a.run(ctx, ic, yield) }
}

// newCustomRunner returns a runner of a with in-memory sessions holding
// the session u1/s1.
func newCustomRunner(t testing.TB, a agent.Agent) (*runner.Runner, session.Service) {
	t.Helper()
	sessions := session.InMemory()
	if _, err := sessions.Create(t.Context(), &session.CreateRequest{AppName: appName, UserID: "u1", SessionID: "s1"}); err != nil {
		t.Fatal(err)
	}
	r, err := runner.New(runner.Config{AppName: appName, Agent: a, SessionService: sessions})
	if err != nil {
		t.Fatal(err)
	}
	return r, sessions
}

func textEvent(ic *agent.InvocationContext, author, text string, partial bool) *event.Event {
	ev := event.New(ic.InvocationID, author)
	ev.Content = genai.NewContentFromText(text, genai.RoleModel)
	ev.Partial = partial
	return ev
}

func TestRunLiveHandsTheAgentItsInvocation(t *testing.T) {
	var got *agent.InvocationContext
	a := &funcAgent{name: "custom", run: func(_ context.Context, ic *agent.InvocationContext, _ func(*event.Event, error) bool) {
		got = ic
	}}
	r, sessions := newCustomRunner(t, a)
	q := livequeue.New()
	for _, err := range r.RunLive(t.Context(), " u1 ", " s1 ", q, runconfig.RunConfig{}) {
		if err != nil {
			t.Fatalf("RunLive: %v", err)
		}
	}
	if got == nil {
		t.Fatal("the agent was not run")
	}
	if len(got.InvocationID) < 3 || got.InvocationID[:2] != "e-" {
		t.Errorf("InvocationID = %q, want e-<uuid>", got.InvocationID)
	}
	if got.AppName != appName || got.UserID != "u1" || got.Session == nil || got.Session.ID != "s1" {
		t.Errorf("invocation for %s/%s/%v, want %s/u1/s1", got.AppName, got.UserID, got.Session, appName)
	}
	if got.Branch != "" {
		t.Errorf("root agent Branch = %q, want \"\"", got.Branch)
	}
	if got.SessionService != sessions || got.Queue != q || got.Agent != agent.Agent(a) || got.Logger == nil {
		t.Error("the invocation lacks the session service, the queue, the agent or a logger")
	}
	if want := (runconfig.RunConfig{}).WithDefaults(); !cmp.Equal(got.RunConfig, want) {
		t.Errorf("RunConfig lacks its defaults (-want +got):\n%s", cmp.Diff(want, got.RunConfig))
	}
	if err := q.SendAudioStreamEnd(); !errors.Is(err, livequeue.ErrClosed) {
		t.Errorf("queue after the run: send err = %v, want livequeue.ErrClosed", err)
	}
}

func TestRunLiveStampsAndPersistsAnyAgentsEvents(t *testing.T) {
	a := &funcAgent{name: "custom", run: func(_ context.Context, ic *agent.InvocationContext, yield func(*event.Event, error) bool) {
		own := textEvent(ic, "custom", "merged", false)
		own.CustomMetadata = map[string]any{"source": "agent", "request_id": "agent's own"}
		done := event.New(ic.InvocationID, "custom")
		done.TurnComplete = true
		for _, ev := range []*event.Event{textEvent(ic, "custom", "chunk", true), own, done} {
			if !yield(ev, nil) {
				return
			}
		}
	}}
	r, sessions := newCustomRunner(t, a)
	cfg := runconfig.RunConfig{CustomMetadata: map[string]any{"request_id": "r-1", "tenant": "t-1"}}
	var yielded []map[string]any
	for ev, err := range r.RunLive(t.Context(), "u1", "s1", livequeue.New(), cfg) {
		if err != nil {
			t.Fatalf("RunLive: %v", err)
		}
		yielded = append(yielded, ev.CustomMetadata)
	}
	run := map[string]any{"request_id": "r-1", "tenant": "t-1"}
	want := []map[string]any{run, {"source": "agent", "request_id": "agent's own", "tenant": "t-1"}, run}
	if diff := cmp.Diff(want, yielded); diff != "" {
		t.Errorf("custom metadata of the yielded events (-want +got):\n%s", diff)
	}

	s, err := sessions.Get(t.Context(), &session.GetRequest{AppName: appName, UserID: "u1", SessionID: "s1"})
	if err != nil {
		t.Fatal(err)
	}
	wantStored := []summary{{Author: "custom", Text: "merged"}, {Author: "custom", TurnComplete: true}}
	if diff := cmp.Diff(wantStored, summarize(s.Events)); diff != "" {
		t.Errorf("stored events (-want +got):\n%s", diff)
	}
}

func TestRunLiveYieldsTheAgentsErrorLast(t *testing.T) {
	boom := errors.New("model exploded")
	a := &funcAgent{name: "custom", run: func(_ context.Context, ic *agent.InvocationContext, yield func(*event.Event, error) bool) {
		if !yield(textEvent(ic, "custom", "before", false), nil) {
			return
		}
		if !yield(nil, boom) {
			return
		}
		t.Error("the runner kept ranging after the agent's error")
	}}
	r, _ := newCustomRunner(t, a)
	var events int
	var errs []error
	for ev, err := range r.RunLive(t.Context(), "u1", "s1", livequeue.New(), runconfig.RunConfig{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(errs) > 0 {
			t.Errorf("event %v after the error", ev)
		}
		events++
	}
	if events != 1 || len(errs) != 1 || !errors.Is(errs[0], boom) {
		t.Errorf("RunLive yielded %d events and errors %v; want 1 event, then the agent's error", events, errs)
	}
}

func TestRunLiveStopsWhenAnEventCannotBeStored(t *testing.T) {
	var sessions session.Service
	a := &funcAgent{name: "custom", run: func(ctx context.Context, ic *agent.InvocationContext, yield func(*event.Event, error) bool) {
		if !yield(textEvent(ic, "custom", "stored", false), nil) {
			return
		}
		// The session disappears under the run.
		if err := sessions.Delete(ctx, &session.DeleteRequest{AppName: appName, UserID: "u1", SessionID: "s1"}); err != nil {
			t.Error(err)
		}
		if !yield(textEvent(ic, "custom", "lost", false), nil) {
			return
		}
		// Storing runs off the way to the caller: the failure to store
		// "lost" cancels the run.
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
			t.Error("the run was not cancelled after a storage failure")
		}
	}}
	r, svc := newCustomRunner(t, a)
	sessions = svc
	var texts []string
	var errs []error
	for ev, err := range r.RunLive(t.Context(), "u1", "s1", livequeue.New(), runconfig.RunConfig{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		texts = append(texts, ev.Text())
	}
	if !cmp.Equal(texts, []string{"stored", "lost"}) || len(errs) != 1 || !errors.Is(errs[0], session.ErrNotFound) ||
		!strings.Contains(errs[0].Error(), "storing event") {
		t.Errorf("RunLive yielded %q and errors %v; want [stored lost], then session.ErrNotFound naming the event not stored", texts, errs)
	}
}

func TestRunLiveStoresEventsProducedBeforeCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	a := &funcAgent{name: "custom", run: func(ctx context.Context, ic *agent.InvocationContext, yield func(*event.Event, error) bool) {
		// The caller cancels while the agent still holds the end of a
		// reply it received before.
		cancel()
		if !yield(textEvent(ic, "custom", "last words", false), nil) {
			return
		}
		yield(nil, ctx.Err())
	}}
	r, sessions := newCustomRunner(t, a)
	var errs []error
	for _, err := range r.RunLive(ctx, "u1", "s1", livequeue.New(), runconfig.RunConfig{}) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
		t.Errorf("errors = %v, want context.Canceled", errs)
	}
	s, err := sessions.Get(t.Context(), &session.GetRequest{AppName: appName, UserID: "u1", SessionID: "s1"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]summary{{Author: "custom", Text: "last words"}}, summarize(s.Events)); diff != "" {
		t.Errorf("stored events (-want +got):\n%s", diff)
	}
}
