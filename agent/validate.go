package agent

import (
	"errors"
	"fmt"
	"unicode"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/internal/nilcheck"
)

// ErrInvalidConfig is matched (with errors.Is) by every error [New] returns.
// The error's message names the field that was wrong.
var ErrInvalidConfig = errors.New("agent: invalid config")

// invalid returns an error matching ErrInvalidConfig that names field and
// says what is wrong with it.
func invalid(field, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidConfig, field, fmt.Sprintf(format, args...))
}

// validate reports the first thing wrong with cfg.
func validate(cfg Config) error {
	if err := ValidateName(cfg.Name); err != nil {
		return fmt.Errorf("%w: Name: %w", ErrInvalidConfig, err)
	}
	if cfg.Model == nil {
		return invalid("Model", "is required (for example a *gemini.Model)")
	}
	if nilcheck.TypedNil(cfg.Model) {
		return invalid("Model", "is a nil %T (was the error of the model's constructor checked?)", cfg.Model)
	}
	if err := validateTools(cfg); err != nil {
		return err
	}
	return validateTree(cfg.Name, cfg.SubAgents)
}

// ValidateName reports whether name can name an agent: an identifier (a
// letter or underscore, then letters, digits and underscores) other than
// "user", which is the author of the user's own events. Custom [Agent]
// implementations can use it to check their names like [New] does.
func ValidateName(name string) error {
	switch {
	case name == "":
		return errors.New("agent name is required")
	case name == event.AuthorUser:
		return fmt.Errorf("agent name %q is reserved for the user's own events", name)
	case !isIdentifier(name):
		return fmt.Errorf("agent name %q is not an identifier (a letter or underscore, then letters, digits and underscores)", name)
	}
	return nil
}

// isIdentifier reports whether s is a letter or underscore followed by
// letters, digits and underscores, like a Python identifier (ADK's rule).
func isIdentifier(s string) bool {
	for i, r := range s {
		switch {
		case r == '_' || unicode.IsLetter(r):
		case i > 0 && unicode.IsDigit(r):
		default:
			return false
		}
	}
	return s != ""
}

// validateTools checks that every tool is set and named, and that no two
// tools share a name.
func validateTools(cfg Config) error {
	seen := make(map[string]int, len(cfg.Tools))
	for i, t := range cfg.Tools {
		field := fmt.Sprintf("Tools[%d]", i)
		if t == nil {
			return invalid(field, "is nil")
		}
		if nilcheck.TypedNil(t) {
			return invalid(field, "is a nil %T (was the error of the tool's constructor checked?)", t)
		}
		name := t.Name()
		if name == "" {
			return invalid(field, "has no name")
		}
		if j, dup := seen[name]; dup {
			return invalid(field, "tool name %q is already used by Tools[%d]", name, j)
		}
		seen[name] = i
	}
	return nil
}

// validateTree checks the sub-agent tree below an agent called root: every
// sub-agent is set, and every name in the tree, root's included, is distinct
// (transfers find agents by name). A cycle shows up as a repeated name, so
// the walk always ends.
func validateTree(root string, subAgents []Agent) error {
	where := map[string]string{root: "Name"}
	var walk func(path string, agents []Agent) error
	walk = func(path string, agents []Agent) error {
		for i, sub := range agents {
			field := fmt.Sprintf("%s[%d]", path, i)
			if sub == nil {
				return invalid(field, "is nil")
			}
			if nilcheck.TypedNil(sub) {
				return invalid(field, "is a nil %T (was the error of agent.New checked?)", sub)
			}
			name := sub.Name()
			if err := ValidateName(name); err != nil {
				return fmt.Errorf("%w: %s: %w", ErrInvalidConfig, field, err)
			}
			if prev, dup := where[name]; dup {
				return invalid(field, "agent name %q is already used by %s; names must be unique in the agent tree", name, prev)
			}
			where[name] = field
			if err := walk(field+".SubAgents", sub.SubAgents()); err != nil {
				return err
			}
		}
		return nil
	}
	return walk("SubAgents", subAgents)
}
