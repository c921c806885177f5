package flow_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/tool"
)

// mustFunction returns a function tool or fails the test.
func mustFunction(t *testing.T, name string, fn tool.Func) tool.FunctionTool {
	t.Helper()
	return mustFunctionConfig(t, tool.FunctionConfig{Name: name, Description: "test tool " + name}, fn)
}

func mustFunctionConfig(t *testing.T, cfg tool.FunctionConfig, fn tool.Func) tool.FunctionTool {
	t.Helper()
	f, err := tool.NewFunction(cfg, fn)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func toolCall(calls ...*genai.FunctionCall) *live.Response {
	return &live.Response{ToolCall: &genai.LiveServerToolCall{FunctionCalls: calls}}
}

// answerThenFinish plays a server that, for each tool response it gets,
// sends the model's follow-up text and turnComplete.
func answerThenFinish(c *fakeConn, followUp string) {
	go func() {
		for {
			select {
			case msg := <-c.sent:
				if msg.ToolResponse != nil {
					c.reply(modelText(followUp), turnComplete)
				}
			case <-c.closed:
				return
			}
		}
	}()
}

// runUntilTurnComplete ranges over a run, closing the queue after the
// given number of turnComplete events, and returns what it yielded.
func runUntilTurnComplete(t *testing.T, p flow.Params, turns int) result {
	t.Helper()
	var res result
	for ev, err := range flow.Run(context.Background(), p) {
		if err != nil {
			res.err = err
			res.errs++
			continue
		}
		res.events = append(res.events, ev)
		if ev.TurnComplete {
			if turns--; turns == 0 {
				p.Queue.Close()
			}
		}
	}
	return res
}

func TestRunFunctionToolRoundTrip(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	p, m := newParams(t)
	var got tool.Context
	weather := mustFunction(t, "get_weather", func(ctx tool.Context, args map[string]any) (map[string]any, error) {
		got = ctx
		ctx.Actions().StateDelta = map[string]any{"last_city": args["city"]}
		return map[string]any{"weather": "sunny in " + args["city"].(string)}, nil
	})
	p.Tools = []tool.Tool{weather}
	m.conn.reply(modelText("Let me check."), toolCall(&genai.FunctionCall{ID: "call-1", Name: "get_weather", Args: map[string]any{"city": "Tokyo"}}))
	answerThenFinish(m.conn, "It's sunny.")

	res := runUntilTurnComplete(t, p, 1)

	if res.err != nil {
		t.Fatalf("run ended with %v", res.err)
	}
	want := []string{
		`assistant partial role=model text "Let me check."`,
		`assistant role=model text "Let me check."`,
		`assistant role=model call get_weather(call-1) {"city":"Tokyo"}`,
		`assistant role=user response get_weather(call-1) {"weather":"sunny in Tokyo"} state={"last_city":"Tokyo"}`,
		`assistant partial role=model text "It's sunny."`,
		`assistant role=model text "It's sunny."`,
		`assistant turnComplete`,
	}
	if diff := cmp.Diff(want, describeAll(res.events)); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
	if got == nil {
		t.Fatal("the tool did not run")
	}
	if got.FunctionCallID() != "call-1" || got.AgentName() != "assistant" || got.InvocationID() != "e-test" {
		t.Errorf("tool context: call %q, agent %q, invocation %q; want call-1, assistant, e-test",
			got.FunctionCallID(), got.AgentName(), got.InvocationID())
	}
}

func TestRunAnswersFailingToolsWithErrors(t *testing.T) {
	tests := []struct {
		name string
		fn   tool.Func
		call string
		want []string // substrings of the error response
	}{
		{
			name: "the tool returns an error",
			fn: func(tool.Context, map[string]any) (map[string]any, error) {
				return nil, errors.New("city not found")
			},
			call: "lookup",
			want: []string{"city not found"},
		},
		{
			name: "the tool panics",
			fn:   func(tool.Context, map[string]any) (map[string]any, error) { panic("index out of range") },
			call: "lookup",
			want: []string{`"lookup"`, "panicked", "index out of range"},
		},
		{
			name: "the model calls a tool the agent does not have",
			fn: func(tool.Context, map[string]any) (map[string]any, error) {
				return map[string]any{}, nil
			},
			call: "book_flight",
			want: []string{`"book_flight"`, "lookup"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
			p, m := newParams(t)
			p.Tools = []tool.Tool{mustFunction(t, "lookup", tc.fn)}
			m.conn.reply(toolCall(&genai.FunctionCall{ID: "c1", Name: tc.call}))
			responses := make(chan *genai.FunctionResponse, 1)
			go func() {
				select {
				case msg := <-m.conn.sent:
					responses <- msg.ToolResponse.FunctionResponses[0]
					m.conn.reply(modelText("Sorry."), turnComplete)
				case <-m.conn.closed:
				}
			}()

			res := runUntilTurnComplete(t, p, 1)

			if res.err != nil {
				t.Fatalf("run ended with %v", res.err)
			}
			fr := <-responses
			if fr.ID != "c1" || fr.Name != tc.call {
				t.Errorf("response id %q name %q, want c1 %q", fr.ID, fr.Name, tc.call)
			}
			msg, _ := fr.Response["error"].(string)
			for _, s := range tc.want {
				if !strings.Contains(msg, s) {
					t.Errorf("error response %q does not mention %s", msg, s)
				}
			}
			if n := len(res.events[1].FunctionResponses()); n != 1 {
				t.Errorf("event after the call has %d function responses, want 1: %q", n, describeAll(res.events))
			}
		})
	}
}

func TestRunToolCallCancellation(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	p, m := newParams(t)
	started := make(chan struct{})
	cancelled := make(chan error, 1)
	p.Tools = []tool.Tool{mustFunction(t, "slow", func(ctx tool.Context, _ map[string]any) (map[string]any, error) {
		close(started)
		<-ctx.Done()
		cancelled <- ctx.Err()
		return map[string]any{"late": true}, nil
	})}
	m.conn.reply(toolCall(&genai.FunctionCall{ID: "c1", Name: "slow"}))

	var events []string
	for ev, err := range flow.Run(context.Background(), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		events = append(events, describe(ev))
		switch {
		case len(ev.FunctionCalls()) > 0:
			<-started
			m.conn.reply(&live.Response{ToolCallCancellation: &genai.LiveServerToolCallCancellation{IDs: []string{"c1"}}})
		case ev.ToolCallCancellation != nil:
			if err := <-cancelled; !errors.Is(err, context.Canceled) {
				t.Errorf("the tool's context ended with %v, want context.Canceled", err)
			}
			m.conn.reply(modelText("OK, cancelled."), turnComplete)
		case ev.TurnComplete:
			p.Queue.Close()
		}
	}
	want := []string{
		`assistant role=model call slow(c1) null`,
		`assistant cancel=c1`,
		`assistant partial role=model text "OK, cancelled."`,
		`assistant role=model text "OK, cancelled."`,
		`assistant turnComplete`,
	}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
	if sent := drainSent(m.conn); len(sent) != 0 {
		t.Errorf("a cancelled call was answered: %+v", sent)
	}
}

func TestRunEndCancelsRunningTools(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	p, m := newParams(t)
	started := make(chan struct{})
	var toolErr error
	p.Tools = []tool.Tool{mustFunction(t, "forever", func(ctx tool.Context, _ map[string]any) (map[string]any, error) {
		close(started)
		<-ctx.Done()
		toolErr = ctx.Err()
		return nil, ctx.Err()
	})}
	m.conn.reply(toolCall(&genai.FunctionCall{ID: "c1", Name: "forever"}))
	for ev, err := range flow.Run(context.Background(), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		if len(ev.FunctionCalls()) > 0 {
			<-started
			p.Queue.Close()
		}
	}
	// The iterator returned: the tool has returned too.
	if !errors.Is(toolErr, context.Canceled) {
		t.Errorf("the tool's context ended with %v, want context.Canceled", toolErr)
	}
}

func TestRunTurnCompleteBeforeToolResponse(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	p, m := newParams(t)
	release := make(chan struct{})
	p.Tools = []tool.Tool{mustFunction(t, "get_time", func(tool.Context, map[string]any) (map[string]any, error) {
		<-release
		return map[string]any{"time": "noon"}, nil
	})}
	// A 2.x model: turnComplete right after the call, before the response.
	m.conn.reply(toolCall(&genai.FunctionCall{ID: "c1", Name: "get_time"}), turnComplete)
	answerThenFinish(m.conn, "It's noon.")

	var events []string
	turns := 0
	for ev, err := range flow.Run(context.Background(), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		events = append(events, describe(ev))
		if ev.TurnComplete {
			if turns++; turns == 1 {
				close(release) // the tool finishes after the turn ended
			} else {
				p.Queue.Close()
			}
		}
	}
	want := []string{
		`assistant role=model call get_time(c1) null`,
		`assistant turnComplete`,
		`assistant role=user response get_time(c1) {"time":"noon"}`,
		`assistant partial role=model text "It's noon."`,
		`assistant role=model text "It's noon."`,
		`assistant turnComplete`,
	}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
}

func TestRunMarksLongRunningCalls(t *testing.T) {
	p, m := newParams(t)
	approve := mustFunctionConfig(t, tool.FunctionConfig{Name: "request_approval", LongRunning: true},
		func(tool.Context, map[string]any) (map[string]any, error) {
			return map[string]any{"status": "pending"}, nil
		})
	quick := mustFunction(t, "quick", func(tool.Context, map[string]any) (map[string]any, error) { return nil, nil })
	p.Tools = []tool.Tool{approve, quick}
	m.conn.reply(toolCall(
		&genai.FunctionCall{ID: "a", Name: "request_approval"},
		&genai.FunctionCall{ID: "b", Name: "quick"},
	))
	for ev, err := range flow.Run(context.Background(), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		if len(ev.FunctionCalls()) > 0 {
			if diff := cmp.Diff([]string{"a"}, ev.LongRunningToolIDs); diff != "" {
				t.Errorf("LongRunningToolIDs mismatch (-want +got):\n%s", diff)
			}
			break
		}
	}
}

func TestRunLimitsConcurrentTools(t *testing.T) {
	for _, limit := range []int{0, 1} {
		t.Run(map[int]string{0: "no limit", 1: "one at a time"}[limit], func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
			p, m := newParams(t)
			p.RunConfig.MaxConcurrentTools = limit
			var mu sync.Mutex
			running, most := 0, 0
			started := make(chan struct{}, 2)
			release := make(chan struct{})
			p.Tools = []tool.Tool{mustFunction(t, "work", func(tool.Context, map[string]any) (map[string]any, error) {
				mu.Lock()
				running++
				most = max(most, running)
				mu.Unlock()
				started <- struct{}{}
				<-release
				mu.Lock()
				running--
				mu.Unlock()
				return map[string]any{}, nil
			})}
			// Different args: identical calls would run once.
			m.conn.reply(toolCall(&genai.FunctionCall{ID: "a", Name: "work", Args: map[string]any{"n": 1.0}},
				&genai.FunctionCall{ID: "b", Name: "work", Args: map[string]any{"n": 2.0}}))

			responses := 0
			for ev, err := range flow.Run(context.Background(), p) {
				if err != nil {
					t.Fatalf("run ended with %v", err)
				}
				switch {
				case len(ev.FunctionCalls()) > 0:
					if limit == 0 {
						<-started
						<-started // both run at once
						close(release)
					} else {
						<-started
						release <- struct{}{} // let the first finish...
					}
				case len(ev.FunctionResponses()) > 0:
					responses++
					if limit == 1 && responses == 1 {
						<-started // ...only then does the second start
						close(release)
					}
					if responses == 2 {
						p.Queue.Close()
					}
				}
			}
			want := map[int]int{0: 2, 1: 1}[limit]
			if most != want {
				t.Errorf("at most %d tools ran at once, want %d", most, want)
			}
		})
	}
}
