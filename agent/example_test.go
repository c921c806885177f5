package agent_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/adklive/adklive/agent"
	"github.com/adklive/adklive/gemini"
	"github.com/adklive/adklive/tool"
)

// Build a live agent with a built-in tool and a sub-agent. Building an agent
// does not dial the model: runner.RunLive does, once per live run.
func ExampleNew() {
	ctx := context.Background()
	model, err := gemini.NewModel(ctx, "gemini-2.5-flash-native-audio-preview-12-2025",
		&gemini.Config{APIKey: "your-api-key"})
	if err != nil {
		log.Fatal(err)
	}
	weather, err := agent.New(agent.Config{
		Name:        "weather_agent",
		Description: "Answers questions about the weather.",
		Model:       model,
	})
	if err != nil {
		log.Fatal(err)
	}
	root, err := agent.New(agent.Config{
		Name:        "search_agent",
		Model:       model,
		Instruction: "You are a helpful assistant that can search the web.",
		Tools:       []tool.Tool{tool.GoogleSearch()},
		SubAgents:   []agent.Agent{weather},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(root.Name(), "talks through", root.Model().Name())
	for _, sub := range root.SubAgents() {
		fmt.Println("sub-agent:", sub.Name(), "-", sub.Description())
	}
	// Output:
	// search_agent talks through gemini-2.5-flash-native-audio-preview-12-2025
	// sub-agent: weather_agent - Answers questions about the weather.
}

// Names are identifiers, unique in the agent tree, and never "user".
func ExampleNew_invalidName() {
	_, err := agent.New(agent.Config{Name: "my agent"})
	fmt.Println(errors.Is(err, agent.ErrInvalidConfig))
	fmt.Println(err)
	// Output:
	// true
	// agent: invalid config: Name: agent name "my agent" is not an identifier (a letter or underscore, then letters, digits and underscores)
}
