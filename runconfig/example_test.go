package runconfig_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/runconfig"
)

// A voice agent on the Gemini API: audio answers with transcriptions, a
// chosen voice, resumable sessions, and a check before connecting.
func Example() {
	cfg := runconfig.RunConfig{
		ResponseModalities:       []genai.Modality{genai.ModalityAudio},
		SpeechConfig:             &genai.SpeechConfig{VoiceConfig: &genai.VoiceConfig{PrebuiltVoiceConfig: &genai.PrebuiltVoiceConfig{VoiceName: "Kore"}}},
		InputAudioTranscription:  &genai.AudioTranscriptionConfig{},
		OutputAudioTranscription: &genai.AudioTranscriptionConfig{},
		SessionResumption:        &genai.SessionResumptionConfig{},
		CustomMetadata:           map[string]any{"tier": "premium"},
	}
	if err := cfg.Validate(genai.BackendGeminiAPI); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("response modality:", cfg.ResponseModality())
	fmt.Println("activity signals allowed:", cfg.ActivitySignalsAllowed())
	fmt.Println("LLM call limit:", cfg.WithDefaults().MaxLLMCalls)
	// Output:
	// response modality: AUDIO
	// activity signals allowed: false
	// LLM call limit: 500
}

func ExampleRunConfig_Validate() {
	cfg := runconfig.RunConfig{
		ResponseModalities: []genai.Modality{genai.ModalityText, genai.ModalityAudio},
		SessionResumption:  &genai.SessionResumptionConfig{Transparent: true},
	}
	err := cfg.Validate(genai.BackendGeminiAPI)
	fmt.Println(err)
	fmt.Println("invalid:", errors.Is(err, runconfig.ErrInvalid))

	var fe *runconfig.FieldError
	if errors.As(err, &fe) {
		fmt.Println("first field:", fe.Field)
	}
	// Output:
	// runconfig: ResponseModalities: want exactly one modality, got [TEXT AUDIO]
	// runconfig: SessionResumption.Transparent: only supported on Vertex AI, not on the Gemini API
	// invalid: true
	// first field: ResponseModalities
}

func ExampleRunConfig_ApplyToSetup() {
	cfg := runconfig.RunConfig{
		ResponseModalities: []genai.Modality{genai.ModalityText},
		Temperature:        genai.Ptr[float32](0.4),
		RealtimeInputConfig: &genai.RealtimeInputConfig{
			AutomaticActivityDetection: &genai.AutomaticActivityDetection{Disabled: true},
		},
		MaxConcurrentTools: 4, // a runtime setting: not part of the setup
	}
	setup := &genai.LiveClientSetup{Model: "models/gemini-2.5-flash-native-audio-preview-12-2025"}
	cfg.ApplyToSetup(setup)

	b, err := json.Marshal(setup)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(b))
	// Output:
	// {"model":"models/gemini-2.5-flash-native-audio-preview-12-2025","generationConfig":{"responseModalities":["TEXT"],"temperature":0.4},"realtimeInputConfig":{"automaticActivityDetection":{"disabled":true}}}
}

func ExampleRunConfig_WithDefaults() {
	var cfg runconfig.RunConfig
	d := cfg.WithDefaults()
	fmt.Println(d.ResponseModalities, d.MaxLLMCalls)
	fmt.Println(cfg.ResponseModalities == nil) // the receiver is not modified
	// Output:
	// [AUDIO] 500
	// true
}

func ExampleReconnectPolicy_Backoff() {
	p := runconfig.ReconnectPolicy{
		InitialBackoff: 250 * time.Millisecond,
		MaxBackoff:     2 * time.Second,
		Jitter:         runconfig.NoJitter, // for a repeatable output; keep jitter in production
	}
	for attempt := 1; p.AttemptAllowed(attempt); attempt++ {
		fmt.Printf("attempt %d after %v (quota error: %v)\n", attempt, p.Backoff(attempt, nil), p.QuotaBackoff(attempt, nil))
	}
	// Output:
	// attempt 1 after 250ms (quota error: 5s)
	// attempt 2 after 500ms (quota error: 10s)
	// attempt 3 after 1s (quota error: 20s)
	// attempt 4 after 2s (quota error: 40s)
	// attempt 5 after 2s (quota error: 1m0s)
}
