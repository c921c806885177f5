package runconfig

import (
	"time"

	"google.golang.org/genai"
)

// DefaultMaxLLMCalls is the LLM call limit of a run whose MaxLLMCalls is 0,
// the same default as ADK.
const DefaultMaxLLMCalls = 500

// UnlimitedLLMCalls, or any other negative MaxLLMCalls, removes the LLM call
// limit.
const UnlimitedLLMCalls = -1

// RunConfig is every setting of one live run.
//
// The zero value is ready to use (see the package documentation for what it
// means). Pointer fields left nil are not sent, so the server's own default
// applies. A RunConfig is a plain value: the methods never modify it, and
// WithDefaults and ApplyToSetup copy everything they hand on, so changing a
// RunConfig after a run started does not change that run.
//
// Fields from ResponseModalities to ExplicitVADSignal and from Temperature to
// MediaResolution are sent to the model in the setup message; the fields
// from SaveLiveBlob on are used by the runtime and never sent.
type RunConfig struct {
	// ResponseModalities is how the model answers: exactly one of
	// genai.ModalityAudio and genai.ModalityText per run. Empty means
	// AUDIO.
	ResponseModalities []genai.Modality

	// SpeechConfig selects the voice and language of audio answers.
	// Live connections support a single voice: MultiSpeakerVoiceConfig is
	// rejected.
	SpeechConfig *genai.SpeechConfig

	// InputAudioTranscription, when set, asks the server to transcribe the
	// user's audio; transcriptions arrive as events authored by "user".
	InputAudioTranscription *genai.AudioTranscriptionConfig

	// OutputAudioTranscription, when set, asks the server to transcribe the
	// model's audio answers. With TEXT answers there is nothing to
	// transcribe; the setting is sent anyway and the server decides.
	OutputAudioTranscription *genai.AudioTranscriptionConfig

	// RealtimeInputConfig configures voice activity detection (VAD): set
	// AutomaticActivityDetection.Disabled to drive turns yourself with
	// activity start and end signals (see ActivitySignalsAllowed), or tune
	// the server's detector (sensitivities, PrefixPaddingMs,
	// SilenceDurationMs). ActivityHandling chooses whether user activity
	// interrupts the model (barge-in, the default) and TurnCoverage what
	// input a turn includes. Sensitivities set while automatic detection is
	// disabled are sent and ignored by the server.
	RealtimeInputConfig *genai.RealtimeInputConfig

	// EnableAffectiveDialog lets native-audio models adapt their tone to
	// the user's. Gemini API only: any non-nil value (even false, which is
	// sent as such) is rejected on Vertex AI.
	EnableAffectiveDialog *bool

	// Proactivity lets native-audio models decide not to answer input that
	// is not meant for them (ProactiveAudio).
	Proactivity *genai.ProactivityConfig

	// SessionResumption, when set, makes the server send resumption
	// handles, which reach the caller on events
	// (LiveSessionResumptionUpdate): an application that keeps the newest
	// one can start a later run from it, with the server's context and
	// without resending the history. Handle starts the run from such an
	// earlier handle. Transparent (Vertex AI only) also makes the server
	// report which client messages it consumed, so that after a drop the
	// run resends exactly the messages the server did not consume. While
	// reconnection is on (see Reconnect) the run asks for handles even
	// when SessionResumption is nil, and resumes from the newest one after
	// a drop or a goAway.
	SessionResumption *genai.SessionResumptionConfig

	// ContextWindowCompression, when set, lets the server shrink the
	// context once it reaches TriggerTokens, down to
	// SlidingWindow.TargetTokens, so sessions can outlive the context
	// window.
	ContextWindowCompression *genai.ContextWindowCompressionConfig

	// ExplicitVADSignal asks the server to send voice activity detection
	// signals as events. Vertex AI only: true is rejected on the Gemini API.
	ExplicitVADSignal *bool

	// Temperature is the sampling temperature, in [0, 2].
	Temperature *float32
	// TopP is the nucleus sampling probability mass, in [0, 1].
	TopP *float32
	// TopK is the number of most likely tokens sampled from; not negative.
	TopK *float32
	// MaxOutputTokens limits the tokens of one answer; 0 means the model's
	// default.
	MaxOutputTokens int32
	// Seed makes sampling repeatable where the model supports it.
	Seed *int32
	// CandidateCount is the number of candidates per answer. A live
	// connection streams a single candidate, so only 0 (unset) and 1 are
	// accepted.
	CandidateCount int32
	// PresencePenalty penalises tokens already present in the answer, in
	// [-2, 2].
	PresencePenalty *float32
	// FrequencyPenalty penalises tokens by how often they occurred, in
	// [-2, 2].
	FrequencyPenalty *float32
	// ThinkingConfig configures thinking: a ThinkingBudget (-1 dynamic, 0
	// off) or a ThinkingLevel, not both; IncludeThoughts sends thought
	// summaries as events.
	ThinkingConfig *genai.ThinkingConfig
	// MediaResolution is the resolution at which images and video frames
	// are tokenised.
	MediaResolution genai.MediaResolution

	// SaveLiveBlob is meant to save the run's audio as artifacts and
	// persist events that reference them. Saving live audio as artifacts
	// is not implemented yet, so Validate rejects true; audio is streamed
	// to the caller and never persisted.
	SaveLiveBlob bool

	// MaxLLMCalls limits the model calls of one run: 0 means
	// DefaultMaxLLMCalls, a negative value (UnlimitedLLMCalls) means no
	// limit. In a live run the model makes a call whenever it starts a turn
	// (on the user's text, or when activity detection hears the user), so
	// each model turn counts as one call and a limit of N ends the run when
	// the model completes its Nth turn: that turn's turnComplete event is
	// yielded, nothing more is sent to the model, and the run ends with an
	// error (flow.ErrLLMCallsExceeded) saying the limit N was reached. See
	// LLMCallsExceeded.
	MaxLLMCalls int

	// CustomMetadata is copied onto every event of the run.
	CustomMetadata map[string]any

	// Reconnect is how the run reconnects after the connection drops or
	// the server sends goAway (the zero value means the defaults described
	// on ReconnectPolicy; Disabled ends the run with the connection's
	// error instead).
	Reconnect ReconnectPolicy

	// ConnectTimeout bounds one connection attempt (dial, setup and the
	// server's setupComplete). 0 means DefaultConnectTimeout; past it the
	// attempt fails like a dropped connection. Closing the queue ends a
	// run that is still connecting at once.
	ConnectTimeout time.Duration

	// WriteTimeout bounds one message write to the model. 0 means
	// DefaultWriteTimeout; a write blocked past it (a server that stopped
	// reading) drops the connection, which reconnects like any drop. It
	// is checked every half WriteTimeout, so a stuck write is noticed
	// between WriteTimeout and 1.5 × WriteTimeout after it started.
	WriteTimeout time.Duration

	// Keepalive is the interval at which an open connection is pinged; a
	// ping unanswered within one interval drops the connection. 0 means
	// DefaultKeepalive; negative turns pings off.
	Keepalive time.Duration

	// ToolGracePeriod is how long the end of a run waits for the tool
	// calls it cancelled. A tool still running after it is abandoned (its
	// goroutine is left to finish on its own) and reported with a
	// warning event and an error log record. 0 means
	// DefaultToolGracePeriod; negative means no wait at all.
	ToolGracePeriod time.Duration

	// MaxHeldAudioBytes bounds the audio held while the connection to the
	// model is down, to be delivered once it is back. Past it the oldest
	// held audio is dropped, and one warning event after the reconnection
	// says how much. 0 means DefaultMaxHeldAudioBytes; negative holds no
	// audio (text, images and signals are always held).
	MaxHeldAudioBytes int

	// SessionLimitWarning is how long before the service's session
	// duration limit (Gemini API: 15 minutes audio-only, 2 minutes with
	// video; Vertex AI: 10 minutes) a run whose ContextWindowCompression
	// is nil yields a warning event. 0 means DefaultSessionLimitWarning;
	// negative turns the warning off.
	SessionLimitWarning time.Duration

	// MaxConcurrentTools limits how many tool calls run at the same time;
	// further calls wait for a slot. 0 means no limit (every call of a turn
	// runs in parallel, like ADK); negative values are rejected.
	MaxConcurrentTools int
}

