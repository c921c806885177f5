package gemini

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/coder/websocket"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
)

// Benchmarks of the wire codec on the hot frames, each beside its floor:
// what encoding/json (and a bare coder/websocket connection) cost for the
// same frame. See BENCHMARKS.md for the numbers.

const (
	// audioOutBytes is 40 ms of 24 kHz PCM16 mono, one server audio chunk.
	audioOutBytes = 24000 * 2 * 40 / 1000
	// audioInBytes is 100 ms of 16 kHz PCM16 mono, one client audio chunk.
	audioInBytes = 16000 * 2 * 100 / 1000
)

func BenchmarkDecodeAudioFrame(b *testing.B) {
	frame := audioFrame(audioOutBytes)
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := decodeServerMessage(frame)
		if err != nil || len(r.ServerContent.ModelTurn.Parts[0].InlineData.Data) != audioOutBytes {
			b.Fatal("bad decode", err)
		}
	}
}

// BenchmarkDecodeAudioFrameGeneral is the general decoder alone on the same
// frame, to show what the fast path saves.
func BenchmarkDecodeAudioFrameGeneral(b *testing.B) {
	frame := audioFrame(audioOutBytes)
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeGeneral(frame); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeAudioFrameFloor is encoding/json decoding the same frame
// into genai.LiveServerMessage.
func BenchmarkDecodeAudioFrameFloor(b *testing.B) {
	frame := audioFrame(audioOutBytes)
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		var m genai.LiveServerMessage
		if err := json.Unmarshal(frame, &m); err != nil {
			b.Fatal(err)
		}
	}
}

var textFrame = []byte("{\n  \"serverContent\": {\n    \"outputTranscription\": {\n      \"text\": \" could talk about anything you like.\"\n    }\n  }\n}\n")

func BenchmarkDecodeTranscriptionFrame(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeServerMessage(textFrame); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeTranscriptionFrameFloor(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var m genai.LiveServerMessage
		if err := json.Unmarshal(textFrame, &m); err != nil {
			b.Fatal(err)
		}
	}
}

// turnCompleteFrame is the last frame of a turn: turnComplete with usage.
// It takes the general decoder.
var turnCompleteFrame = []byte(`{"serverContent":{"turnComplete":true},"usageMetadata":{"promptTokenCount":515,` +
	`"responseTokenCount":31,"totalTokenCount":546,"promptTokensDetails":[{"modality":"TEXT","tokenCount":515}],` +
	`"responseTokensDetails":[{"modality":"AUDIO","tokenCount":31}]}}`)

