package gemini

import (
	"encoding/json"
	"fmt"

	"google.golang.org/genai"
)

// encodeSetup validates setup for backend and model family and returns the
// setup frame, with setup.model set to resource. setup is not modified;
// nil is an empty setup. On gemini-3.1 live models with history to send,
// historyConfig.initialHistoryInClientContent is added when the caller did
// not set historyConfig.
func encodeSetup(backend genai.Backend, resource string, fam family, setup *genai.LiveClientSetup, hasHistory bool) ([]byte, error) {
	var s genai.LiveClientSetup
	if setup != nil {
		s = *setup // shallow: only top-level fields are replaced below
	}
	s.Model = resource
	if err := validateSetup(backend, &s); err != nil {
		return nil, err
	}
	if hasHistory && fam.live31 {
		switch {
		case s.HistoryConfig == nil:
			s.HistoryConfig = &genai.HistoryConfig{InitialHistoryInClientContent: true}
		case !s.HistoryConfig.InitialHistoryInClientContent:
			return nil, invalid("setup.historyConfig.initialHistoryInClientContent",
				"must be true to send history to a gemini-3.1 live model")
		}
	}

	var body any = &s
	if backend == genai.BackendVertexAI && s.GenerationConfig != nil && s.GenerationConfig.ModelSelectionConfig != nil {
		// Vertex AI spells generationConfig.modelSelectionConfig "modelConfig".
		gc := *s.GenerationConfig
		msc := gc.ModelSelectionConfig
		gc.ModelSelectionConfig = nil
		body = &vertexSetup{
			setupFields:      setupFields(s),
			GenerationConfig: &vertexGenerationConfig{generationConfigFields: generationConfigFields(gc), ModelConfig: msc},
		}
	}
	b, err := json.Marshal(setupMessage{Setup: body})
	if err != nil {
		return nil, fmt.Errorf("gemini: encoding setup: %w", err)
	}
	return b, nil
}

type setupMessage struct {
	Setup any `json:"setup"`
}

// setupFields and generationConfigFields have the fields of their genai
// types without their methods, so they can be embedded and shadowed.
type (
	setupFields            genai.LiveClientSetup
	generationConfigFields genai.GenerationConfig
)

// vertexSetup is a setup whose generationConfig is in Vertex AI spelling.
type vertexSetup struct {
	setupFields
	GenerationConfig *vertexGenerationConfig `json:"generationConfig,omitempty"`
}

type vertexGenerationConfig struct {
	generationConfigFields
	ModelConfig *genai.ModelSelectionConfig `json:"modelConfig,omitempty"`
}

// encodeHistory validates history and returns the clientContent frame that
// seeds it: all turns in order, turnComplete only when the last turn is
// the user's.
func encodeHistory(backend genai.Backend, history []*genai.Content) ([]byte, error) {
	vertex := backend == genai.BackendVertexAI
	for i, c := range history {
		if err := validateContent(vertex, fmt.Sprintf("history[%d]", i), c); err != nil {
			return nil, err
		}
	}
	last := history[len(history)-1]
	return appendClientContent(nil, backend, &genai.LiveClientContent{
		Turns:        history,
		TurnComplete: last.Role == genai.RoleUser,
	})
}
