// Package leaktest checks that a test leaves no goroutine running.
//
// Goroutines are told apart by their runtime ids, not counted: a goroutine
// from an earlier test that exits during this one cannot hide a leak, and
// a leak is reported with the stacks of exactly the goroutines that are
// new. The check is meant for tests that do not run in parallel with
// others of the same package.
package leaktest

import (
	"bytes"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// Grace is how long Check waits for goroutines to exit before it reports a
// leak: long enough for closing handshakes and cancelled tools to finish on
// a loaded machine.
const Grace = 10 * time.Second

// Check takes a Snapshot and registers a cleanup that verifies it once the
// test and its later-registered cleanups are done. Call it first in a test,
// so that its cleanup runs last.
func Check(t testing.TB) {
	t.Helper()
	s := Take()
	t.Cleanup(func() { s.Verify(t) })
}

// Snapshot is the set of goroutines running when it was taken.
type Snapshot struct {
	ids map[uint64]bool
}

// Take records the goroutines running now.
func Take() Snapshot {
	s := Snapshot{ids: make(map[uint64]bool)}
	for _, g := range goroutines(false) {
		s.ids[g.id] = true
	}
	return s
}

// Verify fails t, with the stack of every goroutine started since s was
// taken, if any of them is still running Grace from now.
func (s Snapshot) Verify(t testing.TB) {
	t.Helper()
	s.verify(t, Grace)
}

func (s Snapshot) verify(t testing.TB, grace time.Duration) {
	t.Helper()
	deadline := time.Now().Add(grace)
	for {
		leaked := s.newer()
		if len(leaked) == 0 {
			return
		}
		if time.Now().After(deadline) {
			var b bytes.Buffer
			for _, g := range leaked {
				b.Write(g.stack)
				b.WriteString("\n\n")
			}
			t.Errorf("%d goroutines leaked, still running %v after the test:\n%s", len(leaked), grace, b.Bytes())
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// newer returns the running goroutines that are not in s, but for the
// caller's own.
func (s Snapshot) newer() []goroutine {
	var out []goroutine
	for _, g := range goroutines(true) {
		if !s.ids[g.id] {
			out = append(out, g)
		}
	}
	return out
}

type goroutine struct {
	id    uint64
	stack []byte
}

// goroutines returns every user goroutine, parsed from runtime.Stack; with
// skipCaller, every one but the caller's.
func goroutines(skipCaller bool) []goroutine {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []goroutine
	for i, block := range bytes.Split(buf, []byte("\n\n")) {
		if i == 0 && skipCaller {
			continue // the caller's own goroutine is always listed first
		}
		rest, ok := bytes.CutPrefix(block, []byte("goroutine "))
		if !ok {
			continue
		}
		end := bytes.IndexByte(rest, ' ')
		if end < 0 {
			continue
		}
		id, err := strconv.ParseUint(string(rest[:end]), 10, 64)
		if err != nil {
			continue
		}
		out = append(out, goroutine{id: id, stack: block})
	}
	return out
}
