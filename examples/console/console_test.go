package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
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

// clearCredentials unsets credentialVars for the test (they are restored
// afterwards).
func clearCredentials(t *testing.T) {
	t.Helper()
	for _, k := range credentialVars {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

// replyLines returns the reply lines of out, failing the test on a line
// that is not a reply.
func replyLines(t *testing.T, out string) []string {
	t.Helper()
	var replies []string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		reply, ok := strings.CutPrefix(line, "assistant: ")
		if !ok {
			t.Errorf("output line %q is not an assistant reply", line)
			continue
		}
		replies = append(replies, reply)
	}
	return replies
}

func TestRunChatsWithTheSimulatorWithoutCredentials(t *testing.T) {
	clearCredentials(t)
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	stdin := strings.NewReader("hello there\n\n   \nsecond line\nwhat time is it?\n")
	var stdout, stderr bytes.Buffer
	if err := run(ctx, stdin, &stdout, &stderr, nil); err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, stderr.String())
	}

	if !strings.Contains(stderr.String(), "no credentials found: using the local Live simulator") {
		t.Errorf("stderr does not say the simulator is used:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), defaultModel) {
		t.Errorf("stderr does not name the default model %s:\n%s", defaultModel, stderr.String())
	}
	replies := replyLines(t, stdout.String())
	if len(replies) != 3 {
		t.Fatalf("got %d replies, want one per non-blank line (3):\n%s", len(replies), stdout.String())
	}
	// The simulator quotes what it was told: each reply answers its line.
	for i, said := range []string{"hello there", "second line"} {
		if !strings.Contains(replies[i], said) {
			t.Errorf("reply %d = %q, want it to answer %q", i, replies[i], said)
		}
	}
	// Asked the time, the simulator calls the console's clock tool.
	if !strings.Contains(replies[2], "["+simulator.TimeToolName+"]") {
		t.Errorf("reply to the time question = %q, want it to show the %s call", replies[2], simulator.TimeToolName)
	}
}

func TestChatPrintsTheTranscriptOfAudioAnswers(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	opts := options{
		model:     "gemini-2.5-flash-native-audio-preview-12-2025",
		userID:    "u1",
		simulator: true,
		responder: simulator.Options{TextDelay: -1, AudioLead: -1},
	}
	var stdout, stderr bytes.Buffer
	if err := chat(ctx, opts, strings.NewReader("hello\n"), &stdout, &stderr); err != nil {
		t.Fatalf("chat: %v\nstderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "using the local Live simulator") {
		t.Errorf("stderr does not say the simulator is used:\n%s", stderr.String())
	}
	replies := replyLines(t, stdout.String())
	if len(replies) != 1 || !strings.Contains(replies[0], "hello") {
		t.Errorf("replies = %q, want one transcript answering %q", replies, "hello")
	}
}

func TestRunEndsAtOnceOnEmptyInput(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	var stdout, stderr bytes.Buffer
	if err := run(t.Context(), strings.NewReader(""), &stdout, &stderr, []string{"-simulator", "-session", "s-1"}); err != nil {
		t.Fatalf("run: %v", err)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", stdout.String())
	}
	if !strings.Contains(stderr.String(), "session s-1") {
		t.Errorf("stderr does not name the session s-1:\n%s", stderr.String())
	}
}

func TestRunEndsWhenContextIsCancelled(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, strings.NewReader("hello\n"), &stdout, &stderr, []string{"-simulator"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("run with a cancelled context: err = %v, want context.Canceled", err)
	}
}

func TestRunRejectsBadArguments(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-nope"}, "-nope"},
		{[]string{"extra"}, `"extra"`},
		{[]string{"-model", " "}, "-model"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		err := run(t.Context(), strings.NewReader(""), &stdout, &stderr, tt.args)
		if err == nil {
			t.Errorf("run(%q) = nil, want an error", tt.args)
			continue
		}
		if msg := err.Error() + stderr.String(); !strings.Contains(msg, tt.want) {
			t.Errorf("run(%q): error %q and stderr %q do not mention %s", tt.args, err, stderr.String(), tt.want)
		}
	}
	var stderr bytes.Buffer
	if err := run(t.Context(), strings.NewReader(""), &bytes.Buffer{}, &stderr, []string{"-help"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("run(-help) = %v, want flag.ErrHelp", err)
	}
	if !strings.Contains(stderr.String(), "-simulator") {
		t.Errorf("-help output does not list the flags:\n%s", stderr.String())
	}
}
