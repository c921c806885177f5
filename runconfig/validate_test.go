package runconfig_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/runconfig"
)

var backends = []genai.Backend{genai.BackendGeminiAPI, genai.BackendVertexAI, genai.BackendEnterprise, genai.BackendUnspecified}

// fullConfig sets every field to a valid value usable on both backends.
func fullConfig() runconfig.RunConfig {
	return runconfig.RunConfig{
		ResponseModalities:       audio,
		SpeechConfig:             &genai.SpeechConfig{VoiceConfig: &genai.VoiceConfig{PrebuiltVoiceConfig: &genai.PrebuiltVoiceConfig{VoiceName: "Puck"}}, LanguageCode: "en-US"},
		InputAudioTranscription:  &genai.AudioTranscriptionConfig{},
		OutputAudioTranscription: &genai.AudioTranscriptionConfig{},
		RealtimeInputConfig: &genai.RealtimeInputConfig{
			AutomaticActivityDetection: &genai.AutomaticActivityDetection{
				StartOfSpeechSensitivity: genai.StartSensitivityLow,
				EndOfSpeechSensitivity:   genai.EndSensitivityLow,
				PrefixPaddingMs:          genai.Ptr[int32](0),
				SilenceDurationMs:        genai.Ptr[int32](800),
			},
			ActivityHandling: genai.ActivityHandlingNoInterruption,
			TurnCoverage:     genai.TurnCoverageTurnIncludesOnlyActivity,
		},
		Proactivity:              &genai.ProactivityConfig{ProactiveAudio: genai.Ptr(true)},
		SessionResumption:        &genai.SessionResumptionConfig{Handle: "handle-from-earlier-run"},
		ContextWindowCompression: &genai.ContextWindowCompressionConfig{TriggerTokens: genai.Ptr[int64](25600), SlidingWindow: &genai.SlidingWindow{TargetTokens: genai.Ptr[int64](12800)}},
		Temperature:              genai.Ptr[float32](2),
		TopP:                     genai.Ptr[float32](1),
		TopK:                     genai.Ptr[float32](40),
		MaxOutputTokens:          1024,
		Seed:                     genai.Ptr[int32](-7),
		CandidateCount:           1,
		PresencePenalty:          genai.Ptr[float32](-2),
		FrequencyPenalty:         genai.Ptr[float32](2),
		ThinkingConfig:           &genai.ThinkingConfig{IncludeThoughts: true, ThinkingBudget: genai.Ptr[int32](-1)},
		MediaResolution:          genai.MediaResolutionHigh,
		MaxLLMCalls:              runconfig.UnlimitedLLMCalls,
		CustomMetadata:           map[string]any{"tier": "gold"},
		Reconnect: runconfig.ReconnectPolicy{
			MaxAttempts: 3, InitialBackoff: time.Second, MaxBackoff: time.Second, Multiplier: 1,
			Jitter: 1, QuotaInitialBackoff: 10 * time.Second, QuotaMaxBackoff: time.Minute,
		},
		MaxConcurrentTools: 8,
	}
}

