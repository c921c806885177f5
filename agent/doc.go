// Package agent defines [Agent], the unit of behaviour a live run executes,
// [LLMAgent], the agent backed by a live model: a name, an instruction,
// tools and optional sub-agents, and [SequentialAgent], which runs its
// sub-agents in order.
//
// An application builds its agents once per process with [New] and hands the
// root agent to a runner (package runner), which looks up the session, opens
// the live run and persists its events. The runner calls [Agent.RunLive]
// with an [InvocationContext] describing the run; applications rarely call
// it themselves.
//
// Agents work together in one live run: an agent with sub-agents hands the
// conversation to them with transfer_to_agent, and a [SequentialAgent] runs
// its steps in order, each ending with task_completed (see
// [LLMAgent.RunLive] and [SequentialAgent.RunLive]).
//
// Agent names identify agents in events (an event's Author is the name of
// the agent that produced it) and in transfers between agents, so they
// must be identifiers, must not be "user" (the author of the
// user's own events), and must be unique within an agent tree.
package agent
