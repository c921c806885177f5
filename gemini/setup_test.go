package gemini

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
)

// setupFromConnectConfig is the LiveClientSetup that carries the same
// settings as a genai LiveConnectConfig: generation settings under
// generationConfig, the rest beside model.
func setupFromConnectConfig(c *genai.LiveConnectConfig) *genai.LiveClientSetup {
	if c == nil {
		return nil
	}
	gc := &genai.GenerationConfig{
		ResponseModalities:    c.ResponseModalities,
		Temperature:           c.Temperature,
		TopP:                  c.TopP,
		TopK:                  c.TopK,
		MaxOutputTokens:       c.MaxOutputTokens,
		MediaResolution:       c.MediaResolution,
		Seed:                  c.Seed,
		SpeechConfig:          c.SpeechConfig,
		ThinkingConfig:        c.ThinkingConfig,
		EnableAffectiveDialog: c.EnableAffectiveDialog,
		TranslationConfig:     c.TranslationConfig,
	}
	s := &genai.LiveClientSetup{
		SystemInstruction:        c.SystemInstruction,
		Tools:                    c.Tools,
		RealtimeInputConfig:      c.RealtimeInputConfig,
		SessionResumption:        c.SessionResumption,
		ContextWindowCompression: c.ContextWindowCompression,
		InputAudioTranscription:  c.InputAudioTranscription,
		OutputAudioTranscription: c.OutputAudioTranscription,
		Proactivity:              c.Proactivity,
		ExplicitVADSignal:        c.ExplicitVADSignal != nil && *c.ExplicitVADSignal,
		AvatarConfig:             c.AvatarConfig,
		SafetySettings:           c.SafetySettings,
		Labels:                   c.Labels,
	}
	if !reflect.ValueOf(*gc).IsZero() {
		s.GenerationConfig = gc
	}
	return s
}

