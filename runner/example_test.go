package runner_test

import (
	"context"
	"fmt"
	"log"

	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/runner"
	"github.com/adklive/adklive/session"
)

// The quickstart: an agent, in-memory sessions, a runner, and one live run
// with a text turn. It talks to a local fake of the Live API; to talk to
// Gemini, set GOOGLE_API_KEY and drop the livetest server and Config.
func Example() {
	ctx := context.Background()

	srv := livetest.NewServer() // a local Live API simulator
	defer srv.Close()
	model, err := gemini.NewModel(ctx, "gemini-live-2.5-flash-preview",
		&gemini.Config{APIKey: "test-key", BaseURL: srv.URL})
	if err != nil {
		log.Fatal(err)
	}

	// Once per process: the agent and the runner.
	assistant, err := agent.New(agent.Config{
		Name:        "assistant",
		Model:       model,
		Instruction: "You are a helpful assistant.",
	})
	if err != nil {
		log.Fatal(err)
	}
	r, err := runner.New(runner.Config{
		AppName:           "quickstart",
		Agent:             assistant,
		SessionService:    session.InMemory(),
		AutoCreateSession: true,
	})
	if err != nil {
		log.Fatal(err)
	}

	// Per connection: a queue for the user's input and a live run.
	q := livequeue.New()
	defer q.Close()
	if err := q.SendContent(genai.NewContentFromText("Hello!", genai.RoleUser)); err != nil {
		log.Fatal(err)
	}
	cfg := runconfig.RunConfig{ResponseModalities: []genai.Modality{genai.ModalityText}}
	for ev, err := range r.RunLive(ctx, "user-1", "session-1", q, cfg) {
		if err != nil {
			log.Fatal(err)
		}
		switch {
		case ev.Partial:
			// A streamed chunk; the merged text follows.
		case ev.Text() != "":
			fmt.Printf("%s: %s\n", ev.Author, ev.Text())
		case ev.TurnComplete:
			q.Close() // one turn is enough here: closing the queue ends the run
		}
	}
	// Output:
	// user: Hello!
	// assistant: echo: Hello!
}

func ExamplePersist() {
	events := []*event.Event{
		{Author: "assistant", Content: genai.NewContentFromText("It's", genai.RoleModel), Partial: true},
		{Author: "assistant", Content: genai.NewContentFromText("It's sunny.", genai.RoleModel)},
		{Author: "assistant", Content: &genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{
			{InlineData: &genai.Blob{MIMEType: "audio/pcm;rate=24000", Data: []byte{0, 0}}},
		}}},
		{Author: "user", InputTranscription: &genai.Transcription{Text: "Weather?", Finished: true}},
		{Author: "assistant", GenerationComplete: true},
		{Author: "assistant", TurnComplete: true},
	}
	for _, ev := range events {
		fmt.Println(runner.Persist(ev))
	}
	// Output:
	// false
	// true
	// false
	// true
	// false
	// true
}
