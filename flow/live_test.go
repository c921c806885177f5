package flow_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/runner"
	"github.com/adklive/adklive/tool"
)

// The tests in this file run the flow against the gemini backend and the
// livetest fake server, over a real WebSocket.

const liveModel = "gemini-2.5-flash-native-audio-preview-12-2025"

// newLive starts a livetest server and returns it with the Params of a run
// against it. Goroutines are checked for leaks before the server closes.
func newLive(t *testing.T, cfg runconfig.RunConfig, opts ...livetest.Option) (*livetest.Server, flow.Params) {
	t.Helper()
	srv := livetest.NewServer(opts...)
	t.Cleanup(srv.Close)
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	quiet := slog.New(slog.DiscardHandler)
	m, err := gemini.NewModel(context.Background(), liveModel, &gemini.Config{
		Backend: genai.BackendGeminiAPI, APIKey: "test-key", BaseURL: srv.URL, Logger: quiet,
	})
	if err != nil {
		t.Fatal(err)
	}
	q := livequeue.New()
	if err := q.Claim(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	return srv, flow.Params{
		Model:        m,
		Author:       "assistant",
		InvocationID: "e-test",
		Branch:       "assistant",
		RunConfig:    cfg,
		Queue:        q,
		Logger:       quiet,
	}
}

var textConfig = runconfig.RunConfig{ResponseModalities: []genai.Modality{genai.ModalityText}}

// session returns the server's first session.
func session(t *testing.T, srv *livetest.Server) *livetest.Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := srv.WaitSession(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkNormalClose checks that the client ended the session with a normal
// closure.
func checkNormalClose(t *testing.T, s *livetest.Session) {
	t.Helper()
	<-s.Done()
	if st, ok := s.ClientClose(); !ok || st.Code != websocket.StatusNormalClosure {
		t.Errorf("client close frame = %v (sent: %v), want 1000", st, ok)
	}
}

func TestLiveTextTurn(t *testing.T) {
	srv, p := newLive(t, textConfig)
	srv.Reply(livetest.Text("Hel"), livetest.Text("lo "), livetest.Text("there!"), livetest.GenerationComplete(),
		livetest.Message(&genai.LiveServerMessage{
			ServerContent: &genai.LiveServerContent{TurnComplete: true},
			UsageMetadata: &genai.UsageMetadata{PromptTokenCount: 1, ResponseTokenCount: 3, TotalTokenCount: 4},
		}))
	if err := p.Queue.SendContent(genai.NewContentFromText("Hi", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}

	res := runUntilTurnComplete(t, p, 1)

	if res.err != nil {
		t.Fatalf("run ended with %v", res.err)
	}
	want := []string{
		`user role=user text "Hi"`,
		`assistant partial role=model text "Hel"`,
		`assistant partial role=model text "lo "`,
		`assistant partial role=model text "there!"`,
		`assistant role=model text "Hello there!"`,
		`assistant generationComplete`,
		`assistant turnComplete usage=4`,
	}
	if diff := cmp.Diff(want, withoutResumption(describeAll(res.events))); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
	s := session(t, srv)
	checkNormalClose(t, s)
	msgs := s.Messages()
	if len(msgs) < 2 || msgs[1].ClientContent == nil || !msgs[1].ClientContent.TurnComplete ||
		msgs[1].ClientContent.Turns[0].Role != genai.RoleUser {
		t.Errorf("the server did not get the user's turn as a complete clientContent: %+v", msgs)
	}
}

func TestLiveAudioTurn(t *testing.T) {
	cfg := runconfig.RunConfig{
		InputAudioTranscription:  &genai.AudioTranscriptionConfig{},
		OutputAudioTranscription: &genai.AudioTranscriptionConfig{},
	}
	srv, p := newLive(t, cfg)
	// Half a second of speech, then enough silence to end the turn.
	audio := append(livetest.Tone(16000, 500*time.Millisecond, 0.3), livetest.Silence(16000, 800*time.Millisecond)...)
	const chunk = 3200 // 100 ms
	for off := 0; off < len(audio); off += chunk {
		if err := p.Queue.SendRealtime(&genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: audio[off:min(off+chunk, len(audio))]}); err != nil {
			t.Fatal(err)
		}
	}

	res := runUntilTurnComplete(t, p, 1)

	if res.err != nil {
		t.Fatalf("run ended with %v", res.err)
	}
	var audioEvents, inFragments, outFragments int
	var inFinished, outFinished []*event.Event
	for _, ev := range res.events {
		switch {
		case ev.HasAudio():
			audioEvents++
			if ev.Partial || runner.Persist(ev) || ev.Author != "assistant" {
				t.Errorf("audio event %q: want not partial, not persisted, by the agent", describe(ev))
			}
		case ev.InputTranscription != nil && ev.Partial:
			inFragments++
		case ev.OutputTranscription != nil && ev.Partial:
			outFragments++
		case ev.InputTranscription != nil:
			inFinished = append(inFinished, ev)
		case ev.OutputTranscription != nil:
			outFinished = append(outFinished, ev)
		}
	}
	if audioEvents < 2 || inFragments == 0 || outFragments < 2 {
		t.Errorf("got %d audio events, %d input and %d output fragments; want one event per audio chunk and fragments:\n%s",
			audioEvents, inFragments, outFragments, strings.Join(describeAll(res.events), "\n"))
	}
	if len(inFinished) != 1 || inFinished[0].Author != event.AuthorUser || !inFinished[0].InputTranscription.Finished ||
		!strings.Contains(inFinished[0].InputTranscription.Text, "s of audio") {
		t.Errorf("finished input transcriptions %q, want one authored by the user", describeAll(inFinished))
	}
	if len(outFinished) != 1 || outFinished[0].Author != "assistant" || !strings.HasPrefix(outFinished[0].OutputTranscription.Text, "echo: ") {
		t.Errorf("finished output transcriptions %q, want one \"echo: ...\" authored by the agent", describeAll(outFinished))
	}
	checkNormalClose(t, session(t, srv))
}

func TestLiveInterruptionWhileTextIsPending(t *testing.T) {
	srv, p := newLive(t, textConfig)
	srv.Reply(livetest.Text("Let me tell you a long story"), livetest.Delay(time.Minute), livetest.Text(" that never ends"))
	if err := p.Queue.SendContent(genai.NewContentFromText("Tell me a story", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
	var got []string
	turns := 0
	for ev, err := range flow.Run(context.Background(), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		got = append(got, describe(ev))
		switch {
		case ev.Partial && ev.Text() == "Let me tell you a long story":
			// The user barges in while the story is being told.
			if err := p.Queue.SendContent(genai.NewContentFromText("Stop", genai.RoleUser)); err != nil {
				t.Fatal(err)
			}
		case ev.TurnComplete:
			if turns++; turns == 2 {
				p.Queue.Close()
			}
		}
	}
	merged := slices.Index(got, `assistant role=model text "Let me tell you a long story"`)
	stopped := slices.Index(got, `assistant interrupted`)
	if merged < 0 || stopped < 0 || merged > stopped {
		t.Errorf("want the merged text before the interruption, got:\n%s", strings.Join(got, "\n"))
	}
	if slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "never ends") }) {
		t.Error("the interrupted script went on")
	}
	if !slices.Contains(got, `assistant role=model text "echo: Stop"`) {
		t.Errorf("the model did not answer after the interruption:\n%s", strings.Join(got, "\n"))
	}
	checkNormalClose(t, session(t, srv))
}

func TestLiveServerSignalsAsTypedFields(t *testing.T) {
	cfg := textConfig
	cfg.SessionResumption = &genai.SessionResumptionConfig{}
	srv, p := newLive(t, cfg)
	grounding := &genai.GroundingMetadata{WebSearchQueries: []string{"weather tokyo"}}

	var got []*event.Event
	for ev, err := range flow.Run(context.Background(), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		got = append(got, ev)
		if ev.LiveSessionResumptionUpdate != nil && len(got) == 1 {
			// The first update follows setupComplete: inject the rest.
			s := session(t, srv)
			go func() {
				_ = s.Send(context.Background(),
					livetest.Usage(&genai.UsageMetadata{PromptTokenCount: 5, TotalTokenCount: 5}),
					livetest.Grounding(grounding),
					livetest.GoAway(50*time.Second),
					livetest.ToolCallCancellation("call-9"),
				)
			}()
		}
		if ev.ToolCallCancellation != nil {
			p.Queue.Close()
		}
	}
	want := []string{
		`assistant resumption=` + got[0].LiveSessionResumptionUpdate.NewHandle + `,true`,
		`assistant usage=5`,
		`assistant grounding=weather tokyo`,
		`assistant goAway=50s`,
		`assistant cancel=call-9`,
	}
	if diff := cmp.Diff(want, describeAll(got)); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
	if got[0].LiveSessionResumptionUpdate.NewHandle == "" {
		t.Error("the resumption update has no handle")
	}
	checkNormalClose(t, session(t, srv))
}

func TestLiveFunctionToolRoundTrip(t *testing.T) {
	srv, p := newLive(t, textConfig)
	weather, err := tool.NewFunction(tool.FunctionConfig{
		Name: "get_weather", Description: "Returns the weather in a city.",
		Parameters: &genai.Schema{Type: genai.TypeObject, Properties: map[string]*genai.Schema{"city": {Type: genai.TypeString}}},
	}, func(ctx tool.Context, args map[string]any) (map[string]any, error) {
		return map[string]any{"weather": "sunny", "city": args["city"]}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	p.Tools = []tool.Tool{weather}
	srv.Reply(
		livetest.ToolCall(&genai.FunctionCall{Name: "get_weather", Args: map[string]any{"city": "Tokyo"}}),
		livetest.Text("It's sunny in Tokyo."),
	)
	if err := p.Queue.SendContent(genai.NewContentFromText("Weather in Tokyo?", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}

	res := runUntilTurnComplete(t, p, 1)

	if res.err != nil {
		t.Fatalf("run ended with %v", res.err)
	}
	var callID string
	for _, ev := range res.events {
		if calls := ev.FunctionCalls(); len(calls) == 1 {
			callID = calls[0].ID
		}
	}
	if callID == "" {
		t.Fatalf("no call event with an id:\n%s", strings.Join(describeAll(res.events), "\n"))
	}
	want := []string{
		`user role=user text "Weather in Tokyo?"`,
		`assistant role=model call get_weather(` + callID + `) {"city":"Tokyo"}`,
		`assistant role=user response get_weather(` + callID + `) {"city":"Tokyo","weather":"sunny"}`,
		`assistant partial role=model text "It's sunny in Tokyo."`,
		`assistant role=model text "It's sunny in Tokyo."`,
		`assistant generationComplete`,
		`assistant turnComplete`,
	}
	if diff := cmp.Diff(want, withoutResumption(describeAll(res.events))); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
	s := session(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msg, err := s.WaitMessage(ctx, func(m livetest.ClientMessage) bool { return m.ToolResponse != nil })
	if err != nil {
		t.Fatal(err)
	}
	fr := msg.ToolResponse.FunctionResponses
	if len(fr) != 1 || fr[0].ID != callID || fr[0].Name != "get_weather" || fr[0].Response["weather"] != "sunny" {
		t.Errorf("the server got tool response %+v, want the call's id %q and the tool's result", fr, callID)
	}
	checkNormalClose(t, s)
}

func TestLiveRunEnds(t *testing.T) {
	t.Run("queue closed with a turn queued: no error, normal closure", func(t *testing.T) {
		srv, p := newLive(t, textConfig)
		if err := p.Queue.SendContent(genai.NewContentFromText("Hi", genai.RoleUser)); err != nil {
			t.Fatal(err)
		}
		p.Queue.Close()
		res := collect(t, flow.Run(context.Background(), p))
		if res.err != nil {
			t.Errorf("run ended with %v, want no error", res.err)
		}
		checkNormalClose(t, session(t, srv))
	})
	t.Run("context cancelled: its error, normal closure", func(t *testing.T) {
		srv, p := newLive(t, textConfig)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if err := p.Queue.SendContent(genai.NewContentFromText("Hi", genai.RoleUser)); err != nil {
			t.Fatal(err)
		}
		var runErr error
		for ev, err := range flow.Run(ctx, p) {
			if err != nil {
				runErr = err
				continue
			}
			if ev.Author == event.AuthorUser {
				cancel()
			}
		}
		if !errors.Is(runErr, context.Canceled) {
			t.Errorf("run ended with %v, want context.Canceled", runErr)
		}
		checkNormalClose(t, session(t, srv))
	})
	t.Run("consumer breaks: the session ends", func(t *testing.T) {
		srv, p := newLive(t, textConfig)
		if err := p.Queue.SendContent(genai.NewContentFromText("Hi", genai.RoleUser)); err != nil {
			t.Fatal(err)
		}
		for ev, err := range flow.Run(context.Background(), p) {
			if err != nil {
				t.Fatal(err)
			}
			if ev.Partial {
				break
			}
		}
		checkNormalClose(t, session(t, srv))
	})
	t.Run("server closes: its close error", func(t *testing.T) {
		srv, p := newLive(t, textConfig)
		srv.Reply(livetest.Text("Bye"), livetest.CloseWith(websocket.StatusInvalidFramePayloadData, "Request contains an invalid argument."))
		if err := p.Queue.SendContent(genai.NewContentFromText("Hi", genai.RoleUser)); err != nil {
			t.Fatal(err)
		}
		res := collect(t, flow.Run(context.Background(), p))
		var ce *gemini.CloseError
		if !errors.As(res.err, &ce) || ce.Code != websocket.StatusInvalidFramePayloadData || ce.Reason != "Request contains an invalid argument." {
			t.Fatalf("run ended with %v, want the server's *gemini.CloseError", res.err)
		}
		if res.errs != 1 {
			t.Errorf("%d errors yielded, want 1", res.errs)
		}
		if !slices.Contains(describeAll(res.events), `assistant partial role=model text "Bye"`) {
			t.Errorf("the events before the close were lost: %q", describeAll(res.events))
		}
	})
}

func TestLiveMaxLLMCallsEndsTheRunAtTheLastAllowedTurn(t *testing.T) {
	for _, limit := range []int{1, 2} {
		t.Run(fmt.Sprintf("MaxLLMCalls=%d", limit), func(t *testing.T) {
			cfg := textConfig
			cfg.MaxLLMCalls = limit
			srv, p := newLive(t, cfg)
			if err := p.Queue.SendContent(genai.NewContentFromText("turn 1", genai.RoleUser)); err != nil {
				t.Fatal(err)
			}
			var res result
			turns := 0
			for ev, err := range flow.Run(context.Background(), p) {
				if err != nil {
					res.err = err
					res.errs++
					continue
				}
				res.events = append(res.events, ev)
				if ev.TurnComplete {
					// The user answers every turn at once.
					turns++
					if err := p.Queue.SendContent(genai.NewContentFromText(fmt.Sprintf("turn %d", turns+1), genai.RoleUser)); err != nil {
						t.Fatal(err)
					}
				}
			}

			if !errors.Is(res.err, flow.ErrLLMCallsExceeded) || res.errs != 1 {
				t.Fatalf("run ended with %v (%d errors), want ErrLLMCallsExceeded once", res.err, res.errs)
			}
			if want := fmt.Sprintf("MaxLLMCalls = %d was reached", limit); !strings.Contains(res.err.Error(), want) {
				t.Errorf("error %q does not say %q", res.err, want)
			}
			if turns != limit {
				t.Errorf("%d turnComplete events yielded, want %d", turns, limit)
			}
			if last := res.events[len(res.events)-1]; !last.TurnComplete {
				t.Errorf("last event %q, want the turnComplete of the last allowed turn", describe(last))
			}
			s := session(t, srv)
			checkNormalClose(t, s)
			var sent []string
			for _, m := range s.Messages() {
				if cc := m.ClientContent; cc != nil {
					for _, turn := range cc.Turns {
						sent = append(sent, turn.Parts[0].Text)
					}
				}
			}
			var want []string
			for i := range limit {
				want = append(want, fmt.Sprintf("turn %d", i+1))
			}
			if diff := cmp.Diff(want, sent); diff != "" {
				t.Errorf("user turns that reached the server (-want +got):\n%s", diff)
			}
		})
	}
}

// withoutResumption drops the resumption updates from got: the run asks
// for them by default, and when they arrive relative to the client's own
// events (or whether the one after the last turn arrives before the run
// ends) is up to timing. Tests of resumption look at them.
func withoutResumption(got []string) []string {
	var out []string
	for _, g := range got {
		if !strings.Contains(g, " resumption=") {
			out = append(out, g)
		}
	}
	return out
}