// liveConnectConfigs covers every setup field genai's LiveConnectConfig
// supports. backends limits a case to one backend.
func liveConnectConfigs() []struct {
	name     string
	backends []genai.Backend
	cfg      *genai.LiveConnectConfig
} {
	both := []genai.Backend{genai.BackendGeminiAPI, genai.BackendVertexAI}
	vertex := []genai.Backend{genai.BackendVertexAI}
	weather := &genai.FunctionDeclaration{
		Name:        "get_current_weather",
		Description: "Get the current weather in a given location",
		Parameters: &genai.Schema{Type: genai.TypeObject, Required: []string{"location"},
			Properties: map[string]*genai.Schema{
				"location": {Type: genai.TypeString, Description: "The city and state, e.g. San Francisco, CA"},
				"unit":     {Type: genai.TypeString, Enum: []string{"celsius", "fahrenheit"}},
				"days":     {Type: genai.TypeInteger, Minimum: genai.Ptr(1.0), MaxItems: genai.Ptr[int64](3)},
			}},
		Behavior: genai.BehaviorNonBlocking,
	}
	lookup := &genai.FunctionDeclaration{
		Name: "lookup",
		ParametersJsonSchema: map[string]any{"type": "object",
			"properties": map[string]any{"q": map[string]any{"type": "string"}}},
		Behavior: genai.BehaviorBlocking,
	}
	system := &genai.Content{Role: "system", Parts: []*genai.Part{{Text: "You are a helpful assistant."}, {Text: "Be brief."}}}
	all := &genai.LiveConnectConfig{
		ResponseModalities: []genai.Modality{genai.ModalityAudio},
		Temperature:        genai.Ptr[float32](0.7), TopP: genai.Ptr[float32](0.95), TopK: genai.Ptr[float32](40),
		MaxOutputTokens: 1024, Seed: genai.Ptr[int32](42), MediaResolution: genai.MediaResolutionLow,
		SpeechConfig: &genai.SpeechConfig{LanguageCode: "en-US",
			VoiceConfig: &genai.VoiceConfig{PrebuiltVoiceConfig: &genai.PrebuiltVoiceConfig{VoiceName: "Kore"}}},
		ThinkingConfig:           &genai.ThinkingConfig{IncludeThoughts: true, ThinkingBudget: genai.Ptr[int32](1024)},
		EnableAffectiveDialog:    genai.Ptr(true),
		SystemInstruction:        system,
		Tools:                    []*genai.Tool{{FunctionDeclarations: []*genai.FunctionDeclaration{weather, lookup}}, {GoogleSearch: &genai.GoogleSearch{}}},
		InputAudioTranscription:  &genai.AudioTranscriptionConfig{},
		OutputAudioTranscription: &genai.AudioTranscriptionConfig{},
		SessionResumption:        &genai.SessionResumptionConfig{Handle: "resume-me"},
		ContextWindowCompression: &genai.ContextWindowCompressionConfig{TriggerTokens: genai.Ptr[int64](25600),
			SlidingWindow: &genai.SlidingWindow{TargetTokens: genai.Ptr[int64](12800)}},
		Proactivity: &genai.ProactivityConfig{ProactiveAudio: genai.Ptr(true)},
	}
	return []struct {
		name     string
		backends []genai.Backend
		cfg      *genai.LiveConnectConfig
	}{
		{"no config", both, nil},
		{"empty config", both, &genai.LiveConnectConfig{}},
		{"text modality", both, &genai.LiveConnectConfig{ResponseModalities: []genai.Modality{genai.ModalityText}}},
		{"sampling", both, &genai.LiveConnectConfig{Temperature: genai.Ptr[float32](0.1), TopP: genai.Ptr[float32](0.5),
			TopK: genai.Ptr[float32](3), MaxOutputTokens: 99, Seed: genai.Ptr[int32](-7)}},
		{"media resolution", both, &genai.LiveConnectConfig{MediaResolution: genai.MediaResolutionMedium}},
		{"speech config", both, &genai.LiveConnectConfig{SpeechConfig: &genai.SpeechConfig{LanguageCode: "de-DE",
			VoiceConfig: &genai.VoiceConfig{PrebuiltVoiceConfig: &genai.PrebuiltVoiceConfig{VoiceName: "Puck"}}}}},
		{"thinking config", both, &genai.LiveConnectConfig{ThinkingConfig: &genai.ThinkingConfig{IncludeThoughts: true,
			ThinkingBudget: genai.Ptr[int32](0), ThinkingLevel: genai.ThinkingLevelLow}}},
		{"affective dialog", both, &genai.LiveConnectConfig{EnableAffectiveDialog: genai.Ptr(true)}},
		{"affective dialog off", both, &genai.LiveConnectConfig{EnableAffectiveDialog: genai.Ptr(false)}},
		{"system instruction", both, &genai.LiveConnectConfig{SystemInstruction: system}},
		{"function declarations", both, &genai.LiveConnectConfig{Tools: []*genai.Tool{{FunctionDeclarations: []*genai.FunctionDeclaration{weather, lookup}}}}},
		{"built-in tools", both, &genai.LiveConnectConfig{Tools: []*genai.Tool{{GoogleSearch: &genai.GoogleSearch{}},
			{CodeExecution: &genai.ToolCodeExecution{}}, {URLContext: &genai.URLContext{}}}}},
		{"realtime input config", both, &genai.LiveConnectConfig{RealtimeInputConfig: &genai.RealtimeInputConfig{
			AutomaticActivityDetection: &genai.AutomaticActivityDetection{
				StartOfSpeechSensitivity: genai.StartSensitivityHigh, EndOfSpeechSensitivity: genai.EndSensitivityLow,
				PrefixPaddingMs: genai.Ptr[int32](20), SilenceDurationMs: genai.Ptr[int32](500)},
			ActivityHandling: genai.ActivityHandlingNoInterruption, TurnCoverage: genai.TurnCoverageTurnIncludesAllInput}}},
		{"manual activity detection", both, &genai.LiveConnectConfig{RealtimeInputConfig: &genai.RealtimeInputConfig{
			AutomaticActivityDetection: &genai.AutomaticActivityDetection{Disabled: true},
			ActivityHandling:           genai.ActivityHandlingStartOfActivityInterrupts}}},
		{"transcriptions", both, &genai.LiveConnectConfig{InputAudioTranscription: &genai.AudioTranscriptionConfig{},
			OutputAudioTranscription: &genai.AudioTranscriptionConfig{LanguageCodes: []string{"en-US"}}}},
		{"session resumption", both, &genai.LiveConnectConfig{SessionResumption: &genai.SessionResumptionConfig{Handle: "h-1"}}},
		{"session resumption without handle", both, &genai.LiveConnectConfig{SessionResumption: &genai.SessionResumptionConfig{}}},
		{"transparent resumption", vertex, &genai.LiveConnectConfig{SessionResumption: &genai.SessionResumptionConfig{Handle: "h", Transparent: true}}},
		{"context window compression", both, &genai.LiveConnectConfig{ContextWindowCompression: &genai.ContextWindowCompressionConfig{
			TriggerTokens: genai.Ptr[int64](25600), SlidingWindow: &genai.SlidingWindow{TargetTokens: genai.Ptr[int64](12800)}}}},
		{"sliding window defaults", both, &genai.LiveConnectConfig{ContextWindowCompression: &genai.ContextWindowCompressionConfig{
			SlidingWindow: &genai.SlidingWindow{}}}},
		{"proactivity", both, &genai.LiveConnectConfig{Proactivity: &genai.ProactivityConfig{ProactiveAudio: genai.Ptr(true)}}},
		{"explicit VAD signal", vertex, &genai.LiveConnectConfig{ExplicitVADSignal: genai.Ptr(true)}},
		{"avatar", both, &genai.LiveConnectConfig{AvatarConfig: &genai.AvatarConfig{AvatarName: "a", AudioBitrateBps: genai.Ptr[int32](64000)}}},
		{"safety settings", both, &genai.LiveConnectConfig{SafetySettings: []*genai.SafetySetting{{
			Category: genai.HarmCategoryHarassment, Threshold: genai.HarmBlockThresholdBlockOnlyHigh}}}},
		{"translation", both, &genai.LiveConnectConfig{TranslationConfig: &genai.TranslationConfig{TargetLanguageCode: "fr", EchoTargetLanguage: genai.Ptr(true)}}},
		{"labels", both, &genai.LiveConnectConfig{Labels: map[string]string{"safety_identifier": "user_1"}}},
		{"everything", both, all},
	}
}

