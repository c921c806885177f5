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
//
// A kick while the drain runs costs one atomic operation: the drain looks
// for work again before it goes idle (see drainState).
type sender struct {
	r   *run
	ctx context.Context // the run's; sends stop when it ends

	state atomic.Int32 // a drainState

	mu    sync.Mutex // held to start a drain, to go idle, to end, and for tools and problems
	tools []*message
	// problems are reports of requests found invalid while moving them
	// to the held buffer, made once the lock is released.
	problems []string
	// pending counts tools and problems, so next looks without the lock.
	pending atomic.Int32
	scratch [5]*message // the messages of one request; drain's and next's
	slab    []message   // realtime messages not yet used; drain's and next's
	wg      sync.WaitGroup
}

// drainState is the state of the sender's drain goroutine.
const (
	drainIdle    int32 = iota // no drain goroutine
	drainRunning              // a drain goroutine is running
	drainKicked               // running, and work may have arrived since it last looked
	drainEnded                // no drain goroutine may start again
)

// start registers with the queue and drains what was queued before the
// run started.
func (s *sender) start() {
	s.r.p.Queue.Notify(s.kick)
	s.kick()
}

// kick makes sure a drain goroutine will look for work. It is the queue's
// Notify function: it runs on the caller's goroutine inside every send, so
// while a drain runs it only marks it kicked.
func (s *sender) kick() {
	for {
		switch st := s.state.Load(); st {
		case drainKicked, drainEnded:
			return
		case drainRunning:
			if s.state.CompareAndSwap(drainRunning, drainKicked) {
				return
			}
		case drainIdle:
			// Started under the lock, so stop's Wait sees the Add.
			s.mu.Lock()
			started := s.state.CompareAndSwap(drainIdle, drainRunning)
			if started {
				s.wg.Add(1)
				go s.drain()
			}
			s.mu.Unlock()
			if started {
				return
			}
		}
	}
}

// idle lets the drain goroutine exit when no work arrived since it last
// looked. It reports false when it must look again.
func (s *sender) idle() bool {
	if s.state.CompareAndSwap(drainKicked, drainRunning) {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.CompareAndSwap(drainRunning, drainIdle) || s.state.Load() == drainEnded
}

// sendTool queues a tool response ahead of everything else.
func (s *sender) sendTool(m *message) {
	s.mu.Lock()
	s.tools = append(s.tools, m)
	s.pending.Add(1)
	s.mu.Unlock()
	s.kick()
}

// stop ends the sender and waits for its goroutine; the run's context must
// already be done, so a send in progress returns.
func (s *sender) stop() {
	s.r.p.Queue.Notify(nil)
	s.end()
	s.wg.Wait()
}

// end stops any later drain from starting.
func (s *sender) end() {
	s.mu.Lock()
	s.state.Store(drainEnded)
	s.mu.Unlock()
}

// drain sends until there is nothing left to send, then exits.
func (s *sender) drain() {
	defer s.wg.Done()
	r := s.r
	for {
		l, m, req, closed, ok := s.next()
		switch {
		case !ok:
			if s.state.Load() == drainEnded || s.ctx.Err() != nil || s.idle() {
				return
			}
			continue
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
			msgs, problems := s.messages(req, s.scratch[:0])
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

// next returns the link to send on and the next thing to send on it: a
// tool response or a held message in m, or a queue request in req, or
// closed once the queue is closed and drained (and nothing is held).
// While l is nil it moves the queue's requests into the held buffer
// instead. It reports false in ok when there is nothing to do now.
func (s *sender) next() (l *link, m *message, req livequeue.Request, closed, ok bool) {
	l = s.r.current()
	if s.state.Load() == drainEnded || s.ctx.Err() != nil {
		return l, nil, req, false, false
	}
	if s.pending.Load() > 0 {
		s.mu.Lock()
		if len(s.tools) > 0 {
			m = s.tools[0]
			s.tools[0] = nil
			s.tools = s.tools[1:]
			s.pending.Add(-1)
		}
		s.mu.Unlock()
		// With problems and no tool: an empty request; drain reports them.
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
				return l, nil, req, false, false
			}
			return l, nil, req, true, true
		case !ok:
			return l, nil, req, false, false
		case l != nil:
			return l, nil, req, false, true
		}
		// Down: hold the request's messages for the next link.
		msgs, problems := s.messages(req, s.scratch[:0])
		for _, m := range msgs {
			s.r.held.push(m)
		}
		if len(problems) > 0 {
			s.mu.Lock()
			s.problems = append(s.problems, problems...)
			s.pending.Add(int32(len(problems)))
			s.mu.Unlock()
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
	if m.content != nil && !m.announced {
		if ch, ok := l.conn.(live.ContentChecker); ok {
			if err := ch.CheckContent(m.content); err != nil {
				return r.reject(err.Error())
			}
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
	journaled, err := l.write(m)
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
	// journal when the link kept it (it may have arrived: the resume
	// decides), else from the held buffer: at its front, ahead of what
	// was held since, or at its back when the journal was already carried
	// over to the held buffer (the link ended long before this write).
	if m.tool == nil && !journaled {
		if l.sealed() {
			r.held.push(m)
		} else {
			r.held.unshift(m)
		}
	}
	l.fail(err)
	return true
}

// reportProblems reports the requests found invalid while they were being
// held. It reports false when the run is over.
func (s *sender) reportProblems() bool {
	if s.pending.Load() == 0 {
		return true
	}
	s.mu.Lock()
	problems := s.problems
	s.problems = nil
	s.pending.Add(-int32(len(problems)))
	s.mu.Unlock()
	for _, p := range problems {
		if !s.r.reject(p) {
			return false
		}
	}
	return true
}
