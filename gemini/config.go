package gemini

import (
	"log/slog"
	"net/http"

	"cloud.google.com/go/auth"
	"google.golang.org/genai"
)

// DefaultReadLimit is the largest server message, in bytes, a connection
// accepts when [Config.ReadLimit] is 0. Audio chunks are well under it; the
// WebSocket library's own default (32 KiB) is too small for them.
const DefaultReadLimit = 4 << 20

// Environment variables read when the corresponding [Config] field is
// empty. They are the genai SDK's, resolved the same way.
const (
	envUseVertexAI   = "GOOGLE_GENAI_USE_VERTEXAI"   // "true" or "1" selects Vertex AI
	envUseEnterprise = "GOOGLE_GENAI_USE_ENTERPRISE" // newer spelling; wins over envUseVertexAI
	envGoogleAPIKey  = "GOOGLE_API_KEY"              // wins over envGeminiAPIKey
	envGeminiAPIKey  = "GEMINI_API_KEY"
	envCloudProject  = "GOOGLE_CLOUD_PROJECT"
	envCloudLocation = "GOOGLE_CLOUD_LOCATION" // default "global"
	envCloudRegion   = "GOOGLE_CLOUD_REGION"   // used when envCloudLocation is unset
	envGeminiBaseURL = "GOOGLE_GEMINI_BASE_URL"
	envVertexBaseURL = "GOOGLE_VERTEX_BASE_URL"
)

// Config configures a [Model]. The zero value (or a nil *Config) takes
// everything from the environment, like the genai SDK: the backend from
// GOOGLE_GENAI_USE_ENTERPRISE / GOOGLE_GENAI_USE_VERTEXAI, the API key from
// GOOGLE_API_KEY or GEMINI_API_KEY, the Vertex AI project and location from
// GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION (or GOOGLE_CLOUD_REGION,
// default "global"), base URLs from GOOGLE_GEMINI_BASE_URL and
// GOOGLE_VERTEX_BASE_URL, and Vertex AI credentials from Application
// Default Credentials. A field that is set wins over its variable.
type Config struct {
	// Backend selects the Gemini API (genai.BackendGeminiAPI) or Vertex AI
	// (genai.BackendVertexAI; genai.BackendEnterprise means the same).
	// genai.BackendUnspecified resolves it from the environment and
	// defaults to the Gemini API.
	Backend genai.Backend

	// APIKey authenticates with the Gemini API, or with Vertex AI in
	// express mode. A Gemini API ephemeral token ("auth_tokens/...") is
	// accepted too: it is sent as "Authorization: Token ..." to the
	// constrained endpoint, on API version v1alpha. Mutually exclusive with
	// Credentials.
	APIKey string

	// Project is the Google Cloud project (Vertex AI only).
	Project string

	// Location is the Google Cloud location, for example "us-central1" or
	// "global" (Vertex AI only).
	Location string

	// Credentials authenticate with Vertex AI. Nil means Application
	// Default Credentials with the cloud-platform scope. A fresh token is
	// taken from them for every connection.
	Credentials *auth.Credentials

	// BaseURL overrides the service's base URL, for example a local fake
	// ("ws://127.0.0.1:8080") or a proxy. http becomes ws and https becomes
	// wss; ws and wss are kept.
	BaseURL string

	// APIVersion overrides the API version in the endpoint path. The default
	// is v1beta on the Gemini API (v1alpha with an ephemeral token) and
	// v1beta1 on Vertex AI.
	APIVersion string

	// Header holds extra HTTP headers sent with every WebSocket handshake.
	Header http.Header

	// HTTPClient performs the WebSocket handshake. Nil means a client of
	// the model's own, like http.DefaultClient but with keep-alives off:
	// a dial abandoned by its context (a connect timeout, a closed queue)
	// would otherwise finish in the background and leave an idle
	// connection, and its goroutines, in the pool for 90 seconds. It is
	// used for the dial only: authentication is added by this package.
	HTTPClient *http.Client

	// ReadLimit is the largest server message accepted, in bytes. 0 means
	// DefaultReadLimit; a negative value means no limit. A larger message
	// ends the connection with a *CloseError of status 1009.
	ReadLimit int64

	// Logger receives debug records about dialing, setup and closing. Nil
	// means slog.Default(). Secrets are never logged.
	Logger *slog.Logger

	// MediaChunks sends realtime audio and video as the deprecated
	// realtimeInput.mediaChunks, for older models that need it. Gemini 3.1
	// live models refuse mediaChunks, so NewModel rejects this option for
	// them.
	MediaChunks bool
}
