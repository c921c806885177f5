package flow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/livequeue"
	"github.com/adklive/adklive/tool"
)

// Streaming tools and NON_BLOCKING functions.
//
// Wire form. On the Gemini API a streaming tool is declared NON_BLOCKING,
// so the model goes on talking while it runs. Its call is answered at once
// with {"status": "started..."} (willContinue, SILENT), each result is a
// further function response for the same call id with willContinue true
// and the tool's scheduling (WHEN_IDLE by default: the model tells the user
// when it is idle; no new user turn), and the end is a last response with
// willContinue false and SILENT scheduling ({"status": "stopped"} or
// {"status": "finished"}; an error is sent with the tool's scheduling).
//
// Vertex AI and gemini-3.1 live models refuse willContinue and scheduling
// (docs/PROTOCOL.md §3). There the tool is declared as an ordinary
// function, its call is answered at once with {"status": "started..."},
// and each result goes as user text, "Function NAME returned: {json}", as
// ADK Python does: a new user turn, which the model answers.
//
// A second call of a streaming tool runs beside the first (monitoring two
// prices is two calls of one tool); each call's results carry its own id,
// and stop_streaming(function_name) stops every call of that tool. A
// stream holds no RunConfig.MaxConcurrentTools slot, since it runs until
// it is stopped.

// stopWait bounds how long stop_streaming waits for the streams it
// stopped to return, so their last response precedes its own.
const stopWait = time.Second

var (
	// errStopped is the cause of a stream that stop_streaming stopped.
	errStopped = errors.New("flow: stopped by stop_streaming")
	// errStreamLinkEnded is the cause of a stream whose connection ended:
	// the next connection never made the call.
	errStreamLinkEnded = errors.New("flow: the connection of the call ended")
)

// streamCall is one running call of a streaming tool.
type streamCall struct {
	rc    *runningCall
	input *tool.InputStream // nil without an input stream
	stop  context.CancelCauseFunc
	done  chan struct{} // closed when the call has returned
}

// streams tracks the running calls of streaming tools.
type streams struct {
	inputs atomic.Int32 // open input streams: the sender's one check
	mu     sync.Mutex
	calls  []*streamCall
}

// copyInput hands a copy of a queue request to the input streams of the
// running streaming tools. With none running it costs one atomic load.
func (s *streams) copyInput(req livequeue.Request) {
	if s.inputs.Load() == 0 {
		return
	}
	s.offer(req)
}

// offer gives req to every open input stream, dropping it (counted) for
// those whose buffer is full.
func (s *streams) offer(req livequeue.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sc := range s.calls {
		if sc.input != nil {
			sc.input.Offer(req)
		}
	}
}

func (s *streams) add(sc *streamCall) {
	s.mu.Lock()
	s.calls = append(s.calls, sc)
	s.mu.Unlock()
	if sc.input != nil {
		s.inputs.Add(1)
	}
}

func (s *streams) remove(sc *streamCall) {
	s.mu.Lock()
	s.calls = slices.DeleteFunc(s.calls, func(x *streamCall) bool { return x == sc })
	s.mu.Unlock()
	if sc.input != nil {
		s.inputs.Add(-1)
		sc.input.Close()
	}
	close(sc.done)
}

// stop stops every running call of the tool name, waits up to stopWait
// (or until ctx ends) for them to return, and reports how many it stopped
// and how many had not returned yet.
func (s *streams) stop(ctx context.Context, name string) (stopped, running int) {
	s.mu.Lock()
	var found []*streamCall
	for _, sc := range s.calls {
		if sc.rc.call.Name == name {
			found = append(found, sc)
		}
	}
	s.mu.Unlock()
	for _, sc := range found {
		sc.stop(errStopped)
	}
	timer := time.NewTimer(stopWait)
	defer timer.Stop()
	for _, sc := range found {
		select {
		case <-sc.done:
		case <-timer.C:
			return len(found), countRunning(found)
		case <-ctx.Done():
			return len(found), countRunning(found)
		}
	}
	return len(found), 0
}

func countRunning(calls []*streamCall) (n int) {
	for _, sc := range calls {
		select {
		case <-sc.done:
		default:
			n++
		}
	}
	return n
}

// linkEnded stops the streams whose call came on l.
func (s *streams) linkEnded(l *link) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sc := range s.calls {
		if sc.rc.link == l {
			sc.stop(errStreamLinkEnded)
		}
	}
}

// agentTools is what the run keeps about an agent's NON_BLOCKING and
// streaming tools.
type agentTools struct {
	schedules   map[string]genai.FunctionResponseScheduling // of NON_BLOCKING responses, by function
	textStreams bool                                        // streaming results go as user text
}

