package measure

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/adklive/adklive/bench/adapter"
	"github.com/adklive/adklive/bench/wire"
)

// checker follows one session's items: it signals when the session is
// live (the server's first turnComplete), checks every audio chunk, and
// ends the session when everything expected has arrived.
type checker struct {
	wantTurns   int   // turns after the ready signal
	wantFrames  int64 // audio chunks in all
	wantRaw     int64 // messages, for the transport floor
	ready       func()
	readyAfter  int // turns past the live signal before ready is called
	keepLatency bool

	turns     int
	frames    int64
	raw       int64
	bytes     int64
	latencies []int64
	err       error
	readyOnce sync.Once
	live      atomic.Bool // set once the ready signal arrived
	finished  atomic.Bool // set once everything expected arrived
}

// markReady signals readiness once, whether the session went live or
// failed first.
func (c *checker) markReady() { c.readyOnce.Do(c.ready) }

func (c *checker) handle(it adapter.Item) bool {
	switch it.Kind {
	case adapter.Raw:
		c.raw++
		c.bytes += int64(len(it.Data))
		if c.raw == 1 {
			c.live.Store(true)
			c.markReady()
		}
		return c.more(c.raw < c.wantRaw)
	case adapter.TurnComplete:
		c.turns++
		if c.turns == 1 {
			c.live.Store(true)
		}
		if c.turns == 1+c.readyAfter {
			c.markReady()
		}
		return c.more(c.turns <= c.wantTurns)
	case adapter.Audio:
		if c.turns == 0 {
			c.err = fmt.Errorf("audio before the ready signal")
			return false
		}
		sent, err := wire.CheckChunk(it.Data, uint64(c.frames))
		if err != nil {
			c.err = err
			return false
		}
		if c.keepLatency && (c.turns > 1 || c.wantTurns == 1) { // the first turn warms up, unless it is the only one
			c.latencies = append(c.latencies, time.Now().UnixNano()-sent)
		}
		c.frames++
		return true
	}
	return true
}

// more records that the session is finished when it wants no more.
func (c *checker) more(want bool) bool {
	if !want {
		c.finished.Store(true)
	}
	return want
}

// check reports whether everything expected arrived.
func (c *checker) check(frameLen int) error {
	if c.err != nil {
		return c.err
	}
	if c.wantRaw > 0 {
		want := int64(len(wire.TurnCompleteFrame)) + int64(c.wantTurns)*(c.wantFrames/int64(max(c.wantTurns, 1))*int64(frameLen)+int64(len(wire.TurnCompleteFrame)))
		if c.raw != c.wantRaw || c.bytes != want {
			return fmt.Errorf("received %d messages, %d bytes; want %d, %d", c.raw, c.bytes, c.wantRaw, want)
		}
		return nil
	}
	if c.frames != c.wantFrames || c.turns != c.wantTurns+1 {
		return fmt.Errorf("received %d chunks in %d turns; want %d in %d", c.frames, c.turns-1, c.wantFrames, c.wantTurns)
	}
	return nil
}
