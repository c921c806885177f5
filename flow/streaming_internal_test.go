package flow

import (
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/tool"
)

// The copy of queue requests to input streams allocates nothing, whether
// or not an input-stream tool runs, and never waits for a full stream.
func TestCopyInputAllocatesNothing(t *testing.T) {
	var s streams
	req := livequeue.Request{Blob: &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: make([]byte, 640)}}
	if n := testing.AllocsPerRun(1000, func() { s.copyInput(req) }); n != 0 {
		t.Errorf("with no input stream: %v allocations per request, want 0", n)
	}
	in := tool.NewInputStream(2)
	sc := &streamCall{rc: &runningCall{call: &genai.FunctionCall{Name: "watch"}}, input: in, done: make(chan struct{})}
	s.add(sc)
	if n := testing.AllocsPerRun(1000, func() { s.copyInput(req) }); n != 0 {
		t.Errorf("with a full input stream: %v allocations per request, want 0", n)
	}
	if got := in.Dropped(); got != 999 { // 1001 runs (with the warm-up), 2 buffered
		t.Errorf("Dropped() = %d, want the copies that did not fit counted", got)
	}
	s.remove(sc)
	if s.inputs.Load() != 0 {
		t.Error("the input stream is still counted after remove")
	}
}
