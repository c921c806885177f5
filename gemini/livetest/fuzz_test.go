package livetest

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeClientMessage checks that no client frame makes the decoder
// panic, that a decoded message has exactly one field and keeps the
// frame, and that every error makes a valid close reason.
func FuzzDecodeClientMessage(f *testing.F) {
	files, _ := filepath.Glob("testdata/recordings/*.websocket.log")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		frames, err := ParseRecording(bytes.NewReader(data))
		if err != nil {
			f.Fatal(err)
		}
		for _, fr := range frames {
			if fr.FromClient && len(fr.Data) < 4096 {
				f.Add(fr.Data)
			}
		}
	}
	for _, s := range []string{
		`{"client_content":{"turns":[{"role":"user","parts":[{"text":"hi","inline_data":{"mime_type":"image/png","data":"-_8"}}]}],"turn_complete":true}}`,
		`{"realtime_input":{"audio":{"data":"AAAA","mime_type":"audio/pcm;rate=16000"},"audio_stream_end":true}}`,
		`{"setup":{"model":"models/x","context_window_compression":{"trigger_tokens":25600,"sliding_window":{"target_tokens":"1"}}}}`,
		`{"tool_response":{"function_responses":[{"id":"1","response":{"a_b":[1,{"c_d":null}]}}]}}`,
		`{"setup":{"tools":[{"function_declarations":[{"parameters":{"properties":{"x_y":{"type":"STRING"}}}}]}]}}`,
		`{"realtimeInput":{"activityStart":{},"activityEnd":{}}}`,
		`{"contextUpdate":{"systemInstruction":{"parts":[{"text":"x"}]}}}`,
		`{"realtimeInput":{"audio":{"data":"AAAA","mimeType":"audio/pcm;rate=16000"}}}`,
		`{"realtimeInput":{"audio":{"data":"AA\nAA","mimeType":"audio/pcm"}}}`,
		`{"setup":null}`, `{}`, `[]`, `null`, `{"a":1}`, `{"setup":{},"setup":{}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		msg, err := decodeClientMessage(data)
		if !bytes.Equal(msg.Raw, data) {
			t.Errorf("Raw = %q, want the frame", msg.Raw)
		}
		if err != nil {
			reason := truncateReason(err.Error())
			if !strings.HasPrefix(reason, invalidJSON) || len(reason) > 123 || !utf8.ValidString(reason) {
				t.Errorf("bad close reason %q", reason)
			}
			return
		}
		// The fast paths agree with the general decoder.
		general, gerr := decodeGeneral(data)
		if gerr != nil {
			t.Fatalf("fast path accepted what the general decoder rejects (%v)", gerr)
		}
		if !reflect.DeepEqual(general, msg) {
			t.Errorf("fast path decoded\n%+v\ngeneral decoder\n%+v", msg, general)
		}
		set := 0
		for _, ok := range []bool{msg.Setup != nil, msg.ClientContent != nil, msg.RealtimeInput != nil, msg.ToolResponse != nil, msg.ContextUpdate != nil} {
			if ok {
				set++
			}
		}
		if set != 1 {
			t.Errorf("%d fields set in %+v", set, msg)
		}
	})
}

// FuzzParseRecording checks that no input makes ParseRecording panic and
// that the frames it returns are JSON objects.
func FuzzParseRecording(f *testing.F) {
	f.Add([]byte(">20 {\"setup\":{\"model\":1}}\n<27 {\n  \"setupComplete\": {}\n}\n\n"))
	f.Add([]byte("<5 {}\n>x {}"))
	f.Add([]byte(">3 [1]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		frames, err := ParseRecording(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, fr := range frames {
			if len(fr.Data) == 0 || fr.Data[0] != '{' {
				t.Errorf("frame %q is not an object", fr.Data)
			}
		}
	})
}
