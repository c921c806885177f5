package event_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/adklive/adklive/event"
)

func TestNew(t *testing.T) {
	before := time.Now().Truncate(time.Microsecond)
	ev := event.New("e-run", "search_agent")
	after := time.Now()

	if ev.InvocationID != "e-run" || ev.Author != "search_agent" {
		t.Errorf("New(%q, %q) = {InvocationID: %q, Author: %q}", "e-run", "search_agent", ev.InvocationID, ev.Author)
	}
	if _, err := uuid.Parse(ev.ID); err != nil {
		t.Errorf("ID %q is not a UUID: %v", ev.ID, err)
	}
	if ev.Timestamp.Before(before) || ev.Timestamp.After(after) {
		t.Errorf("Timestamp %v is not between %v and %v", ev.Timestamp, before, after)
	}
	if ev.Timestamp.Nanosecond()%1000 != 0 {
		t.Errorf("Timestamp %v has sub-microsecond digits, which its JSON form cannot keep", ev.Timestamp)
	}
	if other := event.New("e-run", "search_agent"); other.ID == ev.ID {
		t.Errorf("two events got the same ID %q", ev.ID)
	}
}

func TestNewInvocationID(t *testing.T) {
	id := event.NewInvocationID()
	rest, ok := strings.CutPrefix(id, "e-")
	if !ok {
		t.Fatalf("NewInvocationID() = %q, want an \"e-\" prefix", id)
	}
	if _, err := uuid.Parse(rest); err != nil {
		t.Errorf("NewInvocationID() = %q: %q is not a UUID: %v", id, rest, err)
	}
	if other := event.NewInvocationID(); other == id {
		t.Errorf("two invocation ids are both %q", id)
	}
}
