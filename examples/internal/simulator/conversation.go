package simulator

import (
	"fmt"
	"slices"
	"strings"

	"google.golang.org/genai"
)

// declares reports whether setup declares the function name.
func declares(setup *genai.LiveClientSetup, name string) bool {
	for _, t := range setup.Tools {
		if t == nil {
			continue
		}
		for _, d := range t.FunctionDeclarations {
			if d != nil && d.Name == name {
				return true
			}
		}
	}
	return false
}

// functionResponse returns the response to the call id in the
// conversation, or nil.
func functionResponse(conv []*genai.Content, id string) *genai.FunctionResponse {
	for i := len(conv) - 1; i >= 0; i-- {
		if conv[i] == nil {
			continue
		}
		for _, p := range conv[i].Parts {
			if p != nil && p.FunctionResponse != nil && p.FunctionResponse.ID == id {
				return p.FunctionResponse
			}
		}
	}
	return nil
}

// describeResult says what a tool answered: its error, or its response's
// fields in name order.
func describeResult(name string, r *genai.FunctionResponse) string {
	if r == nil || len(r.Response) == 0 {
		return fmt.Sprintf("The %s tool gave no answer.", name)
	}
	if e, ok := r.Response["error"]; ok {
		return fmt.Sprintf("The %s tool failed: %v.", name, e)
	}
	fields := r.Response
	if out, ok := fields["output"].(map[string]any); ok && len(fields) == 1 {
		fields = out
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %v", strings.ReplaceAll(k, "_", " "), fields[k])
	}
	return fmt.Sprintf("The %s tool says: %s.", name, strings.Join(parts, ", "))
}

// earlierUserText returns the text of the last thing the user said before
// the current turn, whose input is the run of user contents at the end of
// the conversation; "" if there is none. Function responses, which the
// conversation also holds as user content, are skipped.
func earlierUserText(conv []*genai.Content) string {
	i := len(conv) - 1
	for i >= 0 && isUser(conv[i]) {
		i--
	}
	for ; i >= 0; i-- {
		if !isUser(conv[i]) {
			continue
		}
		if s := strings.TrimSpace(textOf(conv[i])); s != "" {
			return s
		}
	}
	return ""
}

func isUser(c *genai.Content) bool {
	return c != nil && (c.Role == "" || c.Role == genai.RoleUser)
}

// textOf returns what the user wrote in c: its text, without thoughts and
// without what the runtime tells about other agents ("For context:",
// "[agent] said: …").
func textOf(c *genai.Content) string {
	var texts []string
	for _, p := range c.Parts {
		if p != nil && !p.Thought && !isContext(p.Text) {
			if s := strings.TrimSpace(p.Text); s != "" {
				texts = append(texts, s)
			}
		}
	}
	return strings.Join(texts, " ")
}

// isContext reports whether text is the runtime's account of another
// agent's turn in a multi-agent history.
func isContext(text string) bool {
	return text == "For context:" || strings.HasPrefix(text, "[") && strings.Contains(text, "] ")
}
