package runner_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/runner"
	"github.com/adklive/adklive/session"
	"github.com/adklive/adklive/tool"
)

// trace records what callbacks ran, in order.
type trace struct {
	mu  sync.Mutex
	got []string
}

func (tr *trace) add(s string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.got = append(tr.got, s)
}

func (tr *trace) list() []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return slices.Clone(tr.got)
}

// Tool callbacks run plugins first, then the agent's; a before callback
// can short-circuit the tool, an after callback can replace the result,
// an error callback can turn a failure into a result.
func TestToolCallbacks(t *testing.T) {
	type step struct {
		name   string
		before bool // this plugin's before callback returns a result
		after  bool // this after callback replaces the result
		onErr  bool // this error callback turns the error into a result
	}
	tests := []struct {
		name     string
		fail     bool // the tool fails
		plugin   step
		agent    step
		want     map[string]any
		wantRuns []string
	}{
		{
			name:     "every callback passes",
			want:     map[string]any{"tool": "ran"},
			wantRuns: []string{"plugin before", "agent before", "tool", "plugin after", "agent after"},
		},
		{
			name:     "a plugin's before callback short-circuits",
			plugin:   step{before: true},
			want:     map[string]any{"from": "plugin before"},
			wantRuns: []string{"plugin before", "plugin after", "agent after"},
		},
		{
			name:     "the agent's before callback short-circuits",
			agent:    step{before: true},
			want:     map[string]any{"from": "agent before"},
			wantRuns: []string{"plugin before", "agent before", "plugin after", "agent after"},
		},
		{
			name:     "a plugin's after callback replaces the result",
			plugin:   step{after: true},
			want:     map[string]any{"from": "plugin after"},
			wantRuns: []string{"plugin before", "agent before", "tool", "plugin after"},
		},
		{
			name:     "the agent's after callback replaces the result",
			agent:    step{after: true},
			want:     map[string]any{"from": "agent after"},
			wantRuns: []string{"plugin before", "agent before", "tool", "plugin after", "agent after"},
		},
		{
			name:     "a failure nobody handles",
			fail:     true,
			want:     map[string]any{"error": "tool broke"},
			wantRuns: []string{"plugin before", "agent before", "tool", "plugin error", "agent error"},
		},
		{
			name:     "the agent's error callback turns the failure into a result",
			fail:     true,
			agent:    step{onErr: true},
			want:     map[string]any{"from": "agent error"},
			wantRuns: []string{"plugin before", "agent before", "tool", "plugin error", "agent error", "plugin after", "agent after"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tr trace
			work, err := tool.NewFunction(tool.FunctionConfig{Name: "work"}, func(tool.Context, map[string]any) (map[string]any, error) {
				tr.add("tool")
				if tc.fail {
					return nil, errors.New("tool broke")
				}
				return map[string]any{"tool": "ran"}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			result := func(who string, yes bool) map[string]any {
				if yes {
					return map[string]any{"from": who}
				}
				return nil
			}
			plugin := runner.Plugin{
				Name: "audit",
				BeforeTool: func(_ tool.Context, f tool.FunctionTool, _ map[string]any) (map[string]any, error) {
					tr.add("plugin before")
					return result("plugin before", tc.plugin.before), nil
				},
				AfterTool: func(_ tool.Context, _ tool.FunctionTool, _, _ map[string]any) (map[string]any, error) {
					tr.add("plugin after")
					return result("plugin after", tc.plugin.after), nil
				},
				OnToolError: func(_ tool.Context, _ tool.FunctionTool, _ map[string]any, _ error) (map[string]any, error) {
					tr.add("plugin error")
					return result("plugin error", tc.plugin.onErr), nil
				},
			}
			agentCallbacks := func(cfg *agent.Config) {
				cfg.BeforeToolCallbacks = []tool.BeforeCallback{func(tool.Context, tool.FunctionTool, map[string]any) (map[string]any, error) {
					tr.add("agent before")
					return result("agent before", tc.agent.before), nil
				}}
				cfg.AfterToolCallbacks = []tool.AfterCallback{func(_ tool.Context, _ tool.FunctionTool, _, _ map[string]any) (map[string]any, error) {
					tr.add("agent after")
					return result("agent after", tc.agent.after), nil
				}}
				cfg.OnToolErrorCallbacks = []tool.ErrorCallback{func(_ tool.Context, _ tool.FunctionTool, _ map[string]any, _ error) (map[string]any, error) {
					tr.add("agent error")
					return result("agent error", tc.agent.onErr), nil
				}}
			}
			h := newHarness(t, setup{tools: []tool.Tool{work}, plugins: []runner.Plugin{plugin}, agentCfg: agentCallbacks})
			h.createSession(t, "u", "s")
			h.srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "c1", Name: "work"}), livetest.Text("OK."))
			q := textQueue(t, "work")
			res := h.run(t, t.Context(), "u", "s", q, textConfig(), closeAfterTurns(q, 1))
			if err := res.err(t); err != nil {
				t.Fatalf("the run ended with %v", err)
			}
			want := [][]*genai.FunctionResponse{{{ID: "c1", Name: "work", Response: tc.want}}}
			if diff := cmp.Diff(want, toolResponses(h.waitSession(t, 0))); diff != "" {
				t.Errorf("tool responses on the wire (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantRuns, tr.list()); diff != "" {
				t.Errorf("callbacks ran (-want +got):\n%s", diff)
			}
		})
	}
}

