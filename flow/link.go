package flow

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/adklive/adklive/flow/live"
)

// link is one connection of a run. The run outlives its links: when one
// ends (a drop, a goAway handover) the supervisor opens the next, and the
// sender and tools carry on through whichever link is current.
//
// A link owns its connection, the count of client messages sent on it as
// the server counts them (setup is message 0), and a journal of the
// messages sent since the newest resumable handle, which are resent when
// the session resumes from that handle.
type link struct {
	r       *run
	conn    live.Conn
	agent   *agentState // the agent the link talks as
	n       int         // the link's number in the run, from 1
	resumed bool        // the setup carried a resumption handle

	// Owned by the sender, the only goroutine that writes.
	sent int64 // index of the last message written
	// writeSeq counts write starts and ends: odd while a write is in
	// progress. The watchdog reads it; two atomic adds are all a write
	// pays for its deadline.
	writeSeq atomic.Uint64

	jmu     sync.Mutex
	sealedJ bool // the journal was carried over: nothing joins it any more
	journal []journalEntry
	turnEnd int // journal entries written before the newest turnComplete
	jAudio  int // bytes of audio in the journal
	// Audio dropped from the journal to keep it within
	// RunConfig.MaxHeldAudioBytes; reported if a resume needed it.
	jDroppedMsgs, jDroppedBytes int

	// The watchdog: a timer every half WriteTimeout (or Keepalive, if
	// shorter) that drops the link
	// when the same write is seen in progress three times (it has lasted
	// at least WriteTimeout), and pings every Keepalive. Owned by the
	// timer's goroutine.
	watchdog   *time.Timer
	period     time.Duration
	lastSeq    uint64
	stuckTicks int
	lastPing   time.Time

	// Owned by the receive loop: the handover a goAway asked for.
	handoverWanted   bool        // switch at the next turn boundary
	handoverAtUpdate bool        // the boundary came; switch at the handle after it
	handoverTimer    *time.Timer // switches when timeLeft is nearly up

	endOnce sync.Once
	ended   chan struct{} // closed when the link is over
	over    atomic.Bool   // set just before ended is closed; cheaper to read
	cause   error         // why, set before ended is closed
}

// journalEntry is a message written on a link, with its index.
type journalEntry struct {
	index int64
	msg   *message
}

// newLink wraps a connection that is ready for its first message.
func (r *run) newLink(conn live.Conn, n int, resumed, sentHistory bool) *link {
	l := &link{r: r, conn: conn, agent: r.cur(), n: n, resumed: resumed, ended: make(chan struct{})}
	if sentHistory {
		l.sent = 1
	}
	l.period = r.cfg.WriteTimeout / 2
	if r.cfg.KeepaliveEnabled() {
		l.period = min(l.period, r.cfg.Keepalive)
	}
	l.lastPing = time.Now()
	// Set before the timer can run tick, which resets it.
	w := time.AfterFunc(time.Hour, l.tick)
	w.Stop()
	l.watchdog = w
	w.Reset(l.period)
	return l
}

// linkError is why the flow itself ended a link: a stuck write or a
// keepalive without answer. It is retryable: a new connection may work.
type linkError struct {
	msg string
	err error
}

func (e *linkError) Error() string {
	if e.err != nil {
		return "flow: " + e.msg + ": " + e.err.Error()
	}
	return "flow: " + e.msg
}
func (e *linkError) Unwrap() error   { return e.err }
func (e *linkError) Retryable() bool { return true }
func (e *linkError) Quota() bool     { return false }

