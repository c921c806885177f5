package tool_test

import (
	"context"
	"fmt"

	"google.golang.org/genai"

	"github.com/adklive/adklive/tool"
)

func ExampleNewFunction() {
	weather, err := tool.NewFunction(tool.FunctionConfig{
		Name:        "get_weather",
		Description: "Returns the current weather in a city.",
		Parameters: &genai.Schema{Type: genai.TypeObject, Properties: map[string]*genai.Schema{
			"city": {Type: genai.TypeString},
		}},
	}, func(ctx tool.Context, args map[string]any) (map[string]any, error) {
		ctx.Actions().StateDelta = map[string]any{"user:last_city": args["city"]}
		return map[string]any{"weather": "sunny"}, nil
	})
	if err != nil {
		panic(err)
	}

	// The live run calls Run for each of the model's calls; a test can too.
	ctx := tool.NewContext(context.Background(), tool.CallInfo{FunctionCallID: "call-1", AgentName: "assistant"})
	out, err := weather.Run(ctx, map[string]any{"city": "Tokyo"})
	fmt.Println(out, err, ctx.Actions().StateDelta)
	// Output: map[weather:sunny] <nil> map[user:last_city:Tokyo]
}

func ExampleNewFunction_invalidName() {
	_, err := tool.NewFunction(tool.FunctionConfig{Name: "get weather"},
		func(tool.Context, map[string]any) (map[string]any, error) { return nil, nil })
	fmt.Println(err)
	// Output: tool: invalid config: Name "get weather" has the character ' ' at byte 3; use only a-z, A-Z, 0-9, '_', '.' and '-'
}

func ExampleGoogleSearch() {
	search := tool.GoogleSearch()
	fmt.Println(search.Name(), search.GenaiTool().GoogleSearch != nil)
	// Output: google_search true
}
