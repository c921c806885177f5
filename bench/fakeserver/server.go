package fakeserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/adklive/adklive/bench/wire"
)

// Handler serves the fake Live API. Sessions connect under a scenario's
// path (see wire.Scenario); a client starts the sessions of a scenario
// with a POST to /go/<scenario id> once they are all live.
type Handler struct {
	log *slog.Logger

	mu     sync.Mutex
	starts map[string]chan struct{} // by scenario id; closed on go
	joined map[string]int           // sessions connected, by scenario id
}

// join returns the index of a new session of the scenario.
func (h *Handler) join(id string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := h.joined[id]
	h.joined[id] = n + 1
	return n
}

// NewHandler returns a server handler that logs to log.
func NewHandler(log *slog.Logger) *Handler {
	return &Handler{log: log, starts: make(map[string]chan struct{}), joined: make(map[string]int)}
}

// start returns the channel closed when the scenario's client says go.
func (h *Handler) start(id string) chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch, ok := h.starts[id]
	if !ok {
		ch = make(chan struct{})
		h.starts[id] = ch
	}
	return ch
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if id, ok := strings.CutPrefix(r.URL.Path, "/go/"); ok && r.Method == http.MethodPost {
		ch := h.start(id)
		h.mu.Lock()
		select {
		case <-ch:
		default:
			close(ch)
		}
		h.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
		return
	}
	sc, err := wire.ParseScenario(r.URL.Path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	c, err := upgrade(w, r)
	if err != nil {
		return
	}
	defer c.nc.Close()
	if err := h.serve(c, sc); err != nil && !errors.Is(err, errClientClosed) {
		h.log.Warn("session failed", "scenario", sc.ID, "err", err)
		c.closeWith(1011, truncate(err.Error()))
	}
}

func (h *Handler) serve(c *wsConn, sc wire.Scenario) error {
	index := h.join(sc.ID)
	if _, err := c.readMessage(); err != nil { // the setup message
		return fmt.Errorf("reading setup: %w", err)
	}
	if err := c.writeFrame(opBinary, wire.SetupCompleteFrame, false); err != nil {
		return err
	}
	if err := c.writeFrame(opBinary, wire.TurnCompleteFrame, true); err != nil {
		return err
	}

	// Read upstream for as long as the session lasts: audio in the
	// upstream and real-time modes, and the client's close in any mode.
	upDone := make(chan error, 1)
	counted := make(chan struct{})
	go func() { upDone <- readUpstream(c, sc.UpChunks, counted) }()

	switch sc.Mode {
	case wire.Burst, wire.Realtime:
		select {
		case <-h.start(sc.ID):
		case err := <-upDone:
			return err
		}
		if err := stream(c, sc, index); err != nil {
			return err
		}
	case wire.Idle:
		if err := stream(c, sc, index); err != nil {
			return err
		}
	case wire.Upstream:
		select {
		case <-counted:
		case err := <-upDone:
			return err
		}
		if err := c.writeFrame(opBinary, wire.TurnCompleteFrame, true); err != nil {
			return err
		}
	}
	return <-upDone
}

// stream sends the scenario's turns, flat out or at real-time pace. Flat
// out, frames go out as the 64 KiB write buffer fills and at the end of
// each turn; at real-time pace, each frame goes out as it is due, and the
// sessions of a scenario are spread evenly over one 40 ms interval (session
// index i of n starts i/n of an interval late), as independent callers
// would be, rather than all sending at the same instant.
func stream(c *wsConn, sc wire.Scenario, index int) error {
	frame := wire.NewAudioFrame()
	interval := time.Duration(wire.ChunkIntervalMillis) * time.Millisecond
	realtime := sc.Mode == wire.Realtime
	begin := time.Now()
	if realtime && sc.Sessions > 0 {
		begin = begin.Add(interval * time.Duration(index%sc.Sessions) / time.Duration(sc.Sessions))
	}
	var seq uint64
	for range sc.Turns {
		for range sc.FramesPerTurn {
			if realtime {
				if d := time.Until(begin.Add(time.Duration(seq) * interval)); d > 0 {
					time.Sleep(d)
				}
			}
			if err := c.writeFrame(opBinary, frame.Stamp(seq, time.Now().UnixNano()), realtime); err != nil {
				return err
			}
			seq++
		}
		if err := c.writeFrame(opBinary, wire.TurnCompleteFrame, true); err != nil {
			return err
		}
	}
	return nil
}

// upstreamMessage is the part of a client message the server checks.
type upstreamMessage struct {
	RealtimeInput *struct {
		Audio       *blob  `json:"audio"`
		MediaChunks []blob `json:"mediaChunks"`
	} `json:"realtimeInput"`
}

type blob struct {
	Data []byte `json:"data"`
}

// readUpstream reads client messages until the client closes, checks
// every audio chunk byte for byte, and closes counted after want chunks.
func readUpstream(c *wsConn, want int, counted chan<- struct{}) error {
	var n int
	for {
		data, err := c.readMessage()
		if err != nil {
			return err
		}
		var m upstreamMessage
		if err := json.Unmarshal(data, &m); err != nil {
			return fmt.Errorf("upstream message %d: %w", n, err)
		}
		if m.RealtimeInput == nil {
			continue
		}
		chunks := m.RealtimeInput.MediaChunks
		if m.RealtimeInput.Audio != nil {
			chunks = append(chunks, *m.RealtimeInput.Audio)
		}
		for _, ch := range chunks {
			if err := checkUpChunk(ch.Data); err != nil {
				return fmt.Errorf("upstream chunk %d: %w", n, err)
			}
			n++
			if n == want {
				close(counted)
			}
		}
	}
}

var (
	upPattern         = wire.Pattern(wire.UpChunkBytes)
	realtimeUpPattern = wire.Pattern(wire.RealtimeUpChunkBytes)
)

func checkUpChunk(data []byte) error {
	switch {
	case len(data) == len(upPattern) && string(data) == string(upPattern):
	case len(data) == len(realtimeUpPattern) && string(data) == string(realtimeUpPattern):
	default:
		return fmt.Errorf("%d bytes that differ from those the client sends", len(data))
	}
	return nil
}

func truncate(s string) string {
	if len(s) > 120 {
		return s[:120]
	}
	return s
}
