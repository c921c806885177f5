package livetest_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// sharedRecordings is where the project's reference recordings live when
// the shared folder sits beside the repository, as it does for developers.
const sharedRecordings = "../../../shared/wire/recordings"

// The recordings in testdata are a copy of the project's reference set, so
// that a clone of the repository alone can run the tests. This test keeps
// the copy honest wherever the reference set is present.
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
