// Package tool defines the tools an agent can give a live model: function
// tools the runtime executes when the model calls them, and built-in tools
// (such as Google Search) the model's service runs itself.
//
// A function tool is best made with [NewTyped], from a Go function whose
// arguments are a struct: the parameters' JSON schema (names from the json
// tags, required unless omitempty, descriptions from jsonschema tags) is
// derived from the struct by github.com/google/jsonschema-go, and the
// result is encoded as the response:
//
//	type WeatherArgs struct {
//		City string `json:"city" jsonschema:"the city, for example Paris"`
//	}
//	weather, err := tool.NewTyped(tool.TypedConfig{
//		Name:        "get_weather",
//		Description: "Returns the current weather in a city.",
//	}, func(ctx tool.Context, args WeatherArgs) (Weather, error) {
//		return Weather{Forecast: "sunny"}, nil
//	})
//
// [NewFunction] makes one from a function of a map, with the schema given
// by hand:
//
//	weather, err := tool.NewFunction(tool.FunctionConfig{
//		Name:        "get_weather",
//		Description: "Returns the current weather in a city.",
//		Parameters: &genai.Schema{Type: genai.TypeObject, Properties: map[string]*genai.Schema{
//			"city": {Type: genai.TypeString},
//		}},
//	}, func(ctx tool.Context, args map[string]any) (map[string]any, error) {
//		return map[string]any{"weather": "sunny"}, nil
//	})
//
// During a live run each call of a function tool runs in its own goroutine
// with a [Context] that is cancelled when the model cancels the call or the
// run ends; the returned map (or {"error": ...} when the function fails) is
// sent back to the model as the call's response. The arguments are checked
// against the tool's schema before the function runs: a value of the wrong
// type, a missing required field or an unknown one is answered with an
// error naming the field ([ErrInvalidArgs]), so the model can call again.
//
// # NON_BLOCKING functions
//
// [NonBlocking] declares a function tool NON_BLOCKING: the model goes on
// talking while the call runs, and the response carries a scheduling
// (SILENT, WHEN_IDLE, INTERRUPT) that says what the model does with it.
// Only the Gemini API accepts it; a live run on Vertex AI or a gemini-3.1
// live model refuses such a tool before connecting.
//
// # Streaming tools
//
// [NewStreaming] makes a tool whose call yields results over time (an
// iter.Seq2 of results and errors), such as a price monitor. In a live
// run the call is answered at once, then each result is sent to the model
// as it comes: on the Gemini API as a function response for the same call
// with willContinue and the tool's scheduling, so the model tells the
// user without a new user turn; on Vertex AI and gemini-3.1 live models,
// which refuse willContinue, as user text "Function NAME returned: {...}"
// (as ADK Python sends it), which the model answers as a turn. A call runs
// until its results end, the server cancels it, its connection or the run
// ends, or the model calls the built-in stop_streaming(function_name),
// which the run declares for an agent with streaming tools and runs
// itself: it stops every running call of that tool. Any number of calls,
// of one tool or several, run at once.
//
// A streaming tool made with StreamingConfig.Input also gets an
// [InputStream]: a copy of every request sent to the run's queue while
// the call runs (audio, video frames, text, signals), bounded: a tool
// slow to take them loses copies (counted by InputStream.Dropped), never
// the run's time.
package tool
