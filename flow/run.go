package flow

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/internal/logattr"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/tool"
)

// Errors of a live run. Test for them with errors.Is.
var (
	// ErrLLMCallsExceeded is wrapped by the error that ends a run whose
	// model completed the last turn RunConfig.MaxLLMCalls allows (see
	// Run).
	ErrLLMCallsExceeded = errors.New("flow: LLM call limit exceeded")
	// ErrInvalidParams is wrapped by the error Run yields, before dialing,
	// when Params cannot start a run; the error's text names the field.
	ErrInvalidParams = errors.New("flow: invalid params")
)

// Params is one live run of one agent.
type Params struct {
	// Model is the live model to connect to. Required. When it has a
	// Backend() genai.Backend method (gemini.Model does), RunConfig is
	// validated for that backend.
	Model live.Model
	// Author is the agent's name: the author of the model's events.
	// Required.
	Author string
	// InvocationID is shared by every event of the run; "" makes a new
	// one (event.NewInvocationID).
	InvocationID string
	// Branch is copied onto every event.
	Branch string
	// Instruction is the system instruction; "" sends none.
	Instruction string
	// Tools are declared to the model in the setup. Each must be a
	// tool.FunctionTool, which the run executes when the model calls it,
	// or a tool.Builtin, which the model's service runs; function names
	// must be unique.
	Tools []tool.Tool
	// RunConfig is the run's settings, normally validated with defaults
	// applied by the caller; Run applies WithDefaults again (harmless) and
	// validates it.
	RunConfig runconfig.RunConfig
	// History is the session's events, oldest first, used to seed the
	// conversation (see Run). It is not sent when the run resumes from a
	// RunConfig.SessionResumption handle: the server has the conversation.
	History []*event.Event
	// Queue is the run's input, already claimed by the caller. Closing it
	// ends the run.
	Queue *livequeue.Queue
	// Logger receives debug records about the run, and error records for
	// tools that panic. Nil means slog.Default(). Run adds the attribute
	// "agent" (Author) to its records; anything else identifying the run
	// is the caller's to add (the runner's logger carries the app, user,
	// session and invocation ids).
	Logger *slog.Logger
}

// backender is implemented by models that know which backend they talk to.
type backender interface {
	Backend() genai.Backend
}

