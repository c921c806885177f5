package flow_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/tool"
)

// A live run against the local fake server: the user asks for the
// weather, the model calls a tool, the run executes it and the model
// answers. A runner does the same, and persists the events Persist
// selects.
func ExampleRun() {
	srv := livetest.NewServer()
	defer srv.Close()
	srv.Reply(
		livetest.ToolCall(&genai.FunctionCall{ID: "call-1", Name: "get_weather", Args: map[string]any{"city": "Tokyo"}}),
		livetest.Text("It's "), livetest.Text("sunny in Tokyo."),
	)

	ctx := context.Background()
	model, err := gemini.NewModel(ctx, "gemini-2.5-flash-native-audio-preview-12-2025",
		&gemini.Config{Backend: genai.BackendGeminiAPI, APIKey: "any-key", BaseURL: srv.URL, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		log.Fatal(err)
	}
	weather, err := tool.NewFunction(tool.FunctionConfig{Name: "get_weather", Description: "Returns the weather in a city."},
		func(ctx tool.Context, args map[string]any) (map[string]any, error) {
			return map[string]any{"weather": "sunny"}, nil
		})
	if err != nil {
		log.Fatal(err)
	}

	q := livequeue.New()
	_ = q.Claim()
	_ = q.SendContent(genai.NewContentFromText("What's the weather in Tokyo?", genai.RoleUser))

	for ev, err := range flow.Run(ctx, flow.Params{
		Model:        model,
		Author:       "weather_agent",
		InvocationID: event.NewInvocationID(),
		Instruction:  "You answer questions about the weather.",
		Tools:        []tool.Tool{weather},
		RunConfig:    runconfig.RunConfig{ResponseModalities: []genai.Modality{genai.ModalityText}},
		Queue:        q,
	}) {
		if err != nil {
			log.Fatal(err)
		}
		switch {
		case ev.Partial:
			// Stream chunks to the client here.
		case len(ev.FunctionCalls()) > 0:
			fmt.Println(ev.Author, "calls", ev.FunctionCalls()[0].Name)
		case len(ev.FunctionResponses()) > 0:
			fmt.Println(ev.Author, "got", ev.FunctionResponses()[0].Response)
		case ev.Text() != "":
			fmt.Printf("%s: %s\n", ev.Author, ev.Text())
		case ev.TurnComplete:
			fmt.Println("turn complete")
			q.Close() // the user hangs up: the run ends without an error
		}
	}
	// Output:
	// user: What's the weather in Tokyo?
	// weather_agent calls get_weather
	// weather_agent got map[weather:sunny]
	// weather_agent: It's sunny in Tokyo.
	// turn complete
}

func ExampleHistory() {
	events := []*event.Event{
		{Author: "user", InputTranscription: &genai.Transcription{Text: "What's the weather?", Finished: true}},
		{Author: "assistant", OutputTranscription: &genai.Transcription{Text: "It's sunny.", Finished: true}},
		{Author: "user", Content: genai.NewContentFromText("Thanks!", genai.RoleUser)},
	}
	for _, c := range flow.History(events) {
		fmt.Printf("%s: %s\n", c.Role, c.Parts[0].Text)
	}
	// Output:
	// user: What's the weather?
	// model: It's sunny.
	// user: Thanks!
}
