package gemini

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/auth"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
)

// TestResolveEndpoint checks the URL, backend and authentication that a
// configuration and environment resolve to (docs/PROTOCOL.md §1).
func TestResolveEndpoint(t *testing.T) {
	creds := staticCredentials("ya29.token")
	tests := []struct {
		name        string
		env         map[string]string
		cfg         Config
		wantBackend genai.Backend
		wantURL     string
		wantKey     string
	}{
		{"Gemini API default", map[string]string{envGoogleAPIKey: "k1"}, Config{},
			genai.BackendGeminiAPI, "wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", "k1"},
		{"GOOGLE_API_KEY wins over GEMINI_API_KEY", map[string]string{envGoogleAPIKey: "google", envGeminiAPIKey: "gemini"}, Config{},
			genai.BackendGeminiAPI, "wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", "google"},
		{"GEMINI_API_KEY alone", map[string]string{envGeminiAPIKey: "gemini"}, Config{},
			genai.BackendGeminiAPI, "wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", "gemini"},
		{"explicit key wins over the environment", map[string]string{envGoogleAPIKey: "env"}, Config{APIKey: "explicit"},
			genai.BackendGeminiAPI, "wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", "explicit"},
		{"API version v1alpha", nil, Config{APIKey: "k", APIVersion: "v1alpha"},
			genai.BackendGeminiAPI, "wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContent", "k"},
		{"ephemeral token", nil, Config{APIKey: "auth_tokens/abc"},
			genai.BackendGeminiAPI, "wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained", "auth_tokens/abc"},
		{"Gemini base URL from the environment", map[string]string{envGoogleAPIKey: "k", envGeminiBaseURL: "http://localhost:9000/prefix/"}, Config{},
			genai.BackendGeminiAPI, "ws://localhost:9000/prefix/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", "k"},
		{"https base URL", nil, Config{APIKey: "k", BaseURL: "https://proxy.example.com"},
			genai.BackendGeminiAPI, "wss://proxy.example.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", "k"},
		{"ws base URL kept", nil, Config{APIKey: "k", BaseURL: "ws://127.0.0.1:1234"},
			genai.BackendGeminiAPI, "ws://127.0.0.1:1234/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", "k"},
		{"wss base URL kept", nil, Config{APIKey: "k", BaseURL: "wss://127.0.0.1:1234/"},
			genai.BackendGeminiAPI, "wss://127.0.0.1:1234/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", "k"},
		{"Vertex AI regional", nil, Config{Backend: genai.BackendVertexAI, Project: "p", Location: "us-central1", Credentials: creds},
			genai.BackendVertexAI, "wss://us-central1-aiplatform.googleapis.com/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent", ""},
		{"Vertex AI location defaults to global", map[string]string{envUseVertexAI: "true", envCloudProject: "p"}, Config{Credentials: creds},
			genai.BackendVertexAI, "wss://aiplatform.googleapis.com/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent", ""},
		{"GOOGLE_CLOUD_REGION when the location is unset", map[string]string{envUseVertexAI: "1", envCloudProject: "p", envCloudRegion: "europe-west4"}, Config{Credentials: creds},
			genai.BackendVertexAI, "wss://europe-west4-aiplatform.googleapis.com/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent", ""},
		{"GOOGLE_GENAI_USE_ENTERPRISE wins", map[string]string{envUseEnterprise: "true", envUseVertexAI: "false", envCloudProject: "p", envCloudLocation: "us-east1"}, Config{Credentials: creds},
			genai.BackendVertexAI, "wss://us-east1-aiplatform.googleapis.com/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent", ""},
		{"GOOGLE_GENAI_USE_ENTERPRISE false", map[string]string{envUseEnterprise: "false", envUseVertexAI: "true", envGoogleAPIKey: "k"}, Config{},
			genai.BackendGeminiAPI, "wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", "k"},
		{"BackendEnterprise means Vertex AI", nil, Config{Backend: genai.BackendEnterprise, Project: "p", Location: "global", Credentials: creds},
			genai.BackendVertexAI, "wss://aiplatform.googleapis.com/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent", ""},
		{"Vertex AI express mode", nil, Config{Backend: genai.BackendVertexAI, APIKey: "vk"},
			genai.BackendVertexAI, "wss://aiplatform.googleapis.com/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent", "vk"},
		{"Vertex AI base URL from the environment", map[string]string{envVertexBaseURL: "http://127.0.0.1:9/"},
			Config{Backend: genai.BackendVertexAI, Project: "p", Location: "l", Credentials: creds},
			genai.BackendVertexAI, "ws://127.0.0.1:9/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent", ""},
		{"Vertex AI proxy owns its path", nil, Config{Backend: genai.BackendVertexAI, BaseURL: "https://proxy.example.com/live?tenant=1"},
			genai.BackendVertexAI, "wss://proxy.example.com/live?tenant=1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearGenaiEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			ep, err := resolveEndpoint(context.Background(), &tt.cfg, os.LookupEnv)
			if err != nil {
				t.Fatal(err)
			}
			if ep.backend != tt.wantBackend || ep.url != tt.wantURL || ep.apiKey != tt.wantKey {
				t.Errorf("resolved (%v, %s, key %q), want (%v, %s, key %q)", ep.backend, ep.url, ep.apiKey, tt.wantBackend, tt.wantURL, tt.wantKey)
			}
			if strings.Contains(ep.logURL, "?") {
				t.Errorf("logURL %q keeps the query", ep.logURL)
			}
		})
	}
}