// Run connects to p.Model and runs one live conversation: the requests of
// p.Queue are sent to the model as they arrive while a receive loop turns
// the model's messages into events, and function tools run as the model
// calls them. An idle run keeps one goroutine (the receive loop): requests
// are sent by a goroutine that runs only while the queue holds some.
// Nothing happens until the returned iterator is ranged over; it can be
// ranged over once.
//
// Before dialing, Run checks p (errors wrap ErrInvalidParams) and validates
// p.RunConfig for the model's backend (errors match runconfig.ErrInvalid); a
// failure is yielded once and the iterator ends. The connect request holds
// the system instruction, the tools, every live setting of the run config,
// and the history built from p.History: the content of the events, oldest
// first, with inline audio removed (events left empty are dropped), finished
// input transcriptions as user text and finished output transcriptions as
// model text, and consecutive turns of one role merged.
//
// Events are yielded as they happen, with a nil error; a slow consumer slows
// the reading of the connection down, and nothing is dropped. Every event
// has a fresh ID (a version 4 UUID: the run's first is random, and each
// later one is the previous plus one in its random bits, so IDs are unique
// as random UUIDs are but cost no call into crypto/rand), the run's
// InvocationID, Branch and CustomMetadata, a Timestamp, and the server's
// live session id when it gave one. The mapping:
//
//   - user content from the queue: once the connection sent it, an event
//     authored "user" with the content (audio parts removed; none if nothing
//     is left), always ahead of the model's events that answer it; content
//     the connection fails to send yields an ErrorCodeSendFailed event
//     instead (see below), so only what reached the model is persisted;
//   - model text: a partial event per chunk, then one non-partial event with
//     the merged text of the segment, emitted when the segment ends (before
//     a toolCall, interrupted, generationComplete or turnComplete event,
//     before a non-text, non-audio part, or when the run ends); thoughts:
//     partial events, never merged;
//   - model audio: one non-partial event per chunk, never merged;
//   - executable code and code execution results: an event each;
//   - transcriptions: a partial event per fragment ({text, finished:false}),
//     then one non-partial {text, finished:true} event with the whole text
//     when the server says the transcription finished, the turn ends
//     (interrupted, generationComplete, turnComplete) or the run ends, if it
//     is not empty;
//     input transcriptions are authored "user", output ones by the agent;
//   - interrupted, generationComplete, turnComplete: after the pending text
//     and transcriptions, an event each with the flag set; turnComplete
//     carries the usage metadata that came in the same message;
//   - usage and grounding metadata, session resumption updates, goAway,
//     toolCallCancellation, voiceActivity and Vertex AI's
//     voiceActivityDetectionSignal: an event each with the matching field
//     set;
//   - toolCall: an event with the function calls (long-running ones listed
//     in LongRunningToolIDs), then each call runs in its own goroutine (at
//     most RunConfig.MaxConcurrentTools at once when it is positive). As
//     each finishes, an event authored by the agent with its
//     FunctionResponse (role "user", Actions as the tool set them) is
//     yielded and the response is sent to the model. Unknown tools, tool
//     errors and panics are answered with {"error": "..."}. A call the
//     server cancels (toolCallCancellation) has its context cancelled and
//     is not answered.
//
// Blobs from the queue go as realtime input: audio/* as audio, image/* as a
// video frame (the Live API's video input is a stream of image frames).
// Problems with one request do not end the run: a blob of any other MIME
// type (video/* included: send its frames as images), and activity signals
// while automatic activity detection is on (they would make the server
// close the session), are not sent and reported as events with ErrorCode
// ErrorCodeInvalidArgument naming the problem;
// a request the connection fails to send is reported with
// ErrorCodeSendFailed.
//
// In a live run the model makes a call whenever it starts a turn (on the
// user's text, or when activity detection hears the user speak), so the run
// counts each model turn (each turnComplete) as one LLM call, and the only
// way to enforce a limit of N = RunConfig.MaxLLMCalls (500 by default, no
// limit when negative) is to end the run when the Nth turn completes: from
// then on nothing more is sent to the model (requests still queued, or
// sent afterwards, are dropped), the Nth turnComplete event is yielded, and
// the run ends with an error wrapping ErrLLMCallsExceeded that says the
// limit N was reached.
//
// The run ends, closing the connection with a normal closure and leaving no
// goroutine behind (tool calls in progress are cancelled and waited for):
//
//   - when p.Queue is closed: the requests already queued are sent, then the
//     iterator ends without an error;
//   - when ctx ends: the iterator yields ctx's error;
//   - when the consumer stops ranging;
//   - when the connection fails or the server closes it: the iterator yields
//     an error wrapping the backend's error (reach it with errors.As). The
//     run does not reconnect yet (RunConfig.Reconnect is not used); the
//     backend error's Retryable method says whether a new run may succeed.
//
// However it ends, model text and transcriptions still pending (the
// connection ended mid-turn, the queue was closed mid-reply) are yielded
// first as the non-partial merged text and finished transcription events,
// so a caller that persists events keeps what the model said; they come
// after the events before them and before the run's error. When ctx ends
// or the consumer stops ranging, the run can no longer promise to yield:
// those events are then yielded only to a consumer still ranging, and only
// if the run's small event buffer has room for them.
func Run(ctx context.Context, p Params) iter.Seq2[*event.Event, error] {
	return func(yield func(*event.Event, error) bool) {
		r, req, err := prepare(p)
		if err != nil {
			yield(nil, err)
			return
		}
		conn, err := p.Model.Connect(ctx, req)
		if err != nil {
			yield(nil, fmt.Errorf("flow: connecting to model %q: %w", p.Model.Name(), err))
			return
		}
		r.serve(ctx, conn, yield)
	}
}

// liveRun is the state of one live run.
type liveRun struct {
	p     Params
	cfg   runconfig.RunConfig // p.RunConfig with defaults
	log   *slog.Logger
	stamp stamper
	funcs map[string]tool.FunctionTool

	// Set by serve.
	conn live.Conn
	// wireCtx is the context of every send and receive on conn: the
	// caller's, without its cancellation. When the run ends the connection
	// is closed, which unblocks them after a clean close handshake; an
	// operation whose context is cancelled would drop the connection
	// without one instead.
	wireCtx  context.Context
	out      *outbox
	tools    *toolRunner
	recvDone chan struct{} // closed when the receive loop has returned
	sender   *sender

	// queueClosed is set by the sender before it closes the connection
	// because the queue was closed: the end the caller asked for.
	queueClosed atomic.Bool
	// turnMu keeps a user turn's event ahead of the model's answer to it:
	// the sender holds it from sending the turn until the turn's event
	// is in the outbox, and the receive loop holds it while it hands an
	// event on (never while it waits for the connection), so an answer
	// that arrives before the turn's event is handed on waits for it.
	turnMu sync.Mutex
	// llmLimitReached is set by the receive loop when the model completed
	// the last turn RunConfig.MaxLLMCalls allows, before it hands that
	// turnComplete on; from then on the sender sends nothing.
	llmLimitReached atomic.Bool

	// Owned by the receive loop.
	mapper       mapper
	turns        int    // model turns completed (turnComplete messages)
	resumeHandle string // the newest resumption handle, for reconnecting
}

