package flow

import (
	"context"
	"errors"
	"sync"

	"github.com/adklive/adklive/livequeue"
)

// sender moves the queue's requests to the model. It has no goroutine
// while the queue is empty: the queue notifies it of each request
// (livequeue.Queue.Notify), and it then drains the queue on a goroutine
// that exits when the queue is empty again. An idle run therefore keeps
// one goroutine of its own, the receive loop.
type sender struct {
	r   *liveRun
	ctx context.Context // the run's; sends stop when it ends

	mu      sync.Mutex
	running bool // a drain goroutine is running
	ended   bool // no drain goroutine may start again
	wg      sync.WaitGroup
}

// start registers with the queue and drains what was queued before the
// run started.
func (s *sender) start() {
	s.r.p.Queue.Notify(s.kick)
	s.kick()
}

// kick starts a drain goroutine unless one is running or the sender has
// ended. It is the queue's Notify function: it runs on the caller's
// goroutine inside every send, so it does nothing else.
func (s *sender) kick() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running || s.ended {
		return
	}
	s.running = true
	s.wg.Add(1)
	go s.drain()
}

// stop ends the sender and waits for its goroutine; the run's context must
// already be done, so a send in progress returns.
func (s *sender) stop() {
	s.r.p.Queue.Notify(nil)
	s.mu.Lock()
	s.ended = true
	s.mu.Unlock()
	s.wg.Wait()
}

// drain sends the queue's requests until it is empty, then exits. When the
// queue is closed and drained it closes the connection (the end the caller
// asked for); once the LLM call limit is reached or the run is over it
// sends nothing more and no drain starts again.
func (s *sender) drain() {
	defer s.wg.Done()
	r := s.r
	for {
		req, closed, ok := s.next()
		if !ok {
			return
		}
		switch {
		case closed:
			r.log.Debug("flow: queue closed; closing the connection")
			r.queueClosed.Store(true)
			r.closeConn()
			s.end()
			return
		case r.llmLimitReached.Load():
			r.log.Debug("flow: LLM call limit reached; the request is not sent")
			s.end()
			return
		case !r.send(s.ctx, req):
			s.end()
			return
		}
	}
}

// next returns the oldest queued request, or closed once the queue is
// closed and drained. It reports false in ok, and marks the drain goroutine as
// gone, when there is nothing to do: the queue is empty and open, or the
// sender has ended. Taking the request and marking the goroutine gone
// under one lock with kick means a request queued at any moment either is
// taken here or starts a new drain.
func (s *sender) next() (req livequeue.Request, closed, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ended && s.ctx.Err() == nil {
		req, ok, err := s.r.p.Queue.TryReceive()
		if ok || err != nil {
			return req, errors.Is(err, livequeue.ErrClosed), true
		}
	}
	s.running = false
	return livequeue.Request{}, false, false
}

// end stops any later drain from starting.
func (s *sender) end() {
	s.mu.Lock()
	s.ended, s.running = true, false
	s.mu.Unlock()
}
