package livetest

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"google.golang.org/genai"
)

// maxVideo bounds the video frames kept for one turn.
const maxVideo = 32

// engine is a session's simulated model: it turns client messages into
// user turns (activity detection, turn boundaries, history), starts the
// model's output for each turn, and interrupts it. It runs on one
// goroutine; the reader hands it messages through an unbounded inbox so
// reading never blocks on the model.
type engine struct {
	s     *Session
	setup *genai.LiveClientSetup

	mu     sync.Mutex
	inbox  []ClientMessage
	signal chan struct{} // has a value when inbox is not empty

	vad         *vad // nil when automatic activity detection is disabled
	inActivity  bool // manual activity in progress
	interrupts  bool // user activity interrupts the model
	coverAll    bool // the turn includes input outside activity
	historyOpen bool // clientContent is initial history

	pending  pendingInput
	preroll  []byte // audio just before speech, kept for the turn
	out      *turnRun
	queued   []*Turn // turns waiting for the model to finish (NO_INTERRUPTION)
	numTurns int
}

// pendingInput is the user input of the turn in progress.
type pendingInput struct {
	content []*genai.Content
	texts   []string
	audio   []byte
	rate    int
	video   []*genai.Blob
	// responses are function responses that answered no outstanding call.
	responses []*genai.FunctionResponse
}

func newEngine(s *Session, setup *genai.LiveClientSetup) *engine {
	e := &engine{
		s:           s,
		setup:       setup,
		signal:      make(chan struct{}, 1),
		interrupts:  true,
		historyOpen: setup.HistoryConfig != nil && setup.HistoryConfig.InitialHistoryInClientContent,
	}
	if automaticVAD(setup) {
		e.vad = newVAD(s.srv.cfg.vad, setup)
	}
	if c := setup.RealtimeInputConfig; c != nil {
		e.interrupts = c.ActivityHandling != genai.ActivityHandlingNoInterruption
		e.coverAll = c.TurnCoverage == genai.TurnCoverageTurnIncludesAllInput
	}
	return e
}

// push hands a message to the engine. It never blocks.
func (e *engine) push(m ClientMessage) {
	e.mu.Lock()
	e.inbox = append(e.inbox, m)
	e.mu.Unlock()
	select {
	case e.signal <- struct{}{}:
	default:
	}
}

func (e *engine) take() []ClientMessage {
	e.mu.Lock()
	defer e.mu.Unlock()
	msgs := e.inbox
	e.inbox = nil
	return msgs
}

// run processes messages until ctx ends, then stops the model's output.
func (e *engine) run(ctx context.Context) {
	defer func() {
		if e.out != nil {
			e.out.cancel()
			<-e.out.done
		}
	}()
	for {
		var outDone <-chan struct{}
		if e.out != nil {
			outDone = e.out.done
		}
		select {
		case <-ctx.Done():
			return
		case <-e.signal:
			for _, m := range e.take() {
				e.s.mu.Lock()
				e.s.consumed++
				e.s.mu.Unlock()
				e.handle(m)
			}
		case <-outDone:
			e.out = nil
		}
		e.startQueued()
	}
}

func (e *engine) handle(m ClientMessage) {
	switch {
	case m.ClientContent != nil:
		e.onContent(m.ClientContent)
	case m.RealtimeInput != nil:
		e.onRealtime(m.RealtimeInput)
	case m.ToolResponse != nil:
		e.onToolResponse(m.ToolResponse)
	}
}

// busy reports whether the model is in the middle of a turn (see
// turnRun.interruptible). It forgets a run that has finished.
func (e *engine) busy() bool {
	if e.out == nil {
		return false
	}
	if e.out.finished() {
		e.out = nil
		return false
	}
	return e.out.interruptible()
}

// interrupt stops the model's output: a turn in progress is interrupted
// (the client is told), the trailing steps of a completed one are just
// stopped. Turns waiting behind it are dropped: the input that interrupts
// supersedes them (their input is already in the conversation).
func (e *engine) interrupt() {
	if e.out == nil {
		return
	}
	if e.busy() {
		e.out.interrupt()
	} else if e.out != nil {
		e.out.stop()
	}
	e.out = nil
	e.queued = nil
}

// start begins the model's reply to t, stopping the trailing steps of the
// previous script if any.
func (e *engine) start(t *Turn) {
	if e.out != nil {
		e.out.stop()
	}
	e.out = startTurn(e.s, t)
}

func (e *engine) onContent(cc *genai.LiveClientContent) {
	var turns []*genai.Content
	for _, c := range cc.Turns {
		if c != nil {
			turns = append(turns, c)
		}
	}
	if e.historyOpen {
		// Initial history never triggers the model.
		e.s.appendConversation(turns...)
		e.historyOpen = !cc.TurnComplete
		return
	}
	e.interrupt() // client content interrupts the model, as on the real server
	e.s.appendConversation(turns...)
	e.pending.content = append(e.pending.content, turns...)
	if cc.TurnComplete {
		e.endTurn(TriggerClientContent)
	}
}

func (e *engine) onRealtime(ri *RealtimeInput) {
	e.historyOpen = false
	if ri.ActivityStart {
		e.onActivityStart()
	}
	if ri.Audio != nil {
		e.onAudio(ri.Audio)
	}
	if ri.Video != nil {
		e.addVideo(ri.Video)
	}
	for _, b := range ri.MediaChunks {
		switch {
		case b == nil:
		case isVisual(b.MIMEType):
			e.addVideo(b)
		default:
			e.onAudio(b)
		}
	}
	if ri.Text != "" {
		e.onText(ri.Text)
	}
	if ri.ActivityEnd && e.inActivity {
		e.inActivity = false
		e.endTurn(TriggerActivityEnd)
	}
	if ri.AudioStreamEnd && e.vad != nil && e.vad.active {
		e.vad.reset()
		e.endTurn(TriggerAudioStreamEnd)
	}
}

