package flow

import "github.com/adklive/adklive/event"

// outboxSize is how many events may wait for the consumer before the
// producers (the receive loop, the sender, tool goroutines) block. It
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

// put hands ev to the consumer, waiting while the outbox is full. Once the
// run is over it reports false, without delivering ev, unless the outbox
// has room: an event made as the run ends (the pending text flushed, say)
// still reaches a consumer that is ranging, since serve yields what is left
// in the outbox before it returns.
func (o *outbox) put(ev *event.Event) bool {
	select { // the common case, without the cost of a two-way select
	case o.ch <- ev:
		return true
	default:
	}
	select {
	case o.ch <- ev:
		return true
	case <-o.done:
		return false
	}
}

// over reports whether the run is over.
func (o *outbox) over() bool {
	select {
	case <-o.done:
		return true
	default:
		return false
	}
}
