package gemini

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
)

// recordingsDir holds real exchanges recorded by the js-genai test suite
// (docs/PROTOCOL.md §7). They are the copy livetest keeps in its testdata, with
// their attribution, so the tests run in a clone of this repository alone.
const recordingsDir = "livetest/testdata/recordings"

// recordedMessage is one block of a recording.
type recordedMessage struct {
	FromServer bool
	JSON       []byte
}

// parseRecording reads the docs/PROTOCOL.md §7 format: blocks of ">N json"
// (client to server) or "<N json" (server to client), where N is the byte
// length of the JSON, separated by blank lines.
func parseRecording(data []byte) ([]recordedMessage, error) {
	var out []recordedMessage
	for i := 0; ; {
		for i < len(data) && (data[i] == '\n' || data[i] == '\r' || data[i] == ' ') {
			i++
		}
		if i == len(data) {
			return out, nil
		}
		dir := data[i]
		if dir != '<' && dir != '>' {
			return nil, fmt.Errorf("offset %d: block starts with %q, want < or >", i, dir)
		}
		sp := bytes.IndexByte(data[i:], ' ')
		if sp < 0 {
			return nil, fmt.Errorf("offset %d: no length", i)
		}
		n, err := strconv.Atoi(string(data[i+1 : i+sp]))
		if err != nil {
			return nil, fmt.Errorf("offset %d: length: %v", i, err)
		}
		start := i + sp + 1
		if start+n > len(data) {
			return nil, fmt.Errorf("offset %d: length %d runs past the end", i, n)
		}
		out = append(out, recordedMessage{FromServer: dir == '<', JSON: data[start : start+n]})
		i = start + n
	}
}

func loadRecordings(t testing.TB) map[string][]recordedMessage {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(recordingsDir, "*.websocket.log"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recordings in %s (err %v)", recordingsDir, err)
	}
	recs := make(map[string][]recordedMessage, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := parseRecording(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		recs[filepath.Base(f)] = msgs
	}
	return recs
}

// TestRecordedServerFramesDecode decodes every server frame of every
// recording, re-encodes the response to wire JSON and checks nothing the
// frame carried was lost (modulo the documented renames).
func TestRecordedServerFramesDecode(t *testing.T) {
	frames := 0
	for name, msgs := range loadRecordings(t) {
		for i, m := range msgs {
			if !m.FromServer {
				continue
			}
			frames++
			resp, err := decodeServerMessage(m.JSON)
			if err != nil {
				t.Errorf("%s message %d: %v", name, i, err)
				continue
			}
			back, err := encodeServerFrame(resp)
			if err != nil {
				t.Fatalf("%s message %d: re-encoding: %v", name, i, err)
			}
			if diff := cmp.Diff(canonicalServerJSON(t, m.JSON), canonicalServerJSON(t, back)); diff != "" {
				t.Errorf("%s message %d: re-encoded frame differs from the recording (-recorded +ours):\n%s", name, i, diff)
			}
		}
	}
	if frames < 30 {
		t.Errorf("decoded only %d server frames; the recordings hold more", frames)
	}
}

// encodeServerFrame is the server side of the codec, for tests: it encodes
// a response as the server spells it (durations as strings, int64 as
// strings, voiceActivity's type under "type").
func encodeServerFrame(r *live.Response) ([]byte, error) {
	m := map[string]any{}
	if r.SetupComplete != nil {
		m["setupComplete"] = r.SetupComplete
	}
	if r.ServerContent != nil {
		m["serverContent"] = r.ServerContent
	}
	if r.ToolCall != nil {
		m["toolCall"] = r.ToolCall
	}
	if r.ToolCallCancellation != nil {
		m["toolCallCancellation"] = r.ToolCallCancellation
	}
	if r.UsageMetadata != nil {
		m["usageMetadata"] = r.UsageMetadata
	}
	if r.GoAway != nil {
		m["goAway"] = map[string]any{"timeLeft": wireDuration(r.GoAway.TimeLeft)}
	}
	if r.SessionResumptionUpdate != nil {
		m["sessionResumptionUpdate"] = r.SessionResumptionUpdate
	}
	if r.VoiceActivity != nil {
		va := map[string]any{"type": r.VoiceActivity.VoiceActivityType}
		if r.VoiceActivity.AudioOffset != 0 {
			va["audioOffset"] = wireDuration(r.VoiceActivity.AudioOffset)
		}
		m["voiceActivity"] = va
	}
	if r.VoiceActivityDetectionSignal != nil {
		m["voiceActivityDetectionSignal"] = r.VoiceActivityDetectionSignal
	}
	return json.Marshal(m)
}

// wireDuration formats d as a protobuf JSON Duration ("6.68s").
func wireDuration(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}

// canonicalServerJSON unmarshals a server frame to a generic value with the
// documented renames applied, so two spellings of one message compare
// equal: Vertex AI's candidatesTokenCount/candidatesTokensDetails become
// responseTokenCount/responseTokensDetails, numbers that travel as int64
// strings become numbers, and durations become nanosecond counts.
func canonicalServerJSON(t testing.TB, data []byte) any {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("invalid JSON %q: %v", data, err)
	}
	return canonicalize(v, "")
}

