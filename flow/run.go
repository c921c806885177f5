package flow

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"maps"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/artifact"
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
	// State is the session's state when the run starts, which function
	// tools read through tool.Context.State (with the state deltas of the
	// run's events applied as they come). Run copies it; nil is empty.
	State map[string]any
	// ArtifactService stores the artifacts function tools save and load
	// through tool.Context.Artifacts, under AppName, UserID and SessionID;
	// nil makes those calls fail with tool.ErrNoArtifactService.
	ArtifactService artifact.Service
	// AppName, UserID and SessionID name the session the run is on; tools'
	// artifacts are stored under them.
	AppName, UserID, SessionID string
	// Callbacks are the first agent's callbacks (see Callbacks); an
	// Agent of the Team brings its own.
	Callbacks Callbacks
	// Plugins apply to every agent of the run; their callbacks run
	// before the agent's (see Callbacks).
	Plugins []Plugin
	// History is the session's events, oldest first, used to seed the
	// conversation (see Run). It is not sent when the run resumes from a
	// RunConfig.SessionResumption handle: the server has the conversation.
	History []*event.Event
	// Queue is the run's input, already claimed by the caller. Closing it
	// ends the run.
	Queue *livequeue.Queue
	// Team, when set, lets the run move between agents: after a function
	// response whose Actions set TransferToAgent or Escalate, the run asks
	// Team.Handoff where to go (see Run). The fields above describe the
	// agent the run starts as. Nil: the run stays with one agent.
	Team Team
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
//     errors and panics are answered with {"error": "..."}, and so is a
//     call whose args are not a JSON object (live.Response.
//     ToolCallArgErrors), without running the tool. A call the server
//     cancels (toolCallCancellation) has its context cancelled and is not
//     answered. Identical calls of a function tool in one toolCall message
//     (same name, same args) run once: the model sometimes repeats a
//     call. Their response event and toolResponse message carry one
//     FunctionResponse per distinct call id, each echoing its call's id
//     with the same response (a model waits for every id it sent; a
//     repeat of the same id too is answered once). A call without an id
//     is answered without one. The responses of NON_BLOCKING functions
//     (tool.Scheduled) carry their scheduling; a model that refuses the
//     field (live.NonBlockingChecker: Vertex AI, gemini-3.1 live models)
//     makes Run fail before dialing with an error wrapping
//     ErrInvalidParams;
//   - a call of a streaming tool (tool.StreamingTool) is answered at once
//     with {"status": "started: ..."}, then each result is yielded as a
//     function response event and sent to the model: on the Gemini API as
//     a function response with willContinue and the tool's scheduling,
//     ending with one without willContinue ({"status": "stopped"} or
//     "finished"); where willContinue is refused, as a user text turn
//     "Function NAME returned: {json}" (its event authored "user"). When
//     the agent has streaming tools, the run declares stop_streaming and
//     runs it: stop_streaming(function_name) stops every running call of
//     that tool. Calls of streaming tools run at once, hold no
//     MaxConcurrentTools slot, and get, with an input stream, a copy of
//     every queue request (bounded: see tool.InputStream). A stream stops
//     with its connection, since the next one never made the call.
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
//   - when the connection fails for good: the server refused the session
//     (a fatal close such as 1007 or 1008: the iterator yields an error
//     wrapping the backend's, reach it with errors.As), reconnection is off
//     (RunConfig.Reconnect.Disabled), or RunConfig.Reconnect.MaxAttempts
//     attempts in a row failed.
//
// A run outlives its connections. When the connection drops (1006, an
// unexpected 1000, a 1011 that is not about quota, a network error, a
// write stuck past RunConfig.WriteTimeout, a ping unanswered within
// RunConfig.Keepalive) the run reconnects with exponential backoff and
// jitter (longer after a quota error), resuming the session from the
// newest resumption handle, which it requests by default while
// reconnection is on; without a handle it opens a fresh session seeded
// with the whole conversation. After a goAway it moves to a new connection
// at the next turn boundary, or shortly before timeLeft runs out, closing
// the old one normally. Events with Reconnect set report each attempt
// (started, succeeded, gave up). Input sent meanwhile is held and
// delivered after, in order and once; on a resumed session the messages
// sent after the handle (with transparent resumption: those the server
// did not consume) are sent again first. Held audio is bounded by
// RunConfig.MaxHeldAudioBytes; what is dropped is reported in one Warning
// event. Tool calls still running when their connection ends are
// cancelled, and each gets a response event saying so, so the history
// never keeps a call without a response.
//
// With p.Team set, a run moves between agents. After the response event
// of a function call whose Actions set TransferToAgent or Escalate (the
// built-in tools transfer_to_agent and task_completed do), the run asks
// Team.Handoff where to go. To move, the connection stops taking input at
// once (the input is held as during a reconnection), the response event is
// yielded, the connection is closed without answering the call, and the
// run goes on at once on a new connection with the next agent's model,
// instruction and tools, in a new session seeded with the whole
// conversation, which ends with the response, so the next agent answers
// at once; the held input follows, in order and once, and the events carry
// the next agent's name as Author and its Branch.
// In such a run, each connection's history tells its agent the other
// agents' turns as user text ("For context:", "[coordinator] said: …",
// "[coordinator] called tool `transfer_to_agent` with parameters: …"),
// as ADK does, instead of as the agent's own turns and calls. A transfer
// the team cannot make (no such agent, or one whose tools or model do not
// suit the run config) is answered with {"error": ...} and the run stays.
// When Handoff says the run ends, it ends without an error.
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
		r, err := prepare(p)
		if err != nil {
			yield(nil, err)
			return
		}
		r.serve(ctx, yield)
	}
}

