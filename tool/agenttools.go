package tool

import (
	"fmt"
	"slices"
	"strings"

	"google.golang.org/genai"
)

// Names of the built-in tools the runtime declares for multi-agent runs.
const (
	// TransferToAgentName is the name of the tool TransferToAgent returns.
	TransferToAgentName = "transfer_to_agent"
	// TaskCompletedName is the name of the tool TaskCompleted returns.
	TaskCompletedName = "task_completed"
)

// AgentTarget is an agent that transfer_to_agent can move a run to, as the
// model sees it.
type AgentTarget struct {
	// Name is the agent's name, the value of the agent_name argument.
	Name string
	// Description says what the agent does; the model reads it to choose.
	Description string
}

// TransferToAgent returns the transfer_to_agent tool: the model calls it
// with an agent_name to hand the conversation to another agent. Its
// declaration lists the targets (the argument's enum) and their
// descriptions. A call naming one of them sets Actions.TransferToAgent on
// the response, {"result": "Transferred to agent NAME."}, and the runtime
// moves the run to that agent; any other name is answered with an error
// that lists the targets, and the run stays where it is.
//
// Agents get this tool automatically when they have sub-agents (or a
// parent or peers to go back to); applications rarely call it.
func TransferToAgent(targets ...AgentTarget) FunctionTool {
	names := make([]string, len(targets))
	var desc strings.Builder
	desc.WriteString("Transfer the conversation to another agent when that agent is better suited to answer the user, according to its description. ")
	desc.WriteString("When transferring, do not generate any text other than the function call. The agents you can transfer to:")
	for i, t := range targets {
		names[i] = t.Name
		fmt.Fprintf(&desc, "\n- %s", t.Name)
		if d := strings.TrimSpace(t.Description); d != "" {
			fmt.Fprintf(&desc, ": %s", d)
		}
	}
	f, err := NewFunction(FunctionConfig{
		Name:        TransferToAgentName,
		Description: desc.String(),
		Parameters: &genai.Schema{
			Type: genai.TypeObject,
			Properties: map[string]*genai.Schema{
				"agent_name": {Type: genai.TypeString, Description: "The name of the agent to transfer to.", Enum: names},
			},
			Required: []string{"agent_name"},
		},
	}, func(ctx Context, args map[string]any) (map[string]any, error) {
		name, ok := args["agent_name"].(string)
		switch {
		case !ok:
			return nil, fmt.Errorf("transfer_to_agent needs the argument agent_name, a string naming one of: %s", strings.Join(names, ", "))
		case !slices.Contains(names, name):
			return nil, fmt.Errorf("cannot transfer to agent %q: the agents you can transfer to are: %s", name, strings.Join(names, ", "))
		}
		ctx.Actions().TransferToAgent = name
		return map[string]any{"result": fmt.Sprintf("Transferred to agent %s.", name)}, nil
	})
	if err != nil {
		panic(err) // the config above is valid
	}
	return f
}

// TaskCompleted returns the task_completed tool: a step of a sequential
// agent calls it when its task is done. The response sets
// Actions.Escalate, {"result": "Task completion signaled."}, and the
// runtime moves the run to the next step (or ends it after the last).
//
// Sub-agents of a sequential agent get this tool automatically in live
// runs; applications rarely call it.
func TaskCompleted() FunctionTool {
	f, err := NewFunction(FunctionConfig{
		Name:        TaskCompletedName,
		Description: "Signals that the agent has successfully completed the user's question or task.",
	}, func(ctx Context, _ map[string]any) (map[string]any, error) {
		ctx.Actions().Escalate = true
		return map[string]any{"result": "Task completion signaled."}, nil
	})
	if err != nil {
		panic(err) // the config above is valid
	}
	return f
}