// A before-tool callback may fix the arguments; the model's call, already
// yielded, keeps the model's.
func TestBeforeToolCallbackChangesArgs(t *testing.T) {
	echo, err := tool.NewFunction(tool.FunctionConfig{Name: "echo"}, func(_ tool.Context, args map[string]any) (map[string]any, error) {
		return map[string]any{"city": args["city"]}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, setup{tools: []tool.Tool{echo}, agentCfg: func(cfg *agent.Config) {
		cfg.BeforeToolCallbacks = []tool.BeforeCallback{func(_ tool.Context, _ tool.FunctionTool, args map[string]any) (map[string]any, error) {
			args["city"] = "Paris"
			return nil, nil
		}}
	}})
	h.createSession(t, "u", "s")
	h.srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "c1", Name: "echo", Args: map[string]any{"city": "paris"}}), livetest.Text("OK."))
	q := textQueue(t, "echo")
	res := h.run(t, t.Context(), "u", "s", q, textConfig(), closeAfterTurns(q, 1))
	if err := res.err(t); err != nil {
		t.Fatalf("the run ended with %v", err)
	}
	want := [][]*genai.FunctionResponse{{{ID: "c1", Name: "echo", Response: map[string]any{"city": "Paris"}}}}
	if diff := cmp.Diff(want, toolResponses(h.waitSession(t, 0))); diff != "" {
		t.Errorf("tool responses on the wire (-want +got):\n%s", diff)
	}
	for _, ev := range res.events {
		for _, c := range ev.FunctionCalls() {
			if c.Args["city"] != "paris" {
				t.Errorf("the yielded call has args %v, want the model's", c.Args)
			}
		}
	}
}

