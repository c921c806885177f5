package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/livequeue"
)

func TestParseClientFrame(t *testing.T) {
	jpeg := []byte{0xff, 0xd8, 0xff, 0xd9}
	tests := []struct {
		name string
		typ  websocket.MessageType
		data string
		want livequeue.Request
	}{
		{"audio", websocket.MessageBinary, "\x01\x00\xff\xff",
			livequeue.Request{Blob: &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: []byte{1, 0, 0xff, 0xff}}}},
		{"text", websocket.MessageText, `{"type":"text","text":"héllo"}`,
			livequeue.Request{Content: genai.NewContentFromText("héllo", genai.RoleUser)}},
		{"unknown fields ignored", websocket.MessageText, `{"type":"text","text":"hi","id":7,"extra":{}}`,
			livequeue.Request{Content: genai.NewContentFromText("hi", genai.RoleUser)}},
		{"image", websocket.MessageText, `{"type":"image","data":"/9j/2Q==","mimeType":"image/jpeg"}`,
			livequeue.Request{Blob: &genai.Blob{MIMEType: "image/jpeg", Data: jpeg}}},
		{"image without mimeType is JPEG", websocket.MessageText, `{"type":"image","data":"/9j/2Q=="}`,
			livequeue.Request{Blob: &genai.Blob{MIMEType: "image/jpeg", Data: jpeg}}},
		{"image URL-safe unpadded", websocket.MessageText, `{"type":"image","data":"_9j_2Q","mimeType":"image/png"}`,
			livequeue.Request{Blob: &genai.Blob{MIMEType: "image/png", Data: jpeg}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseClientFrame(tt.typ, []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

func TestErrorFrameShape(t *testing.T) {
	got := string(errorFrame(codeInvalidArgument, `bad "x"`))
	want := `{"errorCode":"INVALID_ARGUMENT","errorMessage":"bad \"x\""}`
	if got != want {
		t.Errorf("errorFrame = %s, want %s", got, want)
	}
}

func FuzzParseClientFrame(f *testing.F) {
	for _, s := range []string{
		`{"type":"text","text":"hello"}`,
		`{"type":"image","data":"/9j/2Q==","mimeType":"image/jpeg"}`,
		`{"type":"image","data":"_9j_2Q"}`,
		`{"type":"image","data":"data:image/jpeg;base64,AA"}`,
		`{"type":"text","text":5}`,
		`{"type":"video"}`,
		`{"type":`,
		`[]`,
		`null`,
		`{"type":"text","text":"\ud800"}`,
	} {
		f.Add([]byte(s), false)
	}
	f.Add([]byte{1, 2, 3, 4}, true)
	f.Add([]byte{1, 2, 3}, true)
	f.Add([]byte{}, true)
	f.Fuzz(func(t *testing.T, data []byte, binary bool) {
		typ := websocket.MessageText
		if binary {
			typ = websocket.MessageBinary
		}
		req, err := parseClientFrame(typ, data)
		if err != nil {
			var fe *frameError
			if !errors.As(err, &fe) || fe.problem == "" {
				t.Fatalf("error %v (%T) is not a *frameError with a message", err, err)
			}
			// The error frame for it is valid JSON.
			if !json.Valid(errorFrame(codeInvalidArgument, err.Error())) {
				t.Fatalf("error frame for %q is not valid JSON", err)
			}
			return
		}
		if (req.Content == nil) == (req.Blob == nil) {
			t.Fatalf("request %+v: want exactly one of content and blob", req)
		}
		if err := req.Validate(); err != nil {
			t.Fatalf("accepted a request the queue refuses: %v", err)
		}
		if binary && (len(data)%2 != 0 || string(req.Blob.Data) != string(data)) {
			t.Fatalf("binary frame of %d bytes became %+v", len(data), req.Blob)
		}
	})
}

func TestHugeValuesAreClippedInErrors(t *testing.T) {
	long := strings.Repeat("é", 10000)
	_, err := parseClientFrame(websocket.MessageText, []byte(`{"type":"`+long+`"}`))
	if err == nil || len(err.Error()) > 200 || !utf8.ValidString(err.Error()) {
		t.Errorf("error for a 20 KB type is %d bytes (valid UTF-8: %v)", len(err.Error()), utf8.ValidString(fmt.Sprint(err)))
	}
}