// write sends one message on the link's connection, with the write
// deadline armed, and journals it; journaled reports whether the message
// is in the journal, where the next link finds it. The caller is the
// sender.
func (l *link) write(m *message) (journaled bool, err error) {
	l.writeSeq.Add(1)
	defer l.writeSeq.Add(1)
	l.sent++
	// Journaled before it is written: the server may consume the message
	// and report it (lastConsumedClientMessageIndex) before the write
	// returns, and the trim must find it. A write that fails with the
	// connection may still have reached the server, so it stays in the
	// journal too, and the resume decides.
	if l.r.journaling && m.tool == nil {
		journaled = l.journalMessage(m)
	}
	switch {
	case l.isOver():
		// Checked after writeSeq is odd: waitWrites, which runs after
		// the link ended, either sees this write or this write sees the
		// end. Nothing is written; the message stays journaled like a
		// failed write, under an index the server never reached.
		err = net.ErrClosed
	case m.isRealtime:
		err = l.conn.SendRealtime(l.r.wireCtx, &m.realtime)
	case m.content != nil:
		err = l.conn.SendContent(l.r.wireCtx, m.content)
	case m.tool != nil:
		err = l.conn.SendToolResponse(l.r.wireCtx, m.tool)
	}
	if err != nil && errors.Is(err, live.ErrRejected) {
		// Nothing was written: the message leaves the journal and the
		// count.
		if journaled {
			l.unjournal(l.sent)
			journaled = false
		}
		l.sent--
	}
	return journaled, err
}

// journalMessage appends m to the journal under the index just counted,
// keeping the journal's audio within RunConfig.MaxHeldAudioBytes. It
// reports false when the journal was already carried over to the next
// link.
func (l *link) journalMessage(m *message) bool {
	limit := max(l.r.cfg.MaxHeldAudioBytes, 0)
	l.jmu.Lock()
	defer l.jmu.Unlock()
	if l.sealedJ {
		return false
	}
	l.journal = append(l.journal, journalEntry{index: l.sent, msg: m})
	if l.jAudio += m.audioBytes(); l.jAudio > limit {
		l.trimAudioLocked(limit * 3 / 4)
	}
	return true
}

// sealed reports whether the journal was carried over to the next link.
func (l *link) sealed() bool {
	l.jmu.Lock()
	defer l.jmu.Unlock()
	return l.sealedJ
}

// unjournal removes the entry of index, the newest, if it is still there.
func (l *link) unjournal(index int64) {
	l.jmu.Lock()
	defer l.jmu.Unlock()
	if n := len(l.journal); n > 0 && l.journal[n-1].index == index {
		l.jAudio -= l.journal[n-1].msg.audioBytes()
		l.journal[n-1] = journalEntry{}
		l.journal = l.journal[:n-1]
		l.turnEnd = min(l.turnEnd, len(l.journal))
	}
}

// waitWrites waits, at most d, for a write in progress on the ended link
// to return, so its journal is complete. The connection is already
// dropped, so the write returns at once.
func (l *link) waitWrites(d time.Duration) {
	deadline := time.Now().Add(d)
	for l.writeSeq.Load()%2 == 1 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}

// turnCompleted marks the messages written so far as part of a completed
// turn. The receive loop calls it at turnComplete.
func (l *link) turnCompleted() {
	l.jmu.Lock()
	l.turnEnd = len(l.journal)
	l.jmu.Unlock()
}

// consumed trims the journal after a resumable handle: with transparent
// resumption the server says which messages it consumed (through index
// last); without, the messages of the turns completed before the handle
// are in the state it resumes, and later ones may not be (the server
// sends a handle after each turn, and one at setup). The receive loop
// calls it.
func (l *link) consumed(transparent bool, last int64) {
	l.jmu.Lock()
	defer l.jmu.Unlock()
	i := 0
	if transparent {
		for i < len(l.journal) && l.journal[i].index <= last {
			i++
		}
	} else {
		i = min(l.turnEnd, len(l.journal))
	}
	l.turnEnd = 0
	for _, e := range l.journal[:i] {
		l.jAudio -= e.msg.audioBytes()
	}
	n := copy(l.journal, l.journal[i:])
	clear(l.journal[n:])
	l.journal = l.journal[:n]
	l.jDroppedMsgs, l.jDroppedBytes = 0, 0 // the server has what was dropped
}

