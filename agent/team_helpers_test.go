package agent_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/runner"
	"github.com/adklive/adklive/session"
	"github.com/adklive/adklive/tool"
)

// The tests in this file run multi-agent live runs through the runner,
// against the livetest fake server over a real WebSocket. The scripted
// model tells the agents apart by their system instruction.

const waitLimit = 10 * time.Second

// teamModel is the fake's model: each agent's instruction starts with
// "You are <name>.", and the model acts on the user's words.
func teamModel(ctx context.Context, t *livetest.Turn) livetest.Script {
	me := agentOf(t.Setup)
	if n := len(t.Content); n > 0 && t.Content[n-1] != nil {
		for _, p := range t.Content[n-1].Parts {
			if p != nil && strings.Contains(p.Text, "tool returned result") {
				// The history a new agent is seeded with after a
				// transfer or a finished step.
				return livetest.Script{livetest.Text(me + " heard: (took over)"), livetest.GenerationComplete(), livetest.TurnComplete()}
			}
		}
	}
	text := strings.ToLower(t.Text)
	call := func(name string, args map[string]any) livetest.Script {
		return livetest.Script{
			livetest.ToolCall(&genai.FunctionCall{ID: fmt.Sprintf("%s-%d", me, t.Index), Name: name, Args: args}),
			livetest.Text(me + " goes on."), livetest.GenerationComplete(), livetest.TurnComplete(),
		}
	}
	switch {
	case strings.HasPrefix(text, "go to "):
		return call(tool.TransferToAgentName, map[string]any{"agent_name": strings.TrimPrefix(text, "go to ")})
	case strings.Contains(text, "nobody"):
		return call(tool.TransferToAgentName, map[string]any{"agent_name": "nobody"})
	case strings.Contains(text, "weather agent") && me != "weather_agent":
		return call(tool.TransferToAgentName, map[string]any{"agent_name": "weather_agent"})
	case strings.Contains(text, "coordinator") && me != "coordinator":
		return call(tool.TransferToAgentName, map[string]any{"agent_name": "coordinator"})
	case strings.Contains(text, "done"):
		return call(tool.TaskCompletedName, nil)
	}
	said := t.Text
	if said == "" {
		said = "(took over)"
	}
	return livetest.Script{livetest.Text(me + " heard: " + said), livetest.GenerationComplete(), livetest.TurnComplete()}
}

// agentOf returns the agent a setup is for, from its instruction.
func agentOf(s *genai.LiveClientSetup) string {
	if s.SystemInstruction == nil || len(s.SystemInstruction.Parts) == 0 {
		return "?"
	}
	first, _, _ := strings.Cut(s.SystemInstruction.Parts[0].Text, ".")
	return strings.TrimPrefix(first, "You are ")
}

// declared returns the function names a setup declares.
func declared(s *genai.LiveClientSetup) []string {
	var names []string
	for _, tl := range s.Tools {
		for _, d := range tl.FunctionDeclarations {
			names = append(names, d.Name)
		}
	}
	slices.Sort(names)
	return names
}

// liveTeam is a runner over a livetest server whose model is teamModel.
type liveTeam struct {
	srv      *livetest.Server
	model    live.Model
	sessions session.Service
	runner   func(root agent.Agent) *runner.Runner
}

