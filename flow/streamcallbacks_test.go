package flow_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/auth"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/tool"
)

// feed is a streaming tool that records the args of each stream it runs,
// yields {"n": 1}, then ends as its "mode" argument says: "fail" yields
// an error, "panic" panics, anything else returns.
type feed struct {
	tool.StreamingTool
	mu      sync.Mutex
	streams []map[string]any
}

func newFeed(t *testing.T) *feed {
	t.Helper()
	f := &feed{}
	st, err := tool.NewStreaming(tool.StreamingConfig{Name: "feed", Description: "Feeds numbers."},
		func(ctx tool.Context, args map[string]any, _ *tool.InputStream) iter.Seq2[map[string]any, error] {
			return func(yield func(map[string]any, error) bool) {
				f.mu.Lock()
				f.streams = append(f.streams, args)
				f.mu.Unlock()
				if !yield(map[string]any{"n": 1.0}, nil) {
					return
				}
				switch args["mode"] {
				case "fail":
					yield(nil, errors.New("feed broke"))
				case "panic":
					panic("feed exploded")
				}
			}
		})
	if err != nil {
		t.Fatal(err)
	}
	f.StreamingTool = st
	return f
}

func (f *feed) started() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.streams)
}

// runFeed runs one call m1 of f with args and callbacks, until the wire
// holds a response for m1 with willContinue false, and returns m1's
// responses on the wire.
func runFeed(t *testing.T, f *feed, args map[string]any, cbs flow.Callbacks) []*genai.FunctionResponse {
	t.Helper()
	srv, p := newLive(t, textConfig)
	p.Tools = []tool.Tool{f}
	p.Callbacks = cbs
	srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "m1", Name: "feed", Args: args}), livetest.Text("Feeding."))
	if err := p.Queue.SendContent(genai.NewContentFromText("Feed me", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
	var m1 []*genai.FunctionResponse
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer p.Queue.Close()
		s := session(t, srv)
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			m1 = m1[:0]
			for _, r := range wireResponses(s) {
				if r.ID == "m1" {
					m1 = append(m1, r)
				}
			}
			if slices.ContainsFunc(m1, func(r *genai.FunctionResponse) bool { return r.WillContinue != nil && !*r.WillContinue }) {
				return
			}
		}
		t.Error("no last response for m1 reached the server")
	}()
	for _, err := range flow.Run(liveCtx(t), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
	}
	<-done
	checkNormalClose(t, session(t, srv))
	return m1
}

// responses returns the Response maps of rs.
func responses(rs []*genai.FunctionResponse) []map[string]any {
	var out []map[string]any
	for _, r := range rs {
		out = append(out, r.Response)
	}
	return out
}

const startedStatus = "started: the results will follow as they come"

