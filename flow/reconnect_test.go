package flow_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/tool"
)

// fastReconnect is textConfig with a short, jitter-free reconnection
// schedule, so backoffs show on timestamps without slowing the tests.
func fastReconnect() runconfig.RunConfig {
	cfg := textConfig
	cfg.Reconnect = runconfig.ReconnectPolicy{
		MaxAttempts: 3, InitialBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
		Jitter: runconfig.NoJitter, QuotaInitialBackoff: 300 * time.Millisecond, QuotaMaxBackoff: time.Second,
	}
	return cfg
}

// sendText queues a user turn.
func sendText(t *testing.T, p flow.Params, s string) {
	t.Helper()
	if err := p.Queue.SendContent(genai.NewContentFromText(s, genai.RoleUser)); err != nil {
		t.Error(err)
	}
}

// userTexts returns the user's text turns of a conversation.
func userTexts(conv []*genai.Content) []string {
	var out []string
	for _, c := range conv {
		if c.Role != genai.RoleUser {
			continue
		}
		for _, p := range c.Parts {
			if p.Text != "" {
				out = append(out, p.Text)
			}
		}
	}
	return out
}

// reconnects returns the Reconnect events of a run.
func reconnects(events []*event.Event) []*event.Event {
	var out []*event.Event
	for _, ev := range events {
		if ev.Reconnect != nil {
			out = append(out, ev)
		}
	}
	return out
}

// runUntilText runs p, sending after on the run's first successful
// reconnection, and closes the queue once a non-partial model text
// containing last arrives.
func runUntilText(t *testing.T, ctx context.Context, p flow.Params, after, last string) result {
	t.Helper()
	var res result
	for ev, err := range flow.Run(ctx, p) {
		if err != nil {
			res.err = err
			res.errs++
			continue
		}
		res.events = append(res.events, ev)
		switch {
		case ev.Reconnect != nil && ev.Reconnect.State == event.ReconnectSucceeded && after != "":
			sendText(t, p, after)
			after = ""
		case !ev.Partial && ev.Author != event.AuthorUser && strings.Contains(ev.Text(), last):
			p.Queue.Close()
		}
	}
	return res
}

func TestReconnectAfterARetryableEnd(t *testing.T) {
	tests := []struct {
		name  string
		fault livetest.Step
		cause string
	}{
		{"abnormal drop (1006)", livetest.Drop(), "1006"},
		{"internal error (1011)", livetest.CloseWith(websocket.StatusInternalError, "Internal error occurred."), "1011"},
		{"unexpected normal closure (1000)", livetest.CloseWith(websocket.StatusNormalClosure, "The operation was cancelled."), "1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, p := newLive(t, fastReconnect())
			srv.Reply(livetest.Text("Hello"), livetest.Delay(50*time.Millisecond), tt.fault)
			sendText(t, p, "Hi")

			res := runUntilText(t, t.Context(), p, "Still there?", "echo: Still there?")

			if res.err != nil {
				t.Fatalf("run ended with %v, want it to reconnect and go on", res.err)
			}
			rc := reconnects(res.events)
			if len(rc) != 2 || rc[0].Reconnect.State != event.ReconnectStarted || rc[1].Reconnect.State != event.ReconnectSucceeded {
				t.Fatalf("reconnect events %s, want started then succeeded", describeAll(rc))
			}
			if !strings.Contains(rc[0].Reconnect.Cause, tt.cause) || rc[0].Reconnect.Attempt != 1 {
				t.Errorf("started event %+v, want attempt 1 with a cause naming %s", rc[0].Reconnect, tt.cause)
			}
			if !rc[1].Reconnect.Resumed {
				t.Error("the reconnection did not resume the session from its handle")
			}
			merged := false
			for _, ev := range res.events {
				merged = merged || !ev.Partial && ev.Text() == "Hello"
			}
			if !merged {
				t.Errorf("the text said before the drop was not yielded as merged text:\n%s", strings.Join(describeAll(res.events), "\n"))
			}
			first, second := session(t, srv), waitSession(t, srv, 1)
			if second.ResumedFrom() == "" {
				t.Error("the second connection did not resume from a handle")
			}
			// The handle predates the user's turn: the resumed session
			// gets it again, then the turn sent after the reconnection,
			// each once.
			if diff := cmpDiff([]string{"Hi", "Still there?"}, userTexts(second.Conversation())); diff != "" {
				t.Errorf("user turns of the resumed session (-want +got):\n%s", diff)
			}
			if got := userTexts(first.Conversation()); len(got) != 1 {
				t.Errorf("first session got user turns %q, want only the first", got)
			}
		})
	}
}