func canonicalize(v any, key string) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			switch k {
			case "candidatesTokenCount":
				k = "responseTokenCount"
			case "candidatesTokensDetails":
				k = "responseTokensDetails"
			}
			out[k] = canonicalize(e, k)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = canonicalize(e, key)
		}
		return out
	case string:
		switch key {
		case "lastConsumedClientMessageIndex", "triggerTokens", "targetTokens":
			return json.Number(v)
		case "timeLeft", "audioOffset":
			d, err := time.ParseDuration(v)
			if err == nil {
				return int64(d)
			}
		}
		return v
	case json.Number:
		if f, err := v.Float64(); err == nil {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
		return v
	}
	return v
}

// TestRecordingsParse guards the recording parser itself: client and
// server messages alternate as recorded, and every block is valid JSON.
func TestRecordingsParse(t *testing.T) {
	for name, msgs := range loadRecordings(t) {
		if len(msgs) == 0 || msgs[0].FromServer || !strings.HasPrefix(string(msgs[0].JSON), `{"setup":`) {
			t.Errorf("%s: first message is not the client's setup", name)
		}
		for i, m := range msgs {
			if !json.Valid(m.JSON) {
				t.Errorf("%s message %d: invalid JSON", name, i)
			}
		}
	}
}

// TestRecordedClientFramesReencode decodes every client frame js-genai
// sent in the recordings into the genai types this package encodes from,
// encodes it with our encoder, and checks the result is JSON-equal to what
// js-genai sent.
func TestRecordedClientFramesReencode(t *testing.T) {
	for name, msgs := range loadRecordings(t) {
		backend := genai.BackendGeminiAPI
		if strings.Contains(name, "_Vertex_") {
			backend = genai.BackendVertexAI
		}
		for i, m := range msgs {
			if m.FromServer {
				continue
			}
			var msg struct {
				Setup         *genai.LiveClientSetup        `json:"setup"`
				ClientContent *genai.LiveClientContent      `json:"clientContent"`
				ToolResponse  *genai.LiveClientToolResponse `json:"toolResponse"`
				RealtimeInput *struct {
					genai.LiveSendRealtimeInputParameters
					MediaChunks []*genai.Blob `json:"mediaChunks"`
				} `json:"realtimeInput"`
			}
			if err := json.Unmarshal(m.JSON, &msg); err != nil {
				t.Fatalf("%s message %d: %v", name, i, err)
			}
			var ours []byte
			var err error
			switch {
			case msg.Setup != nil:
				ours, err = encodeSetup(backend, msg.Setup.Model, familyOf(msg.Setup.Model), msg.Setup, false)
			case msg.ClientContent != nil:
				ours, err = appendClientContent(nil, backend, msg.ClientContent)
			case msg.ToolResponse != nil:
				ours, err = appendToolResponse(nil, backend, msg.ToolResponse)
			case msg.RealtimeInput != nil:
				ri := msg.RealtimeInput
				in := &live.RealtimeInput{Audio: ri.Audio, Video: ri.Video, Text: ri.Text,
					ActivityStart: ri.ActivityStart != nil, ActivityEnd: ri.ActivityEnd != nil, AudioStreamEnd: ri.AudioStreamEnd}
				if len(ri.MediaChunks) == 1 {
					in.Audio = ri.MediaChunks[0]
				}
				ours, err = appendRealtimeInput(nil, in, ri.MediaChunks != nil)
			default:
				t.Fatalf("%s message %d: unknown client message %.80s", name, i, m.JSON)
			}
			if err != nil {
				t.Errorf("%s message %d: %v", name, i, err)
				continue
			}
			if diff := cmp.Diff(canonicalServerJSON(t, m.JSON), canonicalServerJSON(t, ours)); diff != "" {
				t.Errorf("%s message %d: our encoding differs from js-genai's (-js-genai +ours):\n%s", name, i, diff)
			}
		}
	}
}
