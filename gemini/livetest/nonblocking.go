package livetest

import (
	"google.golang.org/genai"
)

// NON_BLOCKING functions (docs/PROTOCOL.md §3): the model does not wait
// for their responses, and a response to one is scheduled as it says:
// SILENT joins the conversation only, WHEN_IDLE (the default) makes the
// model answer once it is quiet, INTERRUPT interrupts it and makes it
// answer at once. A response with willContinue true is one of several;
// each is scheduled the same way.

// nonBlocking reports whether setup declares the function name with
// behavior NON_BLOCKING.
func nonBlocking(setup *genai.LiveClientSetup, name string) bool {
	if setup == nil {
		return false
	}
	for _, t := range setup.Tools {
		if t == nil {
			continue
		}
		for _, d := range t.FunctionDeclarations {
			if d != nil && d.Name == name {
				return d.Behavior == genai.BehaviorNonBlocking
			}
		}
	}
	return false
}

// blockingIDs returns the ids of the calls the model waits for: those of
// functions not declared NON_BLOCKING.
func blockingIDs(setup *genai.LiveClientSetup, calls []*genai.FunctionCall) []string {
	var ids []string
	for _, c := range calls {
		if !nonBlocking(setup, c.Name) {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// scheduling returns how the model takes responses that answered no
// outstanding call: SILENT when every one is a SILENT response of a
// NON_BLOCKING function, INTERRUPT when one is an INTERRUPT response of
// one, and WHEN_IDLE otherwise (a response of a blocking function starts
// a turn, as on Vertex AI).
func scheduling(setup *genai.LiveClientSetup, rs []*genai.FunctionResponse) genai.FunctionResponseScheduling {
	silent := true
	for _, r := range rs {
		if r == nil {
			continue
		}
		if !nonBlocking(setup, r.Name) {
			silent = false
			continue
		}
		switch r.Scheduling {
		case genai.FunctionResponseSchedulingInterrupt:
			return genai.FunctionResponseSchedulingInterrupt
		case genai.FunctionResponseSchedulingSilent:
		default:
			silent = false
		}
	}
	if silent {
		return genai.FunctionResponseSchedulingSilent
	}
	return genai.FunctionResponseSchedulingWhenIdle
}
