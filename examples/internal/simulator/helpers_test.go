package simulator

import (
	"context"
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
)

// fast is a Responder setting without pacing, for tests that do not
// interrupt.
var fast = Options{TextDelay: -1, AudioLead: -1}

// dial starts a simulator with opts and connects a gemini model to it with
// setup and history. Everything is closed, and goroutines checked, at the
// end of the test.
func dial(t *testing.T, opts Options, setup *genai.LiveClientSetup, history ...*genai.Content) live.Conn {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	srv := livetest.NewServer(livetest.WithResponder(NewResponder(opts)))
	t.Cleanup(srv.Close)
	m, err := gemini.NewModel(context.Background(), "gemini-2.5-flash-native-audio-preview-12-2025",
		&gemini.Config{Backend: genai.BackendGeminiAPI, APIKey: "k", BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := m.Connect(ctx, &live.ConnectRequest{Setup: setup, History: history})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// textSetup and audioSetup are the setups the demo sends, without tools.
func textSetup() *genai.LiveClientSetup {
	return &genai.LiveClientSetup{GenerationConfig: &genai.GenerationConfig{ResponseModalities: []genai.Modality{genai.ModalityText}}}
}

func audioSetup() *genai.LiveClientSetup {
	return &genai.LiveClientSetup{
		GenerationConfig:         &genai.GenerationConfig{ResponseModalities: []genai.Modality{genai.ModalityAudio}},
		InputAudioTranscription:  &genai.AudioTranscriptionConfig{},
		OutputAudioTranscription: &genai.AudioTranscriptionConfig{},
	}
}

func withTimeTool(s *genai.LiveClientSetup) *genai.LiveClientSetup {
	s.Tools = []*genai.Tool{{FunctionDeclarations: []*genai.FunctionDeclaration{{Name: TimeToolName, Description: "Returns the current time."}}}}
	return s
}

func sendText(t *testing.T, conn live.Conn, text string) {
	t.Helper()
	err := conn.SendContent(context.Background(), &genai.LiveClientContent{
		Turns:        []*genai.Content{genai.NewContentFromText(text, genai.RoleUser)},
		TurnComplete: true,
	})
	if err != nil {
		t.Fatal(err)
	}
}

// turn is what the client received in one model turn.
type turn struct {
	text          strings.Builder
	transcript    strings.Builder
	inputText     strings.Builder
	audio         []byte
	audioMIME     string
	calls         []*genai.FunctionCall
	interrupted   bool
	generationEnd bool
	usage         *genai.UsageMetadata
}

// receiveTurn reads until turnComplete, or until the first toolCall when
// stopAtToolCall is set.
func receiveTurn(t *testing.T, conn live.Conn, stopAtToolCall bool) *turn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var got turn
	for {
		r, err := conn.Receive(ctx)
		if err != nil {
			t.Fatalf("receive: %v", err)
		}
		if r.UsageMetadata != nil {
			got.usage = r.UsageMetadata
		}
		if r.ToolCall != nil {
			got.calls = append(got.calls, r.ToolCall.FunctionCalls...)
			if stopAtToolCall {
				return &got
			}
		}
		sc := r.ServerContent
		if sc == nil {
			continue
		}
		if sc.ModelTurn != nil {
			for _, p := range sc.ModelTurn.Parts {
				got.text.WriteString(p.Text)
				if p.InlineData != nil {
					got.audio = append(got.audio, p.InlineData.Data...)
					got.audioMIME = p.InlineData.MIMEType
				}
			}
		}
		if sc.OutputTranscription != nil {
			got.transcript.WriteString(sc.OutputTranscription.Text)
		}
		if sc.InputTranscription != nil {
			got.inputText.WriteString(sc.InputTranscription.Text)
		}
		got.interrupted = got.interrupted || sc.Interrupted
		got.generationEnd = got.generationEnd || sc.GenerationComplete
		if sc.TurnComplete {
			return &got
		}
	}
}

// rms returns the level of PCM16LE audio as a fraction of full scale.
func rms(pcm []byte) float64 {
	n := len(pcm) / 2
	if n == 0 {
		return 0
	}
	var sum float64
	for i := range n {
		v := float64(int16(binary.LittleEndian.Uint16(pcm[2*i:])))
		sum += v * v
	}
	return math.Sqrt(sum/float64(n)) / math.MaxInt16
}
