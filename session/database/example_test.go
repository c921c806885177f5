package database_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/session"
	"github.com/adklive/adklive/session/database"
	"google.golang.org/genai"
)

// A conversation stored in a SQLite file is there again after the service
// is closed and opened anew, as after a restart.
func Example() {
	dir, err := os.MkdirTemp("", "adklive-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	spec := "sqlite:" + filepath.Join(dir, "sessions.db")
	ctx := context.Background()

	// The first process creates a session and appends a turn.
	svc, closeFn, err := database.Open(ctx, spec, database.Config{})
	if err != nil {
		log.Fatal(err)
	}
	s, err := svc.Create(ctx, &session.CreateRequest{AppName: "bidi-demo", UserID: "user-1", SessionID: "call-42"})
	if err != nil {
		log.Fatal(err)
	}
	ev := event.New(event.NewInvocationID(), "weather_agent")
	ev.Content = genai.NewContentFromText("It is sunny in Madrid.", genai.RoleModel)
	ev.Actions.StateDelta = map[string]any{"user:city": "Madrid", "temp:raw": "{...}"}
	if _, err := svc.AppendEvent(ctx, s, ev); err != nil {
		log.Fatal(err)
	}
	if err := closeFn(); err != nil {
		log.Fatal(err)
	}

	// The next process finds it as it was left.
	svc, closeFn, err = database.Open(ctx, spec, database.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer closeFn()
	got, err := svc.Get(ctx, &session.GetRequest{AppName: "bidi-demo", UserID: "user-1", SessionID: "call-42"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(got.Events), "event:", got.Events[0].Text())
	fmt.Println("state:", got.State)
	// Output:
	// 1 event: It is sunny in Madrid.
	// state: map[user:city:Madrid]
}
