package flow_test

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cloud.google.com/go/auth"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/tool"
)

// frameCounter is a streaming tool with an input stream: it reports the
// number of image frames it has seen after each one.
func frameCounter(t *testing.T) tool.StreamingTool {
	t.Helper()
	st, err := tool.NewStreaming(tool.StreamingConfig{Name: "monitor_video", Input: true},
		func(ctx tool.Context, _ map[string]any, in *tool.InputStream) iter.Seq2[map[string]any, error] {
			return func(yield func(map[string]any, error) bool) {
				frames := 0
				for {
					select {
					case <-ctx.Done():
						return
					case req, ok := <-in.Requests():
						if !ok {
							return
						}
						if req.Blob == nil || !strings.HasPrefix(req.Blob.MIMEType, "image/") {
							continue
						}
						frames++
						if !yield(map[string]any{"frames": frames}, nil) {
							return
						}
					}
				}
			}
		})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestLiveInputStreamToolReceivesQueueRequests(t *testing.T) {
	srv, p := newLive(t, textConfig)
	p.Tools = []tool.Tool{frameCounter(t)}
	srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "v1", Name: "monitor_video"}))
	if err := p.Queue.SendContent(genai.NewContentFromText("Watch my camera", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
	frame := &genai.Blob{MIMEType: "image/jpeg", Data: []byte{0xff, 0xd8, 0xff, 0xd9}}
	var counts []any
	var stopped <-chan error
	for ev, err := range flow.Run(liveCtx(t), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		r := responseOf(ev, "v1")
		switch {
		case r == nil:
		case strings.HasPrefix(fmt.Sprint(r.Response["status"]), "started"):
			// The stream runs: every request sent from now on reaches it.
			for range 3 {
				if err := p.Queue.SendRealtime(frame); err != nil {
					t.Fatal(err)
				}
			}
		case r.Response["frames"] != nil:
			counts = append(counts, r.Response["frames"])
			if len(counts) == 3 {
				stopped = stopCall(session(t, srv), "s1", "monitor_video")
			}
		}
		if responseOf(ev, "s1") != nil {
			stopped = closeAfter(p.Queue, stopped)
		}
	}
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if len(counts) != 3 || counts[2] != 3 {
		t.Errorf("results %v, want a count after each of the 3 frames", counts)
	}
	checkNormalClose(t, session(t, srv))
}

// Two streaming tools run at once, and a second call of one runs beside
// the first: stop_streaming stops both calls of that tool and leaves the
// other tool running.
func TestLiveSeveralStreamsAndASecondCall(t *testing.T) {
	srv, p := newLive(t, textConfig)
	var prices, rates atomic.Int32
	p.Tools = []tool.Tool{
		// SILENT: the results make no model turns.
		priceMonitor(t, "monitor_price", 10*time.Millisecond, &prices, genai.FunctionResponseSchedulingSilent),
		priceMonitor(t, "monitor_rate", 10*time.Millisecond, &rates, genai.FunctionResponseSchedulingSilent),
	}
	srv.Reply(livetest.ToolCall(
		&genai.FunctionCall{ID: "a1", Name: "monitor_price", Args: map[string]any{"symbol": "A"}},
		&genai.FunctionCall{ID: "b1", Name: "monitor_rate", Args: map[string]any{"symbol": "EUR"}},
	))
	srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "a2", Name: "monitor_price", Args: map[string]any{"symbol": "B"}}))
	ctx := liveCtx(t)
	if err := p.Queue.SendContent(genai.NewContentFromText("Monitor A and the EUR rate", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	final := map[string]any{}
	var stopPrices, stopRates <-chan error
	sentSecond := false
	for ev, err := range flow.Run(ctx, p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		for _, r := range ev.FunctionResponses() {
			switch {
			case r.Response["price"] != nil:
				seen[r.ID]++
				if _, done := final[r.ID]; done {
					t.Errorf("result for %s after its last response", r.ID)
				}
			case r.Response["status"] == "stopped":
				final[r.ID] = r.Response["status"]
			case r.ID == "s2":
				stopRates = closeAfter(p.Queue, stopRates)
			}
		}
		switch {
		case seen["a1"] > 0 && !sentSecond:
			sentSecond = true
			if err := p.Queue.SendContent(genai.NewContentFromText("Also monitor B", genai.RoleUser)); err != nil {
				t.Fatal(err)
			}
		case seen["a2"] >= 2 && seen["a1"] >= 2 && stopPrices == nil:
			stopPrices = stopCall(session(t, srv), "s1", "monitor_price")
		case final["a1"] != nil && final["a2"] != nil && stopRates == nil:
			if prices.Load() != 0 || rates.Load() != 1 {
				t.Errorf("after stopping monitor_price: %d price and %d rate streams run, want 0 and 1", prices.Load(), rates.Load())
			}
			stopRates = stopCall(session(t, srv), "s2", "monitor_rate")
		}
	}
	for _, c := range []<-chan error{stopPrices, stopRates} {
		if c == nil {
			t.Fatalf("the streams did not get far enough: %v, final %v", seen, final)
		}
		if err := <-c; err != nil {
			t.Fatal(err)
		}
	}
	if final["a1"] == nil || final["a2"] == nil || final["b1"] == nil {
		t.Errorf("last responses %v, want a1, a2 and b1 stopped", final)
	}
	if prices.Load() != 0 || rates.Load() != 0 {
		t.Errorf("%d price and %d rate streams still running", prices.Load(), rates.Load())
	}
}

// Where the model refuses willContinue (Vertex AI), the stream's results
// go as user text, as ADK Python sends them.
func TestLiveStreamingAsTextOnVertex(t *testing.T) {
	srv, p := newLive(t, textConfig)
	m, err := gemini.NewModel(context.Background(), "gemini-live-2.5-flash", &gemini.Config{
		Backend: genai.BackendVertexAI, BaseURL: srv.URL, Project: "p", Location: "us-central1",
		Credentials: auth.NewCredentials(&auth.CredentialsOptions{TokenProvider: tokenSource("t")}),
	})
	if err != nil {
		t.Fatal(err)
	}
	p.Model = m
	var running atomic.Int32
	p.Tools = []tool.Tool{priceMonitor(t, "monitor_price", 20*time.Millisecond, &running, "")}
	srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "m1", Name: "monitor_price", Args: map[string]any{"symbol": "XYZ"}}))
	if err := p.Queue.SendContent(genai.NewContentFromText("Monitor XYZ", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
	var text string
	for ev, err := range flow.Run(liveCtx(t), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		if ev.Author == "user" && strings.HasPrefix(ev.Text(), "Function monitor_price returned: ") && text == "" {
			text = ev.Text()
			p.Queue.Close()
		}
	}
	if !strings.Contains(text, `"price":100`) {
		t.Errorf("user text %q, want the first result as JSON", text)
	}
	s := session(t, srv)
	if d := declaration(s, "monitor_price"); d == nil || d.Behavior != "" {
		t.Errorf("monitor_price declared as %+v on Vertex AI, want no behavior", d)
	}
	for _, r := range wireResponses(s) {
		if r.WillContinue != nil || r.Scheduling != "" {
			t.Errorf("response %+v carries willContinue or scheduling on Vertex AI", r)
		}
	}
}
