package gemini_test

import (
	"errors"
	"strings"
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
)

// Scheduling and willContinue are accepted by the Gemini API only: the
// model says so before connecting, and a connection refuses them before
// sending.
func TestNonBlockingFieldsByBackendAndFamily(t *testing.T) {
	srv := livetest.NewServer()
	t.Cleanup(srv.Close)
	more := true
	withScheduling := &genai.LiveClientToolResponse{FunctionResponses: []*genai.FunctionResponse{
		{ID: "c1", Name: "notify", Response: map[string]any{"ok": true}, Scheduling: genai.FunctionResponseSchedulingSilent}}}
	withContinue := &genai.LiveClientToolResponse{FunctionResponses: []*genai.FunctionResponse{
		{ID: "c1", Name: "notify", Response: map[string]any{"ok": true}, WillContinue: &more}}}
	for _, tc := range []struct {
		backend genai.Backend
		model   string
		refused string // "" when accepted
	}{
		{genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", ""},
		{genai.BackendVertexAI, "gemini-live-2.5-flash", "Vertex AI"},
		{genai.BackendGeminiAPI, "gemini-3.1-flash-live-preview", "gemini-3.1-flash-live-preview"},
	} {
		t.Run(tc.model, func(t *testing.T) {
			m := newModel(t, srv, tc.backend, tc.model, nil)
			err := m.CheckNonBlocking()
			if tc.refused == "" {
				if err != nil {
					t.Fatalf("CheckNonBlocking() = %v, want nil", err)
				}
			} else if !errors.Is(err, gemini.ErrInvalidRequest) || !strings.Contains(err.Error(), tc.refused) ||
				!strings.Contains(err.Error(), "scheduling and willContinue") {
				t.Fatalf("CheckNonBlocking() = %v, want a refusal naming %s and the fields", err, tc.refused)
			}
			c, err := m.Connect(testContext(t), &live.ConnectRequest{Setup: textSetup()})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for field, r := range map[string]*genai.LiveClientToolResponse{".scheduling": withScheduling, ".willContinue": withContinue} {
				err := c.SendToolResponse(testContext(t), r)
				switch {
				case tc.refused == "" && err != nil:
					t.Errorf("sending %s: %v", field, err)
				case tc.refused != "" && (!errors.Is(err, live.ErrRejected) || !strings.Contains(err.Error(), field)):
					t.Errorf("sending %s: error %v, want a rejection naming the field", field, err)
				}
			}
		})
	}
}
