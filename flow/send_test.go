package flow_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runner"
)

// drainSent returns every message the flow sent so far.
func drainSent(c *fakeConn) []clientMessage {
	var out []clientMessage
	for {
		select {
		case m := <-c.sent:
			out = append(out, m)
		default:
			return out
		}
	}
}

var (
	pcm16k = &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: []byte{1, 2, 3, 4}}
	jpeg   = &genai.Blob{MIMEType: "image/jpeg", Data: []byte{0xff, 0xd8}}
	// upperPCM is audio with an upper-case MIME type, which is still audio.
	upperPCM = &genai.Blob{MIMEType: "Audio/PCM;rate=16000", Data: []byte{5, 6}}
)

func TestRunSendsQueuedRequests(t *testing.T) {
	typed := &genai.Content{Parts: []*genai.Part{{Text: "What's the weather?"}}} // no role
	tests := []struct {
		name       string
		vadOff     bool
		requests   []livequeue.Request
		wantSent   []clientMessage
		wantEvents []string
	}{
		{
			name:     "typed text: a user event, then a complete user turn",
			requests: []livequeue.Request{{Content: typed}},
			wantSent: []clientMessage{{Content: &genai.LiveClientContent{
				Turns: []*genai.Content{{Role: "user", Parts: typed.Parts}}, TurnComplete: true,
			}}},
			wantEvents: []string{`user role=user text "What's the weather?"`},
		},
		{
			name: "content with audio: sent whole, persisted without the audio",
			requests: []livequeue.Request{{Content: &genai.Content{Role: "user", Parts: []*genai.Part{
				{Text: "Listen:"}, {InlineData: pcm16k},
			}}}},
			wantSent: []clientMessage{{Content: &genai.LiveClientContent{
				Turns: []*genai.Content{{Role: "user", Parts: []*genai.Part{{Text: "Listen:"}, {InlineData: pcm16k}}}}, TurnComplete: true,
			}}},
			wantEvents: []string{`user role=user text "Listen:"`},
		},
		{
			name: "audio in any case is audio: sent whole, persisted without it",
			requests: []livequeue.Request{{Content: &genai.Content{Role: "user", Parts: []*genai.Part{
				{Text: "Listen:"}, {InlineData: upperPCM},
			}}}, {Blob: upperPCM}},
			wantSent: []clientMessage{
				{Content: &genai.LiveClientContent{
					Turns: []*genai.Content{{Role: "user", Parts: []*genai.Part{{Text: "Listen:"}, {InlineData: upperPCM}}}}, TurnComplete: true,
				}},
				{Realtime: &live.RealtimeInput{Audio: upperPCM}},
			},
			wantEvents: []string{`user role=user text "Listen:"`},
		},
		{
			name:     "content of audio only: sent, no user event",
			requests: []livequeue.Request{{Content: &genai.Content{Role: "user", Parts: []*genai.Part{{InlineData: pcm16k}}}}},
			wantSent: []clientMessage{{Content: &genai.LiveClientContent{
				Turns: []*genai.Content{{Role: "user", Parts: []*genai.Part{{InlineData: pcm16k}}}}, TurnComplete: true,
			}}},
		},
		{
			name:     "audio and image blobs as realtime input",
			requests: []livequeue.Request{{Blob: pcm16k}, {Blob: jpeg}},
			wantSent: []clientMessage{
				{Realtime: &live.RealtimeInput{Audio: pcm16k}},
				{Realtime: &live.RealtimeInput{Video: jpeg}},
			},
		},
		{
			name:     "content and blob in one request: both sent, content first",
			requests: []livequeue.Request{{Content: typed, Blob: jpeg}},
			wantSent: []clientMessage{
				{Content: &genai.LiveClientContent{Turns: []*genai.Content{{Role: "user", Parts: typed.Parts}}, TurnComplete: true}},
				{Realtime: &live.RealtimeInput{Video: jpeg}},
			},
			wantEvents: []string{`user role=user text "What's the weather?"`},
		},
		{
			name:       "activity signals with automatic activity detection on are reported, not sent",
			requests:   []livequeue.Request{{ActivityStart: true}, {Blob: pcm16k}, {ActivityEnd: true}},
			wantSent:   []clientMessage{{Realtime: &live.RealtimeInput{Audio: pcm16k}}},
			wantEvents: []string{`assistant error=INVALID_ARGUMENT`, `assistant error=INVALID_ARGUMENT`},
		},
		{
			name:     "activity signals with automatic activity detection off, in request order",
			vadOff:   true,
			requests: []livequeue.Request{{ActivityStart: true, Blob: pcm16k, ActivityEnd: true}},
			wantSent: []clientMessage{
				{Realtime: &live.RealtimeInput{ActivityStart: true}},
				{Realtime: &live.RealtimeInput{Audio: pcm16k}},
				{Realtime: &live.RealtimeInput{ActivityEnd: true}},
			},
		},
		{
			name:     "audio stream end",
			requests: []livequeue.Request{{Blob: pcm16k}, {AudioStreamEnd: true}},
			wantSent: []clientMessage{
				{Realtime: &live.RealtimeInput{Audio: pcm16k}},
				{Realtime: &live.RealtimeInput{AudioStreamEnd: true}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
			p, m := newParams(t)
			if tc.vadOff {
				p.RunConfig.RealtimeInputConfig = &genai.RealtimeInputConfig{
					AutomaticActivityDetection: &genai.AutomaticActivityDetection{Disabled: true},
				}
			}
			for _, r := range tc.requests {
				if err := p.Queue.Send(r); err != nil {
					t.Fatal(err)
				}
			}
			p.Queue.Close()

			res := collect(t, flow.Run(context.Background(), p))

			if res.err != nil {
				t.Errorf("closing the queue ended the run with %v, want no error", res.err)
			}
			if !m.conn.isClosed() {
				t.Error("the connection was not closed")
			}
			if diff := cmp.Diff(tc.wantSent, drainSent(m.conn)); diff != "" {
				t.Errorf("sent messages mismatch (-want +got):\n%s", diff)
			}
			var got []string
			if len(res.events) > 0 {
				got = describeAll(res.events)
			}
			if diff := cmp.Diff(tc.wantEvents, got); diff != "" {
				t.Errorf("events mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if typed.Role != "" {
		t.Errorf("the caller's content was modified: role %q", typed.Role)
	}
}

func TestRunErrorEventsNameTheProblem(t *testing.T) {
	tests := []struct {
		name    string
		request livequeue.Request
		want    []string // substrings of the error message
	}{
		{"activity start with VAD on", livequeue.Request{ActivityStart: true}, []string{"activity start", "RealtimeInputConfig.AutomaticActivityDetection.Disabled"}},
		{"activity end with VAD on", livequeue.Request{ActivityEnd: true}, []string{"activity end", "RealtimeInputConfig.AutomaticActivityDetection.Disabled"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := newParams(t)
			if err := p.Queue.Send(tc.request); err != nil {
				t.Fatal(err)
			}
			p.Queue.Close()
			res := collect(t, flow.Run(context.Background(), p))
			if len(res.events) != 1 {
				t.Fatalf("got events %q, want one error event", describeAll(res.events))
			}
			ev := res.events[0]
			if ev.ErrorCode != flow.ErrorCodeInvalidArgument {
				t.Errorf("ErrorCode = %q, want %q", ev.ErrorCode, flow.ErrorCodeInvalidArgument)
			}
			for _, s := range tc.want {
				if !strings.Contains(ev.ErrorMessage, s) {
					t.Errorf("ErrorMessage %q does not mention %s", ev.ErrorMessage, s)
				}
			}
			if runner.Persist(ev) {
				t.Error("Persist(error event) = true, want false")
			}
		})
	}
}

func TestRunReportsAFailedSendAndGoesOn(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	p, m := newParams(t)
	m.conn.sendErr = func(msg clientMessage) error {
		if msg.Realtime != nil && msg.Realtime.Video != nil {
			return fmt.Errorf("fake: video refused by this model: %w", live.ErrRejected)
		}
		return nil
	}
	for _, b := range []*genai.Blob{jpeg, pcm16k} {
		if err := p.Queue.SendRealtime(b); err != nil {
			t.Fatal(err)
		}
	}
	p.Queue.Close()

	res := collect(t, flow.Run(context.Background(), p))

	if res.err != nil {
		t.Errorf("run ended with %v, want no error", res.err)
	}
	if len(res.events) != 1 || res.events[0].ErrorCode != flow.ErrorCodeInvalidArgument ||
		!strings.Contains(res.events[0].ErrorMessage, "video refused") {
		t.Errorf("got events %q, want one %s event with the backend's reason", describeAll(res.events), flow.ErrorCodeInvalidArgument)
	}
	if diff := cmp.Diff([]clientMessage{{Realtime: &live.RealtimeInput{Audio: pcm16k}}}, drainSent(m.conn)); diff != "" {
		t.Errorf("sent messages mismatch (-want +got):\n%s", diff)
	}
}

func TestRunUserEventPrecedesTheAnswer(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	p, m := newParams(t)
	go func() {
		// The server answers only once the turn arrived.
		select {
		case msg := <-m.conn.sent:
			if msg.Content != nil {
				m.conn.reply(modelText("Hello!"), turnComplete)
			}
		case <-m.conn.closed:
		}
	}()
	if err := p.Queue.SendContent(genai.NewContentFromText("Hi", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
	got := oneTurn(t, p)
	want := []string{
		`user role=user text "Hi"`,
		`assistant partial role=model text "Hello!"`,
		`assistant role=model text "Hello!"`,
		`assistant turnComplete`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
}

// TestRunUserEventPrecedesAnAnswerThatArrivesMidSend plays a server that
// answers before SendContent has returned: the answer must still follow
// the user's event.
func TestRunUserEventPrecedesAnAnswerThatArrivesMidSend(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	for range 20 {
		p, m := newParams(t)
		m.conn.delivered = make(chan *live.Response, 8)
		m.conn.sendErr = func(msg clientMessage) error {
			if msg.Content == nil {
				return nil
			}
			answer := modelText("Hello!")
			m.conn.reply(answer, turnComplete)
			// Let the receive loop read the answer and map it while
			// the send is still in progress.
			for got := range m.conn.delivered {
				if got == answer {
					break
				}
			}
			for range 10 {
				runtime.Gosched()
			}
			return nil
		}
		if err := p.Queue.SendContent(genai.NewContentFromText("Hi", genai.RoleUser)); err != nil {
			t.Fatal(err)
		}
		got := oneTurn(t, p)
		want := []string{
			`user role=user text "Hi"`,
			`assistant partial role=model text "Hello!"`,
			`assistant role=model text "Hello!"`,
			`assistant turnComplete`,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("events mismatch (-want +got):\n%s", diff)
		}
	}
}

func TestRunYieldsNoUserEventForContentTheModelRejects(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	p, m := newParams(t)
	m.conn.checkContent = true
	m.conn.sendErr = func(msg clientMessage) error {
		if msg.Content != nil && msg.Content.Turns[0].Parts[0].Text == "lost" {
			return fmt.Errorf("fake: content refused: %w", live.ErrRejected)
		}
		return nil
	}
	for _, text := range []string{"lost", "kept"} {
		if err := p.Queue.SendContent(genai.NewContentFromText(text, genai.RoleUser)); err != nil {
			t.Fatal(err)
		}
	}
	p.Queue.Close()

	res := collect(t, flow.Run(context.Background(), p))

	if res.err != nil {
		t.Errorf("run ended with %v, want no error", res.err)
	}
	want := []string{`assistant error=INVALID_ARGUMENT`, `user role=user text "kept"`}
	if diff := cmp.Diff(want, describeAll(res.events)); diff != "" {
		t.Fatalf("events mismatch (-want +got):\n%s", diff)
	}
	if msg := res.events[0].ErrorMessage; !strings.Contains(msg, "content refused") {
		t.Errorf("error message %q does not say the content was not sent and why", msg)
	}
	var persisted []string
	for _, ev := range res.events {
		if runner.Persist(ev) {
			persisted = append(persisted, ev.Text())
		}
	}
	if diff := cmp.Diff([]string{"kept"}, persisted); diff != "" {
		t.Errorf("persisted user texts (-want +got):\n%s", diff)
	}
}

// Requests sent from many goroutines at once, with pauses that let the
// run's sender go idle and start again, all reach the connection, each
// sender's in its order, and closing the queue ends the run after them.
func TestRunSendsEverythingFromConcurrentSenders(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	p, m := newParams(t)
	const senders, each = 4, 200
	done := make(chan result, 1)
	go func() { done <- collect(t, flow.Run(context.Background(), p)) }()

	var wg sync.WaitGroup
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				chunk := &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: []byte{byte(s), byte(i >> 8), byte(i), 0}}
				if err := p.Queue.SendRealtime(chunk); err != nil {
					t.Errorf("sender %d, chunk %d: %v", s, i, err)
					return
				}
				if i%50 == 49 {
					time.Sleep(time.Millisecond) // let the sender drain and stop
				}
			}
		}()
	}
	wg.Wait()
	p.Queue.Close()
	if res := <-done; res.err != nil {
		t.Fatalf("run ended with %v", res.err)
	}

	next := make([]int, senders)
	for range senders * each {
		var msg clientMessage
		select {
		case msg = <-m.conn.sent:
		default:
			t.Fatalf("the connection got %d chunks, want %d", sum(next), senders*each)
		}
		d := msg.Realtime.Audio.Data
		s, i := int(d[0]), int(d[1])<<8|int(d[2])
		if i != next[s] {
			t.Fatalf("sender %d: chunk %d arrived when %d was due", s, i, next[s])
		}
		next[s]++
	}
	if !m.conn.isClosed() {
		t.Error("the connection was not closed after the queue was")
	}
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
