package gemini

import (
	"fmt"

	"google.golang.org/genai"
)

// The backend rules below are the ones the genai SDK enforces in its
// converters (live_converters.go, models.go): a field one backend refuses
// is rejected before dialing instead of being sent and answered with a
// close frame.

const (
	geminiOnly = "only the Gemini API supports it, not Vertex AI"
	vertexOnly = "only Vertex AI supports it, not the Gemini API"
)

// validateSetup checks a setup message against the rules of backend.
func validateSetup(backend genai.Backend, s *genai.LiveClientSetup) error {
	vertex := backend == genai.BackendVertexAI
	if gc := s.GenerationConfig; gc != nil {
		if err := validateGenerationConfig(vertex, gc); err != nil {
			return err
		}
	}
	if s.SystemInstruction != nil {
		if err := validateContent(vertex, "setup.systemInstruction", s.SystemInstruction); err != nil {
			return err
		}
	}
	for i, t := range s.Tools {
		if err := validateTool(vertex, fmt.Sprintf("setup.tools[%d]", i), t); err != nil {
			return err
		}
	}
	if vertex {
		// genai's LiveClientSetup converter refuses labels on Vertex AI, but
		// the path its Live.Connect takes sends them, and they are documented
		// for Vertex AI billing: they are sent.
		return nil
	}
	if s.ExplicitVADSignal {
		return invalid("setup.explicitVadSignal", vertexOnly)
	}
	if s.SessionResumption != nil && s.SessionResumption.Transparent {
		return invalid("setup.sessionResumption.transparent", vertexOnly)
	}
	for i, ss := range s.SafetySettings {
		if ss != nil && ss.Method != "" {
			return invalid(fmt.Sprintf("setup.safetySettings[%d].method", i), vertexOnly)
		}
	}
	return nil
}

func validateGenerationConfig(vertex bool, gc *genai.GenerationConfig) error {
	if n := len(gc.ResponseModalities); n > 1 {
		return invalid("setup.generationConfig.responseModalities",
			"a live session has one response modality (AUDIO or TEXT), got %d", n)
	}
	if sc := gc.SpeechConfig; sc != nil {
		if sc.MultiSpeakerVoiceConfig != nil {
			return invalid("setup.generationConfig.speechConfig.multiSpeakerVoiceConfig",
				"the Live API does not support multi-speaker voices")
		}
		if vertex && sc.VoiceConfig != nil && sc.VoiceConfig.ReplicatedVoiceConfig != nil {
			rv := sc.VoiceConfig.ReplicatedVoiceConfig
			if len(rv.ConsentAudio) > 0 {
				return invalid("setup.generationConfig.speechConfig.voiceConfig.replicatedVoiceConfig.consentAudio", geminiOnly)
			}
			if rv.VoiceConsentSignature != nil {
				return invalid("setup.generationConfig.speechConfig.voiceConfig.replicatedVoiceConfig.voiceConsentSignature", geminiOnly)
			}
		}
	}
	if vertex && gc.EnableEnhancedCivicAnswers != nil {
		return invalid("setup.generationConfig.enableEnhancedCivicAnswers", geminiOnly)
	}
	return nil
}

