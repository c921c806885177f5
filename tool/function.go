package tool

import (
	"errors"
	"fmt"

	"google.golang.org/genai"

	"github.com/adklive/adklive/internal/nilcheck"
)

// ErrInvalidConfig is matched (with errors.Is) by every error NewFunction
// returns; the error's text names the field at fault.
var ErrInvalidConfig = errors.New("tool: invalid config")

// MaxNameLength is the longest tool name a model accepts.
const MaxNameLength = 64

// FunctionConfig describes a function tool to NewFunction.
type FunctionConfig struct {
	// Name is the name the model calls the function by: 1 to 64 of the
	// characters a-z, A-Z, 0-9, underscore, dot and dash.
	Name string
	// Description tells the model what the function does and when to
	// call it.
	Description string
	// Parameters is the schema of the arguments, in the genai (OpenAPI
	// subset) form. Nil means the function takes no arguments. Mutually
	// exclusive with ParametersJSONSchema.
	Parameters *genai.Schema
	// ParametersJSONSchema is the schema of the arguments as a JSON
	// Schema value (anything that marshals to a JSON Schema object).
	// Mutually exclusive with Parameters.
	ParametersJSONSchema any
	// LongRunning marks a function that starts work finishing after its
	// response (for example an approval that a person gives later).
	LongRunning bool
}

// Func is the code of a function tool: it receives the call's arguments
// and returns the response sent to the model.
type Func func(ctx Context, args map[string]any) (map[string]any, error)

// NewFunction returns a function tool that runs fn. Each call's arguments
// are checked first against Parameters or ParametersJSONSchema: a value
// of the wrong type, a missing required property or (where the schema
// forbids them) an unknown one fails the call with an error matching
// ErrInvalidArgs that names the field, and fn is not called.
//
// NewFunction fails with an error matching ErrInvalidConfig when the name
// is empty, too long or has a character the model does not accept, when
// both Parameters and ParametersJSONSchema are set, when
// ParametersJSONSchema holds a nil pointer or map or is not a JSON
// Schema, or when fn is nil.
func NewFunction(cfg FunctionConfig, fn Func) (FunctionTool, error) {
	if err := ValidateName(cfg.Name); err != nil {
		return nil, err
	}
	if nilcheck.TypedNil(cfg.ParametersJSONSchema) {
		return nil, fmt.Errorf("%w: function %q: ParametersJSONSchema is a nil %T; leave it unset for a function without arguments",
			ErrInvalidConfig, cfg.Name, cfg.ParametersJSONSchema)
	}
	if cfg.Parameters != nil && cfg.ParametersJSONSchema != nil {
		return nil, fmt.Errorf("%w: function %q: set Parameters or ParametersJSONSchema, not both", ErrInvalidConfig, cfg.Name)
	}
	if fn == nil {
		return nil, fmt.Errorf("%w: function %q: the function is nil", ErrInvalidConfig, cfg.Name)
	}
	args, err := functionArgsSchema(cfg)
	if err != nil {
		return nil, err
	}
	return &function{cfg: cfg, fn: fn, args: args}, nil
}

// functionArgsSchema returns the checker of the arguments cfg declares, or
// nil when it declares none.
func functionArgsSchema(cfg FunctionConfig) (*argsSchema, error) {
	switch {
	case cfg.Parameters != nil:
		a, err := newArgsSchema(cfg.Name, genaiToJSONSchema(cfg.Parameters))
		if err != nil {
			return nil, fmt.Errorf("%w: function %q: Parameters: %w", ErrInvalidConfig, cfg.Name, err)
		}
		return a, nil
	case cfg.ParametersJSONSchema != nil:
		s, err := jsonSchemaOf(cfg.ParametersJSONSchema)
		if err == nil {
			var a *argsSchema
			if a, err = newArgsSchema(cfg.Name, s); err == nil {
				return a, nil
			}
		}
		return nil, fmt.Errorf("%w: function %q: ParametersJSONSchema is not a JSON Schema arguments can be checked against: %w",
			ErrInvalidConfig, cfg.Name, err)
	}
	return nil, nil
}

// ValidateName reports why name cannot be a tool name, or nil if it can:
// it must have 1 to MaxNameLength characters, each one of a-z, A-Z, 0-9,
// underscore, dot and dash. The error matches ErrInvalidConfig.
func ValidateName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: Name is empty", ErrInvalidConfig)
	case len(name) > MaxNameLength:
		return fmt.Errorf("%w: Name %q has %d characters, more than %d", ErrInvalidConfig, name, len(name), MaxNameLength)
	}
	for i := 0; i < len(name); i++ {
		if !nameChar(name[i]) {
			return fmt.Errorf("%w: Name %q has the character %q at byte %d; use only a-z, A-Z, 0-9, '_', '.' and '-'",
				ErrInvalidConfig, name, rune(name[i]), i)
		}
	}
	return nil
}

func nameChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-'
}

// function is the FunctionTool NewFunction returns.
type function struct {
	cfg  FunctionConfig
	fn   Func
	args *argsSchema // nil: no schema to check against
}

func (f *function) Name() string        { return f.cfg.Name }
func (f *function) Description() string { return f.cfg.Description }
func (f *function) IsLongRunning() bool { return f.cfg.LongRunning }

// Declaration returns a new declaration on every call; the schema values
// are shared with the config, not copied.
func (f *function) Declaration() *genai.FunctionDeclaration {
	return &genai.FunctionDeclaration{
		Name:                 f.cfg.Name,
		Description:          f.cfg.Description,
		Parameters:           f.cfg.Parameters,
		ParametersJsonSchema: f.cfg.ParametersJSONSchema,
	}
}

// Run checks args against the declared schema, then calls the function.
func (f *function) Run(ctx Context, args map[string]any) (map[string]any, error) {
	if err := f.args.validate(args); err != nil {
		return nil, err
	}
	return f.fn(ctx, args)
}
