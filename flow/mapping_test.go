package flow_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/flow/live"
)

func TestRunMapsServerMessages(t *testing.T) {
	usage := &genai.UsageMetadata{PromptTokenCount: 12, ResponseTokenCount: 30, TotalTokenCount: 42}
	tests := []struct {
		name   string
		script []*live.Response
		want   []string
	}{
		{
			name: "text turn: chunks, merged text before generationComplete, usage on turnComplete",
			script: []*live.Response{
				modelText("Hel"), modelText("lo!"), generationComplete,
				{ServerContent: &genai.LiveServerContent{TurnComplete: true}, UsageMetadata: usage},
			},
			want: []string{
				`assistant partial role=model text "Hel"`,
				`assistant partial role=model text "lo!"`,
				`assistant role=model text "Hello!"`,
				`assistant generationComplete`,
				`assistant turnComplete usage=42`,
			},
		},
		{
			name:   "merged text is emitted before turnComplete",
			script: []*live.Response{modelText("Hi"), turnComplete},
			want: []string{
				`assistant partial role=model text "Hi"`,
				`assistant role=model text "Hi"`,
				`assistant turnComplete`,
			},
		},
		{
			name:   "interrupted while text is pending: text first, then the interruption",
			script: []*live.Response{modelText("The weather is"), interrupted, turnComplete},
			want: []string{
				`assistant partial role=model text "The weather is"`,
				`assistant role=model text "The weather is"`,
				`assistant interrupted`,
				`assistant turnComplete`,
			},
		},
		{
			name: "interrupted in the same message as text",
			script: []*live.Response{content(&genai.LiveServerContent{
				ModelTurn:   &genai.Content{Parts: []*genai.Part{{Text: "Sorry"}}},
				Interrupted: true,
			})},
			want: []string{
				`assistant partial role=model text "Sorry"`,
				`assistant role=model text "Sorry"`,
				`assistant interrupted`,
			},
		},
		{
			name: "interrupted flushes both transcriptions: input, text, output",
			script: []*live.Response{
				inputTranscript("what's", false), outputTranscript("It"), modelAudio(1, 2), interrupted,
			},
			want: []string{
				`user partial input "what's"`,
				`assistant partial output "It"`,
				`assistant role=model inline audio/pcm;rate=24000 2B`,
				`user input "what's" finished`,
				`assistant output "It" finished`,
				`assistant interrupted`,
			},
		},
		{
			name: "transcription fragments interleaved with audio: one event per chunk, one finished transcription per side",
			script: []*live.Response{
				inputTranscript(" What's", false), inputTranscript(" the weather?", false),
				modelAudio(1, 2), outputTranscript("It's"), modelAudio(3, 4, 5, 6), outputTranscript(" sunny."), modelAudio(7, 8),
				generationComplete, turnComplete,
			},
			want: []string{
				`user partial input " What's"`,
				`user partial input " the weather?"`,
				`assistant role=model inline audio/pcm;rate=24000 2B`,
				`assistant partial output "It's"`,
				`assistant role=model inline audio/pcm;rate=24000 4B`,
				`assistant partial output " sunny."`,
				`assistant role=model inline audio/pcm;rate=24000 2B`,
				`user input " What's the weather?" finished`,
				`assistant output "It's sunny." finished`,
				`assistant generationComplete`,
				`assistant turnComplete`,
			},
		},
		{
			name:   "audio does not end a text segment",
			script: []*live.Response{modelText("A"), modelAudio(1, 2), modelText("B"), turnComplete},
			want: []string{
				`assistant partial role=model text "A"`,
				`assistant role=model inline audio/pcm;rate=24000 2B`,
				`assistant partial role=model text "B"`,
				`assistant role=model text "AB"`,
				`assistant turnComplete`,
			},
		},
		{
			name: "the server's finished flag ends a transcription; empty ones are not reported",
			script: []*live.Response{
				inputTranscript("Hi", false), inputTranscript(" there", true), inputTranscript("", true),
				outputTranscript(""), // Vertex AI sends {} first
				turnComplete,
			},
			want: []string{
				`user partial input "Hi"`,
				`user partial input " there"`,
				`user input "Hi there" finished`,
				`assistant turnComplete`,
			},
		},
		{
			name:   "a finished fragment alone is one finished transcription",
			script: []*live.Response{inputTranscript("Hello", true)},
			want: []string{
				`user partial input "Hello"`,
				`user input "Hello" finished`,
			},
		},
		{
			name: "thoughts are partial and never merged",
			script: []*live.Response{
				content(&genai.LiveServerContent{ModelTurn: &genai.Content{Parts: []*genai.Part{{Text: "Planning...", Thought: true}}}}),
				modelText("Hi"), turnComplete,
			},
			want: []string{
				`assistant partial role=model thought "Planning..."`,
				`assistant partial role=model text "Hi"`,
				`assistant role=model text "Hi"`,
				`assistant turnComplete`,
			},
		},
		{
			name: "code and its result: an event each, after the text before them",
			script: []*live.Response{
				modelText("Computing."),
				content(&genai.LiveServerContent{ModelTurn: &genai.Content{Parts: []*genai.Part{
					{ExecutableCode: &genai.ExecutableCode{Code: "print(2+2)", Language: genai.LanguagePython}},
					{CodeExecutionResult: &genai.CodeExecutionResult{Outcome: genai.OutcomeOK, Output: "4"}},
				}}}),
				modelText("It is 4."), turnComplete,
			},
			want: []string{
				`assistant partial role=model text "Computing."`,
				`assistant role=model text "Computing."`,
				`assistant role=model code "print(2+2)"`,
				`assistant role=model result "4"`,
				`assistant partial role=model text "It is 4."`,
				`assistant role=model text "It is 4."`,
				`assistant turnComplete`,
			},
		},
		{
			name: "metadata and server signals as typed fields",
			script: []*live.Response{
				{UsageMetadata: &genai.UsageMetadata{TotalTokenCount: 7}},
				content(&genai.LiveServerContent{GroundingMetadata: &genai.GroundingMetadata{WebSearchQueries: []string{"weather tokyo"}}}),
				{SessionResumptionUpdate: &genai.LiveServerSessionResumptionUpdate{NewHandle: "h1", Resumable: true}},
				{SessionResumptionUpdate: &genai.LiveServerSessionResumptionUpdate{}},
				{GoAway: &genai.LiveServerGoAway{TimeLeft: 50 * time.Second}},
				{ToolCallCancellation: &genai.LiveServerToolCallCancellation{IDs: []string{"c1", "c2"}}},
				{VoiceActivity: &genai.VoiceActivity{VoiceActivityType: genai.VoiceActivityTypeActivityStart}},
				{VoiceActivityDetectionSignal: &genai.VoiceActivityDetectionSignal{VADSignalType: genai.VADSignalTypeEos}},
				{SetupComplete: &genai.LiveServerSetupComplete{}},
			},
			want: []string{
				`assistant usage=7`,
				`assistant grounding=weather tokyo`,
				`assistant resumption=h1,true`,
				`assistant resumption=,false`,
				`assistant goAway=50s`,
				`assistant cancel=c1,c2`,
				`assistant voice=ACTIVITY_START`,
				`assistant vad=VAD_SIGNAL_TYPE_EOS`,
			},
		},
		{
			name: "usage riding with content that is not turnComplete gets its own event",
			script: []*live.Response{
				{ServerContent: &genai.LiveServerContent{ModelTurn: &genai.Content{Parts: []*genai.Part{{Text: "Hi"}}}},
					UsageMetadata: &genai.UsageMetadata{TotalTokenCount: 3}},
			},
			want: []string{
				`assistant partial role=model text "Hi"`,
				`assistant usage=3`,
				// The connection ends mid-turn: the pending text is
				// flushed.
				`assistant role=model text "Hi"`,
			},
		},
		{
			name: "generationComplete flushes; turnComplete after it has nothing left to flush",
			script: []*live.Response{
				outputTranscript("Done"), modelText("Done"), generationComplete, turnComplete,
			},
			want: []string{
				`assistant partial output "Done"`,
				`assistant partial role=model text "Done"`,
				`assistant role=model text "Done"`,
				`assistant output "Done" finished`,
				`assistant generationComplete`,
				`assistant turnComplete`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
			p, m := newParams(t)
			m.conn.sessionID = "live-session-1"
			m.conn.reply(tc.script...)
			m.conn.end(errServerClosed)

			res := collect(t, flow.Run(context.Background(), p))

			if diff := cmp.Diff(tc.want, describeAll(res.events)); diff != "" {
				t.Errorf("events mismatch (-want +got):\n%s", diff)
			}
			var be *backendError
			if !errors.As(res.err, &be) || be != errServerClosed {
				t.Errorf("run ended with %v, want the backend's error", res.err)
			}
			if res.errs != 1 {
				t.Errorf("the run yielded %d errors, want 1", res.errs)
			}
			checkIdentity(t, res, "live-session-1")
		})
	}
}

