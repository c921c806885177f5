package flow

import (
	"sync"
	"sync/atomic"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow/live"
)

// message is one client message on its way to the model: a user turn, a
// realtime input or a tool response. Exactly one of its payloads is set.
type message struct {
	content *genai.LiveClientContent
	tool    *genai.LiveClientToolResponse
	// turn is the user's event for content: yielded once (announced),
	// when the content is first handed to a connection.
	turn *event.Event
	// toolLink is the link whose tool call a tool response answers; the
	// response is dropped if that link is no longer the current one.
	toolLink *link

	realtime   live.RealtimeInput // when isRealtime; a value, one allocation a chunk
	isRealtime bool
	announced  bool
}

// audioBytes returns the size of the audio a message carries, which is
// what RunConfig.MaxHeldAudioBytes bounds.
func (m *message) audioBytes() int {
	if m.isRealtime && m.realtime.Audio != nil {
		return len(m.realtime.Audio.Data)
	}
	return 0
}

// held keeps the messages sent while the connection is down, oldest
// first, to be delivered once a connection is back. Audio is bounded: past
// limit bytes the oldest audio is dropped and counted.
type held struct {
	limit int // bytes of audio; negative holds none

	n            atomic.Int32 // len(msgs), read without the lock by pop
	mu           sync.Mutex
	msgs         []*message
	audio        int // bytes of audio in msgs
	droppedMsgs  int // audio messages dropped since the last report
	droppedBytes int
}

// push appends m, dropping the oldest held audio if m's audio exceeds the
// bound.
func (h *held) push(m *message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.msgs = append(h.msgs, m)
	h.audio += m.audioBytes()
	h.trimLocked()
	h.n.Store(int32(len(h.msgs)))
}

// prepend puts ms, oldest first, ahead of everything held: messages of a
// connection that ended, which go before anything sent since.
func (h *held) prepend(ms []*message) {
	if len(ms) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.msgs = append(append(make([]*message, 0, len(ms)+len(h.msgs)), ms...), h.msgs...)
	for _, m := range ms {
		h.audio += m.audioBytes()
	}
	h.trimLocked()
	h.n.Store(int32(len(h.msgs)))
}

// trimLocked drops the oldest audio messages while the held audio
// exceeds the limit.
func (h *held) trimLocked() {
	limit := max(h.limit, 0)
	if h.audio <= limit {
		return
	}
	kept := h.msgs[:0]
	for _, m := range h.msgs {
		if n := m.audioBytes(); n > 0 && h.audio > limit {
			h.audio -= n
			h.droppedMsgs++
			h.droppedBytes += n
			continue
		}
		kept = append(kept, m)
	}
	clear(h.msgs[len(kept):])
	h.msgs = kept
}

// pop removes and returns the oldest held message, or nil. An empty
// buffer, the common case, costs no lock.
func (h *held) pop() *message {
	if h.n.Load() == 0 {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.msgs) == 0 {
		return nil
	}
	m := h.msgs[0]
	h.msgs[0] = nil
	h.msgs = h.msgs[1:]
	h.audio -= m.audioBytes()
	if len(h.msgs) == 0 {
		h.msgs = nil // let a long outage's array go
	}
	h.n.Store(int32(len(h.msgs)))
	return m
}

// unshift puts m back at the front: a message whose write failed.
func (h *held) unshift(m *message) { h.prepend([]*message{m}) }

// filter keeps only the held messages keep returns true for.
func (h *held) filter(keep func(*message) bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	kept := h.msgs[:0]
	h.audio = 0
	for _, m := range h.msgs {
		if keep(m) {
			kept = append(kept, m)
			h.audio += m.audioBytes()
		}
	}
	clear(h.msgs[len(kept):])
	h.msgs = kept
	h.n.Store(int32(len(h.msgs)))
}

// len returns how many messages are held.
func (h *held) len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.msgs)
}

// addDropped counts audio dropped elsewhere (from a link's journal) into
// the next report.
func (h *held) addDropped(msgs, bytes int) {
	h.mu.Lock()
	h.droppedMsgs += msgs
	h.droppedBytes += bytes
	h.mu.Unlock()
}

// takeDropped returns and resets the count of dropped audio.
func (h *held) takeDropped() (msgs, bytes int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	msgs, bytes = h.droppedMsgs, h.droppedBytes
	h.droppedMsgs, h.droppedBytes = 0, 0
	return msgs, bytes
}
