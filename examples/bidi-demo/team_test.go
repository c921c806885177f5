package main

import (
	"strings"
	"testing"

	"github.com/adklive/adklive/event"
)

// With -team the demo runs the examples' team of agents: asking for a
// specialist moves the conversation to it, and back.
func TestTeamTransfersOnTheSimulator(t *testing.T) {
	d := startDemo(t, "-model", textModel, "-team")
	c := d.dial(t, "/ws/u1/s1")

	c.sendText("talk to the weather agent")
	frames := c.until(func(ev *event.Event) bool { return ev.Author == "weather_agent" && ev.TurnComplete })
	transferred, greeted := false, false
	for _, f := range frames {
		if f.ev.Actions.TransferToAgent == "weather_agent" && f.ev.Author == "coordinator" {
			transferred = true
		}
		if f.ev.Author == "weather_agent" && !f.ev.Partial && strings.Contains(f.ev.Text(), "this is weather_agent") {
			greeted = true
		}
	}
	if !transferred {
		t.Error("no event of the coordinator with Actions.TransferToAgent weather_agent before the weather agent spoke")
	}
	if !greeted {
		t.Error("the weather agent did not greet the user on taking over")
	}

	c.sendText("back to the coordinator")
	frames = c.until(func(ev *event.Event) bool { return ev.Author == "coordinator" && ev.TurnComplete })
	for _, f := range frames {
		if f.ev.Author == "coordinator" && f.ev.Branch != "" {
			t.Errorf("the coordinator's event has Branch %q, want the root's empty branch", f.ev.Branch)
		}
	}
}
