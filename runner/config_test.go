package runner_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/tool"
)

func TestRunConfigReachesSetup(t *testing.T) {
	lookup, err := tool.NewFunction(tool.FunctionConfig{Name: "lookup_order", Description: "Looks up an order."},
		func(tool.Context, map[string]any) (map[string]any, error) { return map[string]any{}, nil })
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, setup{tools: []tool.Tool{tool.GoogleSearch(), tool.CodeExecution(), tool.URLContext(), lookup}})
	h.createSession(t, "u1", "s1")

	temperature := float32(0.4)
	silence := int32(700)
	cfg := runconfig.RunConfig{
		ResponseModalities:      []genai.Modality{genai.ModalityText},
		Temperature:             &temperature,
		InputAudioTranscription: &genai.AudioTranscriptionConfig{},
		RealtimeInputConfig: &genai.RealtimeInputConfig{
			AutomaticActivityDetection: &genai.AutomaticActivityDetection{SilenceDurationMs: &silence},
			ActivityHandling:           genai.ActivityHandlingNoInterruption,
		},
		SessionResumption:        &genai.SessionResumptionConfig{},
		ContextWindowCompression: &genai.ContextWindowCompressionConfig{SlidingWindow: &genai.SlidingWindow{}},
	}
	q := textQueue(t, "hello")
	res := h.run(t, t.Context(), "u1", "s1", q, cfg, closeAfterTurns(q, 1))
	if err := res.err(t); err != nil {
		t.Fatalf("RunLive: %v", err)
	}

	got := h.waitSession(t, 0).Setup()
	if got == nil {
		t.Fatal("livetest recorded no setup")
	}
	gc := got.GenerationConfig
	if gc == nil {
		t.Fatal("setup has no generationConfig")
	}
	if diff := cmp.Diff([]genai.Modality{genai.ModalityText}, gc.ResponseModalities); diff != "" {
		t.Errorf("responseModalities (-want +got):\n%s", diff)
	}
	if gc.Temperature == nil || *gc.Temperature != temperature {
		t.Errorf("temperature = %v, want %v", gc.Temperature, temperature)
	}
	if got.InputAudioTranscription == nil {
		t.Error("inputAudioTranscription missing from setup")
	}
	if ric := got.RealtimeInputConfig; ric == nil || ric.ActivityHandling != genai.ActivityHandlingNoInterruption ||
		ric.AutomaticActivityDetection == nil || ric.AutomaticActivityDetection.SilenceDurationMs == nil ||
		*ric.AutomaticActivityDetection.SilenceDurationMs != silence {
		t.Errorf("realtimeInputConfig = %+v, want NO_INTERRUPTION and silenceDurationMs %d", ric, silence)
	}
	if got.SessionResumption == nil {
		t.Error("sessionResumption missing from setup")
	}
	if got.ContextWindowCompression == nil || got.ContextWindowCompression.SlidingWindow == nil {
		t.Errorf("contextWindowCompression = %+v, want a sliding window", got.ContextWindowCompression)
	}
	if si := got.SystemInstruction; si == nil || len(si.Parts) == 0 || si.Parts[0].Text != h.agent.Instruction() {
		t.Errorf("systemInstruction = %+v, want the agent's instruction %q", si, h.agent.Instruction())
	}
	var search, code, urls bool
	var functions []string
	for _, tl := range got.Tools {
		search = search || tl.GoogleSearch != nil
		code = code || tl.CodeExecution != nil
		urls = urls || tl.URLContext != nil
		for _, fd := range tl.FunctionDeclarations {
			functions = append(functions, fd.Name)
		}
	}
	if !search || !code || !urls || !cmp.Equal(functions, []string{"lookup_order"}) {
		t.Errorf("setup tools: google search %v, code execution %v, URL context %v, functions %v; want all three built-ins and [lookup_order]",
			search, code, urls, functions)
	}
}

