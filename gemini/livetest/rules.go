package livetest

import (
	"fmt"
	"strings"

	"github.com/coder/websocket"
	"google.golang.org/genai"
)

// invalid returns a 1007 close status with the given reason.
func invalid(format string, args ...any) *CloseStatus {
	return &CloseStatus{Code: websocket.StatusInvalidFramePayloadData, Reason: truncateReason(fmt.Sprintf(format, args...))}
}

// checkSetup applies the real server's setup rules (docs/PROTOCOL.md §3 and
// §6) and returns how to close the connection, or nil if setup is valid.
func checkSetup(backend genai.Backend, s *genai.LiveClientSetup) *CloseStatus {
	if s.Model == "" {
		return invalid("Invalid value at 'setup.model': the model is required.")
	}
	if _, ok := modelID(backend, s.Model); !ok {
		want := "models/{model}"
		if backend == genai.BackendVertexAI {
			want = "projects/{project}/locations/{location}/publishers/google/models/{model}"
		}
		return invalid("Invalid value at 'setup.model' (%s): want %s", s.Model, want)
	}
	if gc := s.GenerationConfig; gc != nil && len(gc.ResponseModalities) > 1 {
		return invalid("Invalid value at 'setup.generation_config.response_modalities': at most one response modality is supported.")
	}
	if backend == genai.BackendGeminiAPI {
		if s.SessionResumption != nil && s.SessionResumption.Transparent {
			return invalid("Invalid value at 'setup.session_resumption.transparent': transparent is not supported in the Gemini API.")
		}
		if s.ExplicitVADSignal {
			return invalid("Invalid value at 'setup.explicit_vad_signal': explicit_vad_signal is not supported in the Gemini API.")
		}
	}
	return nil
}

// modelID returns the model id of a setup model name in the backend's form.
// The Gemini API wants models/{id} (or tunedModels/{id}); Vertex AI wants
// projects/{p}/locations/{l}/publishers/{publisher}/models/{id} (or, in
// express mode, publishers/{publisher}/models/{id}, or a tuned model's
// endpoint projects/{p}/locations/{l}/endpoints/{id}).
func modelID(backend genai.Backend, name string) (string, bool) {
	parts := strings.Split(name, "/")
	for _, p := range parts {
		if p == "" {
			return "", false
		}
	}
	if backend != genai.BackendVertexAI {
		if len(parts) == 2 && (parts[0] == "models" || parts[0] == "tunedModels") {
			return parts[1], true
		}
		return "", false
	}
	switch {
	case len(parts) == 8 && parts[0] == "projects" && parts[2] == "locations" && parts[4] == "publishers" && parts[6] == "models":
		return parts[7], true
	case len(parts) == 6 && parts[0] == "projects" && parts[2] == "locations" && parts[4] == "endpoints":
		return parts[5], true
	case len(parts) == 4 && parts[0] == "publishers" && parts[2] == "models":
		return parts[3], true
	}
	return "", false
}

// isLive31 reports whether the model is of the gemini-3.1 live family,
// which takes mid-session input only as realtimeInput.
func isLive31(backend genai.Backend, model string) bool {
	id, _ := modelID(backend, model)
	return strings.HasPrefix(id, "gemini-3.1-") && strings.Contains(id, "live")
}

// automaticVAD reports whether setup leaves automatic activity detection on.
func automaticVAD(s *genai.LiveClientSetup) bool {
	c := s.RealtimeInputConfig
	return c == nil || c.AutomaticActivityDetection == nil || !c.AutomaticActivityDetection.Disabled
}

// messageRules applies the per-message rules that depend on setup and on
// what came before.
type messageRules struct {
	live31      bool
	vertex      bool
	autoVAD     bool
	historyOpen bool // the client may still send initial history
}

func newMessageRules(backend genai.Backend, s *genai.LiveClientSetup) *messageRules {
	allow := s.HistoryConfig != nil && s.HistoryConfig.InitialHistoryInClientContent
	return &messageRules{
		live31:      isLive31(backend, s.Model),
		vertex:      backend == genai.BackendVertexAI,
		autoVAD:     automaticVAD(s),
		historyOpen: allow,
	}
}

// check returns how to close the connection because of m, or nil.
func (r *messageRules) check(m ClientMessage) *CloseStatus {
	switch {
	case m.Setup != nil:
		return invalid("Invalid request: setup may only be sent once, as the first message.")
	case m.ClientContent != nil:
		if r.live31 && !r.historyOpen {
			return invalid("client_content is only accepted as initial history with history_config on this model. Use realtime_input instead.")
		}
		if m.ClientContent.TurnComplete {
			r.historyOpen = false
		}
	case m.RealtimeInput != nil:
		r.historyOpen = false
		ri := m.RealtimeInput
		if r.live31 && len(ri.MediaChunks) > 0 {
			return invalid("realtime_input.media_chunks is deprecated. Use audio, video, or text instead.")
		}
		if r.autoVAD && ri.ActivityStart {
			return invalid("Invalid value at 'realtime_input.activity_start': activity signals need automatic_activity_detection.disabled.")
		}
		if r.autoVAD && ri.ActivityEnd {
			return invalid("Invalid value at 'realtime_input.activity_end': activity signals need automatic_activity_detection.disabled.")
		}
	case m.ToolResponse != nil:
		r.historyOpen = false
		if r.vertex || r.live31 {
			// The responses of NON_BLOCKING functions are a Gemini API
			// feature (docs/PROTOCOL.md §3).
			for i, fr := range m.ToolResponse.FunctionResponses {
				switch {
				case fr == nil:
				case fr.WillContinue != nil:
					return invalid("Invalid value at 'tool_response.function_responses[%d].will_continue': not supported on this model.", i)
				case fr.Scheduling != "":
					return invalid("Invalid value at 'tool_response.function_responses[%d].scheduling': not supported on this model.", i)
				}
			}
		}
	}
	return nil
}
