package tool_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/jsonschema-go/jsonschema"
	"google.golang.org/genai"

	"github.com/adklive/adklive/tool"
)

type unit string

type weatherArgs struct {
	City  string   `json:"city" jsonschema:"the city, for example Paris"`
	Days  int      `json:"days,omitempty" jsonschema:"how many days to forecast"`
	Unit  unit     `json:"unit,omitempty"`
	Tags  []string `json:"tags,omitempty"`
	Where struct {
		Lat float64 `json:"lat"`
	} `json:"where,omitzero"`
}

type weather struct {
	City     string `json:"city"`
	Forecast string `json:"forecast"`
}

var unitSchema = map[reflect.Type]*jsonschema.Schema{
	reflect.TypeFor[unit](): {Type: "string", Enum: []any{"celsius", "fahrenheit"}},
}

func newWeather(t *testing.T) tool.FunctionTool {
	t.Helper()
	f, err := tool.NewTyped(tool.TypedConfig{Name: "get_weather", Description: "Forecasts the weather.", TypeSchemas: unitSchema},
		func(ctx tool.Context, a weatherArgs) (weather, error) {
			if a.City == "Atlantis" {
				return weather{}, errors.New("no weather under the sea")
			}
			return weather{City: a.City, Forecast: strings.Repeat("sun ", max(a.Days, 1))}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestTypedDeclaration(t *testing.T) {
	d := newWeather(t).Declaration()
	if d.Name != "get_weather" || d.Description != "Forecasts the weather." || d.Parameters != nil {
		t.Errorf("Declaration() = %+v", d)
	}
	b, err := json.Marshal(d.ParametersJsonSchema)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"city": map[string]any{"type": "string", "description": "the city, for example Paris"},
			"days": map[string]any{"type": "integer", "description": "how many days to forecast"},
			"unit": map[string]any{"type": "string", "enum": []any{"celsius", "fahrenheit"}},
			"tags": map[string]any{"type": []any{"null", "array"}, "items": map[string]any{"type": "string"}},
			"where": map[string]any{"type": "object", "properties": map[string]any{"lat": map[string]any{"type": "number"}},
				"required": []any{"lat"}, "additionalProperties": false},
		},
		"required":             []any{"city"},
		"additionalProperties": false,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parameters schema mismatch (-want +got):\n%s", diff)
	}
}

func TestTypedRun(t *testing.T) {
	f := newWeather(t)
	tests := []struct {
		name    string
		args    map[string]any
		want    map[string]any
		wantErr string // the error's text; "" for none
	}{
		{"valid", map[string]any{"city": "Paris", "days": 2.0, "unit": "celsius"},
			map[string]any{"city": "Paris", "forecast": "sun sun "}, ""},
		{"wrong type", map[string]any{"city": 42.0}, nil,
			`invalid arguments for tool "get_weather": field "city": 42 has type "integer", want "string"`},
		{"missing required field", map[string]any{"days": 1.0}, nil,
			`invalid arguments for tool "get_weather": missing properties: ["city"]`},
		{"no args at all", nil, nil,
			`invalid arguments for tool "get_weather": missing properties: ["city"]`},
		{"a fraction for an integer", map[string]any{"city": "Paris", "days": 1.5}, nil,
			`invalid arguments for tool "get_weather": field "days": 1.5 has type "number", want "integer"`},
		{"not in the enum", map[string]any{"city": "Paris", "unit": "kelvin"}, nil,
			`invalid arguments for tool "get_weather": field "unit": "kelvin" is not one of [celsius fahrenheit]`},
		{"unknown field", map[string]any{"city": "Paris", "country": "FR"}, nil,
			`invalid arguments for tool "get_weather": unexpected additional properties ["country"]`},
		{"nested", map[string]any{"city": "Paris", "where": map[string]any{"lat": "north"}}, nil,
			`invalid arguments for tool "get_weather": field "where.lat": north has type "string", want "number"`},
		{"array item", map[string]any{"city": "Paris", "tags": []any{1.0}}, nil,
			`invalid arguments for tool "get_weather": field "tags[]": 1 has type "integer", want "string"`},
		{"the function fails", map[string]any{"city": "Atlantis"}, nil, "no weather under the sea"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.Run(tool.NewContext(context.Background(), tool.CallInfo{}), tc.args)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Run() error = %v", err)
				}
			} else {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("Run() error = %v, want %q", err, tc.wantErr)
				}
				if isArgs := errors.Is(err, tool.ErrInvalidArgs); isArgs != strings.HasPrefix(tc.wantErr, "invalid arguments") {
					t.Errorf("errors.Is(err, ErrInvalidArgs) = %v", isArgs)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Run() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTypedResults(t *testing.T) {
	ctx := tool.NewContext(context.Background(), tool.CallInfo{})
	type none struct{}
	tests := []struct {
		name string
		tool func() (tool.FunctionTool, error)
		want map[string]any
	}{
		{"a string is wrapped", func() (tool.FunctionTool, error) {
			return tool.NewTyped(tool.TypedConfig{Name: "s"}, func(tool.Context, none) (string, error) { return "hi", nil })
		}, map[string]any{"result": "hi"}},
		{"a slice is wrapped", func() (tool.FunctionTool, error) {
			return tool.NewTyped(tool.TypedConfig{Name: "s"}, func(tool.Context, none) ([]int, error) { return []int{1, 2}, nil })
		}, map[string]any{"result": []any{1.0, 2.0}}},
		{"a map is the response", func() (tool.FunctionTool, error) {
			return tool.NewTyped(tool.TypedConfig{Name: "s"}, func(tool.Context, none) (map[string]any, error) {
				return map[string]any{"a": 1}, nil
			})
		}, map[string]any{"a": 1}},
		{"a nil map is an empty response", func() (tool.FunctionTool, error) {
			return tool.NewTyped(tool.TypedConfig{Name: "s"}, func(tool.Context, none) (map[string]any, error) { return nil, nil })
		}, map[string]any{}},
		{"map arguments", func() (tool.FunctionTool, error) {
			return tool.NewTyped(tool.TypedConfig{Name: "s"}, func(_ tool.Context, a map[string]int) (int, error) { return a["n"] * 2, nil })
		}, map[string]any{"result": 0.0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := tc.tool()
			if err != nil {
				t.Fatal(err)
			}
			got, err := f.Run(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Run() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewTypedValidates(t *testing.T) {
	fn := func(tool.Context, weatherArgs) (string, error) { return "", nil }
	tests := []struct {
		name string
		make func() (tool.FunctionTool, error)
		want string
	}{
		{"bad name", func() (tool.FunctionTool, error) { return tool.NewTyped(tool.TypedConfig{Name: "a b"}, fn) }, `"a b"`},
		{"nil function", func() (tool.FunctionTool, error) {
			return tool.NewTyped[weatherArgs, string](tool.TypedConfig{Name: "f"}, nil)
		}, "nil"},
		{"arguments that are not an object", func() (tool.FunctionTool, error) {
			return tool.NewTyped(tool.TypedConfig{Name: "f"}, func(tool.Context, string) (string, error) { return "", nil })
		}, "not a struct or a map with string keys"},
		{"a type without a schema", func() (tool.FunctionTool, error) {
			return tool.NewTyped(tool.TypedConfig{Name: "f"}, func(tool.Context, struct{ C chan int }) (string, error) { return "", nil })
		}, "deriving the schema"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.make()
			if !errors.Is(err, tool.ErrInvalidConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one matching ErrInvalidConfig that mentions %s", err, tc.want)
			}
		})
	}
}

// NewFunction tools check their arguments too, against either schema.
func TestFunctionChecksArguments(t *testing.T) {
	params := &genai.Schema{Type: genai.TypeObject, Required: []string{"city"}, Properties: map[string]*genai.Schema{
		"city": {Type: genai.TypeString},
		"unit": {Type: genai.TypeString, Enum: []string{"celsius", "fahrenheit"}},
		"days": {Type: genai.TypeInteger, Minimum: genai.Ptr(1.0)},
	}}
	jsonParams := map[string]any{"type": "object", "required": []any{"city"},
		"properties": map[string]any{"city": map[string]any{"type": "string"}}}
	ran := false
	fn := func(tool.Context, map[string]any) (map[string]any, error) { ran = true; return nil, nil }
	genaiTool, err := tool.NewFunction(tool.FunctionConfig{Name: "g", Parameters: params}, fn)
	if err != nil {
		t.Fatal(err)
	}
	jsonTool, err := tool.NewFunction(tool.FunctionConfig{Name: "j", ParametersJSONSchema: jsonParams}, fn)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		tool tool.FunctionTool
		args map[string]any
		want string // "" when valid
	}{
		{"genai valid", genaiTool, map[string]any{"city": "Paris", "unit": "celsius", "days": 3.0}, ""},
		{"genai wrong type", genaiTool, map[string]any{"city": 42.0}, `field "city": 42 has type "integer", want "string"`},
		{"genai missing", genaiTool, map[string]any{}, `missing properties: ["city"]`},
		{"genai enum", genaiTool, map[string]any{"city": "Paris", "unit": "kelvin"}, `field "unit"`},
		{"genai minimum", genaiTool, map[string]any{"city": "Paris", "days": 0.0}, `field "days"`},
		{"JSON schema valid", jsonTool, map[string]any{"city": "Paris"}, ""},
		{"JSON schema wrong type", jsonTool, map[string]any{"city": true}, `field "city": true has type "boolean", want "string"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ran = false
			_, err := tc.tool.Run(tool.NewContext(context.Background(), tool.CallInfo{}), tc.args)
			if tc.want == "" {
				if err != nil || !ran {
					t.Errorf("Run() = %v, ran %v; want the function to run", err, ran)
				}
				return
			}
			if !errors.Is(err, tool.ErrInvalidArgs) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Run() error = %v, want one matching ErrInvalidArgs that mentions %s", err, tc.want)
			}
			if ran {
				t.Error("the function ran with invalid arguments")
			}
		})
	}
}
