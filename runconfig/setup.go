package runconfig

import "google.golang.org/genai"

// ApplyToSetup writes the run's live settings into the setup message s, with
// c's defaults filled in (see WithDefaults):
//
//   - into s.GenerationConfig: ResponseModalities, SpeechConfig,
//     EnableAffectiveDialog and the generation settings (Temperature to
//     MediaResolution);
//   - at the top level of s: RealtimeInputConfig, InputAudioTranscription,
//     OutputAudioTranscription, Proactivity, SessionResumption,
//     ContextWindowCompression and ExplicitVADSignal.
//
// Fields c leaves unset keep the value they have in s, so settings the
// caller put there (for example an agent's generation settings) are
// overridden only where c sets them. The model, system instruction and tools
// are the caller's to fill in. The Go-side settings (SaveLiveBlob,
// MaxLLMCalls, CustomMetadata, Reconnect, MaxConcurrentTools) are never
// written.
//
// Everything written is a deep copy: changing c after the call does not
// change s. s.GenerationConfig is replaced by an updated copy rather than
// modified in place, so a GenerationConfig the caller shares with other
// setups is left alone. ApplyToSetup does not validate; call Validate first.
func (c RunConfig) ApplyToSetup(s *genai.LiveClientSetup) {
	c = c.WithDefaults() // a deep copy: nothing below aliases the caller's c

	var gc genai.GenerationConfig
	if s.GenerationConfig != nil {
		gc = *s.GenerationConfig
	}
	gc.ResponseModalities = c.ResponseModalities
	setIfNotNil(&gc.SpeechConfig, c.SpeechConfig)
	setIfNotNil(&gc.EnableAffectiveDialog, c.EnableAffectiveDialog)
	setIfNotNil(&gc.Temperature, c.Temperature)
	setIfNotNil(&gc.TopP, c.TopP)
	setIfNotNil(&gc.TopK, c.TopK)
	setIfNotZero(&gc.MaxOutputTokens, c.MaxOutputTokens)
	setIfNotNil(&gc.Seed, c.Seed)
	setIfNotZero(&gc.CandidateCount, c.CandidateCount)
	setIfNotNil(&gc.PresencePenalty, c.PresencePenalty)
	setIfNotNil(&gc.FrequencyPenalty, c.FrequencyPenalty)
	setIfNotNil(&gc.ThinkingConfig, c.ThinkingConfig)
	setIfNotZero(&gc.MediaResolution, c.MediaResolution)
	s.GenerationConfig = &gc

	setIfNotNil(&s.RealtimeInputConfig, c.RealtimeInputConfig)
	setIfNotNil(&s.InputAudioTranscription, c.InputAudioTranscription)
	setIfNotNil(&s.OutputAudioTranscription, c.OutputAudioTranscription)
	setIfNotNil(&s.Proactivity, c.Proactivity)
	setIfNotNil(&s.SessionResumption, c.SessionResumption)
	setIfNotNil(&s.ContextWindowCompression, c.ContextWindowCompression)
	if c.ExplicitVADSignal != nil {
		s.ExplicitVADSignal = *c.ExplicitVADSignal
	}
}

// setIfNotNil sets *dst to v when v is not nil.
func setIfNotNil[T any](dst **T, v *T) {
	if v != nil {
		*dst = v
	}
}

// setIfNotZero sets *dst to v when v is not its type's zero value.
func setIfNotZero[T comparable](dst *T, v T) {
	var zero T
	if v != zero {
		*dst = v
	}
}
