package simulator

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"google.golang.org/genai"

	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/tool"
)

// TimeToolName is the local function tool the simulator calls when the user
// asks for the time, provided the agent declared it.
const TimeToolName = "get_current_time"

// timeRequest recognises a request for the time in typed text.
var timeRequest = regexp.MustCompile(`(?i)\btime\b`)

// dropRequest asks the simulated service to drop the connection.
var dropRequest = regexp.MustCompile(`(?i)\bdrop the connection\b`)

// Defaults of Options.
const (
	DefaultTextDelay = 60 * time.Millisecond
	DefaultAudioLead = 500 * time.Millisecond
)

// Options tunes a Responder. The zero value is what the examples use.
type Options struct {
	// TextDelay is the pause between streamed text chunks. 0 means
	// DefaultTextDelay; a negative value means no pause.
	TextDelay time.Duration
	// AudioLead is how far ahead of real time the spoken reply may run.
	// A reply paced this way is still being produced while it plays, so
	// the user can interrupt it, as with a real model. 0 means
	// DefaultAudioLead; a negative value sends the audio as fast as
	// possible.
	AudioLead time.Duration
}

// Responder is the simulated model, a [livetest.Responder]. It is safe for
// concurrent use by every session of a server.
type Responder struct {
	textDelay time.Duration
	audioLead time.Duration
	calls     atomic.Int64 // numbers the function calls it makes
}

var _ livetest.Responder = (*Responder)(nil)

// NewResponder returns a Responder tuned by opts.
func NewResponder(opts Options) *Responder {
	r := &Responder{textDelay: opts.TextDelay, audioLead: opts.AudioLead}
	if r.textDelay == 0 {
		r.textDelay = DefaultTextDelay
	}
	if r.audioLead == 0 {
		r.audioLead = DefaultAudioLead
	}
	return r
}

// Respond returns the reply to one user turn (see the package
// documentation). When the turn asks for the time and the agent declared
// TimeToolName, it first speaks a short preamble and calls the tool,
// waiting for the client's response, then replies with the result. It
// returns nil when ctx ends (the turn was interrupted) before then.
func (r *Responder) Respond(ctx context.Context, t *livetest.Turn) livetest.Script {
	out := r.newOutput(t)
	if dropRequest.MatchString(t.Text) && t.Session.ResumedFrom() == "" {
		// Once: a resumed session gets the request again (it was sent
		// after the last handle) and answers it as any other turn.
		out.say("Dropping the connection now.")
		return append(out.take(), livetest.Drop())
	}
	if greeting, ok := handedOver(t); ok {
		out.say(greeting)
		return out.finish()
	}
	if script, ok := r.respondStreaming(ctx, t, out); ok {
		return script // streaming tools: streaming.go
	}
	// call calls a function, saying preamble first (unless empty), and
	// then what the function answered; false: the turn is over (it was
	// interrupted, or the connection ended, as after a transfer).
	call := func(preamble, name string, args map[string]any) bool {
		c := &genai.FunctionCall{ID: fmt.Sprintf("sim-call-%d", r.calls.Add(1)), Name: name, Args: args}
		if preamble != "" {
			out.say(preamble)
		}
		if err := t.Session.Send(ctx, append(out.take(), livetest.ToolCall(c))...); err != nil {
			return false
		}
		out.say(describeResult(name, functionResponse(t.Session.Conversation(), c.ID)))
		return true
	}
	var ok bool
	switch {
	case transferTarget(t.Setup, t.Text) != "":
		// As instructed: the call and nothing else.
		ok = call("", tool.TransferToAgentName, map[string]any{"agent_name": transferTarget(t.Setup, t.Text)})
	case doneRequest.MatchString(t.Text) && declares(t.Setup, tool.TaskCompletedName):
		ok = call("", tool.TaskCompletedName, map[string]any{})
	case weatherRequest.MatchString(t.Text) && declares(t.Setup, WeatherToolName):
		city := "your city"
		if m := weatherRequest.FindStringSubmatch(t.Text); m[1] != "" {
			city = m[1]
		}
		ok = call("Let me look at the sky.", WeatherToolName, map[string]any{"city": city})
	case timeRequest.MatchString(t.Text) && declares(t.Setup, TimeToolName):
		ok = call("Let me check the clock.", TimeToolName, map[string]any{})
	default:
		out.say(reply(t))
		ok = true
	}
	if !ok {
		return nil // interrupted, or the session ended
	}
	return out.finish()
}

