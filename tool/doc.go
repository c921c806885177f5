// Package tool defines the tools an agent can give a live model: function
// tools the runtime executes when the model calls them, and built-in tools
// (such as Google Search) the model's service runs itself.
//
// A function tool is made with [NewFunction]:
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
// sent back to the model as the call's response.
package tool
