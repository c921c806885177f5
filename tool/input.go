package tool

import (
	"sync"
	"sync/atomic"

	"github.com/adklive/adklive/livequeue"
)

// InputStream is what a streaming tool with an input stream receives: a
// copy of every request sent to the run's queue while the call runs, in
// the order the run sends them to the model.
//
// It is bounded: when the tool is slow to take requests and the buffer
// is full, further copies are dropped and counted, never waited for, so a
// slow tool never slows the user's audio on its way to the model. A tool
// that watches video typically wants only the latest frame anyway.
//
// The requests share their Content and Blob with the run: read them, do
// not modify them.
type InputStream struct {
	ch      chan livequeue.Request
	dropped atomic.Int64

	mu     sync.Mutex // held by Offer and Close
	closed bool
}

// NewInputStream returns an input stream that holds up to buffer requests
// (at least 1). The runtime makes one per call; tests make their own.
func NewInputStream(buffer int) *InputStream {
	return &InputStream{ch: make(chan livequeue.Request, max(buffer, 1))}
}

// Requests returns the channel of requests. The runtime closes it once the
// call has returned; a tool stops reading when its context is done. On a
// nil InputStream (a tool without one) it returns nil, a channel that
// never delivers.
func (s *InputStream) Requests() <-chan livequeue.Request {
	if s == nil {
		return nil
	}
	return s.ch
}

// Dropped returns how many requests were dropped because the buffer was
// full.
func (s *InputStream) Dropped() int64 {
	if s == nil {
		return 0
	}
	return s.dropped.Load()
}

// Offer hands r to the tool without waiting. It reports false when r was
// dropped: the buffer is full (the drop is counted) or the stream is
// closed.
func (s *InputStream) Offer(r livequeue.Request) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	select {
	case s.ch <- r:
		return true
	default:
		s.dropped.Add(1)
		return false
	}
}

// Close closes the channel Requests returns. Later Offers drop their
// request without counting it. It is safe to call more than once.
func (s *InputStream) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.ch)
	}
}