// prepareTools checks an agent's NON_BLOCKING and streaming tools against
// its model, and returns the setup to declare: when there are streaming
// tools, with stop_streaming added (to funcs too). setup is not modified.
func (r *run) prepareTools(model live.Model, backend genai.Backend, funcs map[string]tool.FunctionTool,
	setup *genai.LiveClientSetup) (*genai.LiveClientSetup, agentTools, error) {
	var at agentTools
	var streaming []string
	for _, name := range slices.Sorted(maps.Keys(funcs)) {
		switch f := funcs[name].(type) {
		case tool.StreamingTool:
			streaming = append(streaming, name)
		case tool.Scheduled:
			if err := checkNonBlocking(model, backend); err != nil {
				return nil, at, fmt.Errorf("%w: function %q is NON_BLOCKING with response scheduling %s, which the model refuses: %w",
					ErrInvalidParams, name, f.Scheduling(), err)
			}
			if at.schedules == nil {
				at.schedules = make(map[string]genai.FunctionResponseScheduling)
			}
			at.schedules[name] = f.Scheduling()
		}
	}
	if len(streaming) == 0 {
		return setup, at, nil
	}
	if _, ok := funcs[tool.StopStreamingName]; ok {
		return nil, at, fmt.Errorf("%w: Tools: a function tool is named %q, the built-in the run declares itself to stop streaming tools (%s); remove it",
			ErrInvalidParams, tool.StopStreamingName, strings.Join(streaming, ", "))
	}
	at.textStreams = checkNonBlocking(model, backend) != nil
	s := *setup // copy what changes
	s.Tools = slices.Clone(s.Tools)
	var decls *genai.Tool
	for i, t := range s.Tools {
		if len(t.FunctionDeclarations) > 0 {
			tc := *t
			tc.FunctionDeclarations = slices.Clone(t.FunctionDeclarations)
			s.Tools[i], decls = &tc, &tc
			break
		}
	}
	if at.textStreams {
		// The model refuses the responses that continue: the tools are
		// declared as ordinary functions and their results go as text.
		for i, d := range decls.FunctionDeclarations {
			if slices.Contains(streaming, d.Name) {
				dc := *d
				dc.Behavior = ""
				decls.FunctionDeclarations[i] = &dc
			}
		}
	}
	decls.FunctionDeclarations = append(decls.FunctionDeclarations, tool.StopStreamingDeclaration(streaming))
	funcs[tool.StopStreamingName] = &stopStreaming{streams: &r.streams, names: streaming}
	return &s, at, nil
}

// checkNonBlocking reports whether model refuses scheduling and
// willContinue on function responses.
func checkNonBlocking(model live.Model, backend genai.Backend) error {
	if c, ok := model.(live.NonBlockingChecker); ok {
		return c.CheckNonBlocking()
	}
	if backend == genai.BackendVertexAI {
		return errors.New("Vertex AI refuses functionResponse.scheduling and willContinue (the responses of NON_BLOCKING functions)")
	}
	return nil
}

// stream runs one call of a streaming tool: it answers the call at once,
// sends each result as it comes, and a last response when the stream
// ends or stop_streaming stops it.
func (t *toolRunner) stream(ctx context.Context, rc *runningCall, st tool.StreamingTool) {
	c := rc.call
	sctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	sc := &streamCall{rc: rc, stop: stop, done: make(chan struct{})}
	if n := st.InputBuffer(); n > 0 {
		sc.input = tool.NewInputStream(n)
	}
	t.r.streams.add(sc)
	defer func() {
		if n := sc.input.Dropped(); n > 0 {
			t.r.log.Info("flow: a streaming tool's input stream was full; requests dropped",
				"tool", c.Name, "call_id", c.ID, "dropped", n)
		}
		t.r.streams.remove(sc)
	}()

	if !rc.answered.CompareAndSwap(false, true) {
		return // the server cancelled the call already
	}
	tc := tool.NewContext(sctx, t.r.callInfo(rc.link.agent, c.ID))
	cbs := &rc.link.agent.callbacks
	// A copy: a before callback may change the arguments, and the call's
	// event, already yielded, holds the model's.
	args := maps.Clone(c.Args)
	if res, answered := t.beforeStream(tc, cbs, st, args); answered {
		t.streamResponse(rc, res, *tc.Actions(), false, st.Scheduling(), true)
		return
	}
	started := map[string]any{"status": "started: the results will follow as they come"}
	if !t.streamResponse(rc, started, event.Actions{}, true, genai.FunctionResponseSchedulingSilent, true) {
		return
	}
	final, actions, ok := t.pull(sctx, rc, tc, cbs, st, args, sc.input)
	if !ok || ctx.Err() != nil {
		return // the run or the call is over: nothing more goes to the model
	}
	schedule := genai.FunctionResponseSchedulingSilent
	switch cause := context.Cause(sctx); {
	case final != nil:
		// An error, or what an error callback made of it: the model
		// should tell the user.
		schedule = st.Scheduling()
	case sctx.Err() != nil && !errors.Is(cause, errStopped):
		return // the connection ended
	case rc.link.agent.tools.textStreams:
		return // the end of a stream is not news to the model
	case errors.Is(cause, errStopped):
		final = map[string]any{"status": "stopped"}
	default:
		final = map[string]any{"status": "finished"}
	}
	t.streamResponse(rc, final, actions, false, schedule, false)
}

