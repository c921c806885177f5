package event_test

import (
	"encoding/json"
	"fmt"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
)

// An event encodes to the JSON a browser client written for ADK's
// bidi-demo expects: camelCase names, empty fields omitted, timestamp as
// float seconds.
func ExampleEvent_MarshalJSON() {
	ev := event.New("e-0b5e8a3c-1d2f-4a6b-9c8d-7e6f5a4b3c2d", "search_agent")
	ev.ID = "3f1e7c2a-5b9d-4e8f-a1c2-d3e4f5a6b7c8" // fixed for the example's output
	ev.Timestamp = time.Date(2025, 1, 1, 0, 0, 0, 500000000, time.UTC)
	ev.Content = genai.NewContentFromText("Hello!", genai.RoleModel)
	ev.Partial = true

	b, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
	// Output:
	// {"id":"3f1e7c2a-5b9d-4e8f-a1c2-d3e4f5a6b7c8","invocationId":"e-0b5e8a3c-1d2f-4a6b-9c8d-7e6f5a4b3c2d","author":"search_agent","content":{"parts":[{"text":"Hello!"}],"role":"model"},"partial":true,"timestamp":1735689600.5}
}

// A caller typically switches on an event's fields: play audio, show
// text, stop playback on interruption.
func ExampleEvent_IsFinalResponse() {
	events := []*event.Event{
		{Author: "search_agent", Content: genai.NewContentFromText("It's sun", genai.RoleModel), Partial: true},
		{Author: "search_agent", Content: genai.NewContentFromText("It's sunny.", genai.RoleModel)},
		{Author: "search_agent", Content: genai.NewContentFromFunctionCall("get_weather", map[string]any{"city": "Tokyo"}, genai.RoleModel)},
		{Author: "search_agent", Interrupted: true},
	}
	for _, ev := range events {
		switch {
		case ev.Interrupted:
			fmt.Println("interrupted: stop playback")
		case len(ev.FunctionCalls()) > 0:
			fmt.Println("calling", ev.FunctionCalls()[0].Name)
		case ev.IsFinalResponse():
			fmt.Printf("final: %q\n", ev.Text())
		default:
			fmt.Printf("partial: %q\n", ev.Text())
		}
	}
	// Output:
	// partial: "It's sun"
	// final: "It's sunny."
	// calling get_weather
	// interrupted: stop playback
}

// MIME types are case-insensitive: audio is audio whatever the case, and
// an event carrying it is never stored in a session.
func ExampleIsAudioMIMEType() {
	for _, mime := range []string{"audio/pcm;rate=16000", "Audio/PCM", "image/jpeg"} {
		fmt.Println(mime, event.IsAudioMIMEType(mime))
	}
	// Output:
	// audio/pcm;rate=16000 true
	// Audio/PCM true
	// image/jpeg false
}
