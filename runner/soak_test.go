package runner_test

import (
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/gemini/livetest"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/runner"
	"github.com/adklive/adklive/session"
)

var (
	soakRuns     = flag.Int("soak.runs", 50, "concurrent live runs in TestSoakRandomFaults")
	soakDuration = flag.Duration("soak.duration", 15*time.Second, "how long each run of TestSoakRandomFaults streams")
)

// soakChunk is 10 ms of near-silent 16 kHz audio carrying its number in
// its first two samples, below the simulated VAD's threshold.
func soakChunk(n int) *genai.Blob {
	data := make([]byte, 320)
	binary.LittleEndian.PutUint16(data[0:], uint16(n&0xff))
	binary.LittleEndian.PutUint16(data[2:], uint16(n>>8&0xff))
	return &genai.Blob{MIMEType: "audio/pcm;rate=16000", Data: data}
}

// chunkNumber reads a soakChunk's number back.
func chunkNumber(data []byte) int {
	return int(binary.LittleEndian.Uint16(data[0:])) | int(binary.LittleEndian.Uint16(data[2:]))<<8
}

// soakFault is one fault a soak run's fake server injects.
type soakFault struct {
	name   string
	inject func(ctx context.Context, s *livetest.Session)
}

var soakFaults = []soakFault{
	{"drop", func(_ context.Context, s *livetest.Session) { s.Drop() }},
	{"1011", func(_ context.Context, s *livetest.Session) {
		s.CloseWith(websocket.StatusInternalError, "Internal error occurred.")
	}},
	{"quota", func(_ context.Context, s *livetest.Session) {
		s.CloseWith(websocket.StatusInternalError, "Resource has been exhausted (e.g. check quota).")
	}},
	{"goAway", func(ctx context.Context, s *livetest.Session) { s.Send(ctx, livetest.GoAway(time.Second)) }},
	{"stall", func(_ context.Context, s *livetest.Session) { s.StopReading() }},
}

// soakResult is what one soak run did and saw.
type soakResult struct {
	sent      int // audio chunks the application sent
	events    []*event.Event
	err       error
	faults    []string
	consumed  map[string]int64  // lastConsumedClientMessageIndex by handle
	owners    map[string]string // the id of the session that issued each handle
	sessions  []*livetest.Session
	sessionID string
}

// TestSoakRandomFaults runs many live runs at once on Vertex AI with
// transparent resumption while their servers fail at random (drops, 1011,
// quota, goAway, a server that stops reading), and checks the conversation
// each model ends up with: every chunk the application sent reaches it
// exactly once, in order; every event the run yielded for storage is
// stored; no goroutine is left. -soak.runs and -soak.duration make it
// longer.
func TestSoakRandomFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test: skipped with -short")
	}
	ignore := goleak.IgnoreCurrent()
	sessions := session.InMemory()
	results := make([]*soakResult, *soakRuns)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = soakRun(t, sessions, i, *soakDuration)
		}()
	}
	wg.Wait()

	var lost, duplicated, unstored, faults int
	for i, res := range results {
		faults += len(res.faults)
		if res.err != nil {
			t.Errorf("run %d (faults %v) ended with %v", i, res.faults, res.err)
			continue
		}
		l, d := soakLineage(t, res)
		lost += l
		duplicated += d
		unstored += soakUnstored(t, sessions, res)
		for _, s := range res.sessions {
			<-s.Done()
		}
	}
	t.Logf("soak: %d runs, %d faults injected: %d client requests lost, %d duplicated, %d stored events lost",
		len(results), faults, lost, duplicated, unstored)
	sent := 0
	for _, res := range results {
		sent += res.sent
	}
	if unstored != 0 {
		t.Errorf("soak: %d stored events lost; want none", unstored)
	}
	if lost != 0 || duplicated != 0 {
		t.Errorf("soak: %d of %d requests lost, %d duplicated; want none", lost, sent, duplicated)
	}
	goleak.VerifyNone(t, ignore)
}

