package flow

import (
	"fmt"

	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/tool"
)

// connectRequest builds the connect request of a run: the setup (system
// instruction, tools, the run config's live settings) and the history. It
// also returns the run's function tools by name.
func connectRequest(p Params, cfg runconfig.RunConfig) (*live.ConnectRequest, map[string]tool.FunctionTool, error) {
	setup := &genai.LiveClientSetup{}
	if p.Instruction != "" {
		setup.SystemInstruction = &genai.Content{Role: "system", Parts: []*genai.Part{{Text: p.Instruction}}}
	}
	cfg.ApplyToSetup(setup)
	if setup.SessionResumption == nil && !cfg.Reconnect.Disabled {
		// Reconnecting resumes the session from the newest handle, which
		// the server sends only when asked.
		setup.SessionResumption = &genai.SessionResumptionConfig{}
	}

	funcs := make(map[string]tool.FunctionTool)
	var decls []*genai.FunctionDeclaration
	var builtins []*genai.Tool
	for i, t := range p.Tools {
		switch t := t.(type) {
		case nil:
			return nil, nil, fmt.Errorf("%w: Tools[%d] is nil", ErrInvalidParams, i)
		case tool.FunctionTool:
			name := t.Name()
			if err := tool.ValidateName(name); err != nil {
				return nil, nil, fmt.Errorf("%w: Tools[%d]: %w", ErrInvalidParams, i, err)
			}
			if _, dup := funcs[name]; dup {
				return nil, nil, fmt.Errorf("%w: Tools[%d]: two function tools are named %q", ErrInvalidParams, i, name)
			}
			funcs[name] = t
			decls = append(decls, t.Declaration())
		case tool.Builtin:
			builtins = append(builtins, t.GenaiTool())
		default:
			return nil, nil, fmt.Errorf("%w: Tools[%d] (%q, a %T) is neither a tool.FunctionTool nor a tool.Builtin",
				ErrInvalidParams, i, t.Name(), t)
		}
	}
	if len(decls) > 0 {
		setup.Tools = append(setup.Tools, &genai.Tool{FunctionDeclarations: decls})
	}
	setup.Tools = append(setup.Tools, builtins...)

	req := &live.ConnectRequest{Setup: setup}
	// A resumed session already holds the conversation.
	if r := cfg.SessionResumption; r == nil || r.Handle == "" {
		req.History = p.history(p.History, p.Author)
	}
	return req, funcs, nil
}