func TestInvalidRunConfigRejectedBeforeDialing(t *testing.T) {
	yes := true
	hot := float32(3)
	tests := []struct {
		name    string
		backend genai.Backend
		cfg     runconfig.RunConfig
		field   string
	}{
		{
			name:  "two response modalities",
			cfg:   runconfig.RunConfig{ResponseModalities: []genai.Modality{genai.ModalityText, genai.ModalityAudio}},
			field: "ResponseModalities",
		},
		{
			name:  "transparent resumption on the Gemini API",
			cfg:   runconfig.RunConfig{SessionResumption: &genai.SessionResumptionConfig{Transparent: true}},
			field: "SessionResumption.Transparent",
		},
		{
			name:    "affective dialog on Vertex AI",
			backend: genai.BackendVertexAI,
			cfg:     runconfig.RunConfig{EnableAffectiveDialog: &yes},
			field:   "EnableAffectiveDialog",
		},
		{
			name:  "saving live audio as artifacts (not implemented yet)",
			cfg:   runconfig.RunConfig{SaveLiveBlob: true},
			field: "SaveLiveBlob",
		},
		{
			name:  "temperature out of range",
			cfg:   runconfig.RunConfig{Temperature: &hot},
			field: "Temperature",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, setup{backend: tt.backend})
			h.createSession(t, "u1", "s1")
			q := textQueue(t, "hello")
			res := h.run(t, t.Context(), "u1", "s1", q, tt.cfg, nil)
			err := res.err(t)
			var fe *runconfig.FieldError
			if !errors.Is(err, runconfig.ErrInvalid) || !errors.As(err, &fe) || fe.Field != tt.field {
				t.Fatalf("RunLive: err = %v; want a runconfig.FieldError for %s", err, tt.field)
			}
			if n := len(h.srv.Sessions()); n != 0 {
				t.Errorf("livetest saw %d connections; an invalid run config must fail before dialing", n)
			}
			if err := q.Claim(); err != nil {
				t.Errorf("the rejected run claimed the queue: Claim() = %v", err)
			}
		})
	}
}

