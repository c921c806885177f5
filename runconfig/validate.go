package runconfig

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"google.golang.org/genai"
)

// Validate reports the settings of c that are invalid on backend, before
// anything is dialled. It returns nil when c is valid, one *FieldError when
// one thing is wrong, and the errors.Join of several *FieldError values
// otherwise; every error matches ErrInvalid with errors.Is.
//
// Validate rejects what is certainly wrong:
//
//   - more than one response modality, or one other than AUDIO and TEXT;
//   - settings the backend does not have: SessionResumption.Transparent and
//     a true ExplicitVADSignal on the Gemini API, a non-nil
//     EnableAffectiveDialog on Vertex AI, and SpeechConfig's
//     MultiSpeakerVoiceConfig on both;
//   - numbers out of their range (negative durations, token counts and
//     limits; Temperature outside [0, 2]; TopP outside [0, 1]; penalties
//     outside [-2, 2]; CandidateCount above 1; NaN or infinite values);
//   - enum values genai does not define (sensitivities, ActivityHandling,
//     TurnCoverage, MediaResolution, ThinkingLevel);
//   - both ThinkingBudget and ThinkingLevel;
//   - a ContextWindowCompression target not below its trigger;
//   - a Reconnect policy that cannot work (negative values, a Multiplier
//     below 1, a Jitter above 1, a maximum backoff below the initial one);
//   - SaveLiveBlob set: saving live audio as artifacts is not implemented
//     yet.
//
// Combinations that are merely useless are left to the server, which ignores
// them: OutputAudioTranscription, SpeechConfig, EnableAffectiveDialog or
// Proactivity with TEXT answers; VAD sensitivities with automatic activity
// detection disabled.
//
// genai.BackendVertexAI and genai.BackendEnterprise are Vertex AI.
// genai.BackendUnspecified skips the checks that depend on the backend, for
// callers that do not know it (an in-process fake model, for example).
func (c RunConfig) Validate(backend genai.Backend) error {
	v := &validator{}
	switch backend {
	case genai.BackendUnspecified, genai.BackendGeminiAPI, genai.BackendVertexAI, genai.BackendEnterprise:
	default:
		v.errs = append(v.errs, fmt.Errorf("runconfig: unknown backend %d: %w", int(backend), ErrInvalid))
	}
	gemini := backend == genai.BackendGeminiAPI
	vertex := backend == genai.BackendVertexAI || backend == genai.BackendEnterprise

	v.responseModalities(c.ResponseModalities)
	if c.SpeechConfig != nil && c.SpeechConfig.MultiSpeakerVoiceConfig != nil {
		v.add("SpeechConfig.MultiSpeakerVoiceConfig", "not supported by live models; use VoiceConfig for a single voice")
	}
	v.realtimeInputConfig(c.RealtimeInputConfig)
	if vertex && c.EnableAffectiveDialog != nil {
		v.add("EnableAffectiveDialog", "not supported on Vertex AI (leave it nil: even false is sent)")
	}
	if gemini && c.SessionResumption != nil && c.SessionResumption.Transparent {
		v.add("SessionResumption.Transparent", "only supported on Vertex AI, not on the Gemini API")
	}
	v.contextWindowCompression(c.ContextWindowCompression)
	if gemini && c.ExplicitVADSignal != nil && *c.ExplicitVADSignal {
		v.add("ExplicitVADSignal", "only supported on Vertex AI, not on the Gemini API")
	}

	v.float32Range("Temperature", c.Temperature, 0, 2)
	v.float32Range("TopP", c.TopP, 0, 1)
	v.float32Range("TopK", c.TopK, 0, math.MaxFloat32)
	if c.MaxOutputTokens < 0 {
		v.add("MaxOutputTokens", fmt.Sprintf("must not be negative, got %d", c.MaxOutputTokens))
	}
	switch {
	case c.CandidateCount < 0:
		v.add("CandidateCount", fmt.Sprintf("must not be negative, got %d", c.CandidateCount))
	case c.CandidateCount > 1:
		v.add("CandidateCount", fmt.Sprintf("a live connection streams one candidate, got %d", c.CandidateCount))
	}
	v.float32Range("PresencePenalty", c.PresencePenalty, -2, 2)
	v.float32Range("FrequencyPenalty", c.FrequencyPenalty, -2, 2)
	v.thinkingConfig(c.ThinkingConfig)
	checkEnum(v, "MediaResolution", c.MediaResolution, genai.MediaResolutionUnspecified,
		genai.MediaResolutionLow, genai.MediaResolutionMedium, genai.MediaResolutionHigh)

	if c.SaveLiveBlob {
		v.add("SaveLiveBlob", "saving live audio as artifacts is not implemented yet; leave it false")
	}
	if c.MaxConcurrentTools < 0 {
		v.add("MaxConcurrentTools", fmt.Sprintf("must not be negative (0 means no limit), got %d", c.MaxConcurrentTools))
	}
	v.reconnect(c.Reconnect)
	v.bounds(c)
	return errors.Join(v.errs...)
}