// pull ranges over the tool's results and sends each. When the tool
// failed or panicked, it returns the last response the error callbacks
// make of it (see streamFailed), with the actions not yet sent; it
// returns false when the run is over.
func (t *toolRunner) pull(ctx context.Context, rc *runningCall, tc tool.Context, cbs *Callbacks, st tool.StreamingTool,
	args map[string]any, in *tool.InputStream) (final map[string]any, actions event.Actions, ok bool) {
	c := rc.call
	defer func() {
		if v := recover(); v != nil {
			stack := debug.Stack()
			t.r.log.Error("flow: streaming tool panicked", "tool", c.Name, "call_id", c.ID, "panic", v, "stack", string(stack))
			final = t.streamFailed(tc, cbs, st, args, &panicError{tool: c.Name, value: v, stack: stack})
			actions, ok = *tc.Actions(), true
		}
	}()
	for res, err := range st.Stream(tc, args, in) {
		if ctx.Err() != nil {
			return nil, event.Actions{}, true
		}
		if err != nil {
			return t.streamFailed(tc, cbs, st, args, err), *tc.Actions(), true
		}
		if res == nil {
			res = map[string]any{}
		}
		a := *tc.Actions()
		*tc.Actions() = event.Actions{}
		if !t.streamResponse(rc, res, a, true, st.Scheduling(), false) {
			return nil, event.Actions{}, false
		}
	}
	return nil, *tc.Actions(), true
}

// streamResponse records one response of a streaming call as an event and
// sends it to the model (see the wire form above); more says results
// follow. first marks the response that answers the call. It reports
// false when the run is over.
func (t *toolRunner) streamResponse(rc *runningCall, response map[string]any, actions event.Actions, more bool,
	schedule genai.FunctionResponseScheduling, first bool) bool {
	c := rc.call
	if rc.link.agent.tools.textStreams && !first {
		m := t.r.contentMessage(resultText(c.Name, response))
		if m.turn != nil {
			m.turn.Actions = actions
		}
		t.r.sender.sendTool(m)
		return true
	}
	if !t.r.put(t.responseEvent(c, response, actions)) {
		return false
	}
	fr := &genai.FunctionResponse{ID: c.ID, Name: c.Name, Response: response}
	if !rc.link.agent.tools.textStreams {
		fr.WillContinue, fr.Scheduling = &more, schedule
	}
	t.r.sender.sendTool(&message{
		tool:     &genai.LiveClientToolResponse{FunctionResponses: []*genai.FunctionResponse{fr}},
		toolLink: rc.link,
	})
	return true
}

// resultText is a streaming result as user text, for the models that
// refuse responses that continue.
func resultText(name string, response map[string]any) *genai.Content {
	b, err := json.Marshal(response)
	if err != nil {
		b = []byte(fmt.Sprint(response))
	}
	return &genai.Content{Role: genai.RoleUser, Parts: []*genai.Part{{Text: fmt.Sprintf("Function %s returned: %s", name, b)}}}
}

// stopStreaming is the built-in stop_streaming, run by the run itself.
type stopStreaming struct {
	streams *streams
	names   []string // the streaming tools, sorted
}

func (s *stopStreaming) Name() string        { return tool.StopStreamingName }
func (s *stopStreaming) Description() string { return "Stops a streaming function that is running." }
func (s *stopStreaming) IsLongRunning() bool { return false }
func (s *stopStreaming) Declaration() *genai.FunctionDeclaration {
	return tool.StopStreamingDeclaration(s.names)
}

// Run stops the calls of the streaming tool args["function_name"].
func (s *stopStreaming) Run(ctx tool.Context, args map[string]any) (map[string]any, error) {
	name, _ := args["function_name"].(string)
	if !slices.Contains(s.names, name) {
		return nil, fmt.Errorf("function_name %q is not a streaming function; the streaming functions are: %s",
			name, strings.Join(s.names, ", "))
	}
	stopped, running := s.streams.stop(ctx, name)
	switch {
	case stopped == 0:
		return map[string]any{"status": fmt.Sprintf("No active streaming function named %s found", name)}, nil
	case running > 0:
		return map[string]any{"status": fmt.Sprintf("Asked %d call(s) of %s to stop; %d had not stopped yet", stopped, name, running)}, nil
	}
	return map[string]any{"status": fmt.Sprintf("Successfully stopped streaming function %s", name)}, nil
}
