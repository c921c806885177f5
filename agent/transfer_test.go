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

func TestTransferToSubAgentAndBack(t *testing.T) {
	lt := newLiveTeam(t)
	getWeather := mustFunction(t, "get_weather")
	weather := lt.agent(t, "weather_agent", "Answers questions about the weather.", []tool.Tool{getWeather})
	news := lt.agent(t, "news_agent", "Reads the news.", nil)
	root := lt.agent(t, "coordinator", "Routes the user to a specialist.", nil, weather, news)
	run := startRun(t, lt.runner(root))

	first := waitSession(t, lt.srv, 0)
	if got, want := declared(first.Setup()), []string{"transfer_to_agent"}; !slices.Equal(got, want) {
		t.Errorf("the coordinator declares %v, want %v", got, want)
	}
	decl := first.Setup().Tools[0].FunctionDeclarations[0]
	for _, want := range []string{"weather_agent: Answers questions about the weather.", "news_agent: Reads the news."} {
		if !strings.Contains(decl.Description, want) {
			t.Errorf("transfer_to_agent's description %q does not list %q", decl.Description, want)
		}
	}
	if enum := decl.Parameters.Properties["agent_name"].Enum; !slices.Equal(enum, []string{"weather_agent", "news_agent"}) {
		t.Errorf("agent_name enum = %v, want [weather_agent news_agent]", enum)
	}
	if first.Setup().InputAudioTranscription == nil {
		t.Error("input transcription is not forced on for an agent with sub-agents")
	}

	run.say(t, "Let me talk to the weather agent")
	evs := run.until(t, "the transfer's response", response(tool.TransferToAgentName))
	resp := evs[len(evs)-1]
	// Said during the switch: the old connection takes nothing more.
	run.say(t, "said during the switch")
	if resp.Author != "coordinator" || resp.Actions.TransferToAgent != "weather_agent" {
		t.Errorf("transfer response: author %q, actions %+v; want coordinator, TransferToAgent weather_agent", resp.Author, resp.Actions)
	}
	if got := resp.Content.Parts[0].FunctionResponse.Response["result"]; !strings.Contains(fmt.Sprint(got), "weather_agent") {
		t.Errorf("transfer response %v does not say the transfer happened", resp.Content.Parts[0].FunctionResponse.Response)
	}

	evs = run.until(t, "the weather agent hearing the input of the switch", finalText("weather_agent heard: said during the switch"))
	for _, ev := range evs {
		if ev.Author == "weather_agent" && ev.Branch != "coordinator.weather_agent" {
			t.Errorf("weather_agent's event has Branch %q, want coordinator.weather_agent: %s", ev.Branch, summary(ev))
		}
	}
	second := waitSession(t, lt.srv, 1)
	setup := second.Setup()
	if got := agentOf(setup); got != "weather_agent" {
		t.Errorf("the second connection's instruction is for %q, want weather_agent", got)
	}
	if got, want := declared(setup), []string{"get_weather", "transfer_to_agent"}; !slices.Equal(got, want) {
		t.Errorf("the weather agent declares %v, want %v", got, want)
	}
	if targets := setup.Tools[0].FunctionDeclarations[1].Parameters.Properties["agent_name"].Enum; !slices.Equal(targets, []string{"coordinator", "news_agent"}) {
		t.Errorf("the weather agent can transfer to %v, want its parent and its peer", targets)
	}
	if n := contentCount(first, "said during the switch"); n != 0 {
		t.Errorf("the coordinator's connection got the input of the switch %d times", n)
	}
	if n := contentCount(second, "said during the switch"); n != 1 {
		t.Errorf("the weather agent's connection got the input of the switch %d times, want once", n)
	}
	if n := contentCount(second, "Let me talk to the weather agent"); n != 1 {
		t.Errorf("the weather agent's history holds the user's request %d times, want once", n)
	}

	run.say(t, "back to the coordinator please")
	run.until(t, "the transfer back", response(tool.TransferToAgentName))
	evs = run.until(t, "the coordinator taking over", finalText("coordinator heard"))
	if ev := evs[len(evs)-1]; ev.Author != "coordinator" || ev.Branch != "" {
		t.Errorf("after the transfer back: author %q branch %q, want coordinator and the root's empty branch", ev.Author, ev.Branch)
	}
	if got := agentOf(waitSession(t, lt.srv, 2).Setup()); got != "coordinator" {
		t.Errorf("the third connection's instruction is for %q, want coordinator", got)
	}

	// The session keeps the calls and their responses, with the action.
	run.q.Close()
	for range run.events {
	}
	if err := <-run.err; err != nil {
		t.Errorf("the run ended with %v", err)
	}
	run.err <- nil // for the cleanup
	s, err := lt.sessions.Get(t.Context(), &session.GetRequest{AppName: "team", UserID: "u1", SessionID: "s1"})
	if err != nil {
		t.Fatal(err)
	}
	var stored []string
	for _, ev := range s.Events {
		for _, c := range ev.FunctionCalls() {
			stored = append(stored, fmt.Sprintf("%s call %s(%v)", ev.Author, c.Name, c.Args["agent_name"]))
		}
		if ev.Actions.TransferToAgent != "" {
			stored = append(stored, fmt.Sprintf("%s response -> %s", ev.Author, ev.Actions.TransferToAgent))
		}
	}
	want := []string{
		"coordinator call transfer_to_agent(weather_agent)", "coordinator response -> weather_agent",
		"weather_agent call transfer_to_agent(coordinator)", "weather_agent response -> coordinator",
	}
	if !slices.Equal(stored, want) {
		t.Errorf("the session stored %q, want %q", stored, want)
	}
}

