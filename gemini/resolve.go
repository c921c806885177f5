package gemini

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"

	"cloud.google.com/go/auth"
	"google.golang.org/genai"
)

// ephemeralTokenPrefix marks a Gemini API ephemeral token.
const ephemeralTokenPrefix = "auth_tokens/"

// endpoint is a resolved Config: where to dial and how to authenticate.
type endpoint struct {
	backend      genai.Backend
	url          string // full WebSocket URL of the bidi endpoint
	logURL       string // url without query, safe to log
	query        string // url's query, which may hold a proxy's credential
	apiKey       string // Gemini API key, ephemeral token, or Vertex express key
	ephemeral    bool
	credentials  *auth.Credentials
	quotaProject string
	project      string
	location     string
}

// resolveEndpoint resolves cfg with the environment. The backend, key,
// project, location, base URL, API version and credentials come from
// genai's own client configuration, so they agree with the SDK; the
// pre-checks only exist to name the missing setting in the error, and
// genai's errors (which print the whole configuration, key included) never
// reach the caller unsanitised.
func resolveEndpoint(ctx context.Context, cfg *Config, lookupEnv func(string) (string, bool)) (*endpoint, error) {
	if cfg.Credentials != nil && cfg.APIKey != "" {
		return nil, &ConfigError{Problem: "Config.Credentials and Config.APIKey are mutually exclusive"}
	}
	backend := resolveBackend(cfg.Backend, lookupEnv)
	envKey := apiKeyFromEnv(lookupEnv)
	secrets := []string{cfg.APIKey, envKey}

	switch backend {
	case genai.BackendGeminiAPI:
		if cfg.APIKey == "" && envKey == "" {
			return nil, &ConfigError{Field: "APIKey", Env: []string{envGoogleAPIKey, envGeminiAPIKey},
				Problem: "no API key for the Gemini API"}
		}
		if cfg.Project != "" || cfg.Location != "" {
			return nil, &ConfigError{Field: "Backend", Env: []string{envUseVertexAI},
				Problem: "Config.Project and Config.Location are Vertex AI settings; the Gemini API does not use them"}
		}
	case genai.BackendVertexAI:
		project := cfg.Project
		if project == "" {
			project, _ = lookupEnv(envCloudProject)
		}
		baseURL := cfg.BaseURL
		if baseURL == "" {
			baseURL, _ = lookupEnv(envVertexBaseURL)
		}
		if project == "" && cfg.APIKey == "" && envKey == "" && baseURL == "" {
			return nil, &ConfigError{Field: "Project", Env: []string{envCloudProject},
				Problem: "no Google Cloud project for Vertex AI (or an API key for express mode)"}
		}
	}

	// genai wraps the credentials it is given in a token cache, in place; it
	// gets a copy so the caller's credentials are left as they were.
	var genaiCreds *auth.Credentials
	if cfg.Credentials != nil {
		c := *cfg.Credentials
		genaiCreds = &c
	}
	client, err := genai.NewClient(ctx, &genai.ClientConfig{
		Backend:     backend,
		APIKey:      cfg.APIKey,
		Project:     cfg.Project,
		Location:    cfg.Location,
		Credentials: genaiCreds,
		HTTPOptions: genai.HTTPOptions{BaseURL: cfg.BaseURL, APIVersion: cfg.APIVersion},
	})
	if err != nil {
		return nil, sanitizeGenaiError(err, secrets)
	}
	cc := client.ClientConfig()

	ep := &endpoint{
		backend:     cc.Backend,
		apiKey:      cc.APIKey,
		credentials: cc.Credentials, // Application Default Credentials, when none were given
		project:     cc.Project,
		location:    cc.Location,
	}
	if cfg.Credentials != nil && cc.Credentials != nil {
		ep.credentials = cfg.Credentials
	}
	version := cc.HTTPOptions.APIVersion
	if ep.backend == genai.BackendGeminiAPI && strings.HasPrefix(ep.apiKey, ephemeralTokenPrefix) {
		ep.ephemeral = true
		switch cfg.APIVersion {
		case "":
			version = "v1alpha"
		case "v1alpha":
		default:
			return nil, &ConfigError{Field: "APIVersion",
				Problem: fmt.Sprintf("ephemeral tokens (auth_tokens/...) work only on API version v1alpha, not %q", cfg.APIVersion)}
		}
	}
	if ep.backend == genai.BackendVertexAI && ep.apiKey == "" && ep.credentials != nil {
		q, err := ep.credentials.QuotaProjectID(ctx)
		if err != nil {
			return nil, redact(fmt.Errorf("gemini: reading the credentials' quota project: %w", err), secrets...)
		}
		ep.quotaProject = q
	}
	u, err := bidiURL(ep, cc.HTTPOptions.BaseURL, version)
	if err != nil {
		return nil, err
	}
	ep.url = u.String()
	ep.query = u.RawQuery
	u.RawQuery = ""
	ep.logURL = u.String()
	return ep, nil
}

