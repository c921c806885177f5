package session_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"google.golang.org/genai"
)

// benchEvent is a typical persisted event: merged model text with a small
// state delta.
func benchEvent(i int) *event.Event {
	ev := event.New("e-bench", "agent")
	ev.Content = genai.NewContentFromText(fmt.Sprintf("turn %d: it is sunny in Madrid today.", i), genai.RoleModel)
	ev.Actions.StateDelta = map[string]any{"turn": float64(i), "temp:raw": "x"}
	return ev
}

func BenchmarkInMemoryAppendEvent(b *testing.B) {
	ctx := b.Context()
	svc := session.InMemory()
	s, err := svc.Create(ctx, &session.CreateRequest{AppName: "app", UserID: "u", SessionID: "s"})
	if err != nil {
		b.Fatal(err)
	}
	events := make([]*event.Event, b.N)
	for i := range events {
		events[i] = benchEvent(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := svc.AppendEvent(ctx, s, events[i]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInMemoryGet measures reading a session of 100 events, as a
// live run does once per connection to seed the model's history.
func BenchmarkInMemoryGet(b *testing.B) {
	ctx := b.Context()
	svc := session.InMemory()
	s, err := svc.Create(ctx, &session.CreateRequest{AppName: "app", UserID: "u", SessionID: "s"})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 100 {
		if _, err := svc.AppendEvent(ctx, s, benchEvent(i)); err != nil {
			b.Fatal(err)
		}
	}
	req := &session.GetRequest{AppName: "app", UserID: "u", SessionID: "s"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.Get(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInMemoryAppendEventParallel measures appends to many sessions
// at once, as many concurrent live runs do.
func BenchmarkInMemoryAppendEventParallel(b *testing.B) {
	ctx := b.Context()
	svc := session.InMemory()
	var next atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		id := fmt.Sprint("s", next.Add(1))
		s, err := svc.Create(ctx, &session.CreateRequest{AppName: "app", UserID: id, SessionID: id})
		if err != nil {
			b.Error(err)
			return
		}
		i := 0
		for pb.Next() {
			if _, err := svc.AppendEvent(ctx, s, benchEvent(i)); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}
