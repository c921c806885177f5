// Command console is a text chat with a live agent in the terminal: each
// line typed is sent as a user turn and the agent's reply is printed as it
// streams in. Ctrl-D (end of input) ends the chat.
//
// Usage:
//
//	go run ./examples/console [-model NAME] [-user ID] [-session ID] [-simulator] [-audio FILE.wav]
//
// -audio streams a WAV file (any rate, channels and PCM or float format;
// converted to 16 kHz mono) to the agent in real time as microphone input,
// followed by a second of silence, prints what the model heard and its
// reply, then reads typed lines as usual.
//
// Credentials come from the environment, as for the genai SDK:
// GOOGLE_API_KEY (or GEMINI_API_KEY) for the Gemini API, or
// GOOGLE_GENAI_USE_VERTEXAI=true with GOOGLE_CLOUD_PROJECT and
// GOOGLE_CLOUD_LOCATION for Vertex AI. Without any, the console starts a
// local Live simulator and says so, so it runs on a fresh, offline machine.
//
// Models whose name contains "native-audio", in any case, answer only in
// audio: the console then asks for a transcription of the answer and
// prints that.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
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
		fmt.Fprintln(os.Stderr, "console:", err)
		os.Exit(1)
	}
}

// run parses args and chats over stdin and stdout until stdin ends or ctx
// is cancelled. Notices and errors go to stderr.
func run(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer, args []string) error {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	return chat(ctx, opts, stdin, stdout, stderr)
}

// parseFlags reads the command line.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	model := os.Getenv("DEMO_AGENT_MODEL")
	if model == "" {
		model = defaultModel
	}
	var opts options
	fs := flag.NewFlagSet("console", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.model, "model", model, "live model to talk to; DEMO_AGENT_MODEL, when set, replaces the default shown")
	fs.StringVar(&opts.userID, "user", "user", "user id")
	fs.StringVar(&opts.sessionID, "session", "", "session id; empty starts a new session")
	fs.BoolVar(&opts.simulator, "simulator", false, "use the local Live simulator even when credentials are set")
	fs.StringVar(&opts.audioFile, "audio", "", "stream this WAV file to the agent in real time as 16 kHz microphone input, before reading typed lines")
	opts.realtime = true
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments %q (see -help)", fs.Args())
	}
	if strings.TrimSpace(opts.model) == "" {
		return options{}, errors.New("-model must name a model")
	}
	return opts, nil
}