// resolveBackend applies genai's rules: an explicit backend wins, then
// GOOGLE_GENAI_USE_ENTERPRISE, then GOOGLE_GENAI_USE_VERTEXAI ("1" or
// "true"), else the Gemini API.
func resolveBackend(b genai.Backend, lookupEnv func(string) (string, bool)) genai.Backend {
	switch b {
	case genai.BackendEnterprise:
		return genai.BackendVertexAI
	case genai.BackendGeminiAPI, genai.BackendVertexAI:
		return b
	}
	isTrue := func(v string) bool {
		v = strings.ToLower(v)
		return v == "1" || v == "true"
	}
	if v, ok := lookupEnv(envUseEnterprise); ok {
		if isTrue(v) {
			return genai.BackendVertexAI
		}
		return genai.BackendGeminiAPI
	}
	if v, ok := lookupEnv(envUseVertexAI); ok && isTrue(v) {
		return genai.BackendVertexAI
	}
	return genai.BackendGeminiAPI
}

// apiKeyFromEnv returns GOOGLE_API_KEY, else GEMINI_API_KEY.
func apiKeyFromEnv(lookupEnv func(string) (string, bool)) string {
	if v, _ := lookupEnv(envGoogleAPIKey); v != "" {
		return v
	}
	v, _ := lookupEnv(envGeminiAPIKey)
	return v
}

// sanitizeGenaiError turns an error from genai.NewClient into one that
// names what to set and carries no secret: genai formats the whole
// ClientConfig, API key included, into some of its errors.
func sanitizeGenaiError(err error, secrets []string) error {
	msg := err.Error()
	if i := strings.Index(msg, "ClientConfig:"); i >= 0 {
		msg = strings.TrimRight(msg[:i], " .")
		err = errors.New(msg)
	}
	if strings.Contains(msg, "default credentials") {
		return redact(&credentialsError{err: err}, secrets...)
	}
	return redact(fmt.Errorf("gemini: resolving the configuration: %w", err), secrets...)
}

// credentialsError reports that Vertex AI needs credentials and none were
// found.
type credentialsError struct{ err error }

func (e *credentialsError) Error() string {
	return "gemini: no Vertex AI credentials: set Config.Credentials or Config.APIKey, or configure " +
		"Application Default Credentials (the GOOGLE_APPLICATION_CREDENTIALS environment variable or " +
		"gcloud auth application-default login): " + e.err.Error()
}

func (e *credentialsError) Unwrap() error { return e.err }

