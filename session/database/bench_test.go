package database

import (
	"fmt"
	"testing"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"google.golang.org/genai"
)

// benchEvent returns a model event of about the size of a transcribed
// turn, with a one-key state delta.
func benchEvent(i int) *event.Event {
	ev := event.New("e-bench", "agent")
	ev.Content = genai.NewContentFromText(fmt.Sprintf("the weather in Madrid is sunny, turn %d, and tomorrow too", i), genai.RoleModel)
	ev.Actions.StateDelta = map[string]any{"turn": float64(i)}
	return ev
}

// BenchmarkAppendEvent measures one append, through a current Session
// value, on each backend.
func BenchmarkAppendEvent(b *testing.B) {
	for _, be := range backends() {
		b.Run(be.name, func(b *testing.B) {
			db, _ := be.open(b)
			svc := newTestService(b, db)
			s, err := svc.Create(b.Context(), &session.CreateRequest{AppName: "a", UserID: "u", SessionID: "s"})
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; b.Loop(); i++ {
				if _, err := svc.AppendEvent(b.Context(), s, benchEvent(i)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGet1000 measures Get of a session with 1000 events on each
// backend.
func BenchmarkGet1000(b *testing.B) {
	for _, be := range backends() {
		b.Run(be.name, func(b *testing.B) {
			db, _ := be.open(b)
			svc := newTestService(b, db)
			s, err := svc.Create(b.Context(), &session.CreateRequest{AppName: "a", UserID: "u", SessionID: "s"})
			if err != nil {
				b.Fatal(err)
			}
			for i := range 1000 {
				if _, err := svc.AppendEvent(b.Context(), s, benchEvent(i)); err != nil {
					b.Fatal(err)
				}
			}
			req := &session.GetRequest{AppName: "a", UserID: "u", SessionID: "s"}
			for b.Loop() {
				got, err := svc.Get(b.Context(), req)
				if err != nil || len(got.Events) != 1000 {
					b.Fatalf("Get: %d events, error %v; want 1000", len(got.Events), err)
				}
			}
		})
	}
}
