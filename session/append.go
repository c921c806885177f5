package session

import (
	"slices"
	"time"

	"github.com/adklive/adklive/event"
	"github.com/google/uuid"
)

// fillIdentity gives ev a random ID and the current time as its Timestamp
// FillIdentity gives ev a random ID and the current time, truncated to the
// microsecond, as its Timestamp when it has none, as [Service.AppendEvent]
// promises. It is for implementations of Service.
func FillIdentity(ev *event.Event) {
	if ev.ID == "" {
		ev.ID = uuid.NewString()
	}
	if ev.Timestamp.IsZero() {
		ev.Timestamp = time.Now().Truncate(time.Microsecond)
	}
}

// storedCopy returns the copy of ev a service stores: deep, and without
// "temp:" keys in its state delta.
func storedCopy(ev *event.Event) *event.Event {
	c := cloneEvent(ev)
	for k := range c.Actions.StateDelta {
		if ScopeOf(k) == ScopeTemp {
			delete(c.Actions.StateDelta, k)
		}
	}
	if len(c.Actions.StateDelta) == 0 {
		c.Actions.StateDelta = nil
	}
	return c
}

// filterEvents returns the events of a stored session, oldest first, that
// pass a GetRequest's filters: the last n when n > 0, and those at or after
// after when it is not zero. The result may share events' backing array.
func filterEvents(events []*event.Event, n int, after time.Time) []*event.Event {
	if n > 0 && n < len(events) {
		events = events[len(events)-n:]
	}
	if !after.IsZero() {
		// Events are stored in append order, which need not be
		// timestamp order, so test each one.
		events = slices.DeleteFunc(slices.Clone(events), func(ev *event.Event) bool {
			return ev.Timestamp.Before(after)
		})
	}
	return events
}
