package flow_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/adklive/adklive/event"
)

// describe renders what a test cares about in an event, in one line:
// author, partial, content parts, transcriptions, signals and metadata.
func describe(ev *event.Event) string {
	w := []string{ev.Author}
	if ev.Partial {
		w = append(w, "partial")
	}
	if ev.Content != nil {
		w = append(w, "role="+ev.Content.Role)
		for _, p := range ev.Content.Parts {
			switch {
			case p.Thought:
				w = append(w, fmt.Sprintf("thought %q", p.Text))
			case p.Text != "":
				w = append(w, fmt.Sprintf("text %q", p.Text))
			case p.InlineData != nil:
				w = append(w, fmt.Sprintf("inline %s %dB", p.InlineData.MIMEType, len(p.InlineData.Data)))
			case p.FunctionCall != nil:
				w = append(w, fmt.Sprintf("call %s(%s) %s", p.FunctionCall.Name, p.FunctionCall.ID, jsonOf(p.FunctionCall.Args)))
			case p.FunctionResponse != nil:
				w = append(w, fmt.Sprintf("response %s(%s) %s", p.FunctionResponse.Name, p.FunctionResponse.ID, jsonOf(p.FunctionResponse.Response)))
			case p.ExecutableCode != nil:
				w = append(w, fmt.Sprintf("code %q", p.ExecutableCode.Code))
			case p.CodeExecutionResult != nil:
				w = append(w, fmt.Sprintf("result %q", p.CodeExecutionResult.Output))
			default:
				w = append(w, "part "+jsonOf(p))
			}
		}
	}
	if t := ev.InputTranscription; t != nil {
		w = append(w, fmt.Sprintf("input %q", t.Text))
		if t.Finished {
			w = append(w, "finished")
		}
	}
	if t := ev.OutputTranscription; t != nil {
		w = append(w, fmt.Sprintf("output %q", t.Text))
		if t.Finished {
			w = append(w, "finished")
		}
	}
	for _, s := range []struct {
		on   bool
		name string
	}{{ev.Interrupted, "interrupted"}, {ev.GenerationComplete, "generationComplete"}, {ev.TurnComplete, "turnComplete"}} {
		if s.on {
			w = append(w, s.name)
		}
	}
	if ev.UsageMetadata != nil {
		w = append(w, fmt.Sprintf("usage=%d", ev.UsageMetadata.TotalTokenCount))
	}
	if ev.GroundingMetadata != nil {
		w = append(w, "grounding="+strings.Join(ev.GroundingMetadata.WebSearchQueries, ","))
	}
	if u := ev.LiveSessionResumptionUpdate; u != nil {
		w = append(w, fmt.Sprintf("resumption=%s,%v", u.NewHandle, u.Resumable))
	}
	if ev.GoAway != nil {
		w = append(w, "goAway="+ev.GoAway.TimeLeft.String())
	}
	if ev.ToolCallCancellation != nil {
		w = append(w, "cancel="+strings.Join(ev.ToolCallCancellation.IDs, ","))
	}
	if ev.VoiceActivity != nil {
		w = append(w, "voice="+string(ev.VoiceActivity.VoiceActivityType))
	}
	if ev.VoiceActivityDetectionSignal != nil {
		w = append(w, "vad="+string(ev.VoiceActivityDetectionSignal.VADSignalType))
	}
	if len(ev.LongRunningToolIDs) > 0 {
		w = append(w, "longRunning="+strings.Join(ev.LongRunningToolIDs, ","))
	}
	if len(ev.Actions.StateDelta) > 0 {
		w = append(w, "state="+jsonOf(ev.Actions.StateDelta))
	}
	if ev.ErrorCode != "" {
		w = append(w, "error="+ev.ErrorCode)
	}
	return strings.Join(w, " ")
}

// describeAll describes every event.
func describeAll(evs []*event.Event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = describe(ev)
	}
	return out
}

func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return string(b)
}
