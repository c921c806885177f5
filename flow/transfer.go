package flow

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/tool"
)

// Agent is one agent of a run that moves between agents (see Team): what
// the links of the run are made of while it talks as this agent.
type Agent struct {
	// Name is the agent's name, the Author of the events it produces.
	// Required.
	Name string
	// Branch is copied onto the events of the run while it talks as this
	// agent.
	Branch string
	// Model is the live model the agent talks through. Required. The
	// run's RunConfig is validated for its backend, as for Params.Model.
	Model live.Model
	// Instruction is the agent's system instruction; "" sends none.
	Instruction string
	// Tools are declared to the agent's model, as Params.Tools.
	Tools []tool.Tool
	// Callbacks are the agent's callbacks, as Params.Callbacks.
	Callbacks Callbacks
}

// Team is the set of agents a run can move between. A function tool asks
// for a move through the Actions of its response: TransferToAgent names
// the agent to move to, and Escalate says that the agent's task is done
// (a step of a sequential agent called task_completed). After such a
// response, the run asks its Team where to go.
type Team interface {
	// Handoff returns where the run goes after a function response of
	// the agent named from whose actions ask for a move: to is the agent
	// to move to; end is true when the run ends there (the last step of
	// a sequential agent is done); neither means the run stays with from
	// (for TransferToAgent: no agent of that name can take over).
	Handoff(from string, actions event.Actions) (to *Agent, end bool)
}

// agentState is the agent a run talks as, ready to make links: its
// identity, its model and the setup and tools its links declare. It is
// never modified once made, so any goroutine may read it.
type agentState struct {
	name    string
	branch  string
	model   live.Model
	backend genai.Backend
	funcs   map[string]tool.FunctionTool
	setup   *genai.LiveClientSetup // without a resumption handle or history
	tools   agentTools             // NON_BLOCKING and streaming tools (streaming.go)

	callbacks Callbacks
}

// newAgentState checks a and builds the setup of its links from the run's
// config. Errors name the agent and what was wrong.
func (r *run) newAgentState(a *Agent) (*agentState, error) {
	switch {
	case a == nil:
		return nil, fmt.Errorf("%w: the team returned a nil agent", ErrInvalidParams)
	case a.Name == "":
		return nil, fmt.Errorf("%w: an agent of the team has an empty Name", ErrInvalidParams)
	case a.Model == nil:
		return nil, fmt.Errorf("%w: agent %q has no Model", ErrInvalidParams, a.Name)
	}
	backend := genai.BackendUnspecified
	if b, ok := a.Model.(backender); ok {
		backend = b.Backend()
	}
	if err := r.cfg.Validate(backend); err != nil {
		return nil, fmt.Errorf("flow: agent %q (model %q): %w", a.Name, a.Model.Name(), err)
	}
	p := Params{Instruction: a.Instruction, Tools: a.Tools}
	cfg := r.cfg
	cfg.SessionResumption = nil // a new agent starts a new session
	req, funcs, err := connectRequest(p, cfg)
	if err != nil {
		return nil, fmt.Errorf("agent %q: %w", a.Name, err)
	}
	var tools agentTools
	if req.Setup, tools, err = r.prepareTools(a.Model, backend, funcs, req.Setup); err != nil {
		return nil, fmt.Errorf("agent %q: %w", a.Name, err)
	}
	if sr := r.req.Setup.SessionResumption; sr != nil {
		c := *sr
		c.Handle = ""
		req.Setup.SessionResumption = &c
	}
	return &agentState{
		name: a.Name, branch: a.Branch, model: a.Model, backend: backend,
		funcs: funcs, setup: req.Setup, tools: tools, callbacks: a.Callbacks,
	}, nil
}

// cur returns the agent the run talks as now.
func (r *run) cur() *agentState { return r.agent.Load() }

// agentSwitch is a move a function response asked for: to the agent to,
// or the end of the run.
type agentSwitch struct {
	to  *agentState
	end bool
}

// errAgentSwitch ends a link whose agent handed the run over.
var errAgentSwitch = errors.New("flow: the agent handed the run over")