// bidiURL builds the WebSocket URL of the bidi endpoint (docs/PROTOCOL.md §1).
func bidiURL(ep *endpoint, baseURL, version string) (*url.URL, error) {
	envName := envGeminiBaseURL
	if ep.backend == genai.BackendVertexAI {
		envName = envVertexBaseURL
	}
	base, err := url.Parse(baseURL)
	if err != nil {
		return nil, &ConfigError{Field: "BaseURL", Env: []string{envName}, Problem: "the base URL does not parse"}
	}
	scheme := base.Scheme
	switch scheme {
	case "http":
		scheme = "ws"
	case "https":
		scheme = "wss"
	case "ws", "wss":
	default:
		return nil, &ConfigError{Field: "BaseURL", Env: []string{envName},
			Problem: fmt.Sprintf("the base URL scheme %q is not http, https, ws or wss", base.Scheme)}
	}
	if base.Host == "" {
		return nil, &ConfigError{Field: "BaseURL", Env: []string{envName}, Problem: "the base URL has no host"}
	}
	var p string
	switch {
	case ep.backend == genai.BackendVertexAI && ep.project == "" && ep.apiKey == "":
		// A custom base URL without project or key is a proxy that owns
		// its path (genai does the same).
		p = base.Path
	case ep.backend == genai.BackendVertexAI:
		p = path.Join(base.Path, "ws/google.cloud.aiplatform."+version+".LlmBidiService/BidiGenerateContent")
	case ep.ephemeral:
		p = path.Join(base.Path, "ws/google.ai.generativelanguage."+version+".GenerativeService.BidiGenerateContentConstrained")
	default:
		p = path.Join(base.Path, "ws/google.ai.generativelanguage."+version+".GenerativeService.BidiGenerateContent")
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return &url.URL{Scheme: scheme, Host: base.Host, Path: p, RawQuery: base.RawQuery}, nil
}

// authHeader returns the handshake headers for one dial: the configured
// extra headers plus authentication, with a fresh token from the
// credentials.
func (ep *endpoint) authHeader(ctx context.Context, extra http.Header) (http.Header, error) {
	h := extra.Clone()
	if h == nil {
		h = http.Header{}
	}
	switch {
	case ep.ephemeral:
		h.Set("Authorization", "Token "+ep.apiKey)
	case ep.apiKey != "":
		h.Set("x-goog-api-key", ep.apiKey)
	case ep.credentials != nil:
		tok, err := ep.credentials.Token(ctx)
		if err != nil {
			return nil, redact(fmt.Errorf("gemini: getting an access token: %w", err), ep.apiKey)
		}
		typ := tok.Type
		if typ == "" {
			typ = "Bearer"
		}
		h.Set("Authorization", typ+" "+tok.Value)
		if ep.quotaProject != "" && h.Get("X-Goog-User-Project") == "" {
			h.Set("X-Goog-User-Project", ep.quotaProject)
		}
	}
	return h, nil
}

// modelResourceName is the setup.model value for a configured model name
// (docs/PROTOCOL.md §1): "models/<id>" on the Gemini API,
// "projects/{p}/locations/{l}/publishers/google/models/<id>" on Vertex AI.
// Names already in full form are kept. The rules are genai's.
func modelResourceName(backend genai.Backend, project, location, name string) (string, error) {
	if name == "" {
		return "", &ConfigError{Problem: "the model name is empty"}
	}
	if strings.ContainsAny(name, "?&") || strings.Contains(name, "..") {
		return "", &ConfigError{Problem: fmt.Sprintf("the model name %q contains ?, & or ..", name)}
	}
	if backend != genai.BackendVertexAI {
		if strings.HasPrefix(name, "models/") || strings.HasPrefix(name, "tunedModels/") {
			return name, nil
		}
		return "models/" + name, nil
	}
	switch {
	case strings.HasPrefix(name, "projects/"):
		return name, nil
	case strings.HasPrefix(name, "models/"):
		name = "publishers/google/" + name
	case strings.HasPrefix(name, "publishers/"):
	case strings.Contains(name, "/"):
		publisher, id, _ := strings.Cut(name, "/")
		name = "publishers/" + publisher + "/models/" + id
	default:
		name = "publishers/google/models/" + name
	}
	if project != "" && location != "" {
		return "projects/" + project + "/locations/" + location + "/" + name, nil
	}
	return name, nil
}