// run is the state of one live run: what lasts the whole conversation
// (the sender, the tool runner, the event mapper, the stamper, the outbox)
// over a succession of links, one per connection.
type run struct {
	p       Params
	cfg     runconfig.RunConfig // p.RunConfig with defaults
	log     *slog.Logger
	stamp   stamper
	req     *live.ConnectRequest // the first link's
	backend genai.Backend        // the first agent's model's
	state   runState             // what tools read as session state

	// agent is the agent the run talks as; the supervisor changes it
	// when the run moves to another agent. switchTo is a move a function
	// response asked for, which the supervisor makes when the link ends.
	agent    atomic.Pointer[agentState]
	switchTo atomic.Pointer[agentSwitch]

	// resuming: the setup asks for resumption handles; transparent: with
	// transparent resumption; journaling: links keep what they sent, to
	// resend after a resume.
	resuming, transparent, journaling bool

	// Set by serve.
	//
	// wireCtx is the context of every send and receive: the caller's,
	// without its cancellation. The run ends a connection by closing it,
	// which completes a clean close handshake; an operation whose context
	// is cancelled would drop the connection without one instead.
	wireCtx context.Context
	// stopCtx ends when the run ends or the queue is closed: it stops
	// connection attempts and backoff waits at once.
	stopCtx    context.Context
	stopFn     context.CancelFunc
	out        *outbox
	tools      *toolRunner
	sender     *sender
	held       held
	link       atomic.Pointer[link] // the current link; nil while down
	limitTimer *time.Timer          // the session limit warning

	// queueClosed is set by the sender when the queue was closed: the
	// end the caller asked for.
	queueClosed atomic.Bool
	// llmLimitReached is set by the receive loop when the model completed
	// the last turn RunConfig.MaxLLMCalls allows, before it hands that
	// turnComplete on; from then on the sender sends nothing.
	llmLimitReached atomic.Bool
	sentVideo       atomic.Bool // an image frame was sent (session limits)

	streams streams // the calls of streaming tools running (streaming.go)

	// predialed is the transport dialled early for a goAway handover
	// (see predial), and when; bg counts the goroutines that dial it.
	pdMu      sync.Mutex
	predialed live.Dialed
	pdAt      time.Time
	bg        sync.WaitGroup

	convMu sync.Mutex
	conv   []*event.Event // the run's events that a fresh session is seeded with

	// Owned by the supervisor goroutine.
	mapper       mapper
	turns        int    // model turns completed (turnComplete messages)
	newestHandle string // the newest resumption handle
}

