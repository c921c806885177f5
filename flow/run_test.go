package flow_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/runner"
	"github.com/adklive/adklive/tool"
)

func TestRunRejectsBadParamsBeforeDialing(t *testing.T) {
	type nameOnly struct{ tool.Tool }
	dup := func(t *testing.T) tool.Tool {
		return mustFunction(t, "lookup", func(tool.Context, map[string]any) (map[string]any, error) { return nil, nil })
	}
	tests := []struct {
		name   string
		modify func(t *testing.T, p *flow.Params)
		is     error
		want   []string // substrings of the error
	}{
		{"nil model", func(_ *testing.T, p *flow.Params) { p.Model = nil }, flow.ErrInvalidParams, []string{"Model"}},
		{"nil queue", func(_ *testing.T, p *flow.Params) { p.Queue = nil }, flow.ErrInvalidParams, []string{"Queue"}},
		{"no author", func(_ *testing.T, p *flow.Params) { p.Author = "" }, flow.ErrInvalidParams, []string{"Author"}},
		{"nil tool", func(_ *testing.T, p *flow.Params) { p.Tools = []tool.Tool{nil} }, flow.ErrInvalidParams, []string{"Tools[0]", "nil"}},
		{"two tools with one name", func(t *testing.T, p *flow.Params) { p.Tools = []tool.Tool{dup(t), dup(t)} },
			flow.ErrInvalidParams, []string{"Tools[1]", `"lookup"`}},
		{"a tool of an unknown kind", func(_ *testing.T, p *flow.Params) { p.Tools = []tool.Tool{nameOnly{tool.GoogleSearch()}} },
			flow.ErrInvalidParams, []string{"Tools[0]", "google_search", "neither"}},
		{"two response modalities", func(_ *testing.T, p *flow.Params) {
			p.RunConfig.ResponseModalities = []genai.Modality{genai.ModalityAudio, genai.ModalityText}
		}, runconfig.ErrInvalid, []string{"ResponseModalities"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, m := newParams(t)
			tc.modify(t, &p)
			res := collect(t, flow.Run(context.Background(), p))
			if res.errs != 1 || len(res.events) != 0 {
				t.Fatalf("got %d errors and events %q, want exactly one error", res.errs, describeAll(res.events))
			}
			if !errors.Is(res.err, tc.is) {
				t.Errorf("error %v does not match %v", res.err, tc.is)
			}
			for _, s := range tc.want {
				if !strings.Contains(res.err.Error(), s) {
					t.Errorf("error %q does not mention %s", res.err, s)
				}
			}
			if m.request() != nil {
				t.Error("the model was dialed")
			}
		})
	}
}

func TestRunValidatesRunConfigForTheModelsBackend(t *testing.T) {
	p, m := newParams(t)
	m.backend = genai.BackendVertexAI
	p.Model = backendModel{m}
	on := true
	p.RunConfig.EnableAffectiveDialog = &on // Gemini API only

	res := collect(t, flow.Run(context.Background(), p))

	var fe *runconfig.FieldError
	if !errors.As(res.err, &fe) || fe.Field != "EnableAffectiveDialog" {
		t.Fatalf("run ended with %v, want a FieldError for EnableAffectiveDialog", res.err)
	}
	if m.request() != nil {
		t.Error("the model was dialed")
	}
}

func TestRunReportsConnectFailure(t *testing.T) {
	p, m := newParams(t)
	m.connectErr = &backendError{msg: "fake: dial refused"}
	res := collect(t, flow.Run(context.Background(), p))
	var be *backendError
	if !errors.As(res.err, &be) || res.errs != 1 {
		t.Fatalf("run ended with %v (%d errors), want one error wrapping the backend's", res.err, res.errs)
	}
	if !strings.Contains(res.err.Error(), "fake-live-model") {
		t.Errorf("error %q does not name the model", res.err)
	}
}

