package leaktest

import (
	"strings"
	"testing"
	"time"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	cleanups []func()
	errors   []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Cleanup(f func())          { r.cleanups = append(r.cleanups, f) }
func (r *recorder) Errorf(f string, a ...any) { r.errors = append(r.errors, f) }

func (r *recorder) finish() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func TestCheckPassesWhenGoroutinesExit(t *testing.T) {
	r := &recorder{TB: t}
	Check(r)
	done := make(chan struct{})
	go func() { time.Sleep(20 * time.Millisecond); close(done) }()
	r.finish()
	<-done
	if len(r.errors) != 0 {
		t.Errorf("Check reported %q for a goroutine that exited", r.errors)
	}
}

func TestCheckReportsALeak(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the grace period")
	}
	r := &recorder{TB: t}
	Check(r)
	stop := make(chan struct{})
	go func() { <-stop }()
	r.finish()
	close(stop)
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "leaked") {
		t.Errorf("Check reported %q, want one leak", r.errors)
	}
}