func BenchmarkDecodeTurnCompleteFrame(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeServerMessage(turnCompleteFrame); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeTurnCompleteFrameFloor(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var m genai.LiveServerMessage
		if err := json.Unmarshal(turnCompleteFrame, &m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeAudioInput(b *testing.B) {
	in := &live.RealtimeInput{Audio: &genai.Blob{Data: pcm(audioInBytes), MIMEType: "audio/pcm;rate=16000"}}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = appendRealtimeInput(buf[:0], in, false); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
}

// BenchmarkEncodeAudioInputFloor is encoding/json encoding the same
// message from genai types.
func BenchmarkEncodeAudioInputFloor(b *testing.B) {
	type realtimeInput struct {
		Audio *genai.Blob `json:"audio,omitempty"`
	}
	msg := struct {
		RealtimeInput realtimeInput `json:"realtimeInput"`
	}{realtimeInput{Audio: &genai.Blob{Data: pcm(audioInBytes), MIMEType: "audio/pcm;rate=16000"}}}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		data, err := json.Marshal(msg)
		if err != nil {
			b.Fatal(err)
		}
		n = len(data)
	}
	b.SetBytes(int64(n))
}

// streamServer answers setup with setupComplete, then sends frame over and
// over until the client goes away.
func streamServer(b *testing.B, frame []byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		ctx := r.Context()
		if _, _, err := c.Read(ctx); err != nil {
			return
		}
		if err := c.Write(ctx, websocket.MessageBinary, []byte(`{"setupComplete":{}}`)); err != nil {
			return
		}
		for {
			if err := c.Write(ctx, websocket.MessageBinary, frame); err != nil {
				return
			}
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkReceiveAudioFrame is Conn.Receive over a loopback WebSocket:
// read, decode, and the bookkeeping around them. It receives with a context
// that cannot be cancelled, as flow.Run's receive loop does (a run ends by
// closing the connection).
func BenchmarkReceiveAudioFrame(b *testing.B) {
	frame := audioFrame(audioOutBytes)
	srv := streamServer(b, frame)
	m := newTestModel(b, srv.URL, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fc, err := m.Connect(ctx, &live.ConnectRequest{})
	if err != nil {
		b.Fatal(err)
	}
	c := fc.(*Conn)
	defer c.ws.CloseNow()
	ctx = context.WithoutCancel(ctx)
	if _, err := c.Receive(ctx); err != nil { // setupComplete
		b.Fatal(err)
	}
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := c.Receive(ctx)
		if err != nil || r.ServerContent == nil {
			b.Fatal("bad receive", err)
		}
	}
}

// BenchmarkReceiveAudioFrameFloor is a bare coder/websocket read plus an
// encoding/json decode into genai.LiveServerMessage, over the same
// loopback connection.
func BenchmarkReceiveAudioFrameFloor(b *testing.B) {
	frame := audioFrame(audioOutBytes)
	srv := streamServer(b, frame)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, _, err := websocket.Dial(ctx, srv.URL, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.CloseNow()
	c.SetReadLimit(DefaultReadLimit)
	if err := c.Write(ctx, websocket.MessageText, []byte(`{"setup":{}}`)); err != nil {
		b.Fatal(err)
	}
	if _, _, err := c.Read(ctx); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		_, data, err := c.Read(ctx)
		if err != nil {
			b.Fatal(err)
		}
		var m genai.LiveServerMessage
		if err := json.Unmarshal(data, &m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSendAudioInput is Conn.SendRealtime of one 100 ms audio chunk
// over a loopback WebSocket.
func BenchmarkSendAudioInput(b *testing.B) {
	srv := sinkServer(b)
	m := newTestModel(b, srv.URL, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, err := m.Connect(ctx, &live.ConnectRequest{})
	if err != nil {
		b.Fatal(err)
	}
	defer c.(*Conn).ws.CloseNow()
	in := &live.RealtimeInput{Audio: &genai.Blob{Data: pcm(audioInBytes), MIMEType: "audio/pcm;rate=16000"}}
	b.ReportAllocs()
	for b.Loop() {
		if err := c.SendRealtime(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSendAudioInputFloor is encoding/json plus a bare coder/websocket
// write of the same message.
func BenchmarkSendAudioInputFloor(b *testing.B) {
	srv := sinkServer(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, _, err := websocket.Dial(ctx, srv.URL, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.CloseNow()
	if err := c.Write(ctx, websocket.MessageText, []byte(`{"setup":{}}`)); err != nil {
		b.Fatal(err)
	}
	type realtimeInput struct {
		Audio *genai.Blob `json:"audio,omitempty"`
	}
	msg := struct {
		RealtimeInput realtimeInput `json:"realtimeInput"`
	}{realtimeInput{Audio: &genai.Blob{Data: pcm(audioInBytes), MIMEType: "audio/pcm;rate=16000"}}}
	b.ReportAllocs()
	for b.Loop() {
		data, err := json.Marshal(msg)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Write(ctx, websocket.MessageText, data); err != nil {
			b.Fatal(err)
		}
	}
}

// sinkServer answers setup, then reads and discards everything.
func sinkServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.SetReadLimit(-1)
		ctx := r.Context()
		if _, _, err := c.Read(ctx); err != nil {
			return
		}
		if err := c.Write(ctx, websocket.MessageBinary, []byte(`{"setupComplete":{}}`)); err != nil {
			return
		}
		buf := make([]byte, 64<<10)
		for {
			_, rd, err := c.Reader(ctx)
			if err != nil {
				return
			}
			for {
				if _, err := rd.Read(buf); err != nil {
					break
				}
			}
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}