func TestValidateAccepts(t *testing.T) {
	vertexOnly := fullConfig()
	vertexOnly.SessionResumption.Transparent = true
	vertexOnly.ExplicitVADSignal = genai.Ptr(true)

	geminiOnly := fullConfig()
	geminiOnly.EnableAffectiveDialog = genai.Ptr(true)

	textWithAudioSettings := fullConfig()
	textWithAudioSettings.ResponseModalities = text // audio-only settings are left to the server

	noJitter := runconfig.RunConfig{Reconnect: runconfig.ReconnectPolicy{Jitter: runconfig.NoJitter, Disabled: true}}
	manualVAD := runconfig.RunConfig{RealtimeInputConfig: &genai.RealtimeInputConfig{
		AutomaticActivityDetection: &genai.AutomaticActivityDetection{Disabled: true},
	}}
	thinkingLevel := runconfig.RunConfig{ThinkingConfig: &genai.ThinkingConfig{ThinkingLevel: genai.ThinkingLevelLow}}

	tests := []struct {
		name     string
		c        runconfig.RunConfig
		backends []genai.Backend
	}{
		{"zero value", runconfig.RunConfig{}, backends},
		{"zero value with defaults", runconfig.RunConfig{}.WithDefaults(), backends},
		{"full config", fullConfig(), backends},
		{"full config with defaults", fullConfig().WithDefaults(), backends},
		{"text modality with audio settings", textWithAudioSettings, backends},
		{"vertex-only settings", vertexOnly, []genai.Backend{genai.BackendVertexAI, genai.BackendEnterprise, genai.BackendUnspecified}},
		{"gemini-only settings", geminiOnly, []genai.Backend{genai.BackendGeminiAPI, genai.BackendUnspecified}},
		{"explicit VAD signal false on Gemini", runconfig.RunConfig{ExplicitVADSignal: genai.Ptr(false)}, backends},
		{"no jitter", noJitter, backends},
		{"manual activity detection", manualVAD, backends},
		{"thinking level", thinkingLevel, backends},
	}
	for _, tt := range tests {
		for _, b := range tt.backends {
			t.Run(tt.name+"/"+backendName(b), func(t *testing.T) {
				if err := tt.c.Validate(b); err != nil {
					t.Errorf("Validate(%v) = %v, want nil", b, err)
				}
			})
		}
	}
}

// backendName tells the backends apart in test names (Backend.String
// calls BackendEnterprise "BackendUnspecified").
func backendName(b genai.Backend) string {
	if b == genai.BackendEnterprise {
		return "BackendEnterprise"
	}
	return b.String()
}

