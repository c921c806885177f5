package tool_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/tool"
)

func noop(tool.Context, map[string]any) (map[string]any, error) { return nil, nil }

// jsonSchema stands for a JSON Schema type of another library.
type jsonSchema struct {
	Type string `json:"type"`
}

func TestNewFunctionValidates(t *testing.T) {
	tests := []struct {
		name string
		cfg  tool.FunctionConfig
		fn   tool.Func
		want []string // substrings of the error; nil: no error
	}{
		{"valid", tool.FunctionConfig{Name: "get_weather"}, noop, nil},
		{"every allowed character", tool.FunctionConfig{Name: "Az09_.-"}, noop, nil},
		{"64 characters", tool.FunctionConfig{Name: strings.Repeat("a", 64)}, noop, nil},
		{"empty name", tool.FunctionConfig{}, noop, []string{"Name", "empty"}},
		{"65 characters", tool.FunctionConfig{Name: strings.Repeat("a", 65)}, noop, []string{"65", "64"}},
		{"space", tool.FunctionConfig{Name: "get weather"}, noop, []string{`"get weather"`, `' '`}},
		{"non-ASCII", tool.FunctionConfig{Name: "météo"}, noop, []string{`"météo"`}},
		{"both schemas", tool.FunctionConfig{Name: "f", Parameters: &genai.Schema{}, ParametersJSONSchema: map[string]any{}}, noop,
			[]string{"Parameters", "ParametersJSONSchema"}},
		{"nil function", tool.FunctionConfig{Name: "f"}, nil, []string{`"f"`, "nil"}},
		{"typed-nil JSON schema", tool.FunctionConfig{Name: "f", ParametersJSONSchema: (*jsonSchema)(nil)}, noop,
			[]string{`"f"`, "ParametersJSONSchema is a nil *tool_test.jsonSchema"}},
		{"nil map JSON schema", tool.FunctionConfig{Name: "f", ParametersJSONSchema: map[string]any(nil)}, noop,
			[]string{"ParametersJSONSchema is a nil map[string]interface {}"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := tool.NewFunction(tc.cfg, tc.fn)
			if tc.want == nil {
				if err != nil || f == nil {
					t.Fatalf("NewFunction() = %v, %v; want a tool", f, err)
				}
				return
			}
			if !errors.Is(err, tool.ErrInvalidConfig) {
				t.Fatalf("NewFunction() error = %v, want one matching ErrInvalidConfig", err)
			}
			for _, s := range tc.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %s", err, s)
				}
			}
		})
	}
}

func TestFunctionDeclarationAndRun(t *testing.T) {
	params := &genai.Schema{Type: genai.TypeObject, Properties: map[string]*genai.Schema{"city": {Type: genai.TypeString}}}
	f, err := tool.NewFunction(tool.FunctionConfig{
		Name: "get_weather", Description: "Returns the weather.", Parameters: params, LongRunning: true,
	}, func(ctx tool.Context, args map[string]any) (map[string]any, error) {
		ctx.Actions().StateDelta = map[string]any{"city": args["city"]}
		return map[string]any{"weather": "sunny", "call": ctx.FunctionCallID()}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if f.Name() != "get_weather" || f.Description() != "Returns the weather." || !f.IsLongRunning() {
		t.Errorf("Name, Description, IsLongRunning = %q, %q, %v", f.Name(), f.Description(), f.IsLongRunning())
	}
	want := &genai.FunctionDeclaration{Name: "get_weather", Description: "Returns the weather.", Parameters: params}
	if diff := cmp.Diff(want, f.Declaration()); diff != "" {
		t.Errorf("Declaration mismatch (-want +got):\n%s", diff)
	}

	ctx := tool.NewContext(context.Background(), tool.CallInfo{FunctionCallID: "c1", AgentName: "assistant", InvocationID: "e-1"})
	out, err := f.Run(ctx, map[string]any{"city": "Tokyo"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"weather": "sunny", "call": "c1"}, out); diff != "" {
		t.Errorf("Run result mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&event.Actions{StateDelta: map[string]any{"city": "Tokyo"}}, ctx.Actions()); diff != "" {
		t.Errorf("Actions mismatch (-want +got):\n%s", diff)
	}
}

func TestJSONSchemaParameters(t *testing.T) {
	schema := map[string]any{"type": "object", "properties": map[string]any{"q": map[string]any{"type": "string"}}}
	f, err := tool.NewFunction(tool.FunctionConfig{Name: "search", ParametersJSONSchema: schema}, noop)
	if err != nil {
		t.Fatal(err)
	}
	d := f.Declaration()
	if d.Parameters != nil || !cmp.Equal(schema, d.ParametersJsonSchema) {
		t.Errorf("Declaration() = %+v, want the JSON schema in ParametersJsonSchema only", d)
	}
}

func TestNewContext(t *testing.T) {
	type key struct{}
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
	ctx := tool.NewContext(parent, tool.CallInfo{FunctionCallID: "c1", AgentName: "assistant", InvocationID: "e-1"})
	if ctx.FunctionCallID() != "c1" || ctx.AgentName() != "assistant" || ctx.InvocationID() != "e-1" {
		t.Errorf("CallInfo not kept: %q %q %q", ctx.FunctionCallID(), ctx.AgentName(), ctx.InvocationID())
	}
	if ctx.Value(key{}) != "v" {
		t.Error("values of the parent context are lost")
	}
	if !ctx.Actions().IsZero() {
		t.Errorf("a new context has actions %+v", ctx.Actions())
	}
	cancel()
	<-ctx.Done()
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Errorf("Err() = %v after the parent was cancelled", ctx.Err())
	}
}

func TestBuiltins(t *testing.T) {
	tests := []struct {
		tool     tool.Builtin
		wantName string
		want     *genai.Tool
	}{
		{tool.GoogleSearch(), "google_search", &genai.Tool{GoogleSearch: &genai.GoogleSearch{}}},
		{tool.CodeExecution(), "code_execution", &genai.Tool{CodeExecution: &genai.ToolCodeExecution{}}},
		{tool.URLContext(), "url_context", &genai.Tool{URLContext: &genai.URLContext{}}},
	}
	for _, tc := range tests {
		t.Run(tc.wantName, func(t *testing.T) {
			if tc.tool.Name() != tc.wantName || tc.tool.Description() == "" {
				t.Errorf("Name, Description = %q, %q", tc.tool.Name(), tc.tool.Description())
			}
			a, b := tc.tool.GenaiTool(), tc.tool.GenaiTool()
			if diff := cmp.Diff(tc.want, a); diff != "" {
				t.Errorf("GenaiTool mismatch (-want +got):\n%s", diff)
			}
			if a == b {
				t.Error("GenaiTool returned the same value twice")
			}
		})
	}
}