// TestEveryLiveFieldReachesSetup sets every live field of RunConfig and
// checks, on the setup message livetest recorded, that each one arrived as
// it was set. Backend-specific fields are checked on their backend.
func TestEveryLiveFieldReachesSetup(t *testing.T) {
	f32 := genai.Ptr[float32]
	common := func() runconfig.RunConfig {
		return runconfig.RunConfig{
			ResponseModalities: []genai.Modality{genai.ModalityAudio},
			SpeechConfig: &genai.SpeechConfig{LanguageCode: "en-US",
				VoiceConfig: &genai.VoiceConfig{PrebuiltVoiceConfig: &genai.PrebuiltVoiceConfig{VoiceName: "Kore"}}},
			InputAudioTranscription:  &genai.AudioTranscriptionConfig{},
			OutputAudioTranscription: &genai.AudioTranscriptionConfig{},
			RealtimeInputConfig: &genai.RealtimeInputConfig{
				AutomaticActivityDetection: &genai.AutomaticActivityDetection{
					StartOfSpeechSensitivity: genai.StartSensitivityLow,
					EndOfSpeechSensitivity:   genai.EndSensitivityHigh,
					PrefixPaddingMs:          genai.Ptr[int32](120),
					SilenceDurationMs:        genai.Ptr[int32](700),
				},
				ActivityHandling: genai.ActivityHandlingNoInterruption,
				TurnCoverage:     genai.TurnCoverageTurnIncludesAllInput,
			},
			Proactivity:       &genai.ProactivityConfig{ProactiveAudio: genai.Ptr(true)},
			SessionResumption: &genai.SessionResumptionConfig{},
			ContextWindowCompression: &genai.ContextWindowCompressionConfig{
				TriggerTokens: genai.Ptr[int64](25600),
				SlidingWindow: &genai.SlidingWindow{TargetTokens: genai.Ptr[int64](12800)},
			},
			ThinkingConfig:   &genai.ThinkingConfig{IncludeThoughts: true, ThinkingBudget: genai.Ptr[int32](512)},
			Temperature:      f32(0.4),
			TopP:             f32(0.9),
			TopK:             f32(32),
			PresencePenalty:  f32(0.5),
			FrequencyPenalty: f32(-0.5),
			Seed:             genai.Ptr[int32](42),
			MediaResolution:  genai.MediaResolutionLow,
			MaxOutputTokens:  2048,
			CandidateCount:   1,
		}
	}
	geminiCfg := common()
	geminiCfg.EnableAffectiveDialog = genai.Ptr(true)
	vertexCfg := common()
	vertexCfg.ExplicitVADSignal = genai.Ptr(true)
	vertexCfg.SessionResumption = &genai.SessionResumptionConfig{Transparent: true}

	setups := map[genai.Backend]*genai.LiveClientSetup{}
	for backend, cfg := range map[genai.Backend]runconfig.RunConfig{genai.BackendGeminiAPI: geminiCfg, genai.BackendVertexAI: vertexCfg} {
		h := newHarness(t, setup{backend: backend})
		h.createSession(t, "u1", "s1")
		q := livequeue.New()
		// The setup is all this test needs; one queued chunk makes the run
		// connect before the closed queue ends it.
		if err := q.SendRealtime(&genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: make([]byte, 320)}); err != nil {
			t.Fatal(err)
		}
		q.Close()
		if err := h.run(t, t.Context(), "u1", "s1", q, cfg, nil).err(t); err != nil {
			t.Fatalf("RunLive on %v: %v", backend, err)
		}
		s := h.waitSession(t, 0).Setup()
		if s == nil || s.GenerationConfig == nil {
			t.Fatalf("livetest recorded setup %+v on %v, want one with a generationConfig", s, backend)
		}
		setups[backend] = s
	}

	gc := func(s *genai.LiveClientSetup) *genai.GenerationConfig { return s.GenerationConfig }
	tests := []struct {
		field   string
		backend genai.Backend // BackendUnspecified: both
		want    any
		got     func(*genai.LiveClientSetup) any
	}{
		{"ResponseModalities", 0, geminiCfg.ResponseModalities, func(s *genai.LiveClientSetup) any { return gc(s).ResponseModalities }},
		{"SpeechConfig", 0, geminiCfg.SpeechConfig, func(s *genai.LiveClientSetup) any { return gc(s).SpeechConfig }},
		{"InputAudioTranscription", 0, geminiCfg.InputAudioTranscription, func(s *genai.LiveClientSetup) any { return s.InputAudioTranscription }},
		{"OutputAudioTranscription", 0, geminiCfg.OutputAudioTranscription, func(s *genai.LiveClientSetup) any { return s.OutputAudioTranscription }},
		{"RealtimeInputConfig", 0, geminiCfg.RealtimeInputConfig, func(s *genai.LiveClientSetup) any { return s.RealtimeInputConfig }},
		{"Proactivity", 0, geminiCfg.Proactivity, func(s *genai.LiveClientSetup) any { return s.Proactivity }},
		{"EnableAffectiveDialog", genai.BackendGeminiAPI, geminiCfg.EnableAffectiveDialog, func(s *genai.LiveClientSetup) any { return gc(s).EnableAffectiveDialog }},
		{"SessionResumption", genai.BackendGeminiAPI, geminiCfg.SessionResumption, func(s *genai.LiveClientSetup) any { return s.SessionResumption }},
		{"SessionResumption.Transparent", genai.BackendVertexAI, vertexCfg.SessionResumption, func(s *genai.LiveClientSetup) any { return s.SessionResumption }},
		{"ExplicitVADSignal", genai.BackendVertexAI, true, func(s *genai.LiveClientSetup) any { return s.ExplicitVADSignal }},
		{"ContextWindowCompression", 0, geminiCfg.ContextWindowCompression, func(s *genai.LiveClientSetup) any { return s.ContextWindowCompression }},
		{"ThinkingConfig", 0, geminiCfg.ThinkingConfig, func(s *genai.LiveClientSetup) any { return gc(s).ThinkingConfig }},
		{"Temperature", 0, geminiCfg.Temperature, func(s *genai.LiveClientSetup) any { return gc(s).Temperature }},
		{"TopP", 0, geminiCfg.TopP, func(s *genai.LiveClientSetup) any { return gc(s).TopP }},
		{"TopK", 0, geminiCfg.TopK, func(s *genai.LiveClientSetup) any { return gc(s).TopK }},
		{"PresencePenalty", 0, geminiCfg.PresencePenalty, func(s *genai.LiveClientSetup) any { return gc(s).PresencePenalty }},
		{"FrequencyPenalty", 0, geminiCfg.FrequencyPenalty, func(s *genai.LiveClientSetup) any { return gc(s).FrequencyPenalty }},
		{"Seed", 0, geminiCfg.Seed, func(s *genai.LiveClientSetup) any { return gc(s).Seed }},
		{"MediaResolution", 0, geminiCfg.MediaResolution, func(s *genai.LiveClientSetup) any { return gc(s).MediaResolution }},
		{"MaxOutputTokens", 0, geminiCfg.MaxOutputTokens, func(s *genai.LiveClientSetup) any { return gc(s).MaxOutputTokens }},
		{"CandidateCount", 0, geminiCfg.CandidateCount, func(s *genai.LiveClientSetup) any { return gc(s).CandidateCount }},
	}
	for _, tt := range tests {
		for _, backend := range []genai.Backend{genai.BackendGeminiAPI, genai.BackendVertexAI} {
			if tt.backend != genai.BackendUnspecified && tt.backend != backend {
				continue
			}
			t.Run(tt.field+"/"+backend.String(), func(t *testing.T) {
				if diff := cmp.Diff(tt.want, tt.got(setups[backend])); diff != "" {
					t.Errorf("%s in the setup livetest recorded (-want +got):\n%s", tt.field, diff)
				}
			})
		}
	}
}
