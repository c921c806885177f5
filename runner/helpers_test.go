package runner_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/artifact"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/runner"
	"github.com/adklive/adklive/session"
	"github.com/adklive/adklive/tool"
)

const (
	appName   = "runner_test"
	agentName = "helper"
	textModel = "gemini-live-2.5-flash-preview"
	// waitLimit bounds every wait of a test for something that should
	// happen at once; it is a deadlock guard, not a timing assertion.
	waitLimit = 10 * time.Second
)

// harness is a runner wired to a livetest server through the gemini model,
// with an in-memory session service.
type harness struct {
	srv      *livetest.Server
	sessions session.Service
	agent    *agent.LLMAgent
	runner   *runner.Runner
}

// setup configures a harness. The zero value is a Gemini API text-capable
// model, no tools, sessions not auto-created.
type setup struct {
	backend    genai.Backend
	autoCreate bool
	tools      []tool.Tool
	opts       []livetest.Option
	logger     *slog.Logger // the runner's; nil means slog.Default()
	plugins    []runner.Plugin
	agentCfg   func(*agent.Config) // changes the agent's config; nil for none
	artifacts  artifact.Service    // the runner's; nil for none
}

// newHarness starts a livetest server and builds a runner on it. When the
// test ends it checks that every live connection was closed by the client,
// stops the server, and checks that no goroutine outlived the test.
func newHarness(t *testing.T, s setup) *harness {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	srv := livetest.NewServer(s.opts...)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { checkClientsClosed(t, srv) })

	backend := s.backend
	if backend == genai.BackendUnspecified {
		backend = genai.BackendGeminiAPI
	}
	model, err := gemini.NewModel(t.Context(), textModel, &gemini.Config{
		Backend: backend,
		APIKey:  "test-key",
		BaseURL: srv.URL,
	})
	if err != nil {
		t.Fatalf("gemini.NewModel: %v", err)
	}
	cfg := agent.Config{
		Name:        agentName,
		Model:       model,
		Instruction: "You are a helpful assistant.",
		Tools:       s.tools,
	}
	if s.agentCfg != nil {
		s.agentCfg(&cfg)
	}
	ag, err := agent.New(cfg)
	if err != nil {
		t.Fatalf("agent.New: %v", err)
	}
	sessions := session.InMemory()
	r, err := runner.New(runner.Config{
		AppName:           appName,
		Agent:             ag,
		SessionService:    sessions,
		AutoCreateSession: s.autoCreate,
		Logger:            s.logger,
		Plugins:           s.plugins,
		ArtifactService:   s.artifacts,
	})
	if err != nil {
		t.Fatalf("runner.New: %v", err)
	}
	return &harness{srv: srv, sessions: sessions, agent: ag, runner: r}
}

// checkClientsClosed waits for every session the server saw to end, which
// needs the client to close its side.
func checkClientsClosed(t *testing.T, srv *livetest.Server) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for i, s := range srv.Sessions() {
		select {
		case <-s.Done():
		case <-time.After(time.Until(deadline)):
			t.Errorf("livetest session %d still open after the run: the client never closed it", i)
			return
		}
	}
}

// createSession creates the user's session id.
func (h *harness) createSession(t *testing.T, userID, id string) *session.Session {
	t.Helper()
	s, err := h.sessions.Create(t.Context(), &session.CreateRequest{AppName: appName, UserID: userID, SessionID: id})
	if err != nil {
		t.Fatalf("creating session %q: %v", id, err)
	}
	return s
}

// stored returns the events stored in the user's session id.
func (h *harness) stored(t *testing.T, userID, id string) []*event.Event {
	t.Helper()
	s, err := h.sessions.Get(t.Context(), &session.GetRequest{AppName: appName, UserID: userID, SessionID: id})
	if err != nil {
		t.Fatalf("getting session %q: %v", id, err)
	}
	return withoutHandles(s.Events)
}

// withoutHandles drops the events that carry only a session resumption
// update: a run asks for handles by default and stores each (for a later
// resume), and when the server's first one arrives relative to the user's
// turn is up to timing. Tests of resumption read them from the session.
func withoutHandles(events []*event.Event) []*event.Event {
	var out []*event.Event
	for _, ev := range events {
		if ev.LiveSessionResumptionUpdate != nil && ev.Content == nil && !ev.TurnComplete {
			continue
		}
		out = append(out, ev)
	}
	return out
}

// result is what one live run yielded.
type result struct {
	events []*event.Event
	errs   []error
}

// err returns the run's final error, failing the test if the run yielded
// more than one.
func (r result) err(t *testing.T) error {
	t.Helper()
	switch len(r.errs) {
	case 0:
		return nil
	case 1:
		return r.errs[0]
	}
	t.Fatalf("the run yielded %d errors, want at most one: %v", len(r.errs), r.errs)
	return nil
}

// run ranges over a live run, recording what it yields and calling onEvent
// (when not nil) for each event. It fails the test if anything follows an
// error, and bounds the run with waitLimit.
func (h *harness) run(t *testing.T, ctx context.Context, userID, sessionID string, q *livequeue.Queue, cfg runconfig.RunConfig, onEvent func(*event.Event)) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, waitLimit)
	defer cancel()
	var res result
	for ev, err := range h.runner.RunLive(ctx, userID, sessionID, q, cfg) {
		if len(res.errs) > 0 {
			t.Errorf("the run yielded (%v, %v) after its error %v", ev, err, res.errs[0])
		}
		if err != nil {
			res.errs = append(res.errs, err)
			continue
		}
		if ev == nil {
			t.Error("the run yielded a nil event without an error")
			continue
		}
		res.events = append(res.events, ev)
		if onEvent != nil {
			onEvent(ev)
		}
	}
	return res
}

// closeAfterTurns returns an onEvent function that closes q after the n-th
// event with TurnComplete.
func closeAfterTurns(q *livequeue.Queue, n int) func(*event.Event) {
	seen := 0
	return func(ev *event.Event) {
		if ev.TurnComplete {
			seen++
			if seen == n {
				q.Close()
			}
		}
	}
}

// textQueue returns a new queue holding one user text turn per text.
func textQueue(t *testing.T, texts ...string) *livequeue.Queue {
	t.Helper()
	q := livequeue.New()
	for _, s := range texts {
		if err := q.SendContent(textContent(s)); err != nil {
			t.Fatalf("SendContent(%q): %v", s, err)
		}
	}
	return q
}

// textContent is a user text turn.
func textContent(s string) *genai.Content {
	return genai.NewContentFromText(s, genai.RoleUser)
}

// textConfig is a run config answering in text.
func textConfig() runconfig.RunConfig {
	return runconfig.RunConfig{ResponseModalities: []genai.Modality{genai.ModalityText}}
}

// waitSession returns the i-th session livetest saw.
func (h *harness) waitSession(t *testing.T, i int) *livetest.Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), waitLimit)
	defer cancel()
	s, err := h.srv.WaitSession(ctx, i)
	if err != nil {
		t.Fatalf("waiting for livetest session %d: %v", i, err)
	}
	return s
}

// waitClosedNormally checks that the client closed livetest session s with
// a normal closure (1000).
func waitClosedNormally(t *testing.T, s *livetest.Session) {
	t.Helper()
	select {
	case <-s.Done():
	case <-time.After(waitLimit):
		t.Fatal("livetest session still open after the run ended")
	}
	st, ok := s.ClientClose()
	if !ok {
		t.Fatal("the client ended the connection without a close frame")
	}
	if st.Code != 1000 {
		t.Errorf("client close status = %v, want 1000 (normal closure)", st)
	}
}
