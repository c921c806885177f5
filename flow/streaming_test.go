package flow_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cloud.google.com/go/auth"
	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/tool"
)

// The tests in this file run NON_BLOCKING functions and streaming tools
// against the livetest fake server, through flow.Run.

// liveCtx bounds a test's run.
func liveCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// wireResponses returns the function responses the server received, in
// order.
func wireResponses(s *livetest.Session) []*genai.FunctionResponse {
	var out []*genai.FunctionResponse
	for _, m := range s.Messages() {
		if m.ToolResponse != nil {
			out = append(out, m.ToolResponse.FunctionResponses...)
		}
	}
	return out
}

// declaration returns the function declaration name of the session's
// setup, or nil.
func declaration(s *livetest.Session, name string) *genai.FunctionDeclaration {
	for _, tl := range s.Setup().Tools {
		for _, d := range tl.FunctionDeclarations {
			if d.Name == name {
				return d
			}
		}
	}
	return nil
}

// responseOf returns the first function response of ev for call id, or nil.
func responseOf(ev *event.Event, id string) *genai.FunctionResponse {
	for _, r := range ev.FunctionResponses() {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func TestLiveNonBlockingScheduling(t *testing.T) {
	for _, sched := range []genai.FunctionResponseScheduling{
		genai.FunctionResponseSchedulingSilent, genai.FunctionResponseSchedulingWhenIdle, genai.FunctionResponseSchedulingInterrupt,
	} {
		t.Run(string(sched), func(t *testing.T) {
			srv, p := newLive(t, textConfig)
			release := make(chan struct{})
			notify, err := tool.NonBlocking(mustFunction(t, "notify", func(ctx tool.Context, _ map[string]any) (map[string]any, error) {
				select {
				case <-release:
				case <-ctx.Done():
				}
				return map[string]any{"done": true}, nil
			}), sched)
			if err != nil {
				t.Fatal(err)
			}
			p.Tools = []tool.Tool{notify}
			// The model does not wait for a NON_BLOCKING call: it goes on
			// talking, and the turn completes before the response.
			srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "c1", Name: "notify"}), livetest.Text("I will let you know."))
			if err := p.Queue.SendContent(genai.NewContentFromText("Notify me", genai.RoleUser)); err != nil {
				t.Fatal(err)
			}
			turns, answered := 0, false
			for ev, err := range flow.Run(liveCtx(t), p) {
				if err != nil {
					t.Fatalf("run ended with %v", err)
				}
				if ev.TurnComplete {
					turns++
					if turns == 1 {
						close(release) // the call returns after the model's turn
					}
				}
				if responseOf(ev, "c1") != nil {
					answered = true
					if sched == genai.FunctionResponseSchedulingSilent {
						p.Queue.Close() // a silent response makes no turn
					}
				}
				if turns == 2 {
					p.Queue.Close() // the model answered the response
				}
			}
			if !answered {
				t.Fatal("no function response event")
			}
			s := session(t, srv)
			if d := declaration(s, "notify"); d == nil || d.Behavior != genai.BehaviorNonBlocking {
				t.Errorf("declaration on the wire = %+v, want behavior NON_BLOCKING", d)
			}
			rs := wireResponses(s)
			if len(rs) != 1 || rs[0].ID != "c1" || rs[0].Scheduling != sched || rs[0].WillContinue != nil {
				t.Fatalf("responses on the wire = %+v, want one for c1 with scheduling %s", rs, sched)
			}
			checkNormalClose(t, s)
		})
	}
}

// tokenSource is an auth.TokenProvider with a fixed token.
type tokenSource string

func (s tokenSource) Token(context.Context) (*auth.Token, error) {
	return &auth.Token{Value: string(s), Type: "Bearer"}, nil
}

