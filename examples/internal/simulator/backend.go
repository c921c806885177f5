package simulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
)

// Config configures Open.
type Config struct {
	// Model is the model name, for example
	// "gemini-2.5-flash-native-audio-preview-12-2025". The simulator
	// plays that model too: its name decides nothing in the simulator, but
	// the example chooses the response modality from it.
	Model string
	// Force uses the simulator even when credentials are configured.
	Force bool
	// Logger receives the backend's records. Nil means slog.Default().
	Logger *slog.Logger
	// Responder tunes the simulated model.
	Responder Options
}

// IsNativeAudio reports whether model (any case) is a native-audio model,
// which answers only with audio: the examples ask such a model for the AUDIO
// response modality, and any other for TEXT.
func IsNativeAudio(model string) bool {
	return strings.Contains(strings.ToLower(model), "native-audio")
}

// Backend is the model an example talks to: Gemini, or the local simulator.
type Backend struct {
	// Model is the live model to give the agent.
	Model *gemini.Model
	// Simulated reports whether Model talks to the local simulator.
	Simulated bool
	// Reason says why the simulator is used (for the log and the page);
	// empty for Gemini.
	Reason string

	server *livetest.Server
}

// Open returns the backend for cfg.Model. With credentials in the
// environment (GOOGLE_API_KEY, or Vertex AI settings: see gemini.Config)
// it is Gemini. When gemini.NewModel reports that no credentials are
// configured (a *gemini.ConfigError), or cfg.Force is set, Open starts the
// local simulator on a free loopback port and returns a model pointed at
// it. Any other error (for example Vertex AI selected but its Application
// Default Credentials unusable) is returned: the user asked for Gemini, and
// a silent fallback would hide why it does not work.
//
// Close the backend when done; it stops the simulator.
func Open(ctx context.Context, cfg Config) (*Backend, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	reason := "forced with -simulator"
	if !cfg.Force {
		m, err := gemini.NewModel(ctx, cfg.Model, &gemini.Config{Logger: logger})
		if err == nil {
			return &Backend{Model: m}, nil
		}
		var ce *gemini.ConfigError
		if !errors.As(err, &ce) {
			return nil, err
		}
		reason = ce.Error()
	}
	srv := livetest.NewServer(
		livetest.WithResponder(NewResponder(cfg.Responder)),
		// The fake server reports every connection at INFO; in an example
		// that is noise, so it goes to DEBUG.
		livetest.WithLogger(slog.New(quieter{logger.Handler()}).With("component", "simulator")),
	)
	m, err := gemini.NewModel(ctx, cfg.Model, &gemini.Config{
		Backend: genai.BackendGeminiAPI,
		APIKey:  "local-simulator", // the simulator accepts any key
		BaseURL: srv.URL,
		Logger:  logger,
	})
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("simulator: %w", err)
	}
	return &Backend{Model: m, Simulated: true, Reason: reason, server: srv}, nil
}

// Server returns the simulator's fake Live API server, or nil when the
// backend is Gemini. Tests read from it what the model received (see
// livetest.Server.Sessions).
func (b *Backend) Server() *livetest.Server { return b.server }

// Close stops the simulator, if the backend runs one: every open simulated
// connection is closed with 1001 (going away). It is idempotent.
func (b *Backend) Close() {
	if b.server != nil {
		b.server.Close()
	}
}

// quieter passes records to h, demoting INFO to DEBUG.
type quieter struct{ h slog.Handler }

func (q quieter) Enabled(ctx context.Context, l slog.Level) bool {
	return q.h.Enabled(ctx, q.level(l))
}

func (q quieter) Handle(ctx context.Context, r slog.Record) error {
	r.Level = q.level(r.Level)
	return q.h.Handle(ctx, r)
}

func (q quieter) WithAttrs(as []slog.Attr) slog.Handler { return quieter{q.h.WithAttrs(as)} }
func (q quieter) WithGroup(name string) slog.Handler    { return quieter{q.h.WithGroup(name)} }

func (quieter) level(l slog.Level) slog.Level {
	if l == slog.LevelInfo {
		return slog.LevelDebug
	}
	return l
}
