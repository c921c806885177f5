package runner

import (
	"context"
	"sync"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/event"
)

// storer appends a run's events to its session in order, on a goroutine of
// its own, so that a slow session service never delays the events on
// their way to the caller. The first event it fails to store stops it and
// calls fail, which ends the run.
type storer struct {
	r    *Runner
	ic   *agent.InvocationContext
	ctx  context.Context
	fail func()

	mu      sync.Mutex
	pending []*event.Event
	wake    chan struct{}
	closed  bool
	err     error
	done    chan struct{}
}

func newStorer(ctx context.Context, r *Runner, ic *agent.InvocationContext, fail func()) *storer {
	s := &storer{r: r, ic: ic, ctx: ctx, fail: fail, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go s.loop()
	return s
}

// add queues ev to be stored after the events added before it.
func (s *storer) add(ev *event.Event) {
	s.mu.Lock()
	s.pending = append(s.pending, ev)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// wait stores what is still queued and returns the first storage error,
// or nil. Once ctx has ended each event still gets persistGrace.
func (s *storer) wait() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	<-s.done
	return s.err
}

func (s *storer) loop() {
	defer close(s.done)
	for {
		s.mu.Lock()
		batch, closed := s.pending, s.closed
		s.pending = nil
		s.mu.Unlock()
		for _, ev := range batch {
			if err := s.r.persist(s.ctx, s.ic, ev); err != nil {
				s.err = err
				s.fail()
				return
			}
		}
		if len(batch) > 0 {
			continue
		}
		if closed {
			return
		}
		<-s.wake
	}
}
