package gemini_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
)

// Connect to a live model, send a text turn and print the reply. The model
// here is the fake server of package livetest; drop BaseURL and APIKey to
// talk to the Gemini API with GOOGLE_API_KEY from the environment.
func Example() {
	srv := livetest.NewServer()
	defer srv.Close()
	srv.Reply(livetest.Text("Hello"), livetest.Text(", Ada!"))

	ctx := context.Background()
	model, err := gemini.NewModel(ctx, "gemini-live-2.5-flash-preview", &gemini.Config{
		Backend: genai.BackendGeminiAPI,
		APIKey:  "test-key",
		BaseURL: srv.URL,
	})
	if err != nil {
		log.Fatal(err)
	}
	conn, err := model.Connect(ctx, &live.ConnectRequest{Setup: &genai.LiveClientSetup{
		GenerationConfig:  &genai.GenerationConfig{ResponseModalities: []genai.Modality{genai.ModalityText}},
		SystemInstruction: genai.NewContentFromText("You are a friendly assistant.", genai.RoleUser),
	}})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()

	err = conn.SendContent(ctx, &genai.LiveClientContent{
		Turns:        []*genai.Content{genai.NewContentFromText("Hi, I am Ada.", genai.RoleUser)},
		TurnComplete: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	for {
		resp, err := conn.Receive(ctx)
		if err != nil {
			log.Fatal(err)
		}
		sc := resp.ServerContent
		if sc == nil {
			continue // setupComplete, usage, ...
		}
		if sc.ModelTurn != nil {
			for _, p := range sc.ModelTurn.Parts {
				fmt.Print(p.Text)
			}
		}
		if sc.TurnComplete {
			fmt.Println()
			break
		}
	}
	// Output: Hello, Ada!
}

// A connection the server ends yields a *gemini.CloseError with the
// server's code and reason; Retryable and Quota tell whether reconnecting
// can help.
func ExampleCloseError() {
	srv := livetest.NewServer()
	defer srv.Close()
	srv.Reply(livetest.CloseWith(1011, "You exceeded your current quota, please check your plan and billing details."))

	ctx := context.Background()
	model, err := gemini.NewModel(ctx, "gemini-live-2.5-flash-preview", &gemini.Config{
		Backend: genai.BackendGeminiAPI, APIKey: "test-key", BaseURL: srv.URL,
	})
	if err != nil {
		log.Fatal(err)
	}
	conn, err := model.Connect(ctx, &live.ConnectRequest{})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SendRealtime(ctx, &live.RealtimeInput{Text: "Hello?"}); err != nil {
		log.Fatal(err)
	}
	for {
		_, err := conn.Receive(ctx)
		var ce *gemini.CloseError
		if errors.As(err, &ce) {
			fmt.Println(ce.Code, ce.Reason)
			fmt.Println("retryable:", ce.Retryable(), "quota:", ce.Quota())
			return
		}
		if err != nil {
			log.Fatal(err)
		}
	}
	// Output:
	// StatusInternalError You exceeded your current quota, please check your plan and billing details.
	// retryable: false quota: true
}

// NewModel with a nil Config takes everything from the environment, as the
// genai SDK does: GOOGLE_API_KEY for the Gemini API, or
// GOOGLE_GENAI_USE_VERTEXAI=true with GOOGLE_CLOUD_PROJECT (and
// GOOGLE_CLOUD_LOCATION) and Application Default Credentials for Vertex AI.
func ExampleNewModel() {
	model, err := gemini.NewModel(context.Background(), "gemini-2.5-flash-native-audio-preview-12-2025", nil)
	if err != nil {
		// A *gemini.ConfigError names the setting to provide.
		log.Fatal(err)
	}
	fmt.Println(model.Name(), model.Backend())
}