// checkIdentity checks the fields every event of a run carries.
func checkIdentity(t *testing.T, res result, sessionID string) {
	t.Helper()
	ids := make(map[string]bool)
	for _, ev := range res.events {
		if ev.ID == "" || ids[ev.ID] {
			t.Errorf("event %q has an empty or repeated ID %q", describe(ev), ev.ID)
		}
		ids[ev.ID] = true
		if ev.InvocationID != "e-test" || ev.Branch != "assistant" || ev.LiveSessionID != sessionID {
			t.Errorf("event %q has InvocationID %q, Branch %q, LiveSessionID %q; want %q, %q, %q",
				describe(ev), ev.InvocationID, ev.Branch, ev.LiveSessionID, "e-test", "assistant", sessionID)
		}
		if ev.Timestamp.IsZero() {
			t.Errorf("event %q has no timestamp", describe(ev))
		}
	}
}

func TestRunCopiesCustomMetadataOntoEveryEvent(t *testing.T) {
	p, m := newParams(t)
	p.RunConfig.CustomMetadata = map[string]any{"tenant": "acme"}
	m.conn.reply(modelText("Hi"), turnComplete)
	m.conn.end(errServerClosed)

	res := collect(t, flow.Run(context.Background(), p))
	if len(res.events) != 3 {
		t.Fatalf("got %d events, want 3: %q", len(res.events), describeAll(res.events))
	}
	for _, ev := range res.events {
		if diff := cmp.Diff(map[string]any{"tenant": "acme"}, ev.CustomMetadata); diff != "" {
			t.Errorf("event %q CustomMetadata mismatch (-want +got):\n%s", describe(ev), diff)
		}
	}
}

