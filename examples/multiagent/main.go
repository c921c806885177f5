// Command multiagent is a live conversation with a team of agents in the
// terminal: a coordinator that hands the user over to one of two
// specialists, a weather agent and a clock agent, and specialists that
// hand the user back. Each line typed is a user turn; each reply line is
// prefixed with the name of the agent speaking, and a transfer is shown as
// it happens.
//
// Usage:
//
//	go run ./examples/multiagent [-model NAME] [-user ID] [-session ID] [-simulator]
//
// Try: "talk to the weather agent", "what's the weather in Paris?",
// "back to the coordinator", "talk to the clock agent", "what time is
// it?". Ctrl-D (end of input) ends the conversation.
//
// The transfers are the runtime's: the coordinator is an agent.LLMAgent
// with the specialists as SubAgents, so its model gets the
// transfer_to_agent tool with the specialists in the declaration, and
// the specialists get it with the coordinator and each other. When the
// model calls it, the same live run moves to the named agent on a new
// connection, seeded with the conversation so far, and the new agent
// answers at once. With a native-audio model the same works by voice
// (the runtime turns on the transcriptions the agent taking over reads):
// `go run ./examples/bidi-demo -team` serves this team in the browser,
// microphone included.
//
// Credentials come from the environment, as for the genai SDK:
// GOOGLE_API_KEY (or GEMINI_API_KEY) for the Gemini API, or
// GOOGLE_GENAI_USE_VERTEXAI=true with GOOGLE_CLOUD_PROJECT and
// GOOGLE_CLOUD_LOCATION for Vertex AI. Without any, the example starts the
// local Live simulator and says so, so it runs on a fresh, offline
// machine: the simulator's scripted model makes the transfers and tool
// calls when asked in the words above.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
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
		fmt.Fprintln(os.Stderr, "multiagent:", err)
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
	fs := flag.NewFlagSet("multiagent", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.model, "model", model, "live model the agents talk through; DEMO_AGENT_MODEL, when set, replaces the default shown")
	fs.StringVar(&opts.userID, "user", "user", "user id")
	fs.StringVar(&opts.sessionID, "session", "", "session id; empty starts a new session")
	fs.BoolVar(&opts.simulator, "simulator", false, "use the local Live simulator even when credentials are set")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "multiagent: unexpected arguments %q\n", fs.Args())
		fs.Usage()
		return flag.ErrHelp
	}
	return converse(ctx, opts, stdin, stdout, stderr)
}
