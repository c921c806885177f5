package runner

import (
	"context"
	"sync"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/event"
)

// storer appends a run's events to its session in order, on a goroutine
// that runs only while events wait to be stored, so that a slow session
// service never delays the events on their way to the caller and an idle
// run keeps no goroutine for it. The first event it fails to store stops
// it and calls fail, which ends the run.
type storer struct {
	r    *Runner
	ic   *agent.InvocationContext
	ctx  context.Context
	fail func()

	mu      sync.Mutex
	pending []*event.Event
	running bool // a goroutine is storing
	err     error
	wg      sync.WaitGroup
}

func newStorer(ctx context.Context, r *Runner, ic *agent.InvocationContext, fail func()) *storer {
	return &storer{r: r, ic: ic, ctx: ctx, fail: fail}
}

// add queues ev to be stored after the events added before it.
func (s *storer) add(ev *event.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return // the run is ending with the storage error
	}
	s.pending = append(s.pending, ev)
	if !s.running {
		s.running = true
		s.wg.Add(1)
		go s.store()
	}
}

// wait returns once everything added is stored (or storing failed), with
// the first storage error. Once ctx has ended each event still gets
// persistGrace.
func (s *storer) wait() error {
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// store stores the pending events in order until there are none.
func (s *storer) store() {
	defer s.wg.Done()
	for {
		s.mu.Lock()
		batch := s.pending
		s.pending = nil
		if len(batch) == 0 {
			s.running = false
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		for _, ev := range batch {
			if err := s.r.persist(s.ctx, s.ic, ev); err != nil {
				s.mu.Lock()
				s.err, s.running, s.pending = err, false, nil
				s.mu.Unlock()
				s.fail()
				return
			}
		}
	}
}
