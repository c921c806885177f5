package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/coder/websocket"
	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/livequeue"
)

// inputAudioMIME is the format of the audio in binary frames.
const inputAudioMIME = "audio/pcm;rate=16000"

// Error codes of error frames, as in google.rpc.Code.
const (
	codeInvalidArgument   = "INVALID_ARGUMENT"
	codeResourceExhausted = "RESOURCE_EXHAUSTED"
	codeInternal          = "INTERNAL"
	codeUnavailable       = "UNAVAILABLE"
)

// frameError is a client frame the server cannot use. Its message names
// the problem; it is sent back to the client as an error frame.
type frameError struct {
	problem string
}

func (e *frameError) Error() string { return e.problem }

func badFrame(format string, args ...any) error {
	return &frameError{problem: fmt.Sprintf(format, args...)}
}

// textFrame is the JSON of a client text frame.
type textFrame struct {
	Type     *string `json:"type"`
	Text     *string `json:"text"`
	Data     *string `json:"data"`
	MIMEType string  `json:"mimeType"`
}

// parseClientFrame turns one client frame into the request it asks for: a
// binary frame is a chunk of PCM16LE 16 kHz audio; a text frame is
// {"type":"text","text":...} or {"type":"image","data":<base64>,
// "mimeType":"image/..."} (mimeType defaults to image/jpeg). Fields it does
// not know are ignored, as ADK's demo ignores them. A frame it cannot use
// yields a *frameError naming the problem.
func parseClientFrame(typ websocket.MessageType, data []byte) (livequeue.Request, error) {
	if typ == websocket.MessageBinary {
		switch {
		case len(data) == 0:
			return livequeue.Request{}, badFrame("empty audio frame: a binary frame must hold PCM16LE mono 16 kHz samples")
		case len(data)%2 != 0:
			return livequeue.Request{}, badFrame("audio frame of %d bytes: PCM16LE samples are 2 bytes each, so the length must be even", len(data))
		}
		return livequeue.Request{Blob: &genai.Blob{MIMEType: inputAudioMIME, Data: data}}, nil
	}

	var f textFrame
	if err := json.Unmarshal(data, &f); err != nil {
		return livequeue.Request{}, badFrame("text frame is not valid JSON: %s", describeJSONError(err))
	}
	if f.Type == nil {
		return livequeue.Request{}, badFrame(`text frame has no "type": want {"type":"text",...} or {"type":"image",...}`)
	}
	switch *f.Type {
	case "text":
		if f.Text == nil {
			return livequeue.Request{}, badFrame(`text message has no "text" field`)
		}
		if strings.TrimSpace(*f.Text) == "" {
			return livequeue.Request{}, badFrame(`text message has an empty "text"`)
		}
		return livequeue.Request{Content: genai.NewContentFromText(*f.Text, genai.RoleUser)}, nil
	case "image":
		if f.Data == nil || *f.Data == "" {
			return livequeue.Request{}, badFrame(`image message has no "data": want the image bytes in base64`)
		}
		img, err := decodeBase64(*f.Data)
		if err != nil {
			hint := ""
			if strings.HasPrefix(*f.Data, "data:") {
				hint = ` (send the base64 payload without the "data:...;base64," prefix)`
			}
			return livequeue.Request{}, badFrame(`image "data" is not valid base64: %v%s`, err, hint)
		}
		mime := f.MIMEType
		if mime == "" {
			mime = "image/jpeg"
		}
		if !strings.HasPrefix(mime, "image/") {
			return livequeue.Request{}, badFrame(`image "mimeType" is %q: want an image type such as "image/jpeg"`, clip(mime))
		}
		return livequeue.Request{Blob: &genai.Blob{MIMEType: mime, Data: img}}, nil
	default:
		return livequeue.Request{}, badFrame(`unknown message type %q: want "text" or "image"`, clip(*f.Type))
	}
}

// decodeBase64 accepts the standard and URL-safe alphabets, with or without
// padding, as clients differ.
func decodeBase64(s string) ([]byte, error) {
	enc := base64.StdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.URLEncoding
	}
	if !strings.HasSuffix(s, "=") && len(s)%4 != 0 {
		enc = enc.WithPadding(base64.NoPadding)
	}
	b, err := enc.Strict().DecodeString(s)
	if err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) {
			return nil, fmt.Errorf("bad character or length at byte %d", int64(ce))
		}
		return nil, err
	}
	return b, nil
}

// describeJSONError shortens a decoding error for a client.
func describeJSONError(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("%s (at byte %d)", syn.Error(), syn.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		if typ.Field == "" {
			return fmt.Sprintf("want a JSON object, got a JSON %s", typ.Value)
		}
		return fmt.Sprintf("%q must be a string, got a JSON %s", typ.Field, typ.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// errorFrame returns the frame that reports an error to the client: the
// error fields of an event, so the page's console shows it like any event.
func errorFrame(code, message string) []byte {
	b, err := json.Marshal(&event.Event{ErrorCode: code, ErrorMessage: message})
	if err != nil {
		// An Event with two string fields always marshals.
		panic(fmt.Sprintf("bidi-demo: encoding an error frame: %v", err))
	}
	return b
}

// clip shortens a client-supplied value quoted in an error, so a huge
// frame does not come back as a huge error (or log record).
func clip(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
