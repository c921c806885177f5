package agent

import (
	"context"
	"errors"
	"iter"
	"slices"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/flow"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/tool"
)

// Config configures an [LLMAgent]. Name and Model are required.
type Config struct {
	// Name identifies the agent: an identifier (a letter or underscore,
	// then letters, digits and underscores), not "user", unique within
	// the agent tree.
	Name string

	// Description says what the agent does. Optional for a root agent;
	// a parent agent's model reads it to decide on transfers.
	Description string

	// Model is the live model the agent talks through, for example a
	// *gemini.Model.
	Model live.Model

	// Instruction is the system instruction sent when the live
	// connection opens. Empty means none.
	Instruction string

	// Tools are the tools the model may call during the run. Their names
	// must be distinct.
	Tools []tool.Tool

	// SubAgents are the agents this agent can hand the conversation to.
	// Every name in the tree must be distinct. An agent with sub-agents
	// gets the transfer_to_agent tool in live runs (see RunLive).
	SubAgents []Agent

	// DisallowTransferToParent keeps the agent, when it is the sub-agent
	// of an LLMAgent, from transferring the conversation back to its
	// parent.
	DisallowTransferToParent bool

	// DisallowTransferToPeers keeps the agent, when it is the sub-agent
	// of an LLMAgent, from transferring the conversation to the parent's
	// other sub-agents.
	DisallowTransferToPeers bool

	// BeforeToolCallbacks run before each call of one of the agent's
	// function tools, after the runner's plugins; the first that returns
	// a result short-circuits the tool (see flow.Callbacks).
	BeforeToolCallbacks []tool.BeforeCallback
	// AfterToolCallbacks run on each call's result; the first that
	// returns a result replaces it.
	AfterToolCallbacks []tool.AfterCallback
	// OnToolErrorCallbacks run when a tool fails; the first that returns
	// a result turns the failure into it.
	OnToolErrorCallbacks []tool.ErrorCallback
	// BeforeModelCallbacks run before each user turn of content reaches
	// the model (see flow.BeforeModelCallback for what they see and may
	// do in a live run).
	BeforeModelCallbacks []flow.BeforeModelCallback
	// AfterModelCallbacks run on each finished piece of the model's turn
	// (see flow.AfterModelCallback).
	AfterModelCallbacks []flow.AfterModelCallback
}

// LLMAgent is an [Agent] backed by a live model. Create one with [New]. It
// is immutable and safe for concurrent use: one LLMAgent serves any number
// of concurrent live runs.
type LLMAgent struct {
	name        string
	description string
	model       live.Model
	instruction string
	tools       []tool.Tool
	subAgents   []Agent

	disallowTransferToParent, disallowTransferToPeers bool

	callbacks flow.Callbacks
}

var _ Agent = (*LLMAgent)(nil)

// New checks cfg and returns the agent it describes. An invalid cfg yields an
// error matching [ErrInvalidConfig] that names the offending field. A
// Model, tool or sub-agent that is a nil pointer behind its interface (for
// example a (*gemini.Model)(nil) left by an unchecked error) is refused
// like a missing one.
func New(cfg Config) (*LLMAgent, error) {
	if err := validate(cfg); err != nil {
		return nil, err
	}
	return &LLMAgent{
		name:        cfg.Name,
		description: cfg.Description,
		model:       cfg.Model,
		instruction: cfg.Instruction,
		tools:       slices.Clip(slices.Clone(cfg.Tools)),
		subAgents:   slices.Clip(slices.Clone(cfg.SubAgents)),

		disallowTransferToParent: cfg.DisallowTransferToParent,
		disallowTransferToPeers:  cfg.DisallowTransferToPeers,

		callbacks: flow.Callbacks{
			BeforeTool:  slices.Clone(cfg.BeforeToolCallbacks),
			AfterTool:   slices.Clone(cfg.AfterToolCallbacks),
			OnToolError: slices.Clone(cfg.OnToolErrorCallbacks),
			BeforeModel: slices.Clone(cfg.BeforeModelCallbacks),
			AfterModel:  slices.Clone(cfg.AfterModelCallbacks),
		},
	}, nil
}

// Name returns the agent's name.
func (a *LLMAgent) Name() string { return a.name }

// Description returns the agent's description.
func (a *LLMAgent) Description() string { return a.description }

// SubAgents returns the agent's sub-agents, or nil.
func (a *LLMAgent) SubAgents() []Agent { return a.subAgents }

// Model returns the live model the agent talks through.
func (a *LLMAgent) Model() live.Model { return a.model }

// Instruction returns the agent's system instruction.
func (a *LLMAgent) Instruction() string { return a.instruction }

// Tools returns the agent's tools. The caller must not modify the slice.
func (a *LLMAgent) Tools() []tool.Tool { return a.tools }

// errNoInvocation is yielded by RunLive when it is called without an
// invocation context.
var errNoInvocation = errors.New("agent: RunLive needs an InvocationContext")

// RunLive opens a live connection to the agent's model and runs the
// conversation on it (see [Agent.RunLive]). The model is seeded with the
// events of ic.Session as history; the agent's instruction and tools go
// into the connection's setup together with ic.RunConfig.
//
// With sub-agents, the agent the run executes is the root of a team, and
// the run moves between its agents without ending:
//
//   - An agent that has somewhere to transfer to gets the
//     transfer_to_agent tool (tool.TransferToAgent), whose declaration
//     lists the targets and their descriptions, and a paragraph of
//     instruction saying when to call it. The targets are the ones ADK
//     allows: the agent's sub-agents and, when its parent is an LLMAgent,
//     the parent and the parent's other sub-agents (unless
//     DisallowTransferToParent or DisallowTransferToPeers say otherwise).
//   - When the model calls it, the function call and its response (which
//     says the transfer happened and carries Actions.TransferToAgent) are
//     yielded and recorded, and the run moves to the named agent on a new
//     connection of the same run: the target's model, instruction and
//     tools, the same queue, seeded with the whole conversation, so the
//     target answers at once. Input sent during the switch is delivered
//     to the target once, in order. The target's events have its name as
//     Author and its Branch: the names from the root down, joined by dots
//     ("coordinator.weather_agent"; the root's events have ic.Branch).
//   - Input and output audio transcription are turned on when the run
//     config leaves them off (output only for AUDIO answers), as ADK
//     does: the agent taking over learns from the transcriptions what was
//     said before it.
//   - ic.RunConfig is checked against every agent's model before anything
//     is dialled.
//   - A new run of a session goes on with the agent that spoke last in
//     it, as ADK's runner does, when that agent and every agent above it
//     are LLMAgents that may transfer to their parent; otherwise it starts
//     with the root.
//
// A sub-agent that is a [SequentialAgent] runs its steps in order (see
// [SequentialAgent.RunLive]). A custom [Agent] in the tree is not a
// transfer target: the live run cannot run it on a connection.
func (a *LLMAgent) RunLive(ctx context.Context, ic *InvocationContext) iter.Seq2[*event.Event, error] {
	return runLive(ctx, a, ic)
}
