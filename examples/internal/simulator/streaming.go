package simulator

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/tool"
)

// The streaming tools the simulator calls when the user asks for them,
// provided the agent declared them (examples/streamingtool does).
const (
	// PriceMonitorToolName monitors the price of a stock:
	// monitor_stock_price(symbol).
	PriceMonitorToolName = "monitor_stock_price"
	// VideoMonitorToolName watches the user's camera:
	// monitor_video_stream().
	VideoMonitorToolName = "monitor_video_stream"
)

var (
	// priceRequest asks to monitor a price; the first group is the
	// symbol.
	priceRequest = regexp.MustCompile(`(?i)\b(?:monitor|watch|track)\b.*\bprice\b(?:\s+of)?\s+([A-Za-z.]{1,8})\b`)
	// videoRequest asks to watch the camera or the video.
	videoRequest = regexp.MustCompile(`(?i)\b(?:monitor|watch)\b.*\b(?:camera|video)\b`)
	// stopRequest asks to stop monitoring; what follows may say what.
	stopRequest = regexp.MustCompile(`(?i)\bstop\s+(?:monitoring|watching|tracking)\b(.*)`)
	// textResult is a streaming result sent as user text, on backends
	// that refuse responses that continue.
	textResult = regexp.MustCompile(`^Function (\S+) returned: (.*)$`)
)

// respondStreaming answers the turns about streaming tools: a request to
// start or stop a monitor, and a result a monitor sent. It reports false
// when the turn is none of these.
func (r *Responder) respondStreaming(ctx context.Context, t *livetest.Turn, out *output) (livetest.Script, bool) {
	if update, ok := streamUpdate(t); ok {
		out.say(update)
		return out.finish(), true
	}
	var calls []*genai.FunctionCall
	var preamble, after string
	call := func(name string, args map[string]any) {
		calls = append(calls, &genai.FunctionCall{ID: fmt.Sprintf("sim-call-%d", r.calls.Add(1)), Name: name, Args: args})
	}
	switch m := stopRequest.FindStringSubmatch(t.Text); {
	case m != nil && declares(t.Setup, tool.StopStreamingName):
		for _, name := range stopTargets(t.Setup, m[1]) {
			call(tool.StopStreamingName, map[string]any{"function_name": name})
		}
		if len(calls) == 0 {
			return nil, false
		}
	case priceRequest.MatchString(t.Text) && declares(t.Setup, PriceMonitorToolName):
		symbol := strings.ToUpper(priceRequest.FindStringSubmatch(t.Text)[1])
		call(PriceMonitorToolName, map[string]any{"symbol": symbol})
		preamble = "Let me start watching " + symbol + "."
		after = "I am monitoring the price of " + symbol + ". I will tell you when it changes."
	case videoRequest.MatchString(t.Text) && declares(t.Setup, VideoMonitorToolName):
		call(VideoMonitorToolName, map[string]any{})
		preamble = "Let me watch your camera."
		after = "I am watching the video. I will tell you when the scene changes."
	default:
		return nil, false
	}
	if preamble != "" {
		out.say(preamble)
	}
	// A streaming tool is NON_BLOCKING: the model does not wait for it
	// (livetest's ToolCall returns at once). stop_streaming is an
	// ordinary function: it waits for the answers, and says them.
	if err := t.Session.Send(ctx, append(out.take(), livetest.ToolCall(calls...))...); err != nil {
		return nil, true // interrupted, or the session ended
	}
	if after != "" {
		out.say(after)
	} else {
		for _, c := range calls {
			out.say(describeResult(c.Name, functionResponse(t.Session.Conversation(), c.ID)))
		}
	}
	return out.finish(), true
}

// stopTargets returns the streaming tools a stop request names ("the
// price", "the camera"), or every declared one when it names none.
func stopTargets(setup *genai.LiveClientSetup, what string) []string {
	var names []string
	what = strings.ToLower(what)
	price := strings.Contains(what, "price") || strings.Contains(what, "stock")
	video := strings.Contains(what, "camera") || strings.Contains(what, "video")
	all := !price && !video
	if (all || price) && declares(setup, PriceMonitorToolName) {
		names = append(names, PriceMonitorToolName)
	}
	if (all || video) && declares(setup, VideoMonitorToolName) {
		names = append(names, VideoMonitorToolName)
	}
	return names
}

// streamUpdate returns what the model says about a streaming result that
// started this turn: a function response (Gemini API) or user text
// "Function NAME returned: {...}" (where the model refuses responses that
// continue).
func streamUpdate(t *livetest.Turn) (string, bool) {
	for _, fr := range t.ToolResponses {
		if fr != nil && (fr.Name == PriceMonitorToolName || fr.Name == VideoMonitorToolName) {
			return describeUpdate(fr.Name, fr.Response), true
		}
	}
	if m := textResult.FindStringSubmatch(t.Text); m != nil {
		return fmt.Sprintf("Update from %s: %s", m[1], m[2]), true
	}
	return "", false
}

// describeUpdate says one streaming result.
func describeUpdate(name string, response map[string]any) string {
	if msg, ok := response["message"].(string); ok && msg != "" {
		return "Update from " + name + ": " + msg
	}
	return strings.Replace(describeResult(name, &genai.FunctionResponse{Response: response}), "The "+name+" tool says", "Update from "+name, 1)
}
