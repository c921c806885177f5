package flow

import (
	"testing"

	"github.com/google/uuid"
)

func TestEventIDsAreUniqueVersion4UUIDs(t *testing.T) {
	seen := make(map[string]bool)
	for range 3 { // three runs
		var ids eventIDs
		ids.seed()
		for range 1000 {
			id := ids.next()
			u, err := uuid.Parse(id)
			if err != nil {
				t.Fatalf("ID %q is not a UUID: %v", id, err)
			}
			if u.Version() != 4 || u.Variant() != uuid.RFC4122 {
				t.Fatalf("ID %q is version %d variant %v, want 4 RFC4122", id, u.Version(), u.Variant())
			}
			if u.String() != id {
				t.Fatalf("ID %q is not in canonical form %q", id, u.String())
			}
			if seen[id] {
				t.Fatalf("ID %q repeated", id)
			}
			seen[id] = true
		}
	}
}

func TestEventIDsKeepVersionAndVariantWhenTheCounterWraps(t *testing.T) {
	ids := &eventIDs{hi: uuidVersion4, lo: uuidVariantRFC | uuidLowRandom}
	first, second := ids.next(), ids.next()
	if first == second {
		t.Fatalf("IDs repeat across the wrap: %q", first)
	}
	for _, id := range []string{first, second} {
		u, err := uuid.Parse(id)
		if err != nil || u.Version() != 4 || u.Variant() != uuid.RFC4122 {
			t.Errorf("ID %q: version %d variant %v err %v, want a version 4 RFC4122 UUID", id, u.Version(), u.Variant(), err)
		}
	}
}
