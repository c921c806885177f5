package runner_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/artifact"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/tool"
)

// saveTool returns a tool "save" that saves its "text" argument as the
// artifact "note.txt", reads it back and lists the session's artifacts.
// The error of the first artifact call it makes, if any, is sent to errs.
func saveTool(t *testing.T, errs chan<- error) tool.FunctionTool {
	t.Helper()
	f, err := tool.NewFunction(tool.FunctionConfig{Name: "save", Description: "saves a note"},
		func(tc tool.Context, args map[string]any) (map[string]any, error) {
			text, _ := args["text"].(string)
			a := tc.Artifacts()
			v, err := a.Save(tc, "note.txt", genai.NewPartFromText(text))
			if err != nil {
				errs <- err
				return nil, err
			}
			p, err := a.Load(tc, "note.txt", 0)
			if err != nil {
				errs <- err
				return nil, err
			}
			names, err := a.List(tc)
			if err != nil {
				errs <- err
				return nil, err
			}
			return map[string]any{"version": v, "read": p.Text, "names": names}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// A tool saves an artifact during a live run: it is stored under the
// session's app, user and session, the tool reads it back, and the
// response event stored in the session carries the ArtifactDelta.
func TestToolSavesArtifact(t *testing.T) {
	arts := artifact.InMemory()
	errs := make(chan error, 1)
	h := newHarness(t, setup{tools: []tool.Tool{saveTool(t, errs)}, artifacts: arts})
	h.createSession(t, "u", "s")
	h.srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "c1", Name: "save", Args: map[string]any{"text": "hello"}}))
	h.srv.Reply(livetest.Text("Saved."))
	q := textQueue(t, "save hello")
	res := h.run(t, t.Context(), "u", "s", q, textConfig(), closeAfterTurns(q, 1))
	if err := res.err(t); err != nil {
		t.Fatalf("the run ended with %v", err)
	}
	select {
	case err := <-errs:
		t.Fatalf("the tool's artifact call failed: %v", err)
	default:
	}

	got, err := arts.Load(t.Context(), &artifact.LoadRequest{AppName: appName, UserID: "u", SessionID: "s", FileName: "note.txt"})
	if err != nil {
		t.Fatalf("loading the saved artifact from the service: %v", err)
	}
	if got.Part.Text != "hello" {
		t.Errorf("stored artifact text = %q, want %q", got.Part.Text, "hello")
	}

	want := []*genai.FunctionResponse{{ID: "c1", Name: "save", Response: map[string]any{
		"version": 1.0, "read": "hello", "names": []any{"note.txt"}}}}
	if diff := cmp.Diff([][]*genai.FunctionResponse{want}, toolResponses(h.waitSession(t, 0))); diff != "" {
		t.Errorf("tool responses on the wire (-want +got):\n%s", diff)
	}
	if got := h.runner.ArtifactService(); got != arts {
		t.Errorf("Runner.ArtifactService() = %v, want the configured service", got)
	}
	resp := responseEvent(t, h.stored(t, "u", "s"), "c1")
	if diff := cmp.Diff(map[string]int64{"note.txt": 1}, resp.Actions.ArtifactDelta); diff != "" {
		t.Errorf("stored response event's ArtifactDelta (-want +got):\n%s", diff)
	}
}

// Without an artifact service, a tool's artifact calls fail with
// tool.ErrNoArtifactService, the model gets the error as the response,
// and the run goes on to the next turn.
func TestToolArtifactsWithoutService(t *testing.T) {
	errs := make(chan error, 1)
	h := newHarness(t, setup{tools: []tool.Tool{saveTool(t, errs)}})
	h.createSession(t, "u", "s")
	h.srv.Reply(livetest.ToolCall(&genai.FunctionCall{ID: "c1", Name: "save", Args: map[string]any{"text": "hello"}}))
	h.srv.Reply(livetest.Text("Still here."))
	q := textQueue(t, "save hello")
	turns := 0
	res := h.run(t, t.Context(), "u", "s", q, textConfig(), func(ev *event.Event) {
		if !ev.TurnComplete {
			return
		}
		if turns++; turns == 1 {
			if err := q.SendContent(textContent("are you there?")); err != nil {
				t.Errorf("sending the second turn: %v", err)
				q.Close()
			}
			return
		}
		q.Close()
	})
	if err := res.err(t); err != nil {
		t.Fatalf("the run ended with %v", err)
	}
	var err error
	select {
	case err = <-errs:
	default:
		t.Fatal("the tool's artifact call did not fail")
	}
	if !errors.Is(err, tool.ErrNoArtifactService) {
		t.Fatalf("artifact call error = %v, want one matching tool.ErrNoArtifactService", err)
	}
	got := toolResponses(h.waitSession(t, 0))
	if len(got) != 1 || len(got[0]) != 1 {
		t.Fatalf("tool responses on the wire = %v, want one", got)
	}
	if msg, _ := got[0][0].Response["error"].(string); msg != err.Error() {
		t.Errorf("response error = %q, want %q", msg, err.Error())
	}
	resp := responseEvent(t, h.stored(t, "u", "s"), "c1")
	if resp.Actions.ArtifactDelta != nil {
		t.Errorf("stored response event's ArtifactDelta = %v, want none", resp.Actions.ArtifactDelta)
	}
	if !hasText(res.events, "Still here.") {
		t.Error("the run did not answer the turn after the failed call")
	}
}

// responseEvent returns the event of events answering call id, failing
// the test when there is none.
func responseEvent(t *testing.T, events []*event.Event, id string) *event.Event {
	t.Helper()
	for _, ev := range events {
		if ev.Content == nil {
			continue
		}
		for _, p := range ev.Content.Parts {
			if p.FunctionResponse != nil && p.FunctionResponse.ID == id {
				return ev
			}
		}
	}
	t.Fatalf("no stored event answers call %q", id)
	return nil
}

// hasText reports whether some event's content holds text s.
func hasText(events []*event.Event, s string) bool {
	for _, ev := range events {
		if ev.Content == nil {
			continue
		}
		for _, p := range ev.Content.Parts {
			if p.Text == s {
				return true
			}
		}
	}
	return false
}
