package tool

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
	"google.golang.org/genai"
)

// ErrInvalidArgs is matched (with errors.Is) by the error a function tool
// returns when the model's arguments do not match the tool's schema: a
// value of the wrong type, a missing required field, an unknown field.
// The error's text names the field; the model reads it in the call's
// {"error": ...} response and can call again.
var ErrInvalidArgs = errors.New("tool: invalid arguments")

// argsError is an error matching ErrInvalidArgs.
type argsError struct {
	tool, problem string
}

func (e *argsError) Error() string {
	return fmt.Sprintf("invalid arguments for tool %q: %s", e.tool, e.problem)
}

func (e *argsError) Is(target error) bool { return target == ErrInvalidArgs }

// argsSchema checks a tool's arguments against its schema.
type argsSchema struct {
	tool     string
	resolved *jsonschema.Resolved
}

// validate returns an error matching ErrInvalidArgs that names the field
// at fault when args do not match the schema. A nil checker accepts
// everything.
func (s *argsSchema) validate(args map[string]any) error {
	if s == nil {
		return nil
	}
	if args == nil {
		args = map[string]any{}
	}
	if err := s.resolved.Validate(args); err != nil {
		return &argsError{tool: s.tool, problem: describeValidation(err, args)}
	}
	return nil
}

// newArgsSchema resolves schema for checking the arguments of tool name.
func newArgsSchema(name string, schema *jsonschema.Schema) (*argsSchema, error) {
	rs, err := schema.Resolve(nil)
	if err != nil {
		return nil, err
	}
	return &argsSchema{tool: name, resolved: rs}, nil
}

// jsonSchemaOf returns v, a JSON Schema value of any Go type that
// marshals to one, as a *jsonschema.Schema.
func jsonSchemaOf(v any) (*jsonschema.Schema, error) {
	if s, ok := v.(*jsonschema.Schema); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	s := new(jsonschema.Schema)
	if err := json.Unmarshal(b, s); err != nil {
		return nil, err
	}
	return s, nil
}

// genaiToJSONSchema converts the genai (OpenAPI subset) schema the model
// reads into the JSON Schema that checks arguments: types, nullability,
// properties, required fields, string enums, items, anyOf and bounds.
// Descriptions, formats and examples, which check nothing, are left out.
func genaiToJSONSchema(g *genai.Schema) *jsonschema.Schema {
	if g == nil {
		return nil
	}
	s := &jsonschema.Schema{
		Required:  g.Required,
		Pattern:   g.Pattern,
		Minimum:   g.Minimum,
		Maximum:   g.Maximum,
		MinLength: intPtr(g.MinLength),
		MaxLength: intPtr(g.MaxLength),
		MinItems:  intPtr(g.MinItems),
		MaxItems:  intPtr(g.MaxItems),
		Items:     genaiToJSONSchema(g.Items),
	}
	if g.MinProperties != nil {
		s.MinProperties = intPtr(g.MinProperties)
	}
	if g.MaxProperties != nil {
		s.MaxProperties = intPtr(g.MaxProperties)
	}
	if t := strings.ToLower(string(g.Type)); t != "" && t != "type_unspecified" {
		if g.Nullable != nil && *g.Nullable {
			s.Types = []string{t, "null"}
		} else {
			s.Type = t
		}
	}
	if len(g.Enum) > 0 && (g.Type == genai.TypeString || g.Type == "") {
		for _, e := range g.Enum {
			s.Enum = append(s.Enum, e)
		}
	}
	if len(g.Properties) > 0 {
		s.Properties = make(map[string]*jsonschema.Schema, len(g.Properties))
		for k, p := range g.Properties {
			s.Properties[k] = genaiToJSONSchema(p)
		}
	}
	for _, a := range g.AnyOf {
		s.AnyOf = append(s.AnyOf, genaiToJSONSchema(a))
	}
	return s
}

func intPtr(p *int64) *int {
	if p == nil {
		return nil
	}
	n := int(*p)
	return &n
}

// validatingAt matches the "validating /json/pointer: " prefixes of
// jsonschema's errors.
var validatingAt = regexp.MustCompile(`validating (root|/[^:]*): `)

// enumMismatch matches the end of jsonschema's error for a value that is
// not in its enum.
var enumMismatch = regexp.MustCompile(`^enum: .* does not equal any of: (\[.*\])$`)

// describeValidation turns a jsonschema validation error about args into
// a sentence that names the field: `field "days": 1.5 has type "number",
// want "integer"`, `field "unit": "kelvin" is not one of [celsius
// fahrenheit]`, or `missing properties: ["city"]` for the top level.
func describeValidation(err error, args map[string]any) string {
	msg := err.Error()
	matches := validatingAt.FindAllStringSubmatchIndex(msg, -1)
	if len(matches) == 0 {
		return msg
	}
	last := matches[len(matches)-1]
	pointer := msg[last[2]:last[3]]
	problem := msg[last[1]:]
	problem = strings.TrimPrefix(strings.TrimPrefix(problem, "type: "), "required: ")
	if pointer == "root" {
		return problem
	}
	field := fieldPath(pointer)
	if m := enumMismatch.FindStringSubmatch(problem); m != nil {
		// jsonschema prints the value bare: quote it as JSON, so that
		// "nobody" reads as the string it is.
		if v, ok := valueAt(args, field); ok {
			if b, err := json.Marshal(v); err == nil {
				problem = fmt.Sprintf("%s is not one of %s", b, m[1])
			}
		}
	}
	return fmt.Sprintf("field %q: %s", field, problem)
}

// valueAt returns the value at a dotted field path (see fieldPath) of
// args; paths through arrays are not followed.
func valueAt(args map[string]any, field string) (any, bool) {
	if strings.Contains(field, "[]") {
		return nil, false
	}
	var v any = args
	for _, name := range strings.Split(field, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[name]; !ok {
			return nil, false
		}
	}
	return v, true
}

// fieldPath turns a schema pointer such as /properties/trip/properties/days
// or /properties/tags/items into trip.days or tags[].
func fieldPath(pointer string) string {
	var b strings.Builder
	parts := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	for i := 0; i < len(parts); i++ {
		switch parts[i] {
		case "properties":
			if i+1 < len(parts) {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(parts[i+1])
				i++
			}
		case "items", "additionalProperties":
			b.WriteString("[]")
		}
	}
	if b.Len() == 0 {
		return pointer
	}
	return b.String()
}