// TestSetupMatchesGenai connects the official genai client and ours with the
// same configuration to a capture server and checks the two setup frames
// are JSON-equal, for every LiveConnectConfig field on both backends.
func TestSetupMatchesGenai(t *testing.T) {
	clearGenaiEnv(t)
	srv := newCaptureServer(t)
	const model = "gemini-2.5-flash-native-audio-preview-12-2025"
	for _, tt := range liveConnectConfigs() {
		for _, backend := range tt.backends {
			t.Run(tt.name+"/"+backend.String(), func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				want := genaiSetupFrame(ctx, t, srv, backend, model, tt.cfg)
				got := ourSetupFrame(ctx, t, srv, backend, model, setupFromConnectConfig(tt.cfg))
				if diff := cmp.Diff(jsonValue(t, want), jsonValue(t, got)); diff != "" {
					t.Errorf("setup frame differs from genai's (-genai +ours):\n%s", diff)
				}
			})
		}
	}
}

// TestSetupRejectedLikeGenai checks that what genai refuses for a backend
// we refuse too, before dialing, with an error naming the field.
func TestSetupRejectedLikeGenai(t *testing.T) {
	clearGenaiEnv(t)
	srv := newCaptureServer(t)
	tests := []struct {
		name    string
		backend genai.Backend
		cfg     *genai.LiveConnectConfig
		field   string
	}{
		{"transparent on the Gemini API", genai.BackendGeminiAPI,
			&genai.LiveConnectConfig{SessionResumption: &genai.SessionResumptionConfig{Transparent: true}}, "setup.sessionResumption.transparent"},
		{"explicit VAD signal on the Gemini API", genai.BackendGeminiAPI,
			&genai.LiveConnectConfig{ExplicitVADSignal: genai.Ptr(true)}, "setup.explicitVadSignal"},
		{"multi-speaker voices", genai.BackendGeminiAPI,
			&genai.LiveConnectConfig{SpeechConfig: &genai.SpeechConfig{MultiSpeakerVoiceConfig: &genai.MultiSpeakerVoiceConfig{}}},
			"setup.generationConfig.speechConfig.multiSpeakerVoiceConfig"},
		{"retrieval on the Gemini API", genai.BackendGeminiAPI,
			&genai.LiveConnectConfig{Tools: []*genai.Tool{{Retrieval: &genai.Retrieval{}}}}, "setup.tools[0].retrieval"},
		{"exclude domains on the Gemini API", genai.BackendGeminiAPI,
			&genai.LiveConnectConfig{Tools: []*genai.Tool{{}, {GoogleSearch: &genai.GoogleSearch{ExcludeDomains: []string{"x.com"}}}}},
			"setup.tools[1].googleSearch.excludeDomains"},
		{"file search on Vertex AI", genai.BackendVertexAI,
			&genai.LiveConnectConfig{Tools: []*genai.Tool{{FileSearch: &genai.FileSearch{}}}}, "setup.tools[0].fileSearch"},
		{"safety method on the Gemini API", genai.BackendGeminiAPI,
			&genai.LiveConnectConfig{SafetySettings: []*genai.SafetySetting{{Method: genai.HarmBlockMethodProbability}}},
			"setup.safetySettings[0].method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, err := genaiConnect(ctx, t, srv, tt.backend, "gemini-live-2.5-flash-preview", tt.cfg); err == nil {
				t.Fatal("genai accepted the configuration; the oracle no longer refuses it")
			}
			m := newTestModel(t, srv.URL, tt.backend, "gemini-live-2.5-flash-preview", nil)
			_, err := m.Connect(ctx, &live.ConnectRequest{Setup: setupFromConnectConfig(tt.cfg)})
			var re *RequestError
			if !errors.As(err, &re) || !errors.Is(err, ErrInvalidRequest) {
				t.Fatalf("err = %v, want a *RequestError", err)
			}
			if re.Field != tt.field {
				t.Errorf("error names %q, want %q (%v)", re.Field, tt.field, err)
			}
			select {
			case s := <-srv.sessions:
				t.Errorf("a session reached the server with setup %s; the request must be rejected before dialing", s.Setup)
			default:
			}
		})
	}
}

