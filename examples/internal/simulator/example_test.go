package simulator_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"google.golang.org/genai"

	"github.com/adklive/adklive/examples/internal/simulator"
	"github.com/adklive/adklive/flow/live"
)

// An example forced onto the simulator, as `-simulator` does, asks it
// something over the Live API protocol.
func ExampleOpen() {
	ctx := context.Background()
	b, err := simulator.Open(ctx, simulator.Config{
		Model:     "gemini-2.5-flash",
		Force:     true,
		Logger:    slog.New(slog.DiscardHandler),
		Responder: simulator.Options{TextDelay: -1},
	})
	if err != nil {
		panic(err)
	}
	defer b.Close()
	fmt.Println("simulated:", b.Simulated)

	conn, err := b.Model.Connect(ctx, &live.ConnectRequest{Setup: &genai.LiveClientSetup{
		GenerationConfig: &genai.GenerationConfig{ResponseModalities: []genai.Modality{genai.ModalityText}},
	}})
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	err = conn.SendContent(ctx, &genai.LiveClientContent{
		Turns:        []*genai.Content{genai.NewContentFromText("hello", genai.RoleUser)},
		TurnComplete: true,
	})
	if err != nil {
		panic(err)
	}
	var reply strings.Builder
	for {
		r, err := conn.Receive(ctx)
		if err != nil {
			panic(err)
		}
		if sc := r.ServerContent; sc != nil {
			if sc.ModelTurn != nil {
				for _, p := range sc.ModelTurn.Parts {
					reply.WriteString(p.Text)
				}
			}
			if sc.TurnComplete {
				break
			}
		}
	}
	fmt.Println(reply.String())
	// Output:
	// simulated: true
	// You said: “hello”. I am the local simulator: ask me what time it is to see a tool call.
}

// SpeakWord renders a word as the simulator's voice: 24 kHz PCM16LE.
func ExampleSpeakWord() {
	pcm := simulator.SpeakWord("hello ", 0)
	fmt.Println(simulator.Duration(pcm))
	// Output: 435ms
}
