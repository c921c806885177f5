package livetest

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/coder/websocket"
	"google.golang.org/genai"
)

// endpoint is what a request path says about the session: which backend,
// which API version, and whether it is the ephemeral-token method.
type endpoint struct {
	backend     genai.Backend
	version     string
	constrained bool
}

const (
	geminiPrefix = "/ws/google.ai.generativelanguage."
	geminiMethod = ".GenerativeService.BidiGenerateContent"
	vertexPrefix = "/ws/google.cloud.aiplatform."
	vertexMethod = ".LlmBidiService/BidiGenerateContent"
)

// parseEndpoint matches a request path by suffix, so any prefix (a base URL
// path, or the double slash some SDKs produce) is accepted.
func parseEndpoint(path string) (endpoint, bool) {
	if i := strings.LastIndex(path, geminiPrefix); i >= 0 {
		rest := path[i+len(geminiPrefix):]
		version, method, ok := strings.Cut(rest, ".")
		if !ok {
			return endpoint{}, false
		}
		method = "." + method
		switch {
		case method == geminiMethod && (version == "v1beta" || version == "v1alpha"):
			return endpoint{backend: genai.BackendGeminiAPI, version: version}, true
		case method == geminiMethod+"Constrained" && version == "v1alpha":
			return endpoint{backend: genai.BackendGeminiAPI, version: version, constrained: true}, true
		}
		return endpoint{}, false
	}
	if i := strings.LastIndex(path, vertexPrefix); i >= 0 {
		rest := path[i+len(vertexPrefix):]
		version, method, ok := strings.Cut(rest, ".")
		if ok && "."+method == vertexMethod && (version == "v1beta1" || version == "v1") {
			return endpoint{backend: genai.BackendVertexAI, version: version}, true
		}
	}
	return endpoint{}, false
}

// The close statuses of connections that fail authentication.
const (
	reasonBadAPIKey      = "API key not valid. Please pass a valid API key."
	reasonBadCredentials = "Request had invalid authentication credentials."
)

func badAPIKey() *CloseStatus {
	return &CloseStatus{Code: websocket.StatusInvalidFramePayloadData, Reason: reasonBadAPIKey}
}

func badCredentials() *CloseStatus {
	return &CloseStatus{Code: websocket.StatusPolicyViolation, Reason: reasonBadCredentials}
}

// authenticate checks the request's credentials for ep and returns nil when
// they are acceptable. It never logs or returns the credential itself.
func (c *config) authenticate(ep endpoint, r *http.Request) *CloseStatus {
	apiKey := r.Header.Get("x-goog-api-key")
	if apiKey == "" {
		apiKey = r.URL.Query().Get("key")
	}
	authz := r.Header.Get("Authorization")
	switch {
	case ep.constrained:
		token, ok := strings.CutPrefix(authz, "Token ")
		if !ok {
			token = r.URL.Query().Get("access_token")
		}
		if token == "" {
			return badAPIKey()
		}
		return nil
	case ep.backend == genai.BackendVertexAI:
		if token, ok := strings.CutPrefix(authz, "Bearer "); ok {
			if matches(token, c.bearerToken) {
				return nil
			}
			return badCredentials()
		}
		if apiKey != "" {
			if matches(apiKey, c.apiKey) {
				return nil
			}
			return badAPIKey()
		}
		return badCredentials()
	default:
		if matches(apiKey, c.apiKey) {
			return nil
		}
		return badAPIKey()
	}
}

// matches reports whether got is acceptable when want is required; an
// empty want accepts any non-empty got.
func matches(got, want string) bool {
	if got == "" {
		return false
	}
	if want == "" {
		return true
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