// prepare checks p and builds the run and its first connect request.
func prepare(p Params) (*run, error) {
	if p.Model == nil {
		return nil, fmt.Errorf("%w: Model is nil", ErrInvalidParams)
	}
	if p.Queue == nil {
		return nil, fmt.Errorf("%w: Queue is nil", ErrInvalidParams)
	}
	if p.Author == "" {
		return nil, fmt.Errorf("%w: Author (the agent's name) is empty", ErrInvalidParams)
	}
	backend := genai.BackendUnspecified
	if b, ok := p.Model.(backender); ok {
		backend = b.Backend()
	}
	cfg := p.RunConfig.WithDefaults()
	if err := cfg.Validate(backend); err != nil {
		return nil, fmt.Errorf("flow: %w", err)
	}
	if p.InvocationID == "" {
		p.InvocationID = event.NewInvocationID()
	}
	r := &run{
		p:       p,
		cfg:     cfg,
		backend: backend,
		log:     logattr.With(p.Logger, slog.String("agent", p.Author)),
		stamp: stamper{
			invocationID: p.InvocationID,
			metadata:     cfg.CustomMetadata,
		},
		held:  held{limit: cfg.MaxHeldAudioBytes},
		state: runState{m: maps.Clone(p.State)},
	}
	r.stamp.ids.seed()
	r.stamp.setBranch(p.Branch)
	req, funcs, err := connectRequest(p, cfg)
	if err != nil {
		return nil, err
	}
	var tools agentTools
	if req.Setup, tools, err = r.prepareTools(p.Model, backend, funcs, req.Setup); err != nil {
		return nil, err
	}
	r.req = req
	setup := *req.Setup
	if sr := setup.SessionResumption; sr != nil {
		c := *sr
		c.Handle = ""
		setup.SessionResumption = &c
	}
	r.agent.Store(&agentState{
		name: p.Author, branch: p.Branch, model: p.Model, backend: backend,
		funcs: funcs, setup: &setup, tools: tools, callbacks: p.Callbacks,
	})
	if sr := req.Setup.SessionResumption; sr != nil {
		r.resuming, r.transparent = true, sr.Transparent
		r.newestHandle = sr.Handle
	}
	r.journaling = r.resuming && !cfg.Reconnect.Disabled
	return r, nil
}

// serve runs the supervisor and yields the run's events until the run
// ends, then tears everything down.
func (r *run) serve(ctx context.Context, yield func(*event.Event, error) bool) {
	runCtx, cancel := context.WithCancel(ctx)
	r.wireCtx = context.WithoutCancel(ctx)
	r.stopCtx, r.stopFn = context.WithCancel(runCtx)
	r.out = newOutbox(runCtx.Done())
	r.tools = newToolRunner(runCtx, r)
	r.mapper = mapper{author: r.p.Author, stamp: &r.stamp, emit: r.put}
	r.sender = &sender{r: r, ctx: runCtx}

	// However the run ends, the current connection gets a normal close
	// frame, which also ends its receive loop.
	context.AfterFunc(runCtx, func() {
		if l := r.link.Load(); l != nil {
			l.conn.Close()
		}
	})
	r.sender.start()
	var superErr error
	superDone := make(chan struct{})
	ranging := make(chan struct{}) // closed when the consumer stops ranging
	go func() {
		defer close(superDone)
		superErr = r.supervise(ctx, runCtx)
		// A nil event tells the consumer loop below that the supervisor
		// is over, after its last event; the consumer waits on the
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
		<-superDone
		r.bg.Wait() // a dial in progress ends with the run's context
		if d := r.takePredialed(); d != nil {
			d.Close()
		}
		r.sender.stop()
		if r.limitTimer != nil {
			r.limitTimer.Stop()
		}
		if abandoned := r.tools.wait(r.cfg.ToolGracePeriod); len(abandoned) > 0 {
			msg := fmt.Sprintf("the run ended without tool calls that ignored their cancellation for RunConfig.ToolGracePeriod (%v): %s",
				r.cfg.ToolGracePeriod, strings.Join(abandoned, ", "))
			r.log.Error("flow: " + msg)
			r.warn(event.WarningToolAbandoned, msg) // yielded if the consumer is ranging and there is room
		}
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
		// Everything handed over before the end is still delivered, in
		// order.
		for len(r.out.ch) > 0 {
			if ev := <-r.out.ch; ev != nil && !yield(ev, nil) {
				return
			}
		}
		if superErr != nil {
			yield(nil, superErr)
		}
		return
	}
}

// put hands ev to the consumer and keeps what a fresh session would be
// seeded with. It reports false when the run is over.
func (r *run) put(ev *event.Event) bool {
	if !r.afterModel(ev) {
		return true // withheld by an after-model callback
	}
	if len(ev.Actions.StateDelta) > 0 {
		r.state.apply(ev.Actions.StateDelta)
	}
	if seedsHistory(ev) {
		r.convMu.Lock()
		r.conv = append(r.conv, ev)
		r.convMu.Unlock()
	}
	return r.out.put(ev)
}

// setHandle records the newest resumption handle.
func (r *run) setHandle(h string) { r.newestHandle = h }

// getHandle returns the newest resumption handle, or "".
func (r *run) getHandle() string { return r.newestHandle }
