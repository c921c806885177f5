package main

import (
	"time"

	"github.com/adklive/adklive/examples/internal/simulator"
	"github.com/adklive/adklive/tool"
)

// currentTimeTool returns the console's one function tool: it tells the
// model the local time. Ask "what time is it?" to see a tool call (the
// local simulator calls it on that question too).
func currentTimeTool() (tool.FunctionTool, error) {
	return tool.NewFunction(tool.FunctionConfig{
		Name:        simulator.TimeToolName,
		Description: "Returns the current local date and time.",
	}, func(tool.Context, map[string]any) (map[string]any, error) {
		now := time.Now()
		return map[string]any{
			"time":     now.Format(time.Kitchen),
			"date":     now.Format(time.DateOnly),
			"timezone": now.Format("MST"),
		}, nil
	})
}
