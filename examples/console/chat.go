package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/examples/internal/simulator"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/runner"
	"github.com/adklive/adklive/session"
	"github.com/adklive/adklive/tool"
)

// options are the console's settings.
type options struct {
	model     string
	userID    string
	sessionID string
	simulator bool              // use the simulator even with credentials
	responder simulator.Options // tunes the simulator (tests make it fast)
	audioFile string            // a WAV file streamed as microphone input first
	realtime  bool              // stream audioFile at its own pace (tests do not)
}

// chat runs one live conversation: lines of stdin in, the agent's replies
// out.
func chat(ctx context.Context, opts options, stdin io.Reader, stdout, stderr io.Writer) error {
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var audio []byte
	if opts.audioFile != "" {
		var err error
		if audio, err = loadAudio(opts.audioFile); err != nil {
			return err
		}
	}
	backend, err := simulator.Open(ctx, simulator.Config{
		Model:     opts.model,
		Force:     opts.simulator,
		Logger:    logger,
		Responder: opts.responder,
	})
	if err != nil {
		return err
	}
	defer backend.Close()
	if backend.Simulated {
		if opts.simulator {
			fmt.Fprintln(stderr, "using the local Live simulator (-simulator)")
		} else {
			fmt.Fprintf(stderr, "no credentials found: using the local Live simulator (%s)\n", backend.Reason)
		}
	}

	clock, err := currentTimeTool()
	if err != nil {
		return err
	}
	assistant, err := agent.New(agent.Config{
		Name:        "assistant",
		Model:       backend.Model,
		Instruction: "You are a helpful assistant. Answer briefly.",
		Tools:       []tool.Tool{clock},
	})
	if err != nil {
		return err
	}
	r, err := runner.New(runner.Config{
		AppName:           "console",
		Agent:             assistant,
		SessionService:    session.InMemory(),
		AutoCreateSession: true,
		Logger:            logger,
	})
	if err != nil {
		return err
	}
	s, err := r.GetOrCreateSession(ctx, opts.userID, opts.sessionID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "session %s with %s: type a message and press Enter; Ctrl-D quits\n", s.ID, opts.model)

	q := livequeue.New()
	defer q.Close()
	turnEnded := make(chan struct{}, 1)
	runEnded := make(chan struct{})
	readErr := make(chan error, 1)
	go func() {
		if audio != nil {
			streamAudio(ctx, audio, opts.realtime, q, turnEnded, runEnded, stderr)
		}
		readErr <- readLines(stdin, q, turnEnded, runEnded)
	}()

	p := &printer{out: stdout, errOut: stderr, agent: assistant.Name()}
	var runErr error
	cfg := runConfigFor(opts.model)
	if audio != nil {
		// Show what the model heard.
		cfg.InputAudioTranscription = &genai.AudioTranscriptionConfig{}
	}
	for ev, err := range r.RunLive(ctx, opts.userID, s.ID, q, cfg) {
		if err != nil {
			runErr = err
			break
		}
		if p.print(ev) {
			select {
			case turnEnded <- struct{}{}:
			default:
			}
		}
	}
	close(runEnded)
	p.endLine()
	if runErr != nil {
		// The reader may be blocked on a terminal: leave it to the
		// process's end.
		return runErr
	}
	// The run ended because the reader closed the queue at the end of the
	// input: it is returning.
	return <-readErr
}

// runConfigFor chooses the response modality from the model's name:
// native-audio models answer only in audio, so the console asks for a
// transcription of it; other models answer in text.
func runConfigFor(model string) runconfig.RunConfig {
	if simulator.IsNativeAudio(model) {
		return runconfig.RunConfig{
			ResponseModalities:       []genai.Modality{genai.ModalityAudio},
			OutputAudioTranscription: &genai.AudioTranscriptionConfig{},
		}
	}
	return runconfig.RunConfig{ResponseModalities: []genai.Modality{genai.ModalityText}}
}

// maxLine is the longest line the console reads.
const maxLine = 1 << 20

// readLines sends each non-blank line of in to q as a user turn and waits
// for the reply to end (turnEnded) before reading the next, so replies and
// input do not interleave. At the end of the input it closes q, which ends
// the run; it returns early, with nil, when the run ends first.
func readLines(in io.Reader, q *livequeue.Queue, turnEnded, runEnded <-chan struct{}) error {
	defer q.Close()
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if err := q.SendContent(genai.NewContentFromText(line, genai.RoleUser)); err != nil {
			return nil // the run is over
		}
		select {
		case <-turnEnded:
		case <-runEnded:
			return nil
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading input: %w", err)
	}
	return nil
}
