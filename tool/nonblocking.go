package tool

import (
	"fmt"

	"google.golang.org/genai"
)

// Scheduled is implemented by function tools declared NON_BLOCKING (see
// [NonBlocking]): the model does not wait for their response, and the
// response says what the model does with it when it arrives.
type Scheduled interface {
	FunctionTool
	// Scheduling returns the scheduling sent with each of the tool's
	// responses: SILENT, WHEN_IDLE or INTERRUPT.
	Scheduling() genai.FunctionResponseScheduling
}

// NonBlocking returns t declared with Behavior NON_BLOCKING: the model
// goes on talking with the user while the call runs, and each response
// carries scheduling, which tells the model what to do with it:
//
//   - genai.FunctionResponseSchedulingSilent: add it to the conversation
//     and say nothing;
//   - genai.FunctionResponseSchedulingWhenIdle (the default, for ""): tell
//     the user once the model is idle, without interrupting it;
//   - genai.FunctionResponseSchedulingInterrupt: interrupt what the model
//     is saying to tell the user.
//
// Only the Gemini API accepts these fields: Vertex AI and gemini-3.1 live
// models refuse functionResponse.scheduling and willContinue, so a live run
// on them refuses a NonBlocking tool before connecting, with an error
// saying so. The returned tool runs t, and reports t through Unwrap.
// NonBlocking fails with an error matching ErrInvalidConfig when t is nil
// or scheduling is not one of the values above.
func NonBlocking(t FunctionTool, scheduling genai.FunctionResponseScheduling) (Scheduled, error) {
	if t == nil {
		return nil, fmt.Errorf("%w: NonBlocking: the tool is nil", ErrInvalidConfig)
	}
	s, err := checkScheduling(t.Name(), scheduling)
	if err != nil {
		return nil, err
	}
	return &nonBlocking{FunctionTool: t, scheduling: s}, nil
}

// checkScheduling returns scheduling with "" replaced by WHEN_IDLE, or an
// error naming the tool when it is not a value the model accepts.
func checkScheduling(name string, scheduling genai.FunctionResponseScheduling) (genai.FunctionResponseScheduling, error) {
	switch scheduling {
	case "":
		return genai.FunctionResponseSchedulingWhenIdle, nil
	case genai.FunctionResponseSchedulingSilent, genai.FunctionResponseSchedulingWhenIdle, genai.FunctionResponseSchedulingInterrupt:
		return scheduling, nil
	}
	return "", fmt.Errorf("%w: function %q: Scheduling %q is not one of SILENT, WHEN_IDLE and INTERRUPT",
		ErrInvalidConfig, name, scheduling)
}

// nonBlocking is the tool NonBlocking returns.
type nonBlocking struct {
	FunctionTool
	scheduling genai.FunctionResponseScheduling
}

// Declaration returns the wrapped tool's declaration with Behavior
// NON_BLOCKING (a shallow copy: the schemas are shared).
func (n *nonBlocking) Declaration() *genai.FunctionDeclaration {
	d := *n.FunctionTool.Declaration()
	d.Behavior = genai.BehaviorNonBlocking
	return &d
}

func (n *nonBlocking) Scheduling() genai.FunctionResponseScheduling { return n.scheduling }

// Unwrap returns the tool NonBlocking was given.
func (n *nonBlocking) Unwrap() FunctionTool { return n.FunctionTool }