// A tool writes session state through its context; the write is the
// response event's state delta, which the runner stores, and a later call
// of the same run reads it.
func TestToolStateIsPersisted(t *testing.T) {
	remember, err := tool.NewTyped(tool.TypedConfig{Name: "remember"},
		func(ctx tool.Context, a struct {
			City string `json:"city"`
		}) (map[string]any, error) {
			prev, _ := ctx.State().Get("user:city")
			visits, _ := ctx.State().Get("visits")
			n, _ := visits.(float64)
			ctx.State().Set("user:city", a.City)
			ctx.State().Set("visits", n+1)
			return map[string]any{"previous": prev}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, setup{tools: []tool.Tool{remember}})
	h.createSession(t, "u", "s")
	h.srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "c1", Name: "remember", Args: map[string]any{"city": "Paris"}}), livetest.Text("OK."))
	h.srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "c2", Name: "remember", Args: map[string]any{"city": "Rome"}}), livetest.Text("OK."))
	q := textQueue(t, "remember Paris")
	turns := 0
	res := h.run(t, t.Context(), "u", "s", q, textConfig(), func(ev *event.Event) {
		if ev.TurnComplete {
			if turns++; turns == 1 {
				if err := q.SendContent(textContent("remember Rome")); err != nil {
					t.Error(err)
				}
			} else {
				q.Close()
			}
		}
	})
	if err := res.err(t); err != nil {
		t.Fatalf("the run ended with %v", err)
	}
	want := [][]*genai.FunctionResponse{
		{{ID: "c1", Name: "remember", Response: map[string]any{"previous": nil}}},
		{{ID: "c2", Name: "remember", Response: map[string]any{"previous": "Paris"}}},
	}
	if diff := cmp.Diff(want, toolResponses(h.waitSession(t, 0))); diff != "" {
		t.Errorf("tool responses on the wire (-want +got):\n%s", diff)
	}
	got, err := h.sessions.Get(t.Context(), &session.GetRequest{AppName: appName, UserID: "u", SessionID: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(session.State{"user:city": "Rome", "visits": 2.0}, got.State); diff != "" {
		t.Errorf("stored state (-want +got):\n%s", diff)
	}
	// A new session of the same user sees the user-scoped key.
	other := h.createSession(t, "u", "s2")
	if other.State["user:city"] != "Rome" {
		t.Errorf("another session of the user has state %v, want user:city Rome", other.State)
	}
}

// Model callbacks: before-model sees each user turn first (plugins
// first) and may change it or answer it; after-model may replace each
// finished piece of the model's turn.
func TestModelCallbacks(t *testing.T) {
	var tr trace
	plugin := runner.Plugin{
		Name: "guard",
		BeforeModel: func(_ tool.Context, turn *genai.Content) (*genai.Content, error) {
			tr.add("plugin before " + turn.Parts[0].Text)
			if turn.Parts[0].Text == "password?" {
				return genai.NewContentFromText("I cannot tell you that.", genai.RoleModel), nil
			}
			return nil, nil
		},
		AfterModel: func(_ tool.Context, resp *genai.Content) (*genai.Content, error) {
			tr.add("plugin after " + resp.Parts[0].Text)
			return nil, nil
		},
	}
	h := newHarness(t, setup{plugins: []runner.Plugin{plugin}, agentCfg: func(cfg *agent.Config) {
		cfg.BeforeModelCallbacks = []flow.BeforeModelCallback{func(ctx tool.Context, turn *genai.Content) (*genai.Content, error) {
			tr.add("agent before " + turn.Parts[0].Text)
			turn.Parts[0] = genai.NewPartFromText(turn.Parts[0].Text + " (be brief)")
			ctx.State().Set("turns_seen", 1)
			return nil, nil
		}}
		cfg.AfterModelCallbacks = []flow.AfterModelCallback{func(_ tool.Context, resp *genai.Content) (*genai.Content, error) {
			tr.add("agent after " + resp.Parts[0].Text)
			return genai.NewContentFromText("[redacted]", genai.RoleModel), nil
		}}
	}})
	h.createSession(t, "u", "s")
	h.srv.Reply(livetest.Text("The secret is 42."))
	q := textQueue(t, "password?", "hello")
	res := h.run(t, t.Context(), "u", "s", q, textConfig(), closeAfterTurns(q, 2))
	if err := res.err(t); err != nil {
		t.Fatalf("the run ended with %v", err)
	}
	wantTrace := []string{
		"plugin before password?",
		"plugin after I cannot tell you that.", "agent after I cannot tell you that.",
		"plugin before hello", "agent before hello",
		"plugin after The secret is 42.", "agent after The secret is 42.",
	}
	if diff := cmp.Diff(wantTrace, tr.list()); diff != "" {
		t.Errorf("callbacks ran (-want +got):\n%s", diff)
	}
	// The model got only the second turn, changed.
	var sent []string
	for _, m := range h.waitSession(t, 0).Messages() {
		if c := m.ClientContent; c != nil {
			for _, turn := range c.Turns {
				sent = append(sent, turn.Parts[0].Text)
			}
		}
	}
	if diff := cmp.Diff([]string{"hello (be brief)"}, sent); diff != "" {
		t.Errorf("turns the model got (-want +got):\n%s", diff)
	}
	var stored []string
	for _, ev := range h.stored(t, "u", "s") {
		if ev.Content != nil && len(ev.Content.Parts) > 0 {
			stored = append(stored, fmt.Sprintf("%s: %s", ev.Author, ev.Content.Parts[0].Text))
		}
	}
	wantStored := []string{
		"user: password?", agentName + ": [redacted]",
		"user: hello (be brief)", agentName + ": [redacted]",
	}
	if diff := cmp.Diff(wantStored, stored); diff != "" {
		t.Errorf("stored conversation (-want +got):\n%s", diff)
	}
}