func TestValidateRejects(t *testing.T) {
	aad := func(a genai.AutomaticActivityDetection) runconfig.RunConfig {
		return runconfig.RunConfig{RealtimeInputConfig: &genai.RealtimeInputConfig{AutomaticActivityDetection: &a}}
	}
	cwc := func(trigger, target *int64) runconfig.RunConfig {
		c := &genai.ContextWindowCompressionConfig{TriggerTokens: trigger}
		if target != nil {
			c.SlidingWindow = &genai.SlidingWindow{TargetTokens: target}
		}
		return runconfig.RunConfig{ContextWindowCompression: c}
	}
	reconnect := func(p runconfig.ReconnectPolicy) runconfig.RunConfig { return runconfig.RunConfig{Reconnect: p} }
	f32 := genai.Ptr[float32]
	i64 := genai.Ptr[int64]
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))

	tests := []struct {
		name       string
		c          runconfig.RunConfig
		backend    genai.Backend
		wantFields []string
	}{
		{"two modalities", runconfig.RunConfig{ResponseModalities: []genai.Modality{genai.ModalityText, genai.ModalityAudio}}, genai.BackendGeminiAPI, []string{"ResponseModalities"}},
		{"same modality twice", runconfig.RunConfig{ResponseModalities: []genai.Modality{genai.ModalityAudio, genai.ModalityAudio}}, genai.BackendVertexAI, []string{"ResponseModalities"}},
		{"image modality", runconfig.RunConfig{ResponseModalities: []genai.Modality{genai.ModalityImage}}, genai.BackendGeminiAPI, []string{"ResponseModalities"}},
		{"misspelt modality", runconfig.RunConfig{ResponseModalities: []genai.Modality{"audio"}}, genai.BackendGeminiAPI, []string{"ResponseModalities"}},
		{"multi-speaker voice", runconfig.RunConfig{SpeechConfig: &genai.SpeechConfig{MultiSpeakerVoiceConfig: &genai.MultiSpeakerVoiceConfig{}}}, genai.BackendGeminiAPI, []string{"SpeechConfig.MultiSpeakerVoiceConfig"}},
		{"transparent resumption on Gemini", runconfig.RunConfig{SessionResumption: &genai.SessionResumptionConfig{Transparent: true}}, genai.BackendGeminiAPI, []string{"SessionResumption.Transparent"}},
		{"explicit VAD signal on Gemini", runconfig.RunConfig{ExplicitVADSignal: genai.Ptr(true)}, genai.BackendGeminiAPI, []string{"ExplicitVADSignal"}},
		{"affective dialog on Vertex", runconfig.RunConfig{EnableAffectiveDialog: genai.Ptr(true)}, genai.BackendVertexAI, []string{"EnableAffectiveDialog"}},
		{"affective dialog false on Vertex", runconfig.RunConfig{EnableAffectiveDialog: genai.Ptr(false)}, genai.BackendVertexAI, []string{"EnableAffectiveDialog"}},
		{"affective dialog on Enterprise", runconfig.RunConfig{EnableAffectiveDialog: genai.Ptr(true)}, genai.BackendEnterprise, []string{"EnableAffectiveDialog"}},
		{"negative prefix padding", aad(genai.AutomaticActivityDetection{PrefixPaddingMs: genai.Ptr[int32](-1)}), genai.BackendGeminiAPI, []string{"RealtimeInputConfig.AutomaticActivityDetection.PrefixPaddingMs"}},
		{"negative silence duration", aad(genai.AutomaticActivityDetection{SilenceDurationMs: genai.Ptr[int32](-500)}), genai.BackendGeminiAPI, []string{"RealtimeInputConfig.AutomaticActivityDetection.SilenceDurationMs"}},
		{"unknown start sensitivity", aad(genai.AutomaticActivityDetection{StartOfSpeechSensitivity: "HIGH"}), genai.BackendGeminiAPI, []string{"RealtimeInputConfig.AutomaticActivityDetection.StartOfSpeechSensitivity"}},
		{"unknown end sensitivity", aad(genai.AutomaticActivityDetection{EndOfSpeechSensitivity: "START_SENSITIVITY_LOW"}), genai.BackendGeminiAPI, []string{"RealtimeInputConfig.AutomaticActivityDetection.EndOfSpeechSensitivity"}},
		{"unknown activity handling", runconfig.RunConfig{RealtimeInputConfig: &genai.RealtimeInputConfig{ActivityHandling: "INTERRUPT"}}, genai.BackendGeminiAPI, []string{"RealtimeInputConfig.ActivityHandling"}},
		{"unknown turn coverage", runconfig.RunConfig{RealtimeInputConfig: &genai.RealtimeInputConfig{TurnCoverage: "ALL"}}, genai.BackendGeminiAPI, []string{"RealtimeInputConfig.TurnCoverage"}},
		{"negative trigger tokens", cwc(i64(-1), nil), genai.BackendGeminiAPI, []string{"ContextWindowCompression.TriggerTokens"}},
		{"negative target tokens", cwc(nil, i64(-1)), genai.BackendGeminiAPI, []string{"ContextWindowCompression.SlidingWindow.TargetTokens"}},
		{"target equal to trigger", cwc(i64(1000), i64(1000)), genai.BackendGeminiAPI, []string{"ContextWindowCompression.SlidingWindow.TargetTokens"}},
		{"target above trigger", cwc(i64(1000), i64(2000)), genai.BackendVertexAI, []string{"ContextWindowCompression.SlidingWindow.TargetTokens"}},
		{"temperature below 0", runconfig.RunConfig{Temperature: f32(-0.1)}, genai.BackendGeminiAPI, []string{"Temperature"}},
		{"temperature above 2", runconfig.RunConfig{Temperature: f32(2.5)}, genai.BackendGeminiAPI, []string{"Temperature"}},
		{"temperature NaN", runconfig.RunConfig{Temperature: &nan}, genai.BackendGeminiAPI, []string{"Temperature"}},
		{"topP above 1", runconfig.RunConfig{TopP: f32(1.5)}, genai.BackendGeminiAPI, []string{"TopP"}},
		{"negative topK", runconfig.RunConfig{TopK: f32(-1)}, genai.BackendGeminiAPI, []string{"TopK"}},
		{"infinite topK", runconfig.RunConfig{TopK: &inf}, genai.BackendGeminiAPI, []string{"TopK"}},
		{"negative max output tokens", runconfig.RunConfig{MaxOutputTokens: -1}, genai.BackendGeminiAPI, []string{"MaxOutputTokens"}},
		{"negative candidate count", runconfig.RunConfig{CandidateCount: -1}, genai.BackendGeminiAPI, []string{"CandidateCount"}},
		{"two candidates", runconfig.RunConfig{CandidateCount: 2}, genai.BackendGeminiAPI, []string{"CandidateCount"}},
		{"presence penalty below -2", runconfig.RunConfig{PresencePenalty: f32(-2.5)}, genai.BackendGeminiAPI, []string{"PresencePenalty"}},
		{"frequency penalty above 2", runconfig.RunConfig{FrequencyPenalty: f32(3)}, genai.BackendGeminiAPI, []string{"FrequencyPenalty"}},
		{"thinking budget below -1", runconfig.RunConfig{ThinkingConfig: &genai.ThinkingConfig{ThinkingBudget: genai.Ptr[int32](-2)}}, genai.BackendGeminiAPI, []string{"ThinkingConfig.ThinkingBudget"}},
		{"unknown thinking level", runconfig.RunConfig{ThinkingConfig: &genai.ThinkingConfig{ThinkingLevel: "MAX"}}, genai.BackendGeminiAPI, []string{"ThinkingConfig.ThinkingLevel"}},
		{"thinking budget and level", runconfig.RunConfig{ThinkingConfig: &genai.ThinkingConfig{ThinkingBudget: genai.Ptr[int32](0), ThinkingLevel: genai.ThinkingLevelLow}}, genai.BackendGeminiAPI, []string{"ThinkingConfig"}},
		{"unknown media resolution", runconfig.RunConfig{MediaResolution: "LOW"}, genai.BackendGeminiAPI, []string{"MediaResolution"}},
		{"negative tool concurrency", runconfig.RunConfig{MaxConcurrentTools: -1}, genai.BackendGeminiAPI, []string{"MaxConcurrentTools"}},
		{"negative connect timeout", runconfig.RunConfig{ConnectTimeout: -time.Second}, genai.BackendGeminiAPI, []string{"ConnectTimeout"}},
		{"negative write timeout", runconfig.RunConfig{WriteTimeout: -time.Second}, genai.BackendGeminiAPI, []string{"WriteTimeout"}},
		{"save live blob (not implemented)", runconfig.RunConfig{SaveLiveBlob: true}, genai.BackendGeminiAPI, []string{"SaveLiveBlob"}},
		{"save live blob on Vertex AI", runconfig.RunConfig{SaveLiveBlob: true}, genai.BackendVertexAI, []string{"SaveLiveBlob"}},
		{"negative reconnect attempts", reconnect(runconfig.ReconnectPolicy{MaxAttempts: -1}), genai.BackendGeminiAPI, []string{"Reconnect.MaxAttempts"}},
		{"negative initial backoff", reconnect(runconfig.ReconnectPolicy{InitialBackoff: -time.Second}), genai.BackendGeminiAPI, []string{"Reconnect.InitialBackoff"}},
		{"negative max backoff", reconnect(runconfig.ReconnectPolicy{MaxBackoff: -time.Second}), genai.BackendGeminiAPI, []string{"Reconnect.MaxBackoff"}},
		{"negative quota backoffs", reconnect(runconfig.ReconnectPolicy{QuotaInitialBackoff: -1, QuotaMaxBackoff: -1}), genai.BackendGeminiAPI, []string{"Reconnect.QuotaInitialBackoff", "Reconnect.QuotaMaxBackoff"}},
		{"max below initial backoff", reconnect(runconfig.ReconnectPolicy{InitialBackoff: 5 * time.Second, MaxBackoff: time.Second}), genai.BackendGeminiAPI, []string{"Reconnect.MaxBackoff"}},
		{"quota max below quota initial", reconnect(runconfig.ReconnectPolicy{QuotaInitialBackoff: time.Minute, QuotaMaxBackoff: time.Second}), genai.BackendGeminiAPI, []string{"Reconnect.QuotaMaxBackoff"}},
		{"multiplier below 1", reconnect(runconfig.ReconnectPolicy{Multiplier: 0.5}), genai.BackendGeminiAPI, []string{"Reconnect.Multiplier"}},
		{"multiplier NaN", reconnect(runconfig.ReconnectPolicy{Multiplier: math.NaN()}), genai.BackendGeminiAPI, []string{"Reconnect.Multiplier"}},
		{"multiplier infinite", reconnect(runconfig.ReconnectPolicy{Multiplier: math.Inf(1)}), genai.BackendGeminiAPI, []string{"Reconnect.Multiplier"}},
		{"jitter above 1", reconnect(runconfig.ReconnectPolicy{Jitter: 1.5}), genai.BackendGeminiAPI, []string{"Reconnect.Jitter"}},
		{"jitter negative", reconnect(runconfig.ReconnectPolicy{Jitter: -0.5}), genai.BackendGeminiAPI, []string{"Reconnect.Jitter"}},
		{"jitter NaN", reconnect(runconfig.ReconnectPolicy{Jitter: math.NaN()}), genai.BackendGeminiAPI, []string{"Reconnect.Jitter"}},
		{"nonsense in a disabled policy", reconnect(runconfig.ReconnectPolicy{Disabled: true, Multiplier: 0.1}), genai.BackendGeminiAPI, []string{"Reconnect.Multiplier"}},
		{
			name: "several problems",
			c: runconfig.RunConfig{
				ResponseModalities: []genai.Modality{genai.ModalityText, genai.ModalityAudio},
				SessionResumption:  &genai.SessionResumptionConfig{Transparent: true},
				ExplicitVADSignal:  genai.Ptr(true),
				Temperature:        f32(9),
			},
			backend:    genai.BackendGeminiAPI,
			wantFields: []string{"ResponseModalities", "SessionResumption.Transparent", "ExplicitVADSignal", "Temperature"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate(tt.backend)
			if !errors.Is(err, runconfig.ErrInvalid) {
				t.Fatalf("Validate(%v) = %v, want an error matching ErrInvalid", tt.backend, err)
			}
			var fe *runconfig.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Validate(%v) = %v, want a *FieldError inside", tt.backend, err)
			}
			if diff := cmp.Diff(tt.wantFields, fieldsOf(t, err)); diff != "" {
				t.Errorf("Validate(%v) reported fields mismatch (-want +got):\n%s\nerror: %v", tt.backend, diff, err)
			}
			for _, f := range tt.wantFields {
				if !strings.Contains(err.Error(), "runconfig: "+f+": ") {
					t.Errorf("error text %q does not name %s", err, f)
				}
			}
		})
	}
}