func TestReconnectFatalCloseEndsTheRun(t *testing.T) {
	tests := []struct {
		name   string
		code   websocket.StatusCode
		reason string
	}{
		{"invalid argument (1007)", websocket.StatusInvalidFramePayloadData, "Request contains an invalid argument."},
		{"model not found (1008)", websocket.StatusPolicyViolation,
			"models/x is not found for API version v1beta, or is not supported for bidiGenerateContent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, p := newLive(t, fastReconnect())
			srv.Reply(livetest.CloseWith(tt.code, tt.reason))
			sendText(t, p, "Hi")

			res := collect(t, flow.Run(t.Context(), p))

			var ce *gemini.CloseError
			if !errors.As(res.err, &ce) || ce.Code != tt.code || ce.Reason != tt.reason {
				t.Fatalf("run ended with %v, want the server's close error %d %q", res.err, tt.code, tt.reason)
			}
			if rc := reconnects(res.events); len(rc) != 0 {
				t.Errorf("reconnect events %s after a fatal close", describeAll(rc))
			}
			if n := len(srv.Sessions()); n != 1 {
				t.Errorf("%d connections, want 1", n)
			}
		})
	}
}

func TestReconnectBacksOffLongerAfterAQuotaError(t *testing.T) {
	srv, p := newLive(t, fastReconnect())
	srv.Reply(livetest.CloseWith(websocket.StatusInternalError, "You exceeded your current quota, please check your plan."))
	sendText(t, p, "Hi")

	res := runUntilText(t, t.Context(), p, "Again", "echo: Again")

	if res.err != nil {
		t.Fatalf("run ended with %v", res.err)
	}
	rc := reconnects(res.events)
	if len(rc) != 2 {
		t.Fatalf("reconnect events %s, want started and succeeded", describeAll(rc))
	}
	want := p.RunConfig.Reconnect.QuotaInitialBackoff
	if got := rc[0].Reconnect.Backoff; got != want {
		t.Errorf("backoff after a quota error = %v, want QuotaInitialBackoff %v", got, want)
	}
	if waited := rc[1].Timestamp.Sub(rc[0].Timestamp); waited < want {
		t.Errorf("reconnected %v after the drop, before the %v backoff", waited, want)
	}
	_ = srv
}

func TestGoAwayHandsOverAtTheTurnBoundary(t *testing.T) {
	srv, p := newLive(t, fastReconnect())
	srv.Reply(livetest.Text("Hello"), livetest.GoAway(30*time.Second), livetest.Delay(200*time.Millisecond), livetest.Text(" there"))
	sendText(t, p, "Hi")
	dialledEarly := make(chan bool, 1)
	go func() {
		first := session(t, srv)
		<-first.Done()
		dialledEarly <- len(srv.Sessions()) > 1
	}()

	res := runUntilText(t, t.Context(), p, "Again", "echo: Again")

	if !<-dialledEarly {
		t.Error("the replacement was not dialled before the old connection closed")
	}
	if res.err != nil {
		t.Fatalf("run ended with %v", res.err)
	}
	rc := reconnects(res.events)
	if len(rc) != 2 || rc[0].Reconnect.Cause != "goAway" || rc[0].Reconnect.Backoff != 0 || !rc[1].Reconnect.Resumed {
		t.Fatalf("reconnect events %s, want a goAway handover without backoff, resumed", describeAll(rc))
	}
	var texts []string
	for _, ev := range res.events {
		if !ev.Partial && ev.Author == "assistant" && ev.Text() != "" {
			texts = append(texts, ev.Text())
		}
	}
	if diff := cmpDiff([]string{"Hello there", "echo: Again"}, texts); diff != "" {
		t.Errorf("model texts across the handover (-want +got):\n%s", diff)
	}
	first, second := session(t, srv), waitSession(t, srv, 1)
	checkNormalClose(t, first)
	// The handle after the turn covers it: nothing is sent again.
	if diff := cmpDiff([]string{"Hi", "Again"}, userTexts(second.Conversation())); diff != "" {
		t.Errorf("user turns of the resumed session (-want +got):\n%s", diff)
	}
	for _, m := range second.Messages() {
		if m.ClientContent != nil && len(userTexts(m.ClientContent.Turns)) > 0 && userTexts(m.ClientContent.Turns)[0] == "Hi" {
			t.Error("the turn before the handover was sent again")
		}
	}
}

func TestGoAwayHandsOverBeforeTimeRunsOut(t *testing.T) {
	srv, p := newLive(t, fastReconnect())
	// No turn boundary in time: the switch comes 2 s before timeLeft.
	srv.Reply(livetest.Text("Hel"), livetest.GoAway(2200*time.Millisecond), livetest.Delay(time.Minute), livetest.Text("lo"))
	sendText(t, p, "Hi")

	res := runUntilText(t, t.Context(), p, "Again", "echo: Again")

	if res.err != nil {
		t.Fatalf("run ended with %v", res.err)
	}
	rc := reconnects(res.events)
	if len(rc) != 2 || rc[0].Reconnect.Cause != "goAway" || rc[1].Reconnect.State != event.ReconnectSucceeded {
		t.Fatalf("reconnect events %s, want a goAway handover", describeAll(rc))
	}
	checkNormalClose(t, session(t, srv))
}

