package tool

// Tool callbacks run around each call of a function tool in a live run,
// the runner's plugins' first, then the agent's, each kind in order.
// Every callback receives the call's Context (its State and Actions are
// the call's: writes become the response event's state delta) and the
// tool; args is the model's arguments, which a BeforeCallback may change
// in place before the tool sees them.

// BeforeCallback runs before the tool. It returns (nil, nil) to go on;
// a non-nil result short-circuits: the tool does not run and the result
// is the call's response (the after callbacks still see it); an error
// answers the call with {"error": ...} and nothing else runs.
type BeforeCallback func(ctx Context, t FunctionTool, args map[string]any) (map[string]any, error)

// AfterCallback runs after the tool returned a result (or a
// BeforeCallback or ErrorCallback gave one). It returns (nil, nil) to keep
// result; a non-nil map replaces it and ends the chain; an error answers
// the call with {"error": ...}.
type AfterCallback func(ctx Context, t FunctionTool, args, result map[string]any) (map[string]any, error)

// ErrorCallback runs when the tool failed (returned an error or
// panicked). It returns (nil, nil) to pass; a non-nil result turns the
// failure into that result and ends the chain; a non-nil error replaces
// err and ends the chain. An error left at the end answers the call with
// {"error": ...}.
type ErrorCallback func(ctx Context, t FunctionTool, args map[string]any, err error) (map[string]any, error)