func TestLiveNonBlockingRefusedWhereTheModelRefusesScheduling(t *testing.T) {
	srv := livetest.NewServer()
	t.Cleanup(srv.Close)
	vertex, err := gemini.NewModel(context.Background(), "gemini-live-2.5-flash", &gemini.Config{
		Backend: genai.BackendVertexAI, BaseURL: srv.URL, Project: "p", Location: "us-central1",
		Credentials: auth.NewCredentials(&auth.CredentialsOptions{TokenProvider: tokenSource("t")}),
	})
	if err != nil {
		t.Fatal(err)
	}
	live31, err := gemini.NewModel(context.Background(), "gemini-3.1-flash-live-preview", &gemini.Config{
		Backend: genai.BackendGeminiAPI, BaseURL: srv.URL, APIKey: "k",
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		model *gemini.Model
		want  string
	}{{vertex, "Vertex AI refuses them"}, {live31, "gemini-3.1-flash-live-preview refuses them"}} {
		t.Run(tc.model.Name(), func(t *testing.T) {
			_, p := newLive(t, textConfig)
			p.Model = tc.model
			notify, err := tool.NonBlocking(mustFunction(t, "notify", func(tool.Context, map[string]any) (map[string]any, error) { return nil, nil }), genai.FunctionResponseSchedulingWhenIdle)
			if err != nil {
				t.Fatal(err)
			}
			p.Tools = []tool.Tool{notify}
			var got error
			for _, err := range flow.Run(liveCtx(t), p) {
				got = err
			}
			if !errors.Is(got, flow.ErrInvalidParams) || !errors.Is(got, gemini.ErrInvalidRequest) {
				t.Fatalf("run error = %v, want one matching ErrInvalidParams and gemini.ErrInvalidRequest", got)
			}
			for _, s := range []string{`"notify"`, "WHEN_IDLE", tc.want, "scheduling and willContinue"} {
				if !strings.Contains(got.Error(), s) {
					t.Errorf("error %q does not say %s", got, s)
				}
			}
		})
	}
	if n := len(srv.Sessions()); n != 0 {
		t.Errorf("the refused runs dialed: %d sessions", n)
	}
}

// priceMonitor returns a streaming tool that yields a price every tick
// until it is stopped, counting its calls that are running.
func priceMonitor(t *testing.T, name string, tick time.Duration, running *atomic.Int32,
	sched genai.FunctionResponseScheduling) tool.StreamingTool {
	t.Helper()
	st, err := tool.NewStreaming(tool.StreamingConfig{Name: name, Description: "Monitors a price.", Scheduling: sched},
		func(ctx tool.Context, args map[string]any, _ *tool.InputStream) iter.Seq2[map[string]any, error] {
			return func(yield func(map[string]any, error) bool) {
				running.Add(1)
				defer running.Add(-1)
				ticker := time.NewTicker(tick)
				defer ticker.Stop()
				for price := 100; ; price++ {
					select {
					case <-ctx.Done():
						return
					case <-ticker.C:
					}
					if !yield(map[string]any{"symbol": args["symbol"], "price": price}, nil) {
						return
					}
				}
			}
		})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// stopCall makes the model call stop_streaming(name) outside a turn, and
// returns at once; the returned channel gets the Send's error once the
// server has the response.
func stopCall(s *livetest.Session, id, name string) <-chan error {
	done := make(chan error, 1)
	go func() {
		done <- s.Send(context.Background(), livetest.ToolCall(&genai.FunctionCall{
			ID: id, Name: tool.StopStreamingName, Args: map[string]any{"function_name": name},
		}))
	}()
	return done
}

// closeAfter closes q once the stop_streaming call stopped has its
// response on the server (its event precedes the response), and returns
// the call's error.
func closeAfter(q interface{ Close() }, stopped <-chan error) <-chan error {
	done := make(chan error, 1)
	go func() {
		done <- <-stopped
		q.Close()
	}()
	return done
}

func TestLiveStreamingToolResultsAndStopStreaming(t *testing.T) {
	srv, p := newLive(t, textConfig)
	var running atomic.Int32
	p.Tools = []tool.Tool{priceMonitor(t, "monitor_price", 10*time.Millisecond, &running, "")}
	srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "m1", Name: "monitor_price", Args: map[string]any{"symbol": "XYZ"}}),
		livetest.Text("Monitoring XYZ."))
	if err := p.Queue.SendContent(genai.NewContentFromText("Monitor the price of XYZ", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
	var results, afterStop int
	var stopped <-chan error
	var final, stopResponse *genai.FunctionResponse
	for ev, err := range flow.Run(liveCtx(t), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		if r := responseOf(ev, "m1"); r != nil {
			switch {
			case final != nil:
				afterStop++
			case r.Response["status"] == "stopped":
				final = r
			case r.Response["price"] != nil:
				results++
			}
		}
		if r := responseOf(ev, "s1"); r != nil {
			stopResponse = r
			stopped = closeAfter(p.Queue, stopped)
		}
		if results == 3 && stopped == nil {
			stopped = stopCall(session(t, srv), "s1", "monitor_price")
		}
	}
	if err := <-stopped; err != nil {
		t.Fatalf("stop_streaming call: %v", err)
	}
	if final == nil || stopResponse == nil || afterStop != 0 {
		t.Fatalf("final response %+v, stop_streaming response %+v, %d results after the stop; want the stream stopped",
			final, stopResponse, afterStop)
	}
	if got := stopResponse.Response["status"]; got != "Successfully stopped streaming function monitor_price" {
		t.Errorf("stop_streaming answered %v", got)
	}
	if n := running.Load(); n != 0 {
		t.Errorf("%d streams still running", n)
	}

	s := session(t, srv)
	if d := declaration(s, "monitor_price"); d == nil || d.Behavior != genai.BehaviorNonBlocking {
		t.Errorf("monitor_price declared as %+v, want NON_BLOCKING", d)
	}
	if d := declaration(s, tool.StopStreamingName); d == nil || !slices.Equal(d.Parameters.Properties["function_name"].Enum, []string{"monitor_price"}) {
		t.Errorf("stop_streaming declared as %+v, want it to list monitor_price", d)
	}
	// On the wire: started (SILENT), results (WHEN_IDLE), stopped (SILENT,
	// willContinue false), then stop_streaming's own response.
	rs := wireResponses(s)
	var m1 []*genai.FunctionResponse
	for _, r := range rs {
		if r.ID == "m1" {
			m1 = append(m1, r)
		}
	}
	if len(m1) < 5 {
		t.Fatalf("got %d responses for m1, want started, 3 results and stopped", len(m1))
	}
	first, last := m1[0], m1[len(m1)-1]
	if !strings.HasPrefix(first.Response["status"].(string), "started") || first.WillContinue == nil || !*first.WillContinue ||
		first.Scheduling != genai.FunctionResponseSchedulingSilent {
		t.Errorf("first response = %+v, want started, willContinue, SILENT", first)
	}
	for _, r := range m1[1 : len(m1)-1] {
		if r.WillContinue == nil || !*r.WillContinue || r.Scheduling != genai.FunctionResponseSchedulingWhenIdle || r.Response["price"] == nil {
			t.Errorf("result = %+v, want a price with willContinue and WHEN_IDLE", r)
		}
	}
	if last.Response["status"] != "stopped" || last.WillContinue == nil || *last.WillContinue ||
		last.Scheduling != genai.FunctionResponseSchedulingSilent {
		t.Errorf("last response = %+v, want stopped, willContinue false, SILENT", last)
	}
	if i := slices.IndexFunc(rs, func(r *genai.FunctionResponse) bool { return r.ID == "s1" }); i != len(rs)-1 {
		t.Errorf("stop_streaming's response is at %d of %d responses, want it after the stream's last", i, len(rs))
	}
	checkNormalClose(t, s)
}

// The model reacts to a result once it is idle (WHEN_IDLE), without a new
// user turn.
func TestLiveStreamingResultReachesTheModel(t *testing.T) {
	srv, p := newLive(t, textConfig)
	var running atomic.Int32
	p.Tools = []tool.Tool{priceMonitor(t, "monitor_price", 20*time.Millisecond, &running, "")}
	srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "m1", Name: "monitor_price", Args: map[string]any{"symbol": "XYZ"}}))
	if err := p.Queue.SendContent(genai.NewContentFromText("Monitor XYZ", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
	var said string
	for ev, err := range flow.Run(liveCtx(t), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		if !ev.Partial && strings.Contains(ev.Text(), "[response of monitor_price]") && said == "" {
			said = ev.Text()
			p.Queue.Close()
		}
	}
	if said == "" {
		t.Fatal("the model never answered a result")
	}
	for _, m := range session(t, srv).Messages() {
		if c := m.ClientContent; c != nil && slices.ContainsFunc(c.Turns, func(c *genai.Content) bool {
			return strings.Contains(c.Parts[0].Text, "monitor_price")
		}) {
			t.Errorf("a result went as a user turn: %+v", c)
		}
	}
}
