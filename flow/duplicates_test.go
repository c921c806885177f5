package flow_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/tool"
)

// When the server cancels one of two identical calls, the execution they
// share goes on and answers the other.
func TestRunCancellingOneOfTwoIdenticalCalls(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	p, m := newParams(t)
	release := make(chan struct{})
	runs := 0
	p.Tools = []tool.Tool{mustFunction(t, "slow", func(tool.Context, map[string]any) (map[string]any, error) {
		runs++
		<-release
		return map[string]any{"done": true}, nil
	})}
	m.conn.reply(toolCall(&genai.FunctionCall{ID: "c1", Name: "slow"}, &genai.FunctionCall{ID: "c2", Name: "slow"}))

	var responses [][]string
	var sent []string
	for ev, err := range flow.Run(context.Background(), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		switch {
		case len(ev.FunctionCalls()) > 0:
			m.conn.reply(&live.Response{ToolCallCancellation: &genai.LiveServerToolCallCancellation{IDs: []string{"c1"}}})
		case ev.ToolCallCancellation != nil:
			close(release)
		case len(ev.FunctionResponses()) > 0:
			var ids []string
			for _, r := range ev.FunctionResponses() {
				ids = append(ids, r.ID)
			}
			responses = append(responses, ids)
			for msg := range m.conn.sent { // the response goes out after its event
				if msg.ToolResponse != nil {
					for _, r := range msg.ToolResponse.FunctionResponses {
						sent = append(sent, r.ID)
					}
					break
				}
			}
			p.Queue.Close()
		}
	}
	if diff := cmp.Diff([][]string{{"c2"}}, responses); diff != "" {
		t.Errorf("response events (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"c2"}, sent); diff != "" {
		t.Errorf("ids answered on the wire (-want +got):\n%s", diff)
	}
	if runs != 1 {
		t.Errorf("the tool ran %d times, want 1", runs)
	}
}
