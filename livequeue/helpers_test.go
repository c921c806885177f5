package livequeue_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/livequeue"
)

// waitBlockedInReceive waits until n goroutines are parked inside
// Queue.Receive, so a test exercises the blocked path rather than racing
// past it.
func waitBlockedInReceive(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	buf := make([]byte, 1<<20)
	for {
		stacks := string(buf[:runtime.Stack(buf, true)])
		blocked := 0
		for _, g := range strings.Split(stacks, "\n\n") {
			if strings.Contains(g, "[select") && strings.Contains(g, "livequeue.(*Queue).Receive") {
				blocked++
			}
		}
		if blocked >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines blocked in Receive, want %d:\n%s", blocked, n, stacks)
		}
		runtime.Gosched()
	}
}

func text(s string) *genai.Content { return genai.NewContentFromText(s, genai.RoleUser) }

// pcm returns a chunk of PCM16 audio holding b, with a zero byte after it
// when len(b) is odd: PCM16 has two bytes a sample.
func pcm(b ...byte) *genai.Blob {
	if len(b)%2 != 0 {
		b = append(b, 0)
	}
	return &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: b}
}

// receiveAll receives until the queue reports ErrClosed.
func receiveAll(t *testing.T, q *livequeue.Queue) []livequeue.Request {
	t.Helper()
	var got []livequeue.Request
	for {
		r, err := q.Receive(context.Background())
		if errors.Is(err, livequeue.ErrClosed) {
			return got
		}
		if err != nil {
			t.Fatalf("Receive: %v", err)
		}
		got = append(got, r)
	}
}
