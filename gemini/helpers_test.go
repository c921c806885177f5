package gemini_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/auth"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
)

// Helpers of the tests (package gemini_test) that drive a Conn against the
// fake Live server of package livetest, through the public API only.

var backends = []genai.Backend{genai.BackendGeminiAPI, genai.BackendVertexAI}

type tokenSource string

func (s tokenSource) Token(context.Context) (*auth.Token, error) {
	return &auth.Token{Value: string(s), Type: "Bearer"}, nil
}

// newModel returns a model pointed at srv, with explicit credentials so
// the environment plays no part.
func newModel(t *testing.T, srv *livetest.Server, backend genai.Backend, name string, cfg *gemini.Config) *gemini.Model {
	t.Helper()
	c := gemini.Config{}
	if cfg != nil {
		c = *cfg
	}
	c.Backend, c.BaseURL = backend, srv.URL
	if backend == genai.BackendVertexAI {
		c.Project, c.Location = "test-project", "us-central1"
		c.Credentials = auth.NewCredentials(&auth.CredentialsOptions{TokenProvider: tokenSource("ya29.test")})
	} else if c.APIKey == "" {
		c.APIKey = "test-key"
	}
	m, err := gemini.NewModel(context.Background(), name, &c)
	if err != nil {
		t.Fatalf("NewModel: %v", err)
	}
	return m
}

func textSetup() *genai.LiveClientSetup {
	return &genai.LiveClientSetup{GenerationConfig: &genai.GenerationConfig{ResponseModalities: []genai.Modality{genai.ModalityText}}}
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// receiveTurn receives until turnComplete and returns every response.
func receiveTurn(ctx context.Context, t *testing.T, c live.Conn) []*live.Response {
	t.Helper()
	var out []*live.Response
	for {
		r, err := c.Receive(ctx)
		if err != nil {
			t.Fatalf("Receive: %v", err)
		}
		out = append(out, r)
		if r.ServerContent != nil && r.ServerContent.TurnComplete {
			return out
		}
	}
}

func modelText(rs []*live.Response) string {
	var b strings.Builder
	for _, r := range rs {
		if r.ServerContent != nil && r.ServerContent.ModelTurn != nil {
			for _, p := range r.ServerContent.ModelTurn.Parts {
				b.WriteString(p.Text)
			}
		}
	}
	return b.String()
}
