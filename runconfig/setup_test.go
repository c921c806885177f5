package runconfig_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/runconfig"
)

// setupCase is one RunConfig field and the setup it must produce.
type setupCase struct {
	field string // the RunConfig field under test
	in    runconfig.RunConfig
	want  *genai.LiveClientSetup
}

// withAudio is the generation config every setup gets (the default
// modality) plus what the test case sets.
func withAudio(gc genai.GenerationConfig) *genai.GenerationConfig {
	gc.ResponseModalities = audio
	return &gc
}

// setupCases has one case per RunConfig field; TestApplyToSetupCoversEveryField
// checks none is missing.
func setupCases() []setupCase {
	goSide := &genai.LiveClientSetup{GenerationConfig: withAudio(genai.GenerationConfig{})}
	return []setupCase{
		{
			field: "ResponseModalities",
			in:    runconfig.RunConfig{ResponseModalities: text},
			want:  &genai.LiveClientSetup{GenerationConfig: &genai.GenerationConfig{ResponseModalities: text}},
		},
		{
			field: "SpeechConfig",
			in: runconfig.RunConfig{SpeechConfig: &genai.SpeechConfig{
				LanguageCode: "de-DE",
				VoiceConfig:  &genai.VoiceConfig{PrebuiltVoiceConfig: &genai.PrebuiltVoiceConfig{VoiceName: "Kore"}},
			}},
			want: &genai.LiveClientSetup{GenerationConfig: withAudio(genai.GenerationConfig{SpeechConfig: &genai.SpeechConfig{
				LanguageCode: "de-DE",
				VoiceConfig:  &genai.VoiceConfig{PrebuiltVoiceConfig: &genai.PrebuiltVoiceConfig{VoiceName: "Kore"}},
			}})},
		},
		{
			field: "InputAudioTranscription",
			in:    runconfig.RunConfig{InputAudioTranscription: &genai.AudioTranscriptionConfig{}},
			want: &genai.LiveClientSetup{
				GenerationConfig:        withAudio(genai.GenerationConfig{}),
				InputAudioTranscription: &genai.AudioTranscriptionConfig{},
			},
		},
		{
			field: "OutputAudioTranscription",
			in:    runconfig.RunConfig{OutputAudioTranscription: &genai.AudioTranscriptionConfig{LanguageCodes: []string{"it-IT"}}},
			want: &genai.LiveClientSetup{
				GenerationConfig:         withAudio(genai.GenerationConfig{}),
				OutputAudioTranscription: &genai.AudioTranscriptionConfig{LanguageCodes: []string{"it-IT"}},
			},
		},
		{
			field: "RealtimeInputConfig",
			in: runconfig.RunConfig{RealtimeInputConfig: &genai.RealtimeInputConfig{
				AutomaticActivityDetection: &genai.AutomaticActivityDetection{
					StartOfSpeechSensitivity: genai.StartSensitivityLow,
					EndOfSpeechSensitivity:   genai.EndSensitivityHigh,
					PrefixPaddingMs:          genai.Ptr[int32](20),
					SilenceDurationMs:        genai.Ptr[int32](500),
				},
				ActivityHandling: genai.ActivityHandlingNoInterruption,
				TurnCoverage:     genai.TurnCoverageTurnIncludesAllInput,
			}},
			want: &genai.LiveClientSetup{
				GenerationConfig: withAudio(genai.GenerationConfig{}),
				RealtimeInputConfig: &genai.RealtimeInputConfig{
					AutomaticActivityDetection: &genai.AutomaticActivityDetection{
						StartOfSpeechSensitivity: genai.StartSensitivityLow,
						EndOfSpeechSensitivity:   genai.EndSensitivityHigh,
						PrefixPaddingMs:          genai.Ptr[int32](20),
						SilenceDurationMs:        genai.Ptr[int32](500),
					},
					ActivityHandling: genai.ActivityHandlingNoInterruption,
					TurnCoverage:     genai.TurnCoverageTurnIncludesAllInput,
				},
			},
		},
		{
			field: "EnableAffectiveDialog",
			in:    runconfig.RunConfig{EnableAffectiveDialog: genai.Ptr(true)},
			want:  &genai.LiveClientSetup{GenerationConfig: withAudio(genai.GenerationConfig{EnableAffectiveDialog: genai.Ptr(true)})},
		},
		{
			field: "Proactivity",
			in:    runconfig.RunConfig{Proactivity: &genai.ProactivityConfig{ProactiveAudio: genai.Ptr(true)}},
			want: &genai.LiveClientSetup{
				GenerationConfig: withAudio(genai.GenerationConfig{}),
				Proactivity:      &genai.ProactivityConfig{ProactiveAudio: genai.Ptr(true)},
			},
		},
		{
			field: "SessionResumption",
			in:    runconfig.RunConfig{SessionResumption: &genai.SessionResumptionConfig{Handle: "h-1", Transparent: true}},
			want: &genai.LiveClientSetup{
				GenerationConfig:  withAudio(genai.GenerationConfig{}),
				SessionResumption: &genai.SessionResumptionConfig{Handle: "h-1", Transparent: true},
			},
		},
		{
			field: "ContextWindowCompression",
			in: runconfig.RunConfig{ContextWindowCompression: &genai.ContextWindowCompressionConfig{
				TriggerTokens: genai.Ptr[int64](25600), SlidingWindow: &genai.SlidingWindow{TargetTokens: genai.Ptr[int64](12800)},
			}},
			want: &genai.LiveClientSetup{
				GenerationConfig: withAudio(genai.GenerationConfig{}),
				ContextWindowCompression: &genai.ContextWindowCompressionConfig{
					TriggerTokens: genai.Ptr[int64](25600), SlidingWindow: &genai.SlidingWindow{TargetTokens: genai.Ptr[int64](12800)},
				},
			},
		},
		{
			field: "ExplicitVADSignal",
			in:    runconfig.RunConfig{ExplicitVADSignal: genai.Ptr(true)},
			want:  &genai.LiveClientSetup{GenerationConfig: withAudio(genai.GenerationConfig{}), ExplicitVADSignal: true},
		},
		{
			field: "Temperature",
			in:    runconfig.RunConfig{Temperature: genai.Ptr[float32](0.7)},
			want:  &genai.LiveClientSetup{GenerationConfig: withAudio(genai.GenerationConfig{Temperature: genai.Ptr[float32](0.7)})},
		},
		{
			field: "TopP",
			in:    runconfig.RunConfig{TopP: genai.Ptr[float32](0.9)},
			want:  &genai.LiveClientSetup{GenerationConfig: withAudio(genai.GenerationConfig{TopP: genai.Ptr[float32](0.9)})},
		},
		{
			field: "TopK",
			in:    runconfig.RunConfig{TopK: genai.Ptr[float32](40)},
			want:  &genai.LiveClientSetup{GenerationConfig: withAudio(genai.GenerationConfig{TopK: genai.Ptr[float32](40)})},
		},
		{
			field: "MaxOutputTokens",
			in:    runconfig.RunConfig{MaxOutputTokens: 256},
			want:  &genai.LiveClientSetup{GenerationConfig: withAudio(genai.GenerationConfig{MaxOutputTokens: 256})},
		},
		{
			field: "Seed",
			in:    runconfig.RunConfig{Seed: genai.Ptr[int32](42)},
			want:  &genai.LiveClientSetup{GenerationConfig: withAudio(genai.GenerationConfig{Seed: genai.Ptr[int32](42)})},
		},
		{
			field: "CandidateCount",
			in:    runconfig.RunConfig{CandidateCount: 1},
			want:  &genai.LiveClientSetup{GenerationConfig: withAudio(genai.GenerationConfig{CandidateCount: 1})},
		},
		{
			field: "PresencePenalty",
			in:    runconfig.RunConfig{PresencePenalty: genai.Ptr[float32](0.5)},
			want:  &genai.LiveClientSetup{GenerationConfig: withAudio(genai.GenerationConfig{PresencePenalty: genai.Ptr[float32](0.5)})},
		},
		{
			field: "FrequencyPenalty",
			in:    runconfig.RunConfig{FrequencyPenalty: genai.Ptr[float32](-0.5)},
			want:  &genai.LiveClientSetup{GenerationConfig: withAudio(genai.GenerationConfig{FrequencyPenalty: genai.Ptr[float32](-0.5)})},
		},
		{
			field: "ThinkingConfig",
			in:    runconfig.RunConfig{ThinkingConfig: &genai.ThinkingConfig{IncludeThoughts: true, ThinkingBudget: genai.Ptr[int32](1024)}},
			want: &genai.LiveClientSetup{GenerationConfig: withAudio(genai.GenerationConfig{
				ThinkingConfig: &genai.ThinkingConfig{IncludeThoughts: true, ThinkingBudget: genai.Ptr[int32](1024)},
			})},
		},
		{
			field: "MediaResolution",
			in:    runconfig.RunConfig{MediaResolution: genai.MediaResolutionLow},
			want:  &genai.LiveClientSetup{GenerationConfig: withAudio(genai.GenerationConfig{MediaResolution: genai.MediaResolutionLow})},
		},
		// The Go-side settings never reach the wire.
		{field: "SaveLiveBlob", in: runconfig.RunConfig{SaveLiveBlob: true}, want: goSide},
		{field: "MaxLLMCalls", in: runconfig.RunConfig{MaxLLMCalls: 9}, want: goSide},
		{field: "CustomMetadata", in: runconfig.RunConfig{CustomMetadata: map[string]any{"k": "v"}}, want: goSide},
		{field: "Reconnect", in: runconfig.RunConfig{Reconnect: runconfig.ReconnectPolicy{Disabled: true}}, want: goSide},
		{field: "MaxConcurrentTools", in: runconfig.RunConfig{MaxConcurrentTools: 4}, want: goSide},
		{field: "ConnectTimeout", in: runconfig.RunConfig{ConnectTimeout: time.Second}, want: goSide},
		{field: "WriteTimeout", in: runconfig.RunConfig{WriteTimeout: time.Second}, want: goSide},
		{field: "Keepalive", in: runconfig.RunConfig{Keepalive: time.Second}, want: goSide},
		{field: "ToolGracePeriod", in: runconfig.RunConfig{ToolGracePeriod: time.Second}, want: goSide},
		{field: "MaxHeldAudioBytes", in: runconfig.RunConfig{MaxHeldAudioBytes: 1}, want: goSide},
		{field: "SessionLimitWarning", in: runconfig.RunConfig{SessionLimitWarning: time.Second}, want: goSide},
	}
}