// TestResolveBackendAgreesWithGenai checks our backend choice against
// genai's for every combination of the two selection variables.
func TestResolveBackendAgreesWithGenai(t *testing.T) {
	values := []string{"", "true", "1", "TRUE", "false", "0", "yes"}
	for _, enterprise := range values {
		for _, vertex := range values {
			t.Run("enterprise="+enterprise+",vertex="+vertex, func(t *testing.T) {
				clearGenaiEnv(t)
				if enterprise != "" {
					t.Setenv(envUseEnterprise, enterprise)
				}
				if vertex != "" {
					t.Setenv(envUseVertexAI, vertex)
				}
				t.Setenv(envGoogleAPIKey, "k")
				client, err := genai.NewClient(context.Background(), &genai.ClientConfig{})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := resolveBackend(genai.BackendUnspecified, os.LookupEnv), client.ClientConfig().Backend; got != want {
					t.Errorf("resolveBackend = %v, genai = %v", got, want)
				}
			})
		}
	}
}

// TestConfigErrors checks that a configuration that cannot work fails in
// NewModel, naming what to set, and never echoing a secret.
func TestConfigErrors(t *testing.T) {
	const secret = "AIzaSy-very-secret-key"
	tests := []struct {
		name  string
		env   map[string]string
		cfg   *Config
		model string
		want  []string // substrings of the error
	}{
		{"no API key", nil, nil, "m", []string{"Config.APIKey", "GOOGLE_API_KEY", "GEMINI_API_KEY"}},
		{"no Vertex AI project", map[string]string{envUseVertexAI: "true"}, nil, "m", []string{"Config.Project", "GOOGLE_CLOUD_PROJECT"}},
		{"project on the Gemini API", nil, &Config{APIKey: secret, Project: "p"}, "m", []string{"Vertex AI settings", "GOOGLE_GENAI_USE_VERTEXAI"}},
		{"credentials and key", nil, &Config{APIKey: secret, Credentials: staticCredentials("t")}, "m", []string{"mutually exclusive"}},
		{"no Application Default Credentials", map[string]string{"GOOGLE_APPLICATION_CREDENTIALS": filepath.Join(t.TempDir(), "missing.json")},
			&Config{Backend: genai.BackendVertexAI, Project: "p", Location: "l"}, "m", []string{"Config.Credentials", "GOOGLE_APPLICATION_CREDENTIALS"}},
		{"ephemeral token on v1beta", nil, &Config{APIKey: "auth_tokens/" + secret, APIVersion: "v1beta"}, "m", []string{"Config.APIVersion", "v1alpha"}},
		{"bad base URL scheme", nil, &Config{APIKey: secret, BaseURL: "ftp://example.com"}, "m", []string{"Config.BaseURL", "GOOGLE_GEMINI_BASE_URL", "ftp"}},
		{"base URL without host", nil, &Config{APIKey: secret, BaseURL: "ws:///path"}, "m", []string{"Config.BaseURL", "no host"}},
		{"empty model name", nil, &Config{APIKey: secret}, "", []string{"model name is empty"}},
		{"model name with a query", nil, &Config{APIKey: secret}, "m?key=x", []string{"model name"}},
		{"mediaChunks on 3.1", nil, &Config{APIKey: secret, MediaChunks: true}, "gemini-3.1-flash-live-preview", []string{"Config.MediaChunks"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearGenaiEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, err := NewModel(context.Background(), tt.model, tt.cfg)
			if err == nil {
				t.Fatal("NewModel succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error leaks the API key: %v", err)
			}
		})
	}
}

