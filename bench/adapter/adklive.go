package adapter

import (
	"context"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"

	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/runner"
	"github.com/adklive/adklive/session"
)

// ADKLive is adklive's runner.RunLive with an LLM agent on gemini.NewModel,
// one runner per base URL as a service would have one per process, and
// events consumed by ranging over the run.
type ADKLive struct {
	mu      sync.Mutex
	runners map[string]*runner.Runner
	next    atomic.Int64
}

// Name implements Adapter.
func (*ADKLive) Name() string { return "adklive" }

func (a *ADKLive) runner(ctx context.Context, baseURL string) (*runner.Runner, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if r, ok := a.runners[baseURL]; ok {
		return r, nil
	}
	model, err := gemini.NewModel(ctx, ModelName, &gemini.Config{APIKey: APIKey, BaseURL: baseURL})
	if err != nil {
		return nil, err
	}
	ag, err := agent.New(agent.Config{Name: "assistant", Model: model, Instruction: "You are a voice assistant."})
	if err != nil {
		return nil, err
	}
	r, err := runner.New(runner.Config{
		AppName: "bench", Agent: ag, SessionService: session.InMemory(), AutoCreateSession: true,
	})
	if err != nil {
		return nil, err
	}
	if a.runners == nil {
		a.runners = make(map[string]*runner.Runner)
	}
	a.runners[baseURL] = r
	return r, nil
}

// Open implements Adapter.
func (a *ADKLive) Open(ctx context.Context, baseURL string) (Session, error) {
	r, err := a.runner(ctx, baseURL)
	if err != nil {
		return nil, err
	}
	q := livequeue.New()
	cfg := runconfig.RunConfig{ResponseModalities: []genai.Modality{genai.ModalityAudio}}
	id := fmt.Sprintf("s-%d", a.next.Add(1))
	return &adkliveSession{q: q, run: r.RunLive(ctx, "user", id, q, cfg)}, nil
}

type adkliveSession struct {
	q   *livequeue.Queue
	run iter.Seq2[*event.Event, error]
}

func (s *adkliveSession) Receive(ctx context.Context, handle func(Item) bool) error {
	for ev, err := range s.run {
		if err != nil {
			return err
		}
		if ev.Content != nil {
			for _, p := range ev.Content.Parts {
				if p.InlineData != nil && !handle(Item{Kind: Audio, Data: p.InlineData.Data}) {
					return nil
				}
			}
		}
		if ev.TurnComplete && !handle(Item{Kind: TurnComplete}) {
			return nil
		}
	}
	return nil
}

func (s *adkliveSession) SendAudio(_ context.Context, pcm []byte) error {
	return s.q.SendRealtime(&genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: pcm})
}
