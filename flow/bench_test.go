package flow_test

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/flow/live"
)

// repeatConn returns the same message n times, then errEndOfBenchmark.
type repeatConn struct {
	resp *live.Response
	n    int
}

var errEndOfBenchmark = errors.New("end of benchmark")

func (c *repeatConn) Receive(context.Context) (*live.Response, error) {
	if c.n == 0 {
		return nil, errEndOfBenchmark
	}
	c.n--
	return c.resp, nil
}
func (c *repeatConn) SendContent(context.Context, *genai.LiveClientContent) error { return nil }
func (c *repeatConn) SendRealtime(context.Context, *live.RealtimeInput) error     { return nil }
func (c *repeatConn) SendToolResponse(context.Context, *genai.LiveClientToolResponse) error {
	return nil
}
func (c *repeatConn) SessionID() string { return "" }
func (c *repeatConn) Close() error      { return nil }

type repeatModel struct{ conn live.Conn }

func (m repeatModel) Name() string { return "repeat" }
func (m repeatModel) Connect(context.Context, *live.ConnectRequest) (live.Conn, error) {
	return m.conn, nil
}

// BenchmarkRunAudio measures one model audio chunk through a whole run:
// mapping, the hand-off to the consumer, and the consumer's loop.
func BenchmarkRunAudio(b *testing.B) {
	audio := modelAudio(make([]byte, 9600)...)
	p, _ := newParams(b)
	p.Model = repeatModel{conn: &repeatConn{resp: audio, n: b.N}}
	b.ReportAllocs()
	b.ResetTimer()
	events := 0
	for _, err := range flow.Run(context.Background(), p) {
		if err != nil {
			if !errors.Is(err, errEndOfBenchmark) {
				b.Fatal(err)
			}
			continue
		}
		events++
	}
	if events != b.N {
		b.Fatalf("got %d events, want %d", events, b.N)
	}
}

// sinkConn signals each realtime send and blocks Receive until Close, as
// a connection to a model that is listening would.
type sinkConn struct {
	repeatConn
	sent      chan struct{}
	closed    chan struct{}
	closeOnce sync.Once
}

func (c *sinkConn) Receive(context.Context) (*live.Response, error) {
	<-c.closed
	return nil, net.ErrClosed
}

func (c *sinkConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return nil
}

func (c *sinkConn) SendRealtime(context.Context, *live.RealtimeInput) error {
	c.sent <- struct{}{}
	return nil
}

// BenchmarkQueueToSend measures one 40 ms chunk of 16 kHz audio from
// Queue.SendRealtime to the connection's SendRealtime: validation, the
// queue, the hand-off to the sender and its mapping to a live.RealtimeInput.
func BenchmarkQueueToSend(b *testing.B) {
	p, _ := newParams(b)
	conn := &sinkConn{sent: make(chan struct{}, 64), closed: make(chan struct{})}
	p.Model = repeatModel{conn: conn}
	chunk := &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: make([]byte, 1280)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range flow.Run(ctx, p) {
		}
	}()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := p.Queue.SendRealtime(chunk); err != nil {
			b.Fatal(err)
		}
		<-conn.sent
	}
	b.StopTimer()
	cancel()
	<-done
}

// batchConn signals every batch realtime sends.
type batchConn struct {
	sinkConn
	n, batch int
	sent     chan struct{}
}

func (c *batchConn) SendRealtime(context.Context, *live.RealtimeInput) error {
	if c.n++; c.n%c.batch == 0 {
		c.sent <- struct{}{}
	}
	return nil
}

// BenchmarkQueueToSendBatch measures the flow's share of the upstream
// audio cost when chunks arrive faster than one at a time, as when a
// caller catches up after a pause: batches of 16 queued back to back,
// drained by the sender together.
func BenchmarkQueueToSendBatch(b *testing.B) {
	const batch = 16
	p, _ := newParams(b)
	conn := &batchConn{sinkConn: sinkConn{closed: make(chan struct{})}, batch: batch, sent: make(chan struct{}, 1)}
	p.Model = repeatModel{conn: conn}
	chunk := &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: make([]byte, 1280)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range flow.Run(ctx, p) {
		}
	}()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 1; i <= b.N; i++ {
		if err := p.Queue.SendRealtime(chunk); err != nil {
			b.Fatal(err)
		}
		if i%batch == 0 {
			<-conn.sent
		}
	}
	b.StopTimer()
	cancel()
	<-done
}
