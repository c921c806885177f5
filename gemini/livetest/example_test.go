package livetest_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/coder/websocket"
	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
)

// A test points the official genai client at the fake server.
func ExampleNewServer() {
	srv := livetest.NewServer()
	defer srv.Close()

	ctx := context.Background()
	client, err := genai.NewClient(ctx, &genai.ClientConfig{
		APIKey:      "any-key",
		Backend:     genai.BackendGeminiAPI,
		HTTPOptions: genai.HTTPOptions{BaseURL: srv.URL},
	})
	if err != nil {
		log.Fatal(err)
	}
	session, err := client.Live.Connect(ctx, "gemini-live-2.5-flash-preview", &genai.LiveConnectConfig{
		ResponseModalities: []genai.Modality{genai.ModalityText},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer session.Close()

	if err := session.SendClientContent(genai.LiveClientContentInput{Turns: genai.Text("Hello")}); err != nil {
		log.Fatal(err)
	}
	var reply strings.Builder
	for {
		msg, err := session.Receive()
		if err != nil {
			log.Fatal(err)
		}
		if sc := msg.ServerContent; sc != nil {
			if sc.ModelTurn != nil {
				reply.WriteString(sc.ModelTurn.Parts[0].Text)
			}
			if sc.TurnComplete {
				break
			}
		}
	}
	fmt.Println(reply.String())
	// Output: echo: Hello
}

// Reply scripts the model's next turn; a ToolCall step waits for the
// client's tool response before the script goes on.
func ExampleServer_Reply() {
	srv := livetest.NewServer()
	defer srv.Close()
	srv.Reply(
		livetest.ToolCall(&genai.FunctionCall{Name: "get_weather", Args: map[string]any{"city": "Paris"}}),
		livetest.Text("It is sunny in Paris."),
	)

	ctx := context.Background()
	conn, _, err := websocket.Dial(ctx, srv.URL+"/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent?key=k", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.CloseNow()
	send := func(s string) {
		if err := conn.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
			log.Fatal(err)
		}
	}
	recv := func() string {
		_, data, err := conn.Read(ctx)
		if err != nil {
			log.Fatal(err)
		}
		return string(data)
	}

	send(`{"setup":{"model":"models/gemini-live-2.5-flash-preview","generationConfig":{"responseModalities":["TEXT"]}}}`)
	fmt.Println(recv())
	send(`{"realtimeInput":{"text":"Weather in Paris?"}}`)
	fmt.Println(recv())
	send(`{"toolResponse":{"functionResponses":[{"id":"function-call-1","name":"get_weather","response":{"output":"sunny"}}]}}`)
	fmt.Println(recv())
	fmt.Println(recv())
	fmt.Println(recv())
	// Output:
	// {"setupComplete":{}}
	// {"toolCall":{"functionCalls":[{"id":"function-call-1","args":{"city":"Paris"},"name":"get_weather"}]}}
	// {"serverContent":{"modelTurn":{"parts":[{"text":"It is sunny in Paris."}]}}}
	// {"serverContent":{"generationComplete":true}}
	// {"serverContent":{"turnComplete":true}}
}

// Session.Send injects server messages at any time, and CloseWith ends the
// connection with a chosen status.
func ExampleSession_Send() {
	srv := livetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	conn, _, err := websocket.Dial(ctx, srv.URL+"/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent?key=k", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.CloseNow()
	if err := conn.Write(ctx, websocket.MessageText, []byte(`{"setup":{"model":"models/gemini-live-2.5-flash-preview"}}`)); err != nil {
		log.Fatal(err)
	}

	sess, err := srv.WaitSession(ctx, 0)
	if err != nil {
		log.Fatal(err)
	}
	if err := sess.Send(ctx, livetest.GoAway(50*time.Second)); err != nil {
		log.Fatal(err)
	}
	if err := sess.CloseWith(websocket.StatusNormalClosure, "The operation was cancelled."); err != nil {
		log.Fatal(err)
	}
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			fmt.Println(websocket.CloseStatus(err))
			break
		}
		fmt.Println(string(data))
	}
	// Output:
	// {"setupComplete":{}}
	// {"goAway":{"timeLeft":"50s"}}
	// StatusNormalClosure
}

func ExampleParseRecording() {
	recording := `>59 {"setup":{"model":"models/gemini-live-2.5-flash-preview"}}
<27 {
  "setupComplete": {}
}

`
	frames, err := livetest.ParseRecording(strings.NewReader(recording))
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range frames {
		fmt.Println(f.FromClient, len(f.Data))
	}
	// Output:
	// true 58
	// false 25
}