// reply is what the simulator says to a turn without a tool call.
func reply(t *livetest.Turn) string {
	var b strings.Builder
	switch {
	case t.Text != "":
		fmt.Fprintf(&b, "You said: “%s”.", t.Text)
	case t.AudioDuration > 0:
		fmt.Fprintf(&b, "I heard %.1f seconds of audio. I am only a simulator, so I cannot tell what you said.",
			t.AudioDuration.Seconds())
	case len(t.Video) == 0:
		b.WriteString("I did not catch anything.")
	}
	switch n := len(t.Video); n {
	case 0:
	case 1:
		b.WriteString(" I got your image, but I cannot see it.")
	default:
		fmt.Fprintf(&b, " I got %d images, but I cannot see them.", n)
	}
	earlier := earlierUserText(t.Session.Conversation())
	switch hint := agentHint(t.Setup); {
	case earlier != "":
		fmt.Fprintf(&b, " Earlier you said: “%s”.", earlier)
	case hint != "" && (len(transferTargets(t.Setup)) > 0 || declares(t.Setup, tool.TaskCompletedName)):
		fmt.Fprintf(&b, " I am the local simulator: %s.", hint)
	default:
		b.WriteString(" I am the local simulator: ask me what time it is to see a tool call.")
	}
	return strings.TrimSpace(b.String())
}

// output builds the steps of one reply in the turn's modality.
type output struct {
	r          *Responder
	audio      bool
	transcribe bool
	script     livetest.Script
	words      int           // words said so far, for intonation
	text       int           // characters said, for usage
	spoken     time.Duration // audio sent
	waited     time.Duration // Delay steps added
	prompt     *genai.UsageMetadata
}

func (r *Responder) newOutput(t *livetest.Turn) *output {
	o := &output{
		r:          r,
		audio:      t.Modality() == genai.ModalityAudio,
		transcribe: t.Setup.OutputAudioTranscription != nil,
		prompt:     promptUsage(t),
	}
	if o.audio && o.transcribe && t.Session.Backend() == genai.BackendVertexAI {
		// Vertex AI opens an audio answer with an empty transcription.
		o.script = append(o.script, livetest.OutputTranscript(""))
	}
	return o
}

// take returns the steps built so far and starts a new script.
func (o *output) take() livetest.Script {
	s := o.script
	o.script = nil
	return s
}

// say appends text to the reply: streamed text chunks, or speech with a
// transcription fragment per word, paced.
func (o *output) say(text string) {
	if o.words > 0 {
		text = " " + text
	}
	o.text += utf8.RuneCountInString(text)
	words := strings.SplitAfter(text, " ")
	if !o.audio {
		const perChunk = 3
		for i := 0; i < len(words); i += perChunk {
			if i > 0 && o.r.textDelay > 0 {
				o.script = append(o.script, livetest.Delay(o.r.textDelay))
			}
			o.script = append(o.script, livetest.Text(strings.Join(words[i:min(i+perChunk, len(words))], "")))
		}
		o.words += len(words)
		return
	}
	for _, w := range words {
		if strings.TrimSpace(w) == "" {
			continue
		}
		pcm := SpeakWord(w, o.words)
		o.words++
		o.script = append(o.script, livetest.Audio(pcm))
		if o.transcribe {
			o.script = append(o.script, livetest.OutputTranscript(w))
		}
		o.spoken += Duration(pcm)
		if ahead := o.spoken - o.waited - o.r.audioLead; o.r.audioLead > 0 && ahead > 0 {
			o.script = append(o.script, livetest.Delay(ahead))
			o.waited += ahead
		}
	}
}

// finish ends the reply with generationComplete, then turnComplete with
// the turn's usage in the same frame, as the real server sends them.
func (o *output) finish() livetest.Script {
	u := o.prompt
	if o.audio {
		addTokens(&u.ResponseTokensDetails, genai.MediaModalityAudio, audioTokens(o.spoken))
	} else {
		addTokens(&u.ResponseTokensDetails, genai.MediaModalityText, int32((o.text+3)/4))
	}
	for _, d := range u.ResponseTokensDetails {
		u.ResponseTokenCount += d.TokenCount
	}
	u.TotalTokenCount = u.PromptTokenCount + u.ResponseTokenCount
	return append(o.script,
		livetest.GenerationComplete(),
		livetest.Message(&genai.LiveServerMessage{
			ServerContent: &genai.LiveServerContent{TurnComplete: true},
			UsageMetadata: u,
		}))
}

// promptUsage estimates the prompt tokens of a turn: 4 characters of text,
// 1/25 s of audio or one image (258 tokens) each.
func promptUsage(t *livetest.Turn) *genai.UsageMetadata {
	u := &genai.UsageMetadata{}
	addTokens(&u.PromptTokensDetails, genai.MediaModalityText, int32(max(1, (utf8.RuneCountInString(t.Text)+3)/4)))
	if t.AudioDuration > 0 {
		addTokens(&u.PromptTokensDetails, genai.MediaModalityAudio, audioTokens(t.AudioDuration))
	}
	if n := len(t.Video); n > 0 {
		addTokens(&u.PromptTokensDetails, genai.MediaModalityImage, int32(258*n))
	}
	for _, d := range u.PromptTokensDetails {
		u.PromptTokenCount += d.TokenCount
	}
	return u
}

func addTokens(details *[]*genai.ModalityTokenCount, m genai.MediaModality, n int32) {
	*details = append(*details, &genai.ModalityTokenCount{Modality: m, TokenCount: n})
}

func audioTokens(d time.Duration) int32 {
	return int32(max(1, d*25/time.Second))
}