// validator collects the problems Validate finds.
type validator struct {
	errs []error
}

func (v *validator) add(field, problem string) {
	v.errs = append(v.errs, &FieldError{Field: field, Problem: problem})
}

func (v *validator) responseModalities(ms []genai.Modality) {
	const field = "ResponseModalities"
	if len(ms) > 1 {
		v.add(field, fmt.Sprintf("want exactly one modality, got %v", ms))
		return
	}
	if len(ms) == 1 && ms[0] != genai.ModalityAudio && ms[0] != genai.ModalityText {
		v.add(field, fmt.Sprintf("modality %q is not supported by live models; want AUDIO or TEXT", ms[0]))
	}
}

func (v *validator) realtimeInputConfig(c *genai.RealtimeInputConfig) {
	if c == nil {
		return
	}
	if a := c.AutomaticActivityDetection; a != nil {
		const prefix = "RealtimeInputConfig.AutomaticActivityDetection."
		checkEnum(v, prefix+"StartOfSpeechSensitivity", a.StartOfSpeechSensitivity,
			genai.StartSensitivityUnspecified, genai.StartSensitivityHigh, genai.StartSensitivityLow)
		checkEnum(v, prefix+"EndOfSpeechSensitivity", a.EndOfSpeechSensitivity,
			genai.EndSensitivityUnspecified, genai.EndSensitivityHigh, genai.EndSensitivityLow)
		if a.PrefixPaddingMs != nil && *a.PrefixPaddingMs < 0 {
			v.add(prefix+"PrefixPaddingMs", fmt.Sprintf("must not be negative, got %d", *a.PrefixPaddingMs))
		}
		if a.SilenceDurationMs != nil && *a.SilenceDurationMs < 0 {
			v.add(prefix+"SilenceDurationMs", fmt.Sprintf("must not be negative, got %d", *a.SilenceDurationMs))
		}
	}
	checkEnum(v, "RealtimeInputConfig.ActivityHandling", c.ActivityHandling, genai.ActivityHandlingUnspecified,
		genai.ActivityHandlingStartOfActivityInterrupts, genai.ActivityHandlingNoInterruption)
	checkEnum(v, "RealtimeInputConfig.TurnCoverage", c.TurnCoverage, genai.TurnCoverageUnspecified,
		genai.TurnCoverageTurnIncludesOnlyActivity, genai.TurnCoverageTurnIncludesAllInput,
		genai.TurnCoverageTurnIncludesAudioActivityAndAllVideo)
}

func (v *validator) contextWindowCompression(c *genai.ContextWindowCompressionConfig) {
	if c == nil {
		return
	}
	if c.TriggerTokens != nil && *c.TriggerTokens < 0 {
		v.add("ContextWindowCompression.TriggerTokens", fmt.Sprintf("must not be negative, got %d", *c.TriggerTokens))
	}
	if c.SlidingWindow == nil || c.SlidingWindow.TargetTokens == nil {
		return
	}
	target := *c.SlidingWindow.TargetTokens
	switch {
	case target < 0:
		v.add("ContextWindowCompression.SlidingWindow.TargetTokens", fmt.Sprintf("must not be negative, got %d", target))
	case c.TriggerTokens != nil && *c.TriggerTokens >= 0 && target >= *c.TriggerTokens:
		v.add("ContextWindowCompression.SlidingWindow.TargetTokens",
			fmt.Sprintf("must be below TriggerTokens (%d), got %d", *c.TriggerTokens, target))
	}
}