// handoff asks the team where the run goes after a function response of
// l's agent with actions. It returns the move, or nil when the run stays;
// then the response and actions to record may have been changed: a
// transfer that cannot happen is answered with an error.
func (r *run) handoff(l *link, response map[string]any, actions event.Actions) (*agentSwitch, map[string]any, event.Actions) {
	if r.p.Team == nil || actions.TransferToAgent == "" && !actions.Escalate {
		return nil, response, actions
	}
	from := l.agent.name
	to, end := r.p.Team.Handoff(from, actions)
	switch {
	case end:
		r.log.Debug("flow: the agent's task is done; the run ends", "from", from)
		return &agentSwitch{end: true}, response, actions
	case to == nil && actions.TransferToAgent != "":
		name := actions.TransferToAgent
		actions.TransferToAgent = ""
		return nil, errorResponse(fmt.Sprintf("cannot transfer to agent %q: there is no such agent to move to", name)), actions
	case to == nil:
		return nil, response, actions
	}
	st, err := r.newAgentState(to)
	if err != nil {
		r.log.Warn("flow: cannot move the run to another agent", "from", from, "to", to.Name, "error", err)
		actions.TransferToAgent = ""
		return nil, errorResponse(fmt.Sprintf("cannot transfer to agent %q: %v", to.Name, err)), actions
	}
	r.log.Debug("flow: moving the run to another agent", "from", from, "to", st.name)
	return &agentSwitch{to: st}, response, actions
}

// leave hands the run over as sw says, after the function response ev of
// a call made on l. The link stops taking input at once (the sender holds
// it for the next link), ev is yielded and joins the conversation the next
// agent is seeded with, and then the link is closed: the model that made
// the call is not answered.
func (r *run) leave(l *link, sw *agentSwitch, ev *event.Event) {
	l.end(errAgentSwitch) // no write starts on l from now on
	r.put(ev)
	r.switchTo.Store(sw)
	// The supervisor may have replaced l already (it dropped meanwhile):
	// the current link is left too. install checks switchTo after it
	// makes a link current, so one of the two sees the other.
	if cur := r.link.Load(); cur != nil && cur != l {
		cur.end(errAgentSwitch)
		cur.conn.Close()
	}
	l.conn.Close()
	r.sender.kick()
}

// moveTo makes the run talk as st from the link that replaces old: a new
// session of st's model, seeded with the whole conversation. The first
// attempt is made at once; a retryable failure goes on as a reconnection
// (with its backoff and Reconnect events). It returns a nil connection
// and nil error when the run was stopped meanwhile.
func (r *run) moveTo(old *link, st *agentState) (conn live.Conn, seeded bool, err error) {
	prev := r.cur()
	r.agent.Store(st)
	r.stamp.setBranch(st.branch)
	r.mapper.author = st.name
	r.setHandle("") // the handle resumes the previous agent's session
	if d := r.takePredialed(); d != nil {
		d.Close() // dialled for the previous agent's model (a goAway)
	}
	r.log.Info("flow: the run moves to another agent", "from", prev.name, "to", st.name, "model", st.model.Name())
	req := r.nextRequest()
	conn, err = r.connect(req)
	switch {
	case err == nil:
		r.carryOver(old, false)
		return conn, len(req.History) > 0, nil
	case r.stopped():
		return nil, false, nil
	case live.Retryable(err) || live.Quota(err):
		if r.cfg.Reconnect.Disabled {
			return nil, false, fmt.Errorf("flow: moving to agent %q: connecting to model %q: %w", st.name, st.model.Name(), err)
		}
		conn, _, seeded, err = r.reconnect(old, err)
		return conn, seeded, err
	}
	return nil, false, fmt.Errorf("flow: moving to agent %q: connecting to model %q: %w", st.name, st.model.Name(), err)
}

// funcNames returns the names of the agent's function tools, sorted, for
// an error message.
func (a *agentState) funcNames() []string {
	names := slices.Sorted(maps.Keys(a.funcs))
	if len(names) == 0 {
		return []string{"(none)"}
	}
	return names
}
