package runner_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/session"
)

// summary is what a test checks of a stored event.
type summary struct {
	Author       string
	Text         string
	Input        string // finished input transcription
	Output       string // finished output transcription
	TurnComplete bool
}

func summarize(events []*event.Event) []summary {
	var out []summary
	for _, ev := range events {
		s := summary{Author: ev.Author, Text: ev.Text(), TurnComplete: ev.TurnComplete}
		if tr := ev.InputTranscription; tr != nil {
			s.Input = tr.Text
		}
		if tr := ev.OutputTranscription; tr != nil {
			s.Output = tr.Text
		}
		out = append(out, s)
	}
	return out
}

// checkStoredWereYielded checks that every stored event of the run was
// also yielded, and that every yielded event belongs to one invocation.
func checkStoredWereYielded(t *testing.T, yielded, stored []*event.Event) {
	t.Helper()
	ids := make(map[string]bool, len(yielded))
	invocation := ""
	for _, ev := range yielded {
		ids[ev.ID] = true
		if invocation == "" {
			invocation = ev.InvocationID
		}
		if ev.InvocationID != invocation {
			t.Errorf("event %s has invocation id %q, others %q", ev.ID, ev.InvocationID, invocation)
		}
	}
	if !strings.HasPrefix(invocation, "e-") {
		t.Errorf("invocation id %q does not start with \"e-\"", invocation)
	}
	for _, ev := range stored {
		if !ids[ev.ID] {
			t.Errorf("stored event %s (%+v) was never yielded", ev.ID, summarize([]*event.Event{ev}))
		}
		if ev.Partial {
			t.Errorf("stored event %s is partial", ev.ID)
		}
		if ev.HasAudio() {
			t.Errorf("stored event %s carries audio", ev.ID)
		}
	}
}

func TestTextTurnPersistsMergedTextAndControlEvent(t *testing.T) {
	h := newHarness(t, setup{})
	h.createSession(t, "u1", "s1")
	q := textQueue(t, "hello")
	res := h.run(t, t.Context(), "u1", "s1", q, textConfig(), closeAfterTurns(q, 1))
	if err := res.err(t); err != nil {
		t.Fatalf("RunLive: %v", err)
	}

	var streamed strings.Builder
	for _, ev := range res.events {
		if ev.Partial && ev.Author == agentName {
			streamed.WriteString(ev.Text())
		}
	}
	if streamed.String() != "echo: hello" {
		t.Errorf("partial chunks spell %q, want the model's reply %q", streamed.String(), "echo: hello")
	}

	stored := h.stored(t, "u1", "s1")
	want := []summary{
		{Author: "user", Text: "hello"},
		{Author: agentName, Text: streamed.String()},
		{Author: agentName, TurnComplete: true},
	}
	if diff := cmp.Diff(want, summarize(stored)); diff != "" {
		t.Errorf("stored events (-want +got):\n%s", diff)
	}
	checkStoredWereYielded(t, res.events, stored)
}

// audioConfig answers in audio with both transcriptions.
func audioConfig() runconfig.RunConfig {
	return runconfig.RunConfig{
		ResponseModalities:       []genai.Modality{genai.ModalityAudio},
		InputAudioTranscription:  &genai.AudioTranscriptionConfig{},
		OutputAudioTranscription: &genai.AudioTranscriptionConfig{},
	}
}

// sendSpeech queues a short utterance followed by enough silence for the
// server's voice activity detection to end the turn.
func sendSpeech(t *testing.T, q *livequeue.Queue) {
	t.Helper()
	const mime = "audio/pcm;rate=16000"
	for _, pcm := range [][]byte{
		livetest.Tone(livetest.InputSampleRate, 600*time.Millisecond, 0.3),
		livetest.Silence(livetest.InputSampleRate, 800*time.Millisecond),
	} {
		if err := q.SendRealtime(&genai.Blob{MIMEType: mime, Data: pcm}); err != nil {
			t.Fatalf("SendRealtime: %v", err)
		}
	}
}

