package livetest

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/adklive/adklive/internal/nilcheck"
)

// An Option configures a Server. Pass options to NewServer.
type Option func(*config)

// config is the resolved set of options of one Server.
type config struct {
	apiKey        string
	bearerToken   string
	textFrames    bool
	responder     Responder
	logger        *slog.Logger
	vad           VADConfig
	noSetupReply  bool
	replay        []RecordedFrame
	replayEnabled bool
}

func newConfig(opts []Option) config {
	c := config{
		logger: slog.New(slog.DiscardHandler),
		vad:    VADConfig{Threshold: defaultVADThreshold, SilenceDuration: defaultSilence},
	}
	for _, o := range opts {
		o(&c)
	}
	if c.responder == nil {
		c.responder = Echo{}
	}
	if c.vad.Threshold <= 0 {
		c.vad.Threshold = defaultVADThreshold
	}
	if c.vad.SilenceDuration <= 0 {
		c.vad.SilenceDuration = defaultSilence
	}
	return c
}

// WithAPIKey makes the server accept only this API key (header
// x-goog-api-key or query parameter key) on the Gemini API endpoints and on
// Vertex AI express mode. By default any non-empty key is accepted. A
// connection with a wrong or missing key is upgraded, then closed with 1007
// "API key not valid. Please pass a valid API key.", as the real server does.
func WithAPIKey(key string) Option {
	return func(c *config) { c.apiKey = key }
}

// WithBearerToken makes the Vertex AI endpoint accept only this OAuth token
// (header "Authorization: Bearer TOKEN"). By default any non-empty token is
// accepted. A connection with a wrong or missing token is upgraded, then
// closed with 1008 "Request had invalid authentication credentials.".
func WithBearerToken(token string) Option {
	return func(c *config) { c.bearerToken = token }
}

// WithTextFrames makes the server send its JSON messages in text frames.
// By default it uses binary frames, as the real server does.
func WithTextFrames() Option {
	return func(c *config) { c.textFrames = true }
}

// WithResponder sets the scripted model that answers user turns for which
// no script was queued with Server.Reply or Session.Reply. The default is
// Echo, which a nil r keeps. WithResponder panics if r holds a nil pointer
// (or other nil value) of a type implementing Responder, which would fail
// only at the first user turn.
func WithResponder(r Responder) Option {
	if nilcheck.TypedNil(r) {
		panic(fmt.Sprintf("livetest: WithResponder: the Responder is a nil %T", r))
	}
	return func(c *config) {
		if r != nil {
			c.responder = r
		}
	}
}

// WithLogger sets the logger the server reports connections, rejections and
// closes to. The default discards everything. API keys and tokens are never
// logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}

// WithVAD tunes the simulated voice activity detection. Zero fields keep
// their defaults.
func WithVAD(v VADConfig) Option {
	return func(c *config) { c.vad = v }
}

// WithoutSetupComplete makes the server read and record the setup message
// but never answer it, so a client's connect timeout can be tested. Later
// messages are still recorded.
func WithoutSetupComplete() Option {
	return func(c *config) { c.noSetupReply = true }
}

// WithReplay makes every session serve the server side of a recording
// instead of simulating a model: after the client's k-th frame arrives, the
// server sends, verbatim, the server frames that follow the k-th client
// frame in frames. Setup is not validated and nothing else is sent; client
// frames are still recorded. Authentication still applies.
func WithReplay(frames []RecordedFrame) Option {
	return func(c *config) {
		c.replay = frames
		c.replayEnabled = true
	}
}

// VADConfig tunes the simulated automatic activity detection. The server
// splits incoming PCM16LE audio into 10 ms frames; a frame whose RMS level
// is at or above Threshold is speech. Speech starts user activity; silence
// lasting the setup's silenceDurationMs (SilenceDuration when the setup does
// not set it), counted in samples of audio received rather than wall-clock
// time, ends the user's turn.
type VADConfig struct {
	// Threshold is the RMS level, as a fraction of full scale (0 to 1),
	// at which a frame counts as speech. Default 0.02 (about -34 dBFS).
	Threshold float64
	// SilenceDuration is the silence that ends a turn when the setup does
	// not set realtimeInputConfig.automaticActivityDetection.silenceDurationMs.
	// Default 500 ms.
	SilenceDuration time.Duration
}

const (
	defaultVADThreshold = 0.02
	defaultSilence      = 500 * time.Millisecond
)
