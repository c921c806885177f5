package tool

// Tool callbacks run around each call of a function tool in a live run,
// the runner's plugins' first, then the agent's, each kind in order.
// Every callback receives the call's Context (its State and Actions are
// the call's: writes become the response event's state delta) and the
// tool; args is the model's arguments, which a BeforeCallback may change
// in place before the tool sees them.
//
// A call of a StreamingTool sees them once per call, not once per
// result: the BeforeCallbacks run before the stream starts, the
// ErrorCallbacks on the error the stream yields (or its panic), and the
// AfterCallbacks only on a result a BeforeCallback or ErrorCallback gave;
// the stream's own results go to the model as they come, unseen.

// BeforeCallback runs before the tool. It returns (nil, nil) to go on;
// a non-nil result short-circuits: the tool does not run and the result
// is the call's response (the after callbacks still see it); an error
// answers the call with {"error": ...} and nothing else runs. For a
// streaming call it runs before the stream starts; a result or an error
// is then the call's only response, and no stream starts.
type BeforeCallback func(ctx Context, t FunctionTool, args map[string]any) (map[string]any, error)

// AfterCallback runs after the tool returned a result (or a
// BeforeCallback or ErrorCallback gave one). It returns (nil, nil) to keep
// result; a non-nil map replaces it and ends the chain; an error answers
// the call with {"error": ...}. A streaming call's streamed results do not
// reach it: only a result a BeforeCallback or ErrorCallback gave.
type AfterCallback func(ctx Context, t FunctionTool, args, result map[string]any) (map[string]any, error)

// ErrorCallback runs when the tool failed (returned an error or
// panicked). It returns (nil, nil) to pass; a non-nil result turns the
// failure into that result and ends the chain; a non-nil error replaces
// err and ends the chain. An error left at the end answers the call with
// {"error": ...}. For a streaming call it runs on the error the stream
// yields, or its panic, and what it leaves is the stream's last response
// (after the results already sent).
type ErrorCallback func(ctx Context, t FunctionTool, args map[string]any, err error) (map[string]any, error)