func TestInputSentWhileDownIsDeliveredOnceInOrder(t *testing.T) {
	srv, p := newLive(t, fastReconnect())
	p.RunConfig.Reconnect.InitialBackoff = 300 * time.Millisecond // down long enough to send into
	p.RunConfig.Reconnect.MaxBackoff = time.Second
	sendText(t, p, "Hi")
	var (
		once sync.Once
		sent bool
	)
	var res result
	for ev, err := range flow.Run(t.Context(), p) {
		if err != nil {
			res.err = err
			continue
		}
		res.events = append(res.events, ev)
		switch {
		case ev.TurnComplete:
			once.Do(func() { // after the first turn, its handle, then a drop
				s := session(t, srv)
				if _, err := s.WaitMessage(t.Context(), func(livetest.ClientMessage) bool { return true }); err != nil {
					t.Error(err)
				}
				time.Sleep(50 * time.Millisecond) // the handle after the turn arrives
				if err := s.Send(t.Context(), livetest.Drop()); err != nil {
					t.Error(err)
				}
			})
		case ev.Reconnect != nil && ev.Reconnect.State == event.ReconnectStarted && !sent:
			sent = true
			for _, s := range []string{"one", "two", "three"} {
				sendText(t, p, s)
			}
		case !ev.Partial && ev.Text() == "echo: three":
			p.Queue.Close()
		}
	}
	if res.err != nil {
		t.Fatalf("run ended with %v", res.err)
	}
	second := waitSession(t, srv, 1)
	if diff := cmpDiff([]string{"Hi", "one", "two", "three"}, userTexts(second.Conversation())); diff != "" {
		t.Errorf("user turns of the resumed session (-want +got):\n%s", diff)
	}
	if got := userTexts(session(t, srv).Conversation()); len(got) != 1 {
		t.Errorf("the first session got %q, want only the turn before the drop", got)
	}
}

func TestToolCallInFlightAtADropIsCancelledAndRecorded(t *testing.T) {
	srv, p := newLive(t, fastReconnect())
	started := make(chan struct{})
	slow, err := tool.NewFunction(tool.FunctionConfig{Name: "slow", Description: "Takes its time."},
		func(ctx tool.Context, _ map[string]any) (map[string]any, error) {
			close(started)
			<-ctx.Done()
			return nil, ctx.Err()
		})
	if err != nil {
		t.Fatal(err)
	}
	p.Tools = []tool.Tool{slow}
	srv.Reply(livetest.ToolCall(&genai.FunctionCall{Name: "slow"}))
	sendText(t, p, "Do it")
	go func() {
		<-started
		session(t, srv).Send(context.Background(), livetest.Drop())
	}()

	res := runUntilText(t, t.Context(), p, "Done?", "echo: Done?")

	if res.err != nil {
		t.Fatalf("run ended with %v", res.err)
	}
	var responses []string
	for _, ev := range res.events {
		for _, r := range ev.FunctionResponses() {
			responses = append(responses, r.Name+": "+r.Response["error"].(string))
		}
	}
	if len(responses) != 1 || !strings.Contains(responses[0], "cancelled: the connection to the model ended") {
		t.Errorf("function responses %q, want one cancellation of the call", responses)
	}
	for _, m := range waitSession(t, srv, 1).Messages() {
		if m.ToolResponse != nil {
			t.Errorf("the new connection was sent a response to the old one's call: %+v", m.ToolResponse)
		}
	}
}

// waitSession returns the server's i-th session.
func waitSession(t *testing.T, srv *livetest.Server, i int) *livetest.Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := srv.WaitSession(ctx, i)
	if err != nil {
		t.Fatalf("waiting for session %d: %v", i, err)
	}
	return s
}

func cmpDiff(want, got []string) string { return cmp.Diff(want, got) }

func TestARefusedHandleFallsBackToTheHistory(t *testing.T) {
	srv, p := newLive(t, fastReconnect())
	p.RunConfig.SessionResumption = &genai.SessionResumptionConfig{Handle: "expired-handle"}
	p.History = []*event.Event{{Author: event.AuthorUser, Content: genai.NewContentFromText("Earlier question", genai.RoleUser)}}
	sendText(t, p, "Hi")

	res := runUntilText(t, t.Context(), p, "", "echo: Hi")

	if res.err != nil {
		t.Fatalf("run ended with %v, want it to go on from the history", res.err)
	}
	second := waitSession(t, srv, 1)
	if h := second.ResumedFrom(); h != "" {
		t.Errorf("second connection resumed from %q, want a fresh session", h)
	}
	if diff := cmpDiff([]string{"Earlier question", "Hi"}, userTexts(second.Conversation())); diff != "" {
		t.Errorf("user turns of the fresh session (-want +got):\n%s", diff)
	}
}
