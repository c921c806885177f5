package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
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

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Both monitors start when asked, report while the conversation goes on,
// and stop when asked, on the simulator, with no credentials.
func TestMonitorsOnTheSimulatorWithoutCredentials(t *testing.T) {
	for _, k := range credentialVars {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	stdin, typed := io.Pipe()
	var stdout, stderr syncBuffer
	opts := options{model: defaultModel, tick: 20 * time.Millisecond, frameEvery: 10 * time.Millisecond,
		responder: simulator.Options{TextDelay: -1, AudioLead: -1}}
	done := make(chan error, 1)
	go func() { done <- converse(ctx, opts, stdin, &stdout, &stderr) }()

	// say types line, then waits for each of want to be printed after it.
	say := func(line string, want ...string) {
		t.Helper()
		from := len(stdout.String())
		if _, err := fmt.Fprintln(typed, line); err != nil {
			t.Fatalf("typing %q: %v", line, err)
		}
		for _, w := range want {
			for !strings.Contains(stdout.String()[from:], w) {
				select {
				case <-ctx.Done():
					t.Fatalf("after %q, %q was never printed:\n%s\nstderr:\n%s", line, w, stdout.String(), stderr.String())
				case <-time.After(5 * time.Millisecond):
				}
			}
		}
	}
	say("monitor the price of GOOG", "[monitor_stock_price started]", "Update from monitor_stock_price: GOOG is at")
	say("stop monitoring the price", "[monitor_stock_price stopped]",
		"The stop_streaming tool says: status Successfully stopped streaming function monitor_stock_price.")
	say("watch my camera", "[monitor_video_stream started]", "Update from monitor_video_stream: watching",
		"Update from monitor_video_stream: the scene got")
	say("stop monitoring the camera", "[monitor_video_stream stopped]",
		"Successfully stopped streaming function monitor_video_stream.")
	typed.Close()
	if err := <-done; err != nil {
		t.Fatalf("converse: %v\nstderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "local Live simulator") {
		t.Errorf("stderr does not say the simulator is used:\n%s", stderr.String())
	}
}
