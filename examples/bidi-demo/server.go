package main

import (
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/examples/internal/simulator"
	"github.com/adklive/adklive/examples/internal/team"
	"github.com/adklive/adklive/runner"
	"github.com/adklive/adklive/session"
)

// server is the demo's HTTP side: the page, its configuration, and one live
// run per WebSocket.
type server struct {
	runner          *runner.Runner
	model           string
	backend         genai.Backend
	simulated       bool
	simulatorReason string
	allowedOrigins  []string
	maxFrame        int64
	logger          *slog.Logger
	static          fs.FS

	// ctx ends at shutdown (endRuns), which ends every live run.
	ctx     context.Context
	endRuns context.CancelFunc
	// conns counts the WebSocket handlers still running.
	conns sync.WaitGroup

	mu      sync.Mutex
	closing bool // no new WebSocket is accepted
	open    int  // WebSocket handlers running, as conns counts them
}

// newServer builds the demo agent on backend, its runner, and the server
// that runs it live for each WebSocket.
func newServer(cfg *config, backend *simulator.Backend, logger *slog.Logger) (*server, error) {
	var ag agent.Agent
	var err error
	if cfg.team {
		ag, err = team.New(backend.Model)
	} else {
		ag, err = newAgent(backend.Model, time.Now)
	}
	if err != nil {
		return nil, err
	}
	r, err := runner.New(runner.Config{AppName: appName, Agent: ag, SessionService: session.InMemory(), Logger: logger})
	if err != nil {
		return nil, err
	}
	ctx, endRuns := context.WithCancel(context.Background())
	return &server{
		runner:          r,
		model:           cfg.model,
		backend:         backend.Model.Backend(),
		simulated:       backend.Simulated,
		simulatorReason: backend.Reason,
		allowedOrigins:  cfg.allowedOrigins,
		maxFrame:        cfg.maxFrame,
		logger:          logger,
		static:          staticFS(),
		ctx:             ctx,
		endRuns:         endRuns,
	}, nil
}

// handler routes the demo's requests.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.serveIndex)
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(s.static)))
	mux.HandleFunc("GET /api/config", s.serveConfig)
	mux.HandleFunc("GET /ws/{user_id}/{session_id}", s.serveWebSocket)
	return mux
}

// serveIndex serves the page with a strict content security policy: every
// script, style and worklet comes from this server, and the only
// connections go back to it.
func (s *server) serveIndex(w http.ResponseWriter, r *http.Request) {
	page, err := fs.ReadFile(s.static, "index.html")
	if err != nil {
		http.Error(w, "index.html is missing from the build", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	connect := "'self'"
	if plainHost(r.Host) {
		// Older browsers do not count ws: and wss: as 'self'.
		connect += " ws://" + r.Host + " wss://" + r.Host
	}
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "+
		"connect-src "+connect+"; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
	_, _ = w.Write(page)
}

// pageConfig is what the page learns from GET /api/config.
type pageConfig struct {
	Model             string `json:"model"`
	ResponseModality  string `json:"responseModality"`
	Simulator         bool   `json:"simulator"`
	SimulatorReason   string `json:"simulatorReason,omitempty"`
	AgentName         string `json:"agentName"`
	MaxFrameBytes     int64  `json:"maxFrameBytes"`
	InputAudioFormat  string `json:"inputAudioFormat"`
	OutputAudioFormat string `json:"outputAudioFormat"`
}

func (s *server) serveConfig(w http.ResponseWriter, _ *http.Request) {
	cfg, _ := runConfigFor(s.model, s.backend, liveOptions{})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(pageConfig{
		Model:             s.model,
		ResponseModality:  string(cfg.ResponseModality()),
		Simulator:         s.simulated,
		SimulatorReason:   s.simulatorReason,
		AgentName:         agentName,
		MaxFrameBytes:     s.maxFrame,
		InputAudioFormat:  inputAudioMIME,
		OutputAudioFormat: "audio/pcm;rate=24000",
	})
}

// plainHost reports whether host (from the request) is a plain host[:port]
// that can be written into a header as it is.
func plainHost(host string) bool {
	if host == "" {
		return false
	}
	for _, c := range host {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune(".-:[]", c)) {
			return false
		}
	}
	return true
}
