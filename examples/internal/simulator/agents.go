package simulator

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/tool"
)

// WeatherToolName is the local function tool the simulator calls when the
// user asks about the weather, provided the agent declared it. The
// simulator passes the city it heard as the "city" argument.
const WeatherToolName = "get_weather"

var (
	// handoffRequest recognises a request to talk to someone else
	// ("talk to the weather agent", "back to the coordinator").
	handoffRequest = regexp.MustCompile(`(?i)\b(talk|speak|transfer|switch|connect|hand|put|take)\b.*\b(to|with|me)\b|\bback to\b`)
	// doneRequest recognises the user saying a step is done.
	doneRequest = regexp.MustCompile(`(?i)\b(done|finished|that's all|that is all|next step)\b`)
	// weatherRequest recognises a question about the weather, and the
	// city in it.
	weatherRequest = regexp.MustCompile(`(?i)\bweather\b(?:.*\bin ([\p{L}][\p{L} ]*[\p{L}]))?`)
)

// transferTargets returns the agents the setup's transfer_to_agent can
// move the conversation to, or nil when it declares none.
func transferTargets(setup *genai.LiveClientSetup) []string {
	for _, t := range setup.Tools {
		if t == nil {
			continue
		}
		for _, d := range t.FunctionDeclarations {
			if d == nil || d.Name != tool.TransferToAgentName || d.Parameters == nil {
				continue
			}
			if p := d.Parameters.Properties["agent_name"]; p != nil {
				return p.Enum
			}
		}
	}
	return nil
}

// transferTarget returns the target the text asks to talk to, or "": a
// target is named by its name, with spaces for underscores, or by its
// first word ("weather" for weather_agent).
func transferTarget(setup *genai.LiveClientSetup, text string) string {
	if !handoffRequest.MatchString(text) {
		return ""
	}
	lower := " " + strings.ToLower(strings.Join(strings.FieldsFunc(text, notWordRune), " ")) + " "
	lower = strings.ReplaceAll(lower, "_", " ")
	for _, name := range transferTargets(setup) {
		spaced := strings.ReplaceAll(strings.ToLower(name), "_", " ")
		first, _, _ := strings.Cut(spaced, " ")
		if strings.Contains(lower, " "+spaced+" ") || strings.Contains(lower, " "+first+" ") {
			return name
		}
	}
	return ""
}

func notWordRune(r rune) bool {
	return !(r == '_' || r == '\'' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r > 127)
}

// handedOver reports whether the turn is the history a new agent is seeded
// with after a transfer or a finished step (it ends with the response of
// transfer_to_agent or task_completed, as a function response or as the
// runtime's account of another agent's turn), and returns what the new
// agent says first.
func handedOver(t *livetest.Turn) (greeting string, ok bool) {
	if len(t.Content) == 0 || t.Content[len(t.Content)-1] == nil {
		return "", false
	}
	last := t.Content[len(t.Content)-1]
	conv := t.Session.Conversation()
	var name, kind string
	for _, p := range last.Parts {
		switch {
		case p == nil:
		case p.FunctionResponse != nil && t.Text == "":
			kind = p.FunctionResponse.Name
			if c := functionCall(conv, p.FunctionResponse.ID); c != nil {
				name, _ = c.Args["agent_name"].(string)
			}
		case strings.Contains(p.Text, "`"+tool.TransferToAgentName+"` tool returned result"):
			kind = tool.TransferToAgentName
		case strings.Contains(p.Text, "`"+tool.TaskCompletedName+"` tool returned result"):
			kind = tool.TaskCompletedName
		case strings.Contains(p.Text, "called tool `"+tool.TransferToAgentName+"`"):
			if m := agentNameArg.FindStringSubmatch(p.Text); m != nil {
				name = m[1]
			}
		}
	}
	switch kind {
	case tool.TransferToAgentName:
		if name == "" {
			name = "another agent"
		}
		greeting = fmt.Sprintf("Hello, this is %s.", name)
	case tool.TaskCompletedName:
		greeting = "The previous step is done; the next one starts here."
	default:
		return "", false
	}
	if role := firstSentence(t.Setup); role != "" {
		greeting += " " + role
	}
	said := ""
	for _, p := range last.Parts {
		if p != nil && !p.Thought && strings.TrimSpace(p.Text) != "" && !isContext(p.Text) {
			said = strings.TrimSpace(p.Text) // the last thing the user wrote
		}
	}
	if said == "" {
		said = earlierUserText(conv)
	}
	if said != "" {
		greeting += fmt.Sprintf(" You said: “%s”.", said)
	}
	return greeting, true
}

// agentNameArg finds the agent_name argument in the runtime's account of
// a transfer_to_agent call.
var agentNameArg = regexp.MustCompile(`"agent_name":"([^"]+)"`)

// functionCall returns the call id in the conversation, or nil.
func functionCall(conv []*genai.Content, id string) *genai.FunctionCall {
	for i := len(conv) - 1; i >= 0; i-- {
		if conv[i] == nil {
			continue
		}
		for _, p := range conv[i].Parts {
			if p != nil && p.FunctionCall != nil && p.FunctionCall.ID == id {
				return p.FunctionCall
			}
		}
	}
	return nil
}

// firstSentence returns the first sentence of the setup's system
// instruction, which says who the agent is, or "".
func firstSentence(setup *genai.LiveClientSetup) string {
	si := setup.SystemInstruction
	if si == nil || len(si.Parts) == 0 || si.Parts[0] == nil {
		return ""
	}
	s := strings.TrimSpace(si.Parts[0].Text)
	if i := strings.IndexAny(s, ".!?\n"); i >= 0 {
		s = s[:i+1]
	}
	return strings.TrimSpace(s)
}

// agentHint tells the user what the agent's tools let them try.
func agentHint(setup *genai.LiveClientSetup) string {
	var hints []string
	if targets := transferTargets(setup); len(targets) > 0 {
		hints = append(hints, "ask to talk to "+strings.Join(targets, " or ")+" to see a transfer")
	}
	if declares(setup, tool.TaskCompletedName) {
		hints = append(hints, "say “done” to finish this step")
	}
	if declares(setup, WeatherToolName) {
		hints = append(hints, "ask about the weather to see a tool call")
	}
	if declares(setup, TimeToolName) && !slices.ContainsFunc(hints, func(h string) bool { return strings.Contains(h, "tool call") }) {
		hints = append(hints, "ask me what time it is to see a tool call")
	}
	if len(hints) == 0 {
		return ""
	}
	return strings.Join(hints, "; ")
}
