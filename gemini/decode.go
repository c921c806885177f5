package gemini

import (
	"encoding/json"

	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
)

// decodeServerMessage decodes one server frame into a response, or into an
// *APIError for an in-band error message. The hot shapes (one audio chunk,
// a text or transcription fragment, turn flags) take a hand-written fast
// path; everything else, and anything unusual in a hot shape, goes through
// encoding/json into lenient wire types. Both paths produce the same
// response for any input the fast path accepts (a fuzz test checks this).
// The response never aliases data.
func decodeServerMessage(data []byte) (*live.Response, error) {
	if r, ok := decodeFast(data); ok {
		return r, nil
	}
	return decodeGeneral(data)
}

// decodeGeneral is the complete decoder: one encoding/json pass into wire
// types that accept what the server and other clients send (int64 as
// string or number, URL-safe or unpadded base64, Vertex AI's usage field
// names, voiceActivity's "type" key), then a copy into genai types.
func decodeGeneral(data []byte) (*live.Response, error) {
	var m wireMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, &ProtocolError{Problem: "decoding a server message", Err: err}
	}
	if m.Error != nil {
		return nil, &APIError{Code: int(m.Error.Code), Status: m.Error.Status, Message: m.Error.Message}
	}
	r := &live.Response{
		SetupComplete:                m.SetupComplete,
		ToolCallCancellation:         m.ToolCallCancellation,
		VoiceActivityDetectionSignal: m.VoiceActivityDetectionSignal,
	}
	if m.ToolCall != nil {
		r.ToolCall, r.ToolCallArgErrors = m.ToolCall.toolCall()
	}
	if m.ServerContent != nil {
		sc := genai.LiveServerContent(m.ServerContent.serverContentFields)
		sc.ModelTurn = m.ServerContent.ModelTurn.content()
		r.ServerContent = &sc
	}
	if u := m.UsageMetadata; u != nil {
		r.UsageMetadata = u.usage()
	}
	if g := m.GoAway; g != nil {
		r.GoAway = &genai.LiveServerGoAway{TimeLeft: g.TimeLeft.d}
	}
	if s := m.SessionResumptionUpdate; s != nil {
		r.SessionResumptionUpdate = &genai.LiveServerSessionResumptionUpdate{
			NewHandle:                      s.NewHandle,
			Resumable:                      s.Resumable,
			LastConsumedClientMessageIndex: int64(s.LastConsumedClientMessageIndex),
		}
	}
	if v := m.VoiceActivity; v != nil {
		typ := v.Type
		if typ == "" {
			typ = v.VoiceActivityType
		}
		r.VoiceActivity = &genai.VoiceActivity{VoiceActivityType: typ, AudioOffset: v.AudioOffset.d}
	}
	return r, nil
}

// wireMessage is a server message as it travels.
type wireMessage struct {
	SetupComplete                *genai.LiveServerSetupComplete        `json:"setupComplete"`
	ServerContent                *wireServerContent                    `json:"serverContent"`
	ToolCall                     *wireToolCall                         `json:"toolCall"`
	ToolCallCancellation         *genai.LiveServerToolCallCancellation `json:"toolCallCancellation"`
	UsageMetadata                *wireUsage                            `json:"usageMetadata"`
	GoAway                       *wireGoAway                           `json:"goAway"`
	SessionResumptionUpdate      *wireResumptionUpdate                 `json:"sessionResumptionUpdate"`
	VoiceActivity                *wireVoiceActivity                    `json:"voiceActivity"`
	VoiceActivityDetectionSignal *genai.VoiceActivityDetectionSignal   `json:"voiceActivityDetectionSignal"`
	Error                        *wireError                            `json:"error"`
}

// serverContentFields and partFields have the fields of their genai types,
// so they can be embedded and have a field shadowed.
type (
	serverContentFields genai.LiveServerContent
	partFields          genai.Part
)

type wireServerContent struct {
	serverContentFields
	ModelTurn *wireContent `json:"modelTurn"`
}

type wireContent struct {
	Role  string      `json:"role"`
	Parts []*wirePart `json:"parts"`
}

func (w *wireContent) content() *genai.Content {
	if w == nil {
		return nil
	}
	c := &genai.Content{Role: w.Role}
	if w.Parts != nil {
		c.Parts = make([]*genai.Part, 0, len(w.Parts))
		for _, wp := range w.Parts {
			if wp == nil {
				continue
			}
			p := genai.Part(wp.partFields)
			p.ThoughtSignature = wp.ThoughtSignature
			if b := wp.InlineData; b != nil {
				p.InlineData = &genai.Blob{Data: b.Data, DisplayName: b.DisplayName, MIMEType: b.MIMEType}
			}
			c.Parts = append(c.Parts, &p)
		}
	}
	return c
}

