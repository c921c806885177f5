package flow_test

import (
	"context"
	"errors"
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/flow"
)

// repeatConn returns the same message n times, then errEndOfBenchmark.
type repeatConn struct {
	resp *flow.Response
	n    int
}

var errEndOfBenchmark = errors.New("end of benchmark")

func (c *repeatConn) Receive(context.Context) (*flow.Response, error) {
	if c.n == 0 {
		return nil, errEndOfBenchmark
	}
	c.n--
	return c.resp, nil
}
func (c *repeatConn) SendContent(context.Context, *genai.LiveClientContent) error { return nil }
func (c *repeatConn) SendRealtime(context.Context, *flow.RealtimeInput) error     { return nil }
func (c *repeatConn) SendToolResponse(context.Context, *genai.LiveClientToolResponse) error {
	return nil
}
func (c *repeatConn) SessionID() string { return "" }
func (c *repeatConn) Close() error      { return nil }

type repeatModel struct{ conn flow.Conn }

func (m repeatModel) Name() string { return "repeat" }
func (m repeatModel) Connect(context.Context, *flow.ConnectRequest) (flow.Conn, error) {
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
