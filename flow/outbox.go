package flow

import "github.com/adklive/adklive/event"

// outboxSize is how many events may wait for the consumer before the
// producers (the receive loop, the send loop, tool goroutines) block. It
// only smooths bursts: a consumer slower than the model still slows the
// reader down, and nothing is dropped.
const outboxSize = 16

// outbox is the one place where the events of a run's goroutines meet on
// their way to the iterator's consumer.
type outbox struct {
	ch   chan *event.Event
	done <-chan struct{} // closed when the run is over
}

func newOutbox(done <-chan struct{}) *outbox {
	return &outbox{ch: make(chan *event.Event, outboxSize), done: done}
}

// put hands ev to the consumer, waiting while the outbox is full. It
// reports false, without delivering ev, once the run is over.
func (o *outbox) put(ev *event.Event) bool {
	select {
	case o.ch <- ev:
		return true
	case <-o.done:
		return false
	}
}