func TestAudioTurnPersistsOneTranscriptionPerSideAndNoAudio(t *testing.T) {
	h := newHarness(t, setup{})
	h.createSession(t, "u1", "s1")
	q := livequeue.New()
	sendSpeech(t, q)
	res := h.run(t, t.Context(), "u1", "s1", q, audioConfig(), closeAfterTurns(q, 1))
	if err := res.err(t); err != nil {
		t.Fatalf("RunLive: %v", err)
	}

	audio := 0
	var spoken strings.Builder
	for _, ev := range res.events {
		if ev.HasAudio() {
			audio++
		}
		if tr := ev.OutputTranscription; tr != nil && ev.Partial {
			spoken.WriteString(tr.Text)
		}
	}
	if audio == 0 {
		t.Error("the run yielded no audio event")
	}

	stored := h.stored(t, "u1", "s1")
	checkStoredWereYielded(t, res.events, stored)
	var inputs, outputs []*event.Event
	for _, ev := range stored {
		if ev.InputTranscription != nil {
			inputs = append(inputs, ev)
		}
		if ev.OutputTranscription != nil {
			outputs = append(outputs, ev)
		}
	}
	if len(inputs) != 1 || len(outputs) != 1 {
		t.Fatalf("stored %d input and %d output transcriptions, want one of each:\n%+v", len(inputs), len(outputs), summarize(stored))
	}
	in, out := inputs[0], outputs[0]
	if in.Author != "user" || !in.InputTranscription.Finished || in.InputTranscription.Text == "" {
		t.Errorf("stored input transcription = author %q %+v; want a finished, non-empty one by user", in.Author, in.InputTranscription)
	}
	if out.Author != agentName || !out.OutputTranscription.Finished || out.OutputTranscription.Text != spoken.String() {
		t.Errorf("stored output transcription = author %q %+v; want a finished one by %s reading %q",
			out.Author, out.OutputTranscription, agentName, spoken.String())
	}
	if last := stored[len(stored)-1]; !last.TurnComplete {
		t.Errorf("last stored event %+v is not the turnComplete control event", summarize([]*event.Event{last}))
	}
}

func TestHistorySeedsTheNextRun(t *testing.T) {
	h := newHarness(t, setup{})
	h.createSession(t, "u1", "s1")

	// First run: a typed turn, then a spoken one, answered in audio.
	q := textQueue(t, "hello")
	turns := 0
	res := h.run(t, t.Context(), "u1", "s1", q, audioConfig(), func(ev *event.Event) {
		if !ev.TurnComplete {
			return
		}
		if turns++; turns == 1 {
			sendSpeech(t, q)
		} else {
			q.Close()
		}
	})
	if err := res.err(t); err != nil {
		t.Fatalf("first RunLive: %v", err)
	}
	var want []summary
	for _, ev := range h.stored(t, "u1", "s1") {
		switch {
		case ev.Author == "user" && ev.Text() != "":
			want = append(want, summary{Author: "user", Text: ev.Text()})
		case ev.InputTranscription != nil:
			want = append(want, summary{Author: "user", Text: ev.InputTranscription.Text})
		case ev.OutputTranscription != nil:
			want = append(want, summary{Author: "model", Text: ev.OutputTranscription.Text})
		}
	}
	if len(want) != 4 {
		t.Fatalf("the first run stored %d texts and transcriptions, want 4: %+v", len(want), want)
	}

	// Runs never store audio, but a session may hold some (written by
	// another tool, or by an older version): a user turn and a model turn
	// that each carry inline audio beside their text.
	stored, err := h.sessions.Get(t.Context(), &session.GetRequest{AppName: appName, UserID: "u1", SessionID: "s1"})
	if err != nil {
		t.Fatal(err)
	}
	pcm := &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: livetest.Silence(livetest.InputSampleRate, 20*time.Millisecond)}
	for _, turn := range []struct{ author, role, text string }{
		{"user", genai.RoleUser, "Listen to this:"},
		{agentName, genai.RoleModel, "Nice tune."},
	} {
		ev := event.New("e-earlier", turn.author)
		ev.Content = &genai.Content{Role: turn.role, Parts: []*genai.Part{{Text: turn.text}, {InlineData: pcm}}}
		if _, err := h.sessions.AppendEvent(t.Context(), stored, ev); err != nil {
			t.Fatalf("appending an event with audio: %v", err)
		}
		want = append(want, summary{Author: turn.role, Text: turn.text})
	}

	// Second run on the same session: its connection starts with that
	// conversation as history, without audio.
	q2 := textQueue(t, "again")
	res = h.run(t, t.Context(), "u1", "s1", q2, textConfig(), closeAfterTurns(q2, 1))
	if err := res.err(t); err != nil {
		t.Fatalf("second RunLive: %v", err)
	}
	second := h.waitSession(t, 1)
	var history *genai.LiveClientContent
	for _, m := range second.Messages() {
		if m.ClientContent != nil {
			history = m.ClientContent
			break
		}
	}
	if history == nil {
		t.Fatal("the second connection received no history")
	}
	var got []summary
	for _, turn := range history.Turns {
		var text strings.Builder
		for _, p := range turn.Parts {
			if p.InlineData != nil {
				t.Errorf("history turn %q carries inline data (%s)", turn.Role, p.InlineData.MIMEType)
			}
			text.WriteString(p.Text)
		}
		got = append(got, summary{Author: turn.Role, Text: text.String()})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history sent to the second connection (-want +got):\n%s", diff)
	}
	if history.TurnComplete {
		t.Error("history ends with the model's turn but has turnComplete set")
	}
}

