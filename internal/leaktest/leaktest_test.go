package leaktest

import (
	"strings"
	"testing"
	"time"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(f string, a ...any) {
	r.errors = append(r.errors, f)
}

func TestVerifyPassesWhenGoroutinesExit(t *testing.T) {
	r := &recorder{TB: t}
	s := Take()
	go func() { time.Sleep(20 * time.Millisecond) }()
	s.verify(r, 5*time.Second)
	if len(r.errors) != 0 {
		t.Errorf("Verify reported %q for a goroutine that exited", r.errors)
	}
}

func TestVerifyReportsALeak(t *testing.T) {
	r := &recorder{TB: t}
	s := Take()
	stop := make(chan struct{})
	defer close(stop)
	go leakyWorker(stop)
	s.verify(r, 50*time.Millisecond)
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "leaked") {
		t.Fatalf("Verify reported %q, want one leak", r.errors)
	}
}

// A goroutine that was running before the snapshot and exits during the
// test must not hide one that the test leaked: the count is the same, the
// goroutines are not.
func TestVerifyReportsALeakHiddenByAnExitingGoroutine(t *testing.T) {
	older := make(chan struct{})
	olderDone := make(chan struct{})
	go func() { <-older; close(olderDone) }()

	r := &recorder{TB: t}
	s := Take()
	stop := make(chan struct{})
	defer close(stop)
	go leakyWorker(stop)
	close(older)
	<-olderDone
	s.verify(r, 50*time.Millisecond)
	if len(r.errors) != 1 {
		t.Fatalf("Verify reported %q, want one leak", r.errors)
	}
}

func TestLeakReportShowsOnlyTheNewGoroutines(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	old := Take()
	go leakyWorker(stop)
	var got []goroutine
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		got = old.newer()
		if len(got) == 1 && strings.Contains(string(got[0].stack), "leaktest.leakyWorker(") {
			return
		}
	}
	for _, g := range got {
		t.Logf("new goroutine:\n%s", g.stack)
	}
	t.Fatalf("%d new goroutines, want only the one running leakyWorker", len(got))
}

func TestCheckRunsAtCleanup(t *testing.T) {
	var cleanup func()
	r := &cleanupRecorder{recorder: recorder{TB: t}, cleanup: &cleanup}
	Check(r)
	if cleanup == nil {
		t.Fatal("Check registered no cleanup")
	}
	cleanup() // nothing started: must pass at once
	if len(r.errors) != 0 {
		t.Errorf("Check reported %q with nothing started", r.errors)
	}
}

type cleanupRecorder struct {
	recorder
	cleanup *func()
}

func (r *cleanupRecorder) Cleanup(f func()) { *r.cleanup = f }

func leakyWorker(stop chan struct{}) { <-stop }

// Verify may run on another goroutine than Take did: the goroutine that
// took the snapshot, still running, is not a leak.
func TestVerifyOnAnotherGoroutine(t *testing.T) {
	r := &recorder{TB: t}
	s := Take()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.verify(r, 50*time.Millisecond)
	}()
	<-done
	if len(r.errors) != 0 {
		t.Errorf("Verify on another goroutine reported %q", r.errors)
	}
}
