package event

import (
	"time"

	"github.com/google/uuid"
	"google.golang.org/genai"
)

// AuthorUser is the author of events that carry what the user said or
// typed. Events the model produced carry the agent's name.
const AuthorUser = "user"

// Event is one unit of output of a live run: a chunk of model content, a
// transcription, a control signal, or a combination of these. Nil and zero
// fields were absent.
//
// The flow creates events; callers read them. An Event handed to the caller
// is not modified afterwards by the run, and callers must not modify one they
// pass back to the library (for example to a session service).
type Event struct {
	// ID uniquely identifies the event.
	ID string `json:"id,omitempty"`
	// InvocationID identifies the live run that produced the event: "e-"
	// followed by a UUID, shared by every event of the run.
	InvocationID string `json:"invocationId,omitempty"`
	// Author is AuthorUser for what the user said or typed, otherwise the
	// name of the agent that produced the event.
	Author string `json:"author,omitempty"`
	// Timestamp is when the event was created. It has microsecond
	// precision, the precision of its JSON form (float seconds since the
	// Unix epoch), so an event survives a JSON round trip unchanged
	// (exactly for times between 1901 and 2106, where float seconds hold
	// every microsecond).
	Timestamp time.Time `json:"-"`
	// Branch is the dot-separated path of agent names from the root agent
	// to the author, used to keep sub-agents' histories apart.
	Branch string `json:"branch,omitempty"`

	// Content is model or user content: text, audio (inline data),
	// function calls and function responses.
	Content *genai.Content `json:"content,omitempty"`
	// Partial reports that Content is an incremental chunk; a later event
	// with Partial false carries the merged segment.
	Partial bool `json:"partial,omitempty"`
	// TurnComplete reports that the model finished its turn.
	TurnComplete bool `json:"turnComplete,omitempty"`
	// Interrupted reports that the user interrupted the model: the caller
	// should stop playing the model's audio at once.
	Interrupted bool `json:"interrupted,omitempty"`
	// GenerationComplete reports that the model finished generating; it
	// may still be streaming buffered output.
	GenerationComplete bool `json:"generationComplete,omitempty"`
	// InputTranscription is a transcription of the user's audio.
	InputTranscription *genai.Transcription `json:"inputTranscription,omitempty"`
	// OutputTranscription is a transcription of the model's audio.
	OutputTranscription *genai.Transcription `json:"outputTranscription,omitempty"`
	// UsageMetadata reports token usage.
	UsageMetadata *genai.UsageMetadata `json:"usageMetadata,omitempty"`
	// GroundingMetadata carries the sources of grounded output (for
	// example Google Search results).
	GroundingMetadata *genai.GroundingMetadata `json:"groundingMetadata,omitempty"`
	// ErrorCode is a short machine-readable error code when the event
	// reports an error.
	ErrorCode string `json:"errorCode,omitempty"`
	// ErrorMessage is a human-readable description of the error.
	ErrorMessage string `json:"errorMessage,omitempty"`
	// FinishReason is why the model stopped generating, when it said.
	FinishReason genai.FinishReason `json:"finishReason,omitempty"`
	// CustomMetadata is application data attached to the event (the run
	// config's custom metadata is copied onto every event).
	CustomMetadata map[string]any `json:"customMetadata,omitempty"`
	// LongRunningToolIDs lists the ids of the function calls in Content
	// that started long-running tools.
	LongRunningToolIDs []string `json:"longRunningToolIds,omitempty"`
	// Actions are the side effects the event asks for.
	Actions Actions `json:"actions,omitzero"`

	// LiveSessionResumptionUpdate carries a new session resumption handle.
	LiveSessionResumptionUpdate *genai.LiveServerSessionResumptionUpdate `json:"liveSessionResumptionUpdate,omitempty"`
	// GoAway reports that the server will soon close the connection. Its
	// JSON form carries timeLeft as a duration string such as "50s".
	GoAway *genai.LiveServerGoAway `json:"goAway,omitempty"`
	// ToolCallCancellation lists the ids of tool calls the server
	// cancelled.
	ToolCallCancellation *genai.LiveServerToolCallCancellation `json:"toolCallCancellation,omitempty"`
	// VoiceActivity reports the start or end of voice activity detected by
	// the server.
	VoiceActivity *genai.VoiceActivity `json:"voiceActivity,omitempty"`
	// VoiceActivityDetectionSignal is Vertex AI's voice activity
	// detection signal (start or end of speech), sent when the run config
	// asks for explicit VAD signals.
	VoiceActivityDetectionSignal *genai.VoiceActivityDetectionSignal `json:"voiceActivityDetectionSignal,omitempty"`
	// LiveSessionID is the server's id for the live connection, when it
	// gave one.
	LiveSessionID string `json:"liveSessionId,omitempty"`

	// Reconnect reports the run reconnecting to the model (started,
	// succeeded, gave up).
	Reconnect *Reconnect `json:"reconnect,omitempty"`
	// Warning reports a problem that does not end the run.
	Warning *Warning `json:"warning,omitempty"`
}

// New returns an event of the given run and author with a fresh ID and the
// current time as its Timestamp.
func New(invocationID, author string) *Event {
	return &Event{
		ID:           uuid.NewString(),
		InvocationID: invocationID,
		Author:       author,
		Timestamp:    time.Now().Truncate(time.Microsecond),
	}
}

// NewInvocationID returns a fresh invocation id: "e-" followed by a random
// UUID, the form ADK uses.
func NewInvocationID() string {
	return "e-" + uuid.NewString()
}
