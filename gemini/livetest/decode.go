package livetest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"google.golang.org/genai"
)

// ClientMessage is one message a client sent, decoded. Exactly one of
// Setup, ClientContent, RealtimeInput, ToolResponse and ContextUpdate is
// set, except for a frame that did not decode (the server closed the
// connection because of it, or it arrived in replay mode), which has only
// Raw.
type ClientMessage struct {
	Setup         *genai.LiveClientSetup
	ClientContent *genai.LiveClientContent
	RealtimeInput *RealtimeInput
	ToolResponse  *genai.LiveClientToolResponse
	ContextUpdate *genai.LiveClientContextUpdate
	// Raw is the frame exactly as received.
	Raw []byte
}

// RealtimeInput is a decoded realtimeInput message. The real API expects
// one field per message; the server records whatever was sent.
type RealtimeInput struct {
	// Audio is a chunk of audio, normally PCM16LE mono ("audio/pcm;rate=16000").
	Audio *genai.Blob
	// Video is one video frame or image, normally JPEG.
	Video *genai.Blob
	// Text is text typed in real time.
	Text string
	// MediaChunks is the deprecated list form of audio and video input.
	MediaChunks []*genai.Blob
	// ActivityStart and ActivityEnd are the manual activity signals.
	ActivityStart bool
	ActivityEnd   bool
	// AudioStreamEnd says the client's audio stream has paused.
	AudioStreamEnd bool
}

// wireRealtimeInput is realtimeInput as it travels (camelCase).
type wireRealtimeInput struct {
	MediaChunks    []*genai.Blob `json:"mediaChunks"`
	Audio          *genai.Blob   `json:"audio"`
	Video          *genai.Blob   `json:"video"`
	Text           string        `json:"text"`
	ActivityStart  *struct{}     `json:"activityStart"`
	ActivityEnd    *struct{}     `json:"activityEnd"`
	AudioStreamEnd bool          `json:"audioStreamEnd"`
}

func (w *wireRealtimeInput) typed() *RealtimeInput {
	return &RealtimeInput{
		Audio:          w.Audio,
		Video:          w.Video,
		Text:           w.Text,
		MediaChunks:    w.MediaChunks,
		ActivityStart:  w.ActivityStart != nil,
		ActivityEnd:    w.ActivityEnd != nil,
		AudioStreamEnd: w.AudioStreamEnd,
	}
}

// invalidJSON prefixes every decoding error, as the real server's
// close reasons do.
const invalidJSON = "Invalid JSON payload received."

// decodeClientMessage decodes one client frame leniently, as the real
// server does: top-level and nested keys in camelCase or snake_case (and,
// as encoding/json matches them, in any letter case), int64
// values as numbers or strings, base64 in the standard or URL-safe
// alphabet with or without padding. An error describes what was wrong
// and is meant to be sent as a close reason.
func decodeClientMessage(data []byte) (ClientMessage, error) {
	if blob, ok := decodeAudioFrame(data); ok {
		return ClientMessage{Raw: data, RealtimeInput: &RealtimeInput{Audio: blob}}, nil
	}
	if msg, ok := decodeCanonical(data); ok {
		return msg, nil
	}
	return decodeGeneral(data)
}

// wireClientMessage is a client message in the canonical form.
type wireClientMessage struct {
	Setup         *genai.LiveClientSetup         `json:"setup"`
	ClientContent *genai.LiveClientContent       `json:"clientContent"`
	RealtimeInput *wireRealtimeInput             `json:"realtimeInput"`
	ToolResponse  *genai.LiveClientToolResponse  `json:"toolResponse"`
	ContextUpdate *genai.LiveClientContextUpdate `json:"contextUpdate"`
}

// decodeCanonical decodes, in one pass, a frame in the canonical form the
// Go and JS SDKs send (camelCase, standard base64, int64 as strings, no
// unknown field). It reports false for anything else, which
// decodeGeneral then handles or rejects.
func decodeCanonical(data []byte) (ClientMessage, bool) {
	var w wireClientMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return ClientMessage{}, false
	}
	if len(bytes.TrimSpace(data[dec.InputOffset():])) > 0 {
		return ClientMessage{}, false
	}
	msg := ClientMessage{
		Setup:         w.Setup,
		ClientContent: w.ClientContent,
		ToolResponse:  w.ToolResponse,
		ContextUpdate: w.ContextUpdate,
		Raw:           data,
	}
	if w.RealtimeInput != nil {
		msg.RealtimeInput = w.RealtimeInput.typed()
	}
	set := 0
	for _, ok := range []bool{w.Setup != nil, w.ClientContent != nil, w.RealtimeInput != nil, w.ToolResponse != nil, w.ContextUpdate != nil} {
		if ok {
			set++
		}
	}
	return msg, set == 1
}

// Audio frames are most of the traffic; decodeAudioFrame reads the exact
// form the SDKs write them in without a JSON scan.
const (
	audioFramePrefix = `{"realtimeInput":{"audio":{"data":"`
	audioFrameMiddle = `","mimeType":"`
	audioFrameSuffix = `"}}}`
)

