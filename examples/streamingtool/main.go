// Command streamingtool is a live conversation in the terminal with an
// agent that has two streaming tools, ADK's live streaming-tool pattern:
//
//   - monitor_stock_price(symbol) follows a (simulated) price feed and
//     reports each new price while the conversation goes on;
//   - monitor_video_stream() watches the camera through its input stream,
//     a copy of every request sent to the run's queue, and reports when
//     the scene gets brighter or darker. The example plays the camera: it
//     sends a small generated JPEG frame to the queue about once a second,
//     with the lights going on and off every few frames.
//
// Both run until the model calls stop_streaming, the built-in the runtime
// declares for an agent with streaming tools and runs itself.
//
// Usage:
//
//	go run ./examples/streamingtool [-model NAME] [-simulator] [-tick D] [-frames D]
//
// Try: "monitor the price of GOOG", "stop monitoring the price", "watch my
// camera", "stop monitoring the camera". Ctrl-D (end of input) ends the
// conversation.
//
// Credentials come from the environment, as for the genai SDK:
// GOOGLE_API_KEY (or GEMINI_API_KEY) for the Gemini API, or
// GOOGLE_GENAI_USE_VERTEXAI=true with GOOGLE_CLOUD_PROJECT and
// GOOGLE_CLOUD_LOCATION for Vertex AI. Without any, the example starts the
// local Live simulator and says so, so it runs on a fresh, offline
// machine: the simulator's scripted model calls the streaming tools and
// stop_streaming when asked in the words above.
//
// On the Gemini API each result reaches the model as a function response
// that continues the call (willContinue), scheduled WHEN_IDLE: the model
// tells the user when it is idle, without a new user turn. Vertex AI
// refuses those fields, so there each result goes as user text, which the
// model answers as a turn.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"
)

// defaultModel is the model used when neither -model nor DEMO_AGENT_MODEL
// names one: a live model that can answer in text.
const defaultModel = "gemini-live-2.5-flash-preview"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Stdin, os.Stdout, os.Stderr, os.Args[1:])
	switch {
	case err == nil, errors.Is(err, context.Canceled):
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "streamingtool:", err)
		os.Exit(1)
	}
}

// run parses args and holds the conversation over stdin and stdout until
// stdin ends or ctx is cancelled. Notices and errors go to stderr.
func run(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer, args []string) error {
	model := os.Getenv("DEMO_AGENT_MODEL")
	if model == "" {
		model = defaultModel
	}
	var opts options
	fs := flag.NewFlagSet("streamingtool", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.model, "model", model, "live model; DEMO_AGENT_MODEL, when set, replaces the default shown")
	fs.BoolVar(&opts.simulator, "simulator", false, "use the local Live simulator even when credentials are set")
	fs.DurationVar(&opts.tick, "tick", 3*time.Second, "how often the price feed moves")
	fs.DurationVar(&opts.frameEvery, "frames", time.Second, "how often the camera sends a frame")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "streamingtool: unexpected arguments %q\n", fs.Args())
		fs.Usage()
		return flag.ErrHelp
	}
	if opts.tick <= 0 || opts.frameEvery <= 0 {
		return fmt.Errorf("-tick (%v) and -frames (%v) must be positive", opts.tick, opts.frameEvery)
	}
	return converse(ctx, opts, stdin, stdout, stderr)
}
