package flow

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/livequeue"
)

// sender is the one goroutine that writes to the model: tool responses
// first, then the messages held while the connection was down, then the
// queue's requests, always through the current link. It has no goroutine
// while there is nothing to send: the queue, the tools and the supervisor
// kick it, and it then drains on a goroutine that exits when everything is
// sent. An idle run therefore keeps one goroutine, the supervisor's.
//
// While no link is up it moves the queue's requests into the held buffer,
// so input is kept in order, exactly once, within the audio bound.
type sender struct {
	r   *run
	ctx context.Context // the run's; sends stop when it ends

	mu      sync.Mutex
	running bool // a drain goroutine is running
	ended   bool // no drain goroutine may start again
	tools   []*message
	// problems are reports of requests found invalid while moving them
	// to the held buffer, made once the lock is released.
	problems    []string
	hasProblems atomic.Bool // problems is not empty: reportProblems takes the lock
	scratch     [5]*message // the messages of one request; drain's and next's
	wg          sync.WaitGroup
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

// sendTool queues a tool response ahead of everything else.
func (s *sender) sendTool(m *message) {
	s.mu.Lock()
	s.tools = append(s.tools, m)
	s.mu.Unlock()
	s.kick()
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

// drain sends until there is nothing left to send, then exits.
func (s *sender) drain() {
	defer s.wg.Done()
	r := s.r
	for {
		l, m, req, closed, ok := s.next()
		switch {
		case !ok:
			return
		case closed:
			r.log.Debug("flow: queue closed")
			// Everything sent before the close has been delivered: with
			// no connection up, a connection attempt in progress ends.
			r.queueClosed.Store(true)
			r.stopConnecting()
			// The normal end: the receive loop sees the close. A link
			// installed meanwhile sees the stop (install).
			if l := r.link.Load(); l != nil {
				l.conn.Close()
			}
			s.end()
			return
		case r.llmLimitReached.Load():
			r.log.Debug("flow: LLM call limit reached; the request is not sent")
			s.end()
			return
		case m != nil:
			if !s.deliver(l, m) {
				s.end()
				return
			}
		default:
			msgs, problems := r.messages(req, s.scratch[:0])
			for _, p := range problems {
				if !r.reject(p) {
					s.end()
					return
				}
			}
			for _, m := range msgs {
				if !s.deliver(r.current(), m) {
					s.end()
					return
				}
			}
		}
		if !s.reportProblems() {
			s.end()
			return
		}
	}
}

// next returns the link to send on and the next thing to send on it: a tool response or a held
// message in m, or a queue request in req, or closed once the queue is
// closed and drained (and nothing is held). While l is nil it moves the
// queue's requests into the held buffer instead. It reports false in ok,
// and marks the drain goroutine as gone, when there is nothing to do.
// Taking work and marking the goroutine gone under one lock with kick
// means work arriving at any moment either is taken here or starts a new
// drain.
func (s *sender) next() (l *link, m *message, req livequeue.Request, closed, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// The link is read under the lock: a link installed after this
	// finds the goroutine gone, or running with the link, when it kicks.
	l = s.r.current()
	if s.ended || s.ctx.Err() != nil {
		s.running = false
		return l, nil, req, false, false
	}
	if len(s.problems) > 0 {
		return l, nil, req, false, true // an empty request: drain reports them
	}
	if len(s.tools) > 0 {
		m = s.tools[0]
		s.tools[0] = nil
		s.tools = s.tools[1:]
		return l, m, req, false, true
	}
	if l != nil {
		if m := s.r.held.pop(); m != nil {
			return l, m, req, false, true
		}
	}
	for {
		req, ok, err := s.r.p.Queue.TryReceive()
		switch {
		case errors.Is(err, livequeue.ErrClosed):
			if l == nil && s.r.held.len() > 0 {
				// What was sent before the close is delivered once a
				// connection is up; the install kicks a new drain.
				s.running = false
				return l, nil, req, false, false
			}
			return l, nil, req, true, true
		case !ok:
			s.running = false
			return l, nil, req, false, false
		case l != nil:
			return l, nil, req, false, true
		}
		// Down: hold the request's messages for the next link.
		msgs, problems := s.r.messages(req, s.scratch[:0])
		for _, m := range msgs {
			s.r.held.push(m)
		}
		if len(problems) > 0 {
			s.problems = append(s.problems, problems...)
			s.hasProblems.Store(true)
			return l, nil, livequeue.Request{}, false, true // an empty request: drain reports them
		}
	}
}

// deliver writes m on l, or holds it when no link is up or the write
// fails with the connection. It reports false when the run is over.
func (s *sender) deliver(l *link, m *message) bool {
	r := s.r
	if m.tool != nil && m.toolLink != l {
		// The call came on a link that is gone: it was answered there
		// with a cancellation.
		return true
	}
	if l == nil {
		r.held.push(m)
		return true
	}
	if ch, ok := l.conn.(live.ContentChecker); ok && m.content != nil && !m.announced {
		if err := ch.CheckContent(m.content); err != nil {
			return r.reject(err.Error())
		}
	}
	if m.turn != nil && !m.announced {
		// The user's turn is yielded before it is written, so it
		// precedes the model's answer without a lock across the write.
		m.announced = true
		if !r.put(m.turn) {
			return false
		}
	}
	err := l.write(m)
	switch {
	case err == nil:
		return true
	case s.ctx.Err() != nil:
		return false
	case errors.Is(err, live.ErrRejected):
		return r.reject(err.Error())
	}
	if r.queueClosed.Load() {
		return false
	}
	// The connection failed: the message goes to the next link, from the
	// journal when the link keeps one (it may have arrived: the resume
	// decides), else from the front of the held buffer.
	if m.tool == nil && !l.journaled(m) {
		r.held.unshift(m)
	}
	l.fail(err)
	return true
}

// reportProblems reports the requests found invalid while they were being
// held. It reports false when the run is over.
func (s *sender) reportProblems() bool {
	if !s.hasProblems.Load() {
		return true
	}
	s.mu.Lock()
	s.hasProblems.Store(false)
	problems := s.problems
	s.problems = nil
	s.mu.Unlock()
	for _, p := range problems {
		if !s.r.reject(p) {
			return false
		}
	}
	return true
}

// end stops any later drain from starting.
func (s *sender) end() {
	s.mu.Lock()
	s.ended, s.running = true, false
	s.mu.Unlock()
}