// prepare checks p and builds the run and its connect request.
func prepare(p Params) (*liveRun, *live.ConnectRequest, error) {
	if p.Model == nil {
		return nil, nil, fmt.Errorf("%w: Model is nil", ErrInvalidParams)
	}
	if p.Queue == nil {
		return nil, nil, fmt.Errorf("%w: Queue is nil", ErrInvalidParams)
	}
	if p.Author == "" {
		return nil, nil, fmt.Errorf("%w: Author (the agent's name) is empty", ErrInvalidParams)
	}
	backend := genai.BackendUnspecified
	if b, ok := p.Model.(backender); ok {
		backend = b.Backend()
	}
	cfg := p.RunConfig.WithDefaults()
	if err := cfg.Validate(backend); err != nil {
		return nil, nil, fmt.Errorf("flow: %w", err)
	}
	if p.InvocationID == "" {
		p.InvocationID = event.NewInvocationID()
	}
	r := &liveRun{
		p:   p,
		cfg: cfg,
		log: logattr.With(p.Logger, slog.String("agent", p.Author)),
		stamp: stamper{
			invocationID: p.InvocationID,
			branch:       p.Branch,
			metadata:     cfg.CustomMetadata,
		},
	}
	r.stamp.ids.seed()
	req, funcs, err := connectRequest(p, cfg)
	if err != nil {
		return nil, nil, err
	}
	r.funcs = funcs
	return r, req, nil
}

// serve runs the loops on an open connection and yields their events until
// the run ends, then tears everything down.
func (r *liveRun) serve(ctx context.Context, conn live.Conn, yield func(*event.Event, error) bool) {
	runCtx, cancel := context.WithCancel(ctx)
	r.conn = conn
	r.wireCtx = context.WithoutCancel(ctx)
	r.out = newOutbox(runCtx.Done())
	r.tools = newToolRunner(runCtx, r)
	r.stamp.sessionID = conn.SessionID()
	r.mapper = mapper{author: r.p.Author, stamp: &r.stamp, emit: r.putReceived}
	r.recvDone = make(chan struct{})

	// However the run ends, the connection gets a normal close frame.
	closed := make(chan struct{})
	context.AfterFunc(runCtx, func() {
		defer close(closed)
		r.closeConn()
	})
	r.sender = &sender{r: r, ctx: runCtx}
	r.sender.start()
	var recvErr error
	ranging := make(chan struct{}) // closed when the consumer stops ranging
	go func() {
		defer close(r.recvDone)
		recvErr = r.receiveLoop(ctx)
		// A nil event tells the consumer loop below that the receive
		// loop is over, after its last event; the consumer waits on the
		// outbox alone, which is cheaper per event than a select. Unlike
		// the events, it goes in even when the run is over: a consumer
		// still ranging must get it.
		select {
		case r.out.ch <- nil:
		case <-ranging:
		}
	}()

	finish := func() {
		cancel()
		<-r.recvDone
		r.sender.stop()
		r.tools.wait()
		<-closed
	}
	defer func() {
		close(ranging)
		finish()
	}()

	for {
		ev := <-r.out.ch
		if ev != nil {
			if !yield(ev, nil) {
				return
			}
			continue
		}
		finish()
		// Everything the loops and tools handed over before the end is
		// still delivered, in order.
		for len(r.out.ch) > 0 {
			if ev := <-r.out.ch; ev != nil && !yield(ev, nil) {
				return
			}
		}
		if recvErr != nil {
			yield(nil, recvErr)
		}
		return
	}
}

// putReceived hands on an event of the receive loop, after the event of
// a user turn being sent (see turnMu). It reports false when the run is
// over.
func (r *liveRun) putReceived(ev *event.Event) bool {
	r.turnMu.Lock()
	ok := r.out.put(ev)
	r.turnMu.Unlock()
	return ok
}

// closeConn closes the connection with a normal closure.
func (r *liveRun) closeConn() {
	if err := r.conn.Close(); err != nil {
		r.log.Debug("flow: closing the connection", "error", err)
	}
}

// stamper makes the events of one run.
type stamper struct {
	ids          eventIDs
	invocationID string
	branch       string
	sessionID    string
	metadata     map[string]any // shared by every event; never modified
}

// event returns a new event by author with the run's identity fields set,
// a fresh ID and the current time (as event.New sets them).
func (s *stamper) event(author string) *event.Event {
	return &event.Event{
		ID:             s.ids.next(),
		InvocationID:   s.invocationID,
		Author:         author,
		Timestamp:      time.Now().Truncate(time.Microsecond),
		Branch:         s.branch,
		CustomMetadata: s.metadata,
		LiveSessionID:  s.sessionID,
	}
}