// A tool of the application may ask for a transfer too; an agent the tree
// does not have is answered with an error, and the run stays.
func TestToolActionNamingAnUnknownAgentIsAnsweredWithAnError(t *testing.T) {
	lt := newLiveTeam(t)
	ghost, err := tool.NewFunction(tool.FunctionConfig{Name: "summon", Description: "Summons a ghost."},
		func(ctx tool.Context, _ map[string]any) (map[string]any, error) {
			ctx.Actions().TransferToAgent = "ghost_agent"
			return map[string]any{"result": "summoned"}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	root := lt.agent(t, "coordinator", "Routes.", []tool.Tool{ghost}, lt.agent(t, "helper", "Helps.", nil))
	lt.srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "s1", Name: "summon"}), livetest.Text("coordinator goes on."),
		livetest.GenerationComplete(), livetest.TurnComplete())
	run := startRun(t, lt.runner(root))
	run.say(t, "summon")
	evs := run.until(t, "the tool's response", response("summon"))
	ev := evs[len(evs)-1]
	if msg := fmt.Sprint(ev.Content.Parts[0].FunctionResponse.Response["error"]); !strings.Contains(msg, `"ghost_agent"`) {
		t.Errorf("response = %v, want an error naming ghost_agent", ev.Content.Parts[0].FunctionResponse.Response)
	}
	if ev.Actions.TransferToAgent != "" {
		t.Errorf("the response still asks to transfer to %q", ev.Actions.TransferToAgent)
	}
	run.until(t, "the coordinator going on", finalText("coordinator goes on."))
}

func TestTransferToUnknownAgentIsAnsweredWithAnError(t *testing.T) {
	lt := newLiveTeam(t)
	weather := lt.agent(t, "weather_agent", "Answers questions about the weather.", nil)
	root := lt.agent(t, "coordinator", "Routes.", nil, weather)
	run := startRun(t, lt.runner(root))

	run.say(t, "transfer me to nobody")
	evs := run.until(t, "the transfer's response", response(tool.TransferToAgentName))
	resp := evs[len(evs)-1]
	fr := resp.Content.Parts[0].FunctionResponse.Response
	if msg := fmt.Sprint(fr["error"]); !strings.Contains(msg, `"nobody"`) || !strings.Contains(msg, "weather_agent") {
		t.Errorf("response = %v, want an error naming the unknown agent and the targets", fr)
	}
	if resp.Actions.TransferToAgent != "" {
		t.Errorf("an unknown target's response carries TransferToAgent %q", resp.Actions.TransferToAgent)
	}
	run.until(t, "the coordinator going on", finalText("coordinator goes on."))
	run.say(t, "hello again")
	run.until(t, "the next answer", finalText("coordinator heard: hello again"))
	if n := len(lt.srv.Sessions()); n != 1 {
		t.Errorf("the run opened %d connections, want 1", n)
	}
}

