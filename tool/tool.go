package tool

import "google.golang.org/genai"

// Tool is anything an agent can offer a model. Every tool is also either a
// [FunctionTool], which the runtime executes, or a [Builtin], which the
// model's service runs itself.
type Tool interface {
	// Name is the name the model calls the tool by.
	Name() string
	// Description tells the model (and people reading logs) what the tool
	// does.
	Description() string
}

// FunctionTool is a tool the runtime executes when the model calls it.
type FunctionTool interface {
	Tool
	// Declaration describes the function to the model: its name,
	// description and parameters.
	Declaration() *genai.FunctionDeclaration
	// Run executes one call with the call's arguments. The returned map
	// is sent to the model as the function's response; an error is sent
	// as {"error": err.Error()}. Run must return promptly once ctx is
	// done.
	Run(ctx Context, args map[string]any) (map[string]any, error)
	// IsLongRunning reports whether a call starts work that finishes
	// after the response (the call's event lists its id in
	// LongRunningToolIDs).
	IsLongRunning() bool
}

// Builtin is a tool the model's service provides, such as Google Search.
// The runtime only declares it in the connection's setup.
type Builtin interface {
	Tool
	// GenaiTool returns the setup entry that enables the tool. Each call
	// returns a new value the caller may modify.
	GenaiTool() *genai.Tool
}