func (v *validator) thinkingConfig(c *genai.ThinkingConfig) {
	if c == nil {
		return
	}
	if c.ThinkingBudget != nil && *c.ThinkingBudget < -1 {
		v.add("ThinkingConfig.ThinkingBudget", fmt.Sprintf("must be -1 (dynamic), 0 (off) or positive, got %d", *c.ThinkingBudget))
	}
	checkEnum(v, "ThinkingConfig.ThinkingLevel", c.ThinkingLevel, genai.ThinkingLevelUnspecified,
		genai.ThinkingLevelMinimal, genai.ThinkingLevelLow, genai.ThinkingLevelMedium, genai.ThinkingLevelHigh)
	if c.ThinkingBudget != nil && c.ThinkingLevel != "" {
		v.add("ThinkingConfig", "set ThinkingBudget or ThinkingLevel, not both")
	}
}

func (v *validator) reconnect(p ReconnectPolicy) {
	if p.MaxAttempts < 0 {
		v.add("Reconnect.MaxAttempts", fmt.Sprintf("must not be negative (set Disabled to turn reconnection off), got %d", p.MaxAttempts))
	}
	v.notNegative("Reconnect.InitialBackoff", p.InitialBackoff, "")
	v.notNegative("Reconnect.MaxBackoff", p.MaxBackoff, "")
	v.notNegative("Reconnect.QuotaInitialBackoff", p.QuotaInitialBackoff, "")
	v.notNegative("Reconnect.QuotaMaxBackoff", p.QuotaMaxBackoff, "")
	if p.Multiplier != 0 && (!(p.Multiplier >= 1) || math.IsInf(p.Multiplier, 0)) {
		v.add("Reconnect.Multiplier", fmt.Sprintf("must be at least 1 and finite (0 means %v), got %v", DefaultBackoffMultiplier, p.Multiplier))
	}
	if p.Jitter != NoJitter && !(p.Jitter >= 0 && p.Jitter <= 1) {
		v.add("Reconnect.Jitter", fmt.Sprintf("must be in [0, 1] or NoJitter, got %v", p.Jitter))
	}
	if p.InitialBackoff > 0 && p.MaxBackoff > 0 && p.MaxBackoff < p.InitialBackoff {
		v.add("Reconnect.MaxBackoff", fmt.Sprintf("must not be below InitialBackoff (%v), got %v", p.InitialBackoff, p.MaxBackoff))
	}
	if p.QuotaInitialBackoff > 0 && p.QuotaMaxBackoff > 0 && p.QuotaMaxBackoff < p.QuotaInitialBackoff {
		v.add("Reconnect.QuotaMaxBackoff", fmt.Sprintf("must not be below QuotaInitialBackoff (%v), got %v", p.QuotaInitialBackoff, p.QuotaMaxBackoff))
	}
}

// float32Range reports a non-nil *p that is not a finite number in
// [lo, hi].
func (v *validator) float32Range(field string, p *float32, lo, hi float32) {
	if p == nil {
		return
	}
	x := float64(*p)
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		v.add(field, fmt.Sprintf("must be a finite number, got %v", *p))
	case x < float64(lo) || x > float64(hi):
		if hi == math.MaxFloat32 {
			v.add(field, fmt.Sprintf("must not be negative, got %v", *p))
		} else {
			v.add(field, fmt.Sprintf("must be in [%v, %v], got %v", lo, hi, *p))
		}
	}
}

// checkEnum reports to v a non-empty value that is not one of valid.
func checkEnum[T ~string](v *validator, field string, value T, valid ...T) {
	if value == "" || slices.Contains(valid, value) {
		return
	}
	names := make([]string, len(valid))
	for i, n := range valid {
		names[i] = string(n)
	}
	v.add(field, fmt.Sprintf("unknown value %q; want one of %s", value, strings.Join(names, ", ")))
}
