package main

import (
	"context"
	"fmt"
)

// enter registers a new WebSocket handler, unless the server is shutting
// down. A handler that entered calls leave when it ends.
func (s *server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.open++
	s.conns.Add(1)
	return true
}

// leave unregisters a WebSocket handler that entered.
func (s *server) leave() {
	s.mu.Lock()
	s.open--
	s.mu.Unlock()
	s.conns.Done()
}

// shutdown refuses new WebSockets (with 503), ends every live run, which
// closes each open WebSocket with 1001 (going away), and waits for their
// handlers to end. It returns an error saying how many are still open if
// ctx ends first. New WebSockets are refused before the runs end, so a
// client arriving during the shutdown is turned away rather than seeing
// its run fail.
func (s *server) shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.endRuns()

	ended := make(chan struct{})
	go func() {
		s.conns.Wait()
		close(ended)
	}()
	select {
	case <-ended:
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		open := s.open
		s.mu.Unlock()
		return fmt.Errorf("shutdown: %d WebSocket connection(s) still open: %w", open, context.Cause(ctx))
	}
}
