package livetest

import (
	"context"
	"slices"
	"sync"
)

// toolCalls tracks the function calls of a session that await a response.
type toolCalls struct {
	mu      sync.Mutex
	ids     []string      // outstanding, in the order they were sent
	changed chan struct{} // closed and replaced when ids shrink
}

func (t *toolCalls) init() {
	t.changed = make(chan struct{})
}

// add marks ids as outstanding.
func (t *toolCalls) add(ids []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ids = append(t.ids, ids...)
}

// answer marks ids as answered and reports whether any was outstanding.
func (t *toolCalls) answer(ids []string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(t.ids)
	t.ids = slices.DeleteFunc(t.ids, func(id string) bool { return slices.Contains(ids, id) })
	if len(t.ids) == n {
		return false
	}
	t.wakeLocked()
	return true
}

// cancelAll forgets every outstanding call and returns their ids.
func (t *toolCalls) cancelAll() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	ids := t.ids
	t.ids = nil
	if len(ids) > 0 {
		t.wakeLocked()
	}
	return ids
}

// pending returns how many calls are outstanding.
func (t *toolCalls) pending() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.ids)
}

// wait returns when none of ids is outstanding (each was answered or
// cancelled), or with ctx's error.
func (t *toolCalls) wait(ctx context.Context, ids []string) error {
	for {
		t.mu.Lock()
		open := slices.ContainsFunc(t.ids, func(id string) bool { return slices.Contains(ids, id) })
		changed := t.changed
		t.mu.Unlock()
		if !open {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (t *toolCalls) wakeLocked() {
	close(t.changed)
	t.changed = make(chan struct{})
}
