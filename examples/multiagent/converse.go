package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/examples/internal/simulator"
	"github.com/adklive/adklive/examples/internal/team"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/runner"
	"github.com/adklive/adklive/session"
)

// options are the example's settings.
type options struct {
	model     string
	userID    string
	sessionID string
	simulator bool              // use the simulator even with credentials
	responder simulator.Options // tunes the simulator (tests make it fast)
}

// converse runs one live conversation with the team: lines of stdin in,
// the agents' replies out.
func converse(ctx context.Context, opts options, stdin io.Reader, stdout, stderr io.Writer) error {
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	backend, err := simulator.Open(ctx, simulator.Config{Model: opts.model, Force: opts.simulator, Logger: logger, Responder: opts.responder})
	if err != nil {
		return err
	}
	defer backend.Close()
	if backend.Simulated {
		fmt.Fprintf(stderr, "using the local Live simulator (%s)\n", backend.Reason)
	}
	coordinator, err := team.New(backend.Model)
	if err != nil {
		return err
	}
	r, err := runner.New(runner.Config{
		AppName:           "multiagent",
		Agent:             coordinator,
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
	fmt.Fprintf(stderr, "session %s with %s: ask for the weather agent or the clock agent; Ctrl-D quits\n", s.ID, opts.model)

	q := livequeue.New()
	defer q.Close()
	turnEnded := make(chan struct{}, 1)
	runEnded := make(chan struct{})
	readErr := make(chan error, 1)
	go func() { readErr <- readLines(stdin, q, turnEnded, runEnded) }()

	cfg := runconfig.RunConfig{ResponseModalities: []genai.Modality{genai.ModalityText}}
	if simulator.IsNativeAudio(opts.model) {
		// The runtime turns the transcriptions on for a team: the reply
		// is printed from the output transcription.
		cfg.ResponseModalities = []genai.Modality{genai.ModalityAudio}
	}
	p := &printer{out: stdout}
	var runErr error
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
		return runErr
	}
	return <-readErr
}

// readLines sends each non-blank line of in to q as a user turn and waits
// for the reply to end before reading the next. At the end of the input it
// closes q, which ends the run; it returns early when the run ends first.
func readLines(in io.Reader, q *livequeue.Queue, turnEnded, runEnded <-chan struct{}) error {
	defer q.Close()
	sc := bufio.NewScanner(in)
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

// printer writes the agents' side of the conversation: one line per
// reply, "agent: text", and a line for each transfer.
type printer struct {
	out     io.Writer
	author  string // of the open line
	midLine bool
}

// print shows ev and reports whether it ends the reply to the user's line.
// The transfer's own turn never completes (the runtime leaves that
// connection); the reply of the agent taking over does.
func (p *printer) print(ev *event.Event) (turnEnded bool) {
	if ev.ErrorMessage != "" {
		p.endLine()
		fmt.Fprintf(p.out, "[error: %s]\n", ev.ErrorMessage)
		return true
	}
	if ev.Author == event.AuthorUser {
		return false
	}
	if to := ev.Actions.TransferToAgent; to != "" {
		p.endLine()
		fmt.Fprintf(p.out, "[%s transfers you to %s]\n", ev.Author, to)
		return false
	}
	text := ""
	switch {
	case ev.OutputTranscription != nil && ev.OutputTranscription.Finished:
		text = ev.OutputTranscription.Text
	case !ev.Partial && ev.OutputTranscription == nil && ev.Content != nil && ev.Content.Role == genai.RoleModel:
		text = ev.Text()
	}
	if text = strings.TrimSpace(text); text != "" {
		p.write(ev.Author, text)
	}
	if ev.TurnComplete || ev.Interrupted {
		p.endLine()
		return true
	}
	return false
}

// write adds text to the reply line of author, opening it if needed.
func (p *printer) write(author, text string) {
	if p.midLine && p.author != author {
		p.endLine()
	}
	if !p.midLine {
		fmt.Fprintf(p.out, "%s:", author)
		p.author, p.midLine = author, true
	}
	fmt.Fprint(p.out, " "+text)
}

// endLine ends the open reply line, if any.
func (p *printer) endLine() {
	if p.midLine {
		fmt.Fprintln(p.out)
		p.midLine = false
	}
}
