package runconfig

import (
	"slices"

	"google.golang.org/genai"
)

// clone returns a deep copy of c that shares no slice, map or pointer with
// it. CustomMetadata values are copied by cloneMetadataValue.
func (c RunConfig) clone() RunConfig {
	d := c // copies every value field; the rest is replaced below
	d.ResponseModalities = slices.Clone(c.ResponseModalities)
	d.SpeechConfig = cloneSpeechConfig(c.SpeechConfig)
	d.InputAudioTranscription = cloneAudioTranscriptionConfig(c.InputAudioTranscription)
	d.OutputAudioTranscription = cloneAudioTranscriptionConfig(c.OutputAudioTranscription)
	d.RealtimeInputConfig = cloneRealtimeInputConfig(c.RealtimeInputConfig)
	d.EnableAffectiveDialog = clonePtr(c.EnableAffectiveDialog)
	d.Proactivity = cloneProactivityConfig(c.Proactivity)
	d.SessionResumption = clonePtr(c.SessionResumption)
	d.ContextWindowCompression = cloneContextWindowCompression(c.ContextWindowCompression)
	d.ExplicitVADSignal = clonePtr(c.ExplicitVADSignal)
	d.Temperature = clonePtr(c.Temperature)
	d.TopP = clonePtr(c.TopP)
	d.TopK = clonePtr(c.TopK)
	d.Seed = clonePtr(c.Seed)
	d.PresencePenalty = clonePtr(c.PresencePenalty)
	d.FrequencyPenalty = clonePtr(c.FrequencyPenalty)
	d.ThinkingConfig = cloneThinkingConfig(c.ThinkingConfig)
	if c.CustomMetadata != nil {
		d.CustomMetadata = make(map[string]any, len(c.CustomMetadata))
		for k, v := range c.CustomMetadata {
			d.CustomMetadata[k] = cloneMetadataValue(v)
		}
	}
	return d
}

// clonePtr returns a pointer to a copy of *p, or nil. It is a deep copy only
// for types without pointers, slices or maps inside.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// cloneMetadataValue deep-copies the JSON-like trees (maps of string to any,
// slices of any, byte slices) an application typically stores in
// CustomMetadata. Other values are returned as they are.
func cloneMetadataValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if v == nil {
			return v
		}
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = cloneMetadataValue(e)
		}
		return m
	case []any:
		if v == nil {
			return v
		}
		s := make([]any, len(v))
		for i, e := range v {
			s[i] = cloneMetadataValue(e)
		}
		return s
	case map[string]string:
		if v == nil {
			return v
		}
		m := make(map[string]string, len(v))
		for k, e := range v {
			m[k] = e
		}
		return m
	case []string:
		return slices.Clone(v)
	case []byte:
		return slices.Clone(v)
	default:
		return v
	}
}

func cloneSpeechConfig(p *genai.SpeechConfig) *genai.SpeechConfig {
	if p == nil {
		return nil
	}
	c := *p
	c.VoiceConfig = cloneVoiceConfig(p.VoiceConfig)
	if p.MultiSpeakerVoiceConfig != nil {
		m := *p.MultiSpeakerVoiceConfig
		m.SpeakerVoiceConfigs = cloneEach(p.MultiSpeakerVoiceConfig.SpeakerVoiceConfigs, func(s *genai.SpeakerVoiceConfig) *genai.SpeakerVoiceConfig {
			c := *s
			c.VoiceConfig = cloneVoiceConfig(s.VoiceConfig)
			return &c
		})
		c.MultiSpeakerVoiceConfig = &m
	}
	return &c
}

func cloneVoiceConfig(p *genai.VoiceConfig) *genai.VoiceConfig {
	if p == nil {
		return nil
	}
	c := *p
	c.PrebuiltVoiceConfig = clonePtr(p.PrebuiltVoiceConfig)
	if p.ReplicatedVoiceConfig != nil {
		r := *p.ReplicatedVoiceConfig
		r.VoiceSampleAudio = slices.Clone(r.VoiceSampleAudio)
		r.ConsentAudio = slices.Clone(r.ConsentAudio)
		r.VoiceConsentSignature = clonePtr(r.VoiceConsentSignature)
		c.ReplicatedVoiceConfig = &r
	}
	return &c
}

func cloneAudioTranscriptionConfig(p *genai.AudioTranscriptionConfig) *genai.AudioTranscriptionConfig {
	if p == nil {
		return nil
	}
	c := *p
	c.LanguageCodes = slices.Clone(p.LanguageCodes)
	c.LanguageAuto = clonePtr(p.LanguageAuto)
	if p.LanguageHints != nil {
		h := *p.LanguageHints
		h.LanguageCodes = slices.Clone(h.LanguageCodes)
		c.LanguageHints = &h
	}
	c.CustomVocabulary = slices.Clone(p.CustomVocabulary)
	c.AdaptationPhrases = slices.Clone(p.AdaptationPhrases)
	c.Diarization = clonePtr(p.Diarization)
	c.WordTimestamp = clonePtr(p.WordTimestamp)
	return &c
}

func cloneRealtimeInputConfig(p *genai.RealtimeInputConfig) *genai.RealtimeInputConfig {
	if p == nil {
		return nil
	}
	c := *p
	if p.AutomaticActivityDetection != nil {
		a := *p.AutomaticActivityDetection
		a.PrefixPaddingMs = clonePtr(a.PrefixPaddingMs)
		a.SilenceDurationMs = clonePtr(a.SilenceDurationMs)
		c.AutomaticActivityDetection = &a
	}
	c.InterimTranscriptTimestampEnabled = clonePtr(p.InterimTranscriptTimestampEnabled)
	return &c
}

func cloneProactivityConfig(p *genai.ProactivityConfig) *genai.ProactivityConfig {
	if p == nil {
		return nil
	}
	c := *p
	c.ProactiveAudio = clonePtr(p.ProactiveAudio)
	return &c
}

func cloneContextWindowCompression(p *genai.ContextWindowCompressionConfig) *genai.ContextWindowCompressionConfig {
	if p == nil {
		return nil
	}
	c := *p
	c.TriggerTokens = clonePtr(p.TriggerTokens)
	if p.SlidingWindow != nil {
		w := *p.SlidingWindow
		w.TargetTokens = clonePtr(w.TargetTokens)
		c.SlidingWindow = &w
	}
	return &c
}

func cloneThinkingConfig(p *genai.ThinkingConfig) *genai.ThinkingConfig {
	if p == nil {
		return nil
	}
	c := *p
	c.ThinkingBudget = clonePtr(p.ThinkingBudget)
	return &c
}

// cloneEach returns a new slice holding f of each element of s (nil
// elements stay nil), or nil for a nil s.
func cloneEach[T any](s []*T, f func(*T) *T) []*T {
	if s == nil {
		return nil
	}
	out := make([]*T, len(s))
	for i, e := range s {
		if e != nil {
			out[i] = f(e)
		}
	}
	return out
}
