package flow_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/tool"
)

// oneMove is a Team that moves the run to its agent on any transfer.
type oneMove struct{ to *flow.Agent }

func (m oneMove) Handoff(_ string, a event.Actions) (*flow.Agent, bool) {
	if a.TransferToAgent == m.to.Name {
		return m.to, false
	}
	return nil, false
}

// After a transfer the run is again one goroutine while idle, and none once
// it ends: the old link leaves nothing behind.
func TestTransferLeavesOneGoroutine(t *testing.T) {
	srv, p := newLive(t, textConfig)
	hand, err := tool.NewFunction(tool.FunctionConfig{Name: "hand_over", Description: "Hands over."},
		func(ctx tool.Context, _ map[string]any) (map[string]any, error) {
			ctx.Actions().TransferToAgent = "second"
			return map[string]any{"result": "handed over"}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	p.Tools = []tool.Tool{hand}
	p.Team = oneMove{to: &flow.Agent{Name: "second", Branch: "assistant.second", Model: p.Model, Instruction: "You are second."}}
	srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "h1", Name: "hand_over"}))
	srv.Reply(livetest.Text("second here"), livetest.GenerationComplete(), livetest.TurnComplete())

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := make(chan *event.Event, 100)
	ended := make(chan error, 1)
	go func() {
		var err error
		for ev, e := range flow.Run(ctx, p) {
			if e != nil {
				err = e
				break
			}
			events <- ev
		}
		close(events)
		ended <- err
	}()
	if err := p.Queue.SendContent(genai.NewContentFromText("hand me over", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
	for ev := range events {
		if ev.TurnComplete {
			if ev.Author != "second" || ev.Branch != "assistant.second" {
				t.Errorf("turnComplete by %q on %q, want second on assistant.second", ev.Author, ev.Branch)
			}
			break
		}
	}
	if s := srv.Sessions(); len(s) != 2 || s[1].Setup().SystemInstruction.Parts[0].Text != "You are second." {
		t.Fatalf("sessions %d; want a second one with the second agent's instruction", len(s))
	}
	// The second agent hears of the first one's turns as user text.
	var told []string
	for _, c := range srv.Sessions()[1].Conversation() {
		for _, part := range c.Parts {
			if part.FunctionCall != nil || part.FunctionResponse != nil {
				t.Errorf("the second agent's history holds the first one's %s parts", c.Role)
			}
			if strings.HasPrefix(part.Text, "[assistant]") {
				told = append(told, c.Role+" "+part.Text)
			}
		}
	}
	want := []string{
		"user [assistant] called tool `hand_over` with parameters: {}",
		"user [assistant] `hand_over` tool returned result: {\"result\":\"handed over\"}",
	}
	if !slices.Equal(told, want) {
		t.Errorf("the second agent was told %q, want %q", told, want)
	}
	waitFlowGoroutines(t, 1, "idle after the transfer")

	p.Queue.Close()
	go func() {
		for range events {
		}
	}()
	if err := <-ended; err != nil {
		t.Fatalf("run ended with %v after the queue closed", err)
	}
	waitFlowGoroutines(t, 0, "after the run ended")
}