func TestRunBuildsTheConnectRequest(t *testing.T) {
	p, m := newParams(t)
	weather := mustFunctionConfig(t, tool.FunctionConfig{
		Name:        "get_weather",
		Description: "Returns the weather in a city.",
		Parameters: &genai.Schema{Type: genai.TypeObject, Properties: map[string]*genai.Schema{
			"city": {Type: genai.TypeString},
		}},
	}, func(tool.Context, map[string]any) (map[string]any, error) { return nil, nil })
	p.Instruction = "You are a helpful assistant."
	p.Tools = []tool.Tool{tool.GoogleSearch(), weather}
	p.RunConfig = runconfig.RunConfig{
		ResponseModalities:      []genai.Modality{genai.ModalityText},
		InputAudioTranscription: &genai.AudioTranscriptionConfig{},
	}
	p.History = sessionEvents()
	p.Queue.Close()

	collect(t, flow.Run(context.Background(), p))

	want := &live.ConnectRequest{
		Setup: &genai.LiveClientSetup{
			GenerationConfig:  &genai.GenerationConfig{ResponseModalities: []genai.Modality{genai.ModalityText}},
			SystemInstruction: &genai.Content{Role: "system", Parts: []*genai.Part{{Text: "You are a helpful assistant."}}},
			Tools: []*genai.Tool{
				{FunctionDeclarations: []*genai.FunctionDeclaration{weather.Declaration()}},
				{GoogleSearch: &genai.GoogleSearch{}},
			},
			InputAudioTranscription: &genai.AudioTranscriptionConfig{},
			// Requested while reconnection is on, to resume after a drop.
			SessionResumption: &genai.SessionResumptionConfig{},
		},
		History: flow.History(sessionEvents()),
	}
	if len(want.History) == 0 {
		t.Fatal("the test history is empty")
	}
	if diff := cmp.Diff(want, m.request()); diff != "" {
		t.Errorf("connect request mismatch (-want +got):\n%s", diff)
	}
}

func TestRunDoesNotResendHistoryWhenResuming(t *testing.T) {
	p, m := newParams(t)
	p.History = sessionEvents()
	p.RunConfig.SessionResumption = &genai.SessionResumptionConfig{Handle: "resume-here"}
	p.Queue.Close()

	collect(t, flow.Run(context.Background(), p))

	req := m.request()
	if len(req.History) != 0 {
		t.Errorf("history of %d turns sent with a resumption handle", len(req.History))
	}
	if req.Setup.SessionResumption == nil || req.Setup.SessionResumption.Handle != "resume-here" {
		t.Errorf("setup sessionResumption = %+v, want the handle", req.Setup.SessionResumption)
	}
}

