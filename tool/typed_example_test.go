package tool_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/google/jsonschema-go/jsonschema"

	"github.com/adklive/adklive/tool"
)

// Temperature is a unit the weather tool accepts; TypeSchemas makes it an
// enum in the declaration.
type Temperature string

// WeatherArgs are the arguments of get_weather: city is required, unit is
// not (omitempty), and the jsonschema tags describe them to the model.
type WeatherArgs struct {
	City string      `json:"city" jsonschema:"the city, for example Paris"`
	Unit Temperature `json:"unit,omitempty" jsonschema:"the unit of the temperature"`
}

// Weather is get_weather's result.
type Weather struct {
	Forecast string  `json:"forecast"`
	Degrees  float64 `json:"degrees"`
}

func ExampleNewTyped() {
	weather, err := tool.NewTyped(tool.TypedConfig{
		Name:        "get_weather",
		Description: "Returns the current weather in a city.",
		TypeSchemas: map[reflect.Type]*jsonschema.Schema{
			reflect.TypeFor[Temperature](): {Type: "string", Enum: []any{"celsius", "fahrenheit"}},
		},
	}, func(ctx tool.Context, args WeatherArgs) (Weather, error) {
		if args.Unit == "fahrenheit" {
			return Weather{Forecast: "sunny in " + args.City, Degrees: 72}, nil
		}
		return Weather{Forecast: "sunny in " + args.City, Degrees: 22}, nil
	})
	if err != nil {
		panic(err)
	}

	// What the model is told.
	schema, _ := json.Marshal(weather.Declaration().ParametersJsonSchema)
	fmt.Println(string(schema))

	// The live run calls Run for each of the model's calls; a test can too.
	ctx := tool.NewContext(context.Background(), tool.CallInfo{FunctionCallID: "call-1"})
	fmt.Println(weather.Run(ctx, map[string]any{"city": "Paris", "unit": "fahrenheit"}))
	// Arguments that do not match the schema never reach the function; the
	// model reads the error in the call's response.
	fmt.Println(weather.Run(ctx, map[string]any{"city": 42}))
	fmt.Println(weather.Run(ctx, map[string]any{"unit": "celsius"}))
	// Output:
	// {"type":"object","properties":{"city":{"type":"string","description":"the city, for example Paris"},"unit":{"type":"string","description":"the unit of the temperature","enum":["celsius","fahrenheit"]}},"required":["city"],"additionalProperties":false}
	// map[degrees:72 forecast:sunny in Paris] <nil>
	// map[] invalid arguments for tool "get_weather": field "city": 42 has type "integer", want "string"
	// map[] invalid arguments for tool "get_weather": missing properties: ["city"]
}
