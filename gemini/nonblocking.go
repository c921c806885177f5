package gemini

import (
	"fmt"

	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
)

var _ live.NonBlockingChecker = (*Model)(nil)

// nonBlockingRule says where the response fields of NON_BLOCKING functions
// are accepted (docs/PROTOCOL.md §3, toolResponse).
const nonBlockingRule = "functionResponse.scheduling and willContinue (the responses of NON_BLOCKING functions) " +
	"are accepted only by the Gemini API, not by Vertex AI or gemini-3.1 live models"

// CheckNonBlocking reports whether the model accepts the scheduling and
// willContinue fields of function responses: nil on the Gemini API, an
// error matching ErrInvalidRequest on Vertex AI and on gemini-3.1 live
// models, which refuse them.
func (m *Model) CheckNonBlocking() error {
	switch {
	case m.ep.backend == genai.BackendVertexAI:
		return fmt.Errorf("%w: Vertex AI refuses them: %s", ErrInvalidRequest, nonBlockingRule)
	case m.family.live31:
		return fmt.Errorf("%w: model %s refuses them: %s", ErrInvalidRequest, m.name, nonBlockingRule)
	}
	return nil
}

// checkNonBlockingFields refuses scheduling and willContinue in r, for
// the backends and model families that do not accept them.
func checkNonBlockingFields(r *genai.LiveClientToolResponse) error {
	if r == nil {
		return nil
	}
	for i, fr := range r.FunctionResponses {
		if fr == nil {
			continue
		}
		field := fmt.Sprintf("toolResponse.functionResponses[%d]", i)
		if fr.WillContinue != nil {
			return invalid(field+".willContinue", "%s", nonBlockingRule)
		}
		if fr.Scheduling != "" {
			return invalid(field+".scheduling", "%s", nonBlockingRule)
		}
	}
	return nil
}
