package tool

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/google/jsonschema-go/jsonschema"
	"google.golang.org/genai"
)

// TypedConfig describes a typed function tool to NewTyped.
type TypedConfig struct {
	// Name is the name the model calls the function by (see
	// FunctionConfig.Name).
	Name string
	// Description tells the model what the function does and when to
	// call it.
	Description string
	// InputSchema, when set, replaces the schema derived from the Args
	// type: it is what the model is told and what arguments are checked
	// against. Arguments that pass it must still decode into Args.
	InputSchema *jsonschema.Schema
	// TypeSchemas gives the schema of Go types used inside Args, in place
	// of the one derived from them: the way to declare an enum is a named
	// string type mapped to a schema with Type "string" and Enum set. See
	// jsonschema.ForOptions.TypeSchemas.
	TypeSchemas map[reflect.Type]*jsonschema.Schema
	// LongRunning marks a function that starts work finishing after its
	// response.
	LongRunning bool
}

// TypedFunc is the code of a typed function tool: it receives the call's
// arguments decoded into Args and returns the result sent to the model.
type TypedFunc[Args, Result any] func(ctx Context, args Args) (Result, error)

// NewTyped returns a function tool that runs fn, with the declaration's
// parameters derived from the Args type by github.com/google/jsonschema-go
// (the library the official Go ADK uses):
//
//   - Args must be a struct (or a map with string keys); its exported
//     fields are the parameters, named by their json tags;
//   - a field is required unless its json tag says omitempty or omitzero;
//   - a `jsonschema:"..."` tag is the field's description;
//   - a struct rejects fields it does not have (additionalProperties
//     false);
//   - enums and other constraints come from TypedConfig.TypeSchemas, or
//     the whole schema from TypedConfig.InputSchema.
//
// Each call's arguments are checked against the schema before fn runs: a
// value of the wrong type, a missing required field or an unknown field
// fails the call with an error matching ErrInvalidArgs that names the
// field, which the model reads in the {"error": ...} response. Then they
// are decoded into Args (through encoding/json) and fn is called. A Result
// that encodes as a JSON object is the response; any other value v is
// sent as {"result": v}, as ADK does.
//
// NewTyped fails with an error matching ErrInvalidConfig when the name is
// not valid (see ValidateName), fn is nil, Args is not a struct or a map
// with string keys, or a schema cannot be derived or resolved.
func NewTyped[Args, Result any](cfg TypedConfig, fn TypedFunc[Args, Result]) (FunctionTool, error) {
	if err := ValidateName(cfg.Name); err != nil {
		return nil, err
	}
	if fn == nil {
		return nil, fmt.Errorf("%w: function %q: the function is nil", ErrInvalidConfig, cfg.Name)
	}
	t := reflect.TypeFor[Args]()
	if t.Kind() != reflect.Struct && (t.Kind() != reflect.Map || t.Key().Kind() != reflect.String) {
		return nil, fmt.Errorf("%w: function %q: the arguments type %v is not a struct or a map with string keys; "+
			"the model passes arguments as an object of named values", ErrInvalidConfig, cfg.Name, t)
	}
	schema := cfg.InputSchema
	if schema == nil {
		var err error
		schema, err = jsonschema.For[Args](&jsonschema.ForOptions{TypeSchemas: cfg.TypeSchemas})
		if err != nil {
			return nil, fmt.Errorf("%w: function %q: deriving the schema of %v: %w", ErrInvalidConfig, cfg.Name, t, err)
		}
	}
	args, err := newArgsSchema(cfg.Name, schema)
	if err != nil {
		return nil, fmt.Errorf("%w: function %q: the schema of %v: %w", ErrInvalidConfig, cfg.Name, t, err)
	}
	return &typed[Args, Result]{cfg: cfg, fn: fn, schema: schema, args: args}, nil
}

// typed is the FunctionTool NewTyped returns.
type typed[Args, Result any] struct {
	cfg    TypedConfig
	fn     TypedFunc[Args, Result]
	schema *jsonschema.Schema
	args   *argsSchema
}

func (f *typed[Args, Result]) Name() string        { return f.cfg.Name }
func (f *typed[Args, Result]) Description() string { return f.cfg.Description }
func (f *typed[Args, Result]) IsLongRunning() bool { return f.cfg.LongRunning }

// Declaration returns a new declaration on every call, with the schema in
// ParametersJsonSchema; the schema value is shared, not copied.
func (f *typed[Args, Result]) Declaration() *genai.FunctionDeclaration {
	return &genai.FunctionDeclaration{
		Name:                 f.cfg.Name,
		Description:          f.cfg.Description,
		ParametersJsonSchema: f.schema,
	}
}

// Run checks args against the schema, decodes them into Args, calls the
// function and encodes its result as the response.
func (f *typed[Args, Result]) Run(ctx Context, args map[string]any) (map[string]any, error) {
	if err := f.args.validate(args); err != nil {
		return nil, err
	}
	var in Args
	if len(args) > 0 {
		b, err := json.Marshal(args)
		if err == nil {
			err = json.Unmarshal(b, &in)
		}
		if err != nil {
			return nil, &argsError{tool: f.cfg.Name, problem: err.Error()}
		}
	}
	out, err := f.fn(ctx, in)
	if err != nil {
		return nil, err
	}
	return responseOf(f.cfg.Name, out)
}

// responseOf returns v as a function response: v itself when it is a
// map[string]any, its JSON form when that is an object, or else
// {"result": v's JSON form}.
func responseOf(name string, v any) (map[string]any, error) {
	if m, ok := v.(map[string]any); ok {
		if m == nil {
			m = map[string]any{}
		}
		return m, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("tool %q: encoding its result (a %T): %w", name, v, err)
	}
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '{' {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("tool %q: decoding its result (a %T): %w", name, v, err)
		}
		return m, nil
	}
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		return nil, fmt.Errorf("tool %q: decoding its result (a %T): %w", name, v, err)
	}
	return map[string]any{"result": x}, nil
}
