package gemini

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
)

// appendClientContent appends a clientContent message to b.
func appendClientContent(b []byte, backend genai.Backend, c *genai.LiveClientContent) ([]byte, error) {
	if c == nil {
		return b, invalid("clientContent", "is nil")
	}
	vertex := backend == genai.BackendVertexAI
	for i, t := range c.Turns {
		if err := validateContent(vertex, fmt.Sprintf("clientContent.turns[%d]", i), t); err != nil {
			return b, err
		}
	}
	j, err := json.Marshal(c)
	if err != nil {
		return b, fmt.Errorf("gemini: encoding clientContent: %w", err)
	}
	b = append(b, `{"clientContent":`...)
	b = append(b, j...)
	return append(b, '}'), nil
}

// appendToolResponse appends a toolResponse message to b.
func appendToolResponse(b []byte, backend genai.Backend, r *genai.LiveClientToolResponse) ([]byte, error) {
	if r == nil || len(r.FunctionResponses) == 0 {
		return b, invalid("toolResponse.functionResponses", "is empty")
	}
	vertex := backend == genai.BackendVertexAI
	for i, fr := range r.FunctionResponses {
		field := fmt.Sprintf("toolResponse.functionResponses[%d]", i)
		if err := validateFunctionResponse(vertex, field, fr); err != nil {
			return b, err
		}
	}
	j, err := json.Marshal(r)
	if err != nil {
		return b, fmt.Errorf("gemini: encoding toolResponse: %w", err)
	}
	b = append(b, `{"toolResponse":`...)
	b = append(b, j...)
	return append(b, '}'), nil
}

// appendRealtimeInput appends a realtimeInput message to b. It is the hot
// path for audio, so blobs are encoded by hand: no reflection, one pass of
// base64 straight into b. With mediaChunks, audio and video go as the
// deprecated mediaChunks list.
func appendRealtimeInput(b []byte, in *live.RealtimeInput, mediaChunks bool) ([]byte, error) {
	if in == nil {
		return b, invalid("realtimeInput", "is nil")
	}
	if err := validateRealtimeInput(in); err != nil {
		return b, err
	}
	b = append(b, `{"realtimeInput":`...)
	switch {
	case in.Audio != nil:
		b = appendMedia(b, "audio", in.Audio, mediaChunks)
	case in.Video != nil:
		b = appendMedia(b, "video", in.Video, mediaChunks)
	case in.Text != "":
		b = append(b, `{"text":`...)
		b = appendJSONString(b, in.Text)
		b = append(b, '}')
	case in.ActivityStart:
		b = append(b, `{"activityStart":{}}`...)
	case in.ActivityEnd:
		b = append(b, `{"activityEnd":{}}`...)
	case in.AudioStreamEnd:
		b = append(b, `{"audioStreamEnd":true}`...)
	}
	return append(b, '}'), nil
}

// hasMediaType reports whether the MIME type mime has the top-level type
// prefix (for example "audio/"), ignoring case as MIME types do.
func hasMediaType(mime, prefix string) bool {
	return len(mime) >= len(prefix) && strings.EqualFold(mime[:len(prefix)], prefix)
}

// validateRealtimeInput checks that exactly one field is set and that a
// blob's MIME type fits it (genai's rule: audio/* for audio, image/* for
// video frames).
func validateRealtimeInput(in *live.RealtimeInput) error {
	if in.Audio != nil && !hasMediaType(in.Audio.MIMEType, "audio/") {
		return invalid("realtimeInput.audio.mimeType", "%q is not an audio/* MIME type", in.Audio.MIMEType)
	}
	if in.Video != nil && !hasMediaType(in.Video.MIMEType, "image/") {
		return invalid("realtimeInput.video.mimeType", "%q is not an image/* MIME type (send video as image frames)", in.Video.MIMEType)
	}
	var set []string
	if in.Audio != nil {
		set = append(set, "audio")
	}
	if in.Video != nil {
		set = append(set, "video")
	}
	if in.Text != "" {
		set = append(set, "text")
	}
	if in.ActivityStart {
		set = append(set, "activityStart")
	}
	if in.ActivityEnd {
		set = append(set, "activityEnd")
	}
	if in.AudioStreamEnd {
		set = append(set, "audioStreamEnd")
	}
	switch len(set) {
	case 1:
		return nil
	case 0:
		return invalid("realtimeInput", "no field is set; set exactly one")
	}
	return invalid("realtimeInput", "exactly one field must be set per message, got %s", strings.Join(set, ", "))
}