// A before-tool callback sees a streaming call before its stream starts:
// it may change the args the stream gets, and when it answers the call
// (a result or an error) that answer, seen by the after callbacks, is
// the call's only response and no stream starts.
func TestStreamingBeforeToolCallback(t *testing.T) {
	t.Run("goes on with changed args", func(t *testing.T) {
		f := newFeed(t)
		var after int
		got := runFeed(t, f, map[string]any{"mode": "end"}, flow.Callbacks{
			BeforeTool: []tool.BeforeCallback{func(_ tool.Context, _ tool.FunctionTool, args map[string]any) (map[string]any, error) {
				args["seen"] = true
				return nil, nil
			}},
			AfterTool: []tool.AfterCallback{func(tool.Context, tool.FunctionTool, map[string]any, map[string]any) (map[string]any, error) {
				after++
				return nil, nil
			}},
		})
		want := []map[string]any{{"status": startedStatus}, {"n": 1.0}, {"status": "finished"}}
		if diff := cmp.Diff(want, responses(got)); diff != "" {
			t.Errorf("m1's responses (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]map[string]any{{"mode": "end", "seen": true}}, f.started()); diff != "" {
			t.Errorf("streams started with args (-want +got):\n%s", diff)
		}
		if after != 0 {
			t.Errorf("the after callback ran %d times on streamed results, want 0", after)
		}
	})
	t.Run("answers the call", func(t *testing.T) {
		f := newFeed(t)
		got := runFeed(t, f, map[string]any{"mode": "end"}, flow.Callbacks{
			BeforeTool: []tool.BeforeCallback{func(tool.Context, tool.FunctionTool, map[string]any) (map[string]any, error) {
				return map[string]any{"cached": 1.0}, nil
			}},
			AfterTool: []tool.AfterCallback{func(_ tool.Context, _ tool.FunctionTool, _, res map[string]any) (map[string]any, error) {
				return map[string]any{"cached": res["cached"], "after": true}, nil
			}},
		})
		if diff := cmp.Diff([]map[string]any{{"cached": 1.0, "after": true}}, responses(got)); diff != "" {
			t.Errorf("m1's responses (-want +got):\n%s", diff)
		}
		if got[0].Scheduling != genai.FunctionResponseSchedulingWhenIdle {
			t.Errorf("the answer's scheduling = %q, want the tool's (WHEN_IDLE)", got[0].Scheduling)
		}
		if n := len(f.started()); n != 0 {
			t.Errorf("%d streams started, want none", n)
		}
	})
	t.Run("fails the call", func(t *testing.T) {
		f := newFeed(t)
		got := runFeed(t, f, map[string]any{"mode": "end"}, flow.Callbacks{
			BeforeTool: []tool.BeforeCallback{func(tool.Context, tool.FunctionTool, map[string]any) (map[string]any, error) {
				return nil, errors.New("feeds are off today")
			}},
		})
		if diff := cmp.Diff([]map[string]any{{"error": "feeds are off today"}}, responses(got)); diff != "" {
			t.Errorf("m1's responses (-want +got):\n%s", diff)
		}
		if n := len(f.started()); n != 0 {
			t.Errorf("%d streams started, want none", n)
		}
	})
	t.Run("panics", func(t *testing.T) {
		f := newFeed(t)
		got := runFeed(t, f, map[string]any{"mode": "end"}, flow.Callbacks{
			BeforeTool: []tool.BeforeCallback{func(tool.Context, tool.FunctionTool, map[string]any) (map[string]any, error) {
				panic("callback exploded")
			}},
		})
		want := []map[string]any{{"error": `tool "feed" failed: a callback panicked: callback exploded`}}
		if diff := cmp.Diff(want, responses(got)); diff != "" {
			t.Errorf("m1's responses (-want +got):\n%s", diff)
		}
		if n := len(f.started()); n != 0 {
			t.Errorf("%d streams started, want none", n)
		}
	})
}

// The on-tool-error callbacks see the error a stream yields, or its
// panic; a result one gives is the call's last response instead of the
// error, and one that passes leaves the error.
func TestStreamingOnToolErrorCallback(t *testing.T) {
	recoverCB := func(seen *[]string) []tool.ErrorCallback {
		return []tool.ErrorCallback{func(_ tool.Context, _ tool.FunctionTool, _ map[string]any, err error) (map[string]any, error) {
			*seen = append(*seen, err.Error())
			return map[string]any{"recovered": err.Error()}, nil
		}}
	}
	tests := []struct {
		name    string
		mode    string
		recover bool
		last    map[string]any
	}{
		{"an error, recovered", "fail", true, map[string]any{"recovered": "feed broke"}},
		{"a panic, recovered", "panic", true, map[string]any{"recovered": `tool "feed" failed: it panicked: feed exploded`}},
		{"an error, passed", "fail", false, map[string]any{"error": "feed broke"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen []string
			cbs := flow.Callbacks{OnToolError: []tool.ErrorCallback{
				func(_ tool.Context, _ tool.FunctionTool, _ map[string]any, err error) (map[string]any, error) {
					seen = append(seen, "pass: "+err.Error())
					return nil, nil
				}}}
			if tt.recover {
				cbs.OnToolError = append(cbs.OnToolError, recoverCB(&seen)...)
			}
			got := runFeed(t, newFeed(t), map[string]any{"mode": tt.mode}, cbs)
			want := []map[string]any{{"status": startedStatus}, {"n": 1.0}, tt.last}
			if diff := cmp.Diff(want, responses(got)); diff != "" {
				t.Errorf("m1's responses (-want +got):\n%s", diff)
			}
			if len(seen) == 0 {
				t.Fatal("no error callback ran")
			}
			if last := got[len(got)-1]; last.WillContinue == nil || *last.WillContinue || last.Scheduling != genai.FunctionResponseSchedulingWhenIdle {
				t.Errorf("last response = %+v, want willContinue false and the tool's scheduling (WHEN_IDLE)", last)
			}
		})
	}
}

// Where results go as user text (Vertex AI), what an error callback makes
// of a stream's error goes as text too.
func TestStreamingOnToolErrorAsTextOnVertex(t *testing.T) {
	srv, p := newLive(t, textConfig)
	m, err := gemini.NewModel(context.Background(), "gemini-live-2.5-flash", &gemini.Config{
		Backend: genai.BackendVertexAI, BaseURL: srv.URL, Project: "p", Location: "us-central1",
		Credentials: auth.NewCredentials(&auth.CredentialsOptions{TokenProvider: tokenSource("t")}),
	})
	if err != nil {
		t.Fatal(err)
	}
	p.Model = m
	p.Tools = []tool.Tool{newFeed(t)}
	p.Callbacks.OnToolError = []tool.ErrorCallback{
		func(_ tool.Context, _ tool.FunctionTool, _ map[string]any, err error) (map[string]any, error) {
			return map[string]any{"recovered": err.Error()}, nil
		}}
	srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "m1", Name: "feed", Args: map[string]any{"mode": "fail"}}))
	if err := p.Queue.SendContent(genai.NewContentFromText("Feed me", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
	var texts []string
	for ev, err := range flow.Run(liveCtx(t), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		if ev.Author == "user" && strings.HasPrefix(ev.Text(), "Function feed returned: ") {
			texts = append(texts, ev.Text())
			if strings.Contains(ev.Text(), "recovered") {
				p.Queue.Close()
			}
		}
	}
	want := []string{`Function feed returned: {"n":1}`, `Function feed returned: {"recovered":"feed broke"}`}
	if diff := cmp.Diff(want, texts); diff != "" {
		t.Errorf("results as user text (-want +got):\n%s", diff)
	}
}