func validateTool(vertex bool, field string, t *genai.Tool) error {
	if t == nil {
		return invalid(field, "is nil")
	}
	for i, fd := range t.FunctionDeclarations {
		f := fmt.Sprintf("%s.functionDeclarations[%d]", field, i)
		switch {
		case fd == nil:
			return invalid(f, "is nil")
		case fd.Name == "":
			return invalid(f+".name", "is empty")
		case fd.Parameters != nil && fd.ParametersJsonSchema != nil:
			return invalid(f+".parametersJsonSchema", "is mutually exclusive with parameters (function %q)", fd.Name)
		}
	}
	if vertex {
		if t.FileSearch != nil {
			return invalid(field+".fileSearch", geminiOnly)
		}
		for i, s := range t.MCPServers {
			if s == nil {
				continue
			}
			if s.Name != "" {
				return invalid(fmt.Sprintf("%s.mcpServers[%d].name", field, i), geminiOnly)
			}
			if s.StreamableHTTPTransport != nil {
				return invalid(fmt.Sprintf("%s.mcpServers[%d].streamableHttpTransport", field, i), geminiOnly)
			}
		}
		return nil
	}
	switch {
	case t.Retrieval != nil:
		return invalid(field+".retrieval", vertexOnly)
	case t.EnterpriseWebSearch != nil:
		return invalid(field+".enterpriseWebSearch", vertexOnly)
	case t.ParallelAISearch != nil:
		return invalid(field+".parallelAiSearch", vertexOnly)
	case t.ExaAISearch != nil:
		return invalid(field+".exaAiSearch", vertexOnly)
	}
	if gs := t.GoogleSearch; gs != nil {
		if gs.BlockingConfidence != "" {
			return invalid(field+".googleSearch.blockingConfidence", vertexOnly)
		}
		if len(gs.ExcludeDomains) > 0 {
			return invalid(field+".googleSearch.excludeDomains", vertexOnly)
		}
	}
	if gm := t.GoogleMaps; gm != nil {
		if gm.GroundingTypes != nil {
			return invalid(field+".googleMaps.groundingTypes", vertexOnly)
		}
		if ac := gm.AuthConfig; ac != nil {
			switch {
			case ac.APIKeyConfig != nil:
				return invalid(field+".googleMaps.authConfig.apiKeyConfig", vertexOnly)
			case ac.AuthType != "":
				return invalid(field+".googleMaps.authConfig.authType", vertexOnly)
			case ac.GoogleServiceAccountConfig != nil:
				return invalid(field+".googleMaps.authConfig.googleServiceAccountConfig", vertexOnly)
			case ac.HTTPBasicAuthConfig != nil:
				return invalid(field+".googleMaps.authConfig.httpBasicAuthConfig", vertexOnly)
			case ac.OauthConfig != nil:
				return invalid(field+".googleMaps.authConfig.oauthConfig", vertexOnly)
			case ac.OidcConfig != nil:
				return invalid(field+".googleMaps.authConfig.oidcConfig", vertexOnly)
			}
		}
	}
	return nil
}

// validateContent checks one content (a system instruction, a history or
// clientContent turn) against the rules of the backend.
func validateContent(vertex bool, field string, c *genai.Content) error {
	if c == nil {
		return invalid(field, "is nil")
	}
	for i, p := range c.Parts {
		f := fmt.Sprintf("%s.parts[%d]", field, i)
		if p == nil {
			return invalid(f, "is nil")
		}
		if vertex {
			switch {
			case p.ToolCall != nil:
				return invalid(f+".toolCall", geminiOnly)
			case p.ToolResponse != nil:
				return invalid(f+".toolResponse", geminiOnly)
			case len(p.PartMetadata) > 0:
				return invalid(f+".partMetadata", geminiOnly)
			}
			if p.FunctionResponse != nil {
				if err := validateFunctionResponse(true, f+".functionResponse", p.FunctionResponse); err != nil {
					return err
				}
			}
			continue
		}
		if fc := p.FunctionCall; fc != nil {
			if len(fc.PartialArgs) > 0 {
				return invalid(f+".functionCall.partialArgs", vertexOnly)
			}
			if fc.WillContinue != nil {
				return invalid(f+".functionCall.willContinue", vertexOnly)
			}
		}
	}
	return nil
}

// validateFunctionResponse checks a function response sent in a
// toolResponse or a content part.
func validateFunctionResponse(vertex bool, field string, fr *genai.FunctionResponse) error {
	if fr == nil {
		return invalid(field, "is nil")
	}
	if !vertex {
		return nil
	}
	if fr.WillContinue != nil {
		return invalid(field+".willContinue", geminiOnly)
	}
	for i, p := range fr.Parts {
		if p != nil && p.MediaProcessing != "" {
			return invalid(fmt.Sprintf("%s.parts[%d].mediaProcessing", field, i), geminiOnly)
		}
	}
	return nil
}
