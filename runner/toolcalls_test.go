package runner_test

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/tool"
)

// countingTool returns a tool named name that counts its runs and answers
// {"ok": true}.
func countingTool(t *testing.T, name string, runs *atomic.Int32) tool.FunctionTool {
	t.Helper()
	f, err := tool.NewFunction(tool.FunctionConfig{Name: name, Description: "counts its calls"},
		func(tool.Context, map[string]any) (map[string]any, error) {
			runs.Add(1)
			return map[string]any{"ok": true}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// toolResponses returns the function responses livetest session s
// received, one slice per toolResponse message.
func toolResponses(s *livetest.Session) [][]*genai.FunctionResponse {
	var out [][]*genai.FunctionResponse
	for _, m := range s.Messages() {
		if m.ToolResponse != nil {
			out = append(out, m.ToolResponse.FunctionResponses)
		}
	}
	return out
}

// Calls the model makes in a raw toolCall frame (which livetest does not
// wait on: the answer starts a turn of its own) are answered, and the run
// goes on to that next turn.
func TestRawToolCallsAreAnsweredAndTheRunGoesOn(t *testing.T) {
	tests := []struct {
		name  string
		calls string // the functionCalls array
		want  [][]*genai.FunctionResponse
		runs  int32
	}{
		{
			name:  "args that are a JSON string",
			calls: `[{"id":"c1","name":"count","args":"{\"city\":\"Paris\"}"}]`,
			want: [][]*genai.FunctionResponse{{{ID: "c1", Name: "count", Response: map[string]any{
				"error": `invalid arguments for tool "count": args is a JSON string, not a JSON object: "{\"city\":\"Paris\"}"; ` +
					`call it with an object of named arguments`}}}},
		},
		{
			name:  "args that are an array",
			calls: `[{"id":"c1","name":"count","args":[1]}]`,
			want: [][]*genai.FunctionResponse{{{ID: "c1", Name: "count", Response: map[string]any{
				"error": `invalid arguments for tool "count": args is a JSON array, not a JSON object: [1]; ` +
					`call it with an object of named arguments`}}}},
		},
		{
			name:  "a call without an id",
			calls: `[{"name":"count","args":{"a":1}}]`,
			want:  [][]*genai.FunctionResponse{{{Name: "count", Response: map[string]any{"ok": true}}}},
			runs:  1,
		},
		{
			name:  "the same call twice, id and all",
			calls: `[{"id":"c1","name":"count","args":{"a":1}},{"id":"c1","name":"count","args":{"a":1}}]`,
			want:  [][]*genai.FunctionResponse{{{ID: "c1", Name: "count", Response: map[string]any{"ok": true}}}},
			runs:  1,
		},
		{
			name:  "the same call twice without ids",
			calls: `[{"name":"count","args":{"a":1}},{"name":"count","args":{"a":1}}]`,
			want:  [][]*genai.FunctionResponse{{{Name: "count", Response: map[string]any{"ok": true}}}},
			runs:  1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var runs atomic.Int32
			h := newHarness(t, setup{tools: []tool.Tool{countingTool(t, "count", &runs)}})
			h.createSession(t, "u", "s")
			h.srv.Reply(livetest.Raw([]byte(`{"toolCall":{"functionCalls":` + tc.calls + `}}`)))
			h.srv.Reply(livetest.Text("Done."))
			q := textQueue(t, "go")
			res := h.run(t, t.Context(), "u", "s", q, textConfig(), closeAfterTurns(q, 2))
			if err := res.err(t); err != nil {
				t.Fatalf("the run ended with %v", err)
			}
			if diff := cmp.Diff(tc.want, toolResponses(h.waitSession(t, 0))); diff != "" {
				t.Errorf("tool responses on the wire (-want +got):\n%s", diff)
			}
			if got := runs.Load(); got != tc.runs {
				t.Errorf("the tool ran %d times, want %d", got, tc.runs)
			}
		})
	}
}

// Identical calls in one toolCall (same name and args, different ids) run
// once; each id gets the response, in one toolResponse message. A call
// with other args runs on its own.
func TestDuplicateCallsRunOnce(t *testing.T) {
	var runs atomic.Int32
	h := newHarness(t, setup{tools: []tool.Tool{countingTool(t, "count", &runs)}})
	h.createSession(t, "u", "s")
	h.srv.Reply(livetest.ToolCall(
		&genai.FunctionCall{ID: "c1", Name: "count", Args: map[string]any{"a": 1.0, "b": "x"}},
		&genai.FunctionCall{ID: "c2", Name: "count", Args: map[string]any{"b": "x", "a": 1.0}},
		&genai.FunctionCall{ID: "c3", Name: "count", Args: map[string]any{"a": 2.0}},
	), livetest.Text("Done."))
	q := textQueue(t, "go")
	res := h.run(t, t.Context(), "u", "s", q, textConfig(), closeAfterTurns(q, 1))
	if err := res.err(t); err != nil {
		t.Fatalf("the run ended with %v", err)
	}
	if got := runs.Load(); got != 2 {
		t.Errorf("the tool ran %d times, want 2 (c1 and c2 are the same call)", got)
	}
	got := toolResponses(h.waitSession(t, 0))
	slices.SortFunc(got, func(a, b []*genai.FunctionResponse) int { return strings.Compare(a[0].ID, b[0].ID) })
	ok := map[string]any{"ok": true}
	want := [][]*genai.FunctionResponse{
		{{ID: "c1", Name: "count", Response: ok}, {ID: "c2", Name: "count", Response: ok}},
		{{ID: "c3", Name: "count", Response: ok}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tool responses on the wire (-want +got):\n%s", diff)
	}
	// The stored history answers every call it keeps.
	var calls, answers []string
	for _, ev := range h.stored(t, "u", "s") {
		for _, c := range ev.FunctionCalls() {
			calls = append(calls, c.ID)
		}
		for _, r := range ev.FunctionResponses() {
			answers = append(answers, r.ID)
		}
	}
	slices.Sort(answers)
	if diff := cmp.Diff(calls, answers); diff != "" {
		t.Errorf("stored calls and responses differ (-calls +responses):\n%s", diff)
	}
}

// A typed tool's arguments are checked against the schema derived from
// its struct: wrong types and missing fields are answered with errors
// naming the field, the function never sees them, and the run goes on.
func TestTypedToolArgumentsAreChecked(t *testing.T) {
	type args struct {
		City string `json:"city"`
		Days int    `json:"days,omitempty"`
	}
	tests := []struct {
		name string
		args map[string]any
		want map[string]any
	}{
		{"valid", map[string]any{"city": "Paris", "days": 2}, map[string]any{"result": "Paris for 2 days"}},
		{"wrong type", map[string]any{"city": 42},
			map[string]any{"error": `invalid arguments for tool "forecast": field "city": 42 has type "integer", want "string"`}},
		{"missing field", map[string]any{"days": 2},
			map[string]any{"error": `invalid arguments for tool "forecast": missing properties: ["city"]`}},
		{"unknown field", map[string]any{"city": "Paris", "when": "now"},
			map[string]any{"error": `invalid arguments for tool "forecast": unexpected additional properties ["when"]`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			forecast, err := tool.NewTyped(tool.TypedConfig{Name: "forecast", Description: "Forecasts the weather."},
				func(_ tool.Context, a args) (string, error) {
					return fmt.Sprintf("%s for %d days", a.City, a.Days), nil
				})
			if err != nil {
				t.Fatal(err)
			}
			h := newHarness(t, setup{tools: []tool.Tool{forecast}})
			h.createSession(t, "u", "s")
			h.srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "c1", Name: "forecast", Args: tc.args}), livetest.Text("OK."))
			q := textQueue(t, "forecast please")
			res := h.run(t, t.Context(), "u", "s", q, textConfig(), closeAfterTurns(q, 1))
			if err := res.err(t); err != nil {
				t.Fatalf("the run ended with %v", err)
			}
			if !slices.ContainsFunc(res.events, func(ev *event.Event) bool { return ev.Content != nil && !ev.Partial && textOf(ev) == "OK." }) {
				t.Error("the model's follow-up after the response never came")
			}
			want := [][]*genai.FunctionResponse{{{ID: "c1", Name: "forecast", Response: tc.want}}}
			if diff := cmp.Diff(want, toolResponses(h.waitSession(t, 0))); diff != "" {
				t.Errorf("tool responses on the wire (-want +got):\n%s", diff)
			}
		})
	}
}

// textOf returns the text parts of ev's content, joined.
func textOf(ev *event.Event) string {
	var b strings.Builder
	for _, p := range ev.Content.Parts {
		b.WriteString(p.Text)
	}
	return b.String()
}