func newLiveTeam(t *testing.T) *liveTeam {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	srv := livetest.NewServer(livetest.WithResponder(livetest.ResponderFunc(teamModel)))
	t.Cleanup(srv.Close)
	quiet := slog.New(slog.DiscardHandler)
	m, err := gemini.NewModel(t.Context(), "gemini-live-2.5-flash-preview", &gemini.Config{
		Backend: genai.BackendGeminiAPI, APIKey: "test-key", BaseURL: srv.URL, Logger: quiet,
	})
	if err != nil {
		t.Fatal(err)
	}
	sessions := session.InMemory()
	return &liveTeam{srv: srv, model: m, sessions: sessions, runner: func(root agent.Agent) *runner.Runner {
		r, err := runner.New(runner.Config{AppName: "team", Agent: root, SessionService: sessions,
			AutoCreateSession: true, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}}
}

func (lt *liveTeam) agent(t *testing.T, name, desc string, tools []tool.Tool, subs ...agent.Agent) *agent.LLMAgent {
	t.Helper()
	return mustNew(t, agent.Config{Name: name, Description: desc, Model: lt.model,
		Instruction: "You are " + name + ". Be brief.", Tools: tools, SubAgents: subs})
}

// run is one live run in a goroutine, its events on a channel.
type run struct {
	q      *livequeue.Queue
	events chan *event.Event
	err    chan error
}

func startRun(t *testing.T, r *runner.Runner) *run {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	run := &run{q: livequeue.New(), events: make(chan *event.Event, 1000), err: make(chan error, 1)}
	go func() {
		var err error
		for ev, e := range r.RunLive(ctx, "u1", "s1", run.q, runconfig.RunConfig{
			ResponseModalities: []genai.Modality{genai.ModalityText},
		}) {
			if e != nil {
				err = e
				break
			}
			run.events <- ev
		}
		close(run.events)
		run.err <- err
	}()
	t.Cleanup(func() {
		run.q.Close()
		cancel()
		select {
		case <-run.err:
		case <-time.After(waitLimit):
			t.Error("the run did not end")
		}
	})
	return run
}

func (r *run) say(t *testing.T, text string) {
	t.Helper()
	if err := r.q.SendContent(genai.NewContentFromText(text, genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
}

// until returns the events up to the first one match accepts.
func (r *run) until(t *testing.T, what string, match func(*event.Event) bool) []*event.Event {
	t.Helper()
	var seen []*event.Event
	timeout := time.After(waitLimit)
	for {
		select {
		case ev, ok := <-r.events:
			if !ok {
				t.Fatalf("the run ended before %s; events: %s", what, describe(seen))
			}
			seen = append(seen, ev)
			if match(ev) {
				return seen
			}
		case <-timeout:
			t.Fatalf("no %s within %v; events: %s", what, waitLimit, describe(seen))
		}
	}
}

func describe(evs []*event.Event) string {
	var b strings.Builder
	for _, ev := range evs {
		fmt.Fprintf(&b, "\n  %s[%s]: %s", ev.Author, ev.Branch, summary(ev))
	}
	return b.String()
}

func summary(ev *event.Event) string {
	var parts []string
	if c := ev.Content; c != nil {
		for _, p := range c.Parts {
			switch {
			case p.Text != "":
				parts = append(parts, fmt.Sprintf("%q", p.Text))
			case p.FunctionCall != nil:
				parts = append(parts, fmt.Sprintf("call %s%v", p.FunctionCall.Name, p.FunctionCall.Args))
			case p.FunctionResponse != nil:
				parts = append(parts, fmt.Sprintf("response %s%v", p.FunctionResponse.Name, p.FunctionResponse.Response))
			}
		}
	}
	if ev.TurnComplete {
		parts = append(parts, "turnComplete")
	}
	if ev.Actions.TransferToAgent != "" {
		parts = append(parts, "transferTo="+ev.Actions.TransferToAgent)
	}
	if ev.Actions.Escalate {
		parts = append(parts, "escalate")
	}
	return strings.Join(parts, " ")
}

// finalText matches the non-partial model text event that contains s.
func finalText(s string) func(*event.Event) bool {
	return func(ev *event.Event) bool {
		return !ev.Partial && ev.Content != nil && len(ev.Content.Parts) > 0 && strings.Contains(ev.Content.Parts[0].Text, s)
	}
}

// response matches the event of a function response.
func response(name string) func(*event.Event) bool {
	return func(ev *event.Event) bool {
		return ev.Content != nil && len(ev.Content.Parts) > 0 && ev.Content.Parts[0].FunctionResponse != nil &&
			ev.Content.Parts[0].FunctionResponse.Name == name
	}
}

// contentCount counts the clientContent messages of s holding text.
func contentCount(s *livetest.Session, text string) int {
	n := 0
	for _, m := range s.Messages() {
		if cc := m.ClientContent; cc != nil {
			for _, c := range cc.Turns {
				for _, p := range c.Parts {
					if p.Text == text {
						n++
					}
				}
			}
		}
	}
	return n
}

func waitSession(t *testing.T, srv *livetest.Server, i int) *livetest.Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	s, err := srv.WaitSession(ctx, i)
	if err != nil {
		t.Fatalf("session %d: %v", i, err)
	}
	return s
}
