package database

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
)

// invalidArgument returns an error wrapping session.ErrInvalidArgument
// that says what was wrong.
func invalidArgument(format string, args ...any) error {
	return fmt.Errorf("%w: %s", session.ErrInvalidArgument, fmt.Sprintf(format, args...))
}

// notFound returns an error wrapping session.ErrNotFound that names k.
func notFound(k session.Key) error {
	return fmt.Errorf("%w: %v", session.ErrNotFound, k)
}

// encodedState is one state key and its value's JSON.
type encodedState struct {
	key   string
	value []byte
}

// encodeScopes splits state by scope, drops "temp:" keys and encodes each
// value as JSON. Each scope's keys are sorted, so that transactions
// writing the same keys lock them in the same order.
func encodeScopes(state map[string]any) (app, user, sess []encodedState, err error) {
	for k, v := range state {
		scope := session.ScopeOf(k)
		if scope == session.ScopeTemp {
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, nil, nil, invalidArgument("state key %q: value of type %T cannot be stored as JSON: %v", k, v, err)
		}
		e := encodedState{key: k, value: b}
		switch scope {
		case session.ScopeApp:
			app = append(app, e)
		case session.ScopeUser:
			user = append(user, e)
		default:
			sess = append(sess, e)
		}
	}
	for _, s := range [][]encodedState{app, user, sess} {
		slices.SortFunc(s, func(a, b encodedState) int { return cmp.Compare(a.key, b.key) })
	}
	return app, user, sess, nil
}

// decodeValue decodes a stored state value into st[k].
func decodeValue(st session.State, k string, value []byte) error {
	var v any
	if err := json.Unmarshal(value, &v); err != nil {
		return fmt.Errorf("stored state key %q is not JSON: %w", k, err)
	}
	st[k] = v
	return nil
}

// encodeEvent returns the JSON of the copy of ev that is stored: without
// "temp:" keys in its state delta.
func encodeEvent(ev *event.Event) ([]byte, error) {
	stored := *ev // shallow: only StateDelta differs, and marshalling reads
	stored.Actions.StateDelta = nil
	for k, v := range ev.Actions.StateDelta {
		if session.ScopeOf(k) == session.ScopeTemp {
			continue
		}
		if stored.Actions.StateDelta == nil {
			stored.Actions.StateDelta = make(map[string]any, len(ev.Actions.StateDelta))
		}
		stored.Actions.StateDelta[k] = v
	}
	b, err := json.Marshal(stored)
	if err != nil {
		return nil, invalidArgument("event %q cannot be stored as JSON: %v", ev.ID, err)
	}
	return b, nil
}

// decodeEvent decodes a stored event. Its timestamp is the one stored in
// its own column, to the microsecond: JSON's float seconds would lose
// microseconds for times far from now.
func decodeEvent(data []byte, us int64) (*event.Event, error) {
	ev := new(event.Event)
	if err := json.Unmarshal(data, ev); err != nil {
		return nil, fmt.Errorf("stored event is not an event's JSON: %w", err)
	}
	ev.Timestamp = fromMicros(us)
	return ev, nil
}

// applyEvent records in s an event the service has just stored, as
// session.Service.AppendEvent promises: it appends ev to s.Events, applies
// every key of its state delta to s.State (temp: keys too, so the rest of
// the invocation sees them) and moves s.LastUpdateTime to updated.
func applyEvent(s *session.Session, ev *event.Event, updated time.Time) {
	if len(ev.Actions.StateDelta) > 0 && s.State == nil {
		s.State = make(session.State, len(ev.Actions.StateDelta))
	}
	for k, v := range ev.Actions.StateDelta {
		s.State[k] = v
	}
	s.Events = append(s.Events, ev)
	s.LastUpdateTime = updated
}
