package main

import (
	"fmt"
	"strings"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/examples/internal/simulator"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/runconfig"
	"github.com/adklive/adklive/tool"
)

// agentName is the demo agent's name, the author of its events.
const agentName = "search_agent"

// instruction is the demo agent's system instruction, as in ADK's demo.
const instruction = "You are a helpful assistant that can search the web."

// newAgent builds the demo agent on model: Google Search as a built-in tool
// and one local function tool, so tool calls are visible offline too.
func newAgent(model live.Model, now func() time.Time) (*agent.LLMAgent, error) {
	clock, err := newTimeTool(now)
	if err != nil {
		return nil, err
	}
	return agent.New(agent.Config{
		Name:        agentName,
		Description: "Answers questions, searching the web when it helps.",
		Model:       model,
		Instruction: instruction,
		Tools:       []tool.Tool{tool.GoogleSearch(), clock},
	})
}

// newTimeTool returns the local function tool get_current_time: the
// current date and time in an IANA time zone, or the server's own.
func newTimeTool(now func() time.Time) (tool.FunctionTool, error) {
	return tool.NewFunction(tool.FunctionConfig{
		Name: simulator.TimeToolName,
		Description: "Returns the current date and time. Call it whenever the user asks what time or " +
			"date it is. Pass an IANA time zone (for example Europe/Paris) for a place's local time; " +
			"leave it empty for the server's time zone.",
		Parameters: &genai.Schema{
			Type: genai.TypeObject,
			Properties: map[string]*genai.Schema{
				"timezone": {Type: genai.TypeString, Description: "IANA time zone name, for example America/New_York."},
			},
		},
	}, func(_ tool.Context, args map[string]any) (map[string]any, error) {
		loc := time.Local
		if tz, ok := args["timezone"]; ok && tz != nil {
			name, isString := tz.(string)
			if !isString {
				return nil, fmt.Errorf("timezone must be a string, got %T", tz)
			}
			if name = strings.TrimSpace(name); name != "" {
				l, err := time.LoadLocation(name)
				if err != nil {
					return nil, fmt.Errorf("unknown time zone %q: want an IANA name such as Europe/Paris", name)
				}
				loc = l
			}
		}
		t := now().In(loc)
		zone := t.Format("MST")
		if loc != time.Local && loc.String() != zone {
			zone = loc.String() + " (" + zone + ")"
		}
		return map[string]any{
			"date":     t.Format("Monday, 2 January 2006"),
			"time":     t.Format("15:04"),
			"timezone": zone,
		}, nil
	})
}

// liveOptions are the per-connection choices of the query string.
type liveOptions struct {
	proactivity     bool
	affectiveDialog bool
}

// runConfigFor chooses the run config as ADK's demo does: a native-audio
// model answers with AUDIO, transcribes both directions, resumes sessions,
// and takes proactivity and affective dialog from the query; any other
// model answers with TEXT. ignored lists the requested options the model
// (or backend) cannot use, for a log note.
func runConfigFor(model string, backend genai.Backend, opts liveOptions) (cfg runconfig.RunConfig, ignored []string) {
	cfg = runconfig.RunConfig{
		ResponseModalities: []genai.Modality{genai.ModalityText},
		SessionResumption:  &genai.SessionResumptionConfig{},
	}
	if !simulator.IsNativeAudio(model) {
		if opts.proactivity {
			ignored = append(ignored, "proactivity")
		}
		if opts.affectiveDialog {
			ignored = append(ignored, "affective_dialog")
		}
		return cfg, ignored
	}
	cfg.ResponseModalities = []genai.Modality{genai.ModalityAudio}
	cfg.InputAudioTranscription = &genai.AudioTranscriptionConfig{}
	cfg.OutputAudioTranscription = &genai.AudioTranscriptionConfig{}
	if opts.proactivity {
		cfg.Proactivity = &genai.ProactivityConfig{ProactiveAudio: genai.Ptr(true)}
	}
	if opts.affectiveDialog {
		if backend == genai.BackendVertexAI {
			// Vertex AI refuses the field; say so instead of failing the run.
			ignored = append(ignored, "affective_dialog")
		} else {
			cfg.EnableAffectiveDialog = genai.Ptr(true)
		}
	}
	return cfg, ignored
}