func TestRunEnds(t *testing.T) {
	t.Run("queue closed: no error", func(t *testing.T) {
		ignore := goleak.IgnoreCurrent()
		t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
		p, m := newParams(t)
		m.conn.reply(modelText("Hi"))
		if err := p.Queue.SendRealtime(&genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: []byte{0, 0}}); err != nil {
			t.Fatal(err)
		}
		p.Queue.Close()
		res := collect(t, flow.Run(context.Background(), p))
		if res.err != nil {
			t.Errorf("run ended with %v, want no error", res.err)
		}
		if !m.conn.isClosed() {
			t.Error("the connection was not closed")
		}
	})
	t.Run("context cancelled: the context's error", func(t *testing.T) {
		ignore := goleak.IgnoreCurrent()
		t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
		p, m := newParams(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		m.conn.reply(modelText("Hi"))
		var res result
		for ev, err := range flow.Run(ctx, p) {
			if err != nil {
				res.err = err
				res.errs++
				continue
			}
			res.events = append(res.events, ev)
			cancel()
		}
		if !errors.Is(res.err, context.Canceled) || res.errs != 1 {
			t.Errorf("run ended with %v (%d errors), want context.Canceled once", res.err, res.errs)
		}
		if !m.conn.isClosed() {
			t.Error("the connection was not closed")
		}
	})
	t.Run("context already done: no dial", func(t *testing.T) {
		p, m := newParams(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		res := collect(t, flow.Run(ctx, p))
		if !errors.Is(res.err, context.Canceled) {
			t.Errorf("run ended with %v, want context.Canceled", res.err)
		}
		if m.conn.isClosed() {
			t.Error("a connection was used")
		}
	})
	t.Run("consumer stops ranging", func(t *testing.T) {
		ignore := goleak.IgnoreCurrent()
		t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
		p, m := newParams(t)
		for range 100 {
			m.conn.reply(modelText("x"))
		}
		n := 0
		for _, err := range flow.Run(context.Background(), p) {
			if err != nil {
				t.Fatal(err)
			}
			if n++; n == 3 {
				break
			}
		}
		if !m.conn.isClosed() {
			t.Error("the connection was not closed")
		}
	})
	t.Run("server ends the connection: its error", func(t *testing.T) {
		ignore := goleak.IgnoreCurrent()
		t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
		p, m := newParams(t)
		fatal := &backendError{msg: "fake: 1007 invalid argument"}
		m.conn.end(fatal)
		res := collect(t, flow.Run(context.Background(), p))
		var be *backendError
		if !errors.As(res.err, &be) || be != fatal {
			t.Errorf("run ended with %v, want the backend's error", res.err)
		}
		if !strings.Contains(res.err.Error(), "fake-live-model") {
			t.Errorf("error %q does not name the model", res.err)
		}
	})
}

func TestRunEnforcesMaxLLMCalls(t *testing.T) {
	turn := []*live.Response{modelText("Hi"), turnComplete}
	tests := []struct {
		name      string
		limit     int
		turns     int // turns the server plays
		wantTurns int // turnComplete events yielded
		exceeded  bool
	}{
		{"below the limit", 3, 2, 2, false},
		{"limit reached: the run ends at the last allowed turn", 2, 2, 2, true},
		{"limit of one", 1, 3, 1, true},
		{"negative: no limit", runconfig.UnlimitedLLMCalls, 5, 5, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
			p, m := newParams(t)
			p.RunConfig.MaxLLMCalls = tc.limit
			for range tc.turns {
				m.conn.reply(turn...)
			}
			m.conn.reply(modelText("after"))
			m.conn.end(errServerClosed)

			res := collect(t, flow.Run(context.Background(), p))

			turns := 0
			for _, ev := range res.events {
				if ev.TurnComplete {
					turns++
				}
			}
			if turns != tc.wantTurns {
				t.Errorf("got %d turnComplete events, want %d", turns, tc.wantTurns)
			}
			if got := errors.Is(res.err, flow.ErrLLMCallsExceeded); got != tc.exceeded {
				t.Errorf("run ended with %v; ErrLLMCallsExceeded: %v, want %v", res.err, got, tc.exceeded)
			}
			if !tc.exceeded {
				return
			}
			if want := fmt.Sprintf("MaxLLMCalls = %d was reached", tc.limit); !strings.Contains(res.err.Error(), want) {
				t.Errorf("error %q does not say %q", res.err, want)
			}
			if last := res.events[len(res.events)-1]; !last.TurnComplete {
				t.Errorf("the last event before the error is %q, want the turnComplete", describe(last))
			}
		})
	}
}