// fieldsOf returns the Field of every *FieldError in err, in order.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var errs []error
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	} else {
		errs = []error{err}
	}
	var fields []string
	for _, e := range errs {
		fe, ok := e.(*runconfig.FieldError)
		if !ok {
			t.Fatalf("error %v (%T) is not a *FieldError", e, e)
		}
		fields = append(fields, fe.Field)
	}
	return fields
}

func TestValidateMessage(t *testing.T) {
	c := runconfig.RunConfig{ResponseModalities: []genai.Modality{genai.ModalityText, genai.ModalityAudio}}
	err := c.Validate(genai.BackendGeminiAPI)
	const want = "runconfig: ResponseModalities: want exactly one modality, got [TEXT AUDIO]"
	if err == nil || err.Error() != want {
		t.Errorf("Validate() = %v, want %q", err, want)
	}
}

func TestValidateUnknownBackend(t *testing.T) {
	err := runconfig.RunConfig{}.Validate(genai.Backend(42))
	if !errors.Is(err, runconfig.ErrInvalid) || !strings.Contains(err.Error(), "backend") {
		t.Errorf("Validate(Backend(42)) = %v, want an ErrInvalid error naming the backend", err)
	}
}

func TestValidateDoesNotLeakMetadata(t *testing.T) {
	c := runconfig.RunConfig{
		CustomMetadata:    map[string]any{"api_key": "AIza-secret"},
		SessionResumption: &genai.SessionResumptionConfig{Handle: "secret-handle", Transparent: true},
		Temperature:       genai.Ptr[float32](-1),
	}
	err := c.Validate(genai.BackendGeminiAPI)
	if err == nil {
		t.Fatal("Validate() = nil, want an error")
	}
	for _, secret := range []string{"AIza-secret", "secret-handle"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q contains %q", err, secret)
		}
	}
}