type wirePart struct {
	partFields
	InlineData       *wireBlob    `json:"inlineData"`
	ThoughtSignature lenientBytes `json:"thoughtSignature"`
}

type wireBlob struct {
	Data        lenientBytes `json:"data"`
	DisplayName string       `json:"displayName"`
	MIMEType    string       `json:"mimeType"`
}

// wireUsage accepts both spellings of the response token counts: the
// Gemini API's responseTokenCount/responseTokensDetails and Vertex AI's
// candidatesTokenCount/candidatesTokensDetails.
type wireUsage struct {
	PromptTokenCount           lenientInt32              `json:"promptTokenCount"`
	CachedContentTokenCount    lenientInt32              `json:"cachedContentTokenCount"`
	ResponseTokenCount         lenientInt32              `json:"responseTokenCount"`
	CandidatesTokenCount       lenientInt32              `json:"candidatesTokenCount"`
	ToolUsePromptTokenCount    lenientInt32              `json:"toolUsePromptTokenCount"`
	ThoughtsTokenCount         lenientInt32              `json:"thoughtsTokenCount"`
	TotalTokenCount            lenientInt32              `json:"totalTokenCount"`
	PromptTokensDetails        []*wireModalityTokenCount `json:"promptTokensDetails"`
	CacheTokensDetails         []*wireModalityTokenCount `json:"cacheTokensDetails"`
	ResponseTokensDetails      []*wireModalityTokenCount `json:"responseTokensDetails"`
	CandidatesTokensDetails    []*wireModalityTokenCount `json:"candidatesTokensDetails"`
	ToolUsePromptTokensDetails []*wireModalityTokenCount `json:"toolUsePromptTokensDetails"`
	TrafficType                genai.TrafficType         `json:"trafficType"`
	ServiceTier                genai.ServiceTier         `json:"serviceTier"`
}

func (w *wireUsage) usage() *genai.UsageMetadata {
	u := &genai.UsageMetadata{
		PromptTokenCount:           int32(w.PromptTokenCount),
		CachedContentTokenCount:    int32(w.CachedContentTokenCount),
		ResponseTokenCount:         int32(w.ResponseTokenCount),
		ToolUsePromptTokenCount:    int32(w.ToolUsePromptTokenCount),
		ThoughtsTokenCount:         int32(w.ThoughtsTokenCount),
		TotalTokenCount:            int32(w.TotalTokenCount),
		PromptTokensDetails:        modalityCounts(w.PromptTokensDetails),
		CacheTokensDetails:         modalityCounts(w.CacheTokensDetails),
		ResponseTokensDetails:      modalityCounts(w.ResponseTokensDetails),
		ToolUsePromptTokensDetails: modalityCounts(w.ToolUsePromptTokensDetails),
		TrafficType:                w.TrafficType,
		ServiceTier:                w.ServiceTier,
	}
	if u.ResponseTokenCount == 0 {
		u.ResponseTokenCount = int32(w.CandidatesTokenCount)
	}
	if u.ResponseTokensDetails == nil {
		u.ResponseTokensDetails = modalityCounts(w.CandidatesTokensDetails)
	}
	return u
}

type wireModalityTokenCount struct {
	Modality   genai.MediaModality `json:"modality"`
	TokenCount lenientInt32        `json:"tokenCount"`
}

func modalityCounts(w []*wireModalityTokenCount) []*genai.ModalityTokenCount {
	if w == nil {
		return nil
	}
	out := make([]*genai.ModalityTokenCount, 0, len(w))
	for _, m := range w {
		if m != nil {
			out = append(out, &genai.ModalityTokenCount{Modality: m.Modality, TokenCount: int32(m.TokenCount)})
		}
	}
	return out
}

type wireGoAway struct {
	TimeLeft lenientDuration `json:"timeLeft"`
}

type wireResumptionUpdate struct {
	NewHandle                      string       `json:"newHandle"`
	Resumable                      bool         `json:"resumable"`
	LastConsumedClientMessageIndex lenientInt64 `json:"lastConsumedClientMessageIndex"`
}

// wireVoiceActivity carries the activity type under the wire key "type";
// genai's own spelling "voiceActivityType" is accepted too.
type wireVoiceActivity struct {
	Type              genai.VoiceActivityType `json:"type"`
	VoiceActivityType genai.VoiceActivityType `json:"voiceActivityType"`
	AudioOffset       lenientDuration         `json:"audioOffset"`
}

type wireError struct {
	Code    lenientInt32 `json:"code"`
	Message string       `json:"message"`
	Status  string       `json:"status"`
}
