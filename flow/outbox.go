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

// putLast hands on one of the last events of a run. Unlike put, it
// delivers ev whenever the outbox has room, even once the run is over, so
// that an event made as the run ends still reaches a consumer that is
// ranging: serve yields what is left in the outbox before it returns. It
// reports false when ev was not delivered.
func (o *outbox) putLast(ev *event.Event) bool {
	select {
	case o.ch <- ev:
		return true
	default:
		return o.put(ev)
	}
}