func (e *engine) onActivityStart() {
	if e.inActivity {
		return
	}
	e.inActivity = true
	if e.interrupts {
		e.interrupt()
	}
}

func (e *engine) onText(text string) {
	e.pending.texts = append(e.pending.texts, text)
	if e.vad == nil && e.inActivity {
		return // part of the activity; activityEnd ends the turn
	}
	e.interrupt()
	e.endTurn(TriggerText)
}

// onAudio feeds audio to activity detection and keeps what belongs to the
// user's turn.
func (e *engine) onAudio(b *genai.Blob) {
	if b.MIMEType != "" && !isAudio(b.MIMEType) {
		return
	}
	rate := sampleRate(b.MIMEType)
	data := b.Data[:len(b.Data)&^1]
	if e.vad == nil {
		if e.inActivity || e.coverAll {
			e.pending.addAudio(data, rate)
		}
		return
	}
	step := max(2, samples(rate, vadFrame)*2)
	for off := 0; off < len(data); off += step {
		f := data[off:min(off+step, len(data))]
		wasActive := e.vad.active
		ev := e.vad.frame(f, rate)
		switch {
		case e.coverAll || wasActive:
			e.pending.addAudio(f, rate)
		case ev == vadStart:
			e.pending.addAudio(e.preroll, rate)
			e.pending.addAudio(f, rate)
			e.preroll = e.preroll[:0]
		case e.vad.speech > 0:
			e.keepPreroll(f, rate)
		default:
			e.preroll = e.preroll[:0]
		}
		switch ev {
		case vadStart:
			if e.interrupts {
				e.interrupt()
			}
		case vadEnd:
			e.endTurn(TriggerSilence)
		}
	}
}

// keepPreroll remembers the speech heard while detection waits for
// prefixPaddingMs of it, so the turn includes it once speech is detected.
func (e *engine) keepPreroll(f []byte, rate int) {
	keep := samples(rate, e.vad.prefix) * 2
	e.preroll = append(e.preroll, f...)
	if over := len(e.preroll) - keep; over > 0 {
		e.preroll = append(e.preroll[:0], e.preroll[over:]...)
	}
}

func (p *pendingInput) addAudio(data []byte, rate int) {
	if len(data) == 0 {
		return
	}
	p.rate = rate
	p.audio = append(p.audio, data...)
}

func (e *engine) addVideo(b *genai.Blob) {
	e.pending.video = append(e.pending.video, b)
	if over := len(e.pending.video) - maxVideo; over > 0 {
		e.pending.video = e.pending.video[over:]
	}
}

func (e *engine) onToolResponse(tr *genai.LiveClientToolResponse) {
	e.historyOpen = false
	var ids []string
	var parts []*genai.Part
	for _, r := range tr.FunctionResponses {
		if r == nil {
			continue
		}
		ids = append(ids, r.ID)
		parts = append(parts, &genai.Part{FunctionResponse: r})
	}
	if len(parts) > 0 {
		e.s.appendConversation(&genai.Content{Role: genai.RoleUser, Parts: parts})
	}
	// After the conversation: the model's continuation follows the responses.
	if e.s.tools.answer(ids) {
		return
	}
	// A response that answers no outstanding call (unsolicited, or without
	// an id, or of a NON_BLOCKING function) is new input: the model
	// answers it, as Vertex AI does, when its scheduling asks for that.
	switch scheduling(e.setup, tr.FunctionResponses) {
	case genai.FunctionResponseSchedulingSilent:
		return // in the conversation; the model says nothing
	case genai.FunctionResponseSchedulingInterrupt:
		e.interrupt()
	}
	e.pending.responses = append(e.pending.responses, tr.FunctionResponses...)
	e.endTurn(TriggerToolResponse)
}

// endTurn closes the user's turn and starts the model's reply, or queues
// it while the model is still speaking (NO_INTERRUPTION).
func (e *engine) endTurn(trigger Trigger) {
	p := e.pending
	e.pending = pendingInput{}
	e.preroll = e.preroll[:0]
	text := strings.Join(p.texts, "\n")
	if text == "" {
		text = lastUserText(p.content)
	}
	t := &Turn{
		Session:         e.s,
		Setup:           e.setup,
		Index:           e.numTurns,
		Trigger:         trigger,
		Content:         p.content,
		Text:            text,
		Audio:           p.audio,
		AudioSampleRate: p.rate,
		AudioDuration:   pcmDuration(len(p.audio), p.rate),
		Video:           p.video,
		ToolResponses:   p.responses,
	}
	e.numTurns++
	var parts []*genai.Part
	for _, s := range p.texts {
		parts = append(parts, &genai.Part{Text: s})
	}
	if tr := t.Transcript(); tr != "" {
		parts = append(parts, &genai.Part{Text: tr})
	}
	if n := len(p.video); n > 0 {
		parts = append(parts, &genai.Part{Text: fmt.Sprintf("[%d image(s)]", n)})
	}
	if len(parts) > 0 {
		e.s.appendConversation(&genai.Content{Role: genai.RoleUser, Parts: parts})
	}
	if e.busy() {
		e.queued = append(e.queued, t)
		return
	}
	e.start(t)
}

// startQueued starts the next waiting turn once the model is quiet.
func (e *engine) startQueued() {
	if len(e.queued) == 0 || e.busy() {
		return
	}
	t := e.queued[0]
	e.queued = e.queued[1:]
	e.start(t)
}
