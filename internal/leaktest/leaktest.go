// Package leaktest checks that a test leaves no goroutine running.
//
// The check compares runtime.NumGoroutine with its value when the test
// started, so it is meant for tests that do not run in parallel with
// others of the same package.
package leaktest

import (
	"runtime"
	"testing"
	"time"
)

// Grace is how long Check waits for goroutines to exit before it reports a
// leak: long enough for closing handshakes and cancelled tools to finish on
// a loaded machine.
const Grace = 10 * time.Second

// Check records how many goroutines are running and registers a cleanup
// that fails t, with every goroutine's stack, if more are still running
// Grace after the test and its later-registered cleanups are done. Call it
// first in a test, so that its cleanup runs last.
func Check(t testing.TB) {
	t.Helper()
	base := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(Grace)
		for runtime.NumGoroutine() > base {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				n := runtime.Stack(buf, true)
				t.Errorf("goroutines leaked: %d running, %d when the test started\n%s",
					runtime.NumGoroutine(), base, buf[:n])
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}
