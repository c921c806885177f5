// Package team is the examples' team of agents: a coordinator that hands
// the user over to a weather agent or a clock agent, which hand the user
// back. examples/multiagent talks to it in the terminal and
// examples/bidi-demo, with -team, in the browser (by voice too).
package team

import (
	"fmt"
	"strings"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/examples/internal/simulator"
	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/tool"
)

// New returns the coordinator, whose sub-agents are the two specialists,
// all talking through model. Each agent's instruction starts by saying who
// it is (the local simulator repeats it when the agent takes over). The
// weather agent's get_weather makes up a forecast; the clock agent's
// get_current_time tells the local time.
func New(model live.Model) (*agent.LLMAgent, error) {
	weatherTool, err := tool.NewFunction(tool.FunctionConfig{
		Name:        simulator.WeatherToolName,
		Description: "Returns today's weather in a city.",
		Parameters: &genai.Schema{
			Type:       genai.TypeObject,
			Properties: map[string]*genai.Schema{"city": {Type: genai.TypeString, Description: "The city."}},
			Required:   []string{"city"},
		},
	}, weather)
	if err != nil {
		return nil, err
	}
	clockTool, err := tool.NewFunction(tool.FunctionConfig{
		Name:        simulator.TimeToolName,
		Description: "Returns the current local date and time.",
	}, func(tool.Context, map[string]any) (map[string]any, error) {
		now := time.Now()
		return map[string]any{"time": now.Format(time.Kitchen), "date": now.Format(time.DateOnly)}, nil
	})
	if err != nil {
		return nil, err
	}
	weatherAgent, err := agent.New(agent.Config{
		Name:        "weather_agent",
		Description: "Answers questions about the weather in any city.",
		Model:       model,
		Instruction: "You are the weather agent. Answer questions about the weather with the get_weather tool, briefly.",
		Tools:       []tool.Tool{weatherTool},
	})
	if err != nil {
		return nil, err
	}
	clockAgent, err := agent.New(agent.Config{
		Name:        "clock_agent",
		Description: "Tells the current date and time.",
		Model:       model,
		Instruction: "You are the clock agent. Tell the user the date and time with the get_current_time tool, briefly.",
		Tools:       []tool.Tool{clockTool},
	})
	if err != nil {
		return nil, err
	}
	return agent.New(agent.Config{
		Name:        "coordinator",
		Description: "Greets the user and hands them over to the right specialist.",
		Model:       model,
		Instruction: "You are the coordinator. Greet the user and hand them over to the specialist their request needs.",
		SubAgents:   []agent.Agent{weatherAgent, clockAgent},
	})
}

// weather is the weather tool: a made-up forecast, the same for a city all
// day.
func weather(_ tool.Context, args map[string]any) (map[string]any, error) {
	city, _ := args["city"].(string)
	city = strings.TrimSpace(city)
	if city == "" {
		return nil, fmt.Errorf("get_weather needs a city")
	}
	skies := []string{"sunny", "cloudy", "rainy", "windy"}
	h := 0
	for _, r := range strings.ToLower(city) {
		h = h*31 + int(r)
	}
	h += time.Now().YearDay()
	return map[string]any{"city": city, "sky": skies[h%len(skies)], "temperature_c": 10 + h%15}, nil
}
