package adapter

import (
	"context"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"

	"google.golang.org/adk/v2/agent"
	"google.golang.org/adk/v2/agent/llmagent"
	"google.golang.org/adk/v2/model/gemini"
	"google.golang.org/adk/v2/runner"
	"google.golang.org/adk/v2/session"
	"google.golang.org/genai"
)

// ADKGo is the official Go ADK's runner.RunLive (google.golang.org/adk/v2)
// with an llmagent on its gemini model, one runner per base URL, events
// consumed by ranging over the run and audio sent through its
// LiveSession.
type ADKGo struct {
	mu      sync.Mutex
	runners map[string]*runner.Runner
	next    atomic.Int64
}

// Name implements Adapter.
func (*ADKGo) Name() string { return "adkgo" }

func (a *ADKGo) runner(ctx context.Context, baseURL string) (*runner.Runner, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if r, ok := a.runners[baseURL]; ok {
		return r, nil
	}
	model, err := gemini.NewModel(ctx, ModelName, &genai.ClientConfig{
		APIKey: APIKey, Backend: genai.BackendGeminiAPI, HTTPOptions: genai.HTTPOptions{BaseURL: baseURL},
	})
	if err != nil {
		return nil, err
	}
	ag, err := llmagent.New(llmagent.Config{Name: "assistant", Model: model, Instruction: "You are a voice assistant."})
	if err != nil {
		return nil, err
	}
	r, err := runner.New(runner.Config{
		AppName: "bench", Agent: ag, SessionService: session.InMemoryService(), AutoCreateSession: true,
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
func (a *ADKGo) Open(ctx context.Context, baseURL string) (Session, error) {
	r, err := a.runner(ctx, baseURL)
	if err != nil {
		return nil, err
	}
	id := fmt.Sprintf("s-%d", a.next.Add(1))
	ls, events, err := r.RunLive(ctx, "user", id, agent.LiveRunConfig{
		ResponseModalities: []genai.Modality{genai.ModalityAudio},
	})
	if err != nil {
		return nil, err
	}
	return &adkgoSession{ls: ls, events: events}, nil
}

type adkgoSession struct {
	ls     agent.LiveSession
	events iter.Seq2[*session.Event, error]
}

func (s *adkgoSession) Receive(ctx context.Context, handle func(Item) bool) error {
	defer s.ls.Close()
	for ev, err := range s.events {
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

func (s *adkgoSession) SendAudio(_ context.Context, pcm []byte) error {
	return s.ls.Send(agent.LiveRequest{RealtimeInput: &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: pcm}})
}
