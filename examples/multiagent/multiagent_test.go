package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/adklive/adklive/examples/internal/simulator"
)

// credentialVars are the variables gemini reads credentials and endpoints
// from.
var credentialVars = []string{
	"GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_USE_ENTERPRISE",
	"GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION", "GOOGLE_CLOUD_REGION",
	"GOOGLE_GEMINI_BASE_URL", "GOOGLE_VERTEX_BASE_URL", "DEMO_AGENT_MODEL",
}

func TestTransfersOnTheSimulatorWithoutCredentials(t *testing.T) {
	for _, k := range credentialVars {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	stdin := strings.NewReader(strings.Join([]string{
		"hello",
		"talk to the weather agent",
		"what's the weather in Paris?",
		"back to the coordinator",
		"talk to the clock agent",
		"what time is it?",
	}, "\n") + "\n")
	var stdout, stderr bytes.Buffer
	opts := options{model: defaultModel, userID: "user", responder: simulator.Options{TextDelay: -1, AudioLead: -1}}
	if err := converse(ctx, opts, stdin, &stdout, &stderr); err != nil {
		t.Fatalf("converse: %v\nstderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "local Live simulator") {
		t.Errorf("stderr does not say the simulator is used:\n%s", stderr.String())
	}
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	want := []string{
		"coordinator: You said: “hello”.",
		"[coordinator transfers you to weather_agent]",
		"weather_agent: Hello, this is weather_agent. You are the weather agent.",
		"weather_agent: Let me look at the sky. The get_weather tool says: city Paris,",
		"[weather_agent transfers you to coordinator]",
		"coordinator: Hello, this is coordinator. You are the coordinator.",
		"[coordinator transfers you to clock_agent]",
		"clock_agent: Hello, this is clock_agent. You are the clock agent.",
		"clock_agent: Let me check the clock. The get_current_time tool says: date",
	}
	if len(lines) != len(want) {
		t.Fatalf("output has %d lines, want %d:\n%s", len(lines), len(want), stdout.String())
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want it to start with %q", i+1, lines[i], w)
		}
	}
}