// appendMedia appends {"audio":{...}} (or video), or
// {"mediaChunks":[{...}]}.
func appendMedia(b []byte, key string, blob *genai.Blob, mediaChunks bool) []byte {
	if mediaChunks {
		b = append(b, `{"mediaChunks":[`...)
	} else {
		b = append(b, `{"`...)
		b = append(b, key...)
		b = append(b, `":`...)
	}
	b = append(b, `{"mimeType":`...)
	b = appendJSONString(b, blob.MIMEType)
	if len(blob.Data) > 0 {
		b = append(b, `,"data":"`...)
		b = base64.StdEncoding.AppendEncode(b, blob.Data)
		b = append(b, '"')
	}
	if blob.DisplayName != "" {
		b = append(b, `,"displayName":`...)
		b = appendJSONString(b, blob.DisplayName)
	}
	b = append(b, '}')
	if mediaChunks {
		return append(b, "]}"...)
	}
	return append(b, '}')
}

// appendJSONString appends s as a JSON string. Plain ASCII is copied as
// is; anything else goes through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			plain = false
			break
		}
	}
	if plain {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	j, _ := json.Marshal(s) // a string always marshals
	return append(b, j...)
}

// live31Rule is the rule a clientContent message must follow to be sent to
// a gemini-3.1 live model mid-session.
const live31Rule = "gemini-3.1 live models take mid-session content only as realtime input: " +
	"send one user turn of text parts and inline audio/* or image/* data parts, with turnComplete set"

// live31Inputs converts a clientContent message for a gemini-3.1 live
// model, which takes mid-session content only as realtime input: one user
// turn with turnComplete set whose parts are text (consecutive text parts
// become one realtimeInput.text), inline audio/* data (realtimeInput.audio)
// or inline image/* data (realtimeInput.video). The inputs are in the order
// of the parts. Anything else (function calls, file data, other roles, ...)
// is refused before anything is sent.
func live31Inputs(c *genai.LiveClientContent) ([]live.RealtimeInput, error) {
	if c == nil {
		return nil, invalid("clientContent", "is nil")
	}
	if len(c.Turns) != 1 {
		return nil, invalid("clientContent.turns", "has %d turns; %s", len(c.Turns), live31Rule)
	}
	t := c.Turns[0]
	if t == nil {
		return nil, invalid("clientContent.turns[0]", "is nil")
	}
	if t.Role != "" && t.Role != genai.RoleUser {
		return nil, invalid("clientContent.turns[0].role", "is %q; %s", t.Role, live31Rule)
	}
	if !c.TurnComplete {
		return nil, invalid("clientContent.turnComplete", "is false; %s", live31Rule)
	}
	var (
		inputs []live.RealtimeInput
		text   strings.Builder
	)
	flushText := func() {
		if text.Len() > 0 {
			inputs = append(inputs, live.RealtimeInput{Text: text.String()})
			text.Reset()
		}
	}
	for i, p := range t.Parts {
		field := fmt.Sprintf("clientContent.turns[0].parts[%d]", i)
		switch {
		case isTextOnly(p):
			text.WriteString(p.Text)
		case isInlineDataOnly(p):
			flushText()
			switch mime := p.InlineData.MIMEType; {
			case hasMediaType(mime, "audio/"):
				inputs = append(inputs, live.RealtimeInput{Audio: p.InlineData})
			case hasMediaType(mime, "image/"):
				inputs = append(inputs, live.RealtimeInput{Video: p.InlineData})
			default:
				return nil, invalid(field+".inlineData.mimeType", "%q is neither audio/* nor image/*; %s", mime, live31Rule)
			}
		default:
			return nil, invalid(field, "is neither a text part nor an inline data part; %s", live31Rule)
		}
	}
	flushText()
	if len(inputs) == 0 {
		return nil, invalid("clientContent.turns[0].parts", "hold no text and no inline data; %s", live31Rule)
	}
	return inputs, nil
}

// isTextOnly reports whether p is a plain (non-thought) text part.
func isTextOnly(p *genai.Part) bool {
	return p != nil && p.Text != "" && !p.Thought && len(p.ThoughtSignature) == 0 &&
		p.InlineData == nil && p.FileData == nil && p.FunctionCall == nil && p.FunctionResponse == nil &&
		p.ExecutableCode == nil && p.CodeExecutionResult == nil && p.VideoMetadata == nil &&
		p.ToolCall == nil && p.ToolResponse == nil && len(p.PartMetadata) == 0 &&
		p.AudioTranscription == nil && p.MediaResolution == nil && p.MediaProcessing == "" &&
		p.SpeechMetadata == nil
}

// isInlineDataOnly reports whether p is an inline data part and nothing
// else.
func isInlineDataOnly(p *genai.Part) bool {
	return p != nil && p.InlineData != nil && p.Text == "" && !p.Thought && len(p.ThoughtSignature) == 0 &&
		p.FileData == nil && p.FunctionCall == nil && p.FunctionResponse == nil &&
		p.ExecutableCode == nil && p.CodeExecutionResult == nil && p.VideoMetadata == nil &&
		p.ToolCall == nil && p.ToolResponse == nil && len(p.PartMetadata) == 0 &&
		p.AudioTranscription == nil && p.MediaResolution == nil && p.MediaProcessing == "" &&
		p.SpeechMetadata == nil
}
