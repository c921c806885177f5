package gemini

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path"
	"strings"

	"github.com/coder/websocket"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
)

// Model is a live model on the Gemini API or Vertex AI. It implements
// [live.Model]; each Connect opens one WebSocket session. A Model is
// immutable and safe for concurrent use.
type Model struct {
	name        string // as configured
	resource    string // setup.model
	family      family
	ep          *endpoint
	header      http.Header
	httpClient  *http.Client
	readLimit   int64
	logger      *slog.Logger
	mediaChunks bool
	bufs        *buffers
}

var (
	_ live.Model  = (*Model)(nil)
	_ live.Dialer = (*Model)(nil)
)

// NewModel resolves cfg (nil means everything from the environment; see
// [Config]) and returns the model called name, for example
// "gemini-2.5-flash-native-audio-preview-12-2025". Names already in full
// resource form ("models/...", "projects/.../models/...") are kept.
//
// It fails with a *[ConfigError] naming the field or environment variable to
// set when the backend cannot be resolved (no API key for the Gemini API, no
// project for Vertex AI). On Vertex AI without explicit credentials it
// looks up Application Default Credentials, which may use ctx. No error
// or log record ever contains the API key or a token.
func NewModel(ctx context.Context, name string, cfg *Config) (*Model, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	ep, err := resolveEndpoint(ctx, cfg, os.LookupEnv)
	if err != nil {
		return nil, err
	}
	resource, err := modelResourceName(ep.backend, ep.project, ep.location, name)
	if err != nil {
		return nil, err
	}
	fam := familyOf(name)
	if cfg.MediaChunks && fam.live31 {
		return nil, &ConfigError{Field: "MediaChunks",
			Problem: "gemini-3.1 live models refuse realtimeInput.mediaChunks; leave Config.MediaChunks false"}
	}
	limit := cfg.ReadLimit
	switch {
	case limit == 0:
		limit = DefaultReadLimit
	case limit < 0:
		limit = -1
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	return &Model{
		name:        name,
		resource:    resource,
		family:      fam,
		ep:          ep,
		header:      cfg.Header.Clone(),
		httpClient:  dialClient(cfg.HTTPClient),
		readLimit:   limit,
		logger:      logger,
		mediaChunks: cfg.MediaChunks,
		bufs:        new(buffers),
	}, nil
}

// Name returns the model name as it was given to NewModel.
func (m *Model) Name() string { return m.name }

// Backend returns the resolved backend: genai.BackendGeminiAPI or
// genai.BackendVertexAI.
func (m *Model) Backend() genai.Backend { return m.ep.backend }

// Connect dials the model, sends the setup built from req.Setup (with its
// Model field replaced by the full resource name), waits for the server's
// setupComplete, then sends req.History as one clientContent message. The
// setup and history are validated before dialing: a field the backend or
// model family refuses fails with an error matching [ErrInvalidRequest]
// that names it.
//
// The dial and the wait for setupComplete honour ctx: when ctx ends first,
// the socket is closed and Connect returns an error wrapping ctx's error.
// A server that closes the connection during setup yields a *[CloseError]
// with its code and reason.
func (m *Model) Connect(ctx context.Context, req *live.ConnectRequest) (live.Conn, error) {
	c, err := m.connect(ctx, req)
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (m *Model) connect(ctx context.Context, req *live.ConnectRequest) (*Conn, error) {
	frames, err := m.encodeConnect(req)
	if err != nil {
		return nil, err
	}
	ws, err := m.dial(ctx)
	if err != nil {
		return nil, err
	}
	return m.setup(ctx, ws, frames)
}

// connectFrames are the setup and history frames of a connection.
type connectFrames struct{ setup, history []byte }

// encodeConnect validates and encodes req before anything is dialled.
func (m *Model) encodeConnect(req *live.ConnectRequest) (connectFrames, error) {
	if req == nil {
		req = &live.ConnectRequest{}
	}
	var f connectFrames
	var err error
	if f.setup, err = encodeSetup(m.ep.backend, m.resource, m.family, req.Setup, len(req.History) > 0); err != nil {
		return f, err
	}
	if len(req.History) > 0 {
		if f.history, err = encodeHistory(m.ep.backend, req.History); err != nil {
			return f, err
		}
	}
	return f, nil
}

// dial opens the WebSocket.
func (m *Model) dial(ctx context.Context) (*websocket.Conn, error) {
	header, err := m.ep.authHeader(ctx, m.header)
	if err != nil {
		return nil, err
	}
	m.logger.DebugContext(ctx, "gemini: dialing", "url", m.ep.logURL, "model", m.resource)
	ws, resp, err := websocket.Dial(ctx, m.ep.url, &websocket.DialOptions{
		HTTPClient: m.httpClient,
		HTTPHeader: header,
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("gemini: dial: %w", ctx.Err())
		}
		// The URL's query may hold a credential of a proxy: errors show the
		// URL without it.
		if m.ep.query != "" {
			err = rewrite(err, "?"+m.ep.query, "")
		}
		de := &DialError{Err: redact(err, m.secrets(header)...)}
		if resp != nil {
			de.StatusCode = resp.StatusCode
		}
		return nil, de
	}
	ws.SetReadLimit(m.readLimit)
	return ws, nil
}

// setup sends the setup on an open WebSocket, waits for setupComplete and
// sends the history. It closes ws when it fails.
func (m *Model) setup(ctx context.Context, ws *websocket.Conn, f connectFrames) (*Conn, error) {
	c := newConn(ws, m)
	if err := c.writeFrame(ctx, f.setup); err != nil {
		ws.CloseNow()
		return nil, fmt.Errorf("gemini: sending setup: %w", err)
	}
	first, err := c.receive(ctx)
	if err != nil {
		ws.CloseNow()
		return nil, fmt.Errorf("gemini: waiting for setupComplete: %w", err)
	}
	if first.SetupComplete == nil {
		ws.CloseNow()
		return nil, &ProtocolError{Problem: "the server's first message is not setupComplete"}
	}
	c.sessionID = first.SetupComplete.SessionID
	c.pending = first
	m.logger.DebugContext(ctx, "gemini: session ready", "model", m.resource, "session_id", c.sessionID)

	if f.history != nil {
		if err := c.writeFrame(ctx, f.history); err != nil {
			ws.CloseNow()
			return nil, fmt.Errorf("gemini: sending history: %w", err)
		}
	}
	return c, nil
}

// Dial opens the WebSocket of a connection without sending its setup. It
// implements [live.Dialer]: the flow dials the replacement of a connection
// the server is retiring (goAway) early, and sends the setup, with the
// newest resumption handle, when it switches. The dial honours ctx as
// Connect does.
func (m *Model) Dial(ctx context.Context) (live.Dialed, error) {
	ws, err := m.dial(ctx)
	if err != nil {
		return nil, err
	}
	return &dialed{m: m, ws: ws}, nil
}

// dialed is an open WebSocket waiting for its setup.
type dialed struct {
	m  *Model
	ws *websocket.Conn
}

// Connect sends the setup built from req, waits for setupComplete, and
// sends req.History, as Model.Connect does after its dial.
func (d *dialed) Connect(ctx context.Context, req *live.ConnectRequest) (live.Conn, error) {
	f, err := d.m.encodeConnect(req)
	if err != nil {
		d.ws.CloseNow()
		return nil, err
	}
	c, err := d.m.setup(ctx, d.ws, f)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Close drops the WebSocket unused.
func (d *dialed) Close() error { return d.ws.CloseNow() }

// dialClient returns c, or when it is nil a client for WebSocket dials
// that keeps no idle connection (see Config.HTTPClient).
func dialClient(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DisableKeepAlives = true
	return &http.Client{Transport: t}
}

// secrets lists the values that must never appear in an error.
func (m *Model) secrets(header http.Header) []string {
	s := []string{m.ep.apiKey}
	if a := header.Get("Authorization"); a != "" {
		_, tok, _ := strings.Cut(a, " ")
		s = append(s, tok)
	}
	return s
}

// family is what this package needs to know about a model family.
type family struct {
	// live31 marks gemini-3.1 live models: mid-session text only as
	// realtimeInput.text, no mediaChunks, history only with historyConfig.
	live31 bool
}

// familyOf classifies a model by the last segment of its name: the
// gemini-3.1-*live* models form their own family.
func familyOf(name string) family {
	id := path.Base(name)
	return family{live31: strings.HasPrefix(id, "gemini-3.1-") && strings.Contains(id, "live")}
}