// FuzzValidate decodes arbitrary JSON into a RunConfig (as an application
// reading settings from a request or a file would) and checks that
// Validate, WithDefaults and ApplyToSetup never panic, and that a config
// Validate accepts yields a setup with exactly one AUDIO or TEXT modality.
func FuzzValidate(f *testing.F) {
	f.Add([]byte(`{}`), uint8(1))
	f.Add([]byte(`{"ResponseModalities":["TEXT","AUDIO"],"Temperature":3}`), uint8(1))
	f.Add([]byte(`{"SessionResumption":{"handle":"h","transparent":true},"ExplicitVADSignal":true}`), uint8(2))
	f.Add([]byte(`{"RealtimeInputConfig":{"automaticActivityDetection":{"disabled":true,"silenceDurationMs":-1}}}`), uint8(0))
	f.Add([]byte(`{"ContextWindowCompression":{"triggerTokens":"10","slidingWindow":{"targetTokens":"20"}}}`), uint8(2))
	f.Add([]byte(`{"Reconnect":{"InitialBackoff":-1,"Multiplier":0.5,"Jitter":-1},"CustomMetadata":{"a":[1,{"b":null}]}}`), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, backend uint8) {
		var c runconfig.RunConfig
		if json.Unmarshal(data, &c) != nil {
			return
		}
		b := genai.Backend(backend % 4)
		err := c.Validate(b)
		if err != nil && !errors.Is(err, runconfig.ErrInvalid) {
			t.Fatalf("Validate(%v) = %v, does not match ErrInvalid", b, err)
		}
		_ = c.WithDefaults()
		var s genai.LiveClientSetup
		c.ApplyToSetup(&s)
		if err != nil {
			return
		}
		if m := s.GenerationConfig.ResponseModalities; len(m) != 1 || (m[0] != genai.ModalityAudio && m[0] != genai.ModalityText) {
			t.Errorf("valid config %s gave setup modalities %v, want one of AUDIO, TEXT", data, m)
		}
	})
}

func TestValidateSaysSaveLiveBlobIsNotImplemented(t *testing.T) {
	err := runconfig.RunConfig{SaveLiveBlob: true}.Validate(genai.BackendGeminiAPI)
	var fe *runconfig.FieldError
	if !errors.As(err, &fe) || fe.Field != "SaveLiveBlob" {
		t.Fatalf("Validate() = %v, want a *FieldError for SaveLiveBlob", err)
	}
	if !strings.Contains(fe.Problem, "saving live audio as artifacts is not implemented yet") {
		t.Errorf("problem %q does not say that saving live audio as artifacts is not implemented yet", fe.Problem)
	}
}
