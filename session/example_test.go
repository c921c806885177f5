package session_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"maps"
	"slices"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"google.golang.org/genai"
)

// A live run reads the session once, then appends each event worth keeping
// through the same Session value.
func Example() {
	ctx := context.Background()
	svc := session.InMemory()

	s, err := svc.Create(ctx, &session.CreateRequest{
		AppName:   "bidi-demo",
		UserID:    "user-1",
		SessionID: " call-42 ", // trimmed
		State:     session.State{"app:greeting": "hola"},
	})
	if err != nil {
		log.Fatal(err)
	}

	ev := event.New(event.NewInvocationID(), "weather_agent")
	ev.Content = genai.NewContentFromText("It is sunny in Madrid.", genai.RoleModel)
	ev.Actions.StateDelta = map[string]any{
		"user:city": "Madrid", // every session of user-1 sees it
		"forecast":  "sunny",  // this session only
		"temp:raw":  "{...}",  // this invocation only: never stored
	}
	if _, err := svc.AppendEvent(ctx, s, ev); err != nil {
		log.Fatal(err)
	}

	got, err := svc.Get(ctx, &session.GetRequest{AppName: "bidi-demo", UserID: "user-1", SessionID: "call-42"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d event: %q\n", got.ID, len(got.Events), got.Events[0].Text())
	for _, k := range slices.Sorted(maps.Keys(got.State)) {
		fmt.Printf("%s = %v (%v scope)\n", k, got.State[k], session.ScopeOf(k))
	}
	// Output:
	// call-42: 1 event: "It is sunny in Madrid."
	// app:greeting = hola (app scope)
	// forecast = sunny (session scope)
	// user:city = Madrid (user scope)
}

// Two copies of one session race to append: the second sees ErrStale,
// reads the session again and retries, so neither update is lost.
func ExampleService_AppendEvent_stale() {
	ctx := context.Background()
	svc := session.InMemory()
	if _, err := svc.Create(ctx, &session.CreateRequest{AppName: "app", UserID: "u", SessionID: "s"}); err != nil {
		log.Fatal(err)
	}
	get := &session.GetRequest{AppName: "app", UserID: "u", SessionID: "s"}
	a, _ := svc.Get(ctx, get)
	b, _ := svc.Get(ctx, get)

	if _, err := svc.AppendEvent(ctx, a, textEvent("from a")); err != nil {
		log.Fatal(err)
	}
	_, err := svc.AppendEvent(ctx, b, textEvent("from b"))
	fmt.Println("stale:", errors.Is(err, session.ErrStale))

	b, _ = svc.Get(ctx, get)
	if _, err := svc.AppendEvent(ctx, b, textEvent("from b")); err != nil {
		log.Fatal(err)
	}
	s, _ := svc.Get(ctx, get)
	for _, ev := range s.Events {
		fmt.Println(ev.Text())
	}
	// Output:
	// stale: true
	// from a
	// from b
}

// A connection handler gets the user's session, creating it on first
// contact. Reconnecting with the same id finds the same conversation.
func ExampleGetOrCreate() {
	ctx := context.Background()
	svc := session.InMemory()

	first, err := session.GetOrCreate(ctx, svc, "bidi-demo", "user-1", "s1", session.State{"visits": 1.0})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := svc.AppendEvent(ctx, first, textEvent("hello")); err != nil {
		log.Fatal(err)
	}

	again, err := session.GetOrCreate(ctx, svc, "bidi-demo", "user-1", "s1", session.State{"visits": 99.0})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(again.ID, len(again.Events), again.State["visits"])
	// Output: s1 1 1
}

// textEvent returns a user event carrying text.
func textEvent(text string) *event.Event {
	ev := event.New("e-example", event.AuthorUser)
	ev.Content = genai.NewContentFromText(text, genai.RoleUser)
	return ev
}