// soakRun streams numbered chunks for d into a run whose server fails at
// random, then ends the run by closing its queue.
func soakRun(t *testing.T, sessions session.Service, i int, d time.Duration) *soakResult {
	srv := livetest.NewServer(livetest.WithLogger(quietLogger()))
	defer srv.Close()
	model, err := gemini.NewModel(context.Background(), textModel, &gemini.Config{
		Backend: genai.BackendVertexAI, APIKey: "test-key", BaseURL: srv.URL, Logger: quietLogger(),
	})
	if err != nil {
		t.Error(err)
		return &soakResult{err: err}
	}
	ag, err := agent.New(agent.Config{Name: agentName, Model: model})
	if err != nil {
		t.Error(err)
		return &soakResult{err: err}
	}
	r, err := runner.New(runner.Config{AppName: appName, Agent: ag, SessionService: sessions, AutoCreateSession: true, Logger: quietLogger()})
	if err != nil {
		t.Error(err)
		return &soakResult{err: err}
	}
	cfg := runconfig.RunConfig{
		ResponseModalities: []genai.Modality{genai.ModalityText},
		SessionResumption:  &genai.SessionResumptionConfig{Transparent: true},
		Reconnect: runconfig.ReconnectPolicy{MaxAttempts: 10, InitialBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
			QuotaInitialBackoff: 100 * time.Millisecond, QuotaMaxBackoff: 200 * time.Millisecond},
		WriteTimeout:      300 * time.Millisecond,
		Keepalive:         300 * time.Millisecond,
		MaxHeldAudioBytes: 1 << 30, // nothing dropped: every chunk must arrive
	}
	res := &soakResult{consumed: map[string]int64{}, owners: map[string]string{}, sessionID: fmt.Sprintf("soak-%d", i)}
	q := livequeue.New()
	ctx, cancel := context.WithTimeout(context.Background(), d+time.Minute)
	defer cancel()

	// The application: a 10 ms chunk every 10 ms, with a typed turn now and then
	// so the server sends resumption updates. At the end it asks a last
	// question, once the faults stopped, and the run's consumer closes the
	// queue on the answer: the answer shows the model had everything
	// before it.
	stop := make(chan struct{})
	var app sync.WaitGroup
	app.Add(2)
	go func() {
		defer app.Done()
		defer func() {
			close(stop)
			q.SendContent(genai.NewContentFromText("final", genai.RoleUser))
		}()
		end := time.Now().Add(d)
		for n := 0; time.Now().Before(end); n++ {
			if n%100 == 99 {
				q.SendContent(genai.NewContentFromText(fmt.Sprintf("mark %d", n), genai.RoleUser))
			}
			if err := q.SendRealtime(soakChunk(n)); err != nil {
				return
			}
			res.sent = n + 1
			time.Sleep(10 * time.Millisecond) // real time: 10 ms chunks
		}
	}()
	// The server's faults: one every 0.3–1 s on the newest connection.
	go func() {
		defer app.Done()
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		for {
			select {
			case <-stop:
				return
			case <-time.After(300*time.Millisecond + time.Duration(rng.IntN(700))*time.Millisecond):
			}
			// The newest connection past its setup (the client sent
			// something after it), as a real server's faults come; one
			// dialled early for a handover is not in use yet.
			var target *livetest.Session
			all := srv.Sessions()
			for j := len(all) - 1; j >= 0 && target == nil; j-- {
				if len(all[j].Messages()) >= 2 {
					target = all[j]
				}
			}
			if target == nil {
				continue
			}
			f := soakFaults[rng.IntN(len(soakFaults))]
			res.faults = append(res.faults, f.name)
			f.inject(ctx, target)
		}
	}()
	for ev, err := range r.RunLive(ctx, "soak", res.sessionID, q, cfg) {
		if err != nil {
			res.err = err
			continue
		}
		res.events = append(res.events, ev)
		if !ev.Partial && ev.Text() == "echo: final" {
			q.Close()
		}
		if u := ev.LiveSessionResumptionUpdate; u != nil && u.NewHandle != "" {
			res.consumed[u.NewHandle] = u.LastConsumedClientMessageIndex
			res.owners[u.NewHandle] = ev.LiveSessionID
		}
	}
	app.Wait()
	res.sessions = srv.Sessions()
	return res
}

// soakLineage follows the chain of sessions back from the last one, each
// resumed from a handle another issued, and counts the chunks the final
// conversation got from each: of a session resumed from, the messages up
// to the handle's lastConsumedClientMessageIndex (setup is message 0); of
// the last session, all of them. Sessions off the chain (an attempt that
// failed during setup) gave the conversation nothing.
func soakLineage(t *testing.T, res *soakResult) (lost, duplicated int) {
	t.Helper()
	seen := make([]int, res.sent)
	byID := map[string]*livetest.Session{}
	for _, s := range res.sessions {
		byID[s.ID()] = s
	}
	count := func(msgs []livetest.ClientMessage) {
		for _, m := range msgs {
			if in := m.RealtimeInput; in != nil && in.Audio != nil {
				if n := chunkNumber(in.Audio.Data); n < len(seen) {
					seen[n]++
				}
			}
		}
	}
	// The connection the run ended on, named by its last events.
	var cur *livetest.Session
	for _, ev := range res.events {
		if s, ok := byID[ev.LiveSessionID]; ok {
			cur = s
		}
	}
	if cur == nil {
		t.Errorf("%s: no event names a connection", res.sessionID)
		return 0, 0
	}
	count(cur.Messages()[1:])
	for h := cur.ResumedFrom(); h != ""; h = cur.ResumedFrom() {
		owner, ok := byID[res.owners[h]]
		if !ok {
			t.Errorf("%s: session %s resumed from %q, a handle the run never saw", res.sessionID, cur.ID(), h)
			return 0, 0
		}
		msgs := owner.Messages()
		count(msgs[1:min(int(res.consumed[h])+1, len(msgs))])
		cur = owner
	}
	if cur != res.sessions[0] {
		t.Errorf("%s: the chain of resumed sessions starts at session %s, not the first: a fresh session lost the audio before it", res.sessionID, cur.ID())
	}
	for _, c := range seen {
		switch {
		case c == 0:
			lost++
		case c > 1:
			duplicated += c - 1
		}
	}
	return lost, duplicated
}

// soakUnstored counts the events the run yielded for storage that the
// session lacks.
func soakUnstored(t *testing.T, sessions session.Service, res *soakResult) int {
	t.Helper()
	s, err := sessions.Get(context.Background(), &session.GetRequest{AppName: appName, UserID: "soak", SessionID: res.sessionID})
	if err != nil {
		t.Error(err)
		return len(res.events)
	}
	stored := map[string]bool{}
	for _, ev := range s.Events {
		stored[ev.ID] = true
	}
	n := 0
	for _, ev := range res.events {
		if runner.Persist(ev) && !stored[ev.ID] {
			n++
		}
	}
	return n
}

// quietLogger discards the records of the many soak runs.
func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
