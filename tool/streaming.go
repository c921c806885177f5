package tool

import (
	"errors"
	"fmt"
	"iter"

	"google.golang.org/genai"

	"github.com/adklive/adklive/internal/nilcheck"
)

// StopStreamingName is the name of the built-in function that stops a
// streaming tool. A live run whose agent has streaming tools declares it
// and runs it itself: stop_streaming(function_name) stops every running
// call of the streaming tool function_name.
const StopStreamingName = "stop_streaming"

// DefaultInputBuffer is the size of an input stream's buffer when
// StreamingConfig.InputBuffer is 0.
const DefaultInputBuffer = 64

// StreamingTool is a function tool whose call yields results over time,
// such as a monitor that reports each change of a price. In a live run
// each call runs until its results end, the model calls stop_streaming
// with the tool's name, the server cancels the call, or the run ends; each
// result is sent to the model as it comes, without a new user turn where
// the model allows it (see the package documentation for the wire form).
type StreamingTool interface {
	FunctionTool
	// Stream runs one call. It yields results until it has no more
	// (return), it fails (yield a non-nil error, then return), or ctx is
	// done (stop yielding and return promptly). input is nil unless
	// InputBuffer is positive: then it receives a copy of every request
	// sent to the run's queue while the call runs.
	Stream(ctx Context, args map[string]any, input *InputStream) iter.Seq2[map[string]any, error]
	// InputBuffer returns the size of the buffer of each call's input
	// stream, or 0 when the tool takes no input stream.
	InputBuffer() int
	// Scheduling returns how the model schedules each result, on the
	// backends that accept it (see NonBlocking).
	Scheduling() genai.FunctionResponseScheduling
}

// StreamFunc is the code of a streaming tool; see StreamingTool.Stream.
type StreamFunc func(ctx Context, args map[string]any, input *InputStream) iter.Seq2[map[string]any, error]

// StreamingConfig describes a streaming tool to NewStreaming.
type StreamingConfig struct {
	// Name, Description, Parameters and ParametersJSONSchema are as in
	// FunctionConfig.
	Name                 string
	Description          string
	Parameters           *genai.Schema
	ParametersJSONSchema any
	// Input gives each call an input stream: a copy of every request
	// sent to the run's queue (audio, video frames, text, activity
	// signals) while the call runs, for tools that watch the user's
	// camera or microphone.
	Input bool
	// InputBuffer is how many requests an input stream holds for a tool
	// that is slow to take them; past it, copies are dropped and counted
	// (InputStream.Dropped), so a slow tool never slows the run. 0 means
	// DefaultInputBuffer. Ignored without Input.
	InputBuffer int
	// Scheduling says what the model does with each result: WHEN_IDLE
	// (the default, for "") tells the user once the model is idle,
	// SILENT only adds it to the conversation, INTERRUPT interrupts the
	// model to tell the user.
	Scheduling genai.FunctionResponseScheduling
}

// NewStreaming returns a streaming tool that runs fn. It fails with an
// error matching ErrInvalidConfig for the reasons NewFunction does, when
// the name is StopStreamingName, when InputBuffer is negative, or when
// Scheduling is not one of SILENT, WHEN_IDLE and INTERRUPT.
func NewStreaming(cfg StreamingConfig, fn StreamFunc) (StreamingTool, error) {
	if err := ValidateName(cfg.Name); err != nil {
		return nil, err
	}
	if cfg.Name == StopStreamingName {
		return nil, fmt.Errorf("%w: Name %q is the built-in that stops streaming tools", ErrInvalidConfig, cfg.Name)
	}
	if nilcheck.TypedNil(cfg.ParametersJSONSchema) {
		return nil, fmt.Errorf("%w: function %q: ParametersJSONSchema is a nil %T; leave it unset for a function without arguments",
			ErrInvalidConfig, cfg.Name, cfg.ParametersJSONSchema)
	}
	if cfg.Parameters != nil && cfg.ParametersJSONSchema != nil {
		return nil, fmt.Errorf("%w: function %q: set Parameters or ParametersJSONSchema, not both", ErrInvalidConfig, cfg.Name)
	}
	if fn == nil {
		return nil, fmt.Errorf("%w: function %q: the function is nil", ErrInvalidConfig, cfg.Name)
	}
	if cfg.InputBuffer < 0 {
		return nil, fmt.Errorf("%w: function %q: InputBuffer is %d; it must not be negative", ErrInvalidConfig, cfg.Name, cfg.InputBuffer)
	}
	s, err := checkScheduling(cfg.Name, cfg.Scheduling)
	if err != nil {
		return nil, err
	}
	cfg.Scheduling = s
	if !cfg.Input {
		cfg.InputBuffer = 0
	} else if cfg.InputBuffer == 0 {
		cfg.InputBuffer = DefaultInputBuffer
	}
	return &streaming{cfg: cfg, fn: fn}, nil
}

// streaming is the StreamingTool NewStreaming returns.
type streaming struct {
	cfg StreamingConfig
	fn  StreamFunc
}

func (s *streaming) Name() string                                 { return s.cfg.Name }
func (s *streaming) Description() string                          { return s.cfg.Description }
func (s *streaming) IsLongRunning() bool                          { return false }
func (s *streaming) InputBuffer() int                             { return s.cfg.InputBuffer }
func (s *streaming) Scheduling() genai.FunctionResponseScheduling { return s.cfg.Scheduling }

// Declaration returns a new NON_BLOCKING declaration on every call: the
// model goes on with the conversation while the stream runs.
func (s *streaming) Declaration() *genai.FunctionDeclaration {
	return &genai.FunctionDeclaration{
		Name:                 s.cfg.Name,
		Description:          s.cfg.Description,
		Parameters:           s.cfg.Parameters,
		ParametersJsonSchema: s.cfg.ParametersJSONSchema,
		Behavior:             genai.BehaviorNonBlocking,
	}
}

func (s *streaming) Stream(ctx Context, args map[string]any, input *InputStream) iter.Seq2[map[string]any, error] {
	return s.fn(ctx, args, input)
}

// Run runs the stream to its end outside a live run, without an input
// stream, and returns its last result, or its first error. A live run
// calls Stream instead.
func (s *streaming) Run(ctx Context, args map[string]any) (map[string]any, error) {
	var last map[string]any
	for res, err := range s.fn(ctx, args, nil) {
		if err != nil {
			return nil, err
		}
		last = res
	}
	if last == nil {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return nil, errors.New("the stream ended without a result")
	}
	return last, nil
}

// StopStreamingDeclaration returns the declaration of stop_streaming for
// the streaming tools named names (listed as the values its function_name
// argument takes). A live run declares it itself; it is exported for
// runtimes and tests.
func StopStreamingDeclaration(names []string) *genai.FunctionDeclaration {
	return &genai.FunctionDeclaration{
		Name: StopStreamingName,
		Description: "Stops a streaming function that is running, such as a monitor, by its name. " +
			"Call it when the user asks to stop one.",
		Parameters: &genai.Schema{
			Type: genai.TypeObject,
			Properties: map[string]*genai.Schema{
				"function_name": {
					Type:        genai.TypeString,
					Description: "The name of the streaming function to stop.",
					Enum:        append([]string(nil), names...),
				},
			},
			Required: []string{"function_name"},
		},
	}
}
