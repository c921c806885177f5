package main

import (
	"fmt"
	"io"

	"github.com/adklive/adklive/event"
)

// printer writes the agent's side of the conversation: each reply on one
// line, "agent: text", streamed chunk by chunk as it arrives.
type printer struct {
	out    io.Writer
	errOut io.Writer
	agent  string

	midLine  bool // a reply line is open
	streamed bool // chunks of the current segment were printed
}

// print shows ev and reports whether it ends the agent's turn (the reader
// may then send the next line).
func (p *printer) print(ev *event.Event) (turnEnded bool) {
	if ev.ErrorCode != "" || ev.ErrorMessage != "" {
		p.endLine()
		fmt.Fprintf(p.errOut, "error: %s: %s\n", ev.ErrorCode, ev.ErrorMessage)
		return true
	}
	if tr := ev.InputTranscription; tr != nil && tr.Finished && tr.Text != "" {
		// What the model heard of the -audio file.
		p.endLine()
		fmt.Fprintf(p.out, "you (audio): %s\n", tr.Text)
	}
	if ev.Author != event.AuthorUser { // the terminal already shows what the user typed
		p.text(ev)
		for _, call := range ev.FunctionCalls() {
			p.write(" [" + call.Name + "]")
		}
	}
	if ev.Interrupted {
		p.write(" [interrupted]")
	}
	if ev.TurnComplete || ev.Interrupted {
		p.endLine()
		return true
	}
	return false
}

// text prints the reply text ev carries: text chunks (TEXT answers) or
// output transcription fragments (AUDIO answers). A segment's merged text
// is printed only if its chunks were not.
func (p *printer) text(ev *event.Event) {
	s := ev.Text()
	if tr := ev.OutputTranscription; tr != nil {
		s = tr.Text
	}
	switch {
	case s == "":
	case ev.Partial:
		p.write(s)
		p.streamed = true
	case p.streamed:
		p.streamed = false // the merged text of chunks already shown
	default:
		p.write(s)
	}
}

// write prints s on the reply line, opening it if needed.
func (p *printer) write(s string) {
	if !p.midLine {
		fmt.Fprintf(p.out, "%s: ", p.agent)
		p.midLine = true
	}
	fmt.Fprint(p.out, s)
}

// endLine ends the open reply line, if any.
func (p *printer) endLine() {
	if p.midLine {
		fmt.Fprintln(p.out)
		p.midLine = false
	}
	p.streamed = false
}
