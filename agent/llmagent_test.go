package agent_test

import (
	"context"
	"errors"
	"iter"
	"strings"
	"testing"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/tool"
)

// stubModel is a live.Model that refuses to connect: enough for building
// agents.
type stubModel struct{}

func (stubModel) Name() string { return "stub-model" }

func (stubModel) Connect(context.Context, *live.ConnectRequest) (live.Conn, error) {
	return nil, errors.New("stubModel does not connect")
}

// namedAgent is a minimal custom Agent.
type namedAgent struct {
	name string
	subs []agent.Agent
}

func (a namedAgent) Name() string             { return a.name }
func (a namedAgent) Description() string      { return "" }
func (a namedAgent) SubAgents() []agent.Agent { return a.subs }
func (a namedAgent) RunLive(context.Context, *agent.InvocationContext) iter.Seq2[*event.Event, error] {
	return func(func(*event.Event, error) bool) {}
}

// pointerTool is a tool with pointer receivers, so that a nil
// *pointerTool is a tool.Tool.
type pointerTool struct{}

func (*pointerTool) Name() string        { return "pointer_tool" }
func (*pointerTool) Description() string { return "" }

func mustFunction(t *testing.T, name string) tool.FunctionTool {
	t.Helper()
	f, err := tool.NewFunction(tool.FunctionConfig{Name: name, Description: "test tool"},
		func(tool.Context, map[string]any) (map[string]any, error) { return nil, nil })
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func mustNew(t *testing.T, cfg agent.Config) *agent.LLMAgent {
	t.Helper()
	a, err := agent.New(cfg)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	return a
}

func TestNewRejectsInvalidConfig(t *testing.T) {
	child := mustNew(t, agent.Config{Name: "child", Model: stubModel{}})
	grandchild := namedAgent{name: "helper"}
	tests := []struct {
		name string
		cfg  agent.Config
		// want are substrings of the error message: the field and what
		// was wrong with it.
		want []string
	}{
		{"empty name", agent.Config{Model: stubModel{}}, []string{"Name", "required"}},
		{"reserved name", agent.Config{Name: "user", Model: stubModel{}}, []string{"Name", `"user"`, "reserved"}},
		{"space in name", agent.Config{Name: "my agent", Model: stubModel{}}, []string{"Name", `"my agent"`, "identifier"}},
		{"dash in name", agent.Config{Name: "my-agent", Model: stubModel{}}, []string{"Name", "identifier"}},
		{"leading digit", agent.Config{Name: "1agent", Model: stubModel{}}, []string{"Name", "identifier"}},
		{"dot in name", agent.Config{Name: "a.b", Model: stubModel{}}, []string{"Name", "identifier"}},
		{"no model", agent.Config{Name: "root"}, []string{"Model", "required"}},
		{"typed-nil model", agent.Config{Name: "root", Model: (*gemini.Model)(nil)}, []string{"Model", "nil *gemini.Model"}},
		{"nil tool", agent.Config{Name: "root", Model: stubModel{}, Tools: []tool.Tool{nil}}, []string{"Tools[0]", "nil"}},
		{"typed-nil tool", agent.Config{Name: "root", Model: stubModel{}, Tools: []tool.Tool{mustFunction(t, "lookup"), (*pointerTool)(nil)}},
			[]string{"Tools[1]", "nil *agent_test.pointerTool"}},
		{
			"duplicate tool",
			agent.Config{Name: "root", Model: stubModel{}, Tools: []tool.Tool{mustFunction(t, "lookup"), tool.GoogleSearch(), mustFunction(t, "lookup")}},
			[]string{"Tools[2]", `"lookup"`, "Tools[0]"},
		},
		{"nil sub-agent", agent.Config{Name: "root", Model: stubModel{}, SubAgents: []agent.Agent{child, nil}}, []string{"SubAgents[1]", "nil"}},
		{"typed-nil sub-agent", agent.Config{Name: "root", Model: stubModel{}, SubAgents: []agent.Agent{(*agent.LLMAgent)(nil)}},
			[]string{"SubAgents[0]", "nil *agent.LLMAgent"}},
		{
			"sub-agent named like the parent",
			agent.Config{Name: "child", Model: stubModel{}, SubAgents: []agent.Agent{child}},
			[]string{"SubAgents[0]", `"child"`, "already used by Name"},
		},
		{
			"two sub-agents with one name",
			agent.Config{Name: "root", Model: stubModel{}, SubAgents: []agent.Agent{child, namedAgent{name: "child"}}},
			[]string{"SubAgents[1]", `"child"`, "SubAgents[0]"},
		},
		{
			"duplicate deeper in the tree",
			agent.Config{Name: "root", Model: stubModel{}, SubAgents: []agent.Agent{
				namedAgent{name: "a", subs: []agent.Agent{grandchild}},
				namedAgent{name: "b", subs: []agent.Agent{grandchild}},
			}},
			[]string{"SubAgents[1].SubAgents[0]", `"helper"`, "SubAgents[0].SubAgents[0]"},
		},
		{
			"invalid sub-agent name",
			agent.Config{Name: "root", Model: stubModel{}, SubAgents: []agent.Agent{namedAgent{name: "user"}}},
			[]string{"SubAgents[0]", "reserved"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := agent.New(tt.cfg)
			if err == nil {
				t.Fatalf("New = %v, nil; want an error", a)
			}
			if !errors.Is(err, agent.ErrInvalidConfig) {
				t.Errorf("New error %q does not match ErrInvalidConfig", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("New error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestNewRejectsCycles(t *testing.T) {
	// A custom agent whose sub-agent tree loops back on itself.
	loop := &cyclicAgent{name: "loop"}
	loop.subs = []agent.Agent{loop}
	_, err := agent.New(agent.Config{Name: "root", Model: stubModel{}, SubAgents: []agent.Agent{loop}})
	if !errors.Is(err, agent.ErrInvalidConfig) || !strings.Contains(err.Error(), `"loop"`) {
		t.Fatalf("New with a cyclic sub-agent = %v; want an ErrInvalidConfig naming \"loop\"", err)
	}
}

type cyclicAgent struct {
	name string
	subs []agent.Agent
}

func (a *cyclicAgent) Name() string             { return a.name }
func (a *cyclicAgent) Description() string      { return "" }
func (a *cyclicAgent) SubAgents() []agent.Agent { return a.subs }
func (a *cyclicAgent) RunLive(context.Context, *agent.InvocationContext) iter.Seq2[*event.Event, error] {
	return func(func(*event.Event, error) bool) {}
}

func TestNewKeepsConfig(t *testing.T) {
	child := mustNew(t, agent.Config{Name: "weather_agent", Description: "Answers weather questions.", Model: stubModel{}})
	search := tool.GoogleSearch()
	lookup := mustFunction(t, "lookup")
	tools := []tool.Tool{search, lookup}
	subs := []agent.Agent{child}
	a := mustNew(t, agent.Config{
		Name:        "root_agent",
		Description: "Routes questions.",
		Model:       stubModel{},
		Instruction: "Be brief.",
		Tools:       tools,
		SubAgents:   subs,
	})
	// Changing the caller's slices afterwards must not change the agent.
	tools[0], subs[0] = nil, nil

	if got, want := a.Name(), "root_agent"; got != want {
		t.Errorf("Name() = %q, want %q", got, want)
	}
	if got, want := a.Description(), "Routes questions."; got != want {
		t.Errorf("Description() = %q, want %q", got, want)
	}
	if got, want := a.Instruction(), "Be brief."; got != want {
		t.Errorf("Instruction() = %q, want %q", got, want)
	}
	if got := a.Model(); got != (stubModel{}) {
		t.Errorf("Model() = %v, want the configured model", got)
	}
	if got := a.Tools(); len(got) != 2 || got[0] != search || got[1] != lookup {
		t.Errorf("Tools() = %v, want [google_search lookup]", got)
	}
	if got := a.SubAgents(); len(got) != 1 || got[0] != agent.Agent(child) {
		t.Errorf("SubAgents() = %v, want [weather_agent]", got)
	}
}

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"search_agent", true},
		{"_private", true},
		{"Agent2", true},
		{"agente_búsqueda", true},
		{"", false},
		{"user", false},
		{"2fast", false},
		{"with space", false},
		{"with-dash", false},
		{"with.dot", false},
	}
	for _, tt := range tests {
		err := agent.ValidateName(tt.name)
		if (err == nil) != tt.ok {
			t.Errorf("ValidateName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestRunLiveWithoutInvocationContext(t *testing.T) {
	a := mustNew(t, agent.Config{Name: "root", Model: stubModel{}})
	var errs []error
	for ev, err := range a.RunLive(t.Context(), nil) {
		if ev != nil {
			t.Errorf("RunLive(nil) yielded event %+v", ev)
		}
		errs = append(errs, err)
	}
	if len(errs) != 1 || errs[0] == nil || !strings.Contains(errs[0].Error(), "InvocationContext") {
		t.Fatalf("RunLive(nil) yielded errors %v; want one naming the InvocationContext", errs)
	}
}