func TestApplyToSetup(t *testing.T) {
	for _, tt := range setupCases() {
		t.Run(tt.field, func(t *testing.T) {
			var got genai.LiveClientSetup
			tt.in.ApplyToSetup(&got)
			if diff := cmp.Diff(tt.want, &got); diff != "" {
				t.Errorf("ApplyToSetup() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestApplyToSetupCoversEveryField(t *testing.T) {
	covered := map[string]bool{}
	for _, tt := range setupCases() {
		covered[tt.field] = true
	}
	typ := reflect.TypeFor[runconfig.RunConfig]()
	for i := range typ.NumField() {
		if f := typ.Field(i); !covered[f.Name] {
			t.Errorf("RunConfig.%s has no ApplyToSetup test case", f.Name)
		}
	}
}

// TestApplyToSetupWire checks where a full config lands in the JSON setup
// message, against the shape in docs/PROTOCOL.md §3.
func TestApplyToSetupWire(t *testing.T) {
	c := runconfig.RunConfig{
		ResponseModalities:       audio,
		SpeechConfig:             &genai.SpeechConfig{VoiceConfig: &genai.VoiceConfig{PrebuiltVoiceConfig: &genai.PrebuiltVoiceConfig{VoiceName: "Kore"}}, LanguageCode: "en-US"},
		InputAudioTranscription:  &genai.AudioTranscriptionConfig{},
		OutputAudioTranscription: &genai.AudioTranscriptionConfig{},
		RealtimeInputConfig: &genai.RealtimeInputConfig{
			AutomaticActivityDetection: &genai.AutomaticActivityDetection{StartOfSpeechSensitivity: genai.StartSensitivityHigh, SilenceDurationMs: genai.Ptr[int32](500)},
			ActivityHandling:           genai.ActivityHandlingStartOfActivityInterrupts,
		},
		EnableAffectiveDialog:    genai.Ptr(true),
		Proactivity:              &genai.ProactivityConfig{ProactiveAudio: genai.Ptr(true)},
		SessionResumption:        &genai.SessionResumptionConfig{Handle: "abc"},
		ContextWindowCompression: &genai.ContextWindowCompressionConfig{TriggerTokens: genai.Ptr[int64](25600), SlidingWindow: &genai.SlidingWindow{TargetTokens: genai.Ptr[int64](12800)}},
		Temperature:              genai.Ptr[float32](0.5),
		ThinkingConfig:           &genai.ThinkingConfig{IncludeThoughts: true, ThinkingBudget: genai.Ptr[int32](1024)},
		MediaResolution:          genai.MediaResolutionMedium,
		MaxLLMCalls:              3,
		CustomMetadata:           map[string]any{"secret": "not on the wire"},
	}
	var s genai.LiveClientSetup
	c.ApplyToSetup(&s)
	got := jsonTree(t, &s)
	want := jsonTree(t, json.RawMessage(`{
		"generationConfig": {
			"responseModalities": ["AUDIO"],
			"temperature": 0.5,
			"mediaResolution": "MEDIA_RESOLUTION_MEDIUM",
			"speechConfig": {"voiceConfig": {"prebuiltVoiceConfig": {"voiceName": "Kore"}}, "languageCode": "en-US"},
			"thinkingConfig": {"includeThoughts": true, "thinkingBudget": 1024},
			"enableAffectiveDialog": true
		},
		"realtimeInputConfig": {
			"automaticActivityDetection": {"startOfSpeechSensitivity": "START_SENSITIVITY_HIGH", "silenceDurationMs": 500},
			"activityHandling": "START_OF_ACTIVITY_INTERRUPTS"
		},
		"inputAudioTranscription": {},
		"outputAudioTranscription": {},
		"sessionResumption": {"handle": "abc"},
		"contextWindowCompression": {"triggerTokens": "25600", "slidingWindow": {"targetTokens": "12800"}},
		"proactivity": {"proactiveAudio": true}
	}`))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("setup JSON mismatch (-want +got):\n%s", diff)
	}
}

func jsonTree(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := json.Unmarshal(b, &tree); err != nil {
		t.Fatal(err)
	}
	return tree
}

// TestApplyToSetupMerges checks that fields the RunConfig leaves unset keep
// what the caller already put in the setup, and that the caller's
// GenerationConfig is not modified in place.
func TestApplyToSetupMerges(t *testing.T) {
	agentGen := &genai.GenerationConfig{Temperature: genai.Ptr[float32](0.2), TopP: genai.Ptr[float32](0.8), StopSequences: []string{"END"}}
	s := genai.LiveClientSetup{
		Model:             "models/m",
		GenerationConfig:  agentGen,
		SystemInstruction: genai.NewContentFromText("be brief", "system"),
		Tools:             []*genai.Tool{{GoogleSearch: &genai.GoogleSearch{}}},
		Proactivity:       &genai.ProactivityConfig{ProactiveAudio: genai.Ptr(true)},
		ExplicitVADSignal: true,
	}
	c := runconfig.RunConfig{ResponseModalities: text, Temperature: genai.Ptr[float32](0.9), ExplicitVADSignal: genai.Ptr(false)}
	c.ApplyToSetup(&s)

	want := genai.LiveClientSetup{
		Model: "models/m",
		GenerationConfig: &genai.GenerationConfig{
			ResponseModalities: text,
			Temperature:        genai.Ptr[float32](0.9),
			TopP:               genai.Ptr[float32](0.8),
			StopSequences:      []string{"END"},
		},
		SystemInstruction: genai.NewContentFromText("be brief", "system"),
		Tools:             []*genai.Tool{{GoogleSearch: &genai.GoogleSearch{}}},
		Proactivity:       &genai.ProactivityConfig{ProactiveAudio: genai.Ptr(true)},
		ExplicitVADSignal: false,
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("merged setup mismatch (-want +got):\n%s", diff)
	}
	wantAgentGen := &genai.GenerationConfig{Temperature: genai.Ptr[float32](0.2), TopP: genai.Ptr[float32](0.8), StopSequences: []string{"END"}}
	if diff := cmp.Diff(wantAgentGen, agentGen); diff != "" {
		t.Errorf("ApplyToSetup modified the caller's GenerationConfig (-want +got):\n%s", diff)
	}
}

func BenchmarkApplyToSetup(b *testing.B) {
	c := runconfig.RunConfig{
		ResponseModalities:      audio,
		SpeechConfig:            &genai.SpeechConfig{VoiceConfig: &genai.VoiceConfig{PrebuiltVoiceConfig: &genai.PrebuiltVoiceConfig{VoiceName: "Kore"}}},
		InputAudioTranscription: &genai.AudioTranscriptionConfig{},
		RealtimeInputConfig:     &genai.RealtimeInputConfig{AutomaticActivityDetection: &genai.AutomaticActivityDetection{SilenceDurationMs: genai.Ptr[int32](500)}},
		SessionResumption:       &genai.SessionResumptionConfig{Handle: "h"},
		CustomMetadata:          map[string]any{"a": 1, "b": []any{"x", "y"}},
		Reconnect:               runconfig.ReconnectPolicy{MaxBackoff: time.Minute},
	}
	b.ReportAllocs()
	for b.Loop() {
		var s genai.LiveClientSetup
		c.ApplyToSetup(&s)
	}
}
