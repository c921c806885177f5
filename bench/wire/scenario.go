package wire

import (
	"fmt"
	"strconv"
	"strings"
)

// Mode is what the fake server does once a session is set up.
type Mode string

// The modes of the fake server.
const (
	// Burst streams the scripted turns flat out once the client says go.
	Burst Mode = "burst"
	// Realtime streams the scripted turns at real-time pace (a chunk per
	// 40 ms) once the client says go, and reads upstream audio.
	Realtime Mode = "realtime"
	// Upstream reads UpChunks upstream audio chunks, checks them and
	// answers with turnComplete.
	Upstream Mode = "upstream"
	// Idle sends Turns audio turns of FramesPerTurn chunks flat out past
	// the ready signal, so that the session has had a conversation, then
	// nothing more.
	Idle Mode = "idle"
)

// Scenario tells the fake server what to do with every session that
// connects under its path. It travels in the path of the WebSocket URL,
// ahead of the service path every client appends to its base URL, so all
// clients can be pointed at it through their ordinary base-URL option.
type Scenario struct {
	ID            string
	Mode          Mode
	Sessions      int // sessions the client opens; the server starts them together
	Turns         int // model turns per session
	FramesPerTurn int // audio chunks per turn
	UpChunks      int // upstream chunks to read before answering (Upstream)
}

// Path returns the scenario's URL path prefix.
func (s Scenario) Path() string {
	return fmt.Sprintf("/bench/%s/%s/%d/%d/%d/%d", s.ID, s.Mode, s.Sessions, s.Turns, s.FramesPerTurn, s.UpChunks)
}

// ParseScenario reads a scenario from a URL path that starts with one.
func ParseScenario(path string) (Scenario, error) {
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(parts) < 7 || parts[0] != "bench" {
		return Scenario{}, fmt.Errorf("path %q does not start with /bench/<id>/<mode>/<sessions>/<turns>/<frames>/<upchunks>", path)
	}
	s := Scenario{ID: parts[1], Mode: Mode(parts[2])}
	switch s.Mode {
	case Burst, Realtime, Upstream, Idle:
	default:
		return Scenario{}, fmt.Errorf("path %q: unknown mode %q", path, s.Mode)
	}
	for i, dst := range []*int{&s.Sessions, &s.Turns, &s.FramesPerTurn, &s.UpChunks} {
		n, err := strconv.Atoi(parts[3+i])
		if err != nil || n < 0 {
			return Scenario{}, fmt.Errorf("path %q: segment %d (%q) is not a count", path, 4+i, parts[3+i])
		}
		*dst = n
	}
	return s, nil
}
