package flow

import (
	"maps"
	"sync"
)

// runState is the session state the run's tools read: the session's when
// the run started (Params.State), with the state deltas of the run's
// events applied as they are emitted, so a tool reads what an earlier
// call of the run wrote.
type runState struct {
	mu sync.Mutex
	m  map[string]any
}

// apply sets each key of delta.
func (s *runState) apply(delta map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[string]any, len(delta))
	}
	maps.Copy(s.m, delta)
}

// snapshot returns a copy of the state for one call to read.
func (s *runState) snapshot() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.m)
}
