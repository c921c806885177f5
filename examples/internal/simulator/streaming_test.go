package simulator

import (
	"slices"
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/tool"
)

func TestStreamingRequests(t *testing.T) {
	if m := priceRequest.FindStringSubmatch("Please monitor the price of goog"); m == nil || m[1] != "goog" {
		t.Errorf("price request = %q", m)
	}
	if priceRequest.MatchString("stop monitoring the price") || !videoRequest.MatchString("watch my camera") {
		t.Error("requests misread")
	}
	setup := withDecls(textSetup(), &genai.FunctionDeclaration{Name: PriceMonitorToolName},
		&genai.FunctionDeclaration{Name: VideoMonitorToolName}, tool.StopStreamingDeclaration(nil))
	for what, want := range map[string][]string{
		"":              {PriceMonitorToolName, VideoMonitorToolName},
		" the price":    {PriceMonitorToolName},
		" the camera":   {VideoMonitorToolName},
		" GOOG's stock": {PriceMonitorToolName},
	} {
		if got := stopTargets(setup, what); !slices.Equal(got, want) {
			t.Errorf("stopTargets(%q) = %v, want %v", what, got, want)
		}
	}
}

func TestStreamUpdates(t *testing.T) {
	fromResponse := &livetest.Turn{ToolResponses: []*genai.FunctionResponse{{Name: PriceMonitorToolName,
		Response: map[string]any{"message": "GOOG is at 101.00 (+1.00%)", "price": 101.0}}}}
	if got, ok := streamUpdate(fromResponse); !ok || got != "Update from monitor_stock_price: GOOG is at 101.00 (+1.00%)" {
		t.Errorf("update from a response = %q, %v", got, ok)
	}
	fromText := &livetest.Turn{Text: `Function monitor_video_stream returned: {"brightness":0.2}`}
	if got, ok := streamUpdate(fromText); !ok || got != `Update from monitor_video_stream: {"brightness":0.2}` {
		t.Errorf("update from text = %q, %v", got, ok)
	}
	if _, ok := streamUpdate(&livetest.Turn{Text: "hello"}); ok {
		t.Error("a plain turn is an update")
	}
}