func TestSequentialAgentLive(t *testing.T) {
	lt := newLiveTeam(t)
	greeter := lt.agent(t, "greeter", "Greets the user.", nil)
	collector := lt.agent(t, "collector", "Collects the order.", nil)
	seq, err := agent.NewSequential(agent.SequentialConfig{Name: "pipeline", SubAgents: []agent.Agent{greeter, collector}})
	if err != nil {
		t.Fatal(err)
	}
	run := startRun(t, lt.runner(seq))

	first := waitSession(t, lt.srv, 0)
	if got := agentOf(first.Setup()); got != "greeter" {
		t.Errorf("the first step is %q, want greeter", got)
	}
	if got, want := declared(first.Setup()), []string{"task_completed"}; !slices.Equal(got, want) {
		t.Errorf("a step declares %v, want %v", got, want)
	}
	run.say(t, "hi")
	run.until(t, "the greeter", finalText("greeter heard: hi"))
	run.say(t, "done")
	evs := run.until(t, "task_completed's response", response(tool.TaskCompletedName))
	if ev := evs[len(evs)-1]; !ev.Actions.Escalate || ev.Author != "greeter" {
		t.Errorf("task_completed response: author %q actions %+v; want greeter, Escalate", ev.Author, ev.Actions)
	}
	evs = run.until(t, "the collector taking over", finalText("collector heard"))
	if ev := evs[len(evs)-1]; ev.Author != "collector" || ev.Branch != "pipeline.collector" {
		t.Errorf("next step: author %q branch %q, want collector, pipeline.collector", ev.Author, ev.Branch)
	}
	run.say(t, "done")
	run.until(t, "the last task_completed", response(tool.TaskCompletedName))
	// After the last step the run ends, without an error.
	timeout := time.After(waitLimit)
	for {
		select {
		case _, ok := <-run.events:
			if ok {
				continue
			}
			if err := <-run.err; err != nil {
				t.Errorf("the run ended with %v, want no error", err)
			}
			run.err <- nil // for the cleanup
			return
		case <-timeout:
			t.Fatal("the run did not end after the last step")
		}
	}
}

// A sequential agent under a coordinator: a transfer to it starts its
// first step, and after its last step the run goes back to the
// coordinator.
func TestSequentialAgentUnderACoordinator(t *testing.T) {
	lt := newLiveTeam(t)
	seq, err := agent.NewSequential(agent.SequentialConfig{Name: "pipeline", Description: "Takes an order in two steps.",
		SubAgents: []agent.Agent{lt.agent(t, "greeter", "Greets.", nil), lt.agent(t, "collector", "Collects.", nil)}})
	if err != nil {
		t.Fatal(err)
	}
	root := lt.agent(t, "coordinator", "Routes.", nil, seq)
	run := startRun(t, lt.runner(root))

	run.say(t, "go to pipeline")
	evs := run.until(t, "the first step", finalText("greeter heard"))
	if ev := evs[len(evs)-1]; ev.Branch != "coordinator.pipeline.greeter" {
		t.Errorf("first step's branch = %q, want coordinator.pipeline.greeter", ev.Branch)
	}
	// A step whose parent is a sequential agent transfers nowhere: it
	// finishes with task_completed.
	if got, want := declared(waitSession(t, lt.srv, 1).Setup()), []string{"task_completed"}; !slices.Equal(got, want) {
		t.Errorf("the first step declares %v, want %v", got, want)
	}
	run.say(t, "done")
	run.until(t, "the second step", finalText("collector heard"))
	run.say(t, "done")
	evs = run.until(t, "the coordinator again", finalText("coordinator heard"))
	if ev := evs[len(evs)-1]; ev.Author != "coordinator" {
		t.Errorf("after the sequence: author %q, want coordinator", ev.Author)
	}
}

// A new run of a session goes on with the agent that spoke last.
func TestNewRunGoesOnWithTheLastAgent(t *testing.T) {
	lt := newLiveTeam(t)
	root := lt.agent(t, "coordinator", "Routes.", nil, lt.agent(t, "weather_agent", "Weather.", nil))
	r := lt.runner(root)
	first := startRun(t, r)
	first.say(t, "talk to the weather agent")
	first.until(t, "the weather agent", finalText("weather_agent heard"))
	first.q.Close()
	for range first.events {
	}
	if err := <-first.err; err != nil {
		t.Fatal(err)
	}
	first.err <- nil

	second := startRun(t, r)
	if got := agentOf(waitSession(t, lt.srv, 2).Setup()); got != "weather_agent" {
		t.Errorf("the next run starts as %q, want weather_agent", got)
	}
	second.say(t, "hello")
	evs := second.until(t, "the answer", finalText("heard: hello"))
	if ev := evs[len(evs)-1]; ev.Author != "weather_agent" || ev.Branch != "coordinator.weather_agent" {
		t.Errorf("answer by %q on branch %q, want weather_agent on coordinator.weather_agent", ev.Author, ev.Branch)
	}
}