// TestSetupBeyondGenai covers what genai's LiveConnectConfig cannot
// express: generation settings it lacks, historyConfig, Vertex AI's
// modelConfig spelling, and the setup added for gemini-3.1 live models.
func TestSetupBeyondGenai(t *testing.T) {
	tests := []struct {
		name       string
		backend    genai.Backend
		model      string
		setup      *genai.LiveClientSetup
		hasHistory bool
		want       string
	}{
		{"extra generation settings", genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview",
			&genai.LiveClientSetup{GenerationConfig: &genai.GenerationConfig{CandidateCount: 1,
				PresencePenalty: genai.Ptr[float32](0.5), FrequencyPenalty: genai.Ptr[float32](-0.5)}},
			false, `{"setup":{"model":"models/gemini-live-2.5-flash-preview","generationConfig":{"candidateCount":1,"presencePenalty":0.5,"frequencyPenalty":-0.5}}}`},
		{"history config kept", genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview",
			&genai.LiveClientSetup{HistoryConfig: &genai.HistoryConfig{InitialHistoryInClientContent: true}},
			false, `{"setup":{"model":"models/gemini-live-2.5-flash-preview","historyConfig":{"initialHistoryInClientContent":true}}}`},
		{"Vertex AI model selection", genai.BackendVertexAI, "projects/p/locations/l/publishers/google/models/m",
			&genai.LiveClientSetup{GenerationConfig: &genai.GenerationConfig{Temperature: genai.Ptr[float32](1),
				ModelSelectionConfig: &genai.ModelSelectionConfig{FeatureSelectionPreference: genai.FeatureSelectionPreferencePrioritizeQuality}}},
			false, `{"setup":{"model":"projects/p/locations/l/publishers/google/models/m","generationConfig":{"temperature":1,"modelConfig":{"featureSelectionPreference":"PRIORITIZE_QUALITY"}}}}`},
		{"3.1 with history gets historyConfig", genai.BackendGeminiAPI, "gemini-3.1-flash-live-preview", nil,
			true, `{"setup":{"model":"models/gemini-3.1-flash-live-preview","historyConfig":{"initialHistoryInClientContent":true}}}`},
		{"3.1 without history", genai.BackendGeminiAPI, "gemini-3.1-flash-live-preview", nil,
			false, `{"setup":{"model":"models/gemini-3.1-flash-live-preview"}}`},
		{"2.5 with history", genai.BackendGeminiAPI, "gemini-2.5-flash-native-audio-preview-12-2025", nil,
			true, `{"setup":{"model":"models/gemini-2.5-flash-native-audio-preview-12-2025"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource, err := modelResourceName(tt.backend, "", "", tt.model)
			if err != nil {
				t.Fatal(err)
			}
			var before []byte
			if tt.setup != nil {
				before, _ = json.Marshal(tt.setup)
			}
			got, err := encodeSetup(tt.backend, resource, familyOf(tt.model), tt.setup, tt.hasHistory)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(jsonValue(t, []byte(tt.want)), jsonValue(t, got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if tt.setup != nil {
				after, _ := json.Marshal(tt.setup)
				if string(before) != string(after) {
					t.Errorf("encodeSetup modified the caller's setup:\nbefore %s\nafter  %s", before, after)
				}
			}
		})
	}
	t.Run("3.1 history refused by the caller's historyConfig", func(t *testing.T) {
		_, err := encodeSetup(genai.BackendGeminiAPI, "models/gemini-3.1-flash-live-preview", familyOf("gemini-3.1-flash-live-preview"),
			&genai.LiveClientSetup{HistoryConfig: &genai.HistoryConfig{}}, true)
		var re *RequestError
		if !errors.As(err, &re) || re.Field != "setup.historyConfig.initialHistoryInClientContent" {
			t.Fatalf("err = %v, want a *RequestError naming historyConfig", err)
		}
	})
	t.Run("two response modalities", func(t *testing.T) {
		_, err := encodeSetup(genai.BackendVertexAI, "m", family{}, &genai.LiveClientSetup{GenerationConfig: &genai.GenerationConfig{
			ResponseModalities: []genai.Modality{genai.ModalityAudio, genai.ModalityText}}}, false)
		if err == nil || !strings.Contains(err.Error(), "setup.generationConfig.responseModalities") {
			t.Fatalf("err = %v, want an error naming responseModalities", err)
		}
	})
}

// genaiConnect connects the official client to srv and returns the setup
// frame it sent.
func genaiConnect(ctx context.Context, t *testing.T, srv *captureServer, backend genai.Backend, model string, cfg *genai.LiveConnectConfig) ([]byte, error) {
	t.Helper()
	cc := &genai.ClientConfig{Backend: backend, HTTPOptions: genai.HTTPOptions{BaseURL: wsURL(srv.URL)}}
	if backend == genai.BackendVertexAI {
		cc.Project, cc.Location, cc.Credentials = "test-project", "us-central1", staticCredentials("ya29.test-token")
	} else {
		cc.APIKey = "test-api-key"
	}
	client, err := genai.NewClient(ctx, cc)
	if err != nil {
		t.Fatalf("genai.NewClient: %v", err)
	}
	session, err := client.Live.Connect(ctx, model, cfg)
	if err != nil {
		return nil, err
	}
	defer session.Close()
	return srv.next(t).Setup, nil
}

func genaiSetupFrame(ctx context.Context, t *testing.T, srv *captureServer, backend genai.Backend, model string, cfg *genai.LiveConnectConfig) []byte {
	t.Helper()
	frame, err := genaiConnect(ctx, t, srv, backend, model, cfg)
	if err != nil {
		t.Fatalf("genai Live.Connect: %v", err)
	}
	return frame
}

func ourSetupFrame(ctx context.Context, t *testing.T, srv *captureServer, backend genai.Backend, model string, setup *genai.LiveClientSetup) []byte {
	t.Helper()
	m := newTestModel(t, srv.URL, backend, model, nil)
	conn, err := m.Connect(ctx, &live.ConnectRequest{Setup: setup})
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	defer conn.Close()
	return srv.next(t).Setup
}

// newTestModel returns a model that dials baseURL with test credentials:
// an API key on the Gemini API, a static token for project test-project in
// us-central1 on Vertex AI. cfg supplies further settings.
func newTestModel(t testing.TB, baseURL string, backend genai.Backend, model string, cfg *Config) *Model {
	t.Helper()
	c := Config{}
	if cfg != nil {
		c = *cfg
	}
	c.Backend, c.BaseURL = backend, baseURL
	if backend == genai.BackendVertexAI {
		c.Project, c.Location = "test-project", "us-central1"
		if c.Credentials == nil {
			c.Credentials = staticCredentials("ya29.test-token")
		}
	} else if c.APIKey == "" {
		c.APIKey = "test-api-key"
	}
	m, err := NewModel(context.Background(), model, &c)
	if err != nil {
		t.Fatalf("NewModel: %v", err)
	}
	return m
}

// wsURL turns an httptest URL into a ws:// one (genai would turn http://
// into wss://).
func wsURL(u string) string { return "ws" + strings.TrimPrefix(u, "http") }

func jsonValue(t testing.TB, data []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("invalid JSON %q: %v", data, err)
	}
	return v
}