// TestSanitizeGenaiError checks that genai's errors, which print the whole
// ClientConfig, lose the configuration and every secret.
func TestSanitizeGenaiError(t *testing.T) {
	const secret = "AIzaSy-very-secret-key"
	_, genaiErr := genai.NewClient(context.Background(), &genai.ClientConfig{Backend: genai.BackendGeminiAPI, APIKey: secret, Project: "p"})
	if genaiErr == nil || !strings.Contains(genaiErr.Error(), secret) {
		t.Skipf("genai no longer prints the key in this error (%v); nothing to sanitise", genaiErr)
	}
	err := sanitizeGenaiError(genaiErr, []string{secret})
	if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "ClientConfig") {
		t.Errorf("sanitised error still carries the configuration: %v", err)
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), secret) {
			t.Errorf("the error chain leaks the key: %v", e)
		}
	}
	if !strings.Contains(err.Error(), "project and location are not supported") {
		t.Errorf("sanitised error lost genai's explanation: %v", err)
	}
}

func TestModelResourceName(t *testing.T) {
	tests := []struct {
		backend           genai.Backend
		project, location string
		name, want        string
	}{
		{genai.BackendGeminiAPI, "", "", "gemini-2.5-flash", "models/gemini-2.5-flash"},
		{genai.BackendGeminiAPI, "", "", "models/gemini-2.5-flash", "models/gemini-2.5-flash"},
		{genai.BackendGeminiAPI, "", "", "tunedModels/mine", "tunedModels/mine"},
		{genai.BackendVertexAI, "p", "l", "gemini-2.0-flash-live-preview-04-09", "projects/p/locations/l/publishers/google/models/gemini-2.0-flash-live-preview-04-09"},
		{genai.BackendVertexAI, "p", "l", "models/m", "projects/p/locations/l/publishers/google/models/m"},
		{genai.BackendVertexAI, "p", "l", "publishers/google/models/m", "projects/p/locations/l/publishers/google/models/m"},
		{genai.BackendVertexAI, "p", "l", "meta/llama", "projects/p/locations/l/publishers/meta/models/llama"},
		{genai.BackendVertexAI, "p", "l", "projects/x/locations/y/publishers/google/models/m", "projects/x/locations/y/publishers/google/models/m"},
		{genai.BackendVertexAI, "", "", "m", "publishers/google/models/m"},
	}
	for _, tt := range tests {
		got, err := modelResourceName(tt.backend, tt.project, tt.location, tt.name)
		if err != nil || got != tt.want {
			t.Errorf("modelResourceName(%v, %q, %q, %q) = %q, %v; want %q", tt.backend, tt.project, tt.location, tt.name, got, err, tt.want)
		}
	}
}

