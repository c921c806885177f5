package agent_test

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/session"
	"github.com/adklive/adklive/tool"
)

// recordingModel is a live.Model whose connections record what they are
// sent and receive nothing until closed.
type recordingModel struct {
	mu      sync.Mutex
	request *live.ConnectRequest
	conn    *recordingConn
}

func (m *recordingModel) Name() string { return "recording-model" }

func (m *recordingModel) Connect(_ context.Context, req *live.ConnectRequest) (live.Conn, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.request = req
	m.conn = &recordingConn{closed: make(chan struct{})}
	return m.conn, nil
}

type recordingConn struct {
	mu       sync.Mutex
	contents []*genai.LiveClientContent
	once     sync.Once
	closed   chan struct{}
}

func (c *recordingConn) SendContent(_ context.Context, content *genai.LiveClientContent) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.contents = append(c.contents, content)
	return nil
}

func (c *recordingConn) SendRealtime(context.Context, *live.RealtimeInput) error { return nil }

func (c *recordingConn) SendToolResponse(context.Context, *genai.LiveClientToolResponse) error {
	return nil
}

func (c *recordingConn) Receive(ctx context.Context) (*live.Response, error) {
	select {
	case <-c.closed:
		return nil, fmt.Errorf("recordingConn: %w", net.ErrClosed)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *recordingConn) SessionID() string { return "" }

func (c *recordingConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return nil
}

func TestRunLiveRunsTheFlowWithTheAgentAndSession(t *testing.T) {
	model := &recordingModel{}
	lookup := mustFunction(t, "lookup")
	a := mustNew(t, agent.Config{Name: "root", Model: model, Instruction: "Be brief.", Tools: []tool.Tool{lookup}})

	past := []*event.Event{
		{InvocationID: "e-old", Author: "user", Content: genai.NewContentFromText("earlier question", genai.RoleUser)},
		{InvocationID: "e-old", Author: "root", Content: genai.NewContentFromText("earlier answer", genai.RoleModel)},
	}
	// The queue as the runner hands it over: claimed. Closing it ends the
	// run once the text in it is sent.
	q := livequeue.New()
	if err := q.Claim(); err != nil {
		t.Fatal(err)
	}
	if err := q.SendContent(genai.NewContentFromText("hi", genai.RoleUser)); err != nil {
		t.Fatal(err)
	}
	q.Close()
	ic := &agent.InvocationContext{
		InvocationID: "e-test",
		Branch:       "root",
		Session:      &session.Session{AppName: "app", UserID: "u1", ID: "s1", Events: past},
		Queue:        q,
		RunConfig:    runconfig.RunConfig{ResponseModalities: []genai.Modality{genai.ModalityText}}.WithDefaults(),
		Agent:        a,
	}
	var events []*event.Event
	for ev, err := range a.RunLive(t.Context(), ic) {
		if err != nil {
			t.Fatalf("RunLive: %v", err)
		}
		events = append(events, ev)
	}

	req := model.request
	if req == nil {
		t.Fatal("the agent's model was never connected")
	}
	if si := req.Setup.SystemInstruction; si == nil || len(si.Parts) != 1 || si.Parts[0].Text != "Be brief." {
		t.Errorf("setup system instruction = %+v, want the agent's instruction", si)
	}
	var declared []string
	for _, tl := range req.Setup.Tools {
		for _, fd := range tl.FunctionDeclarations {
			declared = append(declared, fd.Name)
		}
	}
	if !cmp.Equal(declared, []string{"lookup"}) {
		t.Errorf("declared functions = %v, want [lookup]", declared)
	}
	var history []string
	for _, c := range req.History {
		for _, p := range c.Parts {
			history = append(history, c.Role+": "+p.Text)
		}
	}
	if diff := cmp.Diff([]string{"user: earlier question", "model: earlier answer"}, history); diff != "" {
		t.Errorf("history from the session (-want +got):\n%s", diff)
	}

	if len(events) != 1 {
		t.Fatalf("RunLive yielded %d events, want the user's text", len(events))
	}
	ev := events[0]
	if ev.Author != "user" || ev.Text() != "hi" || ev.InvocationID != "e-test" || ev.Branch != "root" {
		t.Errorf("user event = author %q text %q invocation %q branch %q; want user, hi, e-test, root",
			ev.Author, ev.Text(), ev.InvocationID, ev.Branch)
	}
	if n := len(model.conn.contents); n != 1 {
		t.Errorf("the connection was sent %d contents, want the user's text", n)
	}
}
