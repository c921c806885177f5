package tool_test

import (
	"context"
	"errors"
	"iter"
	"strings"
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/tool"
)

func counter(n int) tool.StreamFunc {
	return func(ctx tool.Context, _ map[string]any, _ *tool.InputStream) iter.Seq2[map[string]any, error] {
		return func(yield func(map[string]any, error) bool) {
			for i := 1; i <= n; i++ {
				if !yield(map[string]any{"n": i}, nil) {
					return
				}
			}
		}
	}
}

func TestNewStreamingValidates(t *testing.T) {
	tests := []struct {
		name string
		cfg  tool.StreamingConfig
		fn   tool.StreamFunc
		want []string
	}{
		{"empty name", tool.StreamingConfig{}, counter(1), []string{"Name", "empty"}},
		{"reserved name", tool.StreamingConfig{Name: tool.StopStreamingName}, counter(1), []string{`"stop_streaming"`, "built-in"}},
		{"nil function", tool.StreamingConfig{Name: "m"}, nil, []string{`"m"`, "nil"}},
		{"negative buffer", tool.StreamingConfig{Name: "m", Input: true, InputBuffer: -1}, counter(1), []string{"InputBuffer", "-1"}},
		{"bad scheduling", tool.StreamingConfig{Name: "m", Scheduling: "LATER"}, counter(1), []string{`"LATER"`, "SILENT"}},
		{"both schemas", tool.StreamingConfig{Name: "m", Parameters: &genai.Schema{}, ParametersJSONSchema: map[string]any{}}, counter(1),
			[]string{"Parameters", "ParametersJSONSchema"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tool.NewStreaming(tc.cfg, tc.fn)
			if !errors.Is(err, tool.ErrInvalidConfig) {
				t.Fatalf("NewStreaming() error = %v, want one matching ErrInvalidConfig", err)
			}
			for _, s := range tc.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %s", err, s)
				}
			}
		})
	}
}

func TestStreamingDefaultsAndRun(t *testing.T) {
	st, err := tool.NewStreaming(tool.StreamingConfig{Name: "count", Input: true}, counter(3))
	if err != nil {
		t.Fatal(err)
	}
	if st.InputBuffer() != tool.DefaultInputBuffer || st.Scheduling() != genai.FunctionResponseSchedulingWhenIdle {
		t.Errorf("InputBuffer, Scheduling = %d, %s; want the defaults", st.InputBuffer(), st.Scheduling())
	}
	if d := st.Declaration(); d.Name != "count" || d.Behavior != genai.BehaviorNonBlocking {
		t.Errorf("Declaration() = %+v, want count, NON_BLOCKING", d)
	}
	out, err := st.Run(tool.NewContext(context.Background(), tool.CallInfo{}), nil)
	if err != nil || out["n"] != 3 {
		t.Errorf("Run() = %v, %v; want the last result", out, err)
	}
	noInput, err := tool.NewStreaming(tool.StreamingConfig{Name: "count", InputBuffer: 5}, counter(0))
	if err != nil {
		t.Fatal(err)
	}
	if noInput.InputBuffer() != 0 {
		t.Errorf("InputBuffer() = %d without Input, want 0", noInput.InputBuffer())
	}
	if _, err := noInput.Run(tool.NewContext(context.Background(), tool.CallInfo{}), nil); err == nil {
		t.Error("Run() of an empty stream returned no error")
	}
}

func TestNonBlocking(t *testing.T) {
	f, err := tool.NewFunction(tool.FunctionConfig{Name: "notify"}, noop)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := tool.NonBlocking(f, "")
	if err != nil {
		t.Fatal(err)
	}
	if nb.Scheduling() != genai.FunctionResponseSchedulingWhenIdle || nb.Declaration().Behavior != genai.BehaviorNonBlocking {
		t.Errorf("Scheduling, Behavior = %s, %s", nb.Scheduling(), nb.Declaration().Behavior)
	}
	if f.Declaration().Behavior != "" {
		t.Error("NonBlocking changed the wrapped tool's declaration")
	}
	if u, ok := nb.(interface{ Unwrap() tool.FunctionTool }); !ok || u.Unwrap() != f {
		t.Error("Unwrap does not return the wrapped tool")
	}
	if _, err := tool.NonBlocking(f, "SOON"); !errors.Is(err, tool.ErrInvalidConfig) || !strings.Contains(err.Error(), `"SOON"`) {
		t.Errorf("NonBlocking(SOON) error = %v", err)
	}
	if _, err := tool.NonBlocking(nil, ""); !errors.Is(err, tool.ErrInvalidConfig) {
		t.Errorf("NonBlocking(nil) error = %v", err)
	}
}

// A full input stream drops and counts, never blocks.
func TestInputStreamIsBounded(t *testing.T) {
	in := tool.NewInputStream(2)
	req := livequeue.Request{AudioStreamEnd: true}
	for i := 0; i < 5; i++ {
		in.Offer(req)
	}
	if in.Dropped() != 3 || len(in.Requests()) != 2 {
		t.Errorf("Dropped, buffered = %d, %d; want 3, 2", in.Dropped(), len(in.Requests()))
	}
	in.Close()
	in.Close()
	if in.Offer(req) {
		t.Error("Offer after Close succeeded")
	}
	n := 0
	for range in.Requests() {
		n++
	}
	if n != 2 {
		t.Errorf("drained %d requests, want 2", n)
	}
	var none *tool.InputStream
	if none.Requests() != nil || none.Dropped() != 0 {
		t.Error("a nil InputStream is not empty")
	}
}