func TestRunDeliversEveryEventToASlowConsumer(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	p, m := newParams(t)
	const chunks = 300 // far more than the run buffers
	go func() {
		for i := range chunks {
			m.conn.reply(modelAudio(byte(i), 0))
		}
		m.conn.end(errServerClosed)
	}()
	got := 0
	for ev, err := range flow.Run(context.Background(), p) {
		if err != nil {
			if !errors.Is(err, errServerClosed) {
				t.Errorf("run ended with %v", err)
			}
			continue
		}
		if ev.Content.Parts[0].InlineData.Data[0] != byte(got) {
			t.Fatalf("chunk %d arrived in position %d", ev.Content.Parts[0].InlineData.Data[0], got)
		}
		got++
		if got%50 == 0 {
			time.Sleep(time.Millisecond) // a consumer that falls behind
		}
	}
	if got != chunks {
		t.Errorf("got %d audio events, want %d", got, chunks)
	}
}

func TestRunTranscriptionFragmentCarriesItsTextAlone(t *testing.T) {
	tests := []struct {
		name string
		in   *genai.Transcription
	}{
		{name: "text only", in: &genai.Transcription{Text: " hi"}},
		{name: "finished", in: &genai.Transcription{Text: " hi", Finished: true}},
		{name: "language and speaker", in: &genai.Transcription{Text: " hi", LanguageCode: "en-US", SpeakerLabel: "spk_1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, m := newParams(t)
			m.conn.reply(content(&genai.LiveServerContent{OutputTranscription: tc.in}))
			m.conn.end(errServerClosed)

			res := collect(t, flow.Run(context.Background(), p))
			if len(res.events) == 0 || !res.events[0].Partial {
				t.Fatalf("got events %q, want a partial fragment first", describeAll(res.events))
			}
			if diff := cmp.Diff(&genai.Transcription{Text: " hi"}, res.events[0].OutputTranscription); diff != "" {
				t.Errorf("fragment mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