// TestHandshakeAuthentication checks the headers and path each kind of
// credential produces on the wire, that Vertex AI takes a fresh token per
// connection, and that nothing secret reaches the log.
func TestHandshakeAuthentication(t *testing.T) {
	clearGenaiEnv(t)
	srv := newCaptureServer(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	connect := func(t *testing.T, m *Model) *capturedSession {
		t.Helper()
		c, err := m.Connect(ctx, &live.ConnectRequest{})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return srv.next(t)
	}

	t.Run("API key", func(t *testing.T) {
		m := newTestModel(t, srv.URL, genai.BackendGeminiAPI, "m", &Config{APIKey: "AIza-secret-1", Logger: logger,
			Header: http.Header{"X-Extra": {"yes"}}})
		s := connect(t, m)
		if got := s.Request.Header.Get("x-goog-api-key"); got != "AIza-secret-1" {
			t.Errorf("x-goog-api-key = %q", got)
		}
		if got := s.Request.Header.Get("X-Extra"); got != "yes" {
			t.Errorf("configured header X-Extra = %q", got)
		}
		if s.Request.Header.Get("Authorization") != "" || s.Request.URL.RawQuery != "" {
			t.Errorf("key also sent elsewhere: Authorization %q, query %q", s.Request.Header.Get("Authorization"), s.Request.URL.RawQuery)
		}
		if want := "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"; s.Request.URL.Path != want {
			t.Errorf("path %q, want %q", s.Request.URL.Path, want)
		}
	})
	t.Run("ephemeral token", func(t *testing.T) {
		m := newTestModel(t, srv.URL, genai.BackendGeminiAPI, "m", &Config{APIKey: "auth_tokens/secret-2", Logger: logger})
		s := connect(t, m)
		if got := s.Request.Header.Get("Authorization"); got != "Token auth_tokens/secret-2" {
			t.Errorf("Authorization = %q", got)
		}
		if s.Request.Header.Get("x-goog-api-key") != "" {
			t.Error("ephemeral token also sent as x-goog-api-key")
		}
		if want := "/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained"; s.Request.URL.Path != want {
			t.Errorf("path %q, want %q", s.Request.URL.Path, want)
		}
	})
	t.Run("Vertex AI credentials", func(t *testing.T) {
		tp := &staticToken{value: "ya29.secret-3", calls: make(chan struct{}, 10)}
		creds := auth.NewCredentials(&auth.CredentialsOptions{TokenProvider: tp,
			QuotaProjectIDProvider: auth.CredentialsPropertyFunc(func(context.Context) (string, error) { return "billing-project", nil })})
		m := newTestModel(t, srv.URL, genai.BackendVertexAI, "gemini-live-2.5-flash", &Config{Credentials: creds, Logger: logger})
		if creds.TokenProvider != auth.TokenProvider(tp) {
			t.Errorf("NewModel replaced the caller's token provider with %T", creds.TokenProvider)
		}
		for i := range 2 {
			s := connect(t, m)
			if got := s.Request.Header.Get("Authorization"); got != "Bearer ya29.secret-3" {
				t.Errorf("Authorization = %q", got)
			}
			if got := s.Request.Header.Get("X-Goog-User-Project"); got != "billing-project" {
				t.Errorf("X-Goog-User-Project = %q", got)
			}
			if want := "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent"; s.Request.URL.Path != want {
				t.Errorf("path %q, want %q", s.Request.URL.Path, want)
			}
			if got, want := string(jsonValue(t, s.Setup).(map[string]any)["setup"].(map[string]any)["model"].(string)),
				"projects/test-project/locations/us-central1/publishers/google/models/gemini-live-2.5-flash"; got != want {
				t.Errorf("setup.model = %q, want %q", got, want)
			}
			if n := len(tp.calls); n != i+1 {
				t.Errorf("after %d connections the token was fetched %d times, want once per connection", i+1, n)
			}
		}
	})
	for _, secret := range []string{"AIza-secret-1", "secret-2", "ya29.secret-3"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("log contains secret %q:\n%s", secret, logs.String())
		}
	}
	if logs.Len() == 0 {
		t.Error("nothing was logged at debug level; the secret check above proves nothing")
	}
}

// TestDialErrorHidesSecrets checks a refused handshake: a typed error
// with the HTTP status, classified, without the key.
func TestDialErrorHidesSecrets(t *testing.T) {
	clearGenaiEnv(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "denied for key "+r.Header.Get("x-goog-api-key"), http.StatusForbidden)
	}))
	defer srv.Close()
	m := newTestModel(t, srv.URL+"/?key=AIza-secret-9&proxy_token=other-secret", genai.BackendGeminiAPI, "m", &Config{APIKey: "AIza-secret-9"})
	_, err := m.Connect(context.Background(), nil)
	var de *DialError
	if !errors.As(err, &de) || de.StatusCode != http.StatusForbidden {
		t.Fatalf("err = %v, want a *DialError with status 403", err)
	}
	if de.Retryable() || de.Quota() {
		t.Errorf("403: Retryable %v Quota %v, want false false", de.Retryable(), de.Quota())
	}
	if strings.Contains(err.Error(), "AIza-secret-9") || strings.Contains(err.Error(), "other-secret") {
		t.Errorf("dial error leaks a secret: %v", err)
	}
}

// TestDialErrorUnreachable checks a dial that gets no response: retryable,
// and the URL it shows has no query (where a proxy credential may sit).
func TestDialErrorUnreachable(t *testing.T) {
	clearGenaiEnv(t)
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there any more
	m := newTestModel(t, addr+"/?proxy_token=other-secret", genai.BackendGeminiAPI, "m", &Config{APIKey: "AIza-secret-8"})
	_, err := m.Connect(context.Background(), nil)
	var de *DialError
	if !errors.As(err, &de) || de.StatusCode != 0 || !de.Retryable() {
		t.Fatalf("err = %v, want a retryable *DialError without a status", err)
	}
	if strings.Contains(err.Error(), "other-secret") || strings.Contains(err.Error(), "AIza-secret-8") {
		t.Errorf("dial error leaks a secret: %v", err)
	}
	if !strings.Contains(err.Error(), "BidiGenerateContent") {
		t.Errorf("dial error %q does not show the URL it dialled", err)
	}
}
