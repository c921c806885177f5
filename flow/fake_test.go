package flow_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/livequeue"
)

// fakeModel is an in-process live.Model whose connections are fakeConns.
type fakeModel struct {
	conn       *fakeConn
	connectErr error
	backend    genai.Backend // reported by Backend when set

	mu  sync.Mutex
	req *live.ConnectRequest
}

func (m *fakeModel) Name() string { return "fake-live-model" }

func (m *fakeModel) Connect(ctx context.Context, req *live.ConnectRequest) (live.Conn, error) {
	m.mu.Lock()
	m.req = req
	m.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if m.connectErr != nil {
		return nil, m.connectErr
	}
	return m.conn, nil
}

// request returns the connect request the model received, or nil.
func (m *fakeModel) request() *live.ConnectRequest {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.req
}

// backendModel is a fakeModel that reports its backend.
type backendModel struct{ *fakeModel }

func (m backendModel) Backend() genai.Backend { return m.backend }

// clientMessage is one message a fakeConn was sent; exactly one field is
// set.
type clientMessage struct {
	Content      *genai.LiveClientContent
	Realtime     *live.RealtimeInput
	ToolResponse *genai.LiveClientToolResponse
}

// received is what one Receive call returns.
type received struct {
	resp *live.Response
	err  error
}

// fakeConn is an in-process live.Conn. The test plays the server: it
// queues what Receive returns with reply and end, and reads what the flow
// sent from sent.
type fakeConn struct {
	sessionID string
	sendErr   func(clientMessage) error // nil: every send succeeds
	// checkContent makes CheckContent ask sendErr (see CheckContent).
	checkContent bool
	// delivered, when not nil, receives every message Receive hands out.
	delivered chan *live.Response

	recv      chan received
	sent      chan clientMessage
	closed    chan struct{}
	closeOnce sync.Once
}

func newFakeConn() *fakeConn {
	return &fakeConn{
		recv:   make(chan received, 1024),
		sent:   make(chan clientMessage, 1024),
		closed: make(chan struct{}),
	}
}

// reply queues server messages for Receive.
func (c *fakeConn) reply(resps ...*live.Response) {
	for _, r := range resps {
		c.recv <- received{resp: r}
	}
}

// end makes Receive return err once the queued messages are read, as when
// the server closes the connection.
func (c *fakeConn) end(err error) { c.recv <- received{err: err} }

func (c *fakeConn) Receive(ctx context.Context) (*live.Response, error) {
	select {
	case <-c.closed:
		return nil, fmt.Errorf("fake: connection closed: %w", net.ErrClosed)
	default:
	}
	select {
	case r := <-c.recv:
		if c.delivered != nil && r.resp != nil {
			c.delivered <- r.resp
		}
		return r.resp, r.err
	case <-c.closed:
		return nil, fmt.Errorf("fake: connection closed: %w", net.ErrClosed)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *fakeConn) record(ctx context.Context, m clientMessage) error {
	select {
	case <-c.closed:
		return fmt.Errorf("fake: connection closed: %w", net.ErrClosed)
	default:
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.sendErr != nil {
		if err := c.sendErr(m); err != nil {
			return err
		}
	}
	c.sent <- m
	return nil
}

func (c *fakeConn) SendContent(ctx context.Context, cc *genai.LiveClientContent) error {
	return c.record(ctx, clientMessage{Content: cc})
}

func (c *fakeConn) SendRealtime(ctx context.Context, in *live.RealtimeInput) error {
	return c.record(ctx, clientMessage{Realtime: in})
}

func (c *fakeConn) SendToolResponse(ctx context.Context, r *genai.LiveClientToolResponse) error {
	return c.record(ctx, clientMessage{ToolResponse: r})
}

// CheckContent asks sendErr when checkContent is set, so content it
// refuses with live.ErrRejected is refused before the flow yields the
// user's turn.
func (c *fakeConn) CheckContent(cc *genai.LiveClientContent) error {
	if c.checkContent && c.sendErr != nil {
		if err := c.sendErr(clientMessage{Content: cc}); errors.Is(err, live.ErrRejected) {
			return err
		}
	}
	return nil
}

func (c *fakeConn) SessionID() string { return c.sessionID }

func (c *fakeConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return nil
}

// isClosed reports whether the flow closed the connection.
func (c *fakeConn) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

// errServerClosed stands for a backend error that ends the connection for
// good (not retryable).
var errServerClosed = &backendError{msg: "fake: server closed the connection"}

// backendError is a backend error with the Retryable and Quota methods
// backends provide.
type backendError struct {
	msg       string
	retryable bool
}

func (e *backendError) Error() string   { return e.msg }
func (e *backendError) Retryable() bool { return e.retryable }
func (e *backendError) Quota() bool     { return false }

// newParams returns the Params of a run of agent "assistant" on a new
// fake connection with a new claimed queue.
func newParams(t testing.TB) (flow.Params, *fakeModel) {
	t.Helper()
	q := livequeue.New()
	if err := q.Claim(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	m := &fakeModel{conn: newFakeConn()}
	return flow.Params{
		Model:        m,
		Author:       "assistant",
		InvocationID: "e-test",
		Branch:       "assistant",
		Queue:        q,
		Logger:       slog.New(slog.DiscardHandler),
	}, m
}

// result is everything a run yielded.
type result struct {
	events []*event.Event
	err    error // the error that ended the run
	errs   int   // how many errors were yielded
}

// oneTurn runs p, closing its queue once the model completes a turn, and
// returns every event described (see describe). An error ending the run
// fails the test.
func oneTurn(t *testing.T, p flow.Params) []string {
	t.Helper()
	var got []string
	for ev, err := range flow.Run(context.Background(), p) {
		if err != nil {
			t.Fatalf("run ended with %v", err)
		}
		got = append(got, describe(ev))
		if ev.TurnComplete {
			p.Queue.Close()
		}
	}
	return got
}

// collect ranges over a run to its end.
func collect(t *testing.T, seq func(func(*event.Event, error) bool)) result {
	t.Helper()
	var r result
	for ev, err := range seq {
		if err != nil {
			r.err = err
			r.errs++
			continue
		}
		if ev == nil {
			t.Error("the run yielded a nil event with a nil error")
			continue
		}
		r.events = append(r.events, ev)
	}
	return r
}

// content returns a serverContent message.
func content(sc *genai.LiveServerContent) *live.Response {
	return &live.Response{ServerContent: sc}
}

// modelText returns a serverContent message with one model text part.
func modelText(s string) *live.Response {
	return content(&genai.LiveServerContent{ModelTurn: &genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{{Text: s}}}})
}

// modelAudio returns a serverContent message with one model audio chunk.
func modelAudio(pcm ...byte) *live.Response {
	return content(&genai.LiveServerContent{ModelTurn: &genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{
		{InlineData: &genai.Blob{MIMEType: "audio/pcm;rate=24000", Data: pcm}},
	}}})
}

func inputTranscript(s string, finished bool) *live.Response {
	return content(&genai.LiveServerContent{InputTranscription: &genai.Transcription{Text: s, Finished: finished}})
}

func outputTranscript(s string) *live.Response {
	return content(&genai.LiveServerContent{OutputTranscription: &genai.Transcription{Text: s}})
}

var (
	turnComplete       = content(&genai.LiveServerContent{TurnComplete: true})
	interrupted        = content(&genai.LiveServerContent{Interrupted: true})
	generationComplete = content(&genai.LiveServerContent{GenerationComplete: true})
)

// isErr reports whether err is or wraps target, for use in conditions.
func isErr(err, target error) bool { return errors.Is(err, target) }
