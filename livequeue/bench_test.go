package livequeue_test

import (
	"context"
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/livequeue"
)

// chunk is 100 ms of 16 kHz PCM16 mono audio.
var chunk = &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: make([]byte, 3200)}

// BenchmarkSendReceive measures one audio chunk going from a sender
// goroutine to the receiving goroutine, as in a live run.
func BenchmarkSendReceive(b *testing.B) {
	q := livequeue.New()
	done := make(chan error)
	go func() {
		for range b.N {
			if _, err := q.Receive(context.Background()); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := q.SendRealtime(chunk); err != nil {
			b.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	q.Close()
}

// BenchmarkSendReceiveSameGoroutine measures the queue's own cost, with no
// goroutine hand-off: one send and one receive per iteration.
func BenchmarkSendReceiveSameGoroutine(b *testing.B) {
	q := livequeue.New()
	defer q.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := q.SendRealtime(chunk); err != nil {
			b.Fatal(err)
		}
		if _, err := q.Receive(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSendReceiveParallel measures many goroutines sending into one
// queue (audio, video and text producers of one connection, or a streaming
// tool fed alongside) while one goroutine receives.
func BenchmarkSendReceiveParallel(b *testing.B) {
	q := livequeue.New()
	received := make(chan int)
	go func() {
		n := 0
		for {
			if _, err := q.Receive(context.Background()); err != nil {
				received <- n
				return
			}
			n++
		}
	}()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := q.SendRealtime(chunk); err != nil {
				b.Error(err)
				return
			}
		}
	})
	q.Close()
	if n := <-received; n != b.N {
		b.Fatalf("received %d requests, sent %d", n, b.N)
	}
}
