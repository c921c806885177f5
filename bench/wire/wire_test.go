package wire

import (
	"encoding/base64"
	"encoding/json"
	"testing"
)

func TestAudioFrameRoundTrip(t *testing.T) {
	f := NewAudioFrame()
	frame := f.Stamp(41, 1234567890123)
	var m struct {
		ServerContent struct {
			ModelTurn struct {
				Parts []struct {
					InlineData struct {
						MIMEType string `json:"mimeType"`
						Data     string `json:"data"`
					} `json:"inlineData"`
				} `json:"parts"`
			} `json:"modelTurn"`
		} `json:"serverContent"`
	}
	if err := json.Unmarshal(frame, &m); err != nil {
		t.Fatalf("frame is not JSON: %v", err)
	}
	chunk, err := base64.StdEncoding.DecodeString(m.ServerContent.ModelTurn.Parts[0].InlineData.Data)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := CheckChunk(chunk, 41)
	if err != nil || sent != 1234567890123 {
		t.Errorf("CheckChunk = %d, %v; want 1234567890123, nil", sent, err)
	}
	if _, err := CheckChunk(chunk, 40); err == nil {
		t.Error("CheckChunk accepted chunk 41 as chunk 40")
	}
	chunk[100] ^= 1
	if _, err := CheckChunk(chunk, 41); err == nil {
		t.Error("CheckChunk accepted a corrupted chunk")
	}
}

func TestScenarioPath(t *testing.T) {
	want := Scenario{ID: "ab12", Mode: Realtime, Sessions: 3, Turns: 2, FramesPerTurn: 50, UpChunks: 7}
	got, err := ParseScenario(want.Path() + "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent")
	if err != nil || got != want {
		t.Errorf("ParseScenario(Path()) = %+v, %v; want %+v", got, err, want)
	}
	for _, bad := range []string{"/", "/bench/x/fly/1/1/1/1", "/bench/x/burst/one/1/1/1", "/bench/x/burst/1/-1/1/1"} {
		if _, err := ParseScenario(bad); err == nil {
			t.Errorf("ParseScenario(%q) succeeded", bad)
		}
	}
}