func TestCustomMetadataOnEveryEvent(t *testing.T) {
	h := newHarness(t, setup{})
	h.createSession(t, "u1", "s1")
	q := textQueue(t, "hello")
	cfg := textConfig()
	cfg.CustomMetadata = map[string]any{"request_id": "r-1", "tags": []any{"a", "b"}}
	res := h.run(t, t.Context(), "u1", "s1", q, cfg, closeAfterTurns(q, 1))
	if err := res.err(t); err != nil {
		t.Fatalf("RunLive: %v", err)
	}
	cfg.CustomMetadata["request_id"] = "changed after the run started"

	want := map[string]any{"request_id": "r-1", "tags": []any{"a", "b"}}
	check := func(kind string, events []*event.Event) {
		if len(events) == 0 {
			t.Errorf("no %s events", kind)
		}
		for _, ev := range events {
			if diff := cmp.Diff(want, ev.CustomMetadata); diff != "" {
				t.Errorf("%s event %s custom metadata (-want +got):\n%s", kind, ev.ID, diff)
			}
		}
	}
	check("yielded", res.events)
	check("stored", h.stored(t, "u1", "s1"))
}

func TestConcurrentWriterDoesNotLoseEvents(t *testing.T) {
	h := newHarness(t, setup{})
	h.createSession(t, "u1", "s1")
	q := textQueue(t, "first")
	turns := 0
	res := h.run(t, t.Context(), "u1", "s1", q, textConfig(), func(ev *event.Event) {
		if !ev.TurnComplete {
			return
		}
		turns++
		if turns == 2 {
			q.Close()
			return
		}
		// Another writer appends to the session between the turns. The
		// run stores its own events meanwhile, so that writer, like any,
		// gets the session again when its copy went stale.
		outside := &event.Event{InvocationID: "e-other", Author: "user",
			Content: genai.NewContentFromText("from elsewhere", genai.RoleUser)}
		for attempt := 1; ; attempt++ {
			other, err := h.runner.GetOrCreateSession(t.Context(), "u1", "s1")
			if err != nil {
				t.Fatal(err)
			}
			_, err = h.sessions.AppendEvent(t.Context(), other, outside)
			if err == nil {
				break
			}
			if !errors.Is(err, session.ErrStale) || attempt == 10 {
				t.Fatal(err)
			}
		}
		if err := q.SendContent(genai.NewContentFromText("second", genai.RoleUser)); err != nil {
			t.Fatal(err)
		}
	})
	if err := res.err(t); err != nil {
		t.Fatalf("RunLive: %v", err)
	}
	// The run stores off the way to the caller, so the other writer's
	// event may land before the run's last events of the first turn; the
	// run's own events keep their order and none is lost.
	var own, other []string
	for _, ev := range h.stored(t, "u1", "s1") {
		switch s := ev.Text(); {
		case s == "":
		case ev.InvocationID == "e-other":
			other = append(other, s)
		default:
			own = append(own, s)
		}
	}
	if diff := cmp.Diff([]string{"first", "echo: first", "second", "echo: second"}, own); diff != "" {
		t.Errorf("stored texts of the run (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"from elsewhere"}, other); diff != "" {
		t.Errorf("stored texts of the other writer (-want +got):\n%s", diff)
	}
}

func TestTextPendingWhenTheServerClosesIsPersisted(t *testing.T) {
	h := newHarness(t, setup{})
	h.createSession(t, "u1", "s1")
	h.srv.Reply(livetest.Text("The answer is"), livetest.CloseWith(websocket.StatusInternalError, "Internal error occurred."))
	q := textQueue(t, "hello")
	cfg := textConfig()
	cfg.Reconnect.Disabled = true // the 1011 ends the run
	res := h.run(t, t.Context(), "u1", "s1", q, cfg, nil)

	var ce *gemini.CloseError
	if err := res.err(t); !errors.As(err, &ce) || ce.Code != websocket.StatusInternalError {
		t.Fatalf("RunLive: err = %v, want the server's 1011 *gemini.CloseError", err)
	}
	if n := len(res.events); n == 0 || res.events[n-1].Partial || res.events[n-1].Text() != "The answer is" {
		t.Errorf("events %+v, want the merged text last, before the error", summarize(res.events))
	}
	stored := h.stored(t, "u1", "s1")
	want := []summary{
		{Author: "user", Text: "hello"},
		{Author: agentName, Text: "The answer is"},
	}
	if diff := cmp.Diff(want, summarize(stored)); diff != "" {
		t.Errorf("stored events (-want +got):\n%s", diff)
	}
	checkStoredWereYielded(t, res.events, stored)
}

func TestBreakMidTurnStoresTheTextAlreadyYielded(t *testing.T) {
	h := newHarness(t, setup{})
	h.createSession(t, "u1", "s1")
	h.srv.Reply(livetest.Text("The answer is"), livetest.Delay(time.Minute), livetest.Text(" 42"))
	q := textQueue(t, "question")
	for ev, err := range h.runner.RunLive(t.Context(), "u1", "s1", q, textConfig()) {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Partial && ev.Text() == "The answer is" {
			break // mid-turn: the merged text was never yielded
		}
	}
	var texts []string
	for _, ev := range h.stored(t, "u1", "s1") {
		if s := ev.Text(); s != "" {
			texts = append(texts, s)
		}
	}
	if diff := cmp.Diff([]string{"question", "The answer is"}, texts); diff != "" {
		t.Errorf("stored texts after a break mid-turn (-want +got):\n%s", diff)
	}
}