// trimAudioLocked drops the oldest journaled audio, up to the first
// journaled non-audio message, until at most target bytes are left. It
// trims to below the bound, not just to it, so that the copy it makes is
// paid once per many chunks.
func (l *link) trimAudioLocked(target int) {
	i := 0
	for i < len(l.journal) && l.jAudio > target {
		n := l.journal[i].msg.audioBytes()
		if n == 0 {
			break
		}
		l.jAudio -= n
		l.jDroppedMsgs++
		l.jDroppedBytes += n
		i++
	}
	if i == 0 {
		return
	}
	l.turnEnd = max(l.turnEnd-i, 0)
	n := copy(l.journal, l.journal[i:])
	clear(l.journal[n:])
	l.journal = l.journal[:n]
}

// unconsumed returns the journaled messages the resumed session lacks,
// oldest first, and seals the journal: a write that starts later holds its
// message instead.
func (l *link) unconsumed() []*message {
	l.jmu.Lock()
	defer l.jmu.Unlock()
	l.sealedJ = true
	if l.jDroppedMsgs > 0 {
		l.r.held.addDropped(l.jDroppedMsgs, l.jDroppedBytes)
	}
	ms := make([]*message, len(l.journal))
	for i, e := range l.journal {
		ms[i] = e.msg
	}
	return ms
}

// fail ends the link for cause, dropping the connection at once; the
// first cause wins. Safe from any goroutine.
func (l *link) fail(cause error) {
	l.endOnce.Do(func() {
		l.cause = cause
		l.over.Store(true)
		close(l.ended)
		if a, ok := l.conn.(live.Aborter); ok {
			a.Abort()
		} else {
			go l.conn.Close() // Close may wait for a stuck write
		}
	})
}

// handover ends the link to move to a new connection, closing it
// normally: the server retires it (goAway).
func (l *link) handover() {
	l.endOnce.Do(func() {
		l.cause = errHandover
		l.over.Store(true)
		close(l.ended)
		l.conn.Close()
	})
}

// end marks the link over after its receive loop returned err.
func (l *link) end(err error) {
	l.endOnce.Do(func() {
		l.cause = err
		l.over.Store(true)
		close(l.ended)
	})
}

// isOver reports whether the link has ended. It is read on every write.
func (l *link) isOver() bool { return l.over.Load() }

// stopTimers stops the link's watchdog and handover timer.
func (l *link) stopTimers() {
	l.watchdog.Stop()
	if l.handoverTimer != nil {
		l.handoverTimer.Stop()
	}
}

// tick is the watchdog: it drops the link when a write has lasted
// WriteTimeout (the same write seen in progress at three ticks half a
// WriteTimeout apart: noticed within 1.5 × WriteTimeout), and pings the
// peer every Keepalive, dropping the link when a ping goes unanswered for
// a Keepalive.
func (l *link) tick() {
	if l.isOver() {
		return
	}
	seq := l.writeSeq.Load()
	if seq%2 == 1 && seq == l.lastSeq {
		l.stuckTicks++
	} else {
		l.stuckTicks = 0
	}
	l.lastSeq = seq
	if l.stuckTicks >= 2 {
		l.fail(&linkError{msg: fmt.Sprintf("a write to the model took longer than RunConfig.WriteTimeout (%v)", l.r.cfg.WriteTimeout)})
		return
	}
	if p, ok := l.conn.(live.Pinger); ok && l.r.cfg.KeepaliveEnabled() && time.Since(l.lastPing) >= l.r.cfg.Keepalive {
		l.lastPing = time.Now()
		interval := l.r.cfg.Keepalive
		ctx, cancel := context.WithTimeout(context.Background(), interval)
		err := p.Ping(ctx)
		cancel()
		if err != nil && !l.isOver() {
			l.fail(&linkError{msg: fmt.Sprintf("keepalive: the model's server did not answer a ping within %v", interval), err: err})
			return
		}
	}
	if !l.isOver() {
		l.watchdog.Reset(l.period)
	}
}
