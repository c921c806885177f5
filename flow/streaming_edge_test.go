package flow_test

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/tool"
)

// streamOf returns a streaming tool whose call runs body.
func streamOf(t *testing.T, name string, body func(yield func(map[string]any, error) bool)) tool.StreamingTool {
	t.Helper()
	st, err := tool.NewStreaming(tool.StreamingConfig{Name: name},
		func(tool.Context, map[string]any, *tool.InputStream) iter.Seq2[map[string]any, error] { return body })
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// A stream that fails or panics ends with an error response the model is
// told about (the tool's scheduling, willContinue false).
func TestLiveStreamingToolFailures(t *testing.T) {
	for name, body := range map[string]func(yield func(map[string]any, error) bool){
		"error": func(yield func(map[string]any, error) bool) {
			if yield(map[string]any{"n": 1}, nil) {
				yield(nil, errors.New("the feed is down"))
			}
		},
		"panic": func(yield func(map[string]any, error) bool) {
			if yield(map[string]any{"n": 1}, nil) {
				panic("the feed is down")
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv, p := newLive(t, textConfig)
			p.Tools = []tool.Tool{streamOf(t, "feed", body)}
			srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "f1", Name: "feed"}))
			if err := p.Queue.SendContent(genai.NewContentFromText("Follow the feed", genai.RoleUser)); err != nil {
				t.Fatal(err)
			}
			var failed map[string]any
			for ev, err := range flow.Run(liveCtx(t), p) {
				if err != nil {
					t.Fatalf("run ended with %v", err)
				}
				if r := responseOf(ev, "f1"); r != nil && r.Response["error"] != nil && failed == nil {
					failed = r.Response
					// The event precedes the response: close once the
					// server has it.
					s := session(t, srv)
					go func() {
						hasError := func(r *genai.FunctionResponse) bool { return r.Response["error"] != nil }
						deadline := time.Now().Add(10 * time.Second)
						for time.Now().Before(deadline) && !slices.ContainsFunc(wireResponses(s), hasError) {
							time.Sleep(time.Millisecond)
						}
						p.Queue.Close()
					}()
				}
			}
			if msg := fmt.Sprint(failed["error"]); !strings.Contains(msg, "the feed is down") {
				t.Fatalf("error response %v, want the stream's failure", failed)
			}
			rs := wireResponses(session(t, srv))
			last := rs[len(rs)-1]
			if last.Response["error"] == nil || last.WillContinue == nil || *last.WillContinue ||
				last.Scheduling != genai.FunctionResponseSchedulingWhenIdle {
				t.Errorf("last response on the wire = %+v, want the error, willContinue false, WHEN_IDLE", last)
			}
		})
	}
}

// stop_streaming for a tool with nothing running says so; for a name
// that is no streaming tool it answers with an error naming them.
func TestLiveStopStreamingWithNothingToStop(t *testing.T) {
	srv, p := newLive(t, textConfig)
	p.Tools = []tool.Tool{streamOf(t, "feed", func(func(map[string]any, error) bool) {})}
	srv.Reply(livetest.ToolCall(
		&genai.FunctionCall{ID: "s1", Name: tool.StopStreamingName, Args: map[string]any{"function_name": "feed"}},
		&genai.FunctionCall{ID: "s2", Name: tool.StopStreamingName, Args: map[string]any{"function_name": "nope"}},
	))
	if err := p.Queue.SendContent(genai.NewContentFromText("Stop", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]any{}
	for ev, err := range flow.Run(liveCtx(t), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		for _, r := range ev.FunctionResponses() {
			got[r.ID] = r.Response
		}
		if ev.TurnComplete {
			p.Queue.Close()
		}
	}
	if s := fmt.Sprint(got["s1"]["status"]); s != "No active streaming function named feed found" {
		t.Errorf("stop_streaming(feed) answered %v", got["s1"])
	}
	if e := fmt.Sprint(got["s2"]["error"]); !strings.Contains(e, `"nope"`) || !strings.Contains(e, "feed") {
		t.Errorf("stop_streaming(nope) answered %v, want an error naming the streaming functions", got["s2"])
	}
}

// The run declares stop_streaming itself: a tool of that name is refused.
func TestLiveStopStreamingNameIsReserved(t *testing.T) {
	_, p := newLive(t, textConfig)
	mine := mustFunction(t, tool.StopStreamingName, func(tool.Context, map[string]any) (map[string]any, error) { return nil, nil })
	p.Tools = []tool.Tool{streamOf(t, "feed", func(func(map[string]any, error) bool) {}), mine}
	var got error
	for _, err := range flow.Run(liveCtx(t), p) {
		got = err
	}
	if !errors.Is(got, flow.ErrInvalidParams) || !strings.Contains(got.Error(), `"stop_streaming"`) {
		t.Errorf("run error = %v, want ErrInvalidParams naming stop_streaming", got)
	}
}

// A streaming call whose args are not an object is answered with an error
// and starts no stream.
func TestLiveStreamingToolWithBadArgs(t *testing.T) {
	srv, p := newLive(t, textConfig)
	var started atomic.Bool
	p.Tools = []tool.Tool{streamOf(t, "feed", func(func(map[string]any, error) bool) { started.Store(true) })}
	srv.Reply(livetest.Raw([]byte(`{"toolCall":{"functionCalls":[{"id":"f1","name":"feed","args":42}]}}`)))
	if err := p.Queue.SendContent(genai.NewContentFromText("Follow the feed", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	for ev, err := range flow.Run(liveCtx(t), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		if r := responseOf(ev, "f1"); r != nil && got == nil {
			got = r.Response
			p.Queue.Close()
		}
	}
	if !strings.Contains(fmt.Sprint(got["error"]), "invalid arguments") || started.Load() {
		t.Errorf("response %v (stream started: %v), want an error and no stream", got, started.Load())
	}
}