// decodeAudioFrame decodes {"realtimeInput":{"audio":{"data":"B64","mimeType":"MIME"}}}
// written exactly so (standard padded base64, a MIME type of printable
// ASCII without escapes, no whitespace). It reports false for anything
// else.
func decodeAudioFrame(data []byte) (*genai.Blob, bool) {
	rest, ok := bytes.CutPrefix(data, []byte(audioFramePrefix))
	if !ok {
		return nil, false
	}
	b64, rest, ok := bytes.Cut(rest, []byte(audioFrameMiddle))
	if !ok {
		return nil, false
	}
	mimeType, ok := bytes.CutSuffix(rest, []byte(audioFrameSuffix))
	if !ok || bytes.ContainsAny(b64, "\r\n") {
		return nil, false
	}
	for _, c := range mimeType {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return nil, false
		}
	}
	pcm := make([]byte, base64.StdEncoding.DecodedLen(len(b64)))
	n, err := base64.StdEncoding.Decode(pcm, b64)
	if err != nil {
		return nil, false
	}
	return &genai.Blob{Data: pcm[:n], MIMEType: string(mimeType)}, true
}

// decodeGeneral decodes any frame the real server accepts, or says why it
// does not.
func decodeGeneral(data []byte) (ClientMessage, error) {
	msg := ClientMessage{Raw: data}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return msg, badFrame("%s", describeJSONError(err))
	}
	if top == nil {
		return msg, badFrame("Expected a JSON object.")
	}
	var field string
	var value json.RawMessage
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := topLevelName(k)
		if name == "" {
			return msg, badFrame("Unknown name %q: Cannot find field.", k)
		}
		if field != "" && field != name {
			return msg, badFrame("Only one of %q and %q may be set.", field, name)
		}
		field, value = name, top[k]
	}
	if field == "" {
		return msg, badFrame("The message is empty: want one of setup, clientContent, realtimeInput, toolResponse.")
	}
	if bytes.Equal(bytes.TrimSpace(value), []byte("null")) {
		return msg, badFrame("%q is null.", field)
	}
	var err error
	switch field {
	case "setup":
		msg.Setup = new(genai.LiveClientSetup)
		err = decodeLenient(value, msg.Setup)
	case "clientContent":
		msg.ClientContent = new(genai.LiveClientContent)
		err = decodeLenient(value, msg.ClientContent)
	case "realtimeInput":
		var w wireRealtimeInput
		err = decodeLenient(value, &w)
		msg.RealtimeInput = w.typed()
	case "toolResponse":
		msg.ToolResponse = new(genai.LiveClientToolResponse)
		err = decodeLenient(value, msg.ToolResponse)
	case "contextUpdate":
		msg.ContextUpdate = new(genai.LiveClientContextUpdate)
		err = decodeLenient(value, msg.ContextUpdate)
	}
	if err != nil {
		return ClientMessage{Raw: data}, badFrame("%s: %s", field, describeJSONError(err))
	}
	return msg, nil
}

// topLevelName returns the canonical name of a top-level key, or "" if it
// names no client message. Like encoding/json, and so like the canonical
// path, it ignores case.
func topLevelName(key string) string {
	key = camelCase(key)
	for _, name := range []string{"setup", "clientContent", "realtimeInput", "toolResponse", "contextUpdate"} {
		if strings.EqualFold(key, name) {
			return name
		}
	}
	return ""
}

// frameError says why a client frame was refused; its text is the close
// reason, worded like the real server's.
type frameError struct{ reason string }

func (e *frameError) Error() string { return e.reason }

// badFrame returns a frameError with invalidJSON and the formatted detail.
func badFrame(format string, args ...any) error {
	return &frameError{reason: invalidJSON + " " + fmt.Sprintf(format, args...)}
}

// decodeLenient decodes data into v. It first tries the canonical form
// (camelCase, standard base64, int64 as strings) strictly, which is what
// the Go and JS SDKs send; anything else takes the slower normalizing path.
func decodeLenient(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err == nil && !dec.More() {
		return nil
	}
	var generic any
	dec = json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return err
	}
	if _, ok := generic.(map[string]any); !ok {
		return errors.New("expected a JSON object")
	}
	norm, err := normalize(generic, "")
	if err != nil {
		return err
	}
	canonical, err := json.Marshal(norm)
	if err != nil {
		return err
	}
	clearValue(v)
	return json.Unmarshal(canonical, v)
}

// clearValue resets *v to its zero value after a failed strict decode may
// have filled it partially.
func clearValue(v any) {
	switch p := v.(type) {
	case *genai.LiveClientSetup:
		*p = genai.LiveClientSetup{}
	case *genai.LiveClientContent:
		*p = genai.LiveClientContent{}
	case *wireRealtimeInput:
		*p = wireRealtimeInput{}
	case *genai.LiveClientToolResponse:
		*p = genai.LiveClientToolResponse{}
	case *genai.LiveClientContextUpdate:
		*p = genai.LiveClientContextUpdate{}
	}
}

// describeJSONError turns a decoding error into a short, readable reason.
func describeJSONError(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("Syntax error at byte %d: %s.", syn.Offset, syn.Error())
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		where := typ.Field
		if where == "" {
			where = "value"
		}
		return fmt.Sprintf("Invalid value at %q: cannot use a JSON %s as %s.", where, typ.Value, typ.Type)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
