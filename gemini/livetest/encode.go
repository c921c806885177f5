package livetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"google.golang.org/genai"
)

// encodeServerMessage writes m in the wire form the backend uses: int64 as
// strings, durations as "6.680s" strings, voiceActivity with the wire key
// "type", and on Vertex AI usage counts named candidatesTokenCount /
// candidatesTokensDetails and model turns with role "model".
func encodeServerMessage(backend genai.Backend, m *genai.LiveServerMessage) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	first := true
	field := func(name string, v any) error {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		fmt.Fprintf(&buf, "%q:", name)
		return writeJSON(&buf, v)
	}
	var err error
	add := func(name string, v any) {
		if err == nil {
			err = field(name, v)
		}
	}
	if m.SetupComplete != nil {
		add("setupComplete", m.SetupComplete)
	}
	if m.ServerContent != nil {
		sc := m.ServerContent
		if backend == genai.BackendVertexAI && sc.ModelTurn != nil && sc.ModelTurn.Role == "" {
			copied := *sc
			turn := *sc.ModelTurn
			turn.Role = genai.RoleModel
			copied.ModelTurn = &turn
			sc = &copied
		}
		add("serverContent", sc)
	}
	if m.ToolCall != nil {
		add("toolCall", m.ToolCall)
	}
	if m.ToolCallCancellation != nil {
		add("toolCallCancellation", m.ToolCallCancellation)
	}
	if m.UsageMetadata != nil {
		add("usageMetadata", wireUsage(backend, m.UsageMetadata))
	}
	if m.GoAway != nil {
		g := map[string]string{}
		if m.GoAway.TimeLeft != 0 {
			g["timeLeft"] = formatDuration(m.GoAway.TimeLeft)
		}
		add("goAway", g)
	}
	if m.SessionResumptionUpdate != nil {
		add("sessionResumptionUpdate", m.SessionResumptionUpdate)
	}
	if m.VoiceActivityDetectionSignal != nil {
		add("voiceActivityDetectionSignal", m.VoiceActivityDetectionSignal)
	}
	if m.VoiceActivity != nil {
		v := struct {
			Type        string `json:"type,omitempty"`
			AudioOffset string `json:"audioOffset,omitempty"`
		}{Type: string(m.VoiceActivity.VoiceActivityType)}
		if m.VoiceActivity.AudioOffset != 0 {
			v.AudioOffset = formatDuration(m.VoiceActivity.AudioOffset)
		}
		add("voiceActivity", v)
	}
	if err != nil {
		return nil, err
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// writeJSON appends v's JSON to buf without HTML escaping.
func writeJSON(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
	return nil
}

// wireUsage returns the usage metadata as the backend spells it.
func wireUsage(backend genai.Backend, u *genai.UsageMetadata) any {
	if backend != genai.BackendVertexAI {
		return u
	}
	type vertexUsage struct {
		genai.UsageMetadata
		// Shadow the Gemini API names with the Vertex AI ones.
		ResponseTokenCount    int32                       `json:"responseTokenCount,omitempty"`
		ResponseTokensDetails []*genai.ModalityTokenCount `json:"responseTokensDetails,omitempty"`
		CandidatesTokenCount  int32                       `json:"candidatesTokenCount,omitempty"`
		CandidatesDetails     []*genai.ModalityTokenCount `json:"candidatesTokensDetails,omitempty"`
	}
	v := vertexUsage{
		UsageMetadata:        *u,
		CandidatesTokenCount: u.ResponseTokenCount,
		CandidatesDetails:    u.ResponseTokensDetails,
	}
	return v
}

// formatDuration formats d as a protobuf JSON Duration: seconds with 0, 3,
// 6 or 9 fractional digits and an "s" suffix ("50s", "6.680s").
func formatDuration(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign = "-"
		d = -d
	}
	secs := int64(d / time.Second)
	nanos := int64(d % time.Second)
	switch {
	case nanos == 0:
		return fmt.Sprintf("%s%ds", sign, secs)
	case nanos%1e6 == 0:
		return fmt.Sprintf("%s%d.%03ds", sign, secs, nanos/1e6)
	case nanos%1e3 == 0:
		return fmt.Sprintf("%s%d.%06ds", sign, secs, nanos/1e3)
	default:
		return fmt.Sprintf("%s%d.%09ds", sign, secs, nanos)
	}
}

// frameFlags is what the server needs to know about a frame it sends.
type frameFlags struct {
	turnComplete       bool
	generationComplete bool
}

// inspectFrame reports the flags of an already-encoded frame (used for Raw
// steps, whose content the server does not build itself).
func inspectFrame(frame []byte) frameFlags {
	var probe struct {
		ServerContent *struct {
			TurnComplete       bool `json:"turnComplete"`
			GenerationComplete bool `json:"generationComplete"`
		} `json:"serverContent"`
	}
	if json.Unmarshal(frame, &probe) != nil || probe.ServerContent == nil {
		return frameFlags{}
	}
	return frameFlags{
		turnComplete:       probe.ServerContent.TurnComplete,
		generationComplete: probe.ServerContent.GenerationComplete,
	}
}

// truncateReason shortens a close reason to what a close frame can carry
// (123 bytes), on a rune boundary.
func truncateReason(s string) string {
	const limit = 123
	if len(s) <= limit {
		return s
	}
	s = s[:limit]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
