package agent

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/tool"
)

// team is the agent tree of a live run, as the flow moves through it (a
// flow.Team): who may transfer to whom, which step of a sequential agent
// follows which, and what each agent's links declare.
type team struct {
	root   *node
	byName map[string]*node
}

// node is one agent of the tree.
type node struct {
	agent  Agent
	parent *node
	branch string // the Branch of its events
	subs   []*node
}

var _ flow.Team = (*team)(nil)

// newTeam indexes the tree below root, whose events have branch; each
// sub-agent's branch is its parent's (or the parent's name, for the root's
// children) followed by a dot and its own name.
func newTeam(root Agent, branch string) *team {
	t := &team{byName: make(map[string]*node)}
	var add func(a Agent, parent *node, branch string) *node
	add = func(a Agent, parent *node, branch string) *node {
		if a == nil || t.byName[a.Name()] != nil {
			return nil // a validated tree has neither; this keeps a cycle from looping
		}
		n := &node{agent: a, parent: parent, branch: branch}
		t.byName[a.Name()] = n
		prefix := branch
		if prefix == "" {
			prefix = a.Name()
		}
		for _, sub := range a.SubAgents() {
			if sub == nil {
				continue
			}
			if c := add(sub, n, prefix+"."+sub.Name()); c != nil {
				n.subs = append(n.subs, c)
			}
		}
		return n
	}
	t.root = add(root, nil, branch)
	return t
}

// Handoff implements flow.Team: TransferToAgent moves the run to the named
// agent of the tree (to the first step of a sequential agent); Escalate
// from a step of a sequential agent moves it to the next step, and after
// the last step back to the sequential agent's parent, or ends the run
// when the sequential agent is the root.
func (t *team) Handoff(from string, actions event.Actions) (*flow.Agent, bool) {
	n := t.byName[from]
	if n == nil {
		return nil, false
	}
	if name := actions.TransferToAgent; name != "" {
		if target := t.byName[name]; target != nil {
			return t.entry(target), false
		}
		return nil, false
	}
	if actions.Escalate {
		return t.after(n)
	}
	return nil, false
}

// after returns where the run goes when n's task is done.
func (t *team) after(n *node) (*flow.Agent, bool) {
	p := n.parent
	if p == nil {
		return nil, false
	}
	if _, seq := p.agent.(*SequentialAgent); !seq {
		return nil, false // escalating outside a sequential agent moves nothing
	}
	for _, next := range p.subs[slices.Index(p.subs, n)+1:] {
		if a := t.entry(next); a != nil {
			return a, false
		}
	}
	// The sequential agent is done.
	switch pp := p.parent; {
	case pp == nil:
		return nil, true
	case isSequential(pp.agent):
		return t.after(p)
	default:
		if a := t.entry(pp); a != nil {
			return a, false
		}
		return nil, true
	}
}

func isSequential(a Agent) bool {
	_, ok := a.(*SequentialAgent)
	return ok
}

// entry returns the agent a run talks as when it moves to n: n itself for
// an LLMAgent, the first step that can run for a sequential agent, and nil
// for an agent the live flow cannot run (a custom Agent).
func (t *team) entry(n *node) *flow.Agent {
	switch a := n.agent.(type) {
	case *LLMAgent:
		return t.flowAgent(n, a)
	case *SequentialAgent:
		for _, sub := range n.subs {
			if fa := t.entry(sub); fa != nil {
				return fa
			}
		}
	}
	return nil
}

// runnable reports whether the live flow can run n: an LLMAgent, or a
// sequential agent with a step it can run.
func runnable(n *node) bool {
	switch n.agent.(type) {
	case *LLMAgent:
		return true
	case *SequentialAgent:
		return slices.ContainsFunc(n.subs, runnable)
	}
	return false
}

// targets returns the agents n may transfer to, as ADK allows: its
// sub-agents, and when its parent is an LLMAgent, the parent and the
// parent's other sub-agents (unless n's config disallows them).
func (t *team) targets(n *node) []*node {
	var out []*node
	for _, sub := range n.subs {
		if runnable(sub) {
			out = append(out, sub)
		}
	}
	p := n.parent
	if p == nil {
		return out
	}
	if _, ok := p.agent.(*LLMAgent); !ok {
		return out
	}
	self, _ := n.agent.(*LLMAgent)
	if self == nil || !self.disallowTransferToParent {
		out = append(out, p)
	}
	if self == nil || !self.disallowTransferToPeers {
		for _, peer := range p.subs {
			if peer != n && runnable(peer) {
				out = append(out, peer)
			}
		}
	}
	return out
}

