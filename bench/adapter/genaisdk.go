package adapter

import (
	"context"
	"sync"

	"google.golang.org/genai"
)

// GenAI is the genai SDK's own Live session (client.Live.Connect), the
// layer the official Go ADK's live runner is built on.
type GenAI struct{}

// Name implements Adapter.
func (GenAI) Name() string { return "genai" }

// Open implements Adapter.
func (GenAI) Open(ctx context.Context, baseURL string) (Session, error) {
	client, err := genai.NewClient(ctx, &genai.ClientConfig{
		APIKey:      APIKey,
		Backend:     genai.BackendGeminiAPI,
		HTTPOptions: genai.HTTPOptions{BaseURL: baseURL},
	})
	if err != nil {
		return nil, err
	}
	s, err := client.Live.Connect(ctx, ModelName, &genai.LiveConnectConfig{
		ResponseModalities: []genai.Modality{genai.ModalityAudio},
	})
	if err != nil {
		return nil, err
	}
	return &genaiSession{s: s}, nil
}

type genaiSession struct {
	s    *genai.Session
	send sync.Mutex // the SDK's sends are not safe for concurrent use
}

func (s *genaiSession) Receive(ctx context.Context, handle func(Item) bool) error {
	defer s.s.Close()
	for {
		m, err := s.s.Receive()
		if err != nil {
			return err
		}
		if !deliverServerContent(m.ServerContent, handle) {
			return nil
		}
	}
}

func (s *genaiSession) SendAudio(ctx context.Context, pcm []byte) error {
	s.send.Lock()
	defer s.send.Unlock()
	return s.s.SendRealtimeInput(genai.LiveRealtimeInput{
		Audio: &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: pcm},
	})
}
