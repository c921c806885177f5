package livetest_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// sharedRecordings is where the set the testdata recordings were copied
// from sits on the maintainers' machines, beside the repository. It is not
// documentation: testdata/recordings/README.md and docs/PROTOCOL.md §7
// describe the recordings.
const sharedRecordings = "../../../shared/wire/recordings"

// The recordings in testdata are the repository's own copy, so that a
// clone alone runs every test. Where the set they were copied from is
// present, this test checks that the copy has not drifted from it.
func TestRecordingsCopyMatchesReference(t *testing.T) {
	want, err := filepath.Glob(filepath.Join(sharedRecordings, "*.websocket.log"))
	if err != nil || len(want) == 0 {
		t.Skipf("reference recordings not found at %s: nothing to compare", sharedRecordings)
	}
	got, err := filepath.Glob("testdata/recordings/*.websocket.log")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("testdata has %d recordings, the reference set %d", len(got), len(want))
	}
	for _, ref := range want {
		name := filepath.Base(ref)
		a, errA := os.ReadFile(ref)
		b, errB := os.ReadFile(filepath.Join("testdata/recordings", name))
		if errA != nil || errB != nil {
			t.Errorf("%s: reading the reference (%v) or the copy (%v)", name, errA, errB)
			continue
		}
		if !bytes.Equal(a, b) {
			t.Errorf("testdata/recordings/%s differs from the reference copy in %s", name, sharedRecordings)
		}
	}
}