// WithDefaults returns a copy of c with every default filled in:
// ResponseModalities AUDIO when empty, MaxLLMCalls DefaultMaxLLMCalls when 0,
// and the Reconnect fields left at zero (see ReconnectPolicy.WithDefaults).
//
// The copy is deep: it shares no slice, map or pointer with c, so neither a
// later change to c nor a change to the copy affects the other. The values
// stored in CustomMetadata are copied when they are maps, slices or JSON-like
// trees of them; other values are copied as they are. WithDefaults is
// idempotent.
func (c RunConfig) WithDefaults() RunConfig {
	d := c.clone()
	if len(d.ResponseModalities) == 0 {
		d.ResponseModalities = []genai.Modality{genai.ModalityAudio}
	}
	if d.MaxLLMCalls == 0 {
		d.MaxLLMCalls = DefaultMaxLLMCalls
	}
	d.Reconnect = d.Reconnect.WithDefaults()
	d.boundsWithDefaults()
	return d
}

// ActivitySignalsAllowed reports whether the run accepts activity start and
// end signals from the application, that is whether
// RealtimeInputConfig.AutomaticActivityDetection.Disabled is true. With
// automatic activity detection on (the default) the server detects turns
// itself and rejects those signals.
func (c RunConfig) ActivitySignalsAllowed() bool {
	return c.RealtimeInputConfig != nil &&
		c.RealtimeInputConfig.AutomaticActivityDetection != nil &&
		c.RealtimeInputConfig.AutomaticActivityDetection.Disabled
}

// LLMCallsExceeded reports whether calls, the number of model calls of the
// run including the one about to be made, is over the run's limit: more than
// MaxLLMCalls, or than DefaultMaxLLMCalls when MaxLLMCalls is 0. A negative
// MaxLLMCalls never exceeds.
func (c RunConfig) LLMCallsExceeded(calls int) bool {
	limit := c.MaxLLMCalls
	switch {
	case limit < 0:
		return false
	case limit == 0:
		limit = DefaultMaxLLMCalls
	}
	return calls > limit
}

// ResponseModality returns the run's response modality: the first of
// ResponseModalities, or AUDIO when there is none.
func (c RunConfig) ResponseModality() genai.Modality {
	if len(c.ResponseModalities) == 0 {
		return genai.ModalityAudio
	}
	return c.ResponseModalities[0]
}
