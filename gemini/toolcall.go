package gemini

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"google.golang.org/genai"
)

// wireToolCall is a toolCall message as it travels. Each call's args are
// kept raw, so a call whose args are not a JSON object (models have sent a
// JSON string holding the object) is reported rather than failing the
// whole message, which would end the connection.
type wireToolCall struct {
	FunctionCalls []*wireFunctionCall `json:"functionCalls"`
}

type wireFunctionCall struct {
	ID           string              `json:"id"`
	Name         string              `json:"name"`
	Args         json.RawMessage     `json:"args"`
	PartialArgs  []*genai.PartialArg `json:"partialArgs"`
	WillContinue *bool               `json:"willContinue"`
}

// maxArgsQuote is how much of non-object args an error quotes.
const maxArgsQuote = 80

// toolCall returns the genai form of w, and for each call whose args are
// not a JSON object (null or absent args are no args), what they were
// instead, by the call's index.
func (w *wireToolCall) toolCall() (*genai.LiveServerToolCall, map[int]string) {
	tc := &genai.LiveServerToolCall{}
	if w.FunctionCalls == nil {
		return tc, nil
	}
	var bad map[int]string
	tc.FunctionCalls = make([]*genai.FunctionCall, len(w.FunctionCalls))
	for i, wc := range w.FunctionCalls {
		if wc == nil {
			continue
		}
		fc := &genai.FunctionCall{ID: wc.ID, Name: wc.Name, PartialArgs: wc.PartialArgs, WillContinue: wc.WillContinue}
		tc.FunctionCalls[i] = fc
		args := bytes.TrimSpace(wc.Args)
		if len(args) == 0 || string(args) == "null" {
			continue
		}
		if args[0] == '{' && json.Unmarshal(args, &fc.Args) == nil {
			continue
		}
		if bad == nil {
			bad = make(map[int]string)
		}
		bad[i] = describeArgs(args)
	}
	return tc, bad
}

// describeArgs says what args that are not a JSON object are, quoting
// their start.
func describeArgs(args []byte) string {
	kind := "not valid JSON"
	switch args[0] {
	case '"':
		kind = "a JSON string"
	case '[':
		kind = "a JSON array"
	case 't', 'f':
		kind = "a JSON boolean"
	case '{':
		kind = "a malformed JSON object"
	default:
		if args[0] == '-' || '0' <= args[0] && args[0] <= '9' {
			kind = "a JSON number"
		}
	}
	quote := string(args)
	if len(quote) > maxArgsQuote {
		cut := maxArgsQuote
		for cut > 0 && !utf8.RuneStart(quote[cut]) {
			cut--
		}
		quote = quote[:cut] + "…"
	}
	return fmt.Sprintf("args is %s, not a JSON object: %s", kind, quote)
}
