package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/examples/internal/simulator"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/runner"
	"github.com/adklive/adklive/session"
	"github.com/adklive/adklive/tool"
)

// options are the example's settings.
type options struct {
	model      string
	simulator  bool              // use the simulator even with credentials
	tick       time.Duration     // the price feed's period
	frameEvery time.Duration     // the camera's period
	responder  simulator.Options // tunes the simulator (tests make it fast)
}

// instruction tells a real model how to use the tools.
const instruction = "You help the user keep an eye on things. To monitor a stock price, call monitor_stock_price; " +
	"to watch the user's camera, call monitor_video_stream. Both keep running and send you updates: tell the user " +
	"about each one in a short sentence. When the user asks to stop one, call stop_streaming with its name."

// converse runs one live conversation: lines of stdin in, the agent's
// replies and the tools' activity out, while the camera sends frames.
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
	prices, err := newPriceMonitor(opts.tick)
	if err != nil {
		return err
	}
	video, err := newVideoMonitor()
	if err != nil {
		return err
	}
	ag, err := agent.New(agent.Config{
		Name:        "monitor_agent",
		Model:       backend.Model,
		Instruction: instruction,
		Tools:       []tool.Tool{prices, video},
	})
	if err != nil {
		return err
	}
	r, err := runner.New(runner.Config{AppName: "streamingtool", Agent: ag, SessionService: session.InMemory(),
		AutoCreateSession: true, Logger: logger})
	if err != nil {
		return err
	}
	s, err := r.GetOrCreateSession(ctx, "user", "")
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "session %s with %s: try \"monitor the price of GOOG\" or \"watch my camera\"; Ctrl-D quits\n", s.ID, opts.model)

	q := livequeue.New()
	defer q.Close()
	runEnded := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		camera(q, opts.frameEvery, runEnded)
	}()
	readErr := make(chan error, 1)
	go func() { readErr <- readLines(stdin, q) }()

	cfg := runconfig.RunConfig{ResponseModalities: []genai.Modality{genai.ModalityText}}
	if simulator.IsNativeAudio(opts.model) {
		cfg.ResponseModalities = []genai.Modality{genai.ModalityAudio}
		cfg.OutputAudioTranscription = &genai.AudioTranscriptionConfig{}
	}
	p := &printer{out: stdout}
	var runErr error
	for ev, err := range r.RunLive(ctx, "user", s.ID, q, cfg) {
		if err != nil {
			runErr = err
			break
		}
		p.print(ev)
	}
	close(runEnded)
	wg.Wait()
	p.endLine()
	if runErr != nil {
		return runErr
	}
	return <-readErr
}

// camera plays the user's camera: a frame every period until the run
// ends.
func camera(q *livequeue.Queue, period time.Duration, runEnded <-chan struct{}) {
	ticker := time.NewTicker(period)
	defer ticker.Stop()
	for n := 0; ; n++ {
		select {
		case <-runEnded:
			return
		case <-ticker.C:
		}
		if err := q.SendRealtime(&genai.Blob{MIMEType: "image/jpeg", Data: cameraFrame(n)}); err != nil {
			return // the queue is closed
		}
	}
}

// readLines sends each non-blank line of in to q as a user turn. At the
// end of the input it closes q, which ends the run.
func readLines(in io.Reader, q *livequeue.Queue) error {
	defer q.Close()
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			if err := q.SendContent(genai.NewContentFromText(line, genai.RoleUser)); err != nil {
				return nil // the run is over
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading input: %w", err)
	}
	return nil
}

// printer writes the agent's side: one line per reply, and a line when a
// streaming tool starts or stops.
type printer struct {
	out     io.Writer
	midLine bool
}

// print shows ev.
func (p *printer) print(ev *event.Event) {
	if ev.ErrorMessage != "" {
		p.endLine()
		fmt.Fprintf(p.out, "[error: %s]\n", ev.ErrorMessage)
		return
	}
	for _, r := range ev.FunctionResponses() {
		switch status, _ := r.Response["status"].(string); {
		case strings.HasPrefix(status, "started"):
			p.endLine()
			fmt.Fprintf(p.out, "[%s started]\n", r.Name)
		case status == "stopped":
			p.endLine()
			fmt.Fprintf(p.out, "[%s stopped]\n", r.Name)
		}
	}
	if ev.Author == event.AuthorUser {
		return
	}
	text := ""
	switch {
	case ev.OutputTranscription != nil && ev.OutputTranscription.Finished:
		text = ev.OutputTranscription.Text
	case !ev.Partial && ev.OutputTranscription == nil && ev.Content != nil && ev.Content.Role == genai.RoleModel:
		text = ev.Text()
	}
	if text = strings.TrimSpace(text); text != "" {
		if !p.midLine {
			fmt.Fprintf(p.out, "%s:", ev.Author)
			p.midLine = true
		}
		fmt.Fprint(p.out, " "+text)
	}
	if ev.TurnComplete || ev.Interrupted {
		p.endLine()
	}
}

// endLine ends the open reply line, if any.
func (p *printer) endLine() {
	if p.midLine {
		fmt.Fprintln(p.out)
		p.midLine = false
	}
}
