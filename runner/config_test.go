package runner_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/agent/tool"
	"github.com/adklive/adklive/runconfig"
)

func TestRunConfigReachesSetup(t *testing.T) {
	lookup, err := tool.NewFunction(tool.FunctionConfig{Name: "lookup_order", Description: "Looks up an order."},
		func(tool.Context, map[string]any) (map[string]any, error) { return map[string]any{}, nil })
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, setup{tools: []tool.Tool{tool.GoogleSearch(), lookup}})
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
	var search bool
	var functions []string
	for _, tl := range got.Tools {
		search = search || tl.GoogleSearch != nil
		for _, fd := range tl.FunctionDeclarations {
			functions = append(functions, fd.Name)
		}
	}
	if !search || !cmp.Equal(functions, []string{"lookup_order"}) {
		t.Errorf("setup tools: google search %v, functions %v; want google search and [lookup_order]", search, functions)
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