func TestRunSendsNothingOnceTheLLMCallLimitIsReached(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	p, m := newParams(t)
	p.RunConfig.MaxLLMCalls = 1
	m.conn.reply(modelText("Hi"), turnComplete)
	// A request that does get sent makes the server end the connection,
	// so that the run ends either way.
	m.conn.sendErr = func(clientMessage) error {
		m.conn.end(errServerClosed)
		return nil
	}

	var res result
	for ev, err := range flow.Run(context.Background(), p) {
		if err != nil {
			res.err = err
			continue
		}
		if ev.TurnComplete {
			// The consumer answers the last allowed turn at once.
			if err := p.Queue.SendContent(genai.NewContentFromText("again", genai.RoleUser)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !errors.Is(res.err, flow.ErrLLMCallsExceeded) {
		t.Fatalf("run ended with %v, want ErrLLMCallsExceeded", res.err)
	}
	close(m.conn.sent)
	for msg := range m.conn.sent {
		t.Errorf("sent %+v after the LLM call limit was reached", msg)
	}
}

// TestRunFlushesPendingTextWhenItEnds checks that text and transcriptions
// still pending when the run ends mid-turn are yielded as the merged,
// persisted events, before the run's error.
func TestRunFlushesPendingTextWhenItEnds(t *testing.T) {
	midTurn := []*live.Response{
		inputTranscript("What's the ", false), inputTranscript("weather?", false),
		modelText("It's "), modelText("sunny"),
		outputTranscript("It's "), outputTranscript("sunny"),
	}
	// The events that end the turn early, in the order they were said.
	flushed := []string{
		`user input "What's the weather?" finished`,
		`assistant role=model text "It's sunny"`,
		`assistant output "It's sunny" finished`,
	}
	tests := []struct {
		name string
		// end ends the run once the consumer saw the last fragment.
		end     func(p flow.Params, m *fakeModel, cancel context.CancelFunc)
		wantErr func(error) bool
	}{
		{
			name:    "the server ends the connection",
			end:     func(_ flow.Params, m *fakeModel, _ context.CancelFunc) { m.conn.end(errServerClosed) },
			wantErr: func(err error) bool { return errors.Is(err, errServerClosed) },
		},
		{
			name:    "the queue is closed",
			end:     func(p flow.Params, _ *fakeModel, _ context.CancelFunc) { p.Queue.Close() },
			wantErr: func(err error) bool { return err == nil },
		},
		{
			name:    "the context ends (the consumer still ranging)",
			end:     func(_ flow.Params, _ *fakeModel, cancel context.CancelFunc) { cancel() },
			wantErr: func(err error) bool { return errors.Is(err, context.Canceled) },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
			p, m := newParams(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			m.conn.reply(midTurn...)
			var res result
			for ev, err := range flow.Run(ctx, p) {
				if err != nil {
					res.err = err
					res.errs++
					continue
				}
				res.events = append(res.events, ev)
				if ev.OutputTranscription != nil && ev.OutputTranscription.Text == "sunny" {
					tc.end(p, m, cancel)
				}
			}
			if !tc.wantErr(res.err) || res.errs > 1 {
				t.Fatalf("run ended with %v (%d errors)", res.err, res.errs)
			}
			got := describeAll(res.events)
			if len(got) < len(flushed) {
				t.Fatalf("events %q, want them to end with the flushed ones", got)
			}
			if diff := cmp.Diff(flushed, got[len(got)-len(flushed):]); diff != "" {
				t.Errorf("last events (-want +got):\n%s", diff)
			}
			for _, ev := range res.events[len(res.events)-len(flushed):] {
				if !runner.Persist(ev) {
					t.Errorf("flushed event %q is not persisted", describe(ev))
				}
			}
		})
	}
}

// When ctx ends while the consumer is behind (the run's event buffer is
// full), a consumer that goes on ranging still reaches the end of the run
// and its error: the run never leaves it waiting.
func TestRunCancelledWithAFullBufferStillEnds(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	p, m := newParams(t)
	m.conn.delivered = make(chan *live.Response, 100)
	for range 100 {
		m.conn.reply(modelAudio(1, 2))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	first := make(chan struct{})
	go func() {
		var err error
		n := 0
		for ev, e := range flow.Run(ctx, p) {
			if e != nil {
				err = e
				continue
			}
			if n++; n == 1 {
				close(first)
				<-ctx.Done() // fall behind until the run is cancelled
			}
			_ = ev
		}
		done <- err
	}()
	<-first
	for range 18 { // the first event, 16 in the buffer, one waiting to go in
		<-m.conn.delivered
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("run ended with %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the run did not end 10 s after ctx was cancelled while the consumer went on ranging")
	}
}
