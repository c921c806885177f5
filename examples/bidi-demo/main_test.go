package main

import (
	"bufio"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runMainEnv, set to 1, makes the test binary run the program's main with
// its arguments instead of the tests, so a test can signal a real process.
const runMainEnv = "BIDI_DEMO_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// The first Ctrl-C starts a graceful shutdown; a second one, while that
// shutdown waits for a client, kills the program at once.
func TestSecondInterruptKillsDuringShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the program as a process of its own")
	}
	cmd := exec.Command(os.Args[0], "-addr", "127.0.0.1:0", "-simulator", "-env", "none", "-model", textModel)
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	logs := &syncBuffer{}
	cmd.Stderr = logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("program logs:\n%s", logs)
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	go func() { exited <- cmd.Wait() }()
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "bidi-demo: serving ")
	if err != nil || !ok {
		t.Fatalf("the program printed %q (%v), want its URL", line, err)
	}
	d := &demo{url: url}

	// A client that never reads never answers the server's close frame, so
	// the graceful shutdown waits for it.
	c, _, err := d.tryDial("/ws/u1/s1", http.Header{"Origin": {url}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(logs.String(), "shutting down") {
		select {
		case err := <-exited:
			t.Fatalf("the program exited (%v) before it waited for the client", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	// Interrupt again (repeatedly, in case the first lands before the
	// program restored the default handling) until the program ends.
	var waitErr error
	for done := false; !done; {
		if err := cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Fatal(err)
		}
		select {
		case waitErr = <-exited:
			done = true
			exited <- waitErr // for the cleanup
		case <-time.After(50 * time.Millisecond):
		}
	}
	var exit *exec.ExitError
	if !errors.As(waitErr, &exit) {
		t.Fatalf("after a second interrupt the program exited with %v; want it killed by the signal, not the end of a graceful shutdown", waitErr)
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Errorf("the program ended with %v, want killed by SIGINT", waitErr)
	}
}
