package adapter

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/coder/websocket"
	"google.golang.org/genai"
)

// geminiPath is the service path the Gemini API clients append to their
// base URL.
const geminiPath = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"

// dialFloor opens a bare coder/websocket connection and does the setup
// handshake: the part both floors share, outside the measured loop.
func dialFloor(ctx context.Context, baseURL string) (*websocket.Conn, error) {
	h := http.Header{"x-goog-api-key": {APIKey}}
	c, _, err := websocket.Dial(ctx, strings.TrimSuffix(baseURL, "/")+geminiPath, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		return nil, err
	}
	c.SetReadLimit(1 << 20)
	setup := []byte(`{"setup":{"model":"models/` + ModelName + `","generationConfig":{"responseModalities":["AUDIO"]}}}`)
	if err := c.Write(ctx, websocket.MessageText, setup); err != nil {
		return nil, err
	}
	if _, _, err := c.Read(ctx); err != nil {
		return nil, fmt.Errorf("reading setupComplete: %w", err)
	}
	return c, nil
}

// readInto reads the next message into buf, reusing its storage.
func readInto(ctx context.Context, c *websocket.Conn, buf *bytes.Buffer) error {
	_, r, err := c.Reader(ctx)
	if err != nil {
		return err
	}
	buf.Reset()
	_, err = buf.ReadFrom(r)
	return err
}

// Transport is the transport floor: coder/websocket reads each message
// into a reused buffer and nothing decodes it.
type Transport struct{}

// Name implements Adapter.
func (Transport) Name() string { return "transport" }

// Open implements Adapter.
func (Transport) Open(ctx context.Context, baseURL string) (Session, error) {
	c, err := dialFloor(ctx, baseURL)
	if err != nil {
		return nil, err
	}
	return &transportSession{c: c}, nil
}

type transportSession struct{ c *websocket.Conn }

func (s *transportSession) Receive(ctx context.Context, handle func(Item) bool) error {
	defer s.c.CloseNow()
	var buf bytes.Buffer
	for {
		if err := readInto(ctx, s.c, &buf); err != nil {
			return err
		}
		if !handle(Item{Kind: Raw, Data: buf.Bytes()}) {
			s.c.Close(websocket.StatusNormalClosure, "")
			return nil
		}
	}
}

func (s *transportSession) SendAudio(context.Context, []byte) error { return ErrUnsupported }

// JSON is the encoding/json floor: coder/websocket reads each message into
// a reused buffer and encoding/json decodes it into a
// genai.LiveServerMessage; upstream audio is a genai.LiveClientMessage
// encoded by json.Marshal.
type JSON struct{}

// Name implements Adapter.
func (JSON) Name() string { return "json" }

// Open implements Adapter.
func (JSON) Open(ctx context.Context, baseURL string) (Session, error) {
	c, err := dialFloor(ctx, baseURL)
	if err != nil {
		return nil, err
	}
	return &jsonSession{c: c}, nil
}

type jsonSession struct{ c *websocket.Conn }

func (s *jsonSession) Receive(ctx context.Context, handle func(Item) bool) error {
	defer s.c.CloseNow()
	var buf bytes.Buffer
	for {
		if err := readInto(ctx, s.c, &buf); err != nil {
			return err
		}
		var m genai.LiveServerMessage
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			return err
		}
		if !deliverServerContent(m.ServerContent, handle) {
			s.c.Close(websocket.StatusNormalClosure, "")
			return nil
		}
	}
}

func (s *jsonSession) SendAudio(ctx context.Context, pcm []byte) error {
	data, err := json.Marshal(&realtimeAudio{RealtimeInput: realtimeInput{
		Audio: &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: pcm},
	}})
	if err != nil {
		return err
	}
	return s.c.Write(ctx, websocket.MessageText, data)
}

// realtimeAudio is a realtimeInput message with audio. genai has no type
// for it: its LiveClientRealtimeInput predates the audio field, and the SDK
// builds the message as a map.
type realtimeAudio struct {
	RealtimeInput realtimeInput `json:"realtimeInput"`
}

type realtimeInput struct {
	Audio *genai.Blob `json:"audio"`
}

// deliverServerContent hands the audio parts and the turn end of sc to
// handle, and reports whether handle wants more.
func deliverServerContent(sc *genai.LiveServerContent, handle func(Item) bool) bool {
	if sc == nil {
		return true
	}
	if sc.ModelTurn != nil {
		for _, p := range sc.ModelTurn.Parts {
			if p.InlineData != nil && !handle(Item{Kind: Audio, Data: p.InlineData.Data}) {
				return false
			}
		}
	}
	if sc.TurnComplete {
		return handle(Item{Kind: TurnComplete})
	}
	return true
}
