package agent_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/session"
	"github.com/adklive/adklive/tool"
)

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

// A team's run asks for both transcriptions with AUDIO answers (the agent
// taking over reads what was said in them), and checks the run config
// against every agent's model before it dials.
func TestTeamRunConfig(t *testing.T) {
	lt := newLiveTeam(t)
	vertex, err := gemini.NewModel(t.Context(), "gemini-live-2.5-flash-preview", &gemini.Config{
		Backend: genai.BackendVertexAI, APIKey: "test-key", BaseURL: lt.srv.URL,
	})
	if err != nil {
		t.Fatal(err)
	}
	root := lt.agent(t, "coordinator", "Routes.", nil, lt.agent(t, "weather_agent", "Weather.", nil))
	q := livequeue.New()
	if err := q.SendContent(genai.NewContentFromText("hello", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
	q.Close() // the run ends once the text is sent
	for _, err := range lt.runner(root).RunLive(t.Context(), "u1", "s1", q, runconfig.RunConfig{}) {
		if err != nil {
			t.Fatalf("RunLive: %v", err)
		}
	}
	setup := waitSession(t, lt.srv, 0).Setup()
	if setup.InputAudioTranscription == nil || setup.OutputAudioTranscription == nil {
		t.Errorf("setup transcriptions: input %v, output %v; want both on for a team answering in audio",
			setup.InputAudioTranscription, setup.OutputAudioTranscription)
	}

	// Transparent resumption is Vertex AI's: the Gemini API sub-agent
	// cannot have it.
	mixed := mustNew(t, agent.Config{Name: "vertex_root", Model: vertex,
		SubAgents: []agent.Agent{lt.agent(t, "gemini_helper", "Helps.", nil)}})
	q = livequeue.New()
	defer q.Close()
	cfg := runconfig.RunConfig{SessionResumption: &genai.SessionResumptionConfig{Transparent: true}}
	var got error
	for _, err := range lt.runner(mixed).RunLive(t.Context(), "u1", "s2", q, cfg) {
		got = err
	}
	if got == nil || !strings.Contains(got.Error(), `"gemini_helper"`) || !strings.Contains(got.Error(), "Transparent") {
		t.Errorf("RunLive = %v, want an error naming gemini_helper and SessionResumption.Transparent", got)
	}
	if n := len(lt.srv.Sessions()); n != 1 {
		t.Errorf("the server saw %d connections, want none for the invalid run", n-1)
	}
}