// flowAgent returns what the links of a are made of: its instruction and
// tools, plus transfer_to_agent when it has somewhere to transfer to and
// task_completed when it is a step of a sequential agent, each with a
// paragraph of instruction saying when to call it.
func (t *team) flowAgent(n *node, a *LLMAgent) *flow.Agent {
	fa := &flow.Agent{
		Name:        a.name,
		Branch:      n.branch,
		Model:       a.model,
		Instruction: a.instruction,
		Tools:       slices.Clip(a.tools),
		Callbacks:   a.callbacks,
	}
	has := func(name string) bool {
		return slices.ContainsFunc(a.tools, func(tl tool.Tool) bool { return tl.Name() == name })
	}
	var extra []string
	if targets := t.targets(n); len(targets) > 0 && !has(tool.TransferToAgentName) {
		infos := make([]tool.AgentTarget, len(targets))
		var b strings.Builder
		b.WriteString("You can hand the conversation over to another agent by calling the transfer_to_agent function, " +
			"when that agent is better suited to answer the user according to its description. The agents:")
		for i, tn := range targets {
			infos[i] = tool.AgentTarget{Name: tn.agent.Name(), Description: tn.agent.Description()}
			fmt.Fprintf(&b, "\n- %s: %s", tn.agent.Name(), tn.agent.Description())
		}
		b.WriteString("\nIf you are the best one to answer, answer yourself. When you transfer, call the function and say nothing else.")
		if p := n.parent; p != nil && slices.Contains(targets, p) {
			fmt.Fprintf(&b, "\nYour parent agent is %s. If neither you nor the other agents fit the request, transfer back to %s.",
				p.agent.Name(), p.agent.Name())
		}
		extra = append(extra, b.String())
		fa.Tools = append(fa.Tools, tool.TransferToAgent(infos...))
	}
	if p := n.parent; p != nil && isSequential(p.agent) && !has(tool.TaskCompletedName) {
		extra = append(extra, "When you have finished your task, as your description says, call the task_completed function "+
			"so that the next agent can take over. When you call it, say nothing else.")
		fa.Tools = append(fa.Tools, tool.TaskCompleted())
	}
	if len(extra) > 0 {
		fa.Instruction = strings.TrimSpace(strings.Join(append([]string{a.instruction}, extra...), "\n\n"))
	}
	return fa
}

// runLive runs the agent tree below root live: as its entry agent first,
// then as whichever agent the run moves to.
func runLive(ctx context.Context, root Agent, ic *InvocationContext) iter.Seq2[*event.Event, error] {
	if ic == nil {
		return func(yield func(*event.Event, error) bool) { yield(nil, errNoInvocation) }
	}
	t := newTeam(root, ic.Branch)
	start := t.root
	if ic.Session != nil {
		if n := t.lastSpeaker(ic.Session.Events); n != nil {
			start = n
		}
	}
	first := t.entry(start)
	if first == nil {
		return func(yield func(*event.Event, error) bool) {
			yield(nil, fmt.Errorf("agent: %q has no LLM agent to run live", root.Name()))
		}
	}
	cfg := ic.RunConfig
	var tm flow.Team
	if len(t.byName) > 1 {
		tm = t
		// As ADK does: the agent taking over hears what was said before
		// it through the transcriptions, which the history carries.
		if cfg.InputAudioTranscription == nil {
			cfg.InputAudioTranscription = &genai.AudioTranscriptionConfig{}
		}
		if cfg.OutputAudioTranscription == nil && cfg.ResponseModality() == genai.ModalityAudio {
			cfg.OutputAudioTranscription = &genai.AudioTranscriptionConfig{}
		}
		if err := t.validate(cfg); err != nil {
			return func(yield func(*event.Event, error) bool) { yield(nil, err) }
		}
	}
	var history []*event.Event
	var state map[string]any
	var sessionID string
	if ic.Session != nil {
		sessionID = ic.Session.ID
		// A copy of the slice: the runner appends to the session while the
		// flow may still be reading the history.
		history = slices.Clone(ic.Session.Events)
		state = maps.Clone(ic.Session.State)
	}
	return flow.Run(ctx, flow.Params{
		Model:        first.Model,
		Author:       first.Name,
		InvocationID: ic.InvocationID,
		Branch:       first.Branch,
		Instruction:  first.Instruction,
		Tools:        first.Tools,
		RunConfig:    cfg,
		History:      history,
		Queue:        ic.Queue,
		Logger:       ic.Logger,
		Team:         tm,
		State:        state,
		Callbacks:    first.Callbacks,
		Plugins:      ic.Plugins,

		ArtifactService: ic.ArtifactService,
		AppName:         ic.AppName,
		UserID:          ic.UserID,
		SessionID:       sessionID,
	})
}

// lastSpeaker returns the agent a new run of the session goes on with, as
// ADK's runner chooses it: the author of the latest event by an agent of
// the tree that can hand the run back up to the root (it and every agent
// above it an LLMAgent that may transfer to its parent), or nil for the
// root.
func (t *team) lastSpeaker(events []*event.Event) *node {
	for i := len(events) - 1; i >= 0; i-- {
		ev := events[i]
		if ev == nil || ev.Author == event.AuthorUser {
			continue
		}
		n := t.byName[ev.Author]
		if n == nil {
			continue
		}
		if n == t.root {
			return nil
		}
		if transferableUp(n) {
			return n
		}
	}
	return nil
}

// transferableUp reports whether n and every agent above it are LLMAgents
// that may transfer to their parent.
func transferableUp(n *node) bool {
	for ; n != nil; n = n.parent {
		a, ok := n.agent.(*LLMAgent)
		if !ok || a.disallowTransferToParent {
			return false
		}
	}
	return true
}

// validate checks cfg against the model of every LLM agent of the tree,
// before anything is dialled.
func (t *team) validate(cfg runconfig.RunConfig) error {
	names := make([]string, 0, len(t.byName))
	for name := range t.byName {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		a, ok := t.byName[name].agent.(*LLMAgent)
		if !ok {
			continue
		}
		if err := cfg.Validate(backendOf(a)); err != nil {
			return fmt.Errorf("agent: the run config does not suit agent %q (model %q): %w", name, a.model.Name(), err)
		}
	}
	return nil
}

// backendOf returns the backend of a's model when the model reports it.
func backendOf(a *LLMAgent) genai.Backend {
	if b, ok := a.model.(interface{ Backend() genai.Backend }); ok {
		return b.Backend()
	}
	return genai.BackendUnspecified
}
